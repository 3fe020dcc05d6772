// SPDX-License-Identifier: Apache-2.0
// Sorting filters into arbitration order and building the per-layer matchers.
#include "engine/snapshot.h"

#include <algorithm>

namespace openfwp::engine {

std::shared_ptr<const Snapshot> Snapshot::build(Store store, classify::MatcherFactory factory,
                                                std::uint64_t epoch) {
  std::shared_ptr<Snapshot> snapshot(new Snapshot(std::move(store), epoch));
  const Store& frozen = snapshot->store_;

  // Bucket enabled filters per layer. WFP: FWPM_FILTER_FLAG_DISABLED filters are enumerated
  // but never classified.
  std::array<std::vector<const model::Filter*>, model::kLayerCount> per_layer;
  for (const auto& [id, filter] : frozen.filters()) {
    if ((filter->flags & model::filter_flag::kDisabled) != 0) continue;
    per_layer[static_cast<std::size_t>(filter->layer)].push_back(filter.get());
  }

  for (std::size_t layer_index = 0; layer_index < model::kLayerCount; ++layer_index) {
    auto& filters = per_layer[layer_index];
    LayerState& state = snapshot->layers_[layer_index];
    // WFP: Filter Arbitration — sublayers from highest weight to lowest. Ties (which Windows
    // leaves unspecified) go by key so that the order is total and stable.
    for (const auto* filter : filters) {
      const auto* sublayer = frozen.find_sublayer(filter->sublayer);
      if (std::find(state.sublayers.begin(), state.sublayers.end(), sublayer) ==
          state.sublayers.end()) {
        state.sublayers.push_back(sublayer);
      }
    }
    std::sort(state.sublayers.begin(), state.sublayers.end(),
              [](const model::Sublayer* a, const model::Sublayer* b) {
                if (a->weight != b->weight) return a->weight > b->weight;
                return a->key < b->key;
              });
    auto rank_of = [&](const Guid& key) {
      const auto it = std::find_if(state.sublayers.begin(), state.sublayers.end(),
                                   [&](const model::Sublayer* s) { return s->key == key; });
      return static_cast<std::uint32_t>(it - state.sublayers.begin());
    };
    std::vector<classify::MatchEntry> entries;
    entries.reserve(filters.size());
    for (const auto* filter : filters) entries.push_back({filter, rank_of(filter->sublayer)});
    // WFP: inside a sublayer, highest effective weight first; ties by id (DEVIATION: Windows
    // leaves equal weights unordered).
    std::sort(entries.begin(), entries.end(),
              [](const classify::MatchEntry& a, const classify::MatchEntry& b) {
                if (a.sublayer_rank != b.sublayer_rank) return a.sublayer_rank < b.sublayer_rank;
                if (a.filter->effective_weight != b.filter->effective_weight) {
                  return a.filter->effective_weight > b.filter->effective_weight;
                }
                return a.filter->id < b.filter->id;
              });
    state.matcher = factory(static_cast<model::LayerId>(layer_index), std::move(entries));
  }
  return snapshot;
}

}  // namespace openfwp::engine
