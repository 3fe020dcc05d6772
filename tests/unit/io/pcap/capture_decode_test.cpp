// SPDX-License-Identifier: Apache-2.0
// The two halves of pcap replay on the real captures of tests/data/pcap: PcapReader reads each
// frame and io/wire decodes it; what the Linux stacks in the namespaces did must be visible in
// the decoded packets (the handshake, the RST from a closed port, the ICMP port unreachable
// quoting the datagram, nmap's SYNs), and no frame of a clean capture is an anomaly.
#include "io/pcap/pcap_reader.h"
#include "io/wire/decode.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace openfwp::io {
namespace {

std::string capture(const std::string& name) {
  return std::string(OPENFWP_SOURCE_DIR) + "/tests/data/pcap/" + name;
}

// Every frame of a capture, decoded; fails the test on a reader error.
std::vector<wire::DecodeResult> decode_all(const std::string& name,
                                           std::vector<std::vector<std::uint8_t>>& storage) {
  std::vector<wire::DecodeResult> out;
  auto reader = pcap::PcapReader::open(capture(name));
  EXPECT_TRUE(reader) << reader.error().to_string();
  if (!reader) return out;
  const auto link = wire::link_type_from_number(static_cast<std::uint32_t>(reader->link_type()));
  EXPECT_TRUE(link) << name << ": link type " << reader->link_type_name();
  if (!link) return out;
  storage.reserve(64);
  while (true) {
    auto frame = reader->next();
    EXPECT_TRUE(frame) << frame.error().to_string();
    if (!frame || !*frame) break;
    // Spans point into the reader's buffer until the next frame: keep a copy.
    storage.emplace_back((*frame)->bytes.begin(), (*frame)->bytes.end());
    out.push_back(wire::decode_frame(*link, storage.back()));
  }
  return out;
}

TEST(CaptureDecode, CleanCapturesDecodeWithoutAnomalies) {
  for (const char* name :
       {"tcp_handshake_data.pcap", "tcp_syn_closed_port.pcap", "nmap_syn_scan.pcap",
        "udp_closed_port.pcap", "tcp_v6_handshake_data.pcap", "tcp_handshake_data_sll2.pcap",
        "udp_closed_port_sll.pcap", "udp_fragmented.pcap"}) {
    std::vector<std::vector<std::uint8_t>> storage;
    const auto frames = decode_all(name, storage);
    EXPECT_FALSE(frames.empty()) << name;
    for (std::size_t i = 0; i < frames.size(); ++i) {
      EXPECT_TRUE(frames[i].ok()) << name << " frame " << i + 1 << ": "
                                  << wire::anomaly_name(frames[i].failure->anomaly);
    }
  }
}

TEST(CaptureDecode, HandshakeIsSynSynAckAckBetweenTheNamespaces) {
  for (const char* name : {"tcp_handshake_data.pcap", "tcp_v6_handshake_data.pcap"}) {
    std::vector<std::vector<std::uint8_t>> storage;
    const auto frames = decode_all(name, storage);
    ASSERT_GE(frames.size(), 3U) << name;
    const auto& syn = frames[0].packet;
    const auto& syn_ack = frames[1].packet;
    const auto& ack = frames[2].packet;
    ASSERT_EQ(syn.transport, wire::Transport::kTcp);
    ASSERT_EQ(syn_ack.transport, wire::Transport::kTcp);
    EXPECT_TRUE(syn.tcp.flags.syn && !syn.tcp.flags.ack) << name;
    EXPECT_TRUE(syn_ack.tcp.flags.syn && syn_ack.tcp.flags.ack) << name;
    EXPECT_TRUE(ack.tcp.flags.ack && !ack.tcp.flags.syn) << name;
    EXPECT_EQ(syn_ack.tcp.ack, syn.tcp.seq + 1) << name;
    EXPECT_EQ(syn_ack.ip.source, syn.ip.destination);
    EXPECT_EQ(syn_ack.tcp.source_port, syn.tcp.destination_port);
    // Data flows both ways, and both sides close.
    std::size_t payload = 0;
    int fins = 0;
    for (const auto& f : frames) {
      if (f.packet.transport != wire::Transport::kTcp) continue;
      payload += f.packet.tcp.payload.size();
      fins += f.packet.tcp.flags.fin ? 1 : 0;
    }
    EXPECT_EQ(payload, 5000U) << name << ": 3000 bytes one way and 2000 back";
    EXPECT_EQ(fins, 2) << name;
  }
}

TEST(CaptureDecode, SynToAClosedPortIsAnsweredWithRst) {
  std::vector<std::vector<std::uint8_t>> storage;
  const auto frames = decode_all("tcp_syn_closed_port.pcap", storage);
  ASSERT_EQ(frames.size(), 2U);
  EXPECT_TRUE(frames[0].packet.tcp.flags.syn);
  EXPECT_TRUE(frames[1].packet.tcp.flags.rst);
  EXPECT_EQ(frames[1].packet.tcp.source_port, frames[0].packet.tcp.destination_port);
}

TEST(CaptureDecode, PortUnreachableQuotesTheDatagram) {
  for (const char* name : {"udp_closed_port.pcap", "udp_closed_port_sll.pcap"}) {
    std::vector<std::vector<std::uint8_t>> storage;
    const auto frames = decode_all(name, storage);
    ASSERT_EQ(frames.size(), 2U) << name;
    const auto& datagram = frames[0].packet;
    const auto& error = frames[1].packet;
    ASSERT_EQ(datagram.transport, wire::Transport::kUdp) << name;
    ASSERT_EQ(error.transport, wire::Transport::kIcmp) << name;
    EXPECT_EQ(error.icmp.type, 3);  // destination unreachable
    EXPECT_EQ(error.icmp.code, 3);  // port unreachable
    ASSERT_TRUE(error.icmp.quoted) << name;
    EXPECT_TRUE(error.icmp.quoted->has_ports);
    EXPECT_EQ(error.icmp.quoted->destination_port, datagram.udp.destination_port);
    EXPECT_EQ(error.icmp.quoted->source, datagram.ip.source);
  }
}

TEST(CaptureDecode, NmapSynScanProbesEveryPortAndOnlyPort80Answers) {
  std::vector<std::vector<std::uint8_t>> storage;
  const auto frames = decode_all("nmap_syn_scan.pcap", storage);
  std::set<std::uint16_t> probed, open, closed;
  for (const auto& f : frames) {
    if (f.packet.transport != wire::Transport::kTcp) continue;
    const auto& tcp = f.packet.tcp;
    if (tcp.flags.syn && !tcp.flags.ack) probed.insert(tcp.destination_port);
    if (tcp.flags.syn && tcp.flags.ack) open.insert(tcp.source_port);
    if (tcp.flags.rst && tcp.flags.ack) closed.insert(tcp.source_port);
  }
  EXPECT_EQ(probed.size(), 13U);  // -p 20-30,80,443
  EXPECT_EQ(open, std::set<std::uint16_t>{80});
  EXPECT_EQ(closed.size(), 12U);
}

TEST(CaptureDecode, SnapLengthCutsAreReportedNotMistakenForCleanFrames) {
  std::vector<std::vector<std::uint8_t>> storage;
  auto reader = pcap::PcapReader::open(capture("tcp_handshake_data_snap128.pcapng"));
  ASSERT_TRUE(reader) << reader.error().to_string();
  EXPECT_EQ(reader->format(), pcap::CaptureFormat::kPcapng);
  std::size_t cut = 0;
  while (true) {
    auto frame = reader->next();
    ASSERT_TRUE(frame) << frame.error().to_string();
    if (!*frame) break;
    if (!(*frame)->cut_by_snap_length()) continue;
    ++cut;
    // A cut frame's IP length is longer than its bytes: a named anomaly, not a crash.
    const auto decoded = wire::decode_frame(wire::LinkType::kEthernet, (*frame)->bytes);
    EXPECT_FALSE(decoded.ok());
  }
  EXPECT_GT(cut, 0U);
}

}  // namespace
}  // namespace openfwp::io
