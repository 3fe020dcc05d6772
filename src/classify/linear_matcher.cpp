// SPDX-License-Identifier: Apache-2.0
// The reference matcher: a scan of a sorted vector.
#include "classify/linear_matcher.h"

#include "classify/arbitration_order.h"
#include "classify/condition_match.h"
#include "common/assert.h"

#include <algorithm>

namespace openfwp::classify {

LinearMatcher::LinearMatcher(std::vector<MatchEntry> entries) : entries_(std::move(entries)) {
  if (!std::is_sorted(entries_.begin(), entries_.end(), entry_before)) {
    std::sort(entries_.begin(), entries_.end(), entry_before);
  }
}

std::unique_ptr<LayerMatcher> LinearMatcher::make(model::LayerId /*layer*/,
                                                  std::vector<MatchEntry> entries) {
  return std::make_unique<LinearMatcher>(std::move(entries));
}

void LinearMatcher::insert(const MatchEntry& entry) {
  const auto at = std::lower_bound(entries_.begin(), entries_.end(), entry, entry_before);
  OPENFWP_ASSERT(at == entries_.end() || at->filter->id != entry.filter->id,
                 "filter is already in the matcher");
  entries_.insert(at, entry);
}

bool LinearMatcher::erase(const MatchEntry& entry) {
  const auto at = std::lower_bound(entries_.begin(), entries_.end(), entry, entry_before);
  if (at == entries_.end() || at->filter->id != entry.filter->id ||
      at->sublayer_rank != entry.sublayer_rank) {
    return false;
  }
  entries_.erase(at);
  return true;
}

void LinearMatcher::for_each_match(const model::IncomingValues& in, MatchVisitor visit) const {
  std::size_t i = 0;
  while (i < entries_.size()) {
    const MatchEntry& entry = entries_[i];
    if (!filter_matches(*entry.filter, in)) {
      ++i;
      continue;
    }
    switch (visit(entry)) {
      case VisitNext::kContinue:
        ++i;
        break;
      case VisitNext::kStop:
        return;
      case VisitNext::kNextSublayer: {
        const auto rank = entry.sublayer_rank;
        while (i < entries_.size() && entries_[i].sublayer_rank == rank) ++i;
        break;
      }
    }
  }
}

}  // namespace openfwp::classify
