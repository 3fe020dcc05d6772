// SPDX-License-Identifier: Apache-2.0
// TCP stream reassembly, case by case (smoltcp style): in order, retransmissions, out of
// order, overlaps under each policy, sequence wraparound, midstream pickup, FIN, limits, empty
// segments, names. Each test sends text at stream offsets and checks what the application reads.
#include "flow/tcp_reassembly.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace openfwp::flow {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr std::uint32_t kIsn = 1000;  // stream offset 0 is seq 1001

Bytes bytes(std::string_view text) { return {text.begin(), text.end()}; }

// A reassembler started at kIsn that records everything it delivers, checking on the way that
// deliveries are contiguous.
class Receiver {
 public:
  explicit Receiver(ReassemblyConfig config = {}) : reassembler_(config) {
    reassembler_.start(kIsn);
  }

  SegmentResult send_seq(std::uint32_t seq, std::string_view text, bool fin = false) {
    payloads_.push_back(bytes(text));  // chunks may point into it until the next call
    SegmentResult result = reassembler_.add(seq, payloads_.back(), fin);
    for (const StreamChunk& chunk : result.delivered) {
      EXPECT_EQ(chunk.offset, stream_.size()) << "deliveries must be contiguous";
      EXPECT_FALSE(chunk.bytes.empty());
      stream_.append(chunk.bytes.begin(), chunk.bytes.end());
    }
    if (result.end_of_stream) ++ends_;
    return result;
  }
  SegmentResult send(std::uint64_t offset, std::string_view text, bool fin = false) {
    return send_seq(static_cast<std::uint32_t>(kIsn + 1 + offset), text, fin);
  }

  const std::string& stream() const { return stream_; }
  int ends() const { return ends_; }
  TcpStreamReassembler& r() { return reassembler_; }

 private:
  TcpStreamReassembler reassembler_;
  std::deque<Bytes> payloads_;
  std::string stream_;
  int ends_ = 0;
};

ReassemblyConfig policy(OverlapPolicy overlap) {
  ReassemblyConfig config;
  config.policy = overlap;
  return config;
}

// ===== In order =====

TEST(ReassemblyInOrder, EachSegmentIsDeliveredAsItArrives) {
  Receiver rx;
  const auto first = rx.send(0, "hello ");
  EXPECT_EQ(first.kind, SegmentKind::kInOrder);
  ASSERT_EQ(first.delivered.size(), 1U);
  EXPECT_EQ(first.delivered[0].offset, 0U);
  const auto second = rx.send(6, "world");
  EXPECT_EQ(second.kind, SegmentKind::kInOrder);
  EXPECT_TRUE(second.events.empty());
  EXPECT_EQ(rx.stream(), "hello world");
  EXPECT_EQ(rx.r().delivered(), 11U);
  EXPECT_EQ(rx.r().next_seq(), kIsn + 1 + 11);
  EXPECT_EQ(rx.r().stats().bytes_delivered, 11U);
  EXPECT_EQ(rx.r().stats().count(SegmentKind::kInOrder), 2U);
}

TEST(ReassemblyInOrder, TheNewSegmentIsDeliveredWithoutACopy) {
  TcpStreamReassembler r;
  r.start(kIsn);
  const Bytes payload = bytes("zero copy");
  const auto result = r.add(kIsn + 1, payload, false);
  ASSERT_EQ(result.delivered.size(), 1U);
  EXPECT_EQ(result.delivered[0].bytes.data(), payload.data());
  EXPECT_EQ(result.delivered_bytes(), payload.size());
}

// ===== Retransmissions =====

TEST(ReassemblyRetransmission, AnExactRetransmissionDeliversNothing) {
  Receiver rx;
  rx.send(0, "abcdef");
  const auto again = rx.send(0, "abcdef");
  EXPECT_EQ(again.kind, SegmentKind::kRetransmission);
  EXPECT_TRUE(again.delivered.empty());
  EXPECT_EQ(again.retransmitted_bytes, 6U);
  EXPECT_EQ(again.conflict_bytes, 0U);
  EXPECT_TRUE(again.events.empty());
  EXPECT_EQ(rx.stream(), "abcdef");
  EXPECT_EQ(rx.r().stats().bytes_retransmitted, 6U);
  EXPECT_EQ(rx.r().stats().bytes_unverified, 0U);
}

TEST(ReassemblyRetransmission, APartialRetransmissionDeliversOnlyTheNewSuffix) {
  Receiver rx;
  rx.send(0, "abcdef");
  const auto result = rx.send(3, "defghi");
  EXPECT_EQ(result.kind, SegmentKind::kPartialRetransmission);
  ASSERT_EQ(result.delivered.size(), 1U);
  EXPECT_EQ(result.delivered[0].offset, 6U);
  EXPECT_EQ(result.retransmitted_bytes, 3U);
  EXPECT_EQ(rx.stream(), "abcdefghi");
}

TEST(ReassemblyRetransmission, DifferentBytesForDeliveredDataAreAConflictAndLose) {
  Receiver rx;
  rx.send(0, "abcdef");
  const auto result = rx.send(2, "cXYf");
  EXPECT_EQ(result.kind, SegmentKind::kRetransmission);
  EXPECT_EQ(result.conflict_bytes, 2U);
  EXPECT_EQ(result.first_conflict, 3U);
  EXPECT_TRUE(result.events.has(ReassemblyEvent::kOverlapConflict));
  EXPECT_EQ(rx.stream(), "abcdef") << "the application already read the first copy";
  EXPECT_EQ(rx.r().stats().count(ReassemblyEvent::kOverlapConflict), 1U);
}

TEST(ReassemblyRetransmission, BytesOlderThanTheHistoryAreUnverified) {
  ReassemblyConfig config;
  config.history = 4;
  Receiver rx(config);
  rx.send(0, "abcdefgh");
  const auto result = rx.send(0, "XXXXXXXX");
  EXPECT_EQ(result.retransmitted_bytes, 8U);
  EXPECT_EQ(result.conflict_bytes, 4U) << "only the last 4 delivered bytes are kept";
  EXPECT_EQ(result.first_conflict, 4U);
  EXPECT_EQ(rx.r().stats().bytes_unverified, 4U);
}

TEST(ReassemblyRetransmission, TheHistoryRingWrapsWithTheStream) {
  ReassemblyConfig config;
  config.history = 5;
  Receiver rx(config);
  rx.send(0, "abc");
  rx.send(3, "defgh");
  rx.send(8, "ijk");  // the ring now holds offsets 6..10, "ghijk"
  EXPECT_EQ(rx.send(6, "ghijk").conflict_bytes, 0U);
  const auto changed = rx.send(7, "hIj");
  EXPECT_EQ(changed.conflict_bytes, 1U);
  EXPECT_EQ(changed.first_conflict, 8U);
  EXPECT_EQ(rx.r().stats().bytes_unverified, 0U);
}

// ===== Out of order =====

TEST(ReassemblyOutOfOrder, ASegmentAfterAHoleIsHeldUntilTheHoleFills) {
  Receiver rx;
  const auto early = rx.send(5, "fghij");
  EXPECT_EQ(early.kind, SegmentKind::kOutOfOrder);
  EXPECT_TRUE(early.delivered.empty());
  EXPECT_EQ(rx.r().buffered_bytes(), 5U);
  const auto fill = rx.send(0, "abcde");
  EXPECT_EQ(fill.kind, SegmentKind::kInOrder);
  ASSERT_EQ(fill.delivered.size(), 2U);
  EXPECT_EQ(fill.delivered[1].offset, 5U);
  EXPECT_EQ(rx.stream(), "abcdefghij");
  EXPECT_EQ(rx.r().buffered_bytes(), 0U);
  EXPECT_EQ(rx.r().held_segments(), 0U);
  EXPECT_EQ(rx.r().stats().bytes_held, 5U);
}

TEST(ReassemblyOutOfOrder, SeveralHolesFillInAnyOrder) {
  Receiver rx;
  rx.send(2, "cd");
  rx.send(6, "gh");
  rx.send(10, "kl");
  EXPECT_EQ(rx.r().held_segments(), 3U);
  EXPECT_EQ(rx.send(4, "ef").kind, SegmentKind::kOutOfOrder);
  EXPECT_EQ(rx.r().held_segments(), 3U) << "ef is appended to cd; gh stays its own segment";
  EXPECT_EQ(rx.stream(), "");
  rx.send(0, "ab");
  EXPECT_EQ(rx.stream(), "abcdefgh");
  rx.send(8, "ij");
  EXPECT_EQ(rx.stream(), "abcdefghijkl");
  EXPECT_EQ(rx.r().stats().count(SegmentKind::kOutOfOrder), 4U);
  EXPECT_EQ(rx.r().stats().bytes_overlap, 0U);
}

// ===== Overlaps =====

TEST(ReassemblyOverlap, SameBytesOverlappingHeldDataAreNoConflict) {
  Receiver rx;
  rx.send(2, "cd");
  const auto result = rx.send(0, "abcdef");
  EXPECT_EQ(result.overlap_bytes, 2U);
  EXPECT_EQ(result.conflict_bytes, 0U);
  EXPECT_TRUE(result.events.has(ReassemblyEvent::kOverlap));
  EXPECT_FALSE(result.events.has(ReassemblyEvent::kOverlapConflict));
  EXPECT_EQ(rx.stream(), "abcdef");
}

TEST(ReassemblyOverlap, DifferentBytesStartingBeforeHeldDataWinUnderLinuxOnly) {
  for (const auto overlap : {OverlapPolicy::kLinux, OverlapPolicy::kFirst}) {
    Receiver rx(policy(overlap));
    rx.send(5, "fghij");
    const auto result = rx.send(3, "deFGH");
    EXPECT_EQ(result.kind, SegmentKind::kOutOfOrder);
    EXPECT_EQ(result.overlap_bytes, 3U);
    EXPECT_EQ(result.conflict_bytes, 3U);
    EXPECT_EQ(result.first_conflict, 5U);
    EXPECT_TRUE(result.events.has(ReassemblyEvent::kOverlapConflict));
    rx.send(0, "abc");
    EXPECT_EQ(rx.stream(), overlap == OverlapPolicy::kLinux ? "abcdeFGHij" : "abcdefghij")
        << overlap_policy_name(overlap);
  }
}

TEST(ReassemblyOverlap, ASegmentInsideAHeldOneIsDropped) {
  Receiver rx;
  rx.send(5, "fghij");
  const auto result = rx.send(6, "GH");
  EXPECT_EQ(result.conflict_bytes, 2U);
  EXPECT_EQ(rx.r().buffered_bytes(), 5U);
  rx.send(0, "abcde");
  EXPECT_EQ(rx.stream(), "abcdefghij");
}

TEST(ReassemblyOverlap, ASegmentStartingInsideAHeldOneKeepsTheHeldBytes) {
  Receiver rx;
  rx.send(5, "fghij");
  const auto result = rx.send(8, "IJklm");
  EXPECT_EQ(result.overlap_bytes, 2U);
  EXPECT_EQ(result.conflict_bytes, 2U);
  EXPECT_EQ(rx.r().held_segments(), 1U) << "klm continues fghij";
  rx.send(0, "abcde");
  EXPECT_EQ(rx.stream(), "abcdefghijklm");
}

TEST(ReassemblyOverlap, ALongerSegmentWithTheSameStartReplacesUnderLinux) {
  for (const auto overlap : {OverlapPolicy::kLinux, OverlapPolicy::kFirst}) {
    Receiver rx(policy(overlap));
    rx.send(5, "fgh");
    rx.send(5, "FGHIJ");
    rx.send(0, "abcde");
    EXPECT_EQ(rx.stream(), overlap == OverlapPolicy::kLinux ? "abcdeFGHIJ" : "abcdefghIJ")
        << overlap_policy_name(overlap);
  }
}

TEST(ReassemblyOverlap, AnEqualSegmentWithDifferentBytesLosesUnderEveryPolicy) {
  for (const auto overlap : {OverlapPolicy::kLinux, OverlapPolicy::kFirst}) {
    Receiver rx(policy(overlap));
    rx.send(5, "fgh");
    EXPECT_EQ(rx.send(5, "FGH").conflict_bytes, 3U);
    rx.send(0, "abcde");
    EXPECT_EQ(rx.stream(), "abcdefgh") << overlap_policy_name(overlap);
  }
}

TEST(ReassemblyOverlap, ASegmentCoveringSeveralHeldOnes) {
  for (const auto overlap : {OverlapPolicy::kLinux, OverlapPolicy::kFirst}) {
    Receiver rx(policy(overlap));
    rx.send(2, "cd");
    rx.send(6, "gh");
    rx.send(10, "kl");
    const auto result = rx.send(1, "BCDEFGHIJKLM");
    EXPECT_EQ(result.overlap_bytes, 6U);
    EXPECT_EQ(result.conflict_bytes, 6U);
    EXPECT_EQ(result.first_conflict, 2U);
    EXPECT_EQ(rx.r().buffered_bytes(), 12U);
    rx.send(0, "a");
    EXPECT_EQ(rx.stream(), overlap == OverlapPolicy::kLinux ? "aBCDEFGHIJKLM" : "aBcdEFghIJklM")
        << overlap_policy_name(overlap);
    EXPECT_EQ(rx.r().buffered_bytes(), 0U);
  }
}

TEST(ReassemblyOverlap, AnInOrderSegmentOverwritesHeldDataUnderLinux) {
  for (const auto overlap : {OverlapPolicy::kLinux, OverlapPolicy::kFirst}) {
    Receiver rx(policy(overlap));
    rx.send(3, "DEF");
    const auto result = rx.send(0, "abcdef");
    EXPECT_EQ(result.kind, SegmentKind::kInOrder);
    EXPECT_EQ(result.conflict_bytes, 3U);
    EXPECT_EQ(rx.stream(), overlap == OverlapPolicy::kLinux ? "abcdef" : "abcDEF")
        << overlap_policy_name(overlap);
  }
}

TEST(ReassemblyOverlap, APartialRetransmissionOverlappingHeldData) {
  Receiver rx;
  rx.send(0, "abc");
  rx.send(5, "fg");
  const auto result = rx.send(1, "bcdeFGh");
  EXPECT_EQ(result.kind, SegmentKind::kPartialRetransmission);
  EXPECT_EQ(result.retransmitted_bytes, 2U);
  EXPECT_EQ(result.overlap_bytes, 2U);
  EXPECT_EQ(result.conflict_bytes, 2U);
  EXPECT_EQ(rx.stream(), "abcdeFGh");
}

// ===== Sequence wraparound =====

TEST(ReassemblyWraparound, AStreamCrossesTheEndOfSequenceSpace) {
  Receiver rx;
  rx.r().start(0xFFFF'FFF8U);                                 // the first byte is seq 0xFFFFFFF9
  const auto late = rx.send_seq(0x0000'0003U, "klmnopqrst");  // offsets 10..19, past the wrap
  EXPECT_EQ(late.kind, SegmentKind::kOutOfOrder);
  rx.send_seq(0xFFFF'FFF9U, "abcdefghij");
  EXPECT_EQ(rx.stream(), "abcdefghijklmnopqrst");
  EXPECT_EQ(rx.r().next_seq(), 0x0000'000DU);
  const auto old = rx.send_seq(0xFFFF'FFFEU, "fghij");  // before the wrap: already delivered
  EXPECT_EQ(old.kind, SegmentKind::kRetransmission);
  EXPECT_EQ(rx.send_seq(0x0000'000AU, "rstuv").kind, SegmentKind::kPartialRetransmission);
  EXPECT_EQ(rx.stream(), "abcdefghijklmnopqrstuv");
}

TEST(ReassemblyWraparound, StreamOffsetsKeepCountingPast4GiB) {
  ReassemblyConfig config;
  config.history = 0;  // nothing copied: this sends 4 GiB + 64 KiB
  TcpStreamReassembler r(config);
  const std::uint32_t isn = 0x8000'0000U;
  r.start(isn);
  const Bytes block(std::size_t{1} << 16, 0x5a);
  std::uint32_t seq = isn + 1;
  for (std::uint32_t i = 0; i <= (std::uint32_t{1} << 16); ++i) {
    const auto result = r.add(seq, block, false);
    ASSERT_EQ(result.kind, SegmentKind::kInOrder) << i;
    seq += static_cast<std::uint32_t>(block.size());
  }
  EXPECT_EQ(r.delivered(), (std::uint64_t{1} << 32) + block.size());
  EXPECT_EQ(r.next_seq(), seq);
  EXPECT_EQ(r.add(seq - 10, block, false).kind, SegmentKind::kPartialRetransmission);
}

// ===== Midstream pickup =====

TEST(ReassemblyMidstream, TheFirstSegmentSeenStartsTheStream) {
  Receiver rx;
  rx.r().start_midstream(123456);
  const auto first = rx.send_seq(123456, "mid");
  EXPECT_EQ(first.kind, SegmentKind::kInOrder);
  EXPECT_EQ(first.delivered[0].offset, 0U);
  const auto older = rx.send_seq(123450, "abcdef");
  EXPECT_EQ(older.kind, SegmentKind::kBeforeStart);
  EXPECT_TRUE(older.events.has(ReassemblyEvent::kBeforeStreamStart));
  const auto straddling = rx.send_seq(123453, "xyzmidNEW");
  EXPECT_EQ(straddling.kind, SegmentKind::kPartialRetransmission);
  EXPECT_TRUE(straddling.events.has(ReassemblyEvent::kBeforeStreamStart));
  EXPECT_EQ(straddling.retransmitted_bytes, 3U);
  EXPECT_EQ(rx.stream(), "midNEW");
  EXPECT_EQ(rx.r().stats().bytes_before_start, 9U);
}

TEST(ReassemblyMidstream, StartDiscardsThePreviousStream) {
  Receiver rx;
  rx.send(4, "held");
  rx.send(0, "ab");
  rx.r().start_midstream(77);
  EXPECT_EQ(rx.r().delivered(), 0U);
  EXPECT_EQ(rx.r().buffered_bytes(), 0U);
  EXPECT_EQ(rx.r().stats().bytes_delivered, 0U);
  EXPECT_EQ(rx.r().next_seq(), 77U);
}

// ===== FIN =====

TEST(ReassemblyFin, AnInOrderFinEndsTheStreamOnce) {
  Receiver rx;
  const auto result = rx.send(0, "abc", true);
  EXPECT_EQ(result.kind, SegmentKind::kInOrder);
  EXPECT_TRUE(result.end_of_stream);
  EXPECT_TRUE(rx.r().finished());
  EXPECT_EQ(rx.r().fin_offset(), 3U);
  const auto repeated = rx.send(3, "", true);
  EXPECT_EQ(repeated.kind, SegmentKind::kRetransmission);
  EXPECT_FALSE(repeated.end_of_stream);
  EXPECT_EQ(rx.send(0, "abc", true).kind, SegmentKind::kRetransmission);
  EXPECT_EQ(rx.ends(), 1);
  EXPECT_EQ(rx.r().stats().count(ReassemblyEvent::kConflictingFin), 0U);
}

TEST(ReassemblyFin, AFinBeforeItsDataWaitsForTheData) {
  Receiver rx;
  const auto early = rx.send(3, "def", true);
  EXPECT_EQ(early.kind, SegmentKind::kOutOfOrder);
  EXPECT_FALSE(early.end_of_stream);
  EXPECT_EQ(rx.r().fin_offset(), 6U);
  const auto fill = rx.send(0, "abc");
  EXPECT_TRUE(fill.end_of_stream);
  EXPECT_EQ(rx.stream(), "abcdef");
}

TEST(ReassemblyFin, ABareFinOutOfOrder) {
  Receiver rx;
  rx.send(0, "abc");
  EXPECT_EQ(rx.send(6, "", true).kind, SegmentKind::kOutOfOrder);
  EXPECT_FALSE(rx.r().finished());
  EXPECT_TRUE(rx.send(3, "def").end_of_stream);
  EXPECT_EQ(rx.ends(), 1);
}

TEST(ReassemblyFin, DataAfterTheFinIsDropped) {
  Receiver rx;
  rx.send(0, "abc", true);
  const auto after = rx.send(3, "def");
  EXPECT_EQ(after.kind, SegmentKind::kAfterFin);
  EXPECT_TRUE(after.events.has(ReassemblyEvent::kDataAfterFin));
  EXPECT_TRUE(after.delivered.empty());
  EXPECT_EQ(rx.r().stats().bytes_after_fin, 3U);
  EXPECT_EQ(rx.stream(), "abc");
}

TEST(ReassemblyFin, ASegmentStraddlingTheFinIsCutAtIt) {
  Receiver rx;
  rx.send(6, "", true);
  const auto result = rx.send(0, "abcdefgh");
  EXPECT_EQ(result.kind, SegmentKind::kInOrder);
  EXPECT_TRUE(result.events.has(ReassemblyEvent::kDataAfterFin));
  EXPECT_TRUE(result.end_of_stream);
  EXPECT_EQ(rx.stream(), "abcdef");
  EXPECT_EQ(rx.r().stats().bytes_after_fin, 2U);
}

TEST(ReassemblyFin, HeldDataBeyondALaterFinIsDropped) {
  Receiver rx;
  rx.send(8, "ij");
  rx.send(4, "efgh");  // held 4..6 survives the cut, 6..8 and ij do not
  const auto result = rx.send(0, "abcdef", true);
  EXPECT_TRUE(result.events.has(ReassemblyEvent::kDataAfterFin));
  EXPECT_TRUE(result.end_of_stream);
  EXPECT_EQ(rx.stream(), "abcdef");
  EXPECT_EQ(rx.r().buffered_bytes(), 0U);
  EXPECT_EQ(rx.r().stats().bytes_after_fin, 4U);
}

TEST(ReassemblyFin, AFinElsewhereIsIgnored) {
  Receiver rx;
  rx.send(0, "abc", true);
  const auto later = rx.send(5, "", true);
  EXPECT_EQ(later.kind, SegmentKind::kAfterFin);
  EXPECT_TRUE(later.events.has(ReassemblyEvent::kConflictingFin));
  EXPECT_EQ(rx.r().fin_offset(), 3U);

  Receiver before;
  before.send(0, "abcdef");
  const auto early = before.send(0, "ab", true);
  EXPECT_EQ(early.kind, SegmentKind::kRetransmission);
  EXPECT_TRUE(early.events.has(ReassemblyEvent::kConflictingFin));
  EXPECT_FALSE(before.r().fin_offset());
  EXPECT_EQ(before.send(6, "gh").kind, SegmentKind::kInOrder);
}

// ===== Limits =====

TEST(ReassemblyLimits, ASegmentBeyondTheWindowIsDroppedWhole) {
  ReassemblyConfig config;
  config.window = 100;
  Receiver rx(config);
  rx.send(0, std::string(300, 'a'));
  const auto far = rx.send(300 + 101, "far", true);
  EXPECT_EQ(far.kind, SegmentKind::kBeyondWindow);
  EXPECT_FALSE(rx.r().fin_offset()) << "its FIN is dropped with it";
  EXPECT_EQ(rx.send(300 + 100, "edge").kind, SegmentKind::kOutOfOrder);
  EXPECT_EQ(rx.send_seq(rx.r().next_seq() - 101, "aaa").kind, SegmentKind::kBeyondWindow);
  EXPECT_EQ(rx.send_seq(rx.r().next_seq() - 100, "aaa").kind, SegmentKind::kRetransmission);
  EXPECT_EQ(rx.r().stats().bytes_beyond_window, 6U);
}

TEST(ReassemblyLimits, TheDefaultWindowIsTcpsLargest) {
  Receiver rx;
  const std::uint32_t next = rx.r().next_seq();
  EXPECT_EQ(rx.send_seq(next + (1U << 30), "x").kind, SegmentKind::kOutOfOrder);
  EXPECT_EQ(rx.send_seq(next + (1U << 30) + 1, "x").kind, SegmentKind::kBeyondWindow);
  EXPECT_EQ(rx.send_seq(next + (1U << 31), "x").kind, SegmentKind::kBeyondWindow);
}

TEST(ReassemblyLimits, OverflowDropsTheHeldDataFarthestFromTheNextByte) {
  ReassemblyConfig config;
  config.max_buffered = 300 + 2 * kHeldSegmentOverhead;
  Receiver rx(config);
  const std::string hundred(100, 'x');
  rx.send(100, hundred);
  rx.send(300, hundred);
  EXPECT_EQ(rx.r().buffered_charge(), 200 + 2 * kHeldSegmentOverhead);
  const auto farthest = rx.send(500, std::string(200, 'y'));
  EXPECT_TRUE(farthest.events.has(ReassemblyEvent::kBufferOverflow));
  EXPECT_EQ(rx.r().buffered_bytes(), 200U) << "the new segment was the farthest";
  const auto nearer = rx.send(210, std::string(50, 'z'));
  EXPECT_TRUE(nearer.events.has(ReassemblyEvent::kBufferOverflow));
  EXPECT_EQ(rx.r().buffered_bytes(), 150U) << "300..400 made room for 210..260";
  EXPECT_LE(rx.r().buffered_charge(), config.max_buffered);
  EXPECT_EQ(rx.r().stats().bytes_overflow, 300U);
  EXPECT_EQ(rx.r().stats().count(ReassemblyEvent::kBufferOverflow), 2U);
  rx.send(0, hundred);
  EXPECT_EQ(rx.stream().size(), 200U);
}

TEST(ReassemblyLimits, ManyTinySegmentsStayWithinTheCharge) {
  ReassemblyConfig config;
  config.max_buffered = std::size_t{64} << 10;
  Receiver rx(config);
  for (std::uint64_t offset = 1; offset < 200'000; offset += 2) {
    rx.send(offset, "x");
    ASSERT_LE(rx.r().buffered_charge(), config.max_buffered) << offset;
  }
  EXPECT_LE(rx.r().held_segments(), config.max_buffered / (1 + kHeldSegmentOverhead));
  EXPECT_LE(rx.r().stats().peak_buffered, config.max_buffered);
  EXPECT_GT(rx.r().stats().bytes_overflow, 0U);
}

// ===== Empty segments =====

TEST(ReassemblyEmpty, ZeroLengthSegmentsDeliverNothingWhateverTheirSeq) {
  Receiver rx;
  rx.send(3, "def");
  for (const std::uint32_t seq : {kIsn + 1, kIsn, kIsn + 4, kIsn + (1U << 31)}) {
    const auto result = rx.send_seq(seq, "");
    EXPECT_EQ(result.kind, SegmentKind::kEmpty) << seq;
    EXPECT_TRUE(result.delivered.empty());
    EXPECT_TRUE(result.events.empty());
  }
  EXPECT_EQ(rx.r().buffered_bytes(), 3U);
  rx.send(0, "abc");
  EXPECT_EQ(rx.stream(), "abcdef");
  EXPECT_EQ(rx.r().stats().count(SegmentKind::kEmpty), 4U);
}

// ===== Names =====

TEST(ReassemblyNames, EveryKindEventAndPolicyHasAStableName) {
  std::vector<std::string_view> names;
  for (std::size_t i = 0; i < kSegmentKindCount; ++i) {
    names.push_back(segment_kind_name(static_cast<SegmentKind>(i)));
  }
  for (std::size_t i = 0; i < kReassemblyEventCount; ++i) {
    names.push_back(reassembly_event_name(static_cast<ReassemblyEvent>(i)));
  }
  names.push_back(overlap_policy_name(OverlapPolicy::kLinux));
  names.push_back(overlap_policy_name(OverlapPolicy::kFirst));
  for (const auto name : names) {
    EXPECT_EQ(name.find("unknown"), std::string_view::npos) << name;
    EXPECT_TRUE(std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || c == '_';
    })) << name;
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end()) << "names are unique";
  EXPECT_EQ(segment_kind_name(SegmentKind::kPartialRetransmission), "partial_retransmission");
  EXPECT_EQ(segment_kind_name(SegmentKind::kBeyondWindow), "beyond_window");
  EXPECT_EQ(reassembly_event_name(ReassemblyEvent::kOverlapConflict), "overlap_conflict");
  EXPECT_EQ(reassembly_event_name(ReassemblyEvent::kDataAfterFin), "data_after_fin");
  EXPECT_EQ(reassembly_event_name(ReassemblyEvent::kBufferOverflow), "buffer_overflow");
}

}  // namespace
}  // namespace openfwp::flow
