// SPDX-License-Identifier: Apache-2.0
// The indexed matcher: compiling filters, placing them in tuples, and the ordered merge of
// the buckets a packet hits. The design is in indexed_matcher.h.
#include "classify/indexed_matcher.h"

#include "classify/condition_match.h"
#include "common/assert.h"

#include <algorithm>
#include <array>
#include <compare>
#include <span>

namespace openfwp::classify {
namespace {

using internal::Bits;
using internal::BucketTable;

// Fields at positions beyond this are checked by the generic code only (no layer has that
// many numeric fields; the limit keeps a packet's presence set in one word).
constexpr std::size_t kMaxIndexedPosition = 64;
constexpr std::size_t kInlineCursors = 32;
constexpr std::size_t kInlineChecks = 5;
constexpr std::size_t kMaxDims = 8;  // see kFieldMultipliers  // a 5-tuple
// Tuples are probed this many at a time: their hash lookups are independent, so the CPU
// overlaps their cache misses (and the prefetches ask it to).
constexpr std::size_t kProbeBatch = 8;

// Arbitration order inside a sublayer as one comparable value (filter_before).
struct OrderKey {
  std::uint64_t inverse_weight = ~std::uint64_t{0};
  std::uint64_t id = ~std::uint64_t{0};
  friend auto operator<=>(const OrderKey&, const OrderKey&) = default;
};

OrderKey order_of(const model::Filter& filter) { return {~filter.effective_weight, filter.id}; }

// A tuple key's hash: each field's bits times its own odd constant, summed, then mixed once.
// The products are independent, so a key of several fields costs about one multiply of
// latency, not one per field (a chained mix was a fifth of a lookup). Collisions only merge
// buckets, which the exact checks make harmless.
constexpr std::array<std::uint64_t, 2 * 8> kFieldMultipliers = {
    0x9e3779b97f4a7c15ULL, 0xbf58476d1ce4e5b9ULL, 0x94d049bb133111ebULL, 0xd6e8feb86659fd93ULL,
    0xa0761d6478bd642fULL, 0xe7037ed1a0b428dbULL, 0x8ebc6af09c88c6e3ULL, 0x589965cc75374cc3ULL,
    0x1d8e4e27c47d124fULL, 0xc2b2ae3d27d4eb4fULL, 0x165667b19e3779f9ULL, 0x85ebca77c2b2ae63ULL,
    0x27d4eb2f165667c5ULL, 0xff51afd7ed558ccdULL, 0xc4ceb9fe1a85ec53ULL, 0x9fb21c651e98df25ULL};

std::uint64_t add_field(std::uint64_t hash, std::size_t position, Bits top) {
  hash += static_cast<std::uint64_t>(top) * kFieldMultipliers[2 * position];
  return hash + static_cast<std::uint64_t>(top >> 64U) * kFieldMultipliers[2 * position + 1];
}

std::uint64_t finish(std::uint64_t hash) {
  hash ^= hash >> 32U;
  hash *= 0xd6e8feb86659fd93ULL;
  return hash ^ (hash >> 29U);
}

// Tuple lengths are rounded down to this grid so that the number of tuples stays small.
// 8-bit fields (the IP protocol) are not hashed at all: with a handful of distinct values they
// split buckets little but multiply tuples (measured: a third fewer tuples and ~40% faster
// lookups on ClassBench sets without them). Their conditions are still checked exactly.
std::uint8_t grid_length(std::uint8_t length, std::uint8_t width) {
  if (width <= 8) return 0;
  const std::uint8_t step = width <= 32 ? 8 : 16;
  return static_cast<std::uint8_t>(length - length % step);
}

}  // namespace

struct IndexedMatcher::Compiled {
  // One exact interval test on the value at `index`.
  struct Check {
    Bits lo;
    Bits hi;
    std::uint16_t index;
  };
  // The leading bits all matching values of the field at `index` share.
  struct Span {
    Bits lo;  // any value of the interval; its top `length` bits are the prefix
    std::uint16_t index;
    std::uint8_t width;
    std::uint8_t length;
  };

  MatchEntry entry;
  OrderKey order;
  // Inline: a candidate's checks are read right after the candidate, one cache miss fewer.
  std::array<Check, kInlineChecks> checks;
  std::uint8_t check_count = 0;
  std::vector<Span> spans;     // by index, length > 0 only
  bool needs_generic = false;  // some condition is not an interval: condition_matches decides
  Tuple* tuple = nullptr;
  std::uint32_t bucket = 0;

  // Adds an exact check; beyond kInlineChecks the generic code checks instead.
  void add_check(Bits lo, Bits hi, std::uint16_t index) {
    if (check_count == kInlineChecks) {
      needs_generic = true;
      return;
    }
    checks[check_count++] = {lo, hi, index};
  }

  const Span* span_at(std::uint16_t index) const {
    for (const Span& span : spans) {
      if (span.index == index) return &span;
    }
    return nullptr;
  }
};

namespace {

struct Candidate {
  OrderKey order;
  const IndexedMatcher::Compiled* compiled;
};

// A bucket's candidates in arbitration order. Most buckets hold one filter: it is kept inline,
// so a probe that hits reads the bucket and the candidate together.
class CandidateList {
 public:
  const Candidate* begin() const { return size_ <= 1 ? &one_ : many_.data(); }
  const Candidate* end() const { return begin() + size_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::size_t heap_bytes() const { return many_.capacity() * sizeof(Candidate); }

  void insert(const Candidate& candidate) {
    if (size_ == 0) {
      one_ = candidate;
    } else {
      if (size_ == 1) many_.assign(1, one_);
      many_.insert(std::lower_bound(many_.begin(), many_.end(), candidate, before), candidate);
    }
    ++size_;
  }

  void erase(const IndexedMatcher::Compiled* compiled) {
    if (size_ == 1) {
      if (one_.compiled == compiled) size_ = 0;
      return;
    }
    const auto before_size = many_.size();
    std::erase_if(many_, [&](const Candidate& c) { return c.compiled == compiled; });
    if (many_.size() == before_size) return;
    --size_;
    if (size_ == 1) {
      one_ = many_.front();
      many_ = {};
    }
  }

 private:
  static bool before(const Candidate& a, const Candidate& b) { return a.order < b.order; }

  Candidate one_{};
  std::uint32_t size_ = 0;
  std::vector<Candidate> many_;  // all candidates, when more than one
};

struct Bucket {
  CandidateList candidates;
  std::uint64_t hash = 0;
};

}  // namespace

struct IndexedMatcher::Tuple {
  struct Dim {
    std::uint16_t index;
    std::uint8_t width;
    std::uint8_t length;
    friend bool operator==(const Dim&, const Dim&) = default;
  };
  // By index, length > 0; inline (a probe reads them first). A filter with more numeric
  // fields than kMaxDims is hashed on the first ones only: a less specific tuple, still sound.
  std::array<Dim, kMaxDims> dim_storage{};
  std::uint8_t dim_count = 0;
  std::span<const Dim> dims_view() const { return {dim_storage.data(), dim_count}; }
  unsigned specificity = 0;
  BucketTable table;
  std::vector<Bucket> buckets;
  std::vector<std::uint32_t> free_buckets;
  OrderKey best;  // no filter here comes before it (an upper bound after erases)
  std::size_t size = 0;

  // The packet's key for this tuple; false if a field the tuple's filters all test is empty.
  bool packet_key(const PacketBits& packet, std::uint64_t& hash) const;

  std::uint64_t key_of(const Compiled& compiled) const {
    std::uint64_t hash = 0;
    std::size_t position = 0;
    for (const Dim& dim : dims_view()) {
      hash = add_field(hash, position++,
                       internal::top_bits(compiled.span_at(dim.index)->lo, dim.width, dim.length));
    }
    return finish(hash);
  }
};

struct IndexedMatcher::Partition {
  std::uint32_t rank = 0;
  std::vector<std::unique_ptr<Tuple>> tuples;  // by best, ascending
  std::size_t size = 0;
};

struct IndexedMatcher::PacketBits {
  std::uint64_t present = 0;  // bit i: the value at position i is set and numeric
  std::array<Bits, kMaxIndexedPosition> values;
};

bool IndexedMatcher::Tuple::packet_key(const PacketBits& packet, std::uint64_t& hash) const {
  std::uint64_t sum = 0;
  std::size_t position = 0;
  for (const Dim& dim : dims_view()) {
    if ((packet.present & (std::uint64_t{1} << dim.index)) == 0) return false;
    sum = add_field(sum, position++,
                    internal::top_bits(packet.values[dim.index], dim.width, dim.length));
  }
  hash = finish(sum);
  return true;
}

IndexedMatcher::IndexedMatcher(model::LayerId layer, std::vector<MatchEntry> entries)
    : layer_(layer) {
  const auto fields = model::layer_info(layer).fields;
  width_by_index_.assign(fields.size(), 0);
  field_use_.assign(fields.size(), 0);
  for (std::size_t i = 0; i < fields.size() && i < kMaxIndexedPosition; ++i) {
    width_by_index_[i] = internal::indexed_width(model::incoming_type(layer, fields[i]));
  }
  // Arbitration order first: the best filters found the tuples, which tends to keep the
  // tuples probed before a terminating match few.
  std::sort(entries.begin(), entries.end(), [](const MatchEntry& a, const MatchEntry& b) {
    if (a.sublayer_rank != b.sublayer_rank) return a.sublayer_rank < b.sublayer_rank;
    return order_of(*a.filter) < order_of(*b.filter);
  });
  compiled_.reserve(entries.size());
  for (const MatchEntry& entry : entries) insert(entry);
}

IndexedMatcher::~IndexedMatcher() = default;

std::unique_ptr<LayerMatcher> IndexedMatcher::make(model::LayerId layer,
                                                   std::vector<MatchEntry> entries) {
  return std::make_unique<IndexedMatcher>(layer, std::move(entries));
}

std::unique_ptr<IndexedMatcher::Compiled> IndexedMatcher::compile(const MatchEntry& entry) const {
  auto compiled = std::make_unique<Compiled>();
  compiled->entry = entry;
  compiled->order = order_of(*entry.filter);
  const auto& conditions = entry.filter->conditions;
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    const model::FieldId field = conditions[i].field;
    // One pass per field, at its first condition (conditions on one field are OR'ed).
    bool seen = false;
    for (std::size_t j = 0; j < i && !seen; ++j) seen = conditions[j].field == field;
    if (seen) continue;
    const auto index = model::field_index(layer_, field);
    const std::uint8_t width = index ? width_by_index_[*index] : 0;
    if (width == 0) {
      compiled->needs_generic = true;
      continue;
    }
    const model::DataType incoming = model::incoming_type(layer_, field);
    std::size_t count = 0;
    bool all_intervals = true;
    internal::Interval hull{1, 0};  // empty
    internal::Interval only;
    for (std::size_t j = i; j < conditions.size(); ++j) {
      if (conditions[j].field != field) continue;
      ++count;
      const auto interval = internal::condition_interval(conditions[j], incoming, width);
      if (!interval) {
        all_intervals = false;
        break;
      }
      only = *interval;
      if (interval->empty()) continue;
      hull = hull.empty() ? *interval
                          : internal::Interval{std::min(hull.lo, interval->lo),
                                               std::max(hull.hi, interval->hi)};
    }
    const auto position = static_cast<std::uint16_t>(*index);
    if (!all_intervals) {
      compiled->needs_generic = true;
      continue;
    }
    if (count == 1) {
      compiled->add_check(only.lo, only.hi, position);
    } else {
      compiled->needs_generic = true;
      if (hull.empty()) compiled->add_check(1, 0, position);  // none can hold
    }
    if (hull.empty()) continue;
    const auto length = internal::common_prefix_length(hull, width);
    if (length > 0) compiled->spans.push_back({hull.lo, position, width, length});
  }
  std::sort(compiled->spans.begin(), compiled->spans.end(),
            [](const Compiled::Span& a, const Compiled::Span& b) { return a.index < b.index; });
  return compiled;
}

IndexedMatcher::Partition& IndexedMatcher::partition_for(std::uint32_t rank) {
  auto it = std::lower_bound(
      partitions_.begin(), partitions_.end(), rank,
      [](const std::unique_ptr<Partition>& p, std::uint32_t r) { return p->rank < r; });
  if (it == partitions_.end() || (*it)->rank != rank) {
    auto partition = std::make_unique<Partition>();
    partition->rank = rank;
    it = partitions_.insert(it, std::move(partition));
  }
  return **it;
}

IndexedMatcher::Tuple& IndexedMatcher::choose_tuple(Partition& partition,
                                                    const Compiled& compiled) {
  // TupleMerge: the most specific tuple the filter fits whose bucket for it has room.
  Tuple* chosen = nullptr;
  for (const auto& tuple : partition.tuples) {
    if (chosen != nullptr && tuple->specificity <= chosen->specificity) continue;
    const auto dims = tuple->dims_view();
    const bool fits = std::all_of(dims.begin(), dims.end(), [&](const auto& dim) {
      const auto* span = compiled.span_at(dim.index);
      return span != nullptr && span->length >= dim.length;
    });
    if (!fits) continue;
    const auto bucket = tuple->table.find(tuple->key_of(compiled));
    if (bucket != BucketTable::kNone && tuple->buckets[bucket].candidates.size() >= kBucketLimit) {
      continue;
    }
    chosen = tuple.get();
  }
  if (chosen != nullptr) return *chosen;

  // A tuple of the filter's own lengths, on the grid; reused if it exists (its bucket is
  // full: nothing more specific can be made for this filter).
  std::vector<Tuple::Dim> dims;
  unsigned specificity = 0;
  for (const auto& span : compiled.spans) {
    const auto length = grid_length(span.length, span.width);
    if (length == 0) continue;
    if (dims.size() == kMaxDims) break;
    dims.push_back({span.index, span.width, length});
    specificity += length;
  }
  for (const auto& tuple : partition.tuples) {
    if (std::ranges::equal(tuple->dims_view(), dims)) return *tuple;
  }
  auto tuple = std::make_unique<Tuple>();
  std::copy(dims.begin(), dims.end(), tuple->dim_storage.begin());
  tuple->dim_count = static_cast<std::uint8_t>(dims.size());
  tuple->specificity = specificity;
  tuple->best = compiled.order;
  const auto at = std::lower_bound(
      partition.tuples.begin(), partition.tuples.end(), compiled.order,
      [](const std::unique_ptr<Tuple>& t, const OrderKey& order) { return t->best < order; });
  return **partition.tuples.insert(at, std::move(tuple));
}

void IndexedMatcher::insert(const MatchEntry& entry) {
  OPENFWP_ASSERT(entry.filter->layer == layer_, "the filter is at this matcher's layer");
  auto compiled = compile(entry);
  Partition& partition = partition_for(entry.sublayer_rank);
  Tuple& tuple = choose_tuple(partition, *compiled);

  const std::uint64_t hash = tuple.key_of(*compiled);
  std::uint32_t bucket = tuple.table.find(hash);
  if (bucket == BucketTable::kNone) {
    if (tuple.free_buckets.empty()) {
      bucket = static_cast<std::uint32_t>(tuple.buckets.size());
      tuple.buckets.emplace_back();
    } else {
      bucket = tuple.free_buckets.back();
      tuple.free_buckets.pop_back();
    }
    tuple.buckets[bucket].hash = hash;
    tuple.table.insert(hash, bucket);
  }
  tuple.buckets[bucket].candidates.insert({compiled->order, compiled.get()});
  compiled->tuple = &tuple;
  compiled->bucket = bucket;
  count_field_uses(*compiled, +1);
  ++tuple.size;
  ++partition.size;
  if (compiled->order < tuple.best) {
    // Move the tuple forward to its place in best order.
    tuple.best = compiled->order;
    auto it = std::find_if(partition.tuples.begin(), partition.tuples.end(),
                           [&](const std::unique_ptr<Tuple>& t) { return t.get() == &tuple; });
    while (it != partition.tuples.begin() && tuple.best < (*(it - 1))->best) {
      std::iter_swap(it, it - 1);
      --it;
    }
  }
  const auto id = entry.filter->id;
  [[maybe_unused]] const bool inserted = compiled_.emplace(id, std::move(compiled)).second;
  OPENFWP_ASSERT(inserted, "filter is already in the matcher");
}

bool IndexedMatcher::erase(const MatchEntry& entry) {
  const auto found = compiled_.find(entry.filter->id);
  if (found == compiled_.end() || found->second->entry.sublayer_rank != entry.sublayer_rank) {
    return false;
  }
  const Compiled& compiled = *found->second;
  count_field_uses(compiled, -1);
  Tuple& tuple = *compiled.tuple;
  Bucket& bucket = tuple.buckets[compiled.bucket];
  bucket.candidates.erase(&compiled);
  if (bucket.candidates.empty()) {
    tuple.table.erase(bucket.hash);
    tuple.free_buckets.push_back(compiled.bucket);
  }
  --tuple.size;
  Partition& partition = partition_for(entry.sublayer_rank);
  --partition.size;
  if (tuple.size == 0) {
    std::erase_if(partition.tuples,
                  [&](const std::unique_ptr<Tuple>& t) { return t.get() == &tuple; });
  }
  if (partition.size == 0) {
    std::erase_if(partitions_,
                  [&](const std::unique_ptr<Partition>& p) { return p.get() == &partition; });
  }
  compiled_.erase(found);
  return true;
}

void IndexedMatcher::count_field_uses(const Compiled& compiled, int delta) {
  bool changed = false;
  auto count = [&](std::uint16_t index) {
    auto& use = field_use_[index];
    use = delta > 0 ? use + 1 : use - 1;
    changed = changed || use == (delta > 0 ? 1U : 0U);
  };
  for (std::size_t i = 0; i < compiled.check_count; ++i) count(compiled.checks[i].index);
  for (const auto& span : compiled.spans) {
    // Spans are on fields with checks too, except for OR'ed groups; count each field once.
    bool checked = false;
    for (std::size_t i = 0; i < compiled.check_count && !checked; ++i) {
      checked = compiled.checks[i].index == span.index;
    }
    if (!checked) count(span.index);
  }
  if (!changed) return;
  used_fields_.clear();
  for (std::size_t i = 0; i < field_use_.size(); ++i) {
    if (field_use_[i] > 0)
      used_fields_.push_back({static_cast<std::uint16_t>(i), width_by_index_[i]});
  }
}

void IndexedMatcher::project(const model::IncomingValues& in, PacketBits& packet) const {
  packet.present = 0;
  for (const IndexedField& field : used_fields_) {
    const model::Value& value = in.at(field.index);
    Bits bits = 0;
    if (const auto* u32 = std::get_if<std::uint32_t>(&value)) {
      bits = *u32;
    } else if (const auto* u16 = std::get_if<std::uint16_t>(&value)) {
      bits = *u16;
    } else if (const auto* u8 = std::get_if<std::uint8_t>(&value)) {
      bits = *u8;
    } else if (const auto* u64 = std::get_if<std::uint64_t>(&value)) {
      bits = *u64;
    } else if (const auto number = internal::numeric_value(value)) {
      bits = *number;  // an IPv6 address
    } else {
      continue;  // FWP_EMPTY: no condition on it holds
    }
    packet.values[field.index] = bits;
    packet.present |= std::uint64_t{1} << field.index;
  }
}

namespace {

// The buckets hit in one sublayer, each a run of candidates in arbitration order.
class Cursors {
 public:
  struct Run {
    const Candidate* next;
    const Candidate* end;
  };

  void add(const Candidate* begin, const Candidate* end) {
    if (size_ < kInlineCursors) {
      inline_[size_++] = {begin, end};
    } else {
      spill_.push_back({begin, end});
    }
  }
  bool empty() const { return size_ == 0 && spill_.empty(); }

  // The run whose next candidate comes first, or nullptr.
  Run* best() {
    Run* best = nullptr;
    for (std::size_t i = 0; i < size_; ++i) {
      if (best == nullptr || inline_[i].next->order < best->next->order) best = &inline_[i];
    }
    for (Run& run : spill_) {
      if (best == nullptr || run.next->order < best->next->order) best = &run;
    }
    return best;
  }

  // Takes the next candidate of `run`, dropping the run when it is exhausted.
  const Candidate* take(Run* run) {
    const Candidate* taken = run->next++;
    if (run->next == run->end) {
      if (run >= inline_.data() && run < inline_.data() + size_) {
        *run = inline_[--size_];
        if (!spill_.empty()) {
          inline_[size_++] = spill_.back();
          spill_.pop_back();
        }
      } else {
        *run = spill_.back();
        spill_.pop_back();
      }
    }
    return taken;
  }

 private:
  std::array<Run, kInlineCursors> inline_;
  std::size_t size_ = 0;
  std::vector<Run> spill_;
};

// Whether the candidate matches: its inline interval checks, then the generic code if needed.
bool holds(const IndexedMatcher::Compiled& compiled, const model::IncomingValues& in,
           std::uint64_t present, const Bits* values) {
  for (std::size_t i = 0; i < compiled.check_count; ++i) {
    const auto& check = compiled.checks[i];
    if ((present & (std::uint64_t{1} << check.index)) == 0) return false;
    const Bits v = values[check.index];
    if (v < check.lo || v > check.hi) return false;
  }
  return !compiled.needs_generic || filter_matches(*compiled.entry.filter, in);
}

}  // namespace

bool IndexedMatcher::visit_partition(const Partition& partition, const model::IncomingValues& in,
                                     const PacketBits& packet, MatchVisitor visit) const {
  Cursors cursors;
  std::size_t probed = 0;
  const auto& tuples = partition.tuples;
  for (;;) {
    Cursors::Run* run = cursors.best();
    if (probed < tuples.size() && (run == nullptr || tuples[probed]->best < run->next->order)) {
      // The next tuples may hold a filter that comes before every candidate in hand.
      const std::size_t end = std::min(tuples.size(), probed + kProbeBatch);
      std::array<std::uint64_t, kProbeBatch> hashes{};
      std::array<bool, kProbeBatch> live{};
      for (std::size_t i = probed; i < end; ++i) {
        live[i - probed] = tuples[i]->packet_key(packet, hashes[i - probed]);
        if (live[i - probed]) tuples[i]->table.prefetch(hashes[i - probed]);
      }
      for (std::size_t i = probed; i < end; ++i) {
        if (!live[i - probed]) continue;
        const Tuple& tuple = *tuples[i];
        const auto bucket = tuple.table.find(hashes[i - probed]);
        if (bucket == BucketTable::kNone) continue;
        const auto& candidates = tuple.buckets[bucket].candidates;
        cursors.add(candidates.begin(), candidates.end());
      }
      probed = end;
      continue;
    }
    if (run == nullptr) return true;
    const Compiled& compiled = *cursors.take(run)->compiled;
    if (!holds(compiled, in, packet.present, packet.values.data())) continue;
    switch (visit(compiled.entry)) {
      case VisitNext::kContinue:
        break;
      case VisitNext::kNextSublayer:
        return true;
      case VisitNext::kStop:
        return false;
    }
  }
}

void IndexedMatcher::for_each_match(const model::IncomingValues& in, MatchVisitor visit) const {
  if (partitions_.empty()) return;
  OPENFWP_ASSERT(in.layer() == layer_, "incoming values are for this matcher's layer");
  PacketBits packet;
  project(in, packet);
  for (const auto& partition : partitions_) {
    if (!visit_partition(*partition, in, packet, visit)) return;
  }
}

std::size_t IndexedMatcher::tuple_count() const {
  std::size_t count = 0;
  for (const auto& partition : partitions_) count += partition->tuples.size();
  return count;
}

std::size_t IndexedMatcher::memory_bytes() const {
  std::size_t bytes = sizeof(*this) + used_fields_.capacity() * sizeof(IndexedField) +
                      width_by_index_.capacity() + field_use_.capacity() * sizeof(std::uint32_t) +
                      partitions_.capacity() * sizeof(std::unique_ptr<Partition>);
  // The id map: a node per filter plus the bucket array (libstdc++ layout).
  bytes += compiled_.bucket_count() * sizeof(void*) +
           compiled_.size() * (sizeof(void*) + sizeof(std::uint64_t) +
                               sizeof(std::unique_ptr<Compiled>) + sizeof(std::size_t));
  for (const auto& [id, compiled] : compiled_) {
    bytes += sizeof(Compiled) + compiled->spans.capacity() * sizeof(Compiled::Span);
  }
  for (const auto& partition : partitions_) {
    bytes += sizeof(Partition) + partition->tuples.capacity() * sizeof(std::unique_ptr<Tuple>);
    for (const auto& tuple : partition->tuples) {
      bytes += sizeof(Tuple) + tuple->table.memory_bytes() +
               tuple->buckets.capacity() * sizeof(Bucket) +
               tuple->free_buckets.capacity() * sizeof(std::uint32_t);
      for (const auto& bucket : tuple->buckets) {
        bytes += bucket.candidates.heap_bytes();
      }
    }
  }
  return bytes;
}

}  // namespace openfwp::classify
