// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the input is a reassembler configuration and a list of segments for one
// direction of a TCP connection → TcpStreamReassembler.
//
//   byte 0      bit 0 policy first (else linux), bit 1 midstream start (else SYN seen),
//               bit 2 tight limits (max_buffered 2 KiB, history 64 B, window 64 KiB)
//   bytes 1..4  ISN, or the midstream first seq (little endian)
//   records     flags, seq (2 bytes: signed distance from the first seq; 4 with bit 1),
//               length, payload
//     flags     bit 0 FIN, bit 1 absolute 32-bit seq, bit 2 patterned payload (bytes are a
//               function of their seq, so copies agree; length × 16, no payload in the input),
//               bit 3 start_midstream(seq) instead of a segment
//
// Properties checked beyond "no crash": deliveries are contiguous from the previous delivered()
// and never empty; total delivered ≤ total payload given; the held-data charge stays within
// max_buffered; end of stream comes at most once per stream, at the FIN; segments that cannot
// deliver do not; stats agree with the results; every name is a real one; and when every
// payload was patterned, the bytes read are the pattern and no conflict is reported.
#include "flow/tcp_reassembly.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>
#include <vector>

namespace {

using openfwp::flow::ReassemblyConfig;
using openfwp::flow::ReassemblyEvent;
using openfwp::flow::SegmentKind;
using openfwp::flow::TcpStreamReassembler;

void require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "tcp_reassembly_fuzz: %s\n", what);
    std::abort();
  }
}

std::uint8_t pattern(std::uint32_t seq) {
  return static_cast<std::uint8_t>(seq * 131U + (seq >> 8));
}

class Input {
 public:
  explicit Input(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  bool empty() const { return bytes_.empty(); }
  std::uint32_t take(std::size_t width) {  // little endian; missing bytes read as 0
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < width && !bytes_.empty(); ++i) {
      value |= std::uint32_t{bytes_[0]} << (8 * i);
      bytes_ = bytes_.subspan(1);
    }
    return value;
  }
  std::span<const std::uint8_t> take_span(std::size_t size) {
    const auto part = bytes_.first(std::min(size, bytes_.size()));
    bytes_ = bytes_.subspan(part.size());
    return part;
  }

 private:
  std::span<const std::uint8_t> bytes_;
};

// What the checker knows about the current stream.
struct Tracker {
  std::uint32_t first_seq = 0;
  std::uint64_t delivered = 0;
  std::uint64_t given = 0;
  std::uint64_t adds = 0;
  int ends = 0;
};

void check(const TcpStreamReassembler& r, const openfwp::flow::SegmentResult& result, Tracker& t,
           bool all_patterned) {
  require(segment_kind_name(result.kind).find("unknown") == std::string_view::npos,
          "segment kind without a name");
  for (std::size_t e = 0; e < openfwp::flow::kReassemblyEventCount; ++e) {
    const auto event = static_cast<ReassemblyEvent>(e);
    require(reassembly_event_name(event).find("unknown") == std::string_view::npos,
            "event without a name");
  }
  for (const auto& chunk : result.delivered) {
    require(!chunk.bytes.empty(), "empty chunk");
    require(chunk.offset == t.delivered, "deliveries not contiguous");
    if (all_patterned) {
      for (std::size_t i = 0; i < chunk.bytes.size(); ++i) {
        const auto seq = static_cast<std::uint32_t>(t.first_seq + chunk.offset + i);
        require(chunk.bytes[i] == pattern(seq), "read bytes that were never sent");
      }
    }
    t.delivered += chunk.bytes.size();
  }
  require(t.delivered == r.delivered(), "delivered() disagrees with the chunks");
  require(t.delivered <= t.given, "delivered more than was given");
  require(r.buffered_charge() <= r.config().max_buffered, "held data above max_buffered");
  require(r.buffered_bytes() <= t.given, "holding more than was given");
  const bool silent =
      result.kind == SegmentKind::kEmpty || result.kind == SegmentKind::kRetransmission ||
      result.kind == SegmentKind::kOutOfOrder || result.kind == SegmentKind::kBeyondWindow ||
      result.kind == SegmentKind::kBeforeStart || result.kind == SegmentKind::kAfterFin;
  require(!silent || result.delivered.empty(), "a segment that cannot deliver delivered");
  if (result.end_of_stream) {
    ++t.ends;
    require(r.fin_offset() == r.delivered(), "end of stream before the FIN");
  }
  require(t.ends <= 1, "end of stream twice");
  require(!r.fin_offset() || *r.fin_offset() >= r.delivered(), "delivered past the FIN");
  require(r.finished() == (t.ends == 1), "finished() disagrees with end_of_stream");
  if (all_patterned) require(r.stats().bytes_conflict == 0, "conflict between equal copies");
  require(r.stats().bytes_delivered == r.delivered(), "stats disagree on bytes delivered");
  std::uint64_t segments = 0;
  for (const auto count : r.stats().segments) segments += count;
  require(segments == t.adds, "stats disagree on the segment count");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in({data, size});
  const auto mode = static_cast<std::uint8_t>(in.take(1));
  ReassemblyConfig config;
  if ((mode & 1U) != 0) config.policy = openfwp::flow::OverlapPolicy::kFirst;
  if ((mode & 4U) != 0) {
    config.max_buffered = 2048;
    config.history = 64;
    config.window = 1U << 16;
  }
  TcpStreamReassembler r(config);
  Tracker t;
  const std::uint32_t first = in.take(4);
  if ((mode & 2U) != 0) {
    r.start_midstream(first);
    t.first_seq = first;
  } else {
    r.start(first);
    t.first_seq = first + 1;
  }

  bool all_patterned = true;
  std::vector<std::uint8_t> payload;
  while (!in.empty()) {
    const auto flags = static_cast<std::uint8_t>(in.take(1));
    const std::uint32_t seq =
        (flags & 2U) != 0
            ? in.take(4)
            : t.first_seq + static_cast<std::uint32_t>(static_cast<std::int16_t>(in.take(2)));
    const std::uint32_t length = in.take(1);
    if ((flags & 8U) != 0) {
      r.start_midstream(seq);
      t = Tracker{seq};
      all_patterned = true;
      continue;
    }
    if ((flags & 4U) != 0) {
      payload.resize(std::size_t{length} * 16);
      for (std::size_t i = 0; i < payload.size(); ++i) {
        payload[i] = pattern(static_cast<std::uint32_t>(seq + i));
      }
    } else {
      const auto bytes = in.take_span(length);
      payload.assign(bytes.begin(), bytes.end());
      all_patterned = false;
    }
    t.given += payload.size();
    ++t.adds;
    const auto result = r.add(seq, payload, (flags & 1U) != 0);
    check(r, result, t, all_patterned);
  }
  return 0;
}
