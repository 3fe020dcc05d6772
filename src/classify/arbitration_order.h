// SPDX-License-Identifier: Apache-2.0
// The total order in which arbitration visits a layer's filters, in one place so that the
// snapshot builder, every matcher and the ranking tools (engine/standing) cannot disagree.
//
// WFP: Filter Arbitration — sublayers from highest weight to lowest; inside a sublayer, filters
// from highest effective weight to lowest. DEVIATION(WFP): Windows leaves ties unordered;
// openfwp breaks them by sublayer key and by filter id, so runs are reproducible.
#pragma once

#include "classify/layer_matcher.h"
#include "model/filter.h"

namespace openfwp::classify {

inline bool sublayer_before(const model::Sublayer& a, const model::Sublayer& b) {
  if (a.weight != b.weight) return a.weight > b.weight;
  return a.key < b.key;
}

inline bool filter_before(const model::Filter& a, const model::Filter& b) {
  if (a.effective_weight != b.effective_weight) return a.effective_weight > b.effective_weight;
  return a.id < b.id;
}

/// Entries by sublayer rank, then by filter_before.
inline bool entry_before(const MatchEntry& a, const MatchEntry& b) {
  if (a.sublayer_rank != b.sublayer_rank) return a.sublayer_rank < b.sublayer_rank;
  return filter_before(*a.filter, *b.filter);
}

}  // namespace openfwp::classify
