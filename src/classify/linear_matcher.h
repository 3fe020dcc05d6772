// SPDX-License-Identifier: Apache-2.0
// LinearMatcher: the reference matcher. Tests every filter in arbitration order. Slow and
// obviously right; every other matcher is tested against it.
#pragma once

#include "classify/layer_matcher.h"

namespace openfwp::classify {

class LinearMatcher final : public LayerMatcher {
 public:
  explicit LinearMatcher(std::vector<MatchEntry> entries);

  void for_each_match(const model::IncomingValues& in, MatchVisitor visit) const override;
  void insert(const MatchEntry& entry) override;
  bool erase(const MatchEntry& entry) override;
  std::size_t size() const override { return entries_.size(); }
  std::size_t memory_bytes() const override {
    return sizeof(*this) + entries_.capacity() * sizeof(MatchEntry);
  }
  std::string_view name() const override { return "linear"; }

  static std::unique_ptr<LayerMatcher> make(model::LayerId layer, std::vector<MatchEntry> entries);

 private:
  std::vector<MatchEntry> entries_;  // in arbitration order (entry_before)
};

}  // namespace openfwp::classify
