// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: capture bytes → the whole pcap replay (reader, decoder, fragment and TCP
// reassembly, the replay host's inference and every layer classification) under a stealth-mode
// policy with a reauthorizing policy change. Properties beyond "no crash": an error names the
// capture; the totals add up (every replayed packet is counted once, blocked and suppressed
// packets are replayed ones, no flow is summarized twice).
#include "io/policy/policy.h"

#include "replay/replay.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <span>

namespace {

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "replay_fuzz: %s\n", what);
    std::abort();
  }
}

constexpr const char* kPolicy = R"(
filters:
  - {name: stealth, layer: FWPM_LAYER_INBOUND_TRANSPORT_V4_DISCARD, action: callout_terminating,
     callout: "{eda08606-2494-4d78-89bc-67837c03b969}"}
  - {name: no telnet, layer: FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4, action: block,
     conditions: [{field: FWPM_CONDITION_IP_LOCAL_PORT, value: 23}]}
  - {name: no data to 81, layer: FWPM_LAYER_STREAM_V4, action: block,
     conditions: [{field: FWPM_CONDITION_IP_LOCAL_PORT, value: 81}]}
)";
constexpr const char* kChange = R"(
filters:
  - {name: no 80, layer: FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4, action: block,
     conditions: [{field: FWPM_CONDITION_IP_LOCAL_PORT, value: 80}]}
  - {name: no 80 v6, layer: FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V6, action: block,
     conditions: [{field: FWPM_CONDITION_IP_LOCAL_PORT, value: 80}]}
)";

struct Checker final : openfwp::stack::ReplayObserver {
  std::set<std::uint64_t> flows;
  void on_flow_end(const openfwp::stack::FlowSummary& s) override {
    require(flows.insert(s.id).second, "a flow summarized twice");
    require(s.first_packet <= s.last_packet || s.last_packet == 0, "flow packets out of order");
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto policy = openfwp::io::policy::parse_policy(kPolicy, "policy.yaml");
  static const auto change = openfwp::io::policy::parse_policy(kChange, "change.yaml");
  require(policy.has_value() && change.has_value(), "fixed policies do not parse");
  openfwp::replay::ReplayOptions options;
  options.capture_path = "fuzz.pcap";
  options.capture_bytes = std::span(data, size);
  options.locals = {*openfwp::IpAddress::parse("198.18.0.2"),
                    *openfwp::IpAddress::parse("2001:db8::2")};
  options.policy = *policy;
  options.changes.push_back({4, *change, "change.yaml"});
  Checker checker;
  const auto result = openfwp::replay::replay_capture(options, checker);
  if (!result) {
    require(!result.error().message.empty(), "error without a message");
    return 0;
  }
  const auto& t = result->totals;
  require(t.packets + result->not_ip <= result->frames + t.reassembled, "more packets than frames");
  require(t.blocked_packets + t.suppressed_packets <= 2 * t.packets, "more drops than packets");
  require(checker.flows.size() == t.flows, "a flow was never summarized");
  return 0;
}
