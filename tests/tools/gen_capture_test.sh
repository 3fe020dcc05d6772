#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Smoke test of bench/gen_capture (the replay benchmark's capture generator, issue #5): 2,000
# packets of each profile must pass --check (openfwp's own pcap reader and wire decoder: no
# anomaly, no bad checksum, consistent seq/ack), be deterministic (same seed -> same bytes,
# other seed -> different), and, where the tools are installed, read cleanly in tcpdump and
# tshark: nothing malformed, and no TCP analysis event but the out-of-order and retransmitted
# segments put there on purpose (each out-of-order pair also shows one "previous segment not
# captured").
# Usage: gen_capture_test.sh PATH/TO/gen_capture
set -euo pipefail
gen="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for profile in established new-flows; do
  "$gen" -q --profile "$profile" --packets 2000 --seed 7 -o "$tmp/$profile.a.pcap"
  "$gen" -q --profile "$profile" --packets 2000 --seed 7 -o "$tmp/$profile.b.pcap"
  "$gen" -q --profile "$profile" --packets 2000 --seed 8 -o "$tmp/$profile.c.pcap"
  cmp "$tmp/$profile.a.pcap" "$tmp/$profile.b.pcap" || { echo "FAIL: $profile not deterministic"; exit 1; }
  if cmp -s "$tmp/$profile.a.pcap" "$tmp/$profile.c.pcap"; then
    echo "FAIL: $profile: seeds 7 and 8 gave identical captures"; exit 1
  fi
  "$gen" --check "$tmp/$profile.a.pcap"
done

if command -v tcpdump >/dev/null; then
  for profile in established new-flows; do
    tcpdump -r "$tmp/$profile.a.pcap" -nn >/dev/null 2>"$tmp/tcpdump.err" ||
      { cat "$tmp/tcpdump.err"; echo "FAIL: tcpdump cannot read $profile"; exit 1; }
  done
else
  echo "note: no tcpdump; skipped"
fi

if command -v tshark >/dev/null; then
  for profile in established new-flows; do
    file="$tmp/$profile.a.pcap"
    malformed="$(tshark -r "$file" -Y _ws.malformed 2>/dev/null)"
    [[ -z "$malformed" ]] || { echo "$malformed"; echo "FAIL: $profile: malformed packets"; exit 1; }
    unexpected="$(tshark -r "$file" -Y 'tcp.analysis.flags && !tcp.analysis.out_of_order &&
        !tcp.analysis.retransmission && !tcp.analysis.lost_segment' 2>/dev/null)"
    [[ -z "$unexpected" ]] || { echo "$unexpected"; echo "FAIL: $profile: TCP analysis events"; exit 1; }
    ooo="$(tshark -r "$file" -Y tcp.analysis.out_of_order 2>/dev/null | wc -l)"
    lost="$(tshark -r "$file" -Y tcp.analysis.lost_segment 2>/dev/null | wc -l)"
    ((lost <= ooo)) || { echo "FAIL: $profile: $lost segments lost but $ooo out of order"; exit 1; }
    echo "tshark: $profile: nothing malformed; $ooo out-of-order, $lost previous-segment-lost"
  done
else
  echo "note: no tshark; skipped"
fi
echo "gen_capture ok"
