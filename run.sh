#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Newcomer's first command: installs dependencies, builds build/fwp and runs a short demo.
set -euo pipefail
cd "$(dirname "$0")"
tools/install-deps
cmake --preset dev >/dev/null
cmake --build --preset dev --target fwp
echo
echo "== fwp show fields FWPM_LAYER_ALE_AUTH_CONNECT_V4"
build/fwp show fields FWPM_LAYER_ALE_AUTH_CONNECT_V4
echo
echo "== fwp explain: telnet to the internet, under examples/policies/corp.yaml"
build/fwp explain --policy examples/policies/corp.yaml --layer FWPM_LAYER_ALE_AUTH_CONNECT_V4 \
  ip_protocol=tcp ip_remote_address=203.0.113.7 ip_remote_port=23 \
  ale_app_id='c:\windows\system32\telnet.exe'
echo
echo "== fwp replay: an nmap SYN scan of a stealth-mode host (a real capture)"
build/fwp replay tests/data/pcap/nmap_syn_scan.pcap --policy tests/golden/replay/stealth.yaml \
  --local 198.18.0.2 -q
