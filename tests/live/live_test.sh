#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Live enforcement tests (issue #7, ctest label "live"): `fwp serve` in network namespace A
# enforces a policy on real TCP traffic to and from namespace B over a veth pair.
#
#   tests/live/live_test.sh SCENARIO FWP
#
# SCENARIO: connect | inbound | stealth | reauth | app. Each scenario has its own namespaces
# (ofwl-SCENARIO-a/b) and /24 in 198.18.0.0/15, so ctest may run them side by side.
# Exit 77 (skipped) when not root or OPENFWP_LIVE=0. Traffic only between the namespaces made
# here; every process is bounded by `timeout` and stopped by its PID; the namespaces (and with
# them every rule the daemon left) are deleted on exit, failure included.
set -euo pipefail
export LC_ALL=C

SCENARIO="${1:?usage: live_test.sh SCENARIO FWP}"
FWP="$(realpath "${2:?usage: live_test.sh SCENARIO FWP}")"
if [[ "${OPENFWP_LIVE:-1}" == 0 ]]; then
  echo "skipped: OPENFWP_LIVE=0"
  exit 77
fi
if ((EUID != 0)); then
  echo "skipped: live tests need root (network namespaces, iptables, NFQUEUE)"
  exit 77
fi
for tool in ip iptables nc nmap timeout; do
  command -v "$tool" >/dev/null || { echo "live_test: needs $tool on PATH" >&2; exit 1; }
done

case "$SCENARIO" in
  connect) NET=20 ;;
  inbound) NET=21 ;;
  stealth) NET=22 ;;
  reauth) NET=23 ;;
  app) NET=24 ;;
  *) echo "live_test: unknown scenario \"$SCENARIO\"" >&2; exit 2 ;;
esac
NS_A="ofwl-$SCENARIO-a"
NS_B="ofwl-$SCENARIO-b"
ADDR_A="198.18.$NET.1"
ADDR_B="198.18.$NET.2"
# Lower case on purpose: ALE_APP_ID paths below are compared as WFP compares them.
HERE="$(cd "$(dirname "$0")" && pwd)"
TMP="/tmp/openfwp-live-$SCENARIO-$$"
mkdir -p "$TMP"
PIDS=()
CREATED_NS=()
DAEMON_PID=""

fail() {
  echo "FAIL ($SCENARIO): $*" >&2
  if [[ -f "$TMP/daemon.log" ]]; then
    echo "--- daemon log (last 30 lines)" >&2
    tail -n 30 "$TMP/daemon.log" >&2
  fi
  exit 1
}

cleanup() {
  local status=$?
  trap - EXIT
  local pid i
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for ((i = 0; i < 50; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  local ns
  for ns in "${CREATED_NS[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  [[ -n "${OPENFWP_LIVE_KEEP:-}" ]] || rm -rf "$TMP"
  exit "$status"
}
trap cleanup EXIT

in_a() { ip netns exec "$NS_A" "$@"; }
in_b() { ip netns exec "$NS_B" "$@"; }

start_bg() {  # start_bg OUTFILE CMD...: runs CMD in the background, remembers its PID in BG_PID
  local out=$1
  shift
  "$@" >"$out" 2>&1 &
  BG_PID=$!
  PIDS+=("$BG_PID")
}

wait_until() {  # wait_until SECONDS CMD...: true once CMD succeeds, false after SECONDS
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

listening() {  # listening NS PORT: a TCP listener on PORT in NS
  ip netns exec "$1" ss -Hltn "sport = :$2" | grep -q LISTEN
}

setup_namespaces() {
  for ns in "$NS_A" "$NS_B"; do
    ip netns del "$ns" 2>/dev/null || true  # a crashed earlier run of this scenario
    ip netns add "$ns"
    CREATED_NS+=("$ns")
    ip -n "$ns" link set lo up
  done
  ip -n "$NS_A" link add "ofl$NET-a" type veth peer name "ofl$NET-b" netns "$NS_B"
  ip -n "$NS_A" addr add "$ADDR_A/24" dev "ofl$NET-a"
  ip -n "$NS_B" addr add "$ADDR_B/24" dev "ofl$NET-b"
  ip -n "$NS_A" link set "ofl$NET-a" up
  ip -n "$NS_B" link set "ofl$NET-b" up
  wait_until 10 in_a ip neigh flush all || true
}

fwp_ctl() { "$FWP" "$@" --control "$TMP/fwp.sock"; }

start_daemon() {  # start_daemon POLICY_FILE
  cp "$1" "$TMP/policy.yaml"
  # Not through in_a: a shell function in the background is a subshell, and $! would be its
  # PID, not the daemon's.
  ip netns exec "$NS_A" timeout --preserve-status 120 "$FWP" serve --policy "$TMP/policy.yaml" --control "$TMP/fwp.sock" \
    --no-ipv6 -v >"$TMP/daemon.log" 2>&1 &
  DAEMON_PID=$!
  PIDS+=("$DAEMON_PID")
  wait_until 20 grep -q "fwp serve: enforcing" "$TMP/daemon.log" ||
    fail "the daemon did not start"
  in_a iptables -S OPENFWP_OUT | grep -q NFQUEUE || fail "no NFQUEUE rule in OPENFWP_OUT"
}

stop_daemon() {  # SIGTERM; it must exit 0 and leave no rule behind
  kill -TERM "$DAEMON_PID"
  local status=0
  wait_until 10 bash -c "! kill -0 $DAEMON_PID 2>/dev/null" || fail "the daemon ignored SIGTERM"
  wait "$DAEMON_PID" || status=$?
  ((status == 0)) || fail "the daemon exited with status $status"
  if in_a iptables -S | grep -q OPENFWP; then fail "rules left after the daemon stopped"; fi
}

daemon_stat() {  # daemon_stat JQ_PATH: a number from `fwp stats`
  fwp_ctl stats | python3 -c "import json,sys; d=json.load(sys.stdin); print(d$1)"
}

# send_line NS ADDR PORT TEXT: a TCP client sends one line; true if the connection worked.
send_line() {
  ip netns exec "$1" timeout 10 bash -c "echo '$4' | nc -N -w 3 $2 $3" >/dev/null 2>&1
}

# serve NS ADDR PORT OUTFILE: a listener that keeps accepting, until the test ends.
serve() {
  start_bg "$4" ip netns exec "$1" timeout 60 nc -k -l "$2" "$3"
  wait_until 10 listening "$1" "$3" || fail "listener $2:$3 did not come up"
}

policy() {  # policy FILE: the filters on stdin, under a header
  cat >"$1"
}

scenario_connect() {
  policy "$TMP/p.yaml" <<EOF
filters:
  - name: block connect to port 8002
    layer: FWPM_LAYER_ALE_AUTH_CONNECT_V4
    weight: 10
    action: block
    conditions:
      - {field: FWPM_CONDITION_IP_REMOTE_PORT, value: 8002}
  - name: permit connect to the peer
    layer: FWPM_LAYER_ALE_AUTH_CONNECT_V4
    weight: 1
    action: permit
    conditions:
      - {field: FWPM_CONDITION_IP_REMOTE_ADDRESS, value: $ADDR_B/32}
EOF
  serve "$NS_B" "$ADDR_B" 8001 "$TMP/s8001"
  serve "$NS_B" "$ADDR_B" 8002 "$TMP/s8002"
  start_daemon "$TMP/p.yaml"
  send_line "$NS_A" "$ADDR_B" 8001 permitted || fail "permitted connect to 8001 failed"
  wait_until 5 grep -q permitted "$TMP/s8001" || fail "server 8001 did not get the line"
  if send_line "$NS_A" "$ADDR_B" 8002 refused; then fail "blocked connect to 8002 succeeded"; fi
  sleep 0.5
  if grep -q refused "$TMP/s8002"; then fail "server 8002 got data through a block filter"; fi
  [[ "$(daemon_stat "['queue']['dropped']")" -ge 1 ]] || fail "no packet dropped"
  [[ "$(daemon_stat "['daemon']['sockets_destroyed']")" -ge 1 ]] ||
    fail "the refused connect()'s socket was not destroyed"
  grep -q 'CLASSIFY_DROP.*ALE_AUTH_CONNECT_V4.*block connect to port 8002' "$TMP/daemon.log" ||
    fail "no drop net event naming the filter at ALE_AUTH_CONNECT_V4"
  stop_daemon
}

scenario_inbound() {
  policy "$TMP/p.yaml" <<EOF
filters:
  - name: block inbound to port 9002
    layer: FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4
    action: block
    conditions:
      - {field: FWPM_CONDITION_IP_LOCAL_PORT, value: 9002}
EOF
  serve "$NS_A" "$ADDR_A" 9001 "$TMP/s9001"
  serve "$NS_A" "$ADDR_A" 9002 "$TMP/s9002"
  start_daemon "$TMP/p.yaml"
  send_line "$NS_B" "$ADDR_A" 9001 welcome || fail "inbound connect to 9001 failed"
  wait_until 5 grep -q welcome "$TMP/s9001" || fail "server 9001 did not get the line"
  if send_line "$NS_B" "$ADDR_A" 9002 intruder; then fail "inbound connect to 9002 succeeded"; fi
  if grep -q intruder "$TMP/s9002"; then fail "server 9002 got data through a block filter"; fi
  [[ "$(daemon_stat "['queue']['dropped']")" -ge 1 ]] || fail "no packet dropped"
  grep -q 'CLASSIFY_DROP.*ALE_AUTH_RECV_ACCEPT_V4.*block inbound to port 9002' "$TMP/daemon.log" ||
    fail "no drop net event naming the filter at ALE_AUTH_RECV_ACCEPT_V4"
  stop_daemon
}

nmap_state() {  # nmap_state PORT: open|closed|filtered as nmap in B sees port PORT of A
  in_b timeout 60 nmap -n -Pn -sS --max-retries 1 --host-timeout 30s -p "$1" -oG - "$ADDR_A" |
    sed -n "s|.*Ports: $1/\([a-z|]*\)/.*|\1|p"
}

scenario_stealth() {
  policy "$TMP/p.yaml" <<EOF
filters:
  - name: permit the peer
    layer: FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4
    action: permit
    conditions:
      - {field: FWPM_CONDITION_IP_REMOTE_ADDRESS, value: $ADDR_B/32}
EOF
  serve "$NS_A" "$ADDR_A" 9101 "$TMP/s9101"
  start_daemon "$TMP/p.yaml"
  local state
  state="$(nmap_state 9100)"
  [[ "$state" == closed ]] || fail "without stealth mode nmap saw 9100 \"$state\", not closed"
  state="$(nmap_state 9101)"
  [[ "$state" == open ]] || fail "nmap saw the listening port 9101 \"$state\", not open"
  fwp_ctl filter add - <<'EOF' >/dev/null || fail "fwp filter add (stealth) failed"
filters:
  - name: stealth mode
    layer: FWPM_LAYER_INBOUND_TRANSPORT_V4_DISCARD
    action: callout_terminating
    callout: "{eda08606-2494-4d78-89bc-67837c03b969}"
EOF
  state="$(nmap_state 9100)"
  [[ "$state" == filtered ]] || fail "with stealth mode nmap saw 9100 \"$state\", not filtered"
  state="$(nmap_state 9101)"
  [[ "$state" == open ]] || fail "stealth mode hid the listening port 9101 (\"$state\")"
  stop_daemon
}

scenario_reauth() {
  policy "$TMP/p.yaml" <<EOF
filters:
  - name: permit connect to the peer
    layer: FWPM_LAYER_ALE_AUTH_CONNECT_V4
    action: permit
    conditions:
      - {field: FWPM_CONDITION_IP_REMOTE_ADDRESS, value: $ADDR_B/32}
EOF
  serve "$NS_B" "$ADDR_B" 8003 "$TMP/s8003"
  start_daemon "$TMP/p.yaml"
  start_bg "$TMP/client.out" ip netns exec "$NS_A" timeout 40 python3 "$HERE/reauth_client.py" \
    "$ADDR_B" 8003 "$TMP/go"
  local client=$BG_PID
  wait_until 10 grep -q "before the change" "$TMP/s8003" || fail "the first line did not arrive"
  fwp_ctl filter add - <<'POLICY' >/dev/null || fail "fwp filter add (block) failed"
filters:
  - name: block port 8003 from now on
    layer: FWPM_LAYER_ALE_AUTH_CONNECT_V4
    weight: 15
    action: block
    conditions:
      - {field: FWPM_CONDITION_IP_REMOTE_PORT, value: 8003}
POLICY
  touch "$TMP/go"
  # The connection's socket is destroyed at its next packet: the client fails at once.
  wait_until 10 bash -c "! kill -0 $client 2>/dev/null" || fail "the client was not cut off"
  grep -q "^error: 103 " "$TMP/client.out" ||
    fail "the client did not see ECONNABORTED: $(cat "$TMP/client.out")"
  sleep 0.5
  if grep -q "after the change" "$TMP/s8003"; then fail "data passed after the block filter"; fi
  [[ "$(daemon_stat "['daemon']['cut']")" -ge 1 ]] || fail "no flow cut counted"
  stop_daemon
}

scenario_app() {
  mkdir -p "$TMP/allowed" "$TMP/blocked"
  cp "$(command -v nc)" "$TMP/allowed/nc"
  cp "$(command -v nc)" "$TMP/blocked/nc"
  policy "$TMP/p.yaml" <<EOF
filters:
  - name: block one copy of nc
    layer: FWPM_LAYER_ALE_AUTH_CONNECT_V4
    action: block
    conditions:
      - {field: FWPM_CONDITION_ALE_APP_ID, value: '$TMP/blocked/nc'}
EOF
  serve "$NS_B" "$ADDR_B" 8004 "$TMP/s8004"
  start_daemon "$TMP/p.yaml"
  in_a timeout 10 bash -c "echo from-allowed | $TMP/allowed/nc -N -w 3 $ADDR_B 8004" ||
    fail "the allowed binary could not connect"
  wait_until 5 grep -q from-allowed "$TMP/s8004" || fail "the allowed binary's line did not arrive"
  if in_a timeout 10 bash -c "echo from-blocked | $TMP/blocked/nc -N -w 3 $ADDR_B 8004"; then
    fwp_ctl stats >&2 || true
    fail "the blocked binary connected"
  fi
  sleep 0.5
  if grep -q from-blocked "$TMP/s8004"; then fail "the blocked binary's line arrived"; fi
  [[ "$(daemon_stat "['processes']['hits']")" -ge 2 ]] || fail "application lookups did not hit"
  stop_daemon
}

setup_namespaces
"scenario_$SCENARIO"
echo "ok ($SCENARIO)"
