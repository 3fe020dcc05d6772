// SPDX-License-Identifier: Apache-2.0
// Sorting filters into arbitration order, building the per-layer matchers, and keeping them
// up to date one filter at a time.
#include "engine/snapshot.h"

#include "classify/arbitration_order.h"
#include "common/assert.h"

#include <algorithm>

namespace openfwp::engine {
namespace {

// WFP: FWPM_FILTER_FLAG_DISABLED filters are enumerated but never classified.
bool classified(const model::Filter& filter) {
  return (filter.flags & model::filter_flag::kDisabled) == 0;
}

std::uint32_t rank_of(const Snapshot::LayerState& state, const model::Sublayer* sublayer) {
  const auto it = std::find(state.sublayers.begin(), state.sublayers.end(), sublayer);
  return static_cast<std::uint32_t>(it - state.sublayers.begin());
}

}  // namespace

std::shared_ptr<Snapshot> Snapshot::build(Store store, classify::MatcherFactory factory,
                                          std::uint64_t epoch) {
  std::shared_ptr<Snapshot> snapshot(new Snapshot(std::move(store), factory, epoch));
  snapshot->rebuild_all();
  return snapshot;
}

std::shared_ptr<Snapshot> Snapshot::clone(const Snapshot& other) {
  return build(other.store_, other.factory_, other.epoch_);
}

void Snapshot::rebuild_all() {
  std::array<std::vector<const model::Filter*>, model::kLayerCount> per_layer;
  for (const auto& [id, filter] : store_.filters()) {
    if (classified(*filter))
      per_layer[static_cast<std::size_t>(filter->layer)].push_back(filter.get());
  }
  for (std::size_t layer = 0; layer < model::kLayerCount; ++layer) {
    assemble_layer(static_cast<model::LayerId>(layer), per_layer[layer]);
  }
}

void Snapshot::rebuild_layer(model::LayerId layer) {
  std::vector<const model::Filter*> filters;
  for (const auto& [id, filter] : store_.filters()) {
    if (filter->layer == layer && classified(*filter)) filters.push_back(filter.get());
  }
  assemble_layer(layer, filters);
}

void Snapshot::assemble_layer(model::LayerId layer,
                              const std::vector<const model::Filter*>& filters) {
  LayerState& state = layers_[static_cast<std::size_t>(layer)];
  state.sublayers.clear();
  for (const auto* filter : filters) {
    const auto* sublayer = store_.find_sublayer(filter->sublayer);
    if (std::find(state.sublayers.begin(), state.sublayers.end(), sublayer) ==
        state.sublayers.end()) {
      state.sublayers.push_back(sublayer);
    }
  }
  std::sort(state.sublayers.begin(), state.sublayers.end(),
            [](const model::Sublayer* a, const model::Sublayer* b) {
              return classify::sublayer_before(*a, *b);
            });
  state.filter_counts.assign(state.sublayers.size(), 0);
  std::vector<classify::MatchEntry> entries;
  entries.reserve(filters.size());
  for (const auto* filter : filters) {
    const auto rank = rank_of(state, store_.find_sublayer(filter->sublayer));
    ++state.filter_counts[rank];
    entries.push_back({filter, rank});
  }
  std::sort(entries.begin(), entries.end(), classify::entry_before);
  state.matcher = factory_(layer, std::move(entries));
}

void Snapshot::index(const model::Filter& filter) {
  if (!classified(filter)) return;
  LayerState& state = layers_[static_cast<std::size_t>(filter.layer)];
  const auto* sublayer = store_.find_sublayer(filter.sublayer);
  const auto rank = rank_of(state, sublayer);
  if (rank == state.sublayers.size()) {
    // A sublayer new to this layer shifts the ranks after it: rebuild this layer (rare: the
    // first filter of a sublayer at a layer).
    rebuild_layer(filter.layer);
    return;
  }
  ++state.filter_counts[rank];
  state.matcher->insert({&filter, rank});
}

void Snapshot::unindex(const model::Filter& filter) {
  if (!classified(filter)) return;
  LayerState& state = layers_[static_cast<std::size_t>(filter.layer)];
  const auto rank = rank_of(state, store_.find_sublayer(filter.sublayer));
  OPENFWP_ASSERT(rank < state.sublayers.size(), "an indexed filter's sublayer is listed");
  [[maybe_unused]] const bool erased = state.matcher->erase({&filter, rank});
  OPENFWP_ASSERT(erased, "an indexed filter is in its layer's matcher");
  --state.filter_counts[rank];
}

Result<std::uint64_t> Snapshot::add_filter(model::Filter filter) {
  OPENFWP_TRY(const auto id, store_.add_filter(std::move(filter)));
  index(*store_.find_filter(id));
  return id;
}

void Snapshot::adopt_filter(std::shared_ptr<const model::Filter> filter) {
  const model::Filter& added = *filter;
  store_.adopt_filter(std::move(filter));
  index(added);
}

Result<void> Snapshot::delete_filter(std::uint64_t id) {
  const auto shared = store_.shared_filter(id);
  if (shared == nullptr) return store_.delete_filter(id);  // the store's not-found error
  unindex(*shared);
  OPENFWP_TRY_VOID(store_.delete_filter(id));
  // The last filter of a sublayer at this layer: drop the sublayer from the layer's order.
  const auto& state = layers_[static_cast<std::size_t>(shared->layer)];
  if (std::find(state.filter_counts.begin(), state.filter_counts.end(), 0U) !=
      state.filter_counts.end()) {
    rebuild_layer(shared->layer);
  }
  return {};
}

Result<void> Snapshot::delete_filter_by_key(const Guid& key) {
  const model::Filter* filter = store_.find_filter_by_key(key);
  if (filter == nullptr) return store_.delete_filter_by_key(key);  // the store's error
  return delete_filter(filter->id);
}

void Snapshot::set_weight_profile(model::WeightProfile profile) {
  if (profile == store_.weight_profile()) return;
  store_.set_weight_profile(profile);
  rebuild_all();
}

}  // namespace openfwp::engine
