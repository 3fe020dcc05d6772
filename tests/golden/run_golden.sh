#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs one golden case: `fwp` with the arguments in CASE.args (one argument per line, no shell
# parsing), from the case's directory, and compares stdout with CASE.out, stderr with CASE.err
# (absent = must be empty) and the exit status with CASE.exit (absent = 0).
# With OPENFWP_UPDATE_GOLDEN=1 the expected files are rewritten instead (review the diff).
set -euo pipefail
export LC_ALL=C TZ=UTC

fwp="$1"
case_dir="$2"
name="$3"
cd "$case_dir"

mapfile -t args < "$name.args"
out="$(mktemp)"; err="$(mktemp)"
trap 'rm -f "$out" "$err"' EXIT
status=0
"$fwp" "${args[@]}" >"$out" 2>"$err" || status=$?

if [[ "${OPENFWP_UPDATE_GOLDEN:-0}" == 1 ]]; then
  cp "$out" "$name.out"
  if [[ -s "$err" ]]; then cp "$err" "$name.err"; else rm -f "$name.err"; fi
  if [[ "$status" != 0 ]]; then echo "$status" > "$name.exit"; else rm -f "$name.exit"; fi
  echo "updated $case_dir/$name"
  exit 0
fi

failed=0
expected_status=0
[[ -f "$name.exit" ]] && expected_status="$(cat "$name.exit")"
if [[ "$status" != "$expected_status" ]]; then
  echo "exit status $status, expected $expected_status"; failed=1
fi
if ! diff -u "$name.out" "$out"; then echo "stdout differs from $name.out"; failed=1; fi
if [[ -f "$name.err" ]]; then
  if ! diff -u "$name.err" "$err"; then echo "stderr differs from $name.err"; failed=1; fi
elif [[ -s "$err" ]]; then
  echo "unexpected stderr:"; cat "$err"; failed=1
fi
exit "$failed"
