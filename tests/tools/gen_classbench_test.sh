#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Test of bench/gen_classbench (the classification benchmark's rule-set and trace generator,
# issue #6): for each shape, one seed gives identical files and another seed different ones,
# and --check agrees with every expected answer (brute force, LinearMatcher, IndexedMatcher).
# --check must also reject a trace with one answer changed, so the check itself can fail.
# Usage: gen_classbench_test.sh PATH/TO/gen_classbench
set -euo pipefail
gen="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for shape in acl fw ipc; do
  "$gen" -o "$tmp/$shape.a" --shape "$shape" --rules 2000 --packets 3000 --seed 7 >/dev/null
  "$gen" -o "$tmp/$shape.b" --shape "$shape" --rules 2000 --packets 3000 --seed 7 >/dev/null
  "$gen" -o "$tmp/$shape.c" --shape "$shape" --rules 2000 --packets 3000 --seed 8 >/dev/null
  for kind in rules trace; do
    cmp "$tmp/$shape.a.$kind" "$tmp/$shape.b.$kind" ||
      { echo "FAIL: $shape $kind not deterministic"; exit 1; }
    if cmp -s "$tmp/$shape.a.$kind" "$tmp/$shape.c.$kind"; then
      echo "FAIL: $shape: seeds 7 and 8 gave identical $kind"; exit 1
    fi
  done
  [[ $(wc -l <"$tmp/$shape.a.rules") == 2000 && $(wc -l <"$tmp/$shape.a.trace") == 3000 ]] ||
    { echo "FAIL: $shape: wrong line counts"; exit 1; }
  "$gen" --check "$tmp/$shape.a.rules" "$tmp/$shape.a.trace"

  # One answer off by one rule (or "none" made a rule) must be caught.
  awk -F'\t' 'BEGIN { OFS = "\t" } NR == 17 { $6 = ($6 == "none") ? 0 : $6 + 1 } { print }' \
    "$tmp/$shape.a.trace" >"$tmp/$shape.bad.trace"
  if "$gen" --check "$tmp/$shape.a.rules" "$tmp/$shape.bad.trace" 2>/dev/null; then
    echo "FAIL: $shape: --check accepted a wrong expected answer"; exit 1
  fi
done
echo "gen_classbench: ok"
