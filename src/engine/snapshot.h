// SPDX-License-Identifier: Apache-2.0
// Snapshot: a classifiable image of the policy — the Store and one matcher per layer.
//
// Readers see a Snapshot only as `const` through the engine's atomic pointer (pf's
// inactive/active ruleset swap): classification never sees a half-applied transaction and never
// takes a lock. The engine keeps a second replica that nobody reads and updates it in place
// (add_filter, delete_filter, …), one filter at a time, without rebuilding; see engine.h for
// how the two replicas take turns.
#pragma once

#include "classify/layer_matcher.h"
#include "engine/store.h"

#include <array>
#include <memory>
#include <vector>

namespace openfwp::engine {

class Snapshot {
 public:
  /// The sublayers that hold enabled filters at one layer, in arbitration order, and the
  /// matcher.
  struct LayerState {
    std::vector<const model::Sublayer*> sublayers;    ///< index = MatchEntry::sublayer_rank
    std::vector<std::uint32_t> filter_counts;         ///< enabled filters per sublayer, same index
    std::unique_ptr<classify::LayerMatcher> matcher;  ///< null while the layer has no filter
  };

  /// Takes `store` and builds one matcher per layer with `factory`. `epoch` numbers policy
  /// versions; it increases with every commit.
  static std::shared_ptr<Snapshot> build(Store store, classify::MatcherFactory factory,
                                         std::uint64_t epoch);
  /// A copy with its own matchers (filters are shared, immutable objects).
  static std::shared_ptr<Snapshot> clone(const Snapshot& other);

  const Store& store() const { return store_; }
  const LayerState& layer(model::LayerId id) const { return layers_[static_cast<std::size_t>(id)]; }
  std::uint64_t epoch() const { return epoch_; }

  // --- Updates, for the engine's unpublished replica only (not thread-safe).
  /// Store::add_filter, then indexes the filter. Returns its id.
  Result<std::uint64_t> add_filter(model::Filter filter);
  /// Adds a filter that a replica with the same contents accepted (shares the object).
  void adopt_filter(std::shared_ptr<const model::Filter> filter);
  /// Store::delete_filter / delete_filter_by_key, then unindexes the filter.
  Result<void> delete_filter(std::uint64_t id);
  Result<void> delete_filter_by_key(const Guid& key);
  /// Store::set_weight_profile, then rebuilds every layer (every position may have moved).
  void set_weight_profile(model::WeightProfile profile);
  /// For changes that do not move filters (providers, sublayers, callouts): the Store itself.
  Store& store_for_update() { return store_; }
  void set_epoch(std::uint64_t epoch) { epoch_ = epoch; }

 private:
  Snapshot(Store store, classify::MatcherFactory factory, std::uint64_t epoch)
      : store_(std::move(store)), factory_(factory), epoch_(epoch) {}

  void index(const model::Filter& filter);
  void unindex(const model::Filter& filter);
  // Rebuilds one layer from `filters` (its enabled filters, any order).
  void assemble_layer(model::LayerId layer, const std::vector<const model::Filter*>& filters);
  void rebuild_layer(model::LayerId layer);
  void rebuild_all();

  Store store_;
  classify::MatcherFactory factory_;
  std::array<LayerState, model::kLayerCount> layers_;
  std::uint64_t epoch_;
};

}  // namespace openfwp::engine
