// SPDX-License-Identifier: Apache-2.0
// Questions people ask about one filter after a classification or an audit event: where does
// it stand in its layer's arbitration order (rank_filter), and why did it not decide this
// classification (filter_standing). Both read data the engine already has — a Snapshot, an
// explained Decision — and add no state.
#pragma once

#include "engine/decision.h"
#include "engine/snapshot.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace openfwp::engine {

/// Where a filter sits in the arbitration order of its layer (WFP: Filter Arbitration —
/// sublayers by weight, then filters by effective weight; ties as in snapshot.cpp).
struct FilterRank {
  const model::Filter* filter = nullptr;
  const model::Sublayer* sublayer = nullptr;
  bool enabled = true;  ///< false: FWPM_FILTER_FLAG_DISABLED, never classified
  /// 0-based positions and totals. Sublayers counted are those holding enabled filters at the
  /// layer (plus this filter's own); filters counted are the enabled ones of its sublayer (plus
  /// this filter).
  std::uint32_t sublayer_rank = 0;
  std::uint32_t sublayer_count = 0;
  std::uint32_t rank_in_sublayer = 0;
  std::uint32_t filters_in_sublayer = 0;
  /// Enabled filters of the same sublayer evaluated before it, in arbitration order.
  std::vector<const model::Filter*> outranked_by;
  /// Sublayers evaluated before its own, in order, with how many filters each holds here.
  std::vector<std::pair<const model::Sublayer*, std::uint32_t>> higher_sublayers;
};

/// The rank of filter `id` in `snapshot`; nullopt if no filter has that id. Pointers point
/// into the snapshot and live as long as it.
std::optional<FilterRank> rank_filter(const Snapshot& snapshot, std::uint64_t id);

/// What one filter did in an explained classification.
enum class Standing : std::uint8_t {
  kDecided,       ///< it is the deciding filter
  kNotMatched,    ///< it is not among the matching filters (disabled, other layer, conditions)
  kNotEvaluated,  ///< matched, but a higher-weight filter of its sublayer decided first
  kContinued,     ///< evaluated, but returned continue (inspection / callout continue)
  kIgnoredHard,   ///< its sublayer's result came after a hard decision of a higher sublayer
  kOverridden,    ///< its soft decision was replaced by a lower sublayer (or vetoed)
};

struct FilterStanding {
  Standing standing = Standing::kNotMatched;
  /// The filter that took precedence: the sublayer's decider (kNotEvaluated) or the layer's
  /// deciding filter (kIgnoredHard, kOverridden); nullopt otherwise.
  std::optional<std::uint64_t> by;
  /// The step and sublayer of the filter in `decision`; null for kNotMatched.
  const FilterStep* step = nullptr;
  const SublayerStep* sublayer = nullptr;
};

/// Precondition: `decision` was classified with ClassifyOptions{.explain = true}. Pointers
/// point into `decision`.
FilterStanding filter_standing(const Decision& decision, std::uint64_t filter_id);

std::string_view standing_name(Standing standing);

}  // namespace openfwp::engine
