// SPDX-License-Identifier: Apache-2.0
// Store: every management object, by value, keyed by GUID (filters also by run-time id). It
// enforces the cross-object rules of the FWPM API (references exist, keys unique, a sublayer
// with filters cannot be deleted) and computes effective weights on add. It is a plain value:
// a transaction works on a copy, and a committed Snapshot freezes one.
#pragma once

#include "common/result.h"
#include "model/effective_weight.h"
#include "model/filter.h"

#include <cstdint>
#include <map>
#include <memory>
#include <unordered_map>

namespace openfwp::engine {

class Store {
 public:
  /// Creates the built-in objects (FWPM_SUBLAYER_UNIVERSAL).
  Store();

  /// FwpmProviderAdd0 / FwpmSubLayerAdd0 / FwpmCalloutAdd0 / FwpmFilterAdd0. Errors:
  /// kAlreadyExists, kProviderNotFound, kSublayerNotFound, kCalloutNotFound, kLayerNotFound,
  /// plus model::validate_filter's. add_filter assigns key (if null), id (if 0) and the
  /// effective weight, and returns the id.
  Result<void> add_provider(model::Provider provider);
  Result<void> add_sublayer(model::Sublayer sublayer);
  Result<std::uint32_t> add_callout(model::Callout callout);
  Result<std::uint64_t> add_filter(model::Filter filter);

  /// FwpmFilterDeleteById0 / ByKey0 and friends. Errors: k*NotFound, kInUse.
  Result<void> delete_filter(std::uint64_t id);
  Result<void> delete_filter_by_key(const Guid& key);
  Result<void> delete_sublayer(const Guid& key);
  Result<void> delete_provider(const Guid& key);
  Result<void> delete_callout(const Guid& key);

  /// Which Windows build's automatic-weight tables effective weights follow (default kWin11).
  /// Changing it recomputes the effective weight of every filter already added.
  void set_weight_profile(model::WeightProfile profile);
  model::WeightProfile weight_profile() const { return weight_profile_; }

  /// Replication (engine/snapshot.h): adds a filter that add_filter accepted in a Store with
  /// the same contents, sharing the object; nothing is validated again.
  void adopt_filter(std::shared_ptr<const model::Filter> filter);

  const model::Filter* find_filter(std::uint64_t id) const;
  /// The shared object behind find_filter(id); null if there is none.
  std::shared_ptr<const model::Filter> shared_filter(std::uint64_t id) const;
  const model::Filter* find_filter_by_key(const Guid& key) const;
  const model::Sublayer* find_sublayer(const Guid& key) const;
  const model::Provider* find_provider(const Guid& key) const;
  const model::Callout* find_callout(const Guid& key) const;

  /// Enumeration, ordered by key (providers, sublayers, callouts) or id (filters).
  const std::map<Guid, model::Provider>& providers() const { return providers_; }
  const std::map<Guid, model::Sublayer>& sublayers() const { return sublayers_; }
  const std::map<Guid, model::Callout>& callouts() const { return callouts_; }
  const std::map<std::uint64_t, std::shared_ptr<const model::Filter>>& filters() const {
    return filters_;
  }

 private:
  std::map<Guid, model::Provider> providers_;
  std::map<Guid, model::Sublayer> sublayers_;
  std::map<Guid, model::Callout> callouts_;
  // Filters are shared, immutable values: snapshots copy the map, not the filters.
  std::map<std::uint64_t, std::shared_ptr<const model::Filter>> filters_;
  std::unordered_map<Guid, std::uint64_t> filter_id_by_key_;
  std::uint64_t next_filter_id_ = 1;
  std::uint32_t next_callout_id_ = 1;
  model::WeightProfile weight_profile_ = model::WeightProfile::kWin11;
};

}  // namespace openfwp::engine
