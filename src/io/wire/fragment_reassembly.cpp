// SPDX-License-Identifier: Apache-2.0
// Fragment reassembly, the version-agnostic books: datagrams in progress, overlap and
// duplicate checks, limits, eviction and timeouts (policy in fragment_reassembly.h).
#include "io/wire/fragment_reassembly.h"

#include "io/wire/internal/fragment_steps.h"

#include <algorithm>
#include <limits>

namespace openfwp::io::wire {
namespace {

using internal::FragmentView;

enum class Overlap : std::uint8_t { kNone, kDuplicate, kConflict };

/// How [offset, offset + data.size()) meets the held fragments (sorted, disjoint): not at
/// all, wholly inside held data with the same bytes, or otherwise. (A template only because
/// the held-fragment type is private to FragmentReassembler.)
template <typename Held>
Overlap classify_overlap(const std::vector<Held>& held, std::size_t offset,
                         std::span<const std::uint8_t> data) {
  const std::size_t end = offset + data.size();
  std::size_t covered = offset;  // [offset, covered) matched held bytes so far
  bool met = false;
  for (const Held& h : held) {
    const std::size_t h_end = h.offset + h.data.size();
    if (h_end <= offset || h.offset >= end) continue;
    met = true;
    if (h.offset > covered) return Overlap::kConflict;  // a gap: partly new data
    const std::size_t from = covered;
    const std::size_t to = std::min(end, h_end);
    if (!std::equal(data.begin() + static_cast<std::ptrdiff_t>(from - offset),
                    data.begin() + static_cast<std::ptrdiff_t>(to - offset),
                    h.data.begin() + static_cast<std::ptrdiff_t>(from - h.offset))) {
      return Overlap::kConflict;
    }
    covered = to;
  }
  if (!met) return Overlap::kNone;
  return covered == end ? Overlap::kDuplicate : Overlap::kConflict;
}

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return b > std::numeric_limits<std::uint64_t>::max() - a
             ? std::numeric_limits<std::uint64_t>::max()
             : a + b;
}

ReassemblyOutcome& drop_fragment(ReassemblyOutcome& out, ReassemblyDiscard reason,
                                 std::uint64_t frame) {
  out.status = FragmentStatus::kDiscarded;
  out.reason = reason;
  out.frames.push_back(frame);
  return out;
}

}  // namespace

std::uint64_t FragmentReassembler::timeout_of(std::uint8_t version) const {
  return version == 4 ? limits_.ipv4_timeout_ns : limits_.ipv6_timeout_ns;
}

DiscardedDatagram FragmentReassembler::discard(Map::iterator it, ReassemblyDiscard reason) {
  const Datagram& d = it->second;
  DiscardedDatagram out;
  out.key = it->first;
  out.reason = reason;
  for (const Held& h : d.fragments) out.frames.push_back(h.frame);
  out.bytes = d.data_bytes;
  out.first_seen_ns = d.first_seen_ns;
  out.had_first_fragment = d.has_header;
  bytes_in_progress_ -= d.bytes;
  by_deadline_.erase(d.order);
  datagrams_.erase(it);
  return out;
}

void FragmentReassembler::expire_into(std::uint64_t now_ns, std::vector<DiscardedDatagram>& out) {
  while (!by_deadline_.empty() && by_deadline_.begin()->first.first <= now_ns) {
    out.push_back(discard(datagrams_.find(by_deadline_.begin()->second),
                          ReassemblyDiscard::kFragmentReassemblyTimeout));
  }
}

bool FragmentReassembler::evict_oldest(const DatagramKey* keep, ReassemblyDiscard reason,
                                       std::vector<DiscardedDatagram>& out) {
  for (const auto& [order, key] : by_deadline_) {
    if (keep != nullptr && key == *keep) continue;
    out.push_back(discard(datagrams_.find(key), reason));
    return true;
  }
  return false;
}

std::vector<DiscardedDatagram> FragmentReassembler::expire(std::uint64_t now_ns) {
  std::vector<DiscardedDatagram> out;
  expire_into(now_ns, out);
  return out;
}

std::vector<DiscardedDatagram> FragmentReassembler::flush() {
  std::vector<DiscardedDatagram> out;
  while (!by_deadline_.empty()) {
    out.push_back(discard(datagrams_.find(by_deadline_.begin()->second),
                          ReassemblyDiscard::kFragmentReassemblyIncomplete));
  }
  return out;
}

ReassemblyOutcome FragmentReassembler::add(const DecodedPacket& fragment,
                                           std::span<const std::uint8_t> ip_bytes,
                                           std::uint64_t timestamp_ns, std::uint64_t frame) {
  ReassemblyOutcome out;
  expire_into(timestamp_ns, out.evicted);
  const std::optional<FragmentView> view = internal::read_fragment(fragment, ip_bytes);
  if (!view) return drop_fragment(out, ReassemblyDiscard::kNotAFragment, frame);
  const FragmentView& f = *view;
  out.key = f.key;
  const std::uint8_t version = f.key.version;
  const std::size_t max_packet = internal::max_packet_length(version, limits_.max_datagram_bytes);
  const std::size_t end = f.offset + f.data.size();

  // An IPv6 atomic fragment is a whole packet (RFC 6946): no datagram is involved.
  if (f.offset == 0 && !f.more_fragments) {
    if (f.header.size() + f.data.size() > max_packet) {
      return drop_fragment(out, ReassemblyDiscard::kFragmentTooLarge, frame);
    }
    out.packet.assign(f.header.begin(), f.header.end());
    out.packet.insert(out.packet.end(), f.data.begin(), f.data.end());
    internal::finish_reassembled_header(version, out.packet, f.header.size(), f.next_header,
                                        f.next_header_at);
    out.status = FragmentStatus::kComplete;
    out.frames.push_back(frame);
    return out;
  }

  // Errors of the fragment alone: it is dropped, its datagram kept.
  if (f.more_fragments && (f.data.empty() || f.data.size() % 8 != 0)) {
    return drop_fragment(out, ReassemblyDiscard::kFragmentBadLength, frame);
  }
  auto it = datagrams_.find(f.key);
  const bool exists = it != datagrams_.end();
  std::size_t header_length = internal::min_header_length(version);
  if (f.offset == 0) {
    header_length = f.header.size();
  } else if (exists && it->second.has_header) {
    header_length = it->second.header.size();
  }
  const std::size_t extent = std::max(end, exists ? it->second.extent : 0);
  if (header_length + extent > max_packet) {
    return drop_fragment(out, ReassemblyDiscard::kFragmentTooLarge, frame);
  }

  // Contradictions with what the datagram holds: the whole datagram goes.
  const auto drop_datagram = [&](ReassemblyDiscard reason) -> ReassemblyOutcome& {
    out.frames = discard(it, reason).frames;
    return drop_fragment(out, reason, frame);
  };
  if (exists) {
    const Datagram& d = it->second;
    const bool conflicting_end =
        f.more_fragments ? d.end && end > *d.end : (d.end && *d.end != end) || end < d.extent;
    if (conflicting_end) return drop_datagram(ReassemblyDiscard::kConflictingLastFragment);
    // An empty last fragment names the end that is already known: nothing new.
    const Overlap overlap = f.data.empty() && d.end
                                ? Overlap::kDuplicate
                                : classify_overlap(d.fragments, f.offset, f.data);
    if (overlap == Overlap::kConflict) return drop_datagram(ReassemblyDiscard::kFragmentOverlap);
    if (overlap == Overlap::kDuplicate) {
      ++it->second.duplicates;
      out.status = FragmentStatus::kDuplicate;
      return out;
    }
    if (d.fragments.size() >= limits_.max_fragments_per_datagram) {
      return drop_datagram(ReassemblyDiscard::kTooManyFragments);
    }
  } else {
    if (limits_.max_fragments_per_datagram == 0) {
      return drop_fragment(out, ReassemblyDiscard::kTooManyFragments, frame);
    }
    while (datagrams_.size() >= limits_.max_datagrams_in_progress) {
      if (!evict_oldest(nullptr, ReassemblyDiscard::kTooManyDatagramsInProgress, out.evicted)) {
        return drop_fragment(out, ReassemblyDiscard::kTooManyDatagramsInProgress, frame);
      }
    }
  }

  // Room for the new bytes, made by evicting others; if that is not enough, this one goes.
  const bool new_header = f.offset == 0 && !(exists && it->second.has_header);
  const std::size_t new_bytes = f.data.size() + (new_header ? f.header.size() : 0);
  const DatagramKey* keep = exists ? &it->first : nullptr;
  while (bytes_in_progress_ + new_bytes > limits_.max_bytes_in_progress) {
    if (!evict_oldest(keep, ReassemblyDiscard::kFragmentMemoryLimit, out.evicted)) break;
  }
  if (bytes_in_progress_ + new_bytes > limits_.max_bytes_in_progress) {
    if (exists) return drop_datagram(ReassemblyDiscard::kFragmentMemoryLimit);
    return drop_fragment(out, ReassemblyDiscard::kFragmentMemoryLimit, frame);
  }

  if (!exists) {
    it = datagrams_.emplace(f.key, Datagram{}).first;
    Datagram& d = it->second;
    d.first_seen_ns = timestamp_ns;
    d.order = {saturating_add(timestamp_ns, timeout_of(version)), serial_++};
    by_deadline_.emplace(d.order, f.key);
  }
  Datagram& d = it->second;
  const auto at =
      std::upper_bound(d.fragments.begin(), d.fragments.end(), f.offset,
                       [](std::size_t offset, const Held& h) { return offset < h.offset; });
  d.fragments.insert(at, Held{f.offset, {f.data.begin(), f.data.end()}, frame});
  d.extent = std::max(d.extent, end);
  if (!f.more_fragments) d.end = end;
  if (new_header) {
    d.header.assign(f.header.begin(), f.header.end());
    d.has_header = true;
    d.next_header = f.next_header;
    d.next_header_at = f.next_header_at;
  }
  d.bytes += new_bytes;
  d.data_bytes += f.data.size();
  bytes_in_progress_ += new_bytes;

  // Held data never overlaps, so as many data bytes as the end means no hole is left.
  if (!d.end || !d.has_header || d.data_bytes != *d.end) {
    out.status = FragmentStatus::kHeld;
    return out;
  }
  out.packet.reserve(d.header.size() + d.data_bytes);
  out.packet.assign(d.header.begin(), d.header.end());
  for (const Held& h : d.fragments) {
    out.packet.insert(out.packet.end(), h.data.begin(), h.data.end());
    out.frames.push_back(h.frame);
  }
  internal::finish_reassembled_header(version, out.packet, d.header.size(), d.next_header,
                                      d.next_header_at);
  out.duplicates = d.duplicates;
  out.status = FragmentStatus::kComplete;
  bytes_in_progress_ -= d.bytes;
  by_deadline_.erase(d.order);
  datagrams_.erase(it);
  return out;
}

}  // namespace openfwp::io::wire
