// SPDX-License-Identifier: Apache-2.0
// rank_filter and filter_standing: a filter's place in arbitration order, and its fate in one
// explained classification.
#include "engine/standing.h"

#include "classify/arbitration_order.h"

#include <algorithm>

namespace openfwp::engine {
namespace {

bool sublayer_before(const model::Sublayer* a, const model::Sublayer* b) {
  return classify::sublayer_before(*a, *b);
}

bool filter_before(const model::Filter* a, const model::Filter* b) {
  return classify::filter_before(*a, *b);
}

}  // namespace

std::optional<FilterRank> rank_filter(const Snapshot& snapshot, std::uint64_t id) {
  const Store& store = snapshot.store();
  const model::Filter* target = store.find_filter(id);
  if (target == nullptr) return std::nullopt;
  FilterRank rank;
  rank.filter = target;
  rank.sublayer = store.find_sublayer(target->sublayer);
  rank.enabled = (target->flags & model::filter_flag::kDisabled) == 0;

  std::vector<const model::Sublayer*> sublayers{rank.sublayer};
  std::vector<const model::Filter*> same_sublayer{target};
  std::vector<std::uint32_t> counts;
  for (const auto& [fid, filter] : store.filters()) {
    if (filter->layer != target->layer || fid == id) continue;
    if ((filter->flags & model::filter_flag::kDisabled) != 0) continue;
    const model::Sublayer* sublayer = store.find_sublayer(filter->sublayer);
    if (std::find(sublayers.begin(), sublayers.end(), sublayer) == sublayers.end()) {
      sublayers.push_back(sublayer);
    }
    if (sublayer == rank.sublayer) same_sublayer.push_back(filter.get());
  }
  std::sort(sublayers.begin(), sublayers.end(), sublayer_before);
  std::sort(same_sublayer.begin(), same_sublayer.end(), filter_before);
  rank.sublayer_count = static_cast<std::uint32_t>(sublayers.size());
  rank.filters_in_sublayer = static_cast<std::uint32_t>(same_sublayer.size());
  for (const auto* sublayer : sublayers) {
    if (sublayer == rank.sublayer) break;
    std::uint32_t count = 0;
    for (const auto& [fid, filter] : store.filters()) {
      if (filter->layer == target->layer && filter->sublayer == sublayer->key &&
          (filter->flags & model::filter_flag::kDisabled) == 0) {
        ++count;
      }
    }
    rank.higher_sublayers.emplace_back(sublayer, count);
    ++rank.sublayer_rank;
  }
  for (const auto* filter : same_sublayer) {
    if (filter == target) break;
    rank.outranked_by.push_back(filter);
    ++rank.rank_in_sublayer;
  }
  return rank;
}

FilterStanding filter_standing(const Decision& decision, std::uint64_t filter_id) {
  FilterStanding result;
  for (const auto& sublayer : decision.sublayers) {
    for (const auto& step : sublayer.filters) {
      if (step.filter_id == filter_id) {
        result.step = &step;
        result.sublayer = &sublayer;
      }
    }
  }
  if (result.step == nullptr) return result;  // kNotMatched
  if (decision.filter_id == filter_id) {
    result.standing = Standing::kDecided;
  } else if (result.step->outcome == Outcome::kNotEvaluated) {
    result.standing = Standing::kNotEvaluated;
    result.by = result.sublayer->deciding;
  } else if (result.step->outcome == Outcome::kContinue) {
    result.standing = Standing::kContinued;
  } else if (result.sublayer->effect == Effect::kIgnoredHard) {
    result.standing = Standing::kIgnoredHard;
    result.by = decision.filter_id;
  } else {
    result.standing = Standing::kOverridden;
    result.by = decision.filter_id;
  }
  return result;
}

std::string_view standing_name(Standing standing) {
  switch (standing) {
    case Standing::kDecided:
      return "decided";
    case Standing::kNotMatched:
      return "not_matched";
    case Standing::kNotEvaluated:
      return "not_evaluated";
    case Standing::kContinued:
      return "continued";
    case Standing::kIgnoredHard:
      return "ignored_hard";
    case Standing::kOverridden:
      return "overridden";
  }
  return "?";
}

}  // namespace openfwp::engine
