// SPDX-License-Identifier: Apache-2.0
// IP fragment reassembly for pcap replay: IPv4 and IPv6 fragments in, whole IP packets (or a
// named reason why not) out, with memory bounded by explicit limits.
#pragma once

// Design
// ------
// What it is for. WFP classifies reassembled datagrams at its transport layers, so pcap
// replay (issue #5) must turn the fragments of a capture back into the packets the stack
// would have seen, and report every fragment it could not use as a named discard. The driver
// decodes each frame (decode.h) and hands every packet whose `IpInfo::fragment` is set to
// add(), whether or not its transport header decoded (a first fragment may hold too little of
// it: that is what the reassembled packet will tell). A completed datagram comes back as an
// owned IP packet that decode_ip() decodes like any unfragmented one: the first fragment's
// header with the fragmentation removed (IPv4: MF and offset cleared, total length and header
// checksum recomputed; IPv6: the fragment header taken out of the chain, the next-header
// field that named it and the payload length patched), then the data of every fragment.
//
// Untrusted input. A capture can hold anything, so every byte is read through the checked
// internal::ByteView, and the fields reassembly depends on (offsets, lengths, the IPv6 chain
// up to the fragment header) are read from `ip_bytes` and checked against the DecodedPacket:
// a packet that does not describe those bytes is `not_a_fragment`, never a wrong read.
//
// Key (RFC 791 §3.2, RFC 8200 §4.5). IPv4: source, destination, protocol, identification.
// IPv6: source, destination, identification; the next header is not part of it.
//
// Policy, in the spirit of RFC 5722 and of Linux since 4.19 (the "FragmentSmack" fixes of
// 2018, "ip: discard IPv4 datagrams with overlapping segments"): a receiver must never
// have to choose between two versions of the same bytes, because that choice is what IDS
// evasion and the old teardrop-style attacks rely on.
//   - Overlap: a fragment whose range meets held data drops the whole datagram
//     (fragment_overlap), for IPv6 (RFC 5722, RFC 8200) and IPv4 alike. The exception is a
//     duplicate: a fragment that lies wholly inside held data *with identical bytes* is
//     ignored and counted (retransmissions and capture duplicates are common). Later Linux
//     (inet_frag_queue_insert) treats any fragment inside a held run as a duplicate without
//     comparing bytes, which keeps the first version; we compare: other bytes are an overlap.
//   - Two ends: a last fragment with a different end, a last fragment that ends before held
//     data, or data beyond a known end drops the whole datagram (conflicting_last_fragment).
//     Linux drops only the offending fragment, so which end wins depends on arrival order; we
//     prefer an outcome that does not.
//   - Fragment-only errors drop just that fragment and keep the datagram: a non-last fragment
//     whose data is empty or not a multiple of 8 (fragment_bad_length; RFC 8200 §4.5 and
//     Linux's IPv6 path; Linux rounds IPv4 down, we do not guess which bytes were meant), and
//     one that would make the datagram longer than the limit (fragment_too_large; RFC 8200
//     §4.5: the IPv4 total length and the IPv6 payload length are 16-bit fields).
//   - An IPv6 atomic fragment (offset 0, M = 0; RFC 6946, RFC 8200 §4.5) is a whole packet: it
//     completes at once, without touching any datagram in progress.
//   - After a datagram is dropped, later fragments of the same key start a new one (they will
//     normally time out): Linux does the same.
//
// Limits (ReassemblyLimits) bound memory: at most `max_datagrams_in_progress` datagrams of at
// most `max_fragments_per_datagram` fragments, and `max_bytes_in_progress` bytes held in all
// (Linux's ipfrag_high_thresh is 4 MiB per namespace and family; an offline reader can afford
// more). Held data never overlaps, so one datagram holds at most `max_datagram_bytes`. When a
// new datagram needs a slot, or new bytes need room, the datagrams nearest their timeout (for
// one IP version: the oldest) are evicted and reported: a flood of incomplete datagrams then
// costs the flood, not the healthy traffic after it. (Linux instead refuses new fragments
// above its threshold until timers free memory.) A datagram needing more fragments than the
// limit is dropped whole (too_many_fragments): it could not complete within the bound.
//
// Time is the capture's clock (timestamps passed in, nanoseconds), never the wall clock, so
// replay is deterministic. A datagram times out `timeout` after its first fragment arrived:
// RFC 8200 and Linux's ip6frag_time give IPv6 60 s; Linux's ipfrag_time gives IPv4 30 s (RFC
// 791's 15 s is a lower bound for the initial timer). add() first expires whatever is due at
// its timestamp (reported in the outcome), so results do not depend on how often the driver
// calls expire(); expire(now) reports the rest as time passes, and flush() everything left at
// the end of a capture. Timestamps that go backwards never expire anything early and never
// overflow.
//
// Frames. The caller tags each fragment with a number (the pcap frame index); outcomes name the
// frames a packet was made of, or that were discarded and why, so the driver can report them.
//
// Thread-safety: one reassembler per thread (or per capture); it holds all its own memory.
#include "common/ip_address.h"
#include "io/wire/decode.h"

#include <compare>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace openfwp::io::wire {

/// Why fragments were discarded. Names (reassembly_discard_name) are stable: they appear in
/// traces and goldens.
enum class ReassemblyDiscard : std::uint8_t {
  kNotAFragment,                 ///< not_a_fragment: no IP fragment, or bytes ≠ the decode
  kFragmentBadLength,            ///< fragment_bad_length: non-last, data empty or not 8×n
  kFragmentTooLarge,             ///< fragment_too_large: datagram beyond the length limit
  kFragmentOverlap,              ///< fragment_overlap: meets held data with other bytes
  kConflictingLastFragment,      ///< conflicting_last_fragment: two ends, or data past it
  kTooManyFragments,             ///< too_many_fragments: beyond max_fragments_per_datagram
  kTooManyDatagramsInProgress,   ///< too_many_datagrams_in_progress: evicted for a new one
  kFragmentMemoryLimit,          ///< fragment_memory_limit: evicted for max_bytes_in_progress
  kFragmentReassemblyTimeout,    ///< fragment_reassembly_timeout: incomplete after timeout
  kFragmentReassemblyIncomplete  ///< fragment_reassembly_incomplete: left at flush()
};

/// Stable snake_case name of a discard reason ("fragment_overlap").
std::string_view reassembly_discard_name(ReassemblyDiscard reason);

struct ReassemblyLimits {
  std::size_t max_datagrams_in_progress = 1024;
  std::size_t max_fragments_per_datagram = 64;
  /// The largest reassembled packet, IP header included. IPv4 is further held to its 16-bit
  /// total length (65535), IPv6 to its 16-bit payload length (40 + 65535, the default).
  std::size_t max_datagram_bytes = 40 + 65535;
  /// Bytes held (fragment data and first-fragment headers) across all datagrams.
  std::size_t max_bytes_in_progress = std::size_t{64} << 20;
  std::uint64_t ipv4_timeout_ns = 30'000'000'000;
  std::uint64_t ipv6_timeout_ns = 60'000'000'000;
};

/// Which datagram a fragment belongs to.
struct DatagramKey {
  std::uint8_t version = 0;  ///< 4 or 6
  IpAddress source;
  IpAddress destination;
  std::uint8_t protocol = 0;  ///< IPv4 protocol field; always 0 for IPv6
  std::uint32_t identification = 0;

  friend auto operator<=>(const DatagramKey&, const DatagramKey&) = default;
};

/// A datagram given up before it completed.
struct DiscardedDatagram {
  DatagramKey key;
  ReassemblyDiscard reason = ReassemblyDiscard::kFragmentReassemblyTimeout;
  std::vector<std::uint64_t> frames;  ///< the fragments it held, by offset
  std::size_t bytes = 0;              ///< fragment data bytes it held
  std::uint64_t first_seen_ns = 0;
  /// Its offset-0 fragment had arrived: a host would send ICMP time exceeded (code 1) on a
  /// timeout (RFC 792, RFC 8200 §4.5).
  bool had_first_fragment = false;
};

enum class FragmentStatus : std::uint8_t {
  kHeld,       ///< stored; its datagram is still incomplete
  kDuplicate,  ///< its bytes were already held at that place: ignored
  kComplete,   ///< it completed its datagram: ReassemblyOutcome::packet
  kDiscarded,  ///< dropped for `reason`, alone or with its datagram (`frames`)
};

/// What add() did with one fragment.
struct ReassemblyOutcome {
  FragmentStatus status = FragmentStatus::kHeld;
  DatagramKey key;  ///< its datagram (default for not_a_fragment)
  /// kComplete: the reassembled IP packet, for decode_ip().
  std::vector<std::uint8_t> packet;
  /// kComplete: the frames it was made of, by offset. kDiscarded: the frames dropped, this one
  /// included (only this one unless the reason drops the datagram).
  std::vector<std::uint64_t> frames;
  std::size_t duplicates = 0;               ///< kComplete: duplicates ignored on the way
  std::optional<ReassemblyDiscard> reason;  ///< kDiscarded
  /// Other datagrams given up during this call: timed out at its timestamp, or evicted to
  /// make room under the limits.
  std::vector<DiscardedDatagram> evicted;
};

class FragmentReassembler {
 public:
  FragmentReassembler() = default;
  explicit FragmentReassembler(const ReassemblyLimits& limits) : limits_(limits) {}

  /// Adds one fragment: `fragment` is its decode (decode_frame or decode_ip) and `ip_bytes`
  /// the bytes it was decoded from, starting at the IP header (a frame's bytes from
  /// link.header_length; link trailer bytes after the packet are allowed). `frame` is the
  /// caller's tag for it, reported back in outcomes. Keeps no reference to either argument.
  ReassemblyOutcome add(const DecodedPacket& fragment, std::span<const std::uint8_t> ip_bytes,
                        std::uint64_t timestamp_ns, std::uint64_t frame);

  /// Gives up every datagram whose timeout has passed at `now_ns`, in deadline order.
  std::vector<DiscardedDatagram> expire(std::uint64_t now_ns);

  /// Gives up every datagram still in progress (end of capture), in deadline order.
  std::vector<DiscardedDatagram> flush();

  std::size_t datagrams_in_progress() const { return datagrams_.size(); }
  std::size_t bytes_in_progress() const { return bytes_in_progress_; }
  const ReassemblyLimits& limits() const { return limits_; }

 private:
  struct Held {
    std::size_t offset = 0;
    std::vector<std::uint8_t> data;
    std::uint64_t frame = 0;
  };
  struct Datagram {
    std::vector<Held> fragments;  ///< sorted by offset, never overlapping
    std::optional<std::size_t> end;
    std::size_t extent = 0;  ///< the largest end of any held fragment
    /// The first fragment's header (IPv4) or unfragmentable part (IPv6), once it arrived.
    std::vector<std::uint8_t> header;
    bool has_header = false;
    std::uint8_t next_header = 0;    ///< IPv6: the fragment header's next header
    std::size_t next_header_at = 0;  ///< IPv6: where in `header` the chain names it
    std::size_t bytes = 0;           ///< held: header + data
    std::size_t data_bytes = 0;
    std::size_t duplicates = 0;
    std::uint64_t first_seen_ns = 0;
    std::pair<std::uint64_t, std::uint64_t> order;  ///< (deadline, serial): its by_deadline_ key
  };
  using Map = std::map<DatagramKey, Datagram>;

  DiscardedDatagram discard(Map::iterator it, ReassemblyDiscard reason);
  void expire_into(std::uint64_t now_ns, std::vector<DiscardedDatagram>& out);
  /// Evicts the datagram nearest its deadline other than `keep`; false when there is none.
  bool evict_oldest(const DatagramKey* keep, ReassemblyDiscard reason,
                    std::vector<DiscardedDatagram>& out);
  std::uint64_t timeout_of(std::uint8_t version) const;

  ReassemblyLimits limits_;
  Map datagrams_;
  std::map<std::pair<std::uint64_t, std::uint64_t>, DatagramKey> by_deadline_;
  std::uint64_t serial_ = 0;
  std::size_t bytes_in_progress_ = 0;
};

}  // namespace openfwp::io::wire
