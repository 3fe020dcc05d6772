// SPDX-License-Identifier: Apache-2.0
// The founding document, as a test: every sequence of tests/data/seed-tcp-flows.yaml (the
// seed's lists as data) must appear, in order, in the trace of the example scenario that plays
// it, for IPv4 and for IPv6 (the _V6 layers, same order). Entries the seed leaves out (ACKs
// sent back for data, the client's own layers) may come between them. The UDP lists of
// Microsoft's "UDP Packet Flows" are checked the same way.
#include "sim_helpers.h"
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace openfwp::stack {
namespace {

using openfwp::testing::layer_name;
using openfwp::testing::run_example;

struct Expected {
  std::string host;
  std::string event;
  std::string layer;
};

std::vector<Expected> seed_sequence(const std::string& name, bool v6) {
  const YAML::Node seed =
      YAML::LoadFile(std::string(OPENFWP_SOURCE_DIR) + "/tests/data/seed-tcp-flows.yaml");
  std::vector<Expected> out;
  for (const auto& entry : seed[name]) {
    std::string layer = entry["layer"].as<std::string>();
    if (v6) {
      const auto at = layer.find("_V4");
      if (at != std::string::npos) layer.replace(at, 3, "_V6");
    }
    out.push_back({entry["host"].as<std::string>(), entry["event"].as<std::string>(), layer});
  }
  return out;
}

// Where the first expected entry that is not found in order is, or -1 if all are.
std::string first_missing(const Trace& trace, const std::vector<Expected>& expected) {
  std::size_t at = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& e = expected[i];
    while (at < trace.size() && !(trace[at].host == e.host && trace[at].event == e.event &&
                                  layer_name(trace[at]) == e.layer)) {
      ++at;
    }
    if (at == trace.size()) {
      return fmt::format("entry {} ({} {} {}) not found in order", i + 1, e.host, e.event, e.layer);
    }
    ++at;
  }
  return {};
}

struct SeedCase {
  const char* seed;
  const char* v4_example;
  const char* v6_example;
};

class SeedConformance : public ::testing::TestWithParam<SeedCase> {};

TEST_P(SeedConformance, DocumentedSequenceAppearsInOrderV4) {
  const auto& c = GetParam();
  const auto expected = seed_sequence(c.seed, false);
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(first_missing(run_example(c.v4_example), expected), "");
}

TEST_P(SeedConformance, DocumentedSequenceAppearsInOrderV6) {
  const auto& c = GetParam();
  const auto expected = seed_sequence(c.seed, true);
  EXPECT_EQ(first_missing(run_example(c.v6_example), expected), "");
}

INSTANTIATE_TEST_SUITE_P(
    FoundingDocument, SeedConformance,
    ::testing::Values(
        SeedCase{"tcp_connection_establishment", "tcp_connect.yaml", "tcp_connect_v6.yaml"},
        SeedCase{"tcp_syn_no_listener", "tcp_syn_no_listener.yaml", "tcp_syn_no_listener_v6.yaml"},
        SeedCase{"tcp_data_transfer", "tcp_data.yaml", "tcp_data_v6.yaml"},
        SeedCase{"tcp_reauthorization_success", "tcp_reauth_success.yaml",
                 "tcp_reauth_success_v6.yaml"},
        SeedCase{"tcp_reauthorization_failure", "tcp_reauth_failure.yaml",
                 "tcp_reauth_failure_v6.yaml"}),
    [](const ::testing::TestParamInfo<SeedCase>& param_info) {
      return std::string(param_info.param.seed);
    });

TEST(SeedConformance, TerminationIsIndicatedAtNoAleLayer) {
  // "TCP connection termination is indicated at no layer": once the first FIN is on its way,
  // only packet layers classify.
  const Trace trace = run_example("tcp_connect.yaml");
  bool closing = false;
  for (const auto& r : trace) {
    closing = closing || r.event == "FIN";
    if (closing && r.layer) {
      EXPECT_EQ(layer_name(r).find("FWPM_LAYER_ALE_"), std::string::npos)
          << "seq " << r.seq << " " << layer_name(r);
    }
  }
  EXPECT_TRUE(closing);
}

TEST(SeedConformance, StealthModeSuppressesTheRst) {
  const Trace trace = run_example("tcp_stealth.yaml");
  for (const auto& r : trace) EXPECT_NE(r.event, "RST") << "seq " << r.seq;
}

// UDP Packet Flows (learn.microsoft.com/windows/win32/fwp/udp-packet-flows).
TEST(UdpPacketFlows, ConnectionEstablishment) {
  for (const bool v6 : {false, true}) {
    const std::string f = v6 ? "V6" : "V4";
    const std::vector<Expected> expected = {
        {"server", "bind", "FWPM_LAYER_ALE_BIND_REDIRECT_" + f},
        {"server", "bind", "FWPM_LAYER_ALE_RESOURCE_ASSIGNMENT_" + f},
        {"client", "bind", "FWPM_LAYER_ALE_BIND_REDIRECT_" + f},
        {"client", "bind", "FWPM_LAYER_ALE_RESOURCE_ASSIGNMENT_" + f},
        {"client", "sendto", "FWPM_LAYER_ALE_CONNECT_REDIRECT_" + f},
        {"client", "sendto", "FWPM_LAYER_ALE_AUTH_CONNECT_" + f},
        {"client", "sendto", "FWPM_LAYER_ALE_FLOW_ESTABLISHED_" + f},
        {"client", "datagram", "FWPM_LAYER_DATAGRAM_DATA_" + f},
        {"client", "datagram", "FWPM_LAYER_OUTBOUND_TRANSPORT_" + f},
        {"client", "datagram", "FWPM_LAYER_OUTBOUND_IPPACKET_" + f},
        {"server", "datagram", "FWPM_LAYER_INBOUND_IPPACKET_" + f},
        {"server", "datagram", "FWPM_LAYER_INBOUND_TRANSPORT_" + f},
        {"server", "datagram", "FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_" + f},
        {"server", "datagram", "FWPM_LAYER_ALE_FLOW_ESTABLISHED_" + f},
        {"server", "datagram", "FWPM_LAYER_DATAGRAM_DATA_" + f},
    };
    EXPECT_EQ(first_missing(run_example(v6 ? "udp_v6.yaml" : "udp.yaml"), expected), "") << f;
  }
}

// The same list for IPv4 and IPv6: `V4` in a layer name becomes `V6`.
std::vector<Expected> in_family(std::vector<Expected> list, bool v6) {
  if (!v6) return list;
  for (auto& e : list) e.layer.replace(e.layer.find("_V4"), 3, "_V6");
  return list;
}

TEST(UdpPacketFlows, NoListenerSendsIcmpUnlessBlockedAtIpPacketDiscard) {
  const std::vector<Expected> expected = {
      {"server", "datagram", "FWPM_LAYER_INBOUND_IPPACKET_V4"},
      {"server", "datagram", "FWPM_LAYER_INBOUND_IPPACKET_V4_DISCARD"},
      {"server", "icmp-error", "FWPM_LAYER_OUTBOUND_ICMP_ERROR_V4"},
      {"server", "icmp-error", "FWPM_LAYER_OUTBOUND_TRANSPORT_V4"},
      {"server", "icmp-error", "FWPM_LAYER_OUTBOUND_IPPACKET_V4"},
  };
  for (const bool v6 : {false, true}) {
    const std::string suffix = v6 ? "_v6.yaml" : ".yaml";
    EXPECT_EQ(first_missing(run_example("udp_no_listener" + suffix), in_family(expected, v6)), "");
    for (const auto& r : run_example("udp_stealth" + suffix)) EXPECT_NE(r.event, "icmp-error");
  }
}

TEST(UdpPacketFlows, ReauthorizationSucceedsThenFails) {
  const std::vector<Expected> expected = {
      // success
      {"server", "datagram", "FWPM_LAYER_INBOUND_IPPACKET_V4"},
      {"server", "datagram", "FWPM_LAYER_INBOUND_TRANSPORT_V4"},
      {"server", "datagram", "FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4"},
      {"server", "datagram", "FWPM_LAYER_DATAGRAM_DATA_V4"},
      // failure
      {"server", "datagram", "FWPM_LAYER_INBOUND_IPPACKET_V4"},
      {"server", "datagram", "FWPM_LAYER_INBOUND_TRANSPORT_V4"},
      {"server", "datagram", "FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4"},
      {"server", "datagram", "FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4_DISCARD"},
  };
  for (const bool v6 : {false, true}) {
    const Trace trace = run_example(v6 ? "udp_reauth_v6.yaml" : "udp_reauth.yaml");
    // Start after the first policy change.
    Trace after;
    bool changed = false;
    for (const auto& r : trace) {
      changed = changed || r.event == "policy";
      if (changed) after.push_back(r);
    }
    EXPECT_EQ(first_missing(after, in_family(expected, v6)), "");
    int reauths = 0;
    for (const auto& r : after) reauths += r.reauth && r.layer ? 1 : 0;
    EXPECT_EQ(reauths, 3) << "recv-accept twice (permit, block) and its discard layer once";
  }
}

TEST(SeedConformance, StealthModeSuppressesTheRstV6) {
  for (const auto& r : run_example("tcp_stealth_v6.yaml")) EXPECT_NE(r.event, "RST");
}

}  // namespace
}  // namespace openfwp::stack
