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
// Basic design. A matcher is built from the layer's filters already sorted in arbitration order
// (WFP: Filter Arbitration — sublayers by weight, highest first; inside a sublayer, filters by
// effective weight, highest first; openfwp breaks ties by sublayer key and then by filter id, so
// the order is total and runs are reproducible). It is immutable once built. for_each_match()
// calls the visitor for each matching filter in that order; the visitor steers: continue, skip
// the rest of the current sublayer (a terminating action was reached), or stop.
//
// Cost. LinearMatcher is O(filters × conditions) per call and allocates nothing.
//
// Invariants. Entries are in arbitration order; entry.sublayer_rank is non-decreasing; the
// Filter pointers point into the Snapshot that owns the matcher and live as long as it.
//
// Thread-safety. Immutable after construction: any number of threads may classify at once.
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

  /// Number of filters the matcher was built from.
  virtual std::size_t size() const = 0;
  /// A short name for diagnostics and benchmarks ("linear", "indexed").
  virtual std::string_view name() const = 0;
};

/// Makes a matcher over `entries` (already in arbitration order).
using MatcherFactory = std::unique_ptr<LayerMatcher> (*)(model::LayerId layer,
                                                         std::vector<MatchEntry> entries);

}  // namespace openfwp::classify
