// SPDX-License-Identifier: Apache-2.0
// Truncation at every byte: each prefix of a valid frame yields a named anomaly at an offset
// within the prefix (never a crash, never a read past the span), and the anomaly is the one
// for the layer the cut falls in.
#include "io/wire/decode.h"
#include "support/frame_builder.h"

#include <gtest/gtest.h>

namespace openfwp::io::wire {
namespace {

using namespace frames;  // NOLINT(google-build-using-namespace): the builder vocabulary

/// Decodes `frame[0, n)` from a copy that ends exactly at n, so a sanitizer sees any overread.
DecodeResult decode_prefix(LinkType link, const Bytes& frame, std::size_t n) {
  const Bytes prefix(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(n));
  DecodeResult r = decode_frame(link, prefix);
  if (!r.ok()) {
    EXPECT_FALSE(anomaly_name(r.failure->anomaly).empty());
    EXPECT_LE(r.failure->offset, n);
  }
  return r;
}

TEST(DecodeTruncation, EveryPrefixOfAnEthernetIpv4TcpFrame) {
  const Bytes frame =
      ethernet(ipv4({.options = {1, 1, 1, 0}}, tcp(1, 2, 3, 4, 0x18, {'d', 'a', 't', 'a'})), 0x0800,
               {{0x8100, 10}});
  ASSERT_TRUE(decode_frame(LinkType::kEthernet, frame).ok());
  for (std::size_t n = 0; n < frame.size(); ++n) {
    const DecodeResult r = decode_prefix(LinkType::kEthernet, frame, n);
    ASSERT_FALSE(r.ok()) << n;
    Anomaly expected = Anomaly::kIpv4TotalLengthMismatch;
    if (n < 14) {
      expected = Anomaly::kTruncatedEthernet;
    } else if (n < 18) {
      expected = Anomaly::kTruncatedVlanTag;
    } else if (n < 18 + 24) {
      expected = Anomaly::kTruncatedIpv4Header;
    }
    EXPECT_EQ(anomaly_name(r.failure->anomaly), anomaly_name(expected)) << n;
  }
}

TEST(DecodeTruncation, EveryPrefixOfAnIpv6UdpPacket) {
  const Bytes packet = ipv6({.protocol = 17, .ext = {ext_generic(0)}}, udp(53, 5353, {1, 2, 3}));
  ASSERT_TRUE(decode_ip(packet).ok());
  for (std::size_t n = 0; n < packet.size(); ++n) {
    const DecodeResult r = decode_prefix(LinkType::kRaw, packet, n);
    ASSERT_FALSE(r.ok()) << n;
    const Anomaly expected = n == 0   ? Anomaly::kEmptyIpPacket
                             : n < 40 ? Anomaly::kTruncatedIpv6Header
                                      : Anomaly::kIpv6PayloadLengthMismatch;
    EXPECT_EQ(anomaly_name(r.failure->anomaly), anomaly_name(expected)) << n;
  }
}

TEST(DecodeTruncation, EveryPrefixOfASll2Ipv6UdpFrame) {
  const Bytes frame = linux_sll2(ipv6({.protocol = 17}, udp(53, 5353, {1})), 0x86dd, 2, 4);
  for (std::size_t n = 0; n < frame.size(); ++n) {
    const DecodeResult r = decode_prefix(LinkType::kLinuxSll2, frame, n);
    ASSERT_FALSE(r.ok()) << n;
  }
}

// The IP header stays consistent (lengths describe the cut packet): the cut lands in the
// transport header itself.
TEST(DecodeTruncation, EveryCutOfATcpHeaderInsideAConsistentIpv4Packet) {
  const Bytes segment = tcp(1, 2, 3, 4, 0x02, {}, {2, 4, 5, 0xb4});
  for (std::size_t n = 0; n < segment.size(); ++n) {
    const Bytes cut(segment.begin(), segment.begin() + static_cast<std::ptrdiff_t>(n));
    const DecodeResult r = decode_ip(ipv4({}, cut));
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_EQ(anomaly_name(r.failure->anomaly), "truncated_tcp_header") << n;
    EXPECT_EQ(r.failure->offset, 20U);
    EXPECT_TRUE(r.packet.has_ip);
  }
}

TEST(DecodeTruncation, EveryCutOfAUdpHeaderInsideAConsistentIpv6Packet) {
  const Bytes datagram = udp(1, 2, {7, 7});
  for (std::size_t n = 0; n < datagram.size(); ++n) {
    const Bytes cut(datagram.begin(), datagram.begin() + static_cast<std::ptrdiff_t>(n));
    const DecodeResult r = decode_ip(ipv6({.protocol = 17}, cut));
    ASSERT_FALSE(r.ok()) << n;
    const char* expected = n < 8 ? "truncated_udp_header" : "udp_length_mismatch";
    EXPECT_EQ(anomaly_name(r.failure->anomaly), expected) << n;
    EXPECT_EQ(r.failure->offset, 40U);
  }
}

TEST(DecodeTruncation, EveryPrefixOfAnIcmpErrorFrame) {
  const Bytes original = ipv4({.protocol = 6}, tcp(1, 2, 3, 4, 0x02));
  const Bytes frame = ethernet(
      ipv4({.protocol = 1}, icmp(3, 1, 0, Bytes(original.begin(), original.begin() + 28))), 0x0800);
  ASSERT_TRUE(decode_frame(LinkType::kEthernet, frame).ok());
  for (std::size_t n = 0; n < frame.size(); ++n) {
    EXPECT_FALSE(decode_prefix(LinkType::kEthernet, frame, n).ok()) << n;
  }
}

}  // namespace
}  // namespace openfwp::io::wire
