// SPDX-License-Identifier: Apache-2.0
// Randomized property of TCP stream reassembly, with fixed seeds: cut a random stream into
// segments, add duplicates re-cut at other boundaries, shuffle them all; whatever the order,
// the application must read exactly the original stream, once, with no conflict reported.
// And with a buffer too small to hold the reordering, what is read is still a prefix of the
// stream, and retransmitting everything in order completes it.
#include "flow/tcp_reassembly.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>
#include <vector>

namespace openfwp::flow {
namespace {

using Bytes = std::vector<std::uint8_t>;

struct Segment {
  std::size_t offset;
  std::size_t length;
  bool fin;
};

// The raw mt19937 output (specified by the standard) rather than a distribution (whose
// algorithm is not), so a seed means the same test on every standard library.
class Random {
 public:
  explicit Random(std::uint32_t seed) : engine_(seed) {}
  std::size_t below(std::size_t bound) { return engine_() % bound; }
  std::size_t between(std::size_t low, std::size_t high) { return low + below(high - low + 1); }

 private:
  std::mt19937 engine_;
};

// Cuts [from, to) into segments of 1..max_length bytes.
void cut(Random& random, std::size_t from, std::size_t to, std::size_t max_length,
         std::vector<Segment>& out) {
  while (from < to) {
    const std::size_t length = std::min(random.between(1, max_length), to - from);
    out.push_back({from, length, false});
    from += length;
  }
}

struct Reading {
  Bytes read;
  int ends = 0;
  std::uint64_t conflicts = 0;
};

Reading replay(TcpStreamReassembler& r, std::uint32_t isn, const Bytes& stream,
               const std::vector<Segment>& segments, Reading run = {}) {
  for (const Segment& s : segments) {
    const auto seq = static_cast<std::uint32_t>(isn + 1 + s.offset);
    const auto result = r.add(seq, std::span(stream).subspan(s.offset, s.length), s.fin);
    for (const StreamChunk& chunk : result.delivered) {
      EXPECT_EQ(chunk.offset, run.read.size());
      run.read.insert(run.read.end(), chunk.bytes.begin(), chunk.bytes.end());
    }
    run.ends += result.end_of_stream ? 1 : 0;
    run.conflicts += result.conflict_bytes;
    EXPECT_LE(r.buffered_charge(), r.config().max_buffered);
  }
  return run;
}

// The stream's segments, then `copies` re-cut duplicates of random ranges, shuffled; the FIN
// rides on the last original segment and on any duplicate that ends the stream.
std::vector<Segment> scrambled(Random& random, std::size_t size, std::size_t copies) {
  std::vector<Segment> segments;
  cut(random, 0, size, 1460, segments);
  segments.back().fin = true;
  for (std::size_t i = 0; i < copies; ++i) {
    const std::size_t from = random.below(size);
    const std::size_t to = std::min(size, from + random.between(1, 4000));
    cut(random, from, to, random.between(1, 1460), segments);
    if (to == size) segments.back().fin = true;
  }
  for (std::size_t i = segments.size() - 1; i > 0; --i) {
    std::swap(segments[i], segments[random.below(i + 1)]);
  }
  return segments;
}

TEST(ReassemblyProperty, AnyOrderOfAnyCopiesReadsTheOriginalStream) {
  std::uint64_t out_of_order = 0;
  std::uint64_t overlaps = 0;
  std::uint64_t retransmitted = 0;
  for (const auto policy : {OverlapPolicy::kLinux, OverlapPolicy::kFirst}) {
    for (std::uint32_t seed = 1; seed <= 20; ++seed) {
      Random random(seed);
      Bytes stream(random.between(1, 60'000));
      for (auto& byte : stream) byte = static_cast<std::uint8_t>(random.below(256));
      // Every other seed starts just below the wrap, so the stream crosses it.
      const std::uint32_t isn =
          seed % 2 == 0 ? 0xFFFF'FFFFU - static_cast<std::uint32_t>(random.below(30'000))
                        : static_cast<std::uint32_t>(random.below(1U << 31));
      ReassemblyConfig config;
      config.policy = policy;
      TcpStreamReassembler r(config);
      r.start(isn);
      const Reading run = replay(r, isn, stream, scrambled(random, stream.size(), seed * 5));
      ASSERT_EQ(run.read, stream) << overlap_policy_name(policy) << " seed " << seed;
      EXPECT_EQ(run.ends, 1) << seed;
      EXPECT_EQ(run.conflicts, 0U) << seed;
      EXPECT_EQ(r.buffered_bytes(), 0U) << seed;
      EXPECT_EQ(r.stats().bytes_delivered, stream.size());
      EXPECT_EQ(r.stats().bytes_overflow, 0U);
      out_of_order += r.stats().count(SegmentKind::kOutOfOrder);
      overlaps += r.stats().bytes_overlap;
      retransmitted += r.stats().bytes_retransmitted;
    }
  }
  // The scrambling did scramble: every path was taken.
  EXPECT_GT(out_of_order, 1000U);
  EXPECT_GT(overlaps, 10'000U);
  EXPECT_GT(retransmitted, 10'000U);
}

// Copies with bytes changed: each byte read is one that was sent for that offset, and a
// conflict is reported exactly when some offset was sent with two different values.
TEST(ReassemblyProperty, DifferingCopiesAreReadAsOneOfThemAndAlwaysReported) {
  for (const auto policy : {OverlapPolicy::kLinux, OverlapPolicy::kFirst}) {
    for (std::uint32_t seed = 200; seed < 230; ++seed) {
      Random random(seed);
      Bytes stream(random.between(1, 5'000));
      for (auto& byte : stream) byte = static_cast<std::uint8_t>(random.below(4));
      std::vector<Segment> segments = scrambled(random, stream.size(), 6);
      // Each segment gets its own copy of its bytes; some copies get one byte changed.
      std::vector<Bytes> copies;
      std::vector<std::vector<std::uint8_t>> sent(stream.size());
      for (const Segment& s : segments) {
        Bytes copy(stream.begin() + static_cast<std::ptrdiff_t>(s.offset),
                   stream.begin() + static_cast<std::ptrdiff_t>(s.offset + s.length));
        if (random.below(3) == 0) copy[random.below(copy.size())] ^= 0x80;
        for (std::size_t i = 0; i < copy.size(); ++i) sent[s.offset + i].push_back(copy[i]);
        copies.push_back(std::move(copy));
      }
      ReassemblyConfig config;
      config.policy = policy;
      TcpStreamReassembler r(config);
      const std::uint32_t isn = 0xFFFF'F000U;
      r.start(isn);
      Bytes read;
      std::uint64_t conflicts = 0;
      for (std::size_t i = 0; i < segments.size(); ++i) {
        const auto seq = static_cast<std::uint32_t>(isn + 1 + segments[i].offset);
        const auto result = r.add(seq, copies[i], segments[i].fin);
        for (const StreamChunk& chunk : result.delivered) {
          read.insert(read.end(), chunk.bytes.begin(), chunk.bytes.end());
        }
        conflicts += result.conflict_bytes;
      }
      ASSERT_EQ(read.size(), stream.size()) << seed;
      bool differing = false;
      for (std::size_t at = 0; at < stream.size(); ++at) {
        const auto& values = sent[at];
        EXPECT_NE(std::find(values.begin(), values.end(), read[at]), values.end()) << at;
        differing |=
            std::adjacent_find(values.begin(), values.end(), std::not_equal_to<>()) != values.end();
      }
      EXPECT_EQ(conflicts > 0, differing) << overlap_policy_name(policy) << " seed " << seed;
      EXPECT_EQ(r.stats().bytes_conflict, conflicts);
    }
  }
}

TEST(ReassemblyProperty, OverflowLosesHeldDataButNeverCorruptsTheStream) {
  for (std::uint32_t seed = 100; seed < 110; ++seed) {
    Random random(seed);
    Bytes stream(random.between(20'000, 50'000));
    for (auto& byte : stream) byte = static_cast<std::uint8_t>(random.below(256));
    const auto isn = static_cast<std::uint32_t>(random.below(1U << 31) * 2);
    ReassemblyConfig config;
    config.max_buffered = 3000;
    TcpStreamReassembler r(config);
    r.start(isn);
    Reading run = replay(r, isn, stream, scrambled(random, stream.size(), 10));
    ASSERT_LE(run.read.size(), stream.size());
    EXPECT_TRUE(std::equal(run.read.begin(), run.read.end(), stream.begin())) << seed;
    EXPECT_GT(r.stats().bytes_overflow, 0U) << seed;
    // The sender retransmits everything, in order: the stream completes.
    std::vector<Segment> in_order;
    cut(random, 0, stream.size(), 1460, in_order);
    in_order.back().fin = true;
    run = replay(r, isn, stream, in_order, std::move(run));
    EXPECT_EQ(run.read, stream) << seed;
    EXPECT_EQ(run.ends, 1) << seed;
    EXPECT_EQ(run.conflicts, 0U) << seed;
  }
}

}  // namespace
}  // namespace openfwp::flow
