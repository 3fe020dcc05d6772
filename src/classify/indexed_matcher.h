// SPDX-License-Identifier: Apache-2.0
// IndexedMatcher: the fast LayerMatcher. Same contract and same visit sequence as
// LinearMatcher (the differential tests hold it to that); cost per classification grows with
// the number of distinct filter shapes, not with the number of filters.
//
// Design: tuple-space search with merged tuples, per sublayer (Srinivasan et al., "Packet
// classification using tuple space search"; Daly et al., TupleMerge, 2019; the OVS classifier
// is the production example).
//
//  - Each filter's numeric conditions (addresses, ports, protocol, flags words, interface
//    indexes, …) are compiled to one interval per field where the field's conditions are a
//    single interval (internal/field_interval.h). Every value in an interval shares a prefix
//    of its bits; its length is the filter's "maximal length" on that field (0: any value).
//  - A tuple is a list of (field, length). A filter lives in one tuple whose lengths are no
//    longer than its own; its key there is the top `length` bits of each field. A packet's key
//    for that tuple is the same bits of its values, so a filter can match a packet only if the
//    two keys are equal: one hash probe per tuple finds every candidate.
//  - TupleMerge's point: allow a filter into a less specific tuple than its own, so a few
//    tuples hold many shapes (a /27 and a /30 share a /24 tuple). A new filter goes to the most
//    specific compatible tuple whose bucket has room (kBucketLimit); otherwise it founds a tuple
//    of its own lengths rounded down to a coarse grid (8 bits for IPv4 and ports, 16 for wider
//    fields; 8-bit fields such as the protocol are not hashed), which bounds the number of
//    tuples: 5–14 on the ClassBench sets of bench/ from 1k to 100k filters.
//  - Candidates are checked exactly: each compiled interval, plus condition_matches for the
//    conditions that are not intervals (strings, SIDs, flags, NOT_EQUAL, OR'ed values). The
//    index only narrows; the generic code decides. That is why the visit sequence cannot
//    differ from the reference.
//  - Order. Buckets are sorted by arbitration order; tuples by the best filter they hold. A
//    classification walks the sublayers in rank order and, inside one, merges the candidates of
//    the buckets hit in order, probing the next tuple only when its best filter could come
//    before the best candidate in hand. A terminating filter found early therefore ends the
//    walk without probing the tuples whose filters all rank below it.
//
// Updates are O(tuples + bucket) per insert and O(bucket) per erase; nothing is rebuilt. A
// tuple's "best" is kept as an upper bound after erases (never stale the unsafe way: it may
// only promise more than the tuple holds, which costs a probe, never a missed filter).
//
// Cost per classification: O(sublayers + tuples probed + candidates checked). No allocation
// unless more than kInlineCursors buckets are hit at once in one sublayer.
#pragma once

#include "classify/internal/bucket_table.h"
#include "classify/internal/field_interval.h"
#include "classify/layer_matcher.h"

#include <memory>
#include <unordered_map>
#include <vector>

namespace openfwp::classify {

class IndexedMatcher final : public LayerMatcher {
 public:
  /// At most this many filters share a bucket before a more specific tuple is made for the
  /// next one (TupleMerge's collision limit). Buckets of filters that cannot be told apart by
  /// their numeric conditions grow beyond it. 32 measured best of 8/16/32 on the ClassBench
  /// sets: fewer tuples to probe outweigh longer buckets (which are sorted, so a walk stops at
  /// the first match).
  static constexpr std::size_t kBucketLimit = 32;

  IndexedMatcher(model::LayerId layer, std::vector<MatchEntry> entries);
  ~IndexedMatcher() override;

  void for_each_match(const model::IncomingValues& in, MatchVisitor visit) const override;
  void insert(const MatchEntry& entry) override;
  bool erase(const MatchEntry& entry) override;
  std::size_t size() const override { return compiled_.size(); }
  std::size_t memory_bytes() const override;
  std::string_view name() const override { return "indexed"; }

  /// Number of tuples over all sublayers (for benchmarks and tests of the index's shape).
  std::size_t tuple_count() const;

  static std::unique_ptr<LayerMatcher> make(model::LayerId layer, std::vector<MatchEntry> entries);

  // Internals (defined in the .cpp).
  struct Compiled;
  struct Tuple;
  struct Partition;
  struct PacketBits;

 private:
  std::unique_ptr<Compiled> compile(const MatchEntry& entry) const;
  Partition& partition_for(std::uint32_t rank);
  Tuple& choose_tuple(Partition& partition, const Compiled& compiled);
  void project(const model::IncomingValues& in, PacketBits& packet) const;
  void count_field_uses(const Compiled& compiled, int delta);
  // Visits the matches of one sublayer; false when the visitor said kStop.
  bool visit_partition(const Partition& partition, const model::IncomingValues& in,
                       const PacketBits& packet, MatchVisitor visit) const;

  model::LayerId layer_;
  // The layer's numeric fields: position among the incoming values and width in bits.
  struct IndexedField {
    std::uint16_t index;
    std::uint8_t width;
  };
  std::vector<std::uint8_t> width_by_index_;  // 0 for fields that are not indexed
  // How many filters check or hash each field, and the fields some filter does: a packet's
  // values are read only for those.
  std::vector<std::uint32_t> field_use_;
  std::vector<IndexedField> used_fields_;
  std::vector<std::unique_ptr<Partition>> partitions_;                     // by rank
  std::unordered_map<std::uint64_t, std::unique_ptr<Compiled>> compiled_;  // by filter id
};

}  // namespace openfwp::classify
