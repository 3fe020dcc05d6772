#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Smoke test of bench/gen_netsh_dump.py: 2,000 filters in both formats with a fixed seed must pass
# --check (model effectiveWeights, unique filterIds/filterKeys, consistent references), be
# deterministic (same seed -> byte-identical, other seed -> different) and well-formed XML.
# Needs the real dumps (NETSH_DUMPS, default /work/shared/data/netsh-dumps); skips (77) without.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
gen="$repo/bench/gen_netsh_dump.py"
dumps="${NETSH_DUMPS:-/work/shared/data/netsh-dumps}"
if ! ls "$dumps"/*.xml >/dev/null 2>&1; then
  echo "SKIP: no real netsh dumps in $dumps"
  exit 77
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export GEN_NETSH_DUMP_CACHE="$tmp/cache"  # private shape cache: no writes under $HOME

for fmt in filters state; do
  python3 "$gen" --dumps "$dumps" --filters 2000 --seed 7 --format "$fmt" -o "$tmp/$fmt.a.xml"
  python3 "$gen" --dumps "$dumps" --filters 2000 --seed 7 --format "$fmt" -o "$tmp/$fmt.b.xml"
  python3 "$gen" --dumps "$dumps" --filters 2000 --seed 8 --format "$fmt" -o "$tmp/$fmt.c.xml"
  cmp "$tmp/$fmt.a.xml" "$tmp/$fmt.b.xml" || { echo "FAIL: $fmt not deterministic"; exit 1; }
  if cmp -s "$tmp/$fmt.a.xml" "$tmp/$fmt.c.xml"; then
    echo "FAIL: $fmt: seeds 7 and 8 gave identical dumps"; exit 1
  fi
done
# Encoding and line-end variants.
python3 "$gen" --dumps "$dumps" --filters 500 --seed 7 --format state --crlf -o "$tmp/crlf.xml"
python3 "$gen" --dumps "$dumps" --filters 500 --seed 7 --format filters --encoding utf-16 \
  -o "$tmp/utf16.xml"

python3 "$gen" --check "$tmp/filters.a.xml" "$tmp/state.a.xml" "$tmp/crlf.xml" "$tmp/utf16.xml"

python3 - "$tmp" <<'PY'
import re, sys, xml.etree.ElementTree as ET
tmp = sys.argv[1]
def parse(path):
    raw = open(path, "rb").read()
    if raw.startswith(b"\xff\xfe"):
        text, crlf = raw.decode("utf-16"), b"\r\x00\n\x00" in raw
    else:
        assert raw.startswith(b"\xef\xbb\xbf"), path + ": no UTF-8 BOM"
        text, crlf = raw.decode("utf-8-sig"), b"\r\n" in raw
    assert text.startswith('<?xml version="1.0" encoding="UTF-'), path
    # show-state dumps have two roots: wrap them like tools/weight_reference.py does.
    body = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    root = ET.fromstring("<root>" + body + "</root>")
    return [c.tag for c in root], crlf, text
tags, crlf, _ = parse(tmp + "/filters.a.xml")
assert tags == ["wfpdiag"] and not crlf, tags
tags, crlf, text = parse(tmp + "/state.a.xml")
assert tags == ["wfpstate", "firewallState"], tags
assert "\n\t\t\t\t<item>\n\t\t\t\t\t<filterKey>" in text, "tab indentation"
tags, crlf, text = parse(tmp + "/crlf.xml")
assert crlf and "\n" not in text.replace("\r\n", ""), "--crlf: every line end must be CRLF"
tags, crlf, _ = parse(tmp + "/utf16.xml")
assert tags == ["wfpdiag"], tags
print("well-formed: ok")
PY
echo "gen_netsh_dump_test: PASS"
