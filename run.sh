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
