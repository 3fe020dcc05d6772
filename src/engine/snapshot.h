// SPDX-License-Identifier: Apache-2.0
// Snapshot: an immutable, classifiable image of the policy. A commit builds a new one from the
// Store and publishes it with one atomic pointer swap (pf's inactive/active ruleset swap), so
// classification never sees a half-applied transaction and never takes a lock.
#pragma once

#include "classify/layer_matcher.h"
#include "engine/store.h"

#include <array>
#include <memory>
#include <vector>

namespace openfwp::engine {

class Snapshot {
 public:
  /// The sublayers that hold filters at one layer, in arbitration order, and the matcher.
  struct LayerState {
    std::vector<const model::Sublayer*> sublayers;  ///< index = MatchEntry::sublayer_rank
    std::unique_ptr<classify::LayerMatcher> matcher;
  };

  /// Freezes `store` (copied) and builds one matcher per layer with `factory`. `epoch`
  /// numbers policy versions; it increases with every commit.
  static std::shared_ptr<const Snapshot> build(Store store, classify::MatcherFactory factory,
                                               std::uint64_t epoch);

  const Store& store() const { return store_; }
  const LayerState& layer(model::LayerId id) const { return layers_[static_cast<std::size_t>(id)]; }
  std::uint64_t epoch() const { return epoch_; }

 private:
  Snapshot(Store store, std::uint64_t epoch) : store_(std::move(store)), epoch_(epoch) {}

  Store store_;
  std::array<LayerState, model::kLayerCount> layers_;
  std::uint64_t epoch_;
};

}  // namespace openfwp::engine
