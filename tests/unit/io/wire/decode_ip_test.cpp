// SPDX-License-Identifier: Apache-2.0
// IP layer: IPv4 fields, options and checksum note; IPv6 extension-header chains (hop-by-hop,
// routing, destination options, AH, ESP, no next header); fragments of both versions; the
// IP-level anomalies.
#include "io/wire/decode.h"
#include "support/frame_builder.h"

#include "unit/io/wire/expect_failure.h"
#include <gtest/gtest.h>

namespace openfwp::io::wire {
namespace {

using namespace frames;  // NOLINT(google-build-using-namespace): the builder vocabulary

TEST(DecodeIpv4, HeaderFields) {
  const Bytes packet = ipv4({.ttl = 17, .identification = 0xbeef}, tcp(1, 2, 3, 4, 0x02));
  const DecodeResult r = decode_ip(packet);
  ASSERT_TRUE(r.ok());
  const IpInfo& ip = r.packet.ip;
  EXPECT_EQ(ip.version, 4);
  EXPECT_EQ(ip.ttl, 17);
  EXPECT_EQ(ip.identification, 0xbeef);
  EXPECT_TRUE(ip.dont_fragment);
  EXPECT_FALSE(ip.more_fragments);
  EXPECT_EQ(ip.fragment_offset, 0);
  EXPECT_FALSE(ip.fragment.has_value());
  EXPECT_EQ(ip.total_length, 40U);
  EXPECT_EQ(ip.header_length, 20U);
  EXPECT_EQ(ip.protocol, 6);
  EXPECT_TRUE(ip.ipv4_options.empty());
  EXPECT_EQ(ip.source, IpAddress::from_v4(0x0a000001));
}

TEST(DecodeIpv4, OptionsAreSkippedAndExposed) {
  const Bytes options = {0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00};  // router alert, NOPs
  const Bytes packet = ipv4({.protocol = 17, .options = options}, udp(7, 9, {0xaa}));
  const DecodeResult r = decode_ip(packet);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.packet.ip.header_length, 28U);
  ASSERT_EQ(r.packet.ip.ipv4_options.size(), 8U);
  EXPECT_EQ(r.packet.ip.ipv4_options[0], 0x94);
  EXPECT_EQ(r.packet.ip.ipv4_options.data(), packet.data() + 20);
  EXPECT_EQ(r.packet.udp.destination_port, 9);
  EXPECT_EQ(r.packet.udp.payload.data(), packet.data() + 36);
  EXPECT_EQ(r.packet.notes, 0);
}

TEST(DecodeIpv4, BadHeaderChecksumIsANoteNotAFailure) {
  Bytes packet = ipv4({}, tcp(1, 2, 3, 4, 0x02));
  packet[10] ^= 0xff;
  const DecodeResult r = decode_ip(packet);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.packet.has_note(Note::kIpv4BadChecksum));
  EXPECT_FALSE(r.packet.has_note(Note::kTcpBadChecksum));
  EXPECT_EQ(r.packet.transport, Transport::kTcp);
}

TEST(DecodeIpv4, FirstFragmentDecodesTransport) {
  // A UDP datagram of 1000 bytes whose first fragment carries 8 + 16 bytes.
  Bytes datagram = udp(5000, 53, Bytes(992, 0x11));
  datagram.resize(24);
  const Bytes packet =
      ipv4({.protocol = 17, .identification = 77, .dont_fragment = false, .more_fragments = true},
           datagram);
  const DecodeResult r = decode_ip(packet);
  ASSERT_TRUE(r.ok()) << anomaly_name(r.failure->anomaly);
  ASSERT_TRUE(r.packet.ip.fragment.has_value());
  EXPECT_TRUE(r.packet.ip.fragment->is_first());
  EXPECT_TRUE(r.packet.ip.fragment->more_fragments);
  EXPECT_EQ(r.packet.ip.fragment->identification, 77U);
  EXPECT_EQ(r.packet.transport, Transport::kUdp);
  EXPECT_EQ(r.packet.udp.length, 1000);
  EXPECT_EQ(r.packet.udp.payload.size(), 16U);
  EXPECT_FALSE(r.packet.has_note(Note::kUdpBadChecksum));  // not checked on a fragment
}

TEST(DecodeIpv4, NonFirstFragmentStopsAtIp) {
  const Bytes packet =
      ipv4({.protocol = 6, .identification = 9, .dont_fragment = false, .fragment_offset = 1480},
           Bytes(100, 0xee));
  const DecodeResult r = decode_ip(packet);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.packet.ip.fragment_offset, 1480);
  EXPECT_FALSE(r.packet.ip.more_fragments);
  ASSERT_TRUE(r.packet.ip.fragment.has_value());
  EXPECT_EQ(r.packet.ip.fragment->offset, 1480);
  EXPECT_FALSE(r.packet.ip.fragment->is_first());
  EXPECT_EQ(r.packet.ip.protocol, 6);
  EXPECT_EQ(r.packet.transport, Transport::kNone);
}

TEST(DecodeIpv4, Anomalies) {
  const Bytes good = ipv4({}, tcp(1, 2, 3, 4, 0x02));
  expect_failure(decode_ip(Bytes(good.begin(), good.begin() + 19)), Anomaly::kTruncatedIpv4Header,
                 0);
  Bytes bad_ihl = good;
  bad_ihl[0] = 0x44;
  expect_failure(decode_ip(bad_ihl), Anomaly::kBadIpv4Ihl, 0);
  Bytes long_ihl = good;
  long_ihl[0] = 0x4f;  // 60-byte header in a 40-byte packet
  expect_failure(decode_ip(long_ihl), Anomaly::kTruncatedIpv4Header, 0);
  Bytes too_long = good;
  set16(too_long, 2, 41);
  expect_failure(decode_ip(too_long), Anomaly::kIpv4TotalLengthMismatch, 0);
  Bytes too_short = good;
  set16(too_short, 2, 19);
  const DecodeResult r = decode_ip(too_short);
  expect_failure(r, Anomaly::kIpv4TotalLengthMismatch, 0);
  EXPECT_FALSE(r.packet.has_ip);
  // Behind Ethernet, offsets count from the start of the frame.
  expect_failure(decode_frame(LinkType::kEthernet, ethernet(too_long, 0x0800)),
                 Anomaly::kIpv4TotalLengthMismatch, 14);
  expect_failure(decode_frame(LinkType::kEthernet, ethernet(ipv6({}, {}), 0x0800)),
                 Anomaly::kBadIpv4Version, 14);
}

TEST(DecodeIpv6, HeaderFields) {
  Bytes packet = ipv6({.hop_limit = 3}, tcp(1, 2, 3, 4, 0x02));
  packet[1] = 0xa1;  // traffic class 0x0a, flow label 0x1....
  packet[2] = 0x23;
  packet[3] = 0x45;
  const DecodeResult r = decode_ip(packet);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.packet.ip.version, 6);
  EXPECT_EQ(r.packet.ip.ttl, 3);
  EXPECT_EQ(r.packet.ip.traffic_class, 0x0a);
  EXPECT_EQ(r.packet.ip.flow_label, 0x12345U);
  EXPECT_EQ(r.packet.ip.total_length, 60U);
  EXPECT_EQ(r.packet.ip.header_length, 40U);
  EXPECT_EQ(r.packet.ip.source.to_string(), "2001:db8::1");
  EXPECT_EQ(r.packet.ip.destination.to_string(), "2001:db8::2");
  EXPECT_EQ(r.packet.notes, 0);
}

TEST(DecodeIpv6, ExtensionHeaderChainIsWalked) {
  const Bytes packet = ipv6(
      {.protocol = 6,
       .ext = {ext_generic(0), ext_generic(60, 2), ext_generic(43), ext_ah(), ext_generic(60)}},
      tcp(1, 80, 3, 4, 0x02));
  const DecodeResult r = decode_ip(packet);
  ASSERT_TRUE(r.ok()) << anomaly_name(r.failure->anomaly);
  const auto ext = r.packet.ip.ipv6_ext_headers();
  ASSERT_EQ(ext.size(), 5U);
  EXPECT_EQ(ext[0].type, 0);
  EXPECT_EQ(ext[0].offset, 40U);
  EXPECT_EQ(ext[1].type, 60);
  EXPECT_EQ(ext[1].length, 16U);
  EXPECT_EQ(ext[2].type, 43);
  EXPECT_EQ(ext[3].type, 51);
  EXPECT_EQ(ext[3].length, 24U);
  EXPECT_EQ(ext[4].offset, 40U + 8 + 16 + 8 + 24);
  EXPECT_EQ(r.packet.ip.header_length, 40U + 8 + 16 + 8 + 24 + 8);
  EXPECT_EQ(r.packet.ip.protocol, 6);
  EXPECT_EQ(r.packet.transport, Transport::kTcp);
  EXPECT_EQ(r.packet.tcp.destination_port, 80);
}

TEST(DecodeIpv6, EspAndNoNextHeaderEndTheWalk) {
  const Bytes esp = ipv6({.protocol = 50, .ext = {ext_generic(0)}}, Bytes(32, 0x5a));
  const DecodeResult r = decode_ip(esp);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.packet.ip.protocol, 50);
  EXPECT_EQ(r.packet.transport, Transport::kOther);
  EXPECT_EQ(r.packet.other_payload.size(), 32U);
  EXPECT_EQ(r.packet.other_payload.data(), esp.data() + 48);

  const DecodeResult none = decode_ip(ipv6({.protocol = 59, .ext = {ext_generic(60)}}, {}));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none.packet.ip.protocol, 59);
  EXPECT_EQ(none.packet.transport, Transport::kOther);
  EXPECT_TRUE(none.packet.other_payload.empty());
}

TEST(DecodeIpv6, FirstFragmentDecodesTransport) {
  Bytes datagram = tcp(443, 50000, 1, 2, 0x18, Bytes(2000, 1));
  datagram.resize(1232);
  const Bytes packet =
      ipv6({.protocol = 6, .ext = {ext_generic(0), ext_fragment(0, true, 0xdeadbeef)}}, datagram);
  const DecodeResult r = decode_ip(packet);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r.packet.ip.fragment.has_value());
  EXPECT_EQ(r.packet.ip.fragment->identification, 0xdeadbeefU);
  EXPECT_TRUE(r.packet.ip.fragment->more_fragments);
  EXPECT_TRUE(r.packet.ip.fragment->is_first());
  EXPECT_EQ(r.packet.ip.protocol, 6);
  EXPECT_EQ(r.packet.transport, Transport::kTcp);
  EXPECT_EQ(r.packet.tcp.source_port, 443);
  EXPECT_TRUE(r.packet.tcp.flags.psh);
  EXPECT_EQ(r.packet.tcp.payload.size(), 1212U);
  EXPECT_FALSE(r.packet.has_note(Note::kTcpBadChecksum));
}

TEST(DecodeIpv6, NonFirstFragmentStopsAtIp) {
  // The bytes after a non-first fragment header are data, even if they look like headers.
  const Bytes packet =
      ipv6({.protocol = 17, .ext = {ext_fragment(1232, false, 5)}}, Bytes(64, 0x00));
  const DecodeResult r = decode_ip(packet);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r.packet.ip.fragment.has_value());
  EXPECT_EQ(r.packet.ip.fragment->offset, 1232);
  EXPECT_FALSE(r.packet.ip.fragment->more_fragments);
  EXPECT_EQ(r.packet.ip.protocol, 17);
  EXPECT_EQ(r.packet.ip.header_length, 48U);
  EXPECT_EQ(r.packet.transport, Transport::kNone);
}

TEST(DecodeIpv6, Anomalies) {
  const Bytes good = ipv6({}, tcp(1, 2, 3, 4, 0x02));
  expect_failure(decode_ip(Bytes(good.begin(), good.begin() + 39)), Anomaly::kTruncatedIpv6Header,
                 0);
  Bytes long_payload = good;
  set16(long_payload, 4, 21);
  expect_failure(decode_ip(long_payload), Anomaly::kIpv6PayloadLengthMismatch, 0);
  // A hop-by-hop header claiming 16 bytes where 8 are left.
  Bytes truncated = ipv6({.protocol = 59, .ext = {ext_generic(0)}}, {});
  truncated[41] = 1;
  const DecodeResult r = decode_frame(LinkType::kEthernet, ethernet(truncated, 0x86dd));
  expect_failure(r, Anomaly::kIpv6ExtHeaderTruncated, 14 + 40);
  EXPECT_FALSE(r.packet.has_ip);
  // A fragment header needs 8 bytes.
  Bytes short_fragment = ipv6({.protocol = 44}, Bytes(6, 0));
  expect_failure(decode_ip(short_fragment), Anomaly::kIpv6ExtHeaderTruncated, 40);
  // A hop-by-hop header with only its first byte.
  expect_failure(decode_ip(ipv6({.protocol = 0}, Bytes(1, 59))), Anomaly::kIpv6ExtHeaderTruncated,
                 40);
  const std::vector<ExtHeader> nine(9, ext_generic(60));
  expect_failure(decode_ip(ipv6({.protocol = 59, .ext = nine}, {})),
                 Anomaly::kTooManyIpv6ExtHeaders, 40 + 8 * 8);
  const std::vector<ExtHeader> eight(8, ext_generic(60));
  EXPECT_TRUE(decode_ip(ipv6({.protocol = 59, .ext = eight}, {})).ok());
}

TEST(DecodeIpv6, TrailerAfterPayloadLength) {
  Bytes frame = ethernet(ipv6({.protocol = 17}, udp(1, 2)), 0x86dd);
  frame.resize(frame.size() + 4, 0xff);  // an FCS the capture kept
  const DecodeResult r = decode_frame(LinkType::kEthernet, frame);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.packet.link.trailer_length, 4U);
  EXPECT_EQ(r.packet.notes, 0);
}

}  // namespace
}  // namespace openfwp::io::wire
