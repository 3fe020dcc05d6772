// SPDX-License-Identifier: Apache-2.0
// Transport layer: TCP fields and flags, UDP lengths, ICMP/ICMPv6 (errors with the quoted
// original 5-tuple), checksum notes, other protocols, and the transport-level anomalies.
#include "io/wire/decode.h"
#include "support/frame_builder.h"

#include "unit/io/wire/expect_failure.h"
#include <gtest/gtest.h>

namespace openfwp::io::wire {
namespace {

using namespace frames;  // NOLINT(google-build-using-namespace): the builder vocabulary

TEST(DecodeTcp, FieldsFlagsOptionsAndPayload) {
  const Bytes options = {0x02, 0x04, 0x05, 0xb4};  // MSS 1460
  const Bytes packet = ipv4({}, tcp(40000, 443, 0x01020304, 0xa0b0c0d0, 0xff, {'h', 'i'}, options));
  const DecodeResult r = decode_ip(packet);
  ASSERT_TRUE(r.ok());
  const TcpInfo& t = r.packet.tcp;
  EXPECT_EQ(t.source_port, 40000);
  EXPECT_EQ(t.destination_port, 443);
  EXPECT_EQ(t.seq, 0x01020304U);
  EXPECT_EQ(t.ack, 0xa0b0c0d0U);
  EXPECT_EQ(t.flag_bits, 0xff);
  EXPECT_TRUE(t.flags.fin && t.flags.syn && t.flags.rst && t.flags.psh && t.flags.ack &&
              t.flags.urg && t.flags.ece && t.flags.cwr);
  EXPECT_EQ(t.header_length, 24);
  EXPECT_EQ(t.window, 65535);
  ASSERT_EQ(t.options.size(), 4U);
  EXPECT_EQ(t.options[3], 0xb4);
  ASSERT_EQ(t.payload.size(), 2U);
  EXPECT_EQ(t.payload.data(), packet.data() + 44);
  EXPECT_EQ(t.payload[1], 'i');
  EXPECT_EQ(r.packet.notes, 0);
}

TEST(DecodeTcp, EachFlagBit) {
  const struct {
    std::uint8_t bits;
    bool TcpFlags::*flag;
  } cases[] = {{0x01, &TcpFlags::fin}, {0x02, &TcpFlags::syn}, {0x04, &TcpFlags::rst},
               {0x08, &TcpFlags::psh}, {0x10, &TcpFlags::ack}, {0x20, &TcpFlags::urg},
               {0x40, &TcpFlags::ece}, {0x80, &TcpFlags::cwr}};
  for (const auto& c : cases) {
    const DecodeResult r = decode_ip(ipv6({}, tcp(1, 2, 3, 4, c.bits)));
    ASSERT_TRUE(r.ok());
    const TcpFlags& f = r.packet.tcp.flags;
    const int set = f.fin + f.syn + f.rst + f.psh + f.ack + f.urg + f.ece + f.cwr;
    EXPECT_EQ(set, 1) << int{c.bits};
    EXPECT_TRUE(f.*(c.flag)) << int{c.bits};
  }
}

TEST(DecodeTcp, BadChecksumIsANote) {
  Bytes packet = ipv6({}, tcp(1, 2, 3, 4, 0x02));
  packet[40 + 16] ^= 0x01;
  const DecodeResult r = decode_ip(packet);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.packet.has_note(Note::kTcpBadChecksum));
  EXPECT_EQ(r.packet.transport, Transport::kTcp);
}

TEST(DecodeTcp, Anomalies) {
  Bytes bad_offset = ipv4({}, tcp(1, 2, 3, 4, 0x02));
  bad_offset[20 + 12] = 0x40;
  const DecodeResult r = decode_frame(LinkType::kEthernet, ethernet(bad_offset, 0x0800));
  expect_failure(r, Anomaly::kBadTcpDataOffset, 14 + 20);
  EXPECT_TRUE(r.packet.has_ip);  // the IP layer is still known to the caller
  EXPECT_EQ(r.packet.ip.protocol, 6);
  EXPECT_EQ(r.packet.transport, Transport::kNone);
  Bytes long_offset = ipv4({}, tcp(1, 2, 3, 4, 0x02));
  long_offset[20 + 12] = 0x60;  // 24-byte header, 20 there
  expect_failure(decode_ip(long_offset), Anomaly::kTruncatedTcpHeader, 20);
  expect_failure(decode_ip(ipv4({}, Bytes(19, 0))), Anomaly::kTruncatedTcpHeader, 20);
}

TEST(DecodeUdp, FieldsAndZeroChecksumOnIpv4) {
  Bytes packet = ipv4({.protocol = 17, .fill_l4_checksum = false}, udp(68, 67, {1, 2, 3}));
  const DecodeResult r = decode_ip(packet);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.packet.transport, Transport::kUdp);
  EXPECT_EQ(r.packet.udp.source_port, 68);
  EXPECT_EQ(r.packet.udp.destination_port, 67);
  EXPECT_EQ(r.packet.udp.length, 11);
  EXPECT_EQ(r.packet.udp.checksum, 0);
  ASSERT_EQ(r.packet.udp.payload.size(), 3U);
  EXPECT_EQ(r.packet.udp.payload.data(), packet.data() + 28);
  EXPECT_EQ(r.packet.notes, 0);  // zero means "no checksum" for IPv4
  const DecodeResult v6 = decode_ip(ipv6({.protocol = 17, .fill_l4_checksum = false}, udp(1, 2)));
  ASSERT_TRUE(v6.ok());
  EXPECT_TRUE(v6.packet.has_note(Note::kUdpBadChecksum));  // but not for IPv6
}

TEST(DecodeUdp, ShorterUdpLengthLeavesPaddingOutOfThePayload) {
  Bytes datagram = udp(1, 2, {9, 9});
  datagram.resize(datagram.size() + 6, 0);
  const DecodeResult r = decode_ip(ipv4({.protocol = 17, .fill_l4_checksum = false}, datagram));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.packet.udp.payload.size(), 2U);
}

TEST(DecodeUdp, Anomalies) {
  expect_failure(decode_ip(ipv6({.protocol = 17}, Bytes(7, 0))), Anomaly::kTruncatedUdpHeader, 40);
  Bytes too_long = udp(1, 2, {1});
  set16(too_long, 4, 10);
  expect_failure(decode_ip(ipv4({.protocol = 17}, too_long)), Anomaly::kUdpLengthMismatch, 20);
  Bytes too_short = udp(1, 2, {1});
  set16(too_short, 4, 7);
  expect_failure(decode_ip(ipv6({.protocol = 17}, too_short)), Anomaly::kUdpLengthMismatch, 40);
}

TEST(DecodeIcmp, EchoIsNotAnError) {
  const DecodeResult r = decode_ip(ipv4({.protocol = 1}, icmp(8, 0, 0x00010002, {'p'})));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.packet.transport, Transport::kIcmp);
  EXPECT_EQ(r.packet.icmp.type, 8);
  EXPECT_EQ(r.packet.icmp.rest_of_header, 0x00010002U);
  EXPECT_FALSE(r.packet.icmp.is_error);
  EXPECT_FALSE(r.packet.icmp.quoted.has_value());
  EXPECT_EQ(r.packet.icmp.payload.size(), 1U);
  EXPECT_EQ(r.packet.notes, 0);
}

TEST(DecodeIcmp, V4ErrorQuotesTheOriginalFiveTuple) {
  // Port unreachable for a UDP datagram 10.0.0.2:5353 → 10.0.0.9:33434; quote = IP + 8 bytes.
  const Bytes original = ipv4({.source = 0x0a000002, .destination = 0x0a000009, .protocol = 17},
                              udp(5353, 33434, Bytes(100, 0)));
  const Bytes quote(original.begin(), original.begin() + 28);
  const Bytes packet =
      ipv4({.source = 0x0a000009, .destination = 0x0a000002, .protocol = 1}, icmp(3, 3, 0, quote));
  const DecodeResult r = decode_frame(LinkType::kEthernet, ethernet(packet, 0x0800));
  ASSERT_TRUE(r.ok()) << anomaly_name(r.failure->anomaly);
  const IcmpInfo& icmp_info = r.packet.icmp;
  EXPECT_EQ(icmp_info.type, 3);
  EXPECT_EQ(icmp_info.code, 3);
  EXPECT_TRUE(icmp_info.is_error);
  ASSERT_TRUE(icmp_info.quoted.has_value());
  const QuotedPacket& q = *icmp_info.quoted;
  EXPECT_EQ(q.version, 4);
  EXPECT_EQ(q.source.to_string(), "10.0.0.2");
  EXPECT_EQ(q.destination.to_string(), "10.0.0.9");
  EXPECT_EQ(q.protocol, 17);
  ASSERT_TRUE(q.has_ports);
  EXPECT_EQ(q.source_port, 5353);
  EXPECT_EQ(q.destination_port, 33434);
  EXPECT_EQ(r.packet.notes, 0);
}

TEST(DecodeIcmp, V4TimeExceededQuotingAnEcho) {
  const Bytes original = ipv4({.protocol = 1}, icmp(8, 0, 7));
  const DecodeResult r = decode_ip(ipv4({.protocol = 1}, icmp(11, 0, 0, original)));
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r.packet.icmp.quoted.has_value());
  EXPECT_FALSE(r.packet.icmp.quoted->has_ports);
  EXPECT_TRUE(r.packet.icmp.quoted->has_icmp);
  EXPECT_EQ(r.packet.icmp.quoted->icmp_type, 8);
}

TEST(DecodeIcmp, V6ErrorQuotesThroughExtensionHeaders) {
  // Packet too big for a TCP segment that carried a destination-options header.
  const Bytes original =
      ipv6({.source = v6(2), .destination = v6(9), .protocol = 6, .ext = {ext_generic(60)}},
           tcp(50000, 443, 1, 2, 0x10, Bytes(1400, 0)));
  const Bytes quote(original.begin(), original.begin() + 1232);
  const Bytes packet =
      ipv6({.source = v6(1, 0xfe), .destination = v6(2), .protocol = 58}, icmp(2, 0, 1280, quote));
  const DecodeResult r = decode_frame(LinkType::kLinuxSll, linux_sll(packet, 0x86dd, 0));
  ASSERT_TRUE(r.ok()) << anomaly_name(r.failure->anomaly);
  EXPECT_EQ(r.packet.icmp.type, 2);
  EXPECT_EQ(r.packet.icmp.rest_of_header, 1280U);
  EXPECT_TRUE(r.packet.icmp.is_error);
  ASSERT_TRUE(r.packet.icmp.quoted.has_value());
  const QuotedPacket& q = *r.packet.icmp.quoted;
  EXPECT_EQ(q.version, 6);
  EXPECT_EQ(q.source.to_string(), "2001:db8::2");
  EXPECT_EQ(q.destination.to_string(), "2001:db8::9");
  EXPECT_EQ(q.protocol, 6);
  ASSERT_TRUE(q.has_ports);
  EXPECT_EQ(q.source_port, 50000);
  EXPECT_EQ(q.destination_port, 443);
  EXPECT_EQ(r.packet.notes, 0);  // the ICMPv6 checksum includes the pseudo-header
}

TEST(DecodeIcmp, V6EchoAndBadChecksum) {
  Bytes packet = ipv6({.protocol = 58}, icmp(128, 0, 0x12345678));
  const DecodeResult ok = decode_ip(packet);
  ASSERT_TRUE(ok.ok());
  EXPECT_FALSE(ok.packet.icmp.is_error);
  EXPECT_EQ(ok.packet.notes, 0);
  packet[42] ^= 1;
  EXPECT_TRUE(decode_ip(packet).packet.has_note(Note::kIcmpBadChecksum));
}

TEST(DecodeIcmp, Anomalies) {
  expect_failure(decode_ip(ipv4({.protocol = 1}, Bytes(7, 0))), Anomaly::kTruncatedIcmp, 20);
  expect_failure(decode_ip(ipv6({.protocol = 58}, Bytes(4, 0))), Anomaly::kTruncatedIcmp, 40);
  // An error whose quote is too short to hold an IP header.
  const DecodeResult r = decode_ip(ipv4({.protocol = 1}, icmp(3, 1, 0, Bytes(12, 0x45))));
  expect_failure(r, Anomaly::kTruncatedIcmpQuote, 28);
  EXPECT_EQ(r.packet.transport, Transport::kIcmp);  // the ICMP header itself was fine
  EXPECT_EQ(r.packet.icmp.type, 3);
  expect_failure(decode_ip(ipv6({.protocol = 58}, icmp(1, 4, 0, {}))), Anomaly::kTruncatedIcmpQuote,
                 48);
}

TEST(DecodeOther, ProtocolNumberAndPayload) {
  const Bytes packet = ipv4({.protocol = 47}, Bytes(12, 0x33));  // GRE
  const DecodeResult r = decode_ip(packet);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.packet.transport, Transport::kOther);
  EXPECT_EQ(r.packet.ip.protocol, 47);
  EXPECT_EQ(r.packet.other_payload.size(), 12U);
  EXPECT_EQ(r.packet.other_payload.data(), packet.data() + 20);
  // ICMPv6 inside IPv4 is just another protocol.
  EXPECT_EQ(decode_ip(ipv4({.protocol = 58}, Bytes(8, 0))).packet.transport, Transport::kOther);
}

}  // namespace
}  // namespace openfwp::io::wire
