// SPDX-License-Identifier: Apache-2.0
// TCP stream reassembly for one direction of a captured connection: observed segments in,
// the in-order byte stream out, with retransmissions, reordering and overlaps named.
#pragma once

// Design
// ------
// What it is for. WFP classifies FWPM_LAYER_STREAM_V4/V6 on the byte stream a TCP connection
// delivers to the socket, not on segments. pcap replay (issue #5) sees segments as they
// crossed the wire: duplicated, reordered, overlapping. `TcpStreamReassembler` is the receive
// side of one direction: it turns segments into in-order deliveries as a receiving stack would,
// and says what each segment was, so a replay can classify the stream layer on the bytes the
// application would have read and report the segments that did not add to it.
//
// Offsets, not sequence numbers. The stream starts at ISN + 1 (`start`) or, for a flow picked
// up mid-way, at the first segment's seq (`start_midstream`). Internally everything is a 64-bit
// stream offset (0 = first byte), so nothing wraps inside; a segment's offset comes from its
// serial-number distance to the next expected seq (RFC 1982: the signed 32-bit difference), so
// seq wraparound at 2^32 is handled once, at the door.
//
// What a segment is (`SegmentKind`, one per segment) and what happened to it (`ReassemblyEvent`,
// any number). The kind is where the segment lies relative to the stream: `in_order` starts at
// the next expected byte, `out_of_order` after a hole (held until the hole fills),
// `retransmission` lies wholly in delivered data (nothing delivered again),
// `partial_retransmission` starts in it and ends past it (the old prefix is trimmed),
// `beyond_window` starts more than `window` sequence numbers from the next expected byte
// (dropped whole: ahead, as Linux's tcp_sequence() drops it; that far behind, it cannot be told
// apart from a wrapped seq), `before_start` and `after_fin` lie wholly before the first byte or
// at/after the FIN. Events name the bytes that were
// trimmed, overlapped or dropped. Names are stable snake_case (traces and goldens use them).
//
// Overlaps (`OverlapPolicy`). Bytes already delivered always win: a stack cannot take back what
// the application read (tcp_data_queue trims the duplicate prefix). For bytes held out of
// order, `kLinux` (the default) follows tcp_data_queue_ofo(): a new segment wholly inside one
// held segment is dropped; a new segment starting strictly inside a held one loses the bytes
// up to that segment's end (the lower-starting copy is read first); everywhere else the new
// segment wins: it starts at or before the held data it covers (Linux replaces an skb with the
// same seq that it covers and drops the skbs it covers to its right; a partially covered one
// stays, but the new bytes come first in seq order). An in-order or partially retransmitted
// segment therefore overwrites held data it overlaps. Held segments are kept as Linux keeps
// skbs, coalescing a segment that starts exactly at a held one's end (tcp_ooo_try_coalesce);
// Linux keeps overlapping skbs side by side where we keep one copy of each byte, and its skb
// boundaries also depend on GRO and MAX_SKB_FRAGS, which a capture does not show: after
// several overlaps of overlaps the model can resolve differently from a given kernel.
// `kFirst` keeps the first copy of every byte received (the rule the BSDs and, reportedly,
// Windows follow; IDSs call it "first"). Whatever the policy, an overlapping byte that differs
// from the copy received before (held, or delivered and still in `history`) counts as
// `overlap_conflict`, with the offset of the first one: different data for the same sequence
// numbers is the classic IDS-evasion signal (Ptacek & Newsham 1998), never a healthy stack.
//
// FIN. The first FIN fixes the end of the stream at its segment's end; end-of-stream is
// delivered once every byte before it has arrived (an out-of-order FIN waits). Bytes at or
// after that offset are `data_after_fin` and dropped (held ones too); a FIN elsewhere, or before
// bytes already delivered, is `conflicting_fin` and ignored. RST is the caller's business: it
// stops feeding the reassembler.
//
// Bounded memory. Held data is charged its bytes plus kHeldSegmentOverhead per held segment
// (Linux charges an skb's truesize, not its payload), and the charge never exceeds
// `max_buffered` after a call: held segments farthest from the next expected byte are dropped
// first (as tcp_prune_ofo_queue() prunes from the tail), named `buffer_overflow`; the sender
// would retransmit them. Delivered bytes are copied into a ring of `history` bytes only to check
// retransmissions for conflicts; older retransmitted bytes count as unverified. Vectors may
// hold up to twice what they are charged (growth slack), so a direction's memory stays below
// about 2 × (max_buffered + history) plus the bytes delivered by the current call.
//
// Lifetime. Delivered chunks are spans: the in-order part of the segment just added points into
// the caller's payload, released held data into the reassembler. Both stay valid until the next
// call on this reassembler (and the payload's while the caller keeps it), so copy what you keep.
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace openfwp::flow {

/// Who wins where a new segment overlaps data held out of order (delivered data always wins).
enum class OverlapPolicy : std::uint8_t {
  kLinux,  ///< linux: tcp_data_queue_ofo()'s rules (see the essay)
  kFirst,  ///< first: the first copy of every byte received
};

/// Stable snake_case name of a policy ("linux").
std::string_view overlap_policy_name(OverlapPolicy policy);

/// Where a segment lies relative to the stream; exactly one per segment.
enum class SegmentKind : std::uint8_t {
  kEmpty,                  ///< empty: no payload and no FIN (a pure ACK or window update)
  kInOrder,                ///< in_order: starts at the next expected byte
  kPartialRetransmission,  ///< partial_retransmission: starts in delivered data, ends past it
  kRetransmission,         ///< retransmission: wholly delivered already, or the FIN again
  kOutOfOrder,             ///< out_of_order: starts after a hole; held
  kBeyondWindow,           ///< beyond_window: more than `window` from the next expected byte
  kBeforeStart,            ///< before_start: every byte precedes the stream's first byte
  kAfterFin,               ///< after_fin: every byte at or after the FIN (a bare FIN: past it)
};
inline constexpr std::size_t kSegmentKindCount = 8;

/// Stable snake_case name of a segment kind ("partial_retransmission").
std::string_view segment_kind_name(SegmentKind kind);

/// What happened to some of a segment's bytes; any number per segment.
enum class ReassemblyEvent : std::uint8_t {
  kOverlap,            ///< overlap: bytes overlapping data held out of order
  kOverlapConflict,    ///< overlap_conflict: bytes differing from the copy received before
  kBeforeStreamStart,  ///< before_stream_start: bytes before the first byte, dropped
  kDataAfterFin,       ///< data_after_fin: bytes at or after the FIN (new or held), dropped
  kConflictingFin,     ///< conflicting_fin: a FIN not where the first was, ignored
  kBufferOverflow,     ///< buffer_overflow: held bytes dropped to stay within max_buffered
};
inline constexpr std::size_t kReassemblyEventCount = 6;

/// Stable snake_case name of an event ("overlap_conflict").
std::string_view reassembly_event_name(ReassemblyEvent event);

/// A set of events, one bit each.
class ReassemblyEvents {
 public:
  void set(ReassemblyEvent event) { bits_ = static_cast<std::uint8_t>(bits_ | bit(event)); }
  bool has(ReassemblyEvent event) const { return (bits_ & bit(event)) != 0; }
  bool empty() const { return bits_ == 0; }

 private:
  static std::uint8_t bit(ReassemblyEvent event) {
    return static_cast<std::uint8_t>(1U << static_cast<unsigned>(event));
  }
  std::uint8_t bits_ = 0;
};

/// Per-segment charge on top of its bytes: a map node and a vector (Linux: skb truesize).
inline constexpr std::size_t kHeldSegmentOverhead = 128;

struct ReassemblyConfig {
  OverlapPolicy policy = OverlapPolicy::kLinux;
  /// Ceiling of the held-data charge (bytes + kHeldSegmentOverhead per held segment).
  std::size_t max_buffered = std::size_t{4} << 20;
  /// Largest accepted distance, in sequence numbers, between a segment's seq and the next
  /// expected one, ahead or behind. 2^30 is TCP's largest window (RFC 7323); must be < 2^31.
  std::uint32_t window = std::uint32_t{1} << 30;
  /// Delivered bytes kept to compare retransmissions against; 0 keeps none.
  std::size_t history = std::size_t{256} << 10;
};

/// Delivered stream bytes: `offset` counts from the stream's first byte (0).
struct StreamChunk {
  std::uint64_t offset = 0;
  std::span<const std::uint8_t> bytes;  ///< never empty; lifetime: see the essay
};

struct SegmentResult {
  SegmentKind kind = SegmentKind::kEmpty;
  ReassemblyEvents events;
  /// In stream order and contiguous, starting at the previous `delivered()`.
  std::vector<StreamChunk> delivered;
  bool end_of_stream = false;                   ///< the FIN was reached by this call
  std::size_t retransmitted_bytes = 0;          ///< bytes already delivered, not delivered again
  std::size_t overlap_bytes = 0;                ///< bytes overlapping held data
  std::size_t conflict_bytes = 0;               ///< bytes differing from the copy received before
  std::optional<std::uint64_t> first_conflict;  ///< stream offset of the first of those

  std::size_t delivered_bytes() const;
};

/// Totals for a flow summary.
struct ReassemblyStats {
  std::array<std::uint64_t, kSegmentKindCount> segments{};    ///< by SegmentKind
  std::array<std::uint64_t, kReassemblyEventCount> events{};  ///< segments with each event
  std::uint64_t bytes_delivered = 0;
  std::uint64_t bytes_retransmitted = 0;  ///< seen again after delivery
  std::uint64_t bytes_unverified = 0;     ///< of those, older than `history`: not compared
  std::uint64_t bytes_held = 0;           ///< stored out of order (some later overwritten/dropped)
  std::uint64_t bytes_overlap = 0;        ///< overlapping held data
  std::uint64_t bytes_conflict = 0;       ///< differing from the copy received before
  std::uint64_t bytes_beyond_window = 0;
  std::uint64_t bytes_before_start = 0;
  std::uint64_t bytes_after_fin = 0;  ///< new or held bytes dropped at or after the FIN
  std::uint64_t bytes_overflow = 0;   ///< held bytes dropped by buffer_overflow
  std::size_t peak_buffered = 0;      ///< high-water mark of the held-data charge

  std::uint64_t count(SegmentKind kind) const { return segments[static_cast<std::size_t>(kind)]; }
  std::uint64_t count(ReassemblyEvent event) const {
    return events[static_cast<std::size_t>(event)];
  }
};

/// The receive side of one direction of one TCP connection.
class TcpStreamReassembler {
 public:
  explicit TcpStreamReassembler(ReassemblyConfig config = {});

  /// Begins a stream at isn + 1 (the SYN of this direction was seen). A SYN's own payload
  /// (TCP Fast Open) is then add(isn + 1, payload, fin). Discards any previous stream.
  void start(std::uint32_t isn);
  /// Begins a stream at `seq`, the first segment seen of a flow picked up without its SYN.
  void start_midstream(std::uint32_t seq);

  /// One observed segment of this direction: its seq, payload and FIN flag. Requires start.
  SegmentResult add(std::uint32_t seq, std::span<const std::uint8_t> payload, bool fin);

  bool started() const { return started_; }
  /// Bytes delivered so far, which is the stream offset of the next expected byte.
  std::uint64_t delivered() const { return delivered_; }
  /// The sequence number of the next expected byte (rcv_nxt, not counting the FIN).
  std::uint32_t next_seq() const;
  /// The stream's end, once a FIN was accepted.
  std::optional<std::uint64_t> fin_offset() const { return fin_; }
  /// End of stream was delivered: every byte before the FIN arrived.
  bool finished() const { return finished_; }
  std::size_t buffered_bytes() const { return held_bytes_; }
  std::size_t held_segments() const { return held_.size(); }
  /// Held bytes + kHeldSegmentOverhead per held segment; ≤ config().max_buffered after add.
  std::size_t buffered_charge() const;
  const ReassemblyStats& stats() const { return stats_; }
  const ReassemblyConfig& config() const { return config_; }

 private:
  struct Piece {  // new bytes that overlap no held data
    std::uint64_t offset;
    std::span<const std::uint8_t> bytes;
  };

  void restart(std::uint32_t first_seq);
  SegmentKind classify(std::int64_t begin, std::int64_t end) const;
  void accept_fin(std::int64_t offset, SegmentResult& result);
  void check_retransmission(std::uint64_t offset, std::span<const std::uint8_t> bytes,
                            SegmentResult& result);
  std::vector<Piece> merge_with_held(std::uint64_t offset, std::span<const std::uint8_t> bytes,
                                     SegmentResult& result);
  void note_conflicts(std::uint64_t offset, std::span<const std::uint8_t> incoming,
                      std::span<const std::uint8_t> existing, SegmentResult& result);
  void deliver(const std::vector<Piece>& pieces, SegmentResult& result);
  void hold(std::uint64_t offset, std::span<const std::uint8_t> bytes);
  void drop_held_from(std::uint64_t offset, SegmentResult& result);
  void enforce_buffer_limit(SegmentResult& result);
  void remember(std::uint64_t offset, std::span<const std::uint8_t> bytes);

  ReassemblyConfig config_;
  bool started_ = false;
  std::uint32_t first_seq_ = 0;  // seq of stream offset 0
  std::uint64_t delivered_ = 0;
  std::optional<std::uint64_t> fin_;
  bool finished_ = false;
  // Held out-of-order data by stream offset: non-empty, disjoint, all past delivered_.
  std::map<std::uint64_t, std::vector<std::uint8_t>> held_;
  std::size_t held_bytes_ = 0;
  // Held data released by the current call; owns what its chunks point at.
  std::vector<std::vector<std::uint8_t>> released_;
  // Ring of the last `history` delivered bytes: offset o sits at index o % history.
  std::vector<std::uint8_t> history_;
  ReassemblyStats stats_;
};

}  // namespace openfwp::flow
