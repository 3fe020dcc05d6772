// SPDX-License-Identifier: Apache-2.0
// The FWPM management API's object rules.
#include "engine/store.h"

#include "model/effective_weight.h"
#include "model/validation.h"

#include <fmt/format.h>

#include <algorithm>

namespace openfwp::engine {

using model::Filter;

Store::Store() {
  model::Sublayer universal;
  universal.key = model::well_known::universal_sublayer();
  universal.name = "FWPM_SUBLAYER_UNIVERSAL";
  universal.description = "Universal sublayer (built in)";
  // DEVIATION(WFP): Windows does not document the universal sublayer's weight; samples only say
  // it is above 0. openfwp uses 0x8000, the middle of the range.
  universal.weight = 0x8000;
  sublayers_.emplace(universal.key, universal);
}

Result<void> Store::add_provider(model::Provider provider) {
  if (providers_.contains(provider.key)) {
    return fail(
        ErrorCode::kAlreadyExists,
        fmt::format("provider {} already exists (FWP_E_ALREADY_EXISTS)", provider.key.to_string()));
  }
  providers_.emplace(provider.key, std::move(provider));
  return {};
}

Result<void> Store::add_sublayer(model::Sublayer sublayer) {
  if (sublayers_.contains(sublayer.key)) {
    return fail(ErrorCode::kAlreadyExists,
                fmt::format("sublayer \"{}\" {} already exists (FWP_E_ALREADY_EXISTS)",
                            sublayer.name, sublayer.key.to_string()));
  }
  if (sublayer.provider && !providers_.contains(*sublayer.provider)) {
    return fail(ErrorCode::kProviderNotFound,
                fmt::format("sublayer \"{}\": provider {} not found (FWP_E_PROVIDER_NOT_FOUND)",
                            sublayer.name, sublayer.provider->to_string()));
  }
  sublayers_.emplace(sublayer.key, std::move(sublayer));
  return {};
}

Result<std::uint32_t> Store::add_callout(model::Callout callout) {
  if (callouts_.contains(callout.key)) {
    return fail(ErrorCode::kAlreadyExists,
                fmt::format("callout \"{}\" {} already exists (FWP_E_ALREADY_EXISTS)", callout.name,
                            callout.key.to_string()));
  }
  if (callout.provider && !providers_.contains(*callout.provider)) {
    return fail(ErrorCode::kProviderNotFound,
                fmt::format("callout \"{}\": provider {} not found (FWP_E_PROVIDER_NOT_FOUND)",
                            callout.name, callout.provider->to_string()));
  }
  if (callout.id == 0) callout.id = next_callout_id_;
  next_callout_id_ = std::max(next_callout_id_, callout.id + 1);
  const auto id = callout.id;
  callouts_.emplace(callout.key, std::move(callout));
  return id;
}

Result<std::uint64_t> Store::add_filter(Filter filter) {
  if (filter.sublayer.is_null()) filter.sublayer = model::well_known::universal_sublayer();
  OPENFWP_TRY_VOID(model::validate_filter(filter));
  auto fail_filter = [&](ErrorCode code, const std::string& detail) {
    return fail(code, fmt::format("filter \"{}\": {}", filter.name, detail));
  };
  if (!sublayers_.contains(filter.sublayer)) {
    return fail_filter(ErrorCode::kSublayerNotFound,
                       fmt::format("sublayer {} not found (FWP_E_SUBLAYER_NOT_FOUND)",
                                   filter.sublayer.to_string()));
  }
  if (filter.provider && !providers_.contains(*filter.provider)) {
    return fail_filter(ErrorCode::kProviderNotFound,
                       fmt::format("provider {} not found (FWP_E_PROVIDER_NOT_FOUND)",
                                   filter.provider->to_string()));
  }
  if (filter.callout) {
    const auto it = callouts_.find(*filter.callout);
    if (it == callouts_.end()) {
      return fail_filter(ErrorCode::kCalloutNotFound,
                         fmt::format("callout {} not found (FWP_E_CALLOUT_NOT_FOUND)",
                                     filter.callout->to_string()));
    }
    if (it->second.applicable_layer != filter.layer) {
      return fail_filter(
          ErrorCode::kIncompatibleLayer,
          fmt::format("callout \"{}\" applies to {}, not {} (FWP_E_INCOMPATIBLE_LAYER)",
                      it->second.name, model::layer_info(it->second.applicable_layer).wfp_name,
                      model::layer_info(filter.layer).wfp_name));
    }
  }
  if (filter.key.is_null()) {
    // Deterministic keys: derived from name, layer and a counter, so runs are reproducible.
    filter.key = Guid::derive(fmt::format(
        "filter/{}/{}/{}", filter.name, model::layer_info(filter.layer).wfp_name, next_filter_id_));
  }
  if (filter_id_by_key_.contains(filter.key)) {
    return fail_filter(
        ErrorCode::kAlreadyExists,
        fmt::format("key {} already exists (FWP_E_ALREADY_EXISTS)", filter.key.to_string()));
  }
  if (filter.id == 0) filter.id = next_filter_id_;
  if (filters_.contains(filter.id)) {
    return fail_filter(ErrorCode::kAlreadyExists,
                       fmt::format("id {} already exists (FWP_E_ALREADY_EXISTS)", filter.id));
  }
  next_filter_id_ = std::max(next_filter_id_, filter.id + 1);
  filter.effective_weight = model::effective_weight(filter, weight_profile_);
  const auto id = filter.id;
  filter_id_by_key_.emplace(filter.key, id);
  filters_.emplace(id, std::make_shared<const Filter>(std::move(filter)));
  return id;
}

void Store::adopt_filter(std::shared_ptr<const Filter> filter) {
  next_filter_id_ = std::max(next_filter_id_, filter->id + 1);
  filter_id_by_key_.emplace(filter->key, filter->id);
  const auto id = filter->id;
  filters_.emplace(id, std::move(filter));
}

std::shared_ptr<const Filter> Store::shared_filter(std::uint64_t id) const {
  const auto it = filters_.find(id);
  return it == filters_.end() ? nullptr : it->second;
}

void Store::set_weight_profile(model::WeightProfile profile) {
  if (profile == weight_profile_) return;
  weight_profile_ = profile;
  for (auto& [id, filter] : filters_) {
    auto updated = std::make_shared<model::Filter>(*filter);
    updated->effective_weight = model::effective_weight(*updated, profile);
    filter = std::move(updated);
  }
}

Result<void> Store::delete_filter(std::uint64_t id) {
  const auto it = filters_.find(id);
  if (it == filters_.end()) {
    return fail(ErrorCode::kFilterNotFound,
                fmt::format("filter id {} not found (FWP_E_FILTER_NOT_FOUND)", id));
  }
  filter_id_by_key_.erase(it->second->key);
  filters_.erase(it);
  return {};
}

Result<void> Store::delete_filter_by_key(const Guid& key) {
  const auto it = filter_id_by_key_.find(key);
  if (it == filter_id_by_key_.end()) {
    return fail(ErrorCode::kFilterNotFound,
                fmt::format("filter {} not found (FWP_E_FILTER_NOT_FOUND)", key.to_string()));
  }
  return delete_filter(it->second);
}

Result<void> Store::delete_sublayer(const Guid& key) {
  if (!sublayers_.contains(key)) {
    return fail(ErrorCode::kSublayerNotFound,
                fmt::format("sublayer {} not found (FWP_E_SUBLAYER_NOT_FOUND)", key.to_string()));
  }
  for (const auto& [id, filter] : filters_) {
    if (filter->sublayer == key) {
      return fail(ErrorCode::kInUse, fmt::format("sublayer {} still holds filter {} (FWP_E_IN_USE)",
                                                 key.to_string(), id));
    }
  }
  sublayers_.erase(key);
  return {};
}

Result<void> Store::delete_provider(const Guid& key) {
  if (!providers_.contains(key)) {
    return fail(ErrorCode::kProviderNotFound,
                fmt::format("provider {} not found (FWP_E_PROVIDER_NOT_FOUND)", key.to_string()));
  }
  auto in_use = [&](const std::optional<Guid>& p) { return p && *p == key; };
  const bool used = std::any_of(filters_.begin(), filters_.end(),
                                [&](const auto& f) { return in_use(f.second->provider); }) ||
                    std::any_of(sublayers_.begin(), sublayers_.end(),
                                [&](const auto& s) { return in_use(s.second.provider); }) ||
                    std::any_of(callouts_.begin(), callouts_.end(),
                                [&](const auto& c) { return in_use(c.second.provider); });
  if (used) {
    return fail(ErrorCode::kInUse,
                fmt::format("provider {} is still referenced (FWP_E_IN_USE)", key.to_string()));
  }
  providers_.erase(key);
  return {};
}

Result<void> Store::delete_callout(const Guid& key) {
  if (!callouts_.contains(key)) {
    return fail(ErrorCode::kCalloutNotFound,
                fmt::format("callout {} not found (FWP_E_CALLOUT_NOT_FOUND)", key.to_string()));
  }
  for (const auto& [id, filter] : filters_) {
    if (filter->callout && *filter->callout == key) {
      return fail(ErrorCode::kInUse, fmt::format("callout {} is used by filter {} (FWP_E_IN_USE)",
                                                 key.to_string(), id));
    }
  }
  callouts_.erase(key);
  return {};
}

const Filter* Store::find_filter(std::uint64_t id) const {
  const auto it = filters_.find(id);
  return it == filters_.end() ? nullptr : it->second.get();
}

const Filter* Store::find_filter_by_key(const Guid& key) const {
  const auto it = filter_id_by_key_.find(key);
  return it == filter_id_by_key_.end() ? nullptr : find_filter(it->second);
}

const model::Sublayer* Store::find_sublayer(const Guid& key) const {
  const auto it = sublayers_.find(key);
  return it == sublayers_.end() ? nullptr : &it->second;
}

const model::Provider* Store::find_provider(const Guid& key) const {
  const auto it = providers_.find(key);
  return it == providers_.end() ? nullptr : &it->second;
}

const model::Callout* Store::find_callout(const Guid& key) const {
  const auto it = callouts_.find(key);
  return it == callouts_.end() ? nullptr : &it->second;
}

}  // namespace openfwp::engine
