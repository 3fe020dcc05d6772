// SPDX-License-Identifier: Apache-2.0
// LayerMatcher: finds the filters of one layer that match a set of incoming values, in
// arbitration order.
//
// What it is for. Classification at a layer is "which filters match these values, in which
// order" followed by arbitration (engine/arbitration.h). The first half is the expensive part
// and the one with interesting algorithms, so it sits behind this interface: LinearMatcher is
// the obviously-correct reference (the oracle in differential tests, as OVS keeps a tiny
// brute-force classifier), and faster matchers (issue #6) must yield exactly the same sequence.
//
// Basic design. A matcher holds MatchEntries: a filter and the rank of its sublayer in the
// layer's sublayer order. It keeps them in arbitration order (classify/arbitration_order.h:
// rank, then effective weight highest first, then filter id), whatever order they were given
// in. for_each_match() calls the visitor for each matching filter in that order; the visitor
// steers: continue, skip the rest of the current sublayer (a terminating action was reached),
// or stop. Ranks are group keys: they need not be contiguous, only ordered.
//
// Updates. insert() and erase() change one entry without rebuilding (issue #6: a daemon adding
// a blocklist entry must not pay for the whole policy). The engine never updates a matcher that
// a classification may be reading: it updates a replica nobody reads and publishes it with an
// atomic pointer swap (engine/engine.h).
//
// Cost. LinearMatcher: O(filters × conditions) per call, O(filters) per update.
// IndexedMatcher: see indexed_matcher.h. Neither allocates per call.
//
// Invariants. Filter ids are unique among a matcher's entries (the Store assigns them), so
// arbitration order has no ties. The Filter pointers point into the Snapshot that owns the matcher
// (or, in tests, into storage that outlives it); a filter's effective weight and id do not change
// while it is in a matcher (they are its position).
//
// Thread-safety. for_each_match() is const and may run on any number of threads at once;
// insert() and erase() need exclusive access.
#pragma once

#include "common/function_ref.h"
#include "model/filter.h"
#include "model/incoming_values.h"

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace openfwp::classify {

/// One filter of the layer, with its sublayer's position in the layer's sublayer order.
struct MatchEntry {
  const model::Filter* filter = nullptr;
  std::uint32_t sublayer_rank = 0;  ///< 0 = highest-weight sublayer of this layer
};

/// What the visitor wants next.
enum class VisitNext : std::uint8_t {
  kContinue,      ///< the next matching filter
  kNextSublayer,  ///< skip the remaining filters of this entry's sublayer
  kStop,          ///< no more filters
};

using MatchVisitor = FunctionRef<VisitNext(const MatchEntry&)>;

class LayerMatcher {
 public:
  virtual ~LayerMatcher() = default;

  /// Calls `visit` for each entry whose filter matches `in`, in arbitration order, until the
  /// visitor says kStop. `in` must be for this matcher's layer.
  virtual void for_each_match(const model::IncomingValues& in, MatchVisitor visit) const = 0;

  /// Adds an entry; its filter must not be in the matcher yet.
  virtual void insert(const MatchEntry& entry) = 0;
  /// Removes the entry with this filter and rank (matched by filter id); false if absent.
  virtual bool erase(const MatchEntry& entry) = 0;

  /// Number of entries.
  virtual std::size_t size() const = 0;
  /// Bytes the matcher owns (its index, not the filters it points at), for benchmarks.
  virtual std::size_t memory_bytes() const = 0;
  /// A short name for diagnostics and benchmarks ("linear", "indexed").
  virtual std::string_view name() const = 0;
};

/// Makes a matcher over `entries` (in any order; arbitration order is cheapest).
using MatcherFactory = std::unique_ptr<LayerMatcher> (*)(model::LayerId layer,
                                                         std::vector<MatchEntry> entries);

}  // namespace openfwp::classify
