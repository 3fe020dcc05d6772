// SPDX-License-Identifier: Apache-2.0
// Link layers: Ethernet (padding, single and stacked VLAN tags), Linux cooked v1/v2, raw IP
// links, link-type numbers, and the link-level anomalies.
#include "io/wire/decode.h"
#include "support/frame_builder.h"

#include "unit/io/wire/expect_failure.h"
#include <gtest/gtest.h>

#include <set>

namespace openfwp::io::wire {
namespace {

using namespace frames;  // NOLINT(google-build-using-namespace): the builder vocabulary

Bytes v4_tcp_syn() { return ipv4({}, tcp(40000, 443, 1000, 0, 0x02)); }

TEST(DecodeLink, EthernetIpv4TcpDecodesEveryLayer) {
  const Bytes frame = ethernet(v4_tcp_syn(), 0x0800);
  const DecodeResult r = decode_frame(LinkType::kEthernet, frame);
  ASSERT_TRUE(r.ok()) << anomaly_name(r.failure->anomaly);
  const DecodedPacket& p = r.packet;
  EXPECT_EQ(p.link.type, LinkType::kEthernet);
  EXPECT_EQ(p.link.destination_mac[0], 0x02);
  EXPECT_EQ(p.link.source_mac[5], 0x01);
  EXPECT_EQ(p.link.ethertype, 0x0800);
  EXPECT_EQ(p.link.header_length, 14U);
  EXPECT_EQ(p.link.vlan_count, 0);
  EXPECT_EQ(p.link.trailer_length, 0U);
  ASSERT_TRUE(p.has_ip);
  EXPECT_EQ(p.ip.source.to_string(), "10.0.0.1");
  EXPECT_EQ(p.ip.destination.to_string(), "10.0.0.2");
  EXPECT_EQ(p.transport, Transport::kTcp);
  EXPECT_EQ(p.tcp.destination_port, 443);
  EXPECT_EQ(p.notes, 0);
}

TEST(DecodeLink, EthernetPaddingIsATrailerNotAnAnomaly) {
  Bytes frame = ethernet(ipv4({.protocol = 17}, udp(53, 53, {1, 2})), 0x0800);
  const std::size_t ip_end = frame.size();
  frame.resize(60, 0);
  const DecodeResult r = decode_frame(LinkType::kEthernet, frame);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.packet.link.trailer_length, 60 - ip_end);
  EXPECT_EQ(r.packet.udp.payload.size(), 2U);
  EXPECT_EQ(r.packet.notes, 0);
}

TEST(DecodeLink, SingleDot1qTag) {
  const Bytes frame = ethernet(v4_tcp_syn(), 0x0800, {{0x8100, (5U << 13) | 0x1000 | 100}});
  const DecodeResult r = decode_frame(LinkType::kEthernet, frame);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.packet.link.vlans().size(), 1U);
  const VlanTag& tag = r.packet.link.vlans()[0];
  EXPECT_EQ(tag.tpid, 0x8100);
  EXPECT_EQ(tag.priority, 5);
  EXPECT_TRUE(tag.drop_eligible);
  EXPECT_EQ(tag.id, 100);
  EXPECT_EQ(r.packet.link.header_length, 18U);
  EXPECT_EQ(r.packet.transport, Transport::kTcp);
}

TEST(DecodeLink, StackedQinQTagsOuterFirst) {
  const Bytes frame = ethernet(ipv6({}, tcp(1, 2, 3, 4, 0x10)), 0x86dd,
                               {{0x88a8, 200}, {0x8100, 300}, {0x9100, 4095}});
  const DecodeResult r = decode_frame(LinkType::kEthernet, frame);
  ASSERT_TRUE(r.ok());
  const auto tags = r.packet.link.vlans();
  ASSERT_EQ(tags.size(), 3U);
  EXPECT_EQ(tags[0].tpid, 0x88a8);
  EXPECT_EQ(tags[0].id, 200);
  EXPECT_EQ(tags[1].id, 300);
  EXPECT_EQ(tags[2].id, 4095);
  EXPECT_EQ(r.packet.link.ethertype, 0x86dd);
  EXPECT_EQ(r.packet.ip.version, 6);
}

TEST(DecodeLink, TooManyVlanTags) {
  const std::vector<std::pair<std::uint16_t, std::uint16_t>> tags(5, {0x8100, 1});
  expect_failure(decode_frame(LinkType::kEthernet, ethernet(v4_tcp_syn(), 0x0800, tags)),
                 Anomaly::kTooManyVlanTags, 14 + 4 * 4);
}

TEST(DecodeLink, TruncatedVlanTag) {
  Bytes frame = ethernet({}, 0x8100);
  frame.push_back(0);
  expect_failure(decode_frame(LinkType::kEthernet, frame), Anomaly::kTruncatedVlanTag, 14);
}

TEST(DecodeLink, TruncatedEthernetAndUnknownEthertype) {
  expect_failure(decode_frame(LinkType::kEthernet, Bytes(13, 0)), Anomaly::kTruncatedEthernet, 0);
  const DecodeResult arp = decode_frame(LinkType::kEthernet, ethernet(Bytes(28, 0), 0x0806));
  expect_failure(arp, Anomaly::kUnknownEthertype, 14);
  EXPECT_EQ(arp.packet.link.ethertype, 0x0806);
  EXPECT_FALSE(arp.packet.has_ip);
}

TEST(DecodeLink, LinuxCookedV1) {
  const Bytes frame = linux_sll(ipv4({.protocol = 17}, udp(5353, 53)), 0x0800, 4);
  const DecodeResult r = decode_frame(LinkType::kLinuxSll, frame);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.packet.link.packet_type, 4);  // outgoing
  EXPECT_EQ(r.packet.link.arphrd_type, 1);
  EXPECT_EQ(r.packet.link.link_address_length, 6);
  EXPECT_EQ(r.packet.link.link_address[5], 0x01);
  EXPECT_EQ(r.packet.link.header_length, 16U);
  EXPECT_EQ(r.packet.udp.source_port, 5353);
  expect_failure(decode_frame(LinkType::kLinuxSll, Bytes(15, 0)), Anomaly::kTruncatedLinuxSll, 0);
}

TEST(DecodeLink, LinuxCookedV2) {
  const Bytes frame = linux_sll2(ipv6({.protocol = 17}, udp(1, 2)), 0x86dd, 7, 0);
  const DecodeResult r = decode_frame(LinkType::kLinuxSll2, frame);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.packet.link.interface_index, 7U);
  EXPECT_EQ(r.packet.link.packet_type, 0);
  EXPECT_EQ(r.packet.link.header_length, 20U);
  EXPECT_EQ(r.packet.ip.version, 6);
  expect_failure(decode_frame(LinkType::kLinuxSll2, Bytes(19, 0)), Anomaly::kTruncatedLinuxSll2, 0);
  expect_failure(decode_frame(LinkType::kLinuxSll2, linux_sll2({}, 0x0003, 1, 0)),
                 Anomaly::kUnknownEthertype, 20);
}

TEST(DecodeLink, RawLinksTellVersionsApart) {
  const DecodeResult v4 = decode_frame(LinkType::kRaw, v4_tcp_syn());
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4.packet.ip.version, 4);
  EXPECT_EQ(v4.packet.link.ethertype, 0x0800);
  const DecodeResult v6 = decode_ip(ipv6({}, tcp(1, 2, 3, 4, 0x02)));
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6.packet.ip.version, 6);
  EXPECT_EQ(v6.packet.link.ethertype, 0x86dd);
  EXPECT_TRUE(decode_frame(LinkType::kIpv4, v4_tcp_syn()).ok());
  EXPECT_TRUE(decode_frame(LinkType::kIpv6, ipv6({}, tcp(1, 2, 3, 4, 0x02))).ok());
}

TEST(DecodeLink, RawLinkAnomalies) {
  expect_failure(decode_ip({}), Anomaly::kEmptyIpPacket, 0);
  expect_failure(decode_ip(Bytes(40, 0x50)), Anomaly::kBadIpVersion, 0);
  expect_failure(decode_frame(LinkType::kIpv4, ipv6({}, tcp(1, 2, 3, 4, 2))),
                 Anomaly::kBadIpv4Version, 0);
  expect_failure(decode_frame(LinkType::kIpv6, Bytes(60, 0x45)), Anomaly::kBadIpv6Version, 0);
  expect_failure(decode_frame(static_cast<LinkType>(105), v4_tcp_syn()),
                 Anomaly::kUnsupportedLinkType, 0);
}

TEST(DecodeLink, LinkTypeNumbers) {
  EXPECT_EQ(link_type_from_number(1), LinkType::kEthernet);
  EXPECT_EQ(link_type_from_number(12), LinkType::kRaw);
  EXPECT_EQ(link_type_from_number(14), LinkType::kRaw);
  EXPECT_EQ(link_type_from_number(101), LinkType::kRaw);
  EXPECT_EQ(link_type_from_number(113), LinkType::kLinuxSll);
  EXPECT_EQ(link_type_from_number(276), LinkType::kLinuxSll2);
  EXPECT_EQ(link_type_from_number(228), LinkType::kIpv4);
  EXPECT_EQ(link_type_from_number(229), LinkType::kIpv6);
  EXPECT_EQ(link_type_from_number(105), std::nullopt);  // 802.11
}

TEST(DecodeNames, EveryAnomalyHasADistinctSnakeCaseName) {
  std::set<std::string_view> seen;
  for (int i = 0; i <= static_cast<int>(Anomaly::kTruncatedIcmpQuote); ++i) {
    const std::string_view name = anomaly_name(static_cast<Anomaly>(i));
    EXPECT_NE(name, "unknown_anomaly") << i;
    EXPECT_TRUE(seen.insert(name).second) << name;
    for (char c : name) EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  }
  EXPECT_EQ(anomaly_name(Anomaly::kIpv4TotalLengthMismatch), "ipv4_total_length_mismatch");
  EXPECT_EQ(note_name(Note::kIpv4BadChecksum), "ipv4_bad_checksum");
  EXPECT_EQ(note_name(Note::kTcpBadChecksum), "tcp_bad_checksum");
  EXPECT_EQ(note_name(Note::kUdpBadChecksum), "udp_bad_checksum");
  EXPECT_EQ(note_name(Note::kIcmpBadChecksum), "icmp_bad_checksum");
}

}  // namespace
}  // namespace openfwp::io::wire
