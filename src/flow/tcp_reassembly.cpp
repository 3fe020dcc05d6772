// SPDX-License-Identifier: Apache-2.0
#include "flow/tcp_reassembly.h"

#include "common/assert.h"

#include <algorithm>
#include <cstring>
#include <iterator>

namespace openfwp::flow {
namespace {

// RFC 1982 serial-number distance: how far `a` is ahead of `b` (negative: behind).
std::int64_t seq_distance(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(a - b);
}

std::int64_t signed_size(std::size_t size) { return static_cast<std::int64_t>(size); }

std::size_t index(std::uint64_t offset) { return static_cast<std::size_t>(offset); }

}  // namespace

std::string_view overlap_policy_name(OverlapPolicy policy) {
  switch (policy) {
    case OverlapPolicy::kLinux:
      return "linux";
    case OverlapPolicy::kFirst:
      return "first";
  }
  return "unknown_policy";
}

std::string_view segment_kind_name(SegmentKind kind) {
  switch (kind) {
    case SegmentKind::kEmpty:
      return "empty";
    case SegmentKind::kInOrder:
      return "in_order";
    case SegmentKind::kPartialRetransmission:
      return "partial_retransmission";
    case SegmentKind::kRetransmission:
      return "retransmission";
    case SegmentKind::kOutOfOrder:
      return "out_of_order";
    case SegmentKind::kBeyondWindow:
      return "beyond_window";
    case SegmentKind::kBeforeStart:
      return "before_start";
    case SegmentKind::kAfterFin:
      return "after_fin";
  }
  return "unknown_segment_kind";
}

std::string_view reassembly_event_name(ReassemblyEvent event) {
  switch (event) {
    case ReassemblyEvent::kOverlap:
      return "overlap";
    case ReassemblyEvent::kOverlapConflict:
      return "overlap_conflict";
    case ReassemblyEvent::kBeforeStreamStart:
      return "before_stream_start";
    case ReassemblyEvent::kDataAfterFin:
      return "data_after_fin";
    case ReassemblyEvent::kConflictingFin:
      return "conflicting_fin";
    case ReassemblyEvent::kBufferOverflow:
      return "buffer_overflow";
  }
  return "unknown_reassembly_event";
}

std::size_t SegmentResult::delivered_bytes() const {
  std::size_t total = 0;
  for (const auto& chunk : delivered) total += chunk.bytes.size();
  return total;
}

TcpStreamReassembler::TcpStreamReassembler(ReassemblyConfig config) : config_(config) {
  // The window must stay inside the unambiguous half of sequence space.
  OPENFWP_CHECK(config_.window < (std::uint32_t{1} << 31), "window must be below 2^31");
}

void TcpStreamReassembler::start(std::uint32_t isn) { restart(isn + 1); }

void TcpStreamReassembler::start_midstream(std::uint32_t seq) { restart(seq); }

void TcpStreamReassembler::restart(std::uint32_t first_seq) {
  const ReassemblyConfig config = config_;
  *this = TcpStreamReassembler(config);
  started_ = true;
  first_seq_ = first_seq;
}

std::uint32_t TcpStreamReassembler::next_seq() const {
  return static_cast<std::uint32_t>(first_seq_ + delivered_);
}

std::size_t TcpStreamReassembler::buffered_charge() const {
  return held_bytes_ + held_.size() * kHeldSegmentOverhead;
}

SegmentResult TcpStreamReassembler::add(std::uint32_t seq, std::span<const std::uint8_t> payload,
                                        bool fin) {
  OPENFWP_CHECK(started_, "add() before start() or start_midstream()");
  released_.clear();
  SegmentResult result;
  const auto finish = [&](SegmentKind kind) {
    result.kind = kind;
    ++stats_.segments[static_cast<std::size_t>(kind)];
    for (std::size_t e = 0; e < kReassemblyEventCount; ++e) {
      if (result.events.has(static_cast<ReassemblyEvent>(e))) ++stats_.events[e];
    }
    return std::move(result);
  };

  if (payload.empty() && !fin) return finish(SegmentKind::kEmpty);
  const std::int64_t distance = seq_distance(seq, next_seq());
  const auto window = static_cast<std::int64_t>(config_.window);
  if (distance > window || distance < -window) {
    stats_.bytes_beyond_window += payload.size();
    return finish(SegmentKind::kBeyondWindow);
  }
  // [begin, end) in stream offsets; begin < 0 lies before the first byte.
  const std::int64_t begin = static_cast<std::int64_t>(delivered_) + distance;
  const std::int64_t end = begin + signed_size(payload.size());
  const SegmentKind kind = classify(begin, end);
  if (fin) accept_fin(end, result);

  // Trim what precedes the stream and what follows the FIN: [lo, hi) is what remains.
  const std::int64_t lo = std::max<std::int64_t>(begin, 0);
  std::int64_t hi = std::max(end, lo);
  if (begin < 0 && !payload.empty()) {
    stats_.bytes_before_start += static_cast<std::uint64_t>(std::min<std::int64_t>(end, 0) - begin);
    result.events.set(ReassemblyEvent::kBeforeStreamStart);
  }
  if (fin_ && hi > static_cast<std::int64_t>(*fin_)) {
    const std::int64_t cut = std::max(lo, static_cast<std::int64_t>(*fin_));
    stats_.bytes_after_fin += static_cast<std::uint64_t>(hi - cut);
    result.events.set(ReassemblyEvent::kDataAfterFin);
    hi = cut;
  }
  const auto bytes_of = [&](std::int64_t from, std::int64_t to) {
    return payload.subspan(static_cast<std::size_t>(from - begin),
                           static_cast<std::size_t>(to - from));
  };

  const auto next = static_cast<std::int64_t>(delivered_);
  if (lo < std::min(hi, next)) {
    check_retransmission(static_cast<std::uint64_t>(lo), bytes_of(lo, std::min(hi, next)), result);
  }
  std::vector<Piece> pieces;
  if (std::max(lo, next) < hi) {
    const std::int64_t from = std::max(lo, next);
    pieces = merge_with_held(static_cast<std::uint64_t>(from), bytes_of(from, hi), result);
  }
  deliver(pieces, result);
  enforce_buffer_limit(result);
  if (fin_ && delivered_ == *fin_ && !finished_) {
    finished_ = true;
    result.end_of_stream = true;
  }
  stats_.peak_buffered = std::max(stats_.peak_buffered, buffered_charge());
  return finish(kind);
}

SegmentKind TcpStreamReassembler::classify(std::int64_t begin, std::int64_t end) const {
  const bool has_data = end > begin;
  const auto next = static_cast<std::int64_t>(delivered_);
  if (has_data && end <= 0) return SegmentKind::kBeforeStart;
  if (fin_) {
    const auto stream_end = static_cast<std::int64_t>(*fin_);
    if (has_data ? begin >= stream_end : begin > stream_end) return SegmentKind::kAfterFin;
    // A bare FIN where the accepted one is: the sender repeating itself.
    if (!has_data && begin == stream_end) return SegmentKind::kRetransmission;
  }
  if (begin < next) {
    return end <= next ? SegmentKind::kRetransmission : SegmentKind::kPartialRetransmission;
  }
  return begin == next ? SegmentKind::kInOrder : SegmentKind::kOutOfOrder;
}

void TcpStreamReassembler::accept_fin(std::int64_t offset, SegmentResult& result) {
  if (fin_) {
    if (static_cast<std::int64_t>(*fin_) != offset) {
      result.events.set(ReassemblyEvent::kConflictingFin);
    }
    return;
  }
  // A FIN before bytes the application already read cannot end this stream.
  if (offset < static_cast<std::int64_t>(delivered_)) {
    result.events.set(ReassemblyEvent::kConflictingFin);
    return;
  }
  fin_ = static_cast<std::uint64_t>(offset);
  drop_held_from(*fin_, result);
}

void TcpStreamReassembler::check_retransmission(std::uint64_t offset,
                                                std::span<const std::uint8_t> bytes,
                                                SegmentResult& result) {
  result.retransmitted_bytes += bytes.size();
  stats_.bytes_retransmitted += bytes.size();
  // history_ holds [delivered_ - size, delivered_): while it grows, size == delivered_.
  const std::uint64_t kept_from = delivered_ - history_.size();
  const std::uint64_t end = offset + bytes.size();
  if (offset < kept_from) {
    const std::uint64_t unverified = std::min(end, kept_from) - offset;
    stats_.bytes_unverified += unverified;
    bytes = bytes.subspan(index(std::min<std::uint64_t>(unverified, bytes.size())));
    offset += unverified;
  }
  const std::size_t ring = config_.history;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const std::uint64_t at = offset + i;
    if (bytes[i] != history_[index(at % ring)]) {
      ++result.conflict_bytes;
      ++stats_.bytes_conflict;
      if (!result.first_conflict) result.first_conflict = at;
      result.events.set(ReassemblyEvent::kOverlapConflict);
    }
  }
}

void TcpStreamReassembler::note_conflicts(std::uint64_t offset,
                                          std::span<const std::uint8_t> incoming,
                                          std::span<const std::uint8_t> existing,
                                          SegmentResult& result) {
  result.overlap_bytes += incoming.size();
  stats_.bytes_overlap += incoming.size();
  result.events.set(ReassemblyEvent::kOverlap);
  for (std::size_t i = 0; i < incoming.size(); ++i) {
    if (incoming[i] != existing[i]) {
      ++result.conflict_bytes;
      ++stats_.bytes_conflict;
      if (!result.first_conflict) result.first_conflict = offset + i;
      result.events.set(ReassemblyEvent::kOverlapConflict);
    }
  }
}

// Compares the new bytes [offset, offset + size) with the held data they overlap, writes the
// new copy over held bytes where the policy lets it win, and returns the new bytes that overlap
// nothing (the gaps), in order.
std::vector<TcpStreamReassembler::Piece> TcpStreamReassembler::merge_with_held(
    std::uint64_t offset, std::span<const std::uint8_t> bytes, SegmentResult& result) {
  const std::uint64_t end = offset + bytes.size();
  auto it = held_.upper_bound(offset);
  if (it != held_.begin()) {
    const auto before = std::prev(it);
    if (before->first + before->second.size() > offset) it = before;
  }
  // The new copy wins over held bytes in [wins_from, end) and loses before it.
  std::uint64_t wins_from = end;
  if (config_.policy == OverlapPolicy::kLinux) {
    wins_from = offset;
    if (it != held_.end() && it->first <= offset) {
      const std::uint64_t held_end = it->first + it->second.size();
      if (end <= held_end) {
        wins_from = end;  // wholly inside one held segment: dropped
      } else if (it->first < offset) {
        wins_from = held_end;  // the held segment starts lower, so it is read first
      }
    }
  }

  std::vector<Piece> gaps;
  std::uint64_t cursor = offset;
  const auto bytes_of = [&](std::uint64_t from, std::uint64_t to) {
    return bytes.subspan(index(from - offset), index(to - from));
  };
  for (; it != held_.end() && it->first < end; ++it) {
    const std::uint64_t held_begin = it->first;
    std::vector<std::uint8_t>& held = it->second;
    if (cursor < held_begin) gaps.push_back({cursor, bytes_of(cursor, held_begin)});
    const std::uint64_t from = std::max(offset, held_begin);
    const std::uint64_t to = std::min(end, held_begin + held.size());
    const std::span<std::uint8_t> existing(held.data() + (from - held_begin), index(to - from));
    note_conflicts(from, bytes_of(from, to), existing, result);
    const std::uint64_t win = std::max(from, wins_from);
    if (win < to) {
      std::memcpy(held.data() + (win - held_begin), bytes_of(win, to).data(), index(to - win));
    }
    cursor = to;
  }
  if (cursor < end) gaps.push_back({cursor, bytes_of(cursor, end)});
  return gaps;
}

// Delivers from delivered_ onward: new pieces straight from the caller's payload, held
// segments as they become contiguous; new pieces past the first hole are held.
void TcpStreamReassembler::deliver(const std::vector<Piece>& pieces, SegmentResult& result) {
  std::size_t next_piece = 0;
  while (true) {
    std::span<const std::uint8_t> bytes;
    if (next_piece < pieces.size() && pieces[next_piece].offset == delivered_) {
      bytes = pieces[next_piece++].bytes;
    } else if (!held_.empty() && held_.begin()->first == delivered_) {
      auto node = held_.extract(held_.begin());
      held_bytes_ -= node.mapped().size();
      released_.push_back(std::move(node.mapped()));
      bytes = released_.back();  // moving released_'s elements keeps their buffers
    } else {
      break;
    }
    result.delivered.push_back({delivered_, bytes});
    remember(delivered_, bytes);
    delivered_ += bytes.size();
    stats_.bytes_delivered += bytes.size();
  }
  for (; next_piece < pieces.size(); ++next_piece) {
    hold(pieces[next_piece].offset, pieces[next_piece].bytes);
  }
}

void TcpStreamReassembler::hold(std::uint64_t offset, std::span<const std::uint8_t> bytes) {
  stats_.bytes_held += bytes.size();
  held_bytes_ += bytes.size();
  auto it = held_.lower_bound(offset);
  if (it != held_.begin()) {
    auto before = std::prev(it);
    // Appending to the segment it continues, as tcp_ooo_try_coalesce() does.
    if (before->first + before->second.size() == offset) {
      before->second.insert(before->second.end(), bytes.begin(), bytes.end());
      return;
    }
  }
  held_.emplace_hint(it, offset, std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
}

void TcpStreamReassembler::drop_held_from(std::uint64_t offset, SegmentResult& result) {
  std::size_t dropped = 0;
  auto it = held_.lower_bound(offset);
  if (it != held_.begin()) {
    auto& before = std::prev(it)->second;
    const std::uint64_t before_begin = std::prev(it)->first;
    if (before_begin + before.size() > offset) {
      dropped += index(before_begin + before.size() - offset);
      before.resize(index(offset - before_begin));
    }
  }
  while (it != held_.end()) {
    dropped += it->second.size();
    it = held_.erase(it);
  }
  if (dropped == 0) return;
  held_bytes_ -= dropped;
  stats_.bytes_after_fin += dropped;
  result.events.set(ReassemblyEvent::kDataAfterFin);
}

void TcpStreamReassembler::enforce_buffer_limit(SegmentResult& result) {
  while (!held_.empty() && buffered_charge() > config_.max_buffered) {
    const auto last = std::prev(held_.end());
    held_bytes_ -= last->second.size();
    stats_.bytes_overflow += last->second.size();
    held_.erase(last);
    result.events.set(ReassemblyEvent::kBufferOverflow);
  }
}

void TcpStreamReassembler::remember(std::uint64_t offset, std::span<const std::uint8_t> bytes) {
  const std::size_t ring = config_.history;
  if (ring == 0) return;
  if (bytes.size() > ring) {
    offset += bytes.size() - ring;
    bytes = bytes.last(ring);
  }
  const std::uint64_t end = offset + bytes.size();
  if (history_.size() < ring) {
    // Growing: offsets [0, size) sit at their own index, which is also offset % ring.
    const std::size_t want = index(std::min<std::uint64_t>(end, ring));
    if (want > history_.capacity()) {
      history_.reserve(std::min(ring, std::max(want, 2 * history_.capacity())));
    }
    if (want > history_.size()) history_.resize(want);
  }
  const std::size_t at = index(offset % ring);
  const std::size_t first = std::min(bytes.size(), ring - at);
  std::memcpy(history_.data() + at, bytes.data(), first);
  std::memcpy(history_.data(), bytes.data() + first, bytes.size() - first);
}

}  // namespace openfwp::flow
