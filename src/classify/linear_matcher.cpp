// SPDX-License-Identifier: Apache-2.0
// The reference matcher: a scan in arbitration order.
#include "classify/linear_matcher.h"

#include "classify/condition_match.h"
#include "common/assert.h"

namespace openfwp::classify {

LinearMatcher::LinearMatcher(std::vector<MatchEntry> entries) : entries_(std::move(entries)) {
  for (std::size_t i = 1; i < entries_.size(); ++i) {
    OPENFWP_ASSERT(entries_[i - 1].sublayer_rank <= entries_[i].sublayer_rank,
                   "entries must be grouped by sublayer in rank order");
  }
}

std::unique_ptr<LayerMatcher> LinearMatcher::make(model::LayerId /*layer*/,
                                                  std::vector<MatchEntry> entries) {
  return std::make_unique<LinearMatcher>(std::move(entries));
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
