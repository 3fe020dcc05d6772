// SPDX-License-Identifier: Apache-2.0
// FragmentReassembler: IPv4 and IPv6 datagrams rebuilt from fragments in any order into the
// packet an unfragmented sender would have sent (byte for byte, checksums valid, decodable to
// TCP/UDP); duplicates ignored; overlaps, conflicting ends, bad lengths and the limits named;
// timeouts on the capture clock; hostile bytes never crash it.
#include "io/wire/fragment_reassembly.h"

#include "io/wire/decode.h"
#include "support/frame_builder.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace openfwp::io::wire {
namespace {

using namespace frames;  // NOLINT(google-build-using-namespace): the builder vocabulary

constexpr std::uint64_t kSecond = 1'000'000'000;

Bytes pattern(std::size_t n, unsigned seed = 3) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>((i * 7 + seed) & 0xff);
  return b;
}

// Decodes `packet` as a bare IP packet and adds it, as a driver would.
ReassemblyOutcome feed(FragmentReassembler& r, const Bytes& packet, std::uint64_t frame,
                       std::uint64_t time_ns = 0) {
  const DecodeResult decoded = decode_ip(packet);
  return r.add(decoded.packet, packet, time_ns, frame);
}

std::string reason(const ReassemblyOutcome& o) {
  return o.reason ? std::string(reassembly_discard_name(*o.reason)) : "(none)";
}

const Ipv4Spec udp4_spec{.protocol = 17, .identification = 0x4242, .dont_fragment = false};
const Ipv6Spec udp6_spec{.protocol = 17};

// 3000 bytes of UDP data: 3008 bytes in fragments of 1480, 1480 and 48 (a 1500-byte MTU).
Bytes udp_datagram() { return udp(5000, 6000, pattern(3000)); }
std::vector<Bytes> udp4_fragments() { return ipv4_fragments(udp4_spec, udp_datagram(), 1480); }

TEST(FragmentReassembly, Ipv4InOrderRebuildsTheUnfragmentedPacket) {
  const auto fragments = udp4_fragments();
  ASSERT_EQ(fragments.size(), 3U);
  FragmentReassembler r;
  EXPECT_EQ(feed(r, fragments[0], 0).status, FragmentStatus::kHeld);
  EXPECT_EQ(feed(r, fragments[1], 1).status, FragmentStatus::kHeld);
  EXPECT_EQ(r.datagrams_in_progress(), 1U);
  EXPECT_EQ(r.bytes_in_progress(), 20U + 2 * 1480);
  const ReassemblyOutcome done = feed(r, fragments[2], 2);
  ASSERT_EQ(done.status, FragmentStatus::kComplete) << reason(done);
  EXPECT_EQ(done.frames, (std::vector<std::uint64_t>{0, 1, 2}));
  EXPECT_EQ(done.key.version, 4);
  EXPECT_EQ(done.key.protocol, 17);
  EXPECT_EQ(done.key.identification, 0x4242U);
  // Byte for byte what the sender would have sent unfragmented: MF and offset cleared, total
  // length and header checksum recomputed.
  EXPECT_EQ(done.packet, ipv4(udp4_spec, udp_datagram()));
  EXPECT_EQ(r.datagrams_in_progress(), 0U);
  EXPECT_EQ(r.bytes_in_progress(), 0U);
}

TEST(FragmentReassembly, ReassembledUdpDecodesWithValidChecksums) {
  const auto fragments = udp4_fragments();
  FragmentReassembler r;
  feed(r, fragments[0], 0);
  feed(r, fragments[1], 1);
  const ReassemblyOutcome done = feed(r, fragments[2], 2);
  ASSERT_EQ(done.status, FragmentStatus::kComplete);
  const DecodeResult d = decode_ip(done.packet);
  ASSERT_TRUE(d.ok()) << anomaly_name(d.failure->anomaly);
  EXPECT_EQ(d.packet.notes, 0);  // IPv4 header and UDP checksums both verify
  EXPECT_FALSE(d.packet.ip.fragment.has_value());
  EXPECT_FALSE(d.packet.ip.more_fragments);
  EXPECT_EQ(d.packet.ip.fragment_offset, 0);
  EXPECT_EQ(d.packet.ip.total_length, 3028U);
  ASSERT_EQ(d.packet.transport, Transport::kUdp);
  EXPECT_EQ(d.packet.udp.source_port, 5000);
  EXPECT_EQ(d.packet.udp.destination_port, 6000);
  EXPECT_EQ(d.packet.udp.length, 3008);
  EXPECT_EQ(Bytes(d.packet.udp.payload.begin(), d.packet.udp.payload.end()), pattern(3000));
}

TEST(FragmentReassembly, AnyArrivalOrderGivesTheSamePacket) {
  const auto fragments = udp4_fragments();
  const Bytes expected = ipv4(udp4_spec, udp_datagram());
  for (const auto& order : std::vector<std::vector<std::size_t>>{
           {2, 1, 0}, {2, 0, 1}, {1, 2, 0}, {1, 0, 2}, {0, 2, 1}}) {
    FragmentReassembler r;
    ReassemblyOutcome last;
    for (const std::size_t i : order) last = feed(r, fragments[i], i);
    ASSERT_EQ(last.status, FragmentStatus::kComplete) << reason(last);
    EXPECT_EQ(last.packet, expected);
    EXPECT_EQ(last.frames, (std::vector<std::uint64_t>{0, 1, 2})) << "frames by offset";
  }
}

TEST(FragmentReassembly, IdenticalDuplicatesAreIgnoredAndCounted) {
  const auto fragments = udp4_fragments();
  FragmentReassembler r;
  feed(r, fragments[0], 0);
  EXPECT_EQ(feed(r, fragments[0], 1).status, FragmentStatus::kDuplicate);
  feed(r, fragments[2], 2);
  EXPECT_EQ(feed(r, fragments[2], 3).status, FragmentStatus::kDuplicate);
  const ReassemblyOutcome done = feed(r, fragments[1], 4);
  ASSERT_EQ(done.status, FragmentStatus::kComplete);
  EXPECT_EQ(done.duplicates, 2U);
  EXPECT_EQ(done.frames, (std::vector<std::uint64_t>{0, 4, 2}));
  EXPECT_EQ(done.packet, ipv4(udp4_spec, udp_datagram()));
}

TEST(FragmentReassembly, ARefragmentedDuplicateAcrossTwoHeldFragmentsIsADuplicate) {
  const Bytes datagram = udp(1, 2, pattern(40));  // 48 bytes of data
  const auto by8 = ipv4_fragments(udp4_spec, datagram, 8);
  const auto by16 = ipv4_fragments(udp4_spec, datagram, 16);
  FragmentReassembler r;
  feed(r, by8[0], 0);
  feed(r, by8[1], 1);
  EXPECT_EQ(feed(r, by16[0], 2).status, FragmentStatus::kDuplicate);  // [0,16) = [0,8)+[8,16)
  feed(r, by16[1], 3);
  const ReassemblyOutcome done = feed(r, by16[2], 4);
  ASSERT_EQ(done.status, FragmentStatus::kComplete);
  EXPECT_EQ(done.frames, (std::vector<std::uint64_t>{0, 1, 3, 4}));
  EXPECT_EQ(done.packet, ipv4(udp4_spec, datagram));
}

TEST(FragmentReassembly, Ipv4OverlapWithOtherBytesDropsTheWholeDatagram) {
  const auto fragments = udp4_fragments();
  FragmentReassembler r;
  feed(r, fragments[0], 0);
  feed(r, fragments[2], 1);
  Ipv4Spec other = udp4_spec;
  other.more_fragments = true;
  const ReassemblyOutcome o = feed(r, ipv4(other, Bytes(1480, 0xee)), 2);
  ASSERT_EQ(o.status, FragmentStatus::kDiscarded);
  EXPECT_EQ(reason(o), "fragment_overlap");
  EXPECT_EQ(o.frames, (std::vector<std::uint64_t>{0, 1, 2}));
  EXPECT_EQ(r.datagrams_in_progress(), 0U);
  EXPECT_EQ(r.bytes_in_progress(), 0U);
  // Later fragments of the key start a new datagram.
  EXPECT_EQ(feed(r, fragments[1], 3).status, FragmentStatus::kHeld);
}

TEST(FragmentReassembly, APartialOverlapIsAnOverlapEvenWithMatchingBytes) {
  const auto fragments = udp4_fragments();
  const Bytes data(fragments[1].begin() + 20, fragments[1].end());  // [1480, 2960)
  FragmentReassembler r;
  feed(r, fragments[0], 0);  // [0, 1480)
  Ipv4Spec straddle = udp4_spec;
  straddle.more_fragments = true;
  straddle.fragment_offset = 1472;  // [1472, 1488): 8 held bytes, 8 new ones
  Bytes bytes(fragments[0].end() - 8, fragments[0].end());
  bytes.insert(bytes.end(), data.begin(), data.begin() + 8);
  const ReassemblyOutcome o = feed(r, ipv4(straddle, bytes), 1);
  EXPECT_EQ(reason(o), "fragment_overlap");
  EXPECT_EQ(o.frames, (std::vector<std::uint64_t>{0, 1}));
}

TEST(FragmentReassembly, Ipv6OverlapDropsTheWholeDatagram) {  // RFC 5722
  const auto fragments = ipv6_fragments(udp6_spec, udp_datagram(), 1448, 7);
  ASSERT_EQ(fragments.size(), 3U);
  FragmentReassembler r;
  feed(r, fragments[1], 0);
  Ipv6Spec overlapping = udp6_spec;
  overlapping.ext = {ext_fragment(1440, true, 7)};  // [1440, 1456) meets [1448, 2896)
  const ReassemblyOutcome o = feed(r, ipv6(overlapping, Bytes(16, 0)), 1);
  ASSERT_EQ(o.status, FragmentStatus::kDiscarded);
  EXPECT_EQ(reason(o), "fragment_overlap");
  EXPECT_EQ(o.key.version, 6);
  EXPECT_EQ(o.key.identification, 7U);
  EXPECT_EQ(o.frames, (std::vector<std::uint64_t>{0, 1}));
  EXPECT_EQ(r.datagrams_in_progress(), 0U);
}

TEST(FragmentReassembly, TwoDifferentEndsDropTheDatagram) {
  const auto fragments = udp4_fragments();
  Ipv4Spec short_last = udp4_spec;
  short_last.fragment_offset = 1480;  // MF = 0: claims the datagram ends at 1488
  {
    FragmentReassembler r;
    feed(r, fragments[2], 0);  // ends at 3008
    const ReassemblyOutcome o = feed(r, ipv4(short_last, Bytes(8, 1)), 1);
    EXPECT_EQ(reason(o), "conflicting_last_fragment");
    EXPECT_EQ(o.frames, (std::vector<std::uint64_t>{0, 1}));
  }
  {  // a last fragment that ends before data already held
    FragmentReassembler r;
    feed(r, fragments[1], 0);  // [1480, 2960)
    EXPECT_EQ(reason(feed(r, ipv4(short_last, Bytes(8, 1)), 1)), "conflicting_last_fragment");
  }
  {  // data beyond a known end
    FragmentReassembler r;
    feed(r, fragments[2], 0);
    Ipv4Spec beyond = udp4_spec;
    beyond.more_fragments = true;
    beyond.fragment_offset = 3008;
    EXPECT_EQ(reason(feed(r, ipv4(beyond, Bytes(8, 1)), 1)), "conflicting_last_fragment");
    EXPECT_EQ(r.datagrams_in_progress(), 0U);
  }
}

TEST(FragmentReassembly, ANonLastFragmentNotAMultipleOf8DropsOnlyItself) {
  const auto fragments = udp4_fragments();
  FragmentReassembler r;
  feed(r, fragments[0], 0);
  Ipv4Spec odd = udp4_spec;
  odd.more_fragments = true;
  odd.fragment_offset = 1480;
  const ReassemblyOutcome o = feed(r, ipv4(odd, Bytes(12, 1)), 1);
  ASSERT_EQ(o.status, FragmentStatus::kDiscarded);
  EXPECT_EQ(reason(o), "fragment_bad_length");
  EXPECT_EQ(o.frames, (std::vector<std::uint64_t>{1}));
  // An empty non-last fragment is no better.
  EXPECT_EQ(reason(feed(r, ipv4(odd, {}), 2)), "fragment_bad_length");
  EXPECT_EQ(r.datagrams_in_progress(), 1U);
  feed(r, fragments[1], 3);
  EXPECT_EQ(feed(r, fragments[2], 4).status, FragmentStatus::kComplete);
}

TEST(FragmentReassembly, AnEmptyLastFragmentNamesTheEnd) {
  const Bytes datagram = udp(1, 2, pattern(8));  // 16 bytes of data
  Ipv4Spec first = udp4_spec;
  first.more_fragments = true;
  Ipv4Spec last = udp4_spec;
  last.fragment_offset = 16;
  FragmentReassembler r;
  EXPECT_EQ(feed(r, ipv4(last, {}), 0).status, FragmentStatus::kHeld);
  EXPECT_EQ(feed(r, ipv4(last, {}), 1).status, FragmentStatus::kDuplicate);
  const Bytes whole = ipv4(udp4_spec, datagram);  // its UDP checksum, as the sender computed it
  const ReassemblyOutcome done = feed(r, ipv4(first, Bytes(whole.begin() + 20, whole.end())), 2);
  ASSERT_EQ(done.status, FragmentStatus::kComplete) << reason(done);
  EXPECT_EQ(done.packet, ipv4(udp4_spec, datagram));
  EXPECT_EQ(done.frames, (std::vector<std::uint64_t>{2, 0}));
}

TEST(FragmentReassembly, ADatagramBeyond65535BytesIsTooLarge) {
  Ipv4Spec far = udp4_spec;
  far.fragment_offset = 65528;  // the largest offset: 20 + 65528 + 8 > 65535
  FragmentReassembler r;
  const ReassemblyOutcome o = feed(r, ipv4(far, Bytes(8, 0)), 0);
  EXPECT_EQ(reason(o), "fragment_too_large");
  EXPECT_EQ(r.datagrams_in_progress(), 0U);
}

TEST(FragmentReassembly, TheDatagramLimitCountsTheHeader) {
  const auto fragments = udp4_fragments();  // 20 + 3008 = 3028 bytes reassembled
  {
    FragmentReassembler r({.max_datagram_bytes = 3028});
    feed(r, fragments[0], 0);
    feed(r, fragments[1], 1);
    EXPECT_EQ(feed(r, fragments[2], 2).status, FragmentStatus::kComplete);
  }
  {
    FragmentReassembler r({.max_datagram_bytes = 3027});
    feed(r, fragments[0], 0);
    feed(r, fragments[1], 1);
    const ReassemblyOutcome o = feed(r, fragments[2], 2);
    EXPECT_EQ(reason(o), "fragment_too_large");
    EXPECT_EQ(o.frames, (std::vector<std::uint64_t>{2})) << "the fragment alone";
    EXPECT_EQ(r.datagrams_in_progress(), 1U);
  }
}

TEST(FragmentReassembly, TooManyFragmentsDropsTheDatagram) {
  FragmentReassembler r({.max_fragments_per_datagram = 2});
  const auto fragments = udp4_fragments();
  feed(r, fragments[0], 0);
  feed(r, fragments[1], 1);
  const ReassemblyOutcome o = feed(r, fragments[2], 2);
  EXPECT_EQ(reason(o), "too_many_fragments");
  EXPECT_EQ(o.frames, (std::vector<std::uint64_t>{0, 1, 2}));
  EXPECT_EQ(r.bytes_in_progress(), 0U);
}

Bytes first_fragment(std::uint16_t id) {
  Ipv4Spec s = udp4_spec;
  s.identification = id;
  return ipv4_fragments(s, udp_datagram(), 1480)[0];
}

TEST(FragmentReassembly, ANewDatagramBeyondTheLimitEvictsTheOldest) {
  FragmentReassembler r({.max_datagrams_in_progress = 2});
  feed(r, first_fragment(1), 10, 1 * kSecond);
  feed(r, first_fragment(2), 11, 2 * kSecond);
  const ReassemblyOutcome o = feed(r, first_fragment(3), 12, 3 * kSecond);
  EXPECT_EQ(o.status, FragmentStatus::kHeld);
  ASSERT_EQ(o.evicted.size(), 1U);
  EXPECT_EQ(reassembly_discard_name(o.evicted[0].reason), "too_many_datagrams_in_progress");
  EXPECT_EQ(o.evicted[0].key.identification, 1U);
  EXPECT_EQ(o.evicted[0].frames, (std::vector<std::uint64_t>{10}));
  EXPECT_EQ(o.evicted[0].bytes, 1480U);
  EXPECT_EQ(o.evicted[0].first_seen_ns, 1 * kSecond);
  EXPECT_EQ(r.datagrams_in_progress(), 2U);
}

TEST(FragmentReassembly, TheByteLimitEvictsOthersThenTheDatagramItself) {
  const auto fragments = udp4_fragments();
  {
    FragmentReassembler r({.max_bytes_in_progress = 4000});
    feed(r, fragments[0], 0);                                   // 20 + 1480 held
    feed(r, fragments[1], 1);                                   // + 1480 = 2980
    const ReassemblyOutcome o = feed(r, first_fragment(9), 2);  // 1500 more: no room
    EXPECT_EQ(o.status, FragmentStatus::kHeld);
    ASSERT_EQ(o.evicted.size(), 1U);
    EXPECT_EQ(reassembly_discard_name(o.evicted[0].reason), "fragment_memory_limit");
    EXPECT_EQ(o.evicted[0].frames, (std::vector<std::uint64_t>{0, 1}));
    EXPECT_EQ(r.bytes_in_progress(), 1500U);
  }
  {
    FragmentReassembler r({.max_bytes_in_progress = 2000});
    feed(r, fragments[0], 0);
    const ReassemblyOutcome o = feed(r, fragments[1], 1);  // nobody else to evict
    EXPECT_EQ(reason(o), "fragment_memory_limit");
    EXPECT_EQ(o.frames, (std::vector<std::uint64_t>{0, 1}));
    EXPECT_EQ(r.bytes_in_progress(), 0U);
  }
}

TEST(FragmentReassembly, DatagramsTimeOutAfter30sForIpv4And60sForIpv6) {
  FragmentReassembler r;
  feed(r, udp4_fragments()[0], 0, 5 * kSecond);
  feed(r, ipv6_fragments(udp6_spec, udp_datagram(), 1448, 7)[1], 1, 5 * kSecond);
  EXPECT_TRUE(r.expire(35 * kSecond - 1).empty());
  const auto v4 = r.expire(35 * kSecond);
  ASSERT_EQ(v4.size(), 1U);
  EXPECT_EQ(reassembly_discard_name(v4[0].reason), "fragment_reassembly_timeout");
  EXPECT_EQ(v4[0].key.version, 4);
  EXPECT_EQ(v4[0].frames, (std::vector<std::uint64_t>{0}));
  EXPECT_EQ(v4[0].bytes, 1480U);
  EXPECT_TRUE(v4[0].had_first_fragment);  // ICMP time exceeded would be sent
  EXPECT_TRUE(r.expire(65 * kSecond - 1).empty());
  const auto v6 = r.expire(65 * kSecond);
  ASSERT_EQ(v6.size(), 1U);
  EXPECT_EQ(v6[0].key.version, 6);
  EXPECT_FALSE(v6[0].had_first_fragment);
  EXPECT_EQ(r.datagrams_in_progress(), 0U);
}

TEST(FragmentReassembly, AddExpiresWhatIsDueAtItsTimestampFirst) {
  const auto fragments = udp4_fragments();
  FragmentReassembler r;
  feed(r, fragments[0], 0, 0);
  feed(r, fragments[1], 1, 10 * kSecond);  // the timer runs from the first fragment
  const ReassemblyOutcome o = feed(r, fragments[2], 2, 30 * kSecond);
  EXPECT_EQ(o.status, FragmentStatus::kHeld) << "a new datagram, not the expired one";
  ASSERT_EQ(o.evicted.size(), 1U);
  EXPECT_EQ(reassembly_discard_name(o.evicted[0].reason), "fragment_reassembly_timeout");
  EXPECT_EQ(o.evicted[0].frames, (std::vector<std::uint64_t>{0, 1}));
}

TEST(FragmentReassembly, ClockEdgesNeitherExpireEarlyNorOverflow) {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  FragmentReassembler r;
  feed(r, first_fragment(1), 0, kMax - 5);  // deadline saturates
  feed(r, first_fragment(2), 1, 10 * kSecond);
  EXPECT_TRUE(r.expire(5 * kSecond).empty()) << "time going backwards expires nothing";
  EXPECT_EQ(r.expire(kMax - 1).size(), 1U);
  EXPECT_EQ(r.expire(kMax).size(), 1U);
}

TEST(FragmentReassembly, FlushGivesUpEverythingLeft) {
  FragmentReassembler r;
  feed(r, first_fragment(1), 0);
  feed(r, udp4_fragments()[2], 1);
  const auto left = r.flush();
  ASSERT_EQ(left.size(), 2U);
  for (const auto& d : left) {
    EXPECT_EQ(reassembly_discard_name(d.reason), "fragment_reassembly_incomplete");
  }
  EXPECT_EQ(r.datagrams_in_progress(), 0U);
  EXPECT_EQ(r.bytes_in_progress(), 0U);
  EXPECT_TRUE(r.flush().empty());
}

TEST(FragmentReassembly, Ipv6FragmentHeaderIsRemovedAfterHopByHop) {
  Ipv6Spec spec = udp6_spec;
  spec.ext = {ext_generic(0)};
  const auto fragments = ipv6_fragments(spec, udp_datagram(), 1448, 0xdeadbeef);
  ASSERT_EQ(fragments.size(), 3U);
  FragmentReassembler r;
  feed(r, fragments[2], 0);
  feed(r, fragments[1], 1);
  const ReassemblyOutcome done = feed(r, fragments[0], 2);
  ASSERT_EQ(done.status, FragmentStatus::kComplete) << reason(done);
  EXPECT_EQ(done.key.identification, 0xdeadbeefU);
  EXPECT_EQ(done.key.protocol, 0) << "RFC 8200 keys IPv6 without the next header";
  // Hop-by-hop now names UDP, the payload length covers the whole datagram.
  EXPECT_EQ(done.packet, ipv6(spec, udp_datagram()));
  const DecodeResult d = decode_ip(done.packet);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.packet.notes, 0);  // the UDP checksum verifies
  EXPECT_FALSE(d.packet.ip.fragment.has_value());
  ASSERT_EQ(d.packet.ip.ext_header_count, 1);
  EXPECT_EQ(d.packet.ip.ext_headers[0].type, 0);
  EXPECT_EQ(d.packet.ip.protocol, 17);
  ASSERT_EQ(d.packet.transport, Transport::kUdp);
  EXPECT_EQ(d.packet.udp.payload.size(), 3000U);
}

TEST(FragmentReassembly, Ipv6TcpReassemblesAndDecodes) {
  Ipv6Spec spec;  // TCP, no extension headers: the fixed header's next header is patched
  const Bytes segment = tcp(40000, 443, 1000, 2000, 0x18, pattern(2000));
  const auto fragments = ipv6_fragments(spec, segment, 1448, 99);
  FragmentReassembler r;
  feed(r, fragments[1], 0);
  const ReassemblyOutcome done = feed(r, fragments[0], 1);
  ASSERT_EQ(done.status, FragmentStatus::kComplete);
  EXPECT_EQ(done.packet, ipv6(spec, segment));
  const DecodeResult d = decode_ip(done.packet);
  ASSERT_EQ(d.packet.transport, Transport::kTcp);
  EXPECT_EQ(d.packet.notes, 0);
  EXPECT_EQ(d.packet.tcp.source_port, 40000);
  EXPECT_EQ(d.packet.tcp.destination_port, 443);
  EXPECT_EQ(d.packet.tcp.payload.size(), 2000U);
}

TEST(FragmentReassembly, Ipv6UsesTheFirstFragmentsNextHeader) {
  auto fragments = ipv6_fragments(udp6_spec, udp_datagram(), 1448, 5);
  fragments[1][40] = 6;  // a later fragment claims TCP: same datagram, ignored
  FragmentReassembler r;
  feed(r, fragments[0], 0);
  feed(r, fragments[1], 1);
  const ReassemblyOutcome done = feed(r, fragments[2], 2);
  ASSERT_EQ(done.status, FragmentStatus::kComplete);
  EXPECT_EQ(decode_ip(done.packet).packet.ip.protocol, 17);
}

TEST(FragmentReassembly, Ipv4KeyIncludesTheProtocol) {
  FragmentReassembler r;
  feed(r, first_fragment(1), 0);
  Ipv4Spec tcp_spec = udp4_spec;
  tcp_spec.identification = 1;
  tcp_spec.protocol = 6;
  tcp_spec.more_fragments = true;
  EXPECT_EQ(feed(r, ipv4(tcp_spec, Bytes(8, 0)), 1).status, FragmentStatus::kHeld);
  EXPECT_EQ(r.datagrams_in_progress(), 2U);
}

TEST(FragmentReassembly, ATinyFirstFragmentSplittingTheTcpHeaderStillReassembles) {  // RFC 1858
  Ipv4Spec spec{.protocol = 6, .identification = 77, .dont_fragment = false};
  const Bytes segment = tcp(1234, 80, 1, 2, 0x18, pattern(100));
  const auto fragments = ipv4_fragments(spec, segment, 8);
  ASSERT_EQ(fragments.size(), 15U);
  // The first fragment alone decodes to IP only: its 8 bytes cannot hold the TCP header.
  const DecodeResult first = decode_ip(fragments[0]);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(anomaly_name(first.failure->anomaly), "truncated_tcp_header");
  FragmentReassembler r;
  ReassemblyOutcome last;
  for (std::size_t i = 0; i < fragments.size(); ++i) last = feed(r, fragments[i], i);
  ASSERT_EQ(last.status, FragmentStatus::kComplete) << reason(last);
  EXPECT_EQ(last.frames.size(), 15U);
  const DecodeResult d = decode_ip(last.packet);
  ASSERT_EQ(d.packet.transport, Transport::kTcp);
  EXPECT_EQ(d.packet.notes, 0);
  EXPECT_EQ(d.packet.tcp.destination_port, 80);
  EXPECT_EQ(d.packet.tcp.payload.size(), 100U);
}

TEST(FragmentReassembly, Ipv4OptionsComeFromTheFirstFragment) {
  Ipv4Spec spec = udp4_spec;
  spec.options = {0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00};  // router alert, NOPs
  const auto fragments = ipv4_fragments(spec, udp_datagram(), 1480);
  FragmentReassembler r;
  feed(r, fragments[2], 0);
  feed(r, fragments[0], 1);
  const ReassemblyOutcome done = feed(r, fragments[1], 2);
  ASSERT_EQ(done.status, FragmentStatus::kComplete);
  EXPECT_EQ(done.packet, ipv4(spec, udp_datagram()));
  const DecodeResult d = decode_ip(done.packet);
  EXPECT_EQ(d.packet.ip.header_length, 28U);
  EXPECT_EQ(d.packet.notes, 0);
}

TEST(FragmentReassembly, AnIpv6AtomicFragmentIsWholeAtOnce) {  // RFC 6946
  FragmentReassembler r;
  const auto fragments = ipv6_fragments(udp6_spec, udp_datagram(), 1448, 7);
  feed(r, fragments[0], 0);
  Ipv6Spec atomic{.protocol = 17, .ext = {ext_fragment(0, false, 7)}};
  const Bytes datagram = udp(53, 53, pattern(20));
  const ReassemblyOutcome o = feed(r, ipv6(atomic, datagram), 1);
  ASSERT_EQ(o.status, FragmentStatus::kComplete);
  EXPECT_EQ(o.frames, (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(o.packet, ipv6({.protocol = 17, .fill_l4_checksum = false}, datagram));
  EXPECT_EQ(r.datagrams_in_progress(), 1U) << "the datagram with the same id is untouched";
}

TEST(FragmentReassembly, WhatIsNotAFragmentOfTheseBytesIsRefused) {
  FragmentReassembler r;
  const Bytes whole = ipv4(udp4_spec, udp_datagram());
  EXPECT_EQ(reason(feed(r, whole, 0)), "not_a_fragment");
  const auto fragments = udp4_fragments();
  const DecodeResult d = decode_ip(fragments[0]);
  // Bytes that do not match the decode: cut short, or another packet.
  const std::span<const std::uint8_t> cut(fragments[0].data(), 100);
  EXPECT_EQ(reason(r.add(d.packet, cut, 0, 1)), "not_a_fragment");
  EXPECT_EQ(reason(r.add(d.packet, fragments[2], 0, 2)), "not_a_fragment");
  EXPECT_EQ(reason(r.add(DecodedPacket{}, fragments[0], 0, 3)), "not_a_fragment");
  const ReassemblyOutcome o = r.add(d.packet, {}, 0, 4);
  EXPECT_EQ(o.frames, (std::vector<std::uint64_t>{4}));
  EXPECT_EQ(r.datagrams_in_progress(), 0U);
}

TEST(FragmentReassembly, FramesFromALinkWithPaddingReassemble) {
  const auto fragments = ipv4_fragments(udp4_spec, udp(1, 2, pattern(16)), 16);  // 16 + 8 bytes
  FragmentReassembler r;
  ReassemblyOutcome last;
  for (std::size_t i = 0; i < fragments.size(); ++i) {
    Bytes frame = ethernet(fragments[i], 0x0800);
    frame.resize(std::max<std::size_t>(frame.size(), 60), 0);  // Ethernet minimum: padding
    const DecodeResult d = decode_frame(LinkType::kEthernet, frame);
    const auto ip = std::span<const std::uint8_t>(frame).subspan(d.packet.link.header_length);
    last = r.add(d.packet, ip, 0, i);
  }
  ASSERT_EQ(last.status, FragmentStatus::kComplete) << reason(last);
  EXPECT_EQ(last.packet, ipv4(udp4_spec, udp(1, 2, pattern(16))));
}

TEST(FragmentReassembly, DiscardNamesAreStableAndDistinct) {
  const std::vector<std::pair<ReassemblyDiscard, std::string>> names = {
      {ReassemblyDiscard::kNotAFragment, "not_a_fragment"},
      {ReassemblyDiscard::kFragmentBadLength, "fragment_bad_length"},
      {ReassemblyDiscard::kFragmentTooLarge, "fragment_too_large"},
      {ReassemblyDiscard::kFragmentOverlap, "fragment_overlap"},
      {ReassemblyDiscard::kConflictingLastFragment, "conflicting_last_fragment"},
      {ReassemblyDiscard::kTooManyFragments, "too_many_fragments"},
      {ReassemblyDiscard::kTooManyDatagramsInProgress, "too_many_datagrams_in_progress"},
      {ReassemblyDiscard::kFragmentMemoryLimit, "fragment_memory_limit"},
      {ReassemblyDiscard::kFragmentReassemblyTimeout, "fragment_reassembly_timeout"},
      {ReassemblyDiscard::kFragmentReassemblyIncomplete, "fragment_reassembly_incomplete"},
  };
  std::set<std::string> seen;
  for (const auto& [value, name] : names) {
    EXPECT_EQ(reassembly_discard_name(value), name);
    seen.insert(name);
  }
  EXPECT_EQ(seen.size(), names.size());
}

// Mutated fragments under tight limits: no crash, the limits hold, every completed packet
// decodes as an unfragmented IP packet of a length the limits allow.
TEST(FragmentReassembly, HostileBytesNeverBreakTheLimits) {
  const ReassemblyLimits limits{.max_datagrams_in_progress = 4,
                                .max_fragments_per_datagram = 8,
                                .max_datagram_bytes = 4000,
                                .max_bytes_in_progress = 6000};
  FragmentReassembler r(limits);
  std::vector<Bytes> seeds = udp4_fragments();
  for (const auto& f :
       ipv6_fragments({.protocol = 17, .ext = {ext_generic(0)}}, udp_datagram(), 1448, 3)) {
    seeds.push_back(f);
  }
  for (const auto& f : ipv4_fragments(udp4_spec, udp(1, 2, pattern(40)), 8)) seeds.push_back(f);
  std::mt19937 random(12345);  // a fixed seed: the same run every time
  std::size_t completed = 0;
  for (std::uint64_t i = 0; i < 20000; ++i) {
    Bytes packet = seeds[random() % seeds.size()];
    const unsigned flips = random() % 4;
    for (unsigned k = 0; k < flips; ++k) {
      packet[random() % std::min<std::size_t>(packet.size(), 64)] ^=
          static_cast<std::uint8_t>(1U << (random() % 8));
    }
    const ReassemblyOutcome o = feed(r, packet, i, i * (kSecond / 10));
    ASSERT_LE(r.datagrams_in_progress(), limits.max_datagrams_in_progress);
    ASSERT_LE(r.bytes_in_progress(), limits.max_bytes_in_progress);
    if (o.status != FragmentStatus::kComplete) continue;
    ++completed;
    ASSERT_LE(o.packet.size(), limits.max_datagram_bytes);
    const DecodeResult d = decode_ip(o.packet);
    // IPv6 may fail past the header: a mutated next header can name a chain the data is not.
    if ((o.packet[0] >> 4) == 4) {
      ASSERT_TRUE(d.packet.has_ip);
      EXPECT_FALSE(d.packet.has_note(Note::kIpv4BadChecksum));
      EXPECT_FALSE(d.packet.ip.fragment.has_value());
    }
    if (d.packet.has_ip) {
      EXPECT_EQ(d.packet.ip.total_length, o.packet.size());
    }
  }
  EXPECT_GT(completed, 0U);
  r.flush();
  EXPECT_EQ(r.bytes_in_progress(), 0U);
}

}  // namespace
}  // namespace openfwp::io::wire
