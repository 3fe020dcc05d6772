// SPDX-License-Identifier: Apache-2.0
// The TCP model, state by state, through what the trace shows: handshake, segmentation and
// ACKs, retransmission timing, RST, FIN exchange, blocked connect/listen.
#include "sim_helpers.h"

namespace openfwp::stack {
namespace {

using openfwp::testing::layer_name;
using openfwp::testing::run_example;
using openfwp::testing::run_scenario_text;

constexpr const char* kHosts = R"(
hosts:
  server: {addresses: [198.18.0.2]}
  client: {addresses: [198.18.0.1]}
)";

std::vector<std::string> notes(const Trace& trace, const std::string& host) {
  std::vector<std::string> out;
  for (const auto& r : trace) {
    if (!r.layer && r.host == host) out.push_back(r.note);
  }
  return out;
}

std::vector<const TraceRecord*> at_layer(const Trace& trace, const std::string& host,
                                         const std::string& layer, const std::string& event = {}) {
  std::vector<const TraceRecord*> out;
  for (const auto& r : trace) {
    if (r.host == host && layer_name(r) == layer && (event.empty() || r.event == event)) {
      out.push_back(&r);
    }
  }
  return out;
}

TEST(Tcp, HandshakeEstablishesBothEndsOnce) {
  const Trace trace = run_scenario_text(std::string(kHosts) + R"(
steps:
  - {host: server, op: listen, port: 80}
  - {host: client, op: connect, peer: server, port: 80, id: c1}
)");
  EXPECT_EQ(at_layer(trace, "client", "FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4", "SYN-ACK").size(), 1U);
  EXPECT_EQ(at_layer(trace, "server", "FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4", "ACK").size(), 1U);
  EXPECT_EQ(at_layer(trace, "server", "FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4").size(), 1U);
  EXPECT_EQ(notes(trace, "client"),
            std::vector<std::string>{"c1: connected to 198.18.0.2 port 80"});
  // SYN out at t=0, SYN-ACK back after one link delay each way.
  const auto syn_ack = at_layer(trace, "client", "FWPM_LAYER_INBOUND_TRANSPORT_V4", "SYN-ACK");
  ASSERT_EQ(syn_ack.size(), 1U);
  EXPECT_EQ(syn_ack[0]->time_us, 1000U);
}

TEST(Tcp, DataIsSegmentedAtTheMssAndAcknowledged) {
  const Trace trace = run_example("tcp_data.yaml");
  EXPECT_EQ(at_layer(trace, "client", "FWPM_LAYER_STREAM_V4", "send").size(), 1U);
  EXPECT_EQ(at_layer(trace, "client", "FWPM_LAYER_OUTBOUND_TRANSPORT_V4", "segment").size(), 3U)
      << "3000 bytes = 1460 + 1460 + 80";
  EXPECT_EQ(at_layer(trace, "server", "FWPM_LAYER_STREAM_V4", "data").size(), 3U);
  EXPECT_EQ(at_layer(trace, "server", "FWPM_LAYER_OUTBOUND_TRANSPORT_V4", "ACK").size(), 3U)
      << "one ACK per segment";
  const auto read = notes(trace, "server");
  EXPECT_NE(std::find(read.begin(), read.end(), "server#1: read 3000 bytes"), read.end());
}

TEST(Tcp, SynRetransmissionsBackOffAndTimeOut) {
  const Trace trace = run_example("tcp_stealth.yaml");
  const auto syns = at_layer(trace, "client", "FWPM_LAYER_OUTBOUND_TRANSPORT_V4", "SYN");
  ASSERT_EQ(syns.size(), 4U);  // the SYN and 3 retransmissions
  EXPECT_EQ(syns[0]->time_us, 0U);
  EXPECT_EQ(syns[1]->time_us, 1'000'000U);
  EXPECT_EQ(syns[2]->time_us, 3'000'000U);
  EXPECT_EQ(syns[3]->time_us, 7'000'000U);
  const auto client_notes = notes(trace, "client");
  ASSERT_FALSE(client_notes.empty());
  EXPECT_EQ(client_notes.back(), "probe: connect failed: timed out (WSAETIMEDOUT)");
  EXPECT_EQ(trace.back().time_us, 15'000'000U);
}

TEST(Tcp, ClosedPortAnswersRstAndTheConnectIsRefused) {
  const Trace trace = run_example("tcp_syn_no_listener.yaml");
  EXPECT_EQ(at_layer(trace, "server", "FWPM_LAYER_OUTBOUND_TRANSPORT_V4", "RST").size(), 1U);
  EXPECT_EQ(notes(trace, "client").back(),
            "probe: connect failed: connection refused (WSAECONNREFUSED)");
}

TEST(Tcp, CloseExchangesFinsAndEndsBothEnds) {
  const Trace trace = run_example("tcp_connect.yaml");
  EXPECT_EQ(notes(trace, "client").back(), "c1: closed");
  EXPECT_EQ(notes(trace, "server").back(), "server#1: closed");
  EXPECT_EQ(at_layer(trace, "client", "FWPM_LAYER_OUTBOUND_TRANSPORT_V4", "FIN").size(), 1U);
  EXPECT_EQ(at_layer(trace, "server", "FWPM_LAYER_OUTBOUND_TRANSPORT_V4", "FIN").size(), 1U);
}

TEST(Tcp, BlockedConnectSendsNothingAndTheApplicationSeesAccessDenied) {
  const Trace trace = run_example("tcp_blocked_connect.yaml");
  EXPECT_EQ(at_layer(trace, "client", "FWPM_LAYER_ALE_AUTH_CONNECT_V4_DISCARD").size(), 1U);
  EXPECT_TRUE(at_layer(trace, "client", "FWPM_LAYER_OUTBOUND_TRANSPORT_V4").empty());
  EXPECT_EQ(notes(trace, "client").back(),
            "telnet: connect to 198.18.0.2 port 23 failed: blocked by the firewall (WSAEACCES)");
}

TEST(Tcp, BlockedListenLeavesThePortClosed) {
  const Trace trace = run_example("tcp_blocked_listen.yaml");
  EXPECT_EQ(at_layer(trace, "server", "FWPM_LAYER_ALE_AUTH_LISTEN_V4_DISCARD").size(), 1U);
  EXPECT_EQ(at_layer(trace, "server", "FWPM_LAYER_INBOUND_TRANSPORT_V4_DISCARD", "SYN").size(), 1U);
  EXPECT_EQ(notes(trace, "client").back(),
            "c1: connect failed: connection refused (WSAECONNREFUSED)");
}

TEST(Tcp, FailedReauthorizationDropsTheFlowsPacketsUntilTheSenderGivesUp) {
  const Trace trace = run_example("tcp_reauth_failure.yaml");
  const auto reauth = at_layer(trace, "server", "FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4", "segment");
  ASSERT_EQ(reauth.size(), 1U) << "the verdict is cached for the flow under the new policy";
  EXPECT_TRUE(reauth[0]->reauth);
  EXPECT_EQ(reauth[0]->action, "block");
  EXPECT_EQ(
      at_layer(trace, "server", "FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4_DISCARD", "segment").size(),
      1U);
  EXPECT_EQ(notes(trace, "client").back(),
            "c1: connection dropped: no acknowledgement after 3 retransmissions");
}

TEST(Tcp, UserAndAppReachAleConditions) {
  const Trace trace = run_scenario_text(std::string(R"yaml(
hosts:
  server:
    addresses: [198.18.0.2]
  client:
    addresses: [198.18.0.1]
    policy:
      filters:
        - name: alice may not browse
          layer: FWPM_LAYER_ALE_AUTH_CONNECT_V4
          action: block
          conditions:
            - {field: FWPM_CONDITION_ALE_USER_ID, value: "D:(A;;CC;;;S-1-5-21-1-2-3-1001)"}
            - {field: FWPM_CONDITION_ALE_APP_ID, value: 'c:\apps\browser.exe'}
steps:
  - {host: server, op: listen, port: 80}
  - {host: client, op: connect, peer: server, port: 80, id: bob, user: S-1-5-21-1-2-3-1002, app: 'C:\Apps\Browser.exe'}
  - {host: client, op: connect, peer: server, port: 80, id: alice, user: S-1-5-21-1-2-3-1001, app: 'C:\Apps\Browser.exe'}
)yaml"));
  const auto connects = at_layer(trace, "client", "FWPM_LAYER_ALE_AUTH_CONNECT_V4", "connect");
  ASSERT_EQ(connects.size(), 2U);
  EXPECT_EQ(connects[0]->action, "permit");
  EXPECT_EQ(connects[1]->action, "block");
}

}  // namespace
}  // namespace openfwp::stack
