// SPDX-License-Identifier: Apache-2.0
// ReplayHost on hand-made packets: the cases the real captures of tests/golden/replay do not
// hold (out-of-order and conflicting data, UDP reauthorization, ICMP queries, loopback, stray
// packets, mid-stream pick-up), grouped by what they exercise.
#include "stack/replay_host.h"

#include "support/filter_builder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace openfwp::stack {
namespace {

using model::LayerId;

const IpAddress kLocal = *IpAddress::parse("198.18.0.2");
const IpAddress kPeer = *IpAddress::parse("198.18.0.1");

struct Recorder final : ReplayObserver {
  std::vector<TraceRecord> records;
  std::vector<NetEvent> events;
  std::vector<FlowSummary> flows;
  void on_record(const TraceRecord& r) override { records.push_back(r); }
  void on_net_event(const NetEvent& e) override { events.push_back(e); }
  void on_flow_end(const FlowSummary& s) override { flows.push_back(s); }

  std::vector<std::string> layers_of(std::uint64_t packet) const {
    std::vector<std::string> out;
    for (const auto& r : records) {
      if (r.packet == packet && r.layer) out.emplace_back(model::layer_info(*r.layer).wfp_name);
    }
    return out;
  }
};

// Packets of one TCP connection between kPeer:40000 and kLocal:80.
struct Packets {
  std::uint64_t next_index = 1;
  std::vector<std::vector<std::uint8_t>> payloads;  // keep spans valid

  ObservedPacket tcp(bool inbound, TcpFlags flags, std::uint32_t seq, std::string data = "") {
    ObservedPacket p;
    p.index = next_index++;
    p.time_us = p.index * 10;
    p.source = inbound ? kPeer : kLocal;
    p.destination = inbound ? kLocal : kPeer;
    p.protocol = ip_protocol::kTcp;
    p.source_port = inbound ? 40000 : 80;
    p.destination_port = inbound ? 80 : 40000;
    p.tcp = flags;
    p.seq = seq;
    payloads.emplace_back(data.begin(), data.end());
    p.payload = payloads.back();
    p.ip_length = static_cast<std::uint32_t>(40 + data.size());
    return p;
  }
  ObservedPacket udp(bool inbound, std::uint16_t local_port, std::uint16_t remote_port) {
    ObservedPacket p;
    p.index = next_index++;
    p.source = inbound ? kPeer : kLocal;
    p.destination = inbound ? kLocal : kPeer;
    p.protocol = ip_protocol::kUdp;
    p.source_port = inbound ? remote_port : local_port;
    p.destination_port = inbound ? local_port : remote_port;
    p.ip_length = 28;
    return p;
  }
};

constexpr TcpFlags kSyn{.syn = true};
constexpr TcpFlags kSynAck{.syn = true, .ack = true};
constexpr TcpFlags kAck{.ack = true};

// Hints from a first pass over `packets`, as the driver makes them.
EndpointHints hints_for(const std::vector<ObservedPacket>& packets) {
  EndpointHints hints;
  for (const auto& p : packets) hints.learn(p, p.source == kLocal);
  return hints;
}

TEST(ReplayHostStream, OutOfOrderBytesReachTheStreamLayerOnceTheGapFillsAndRetransmissionsDoNot) {
  Packets make;
  std::vector<ObservedPacket> capture = {
      make.tcp(true, kSyn, 999),           make.tcp(false, kSynAck, 5000),
      make.tcp(true, kAck, 1000),          make.tcp(true, kAck, 1005, "world"),
      make.tcp(true, kAck, 1000, "hello"), make.tcp(true, kAck, 1000, "hello"),
  };
  const EndpointHints hints = hints_for(capture);
  Recorder recorder;
  ReplayHost host({kLocal}, hints, recorder);
  for (const auto& p : capture) host.observe(p);
  host.finish();

  // The held segment (packet 4) is not indicated; the gap fill (5) indicates both; the
  // retransmission (6) passes the transport layer only.
  EXPECT_EQ(recorder.layers_of(4), (std::vector<std::string>{"FWPM_LAYER_INBOUND_IPPACKET_V4",
                                                             "FWPM_LAYER_INBOUND_TRANSPORT_V4"}));
  EXPECT_EQ(
      recorder.layers_of(5),
      (std::vector<std::string>{"FWPM_LAYER_INBOUND_IPPACKET_V4", "FWPM_LAYER_INBOUND_TRANSPORT_V4",
                                "FWPM_LAYER_STREAM_V4", "FWPM_LAYER_STREAM_V4"}));
  EXPECT_EQ(recorder.layers_of(6), (std::vector<std::string>{"FWPM_LAYER_INBOUND_IPPACKET_V4",
                                                             "FWPM_LAYER_INBOUND_TRANSPORT_V4"}));
  ASSERT_EQ(recorder.flows.size(), 1U);
  const FlowSummary& flow = recorder.flows[0];
  EXPECT_EQ(flow.stream_bytes_in, 10U);
  EXPECT_EQ(flow.retransmitted_bytes, 5U);
  EXPECT_EQ(flow.out_of_order_segments, 1U);
  EXPECT_EQ(flow.conflicting_overlap_bytes, 0U);
  EXPECT_TRUE(flow.inbound);
  EXPECT_EQ(flow.verdict, FlowSummary::Verdict::kPermitted);
}

TEST(ReplayHostStream, ARetransmissionWithDifferentBytesIsCountedAsAConflictingOverlap) {
  Packets make;
  std::vector<ObservedPacket> capture = {
      make.tcp(true, kSyn, 999), make.tcp(false, kSynAck, 5000), make.tcp(true, kAck, 1000),
      make.tcp(true, kAck, 1000, "hello"), make.tcp(true, kAck, 1000, "HELLO")};
  const EndpointHints hints = hints_for(capture);
  Recorder recorder;
  ReplayHost host({kLocal}, hints, recorder);
  for (const auto& p : capture) host.observe(p);
  host.finish();
  ASSERT_EQ(recorder.flows.size(), 1U);
  EXPECT_EQ(recorder.flows[0].stream_bytes_in, 5U);  // the first copy only
  EXPECT_EQ(recorder.flows[0].conflicting_overlap_bytes, 5U);
}

TEST(ReplayHostTcp, AStrayAckToAClosedPortTakesTheNoEndpointPath) {
  Packets make;
  std::vector<ObservedPacket> capture = {make.tcp(true, kAck, 1000)};
  const EndpointHints hints = hints_for(capture);
  Recorder recorder;
  ReplayHost host({kLocal}, hints, recorder);
  host.observe(capture[0]);
  host.finish();
  EXPECT_EQ(recorder.layers_of(1),
            (std::vector<std::string>{"FWPM_LAYER_INBOUND_IPPACKET_V4",
                                      "FWPM_LAYER_INBOUND_TRANSPORT_V4_DISCARD"}));
  ASSERT_EQ(recorder.flows.size(), 1U);
  EXPECT_EQ(recorder.flows[0].verdict, FlowSummary::Verdict::kNoEndpoint);
}

TEST(ReplayHostTcp, AConnectionJoinedMidStreamIsAuthorizedOnceAtTheServerSide) {
  Packets make;
  std::vector<ObservedPacket> capture = {make.tcp(true, kAck, 1000, "abc"),
                                         make.tcp(false, kAck, 5000, "de"),
                                         make.tcp(true, kAck, 1003, "f")};
  const EndpointHints hints = hints_for(capture);
  Recorder recorder;
  ReplayHost host({kLocal}, hints, recorder);
  for (const auto& p : capture) host.observe(p);
  host.finish();
  EXPECT_EQ(
      recorder.layers_of(1),
      (std::vector<std::string>{"FWPM_LAYER_INBOUND_IPPACKET_V4", "FWPM_LAYER_INBOUND_TRANSPORT_V4",
                                "FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4",
                                "FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4", "FWPM_LAYER_STREAM_V4"}));
  EXPECT_EQ(recorder.layers_of(3),
            (std::vector<std::string>{"FWPM_LAYER_INBOUND_IPPACKET_V4",
                                      "FWPM_LAYER_INBOUND_TRANSPORT_V4", "FWPM_LAYER_STREAM_V4"}));
  ASSERT_EQ(recorder.flows.size(), 1U);
  EXPECT_TRUE(recorder.flows[0].midstream);
  EXPECT_TRUE(recorder.flows[0].inbound);  // local port 80 < 40000: the local host serves
  EXPECT_EQ(recorder.flows[0].stream_bytes_in, 4U);
  EXPECT_EQ(recorder.flows[0].stream_bytes_out, 2U);
}

TEST(ReplayHostUdp, AFailedReauthorizationEndsTheFlowAndTheNextDatagramIsAuthorizedAnew) {
  Packets make;
  std::vector<ObservedPacket> capture = {make.udp(true, 53, 5353), make.udp(true, 53, 5353),
                                         make.udp(true, 53, 5353)};
  const EndpointHints hints = hints_for(capture);
  Recorder recorder;
  ReplayHost host({kLocal}, hints, recorder);
  host.observe(capture[0]);
  const auto block =
      testing::FilterBuilder("no dns").layer(LayerId::kAleAuthRecvAcceptV4).id(7).block().build();
  ASSERT_TRUE(host.engine().add_filter(block));
  host.observe(capture[1]);  // reauthorized and blocked
  host.observe(capture[2]);  // a new flow: blocked at RECV_ACCEPT, not as a reauthorization
  host.finish();
  EXPECT_EQ(recorder.layers_of(1),
            (std::vector<std::string>{
                "FWPM_LAYER_INBOUND_IPPACKET_V4", "FWPM_LAYER_INBOUND_TRANSPORT_V4",
                "FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4", "FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4",
                "FWPM_LAYER_DATAGRAM_DATA_V4"}));
  int reauth_blocks = 0;
  int fresh_blocks = 0;
  for (const auto& r : recorder.records) {
    if (r.layer == LayerId::kAleAuthRecvAcceptV4 && r.action == "block") {
      (r.reauth ? reauth_blocks : fresh_blocks) += 1;
      EXPECT_EQ(r.packet, r.reauth ? 2U : 3U);
    }
  }
  EXPECT_EQ(reauth_blocks, 1);
  EXPECT_EQ(fresh_blocks, 1);
  ASSERT_EQ(recorder.flows.size(), 1U);
  EXPECT_EQ(recorder.flows[0].verdict, FlowSummary::Verdict::kPartlyBlocked);
  EXPECT_EQ(recorder.flows[0].deciding_filter, 7U);
  EXPECT_EQ(recorder.flows[0].packets_blocked, 2U);
}

TEST(ReplayHostIcmp, AnEchoExchangeFollowsTheUdpFlowsKeyedByItsIdentifier) {
  ObservedPacket request;
  request.index = 1;
  request.source = kLocal;
  request.destination = kPeer;
  request.protocol = ip_protocol::kIcmp;
  request.icmp_type = 8;
  request.icmp_id = 77;
  ObservedPacket reply = request;
  reply.index = 2;
  reply.source = kPeer;
  reply.destination = kLocal;
  reply.icmp_type = 0;
  const EndpointHints hints = hints_for({request, reply});
  Recorder recorder;
  ReplayHost host({kLocal}, hints, recorder);
  host.observe(request);
  host.observe(reply);
  host.finish();
  EXPECT_EQ(recorder.layers_of(1),
            (std::vector<std::string>{
                "FWPM_LAYER_ALE_CONNECT_REDIRECT_V4", "FWPM_LAYER_ALE_AUTH_CONNECT_V4",
                "FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4", "FWPM_LAYER_DATAGRAM_DATA_V4",
                "FWPM_LAYER_OUTBOUND_TRANSPORT_V4", "FWPM_LAYER_OUTBOUND_IPPACKET_V4"}));
  EXPECT_EQ(recorder.layers_of(2), (std::vector<std::string>{"FWPM_LAYER_INBOUND_IPPACKET_V4",
                                                             "FWPM_LAYER_INBOUND_TRANSPORT_V4",
                                                             "FWPM_LAYER_DATAGRAM_DATA_V4"}));
  ASSERT_EQ(recorder.flows.size(), 1U);
  EXPECT_EQ(recorder.flows[0].local_port, 77U);
}

TEST(ReplayHostAddresses, LoopbackTakesTheSendAndTheReceivePathAndTransitIsNotReplayed) {
  Packets make;
  ObservedPacket loop = make.udp(false, 5000, 6000);
  loop.destination = kLocal;
  ObservedPacket transit = make.udp(false, 5000, 6000);
  transit.source = *IpAddress::parse("198.18.9.9");
  const EndpointHints hints = hints_for({loop});
  Recorder recorder;
  ReplayHost host({kLocal}, hints, recorder);
  host.observe(loop);
  host.observe(transit);
  host.finish();
  const auto layers = recorder.layers_of(1);
  ASSERT_FALSE(layers.empty());
  EXPECT_EQ(layers.front(), "FWPM_LAYER_ALE_BIND_REDIRECT_V4");
  EXPECT_EQ(layers.back(), "FWPM_LAYER_DATAGRAM_DATA_V4");
  EXPECT_TRUE(recorder.layers_of(2).empty());
  EXPECT_EQ(host.totals().not_local, 1U);
  EXPECT_EQ(recorder.flows.size(), 2U);  // the sender's flow and the receiver's
}

}  // namespace
}  // namespace openfwp::stack
