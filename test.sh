#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every test: format and layering checks, a short libFuzzer run of each parser, the whole
# suite under AddressSanitizer + UBSan, then the whole suite in the dev build (build/).
# Live network tests (ctest label "live") run only as root: OPENFWP_LIVE=0 skips them.
set -euo pipefail
cd "$(dirname "$0")"
export LC_ALL=C

echo "== format"
tools/check-format

echo "== fuzz (libFuzzer, ${OPENFWP_FUZZ_SECONDS:=20}s per target)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
for target in build-fuzz/tests/fuzz/*_fuzz; do
  corpus="tests/fuzz/corpus/$(basename "$target" _fuzz)"
  work="$(mktemp -d)"
  "$target" -max_total_time="$OPENFWP_FUZZ_SECONDS" -print_final_stats=0 "$work" "$corpus" \
    2>&1 | tail -n 2
  rm -rf "$work"
done

echo "== asan + ubsan"
cmake --workflow --preset asan

echo "== dev"
cmake --workflow --preset ci
