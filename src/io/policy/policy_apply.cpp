// SPDX-License-Identifier: Apache-2.0
// Policy → engine, in one transaction.
#include "engine/engine.h"
#include "engine/store.h"
#include "io/policy/policy.h"

#include <fmt/format.h>

namespace openfwp::io::policy {
namespace {

// An engine error about an object, pointed at where the file wrote that object.
Error relocate(Error error, const std::vector<SourceLocation>& locations, std::size_t index,
               std::string_view kind, std::string_view name) {
  if (error.where.file.empty() && index < locations.size()) error.where = locations[index];
  const std::string prefix = fmt::format("{} \"{}\"", kind, name);
  if (error.message.find(prefix) == std::string::npos) {
    error.message = fmt::format("{}: {}", prefix, error.message);
  }
  return error;
}

template <class Object, class AddFn>
Result<void> add_all(const std::vector<Object>& objects,
                     const std::vector<SourceLocation>& locations, std::string_view kind,
                     AddFn add) {
  for (std::size_t i = 0; i < objects.size(); ++i) {
    if (auto added = add(objects[i]); !added) {
      return tl::unexpected(relocate(added.error(), locations, i, kind, objects[i].name));
    }
  }
  return {};
}

// Built-in objects exist before any policy: FWPM_SUBLAYER_UNIVERSAL in every store, and the stock
// callouts a host registers at boot (stack::install_stock_callouts). A policy that describes one
// of them with the same identity (an imported dump lists them all) is not a conflict; anything
// else with an existing key still fails with FWP_E_ALREADY_EXISTS.
bool is_existing_builtin(const engine::Store& committed, const model::Sublayer& sublayer) {
  const auto* existing = committed.find_sublayer(sublayer.key);
  return existing != nullptr && existing->weight == sublayer.weight;
}
bool is_existing_builtin(const engine::Store& committed, const model::Callout& callout) {
  const auto* existing = committed.find_callout(callout.key);
  return existing != nullptr && existing->applicable_layer == callout.applicable_layer;
}

// Adds the policy's objects inside an open transaction; `base` holds the built-in objects.
Result<void> add_policy_objects(const Policy& policy, engine::Engine& engine,
                                const engine::Store& base) {
  if (policy.weight_profile) OPENFWP_TRY_VOID(engine.set_weight_profile(*policy.weight_profile));
  OPENFWP_TRY_VOID(add_all(policy.providers, policy.provider_locations, "provider",
                           [&](const model::Provider& p) { return engine.add_provider(p); }));
  OPENFWP_TRY_VOID(add_all(policy.sublayers, policy.sublayer_locations, "sublayer",
                           [&](const model::Sublayer& s) -> Result<void> {
                             if (is_existing_builtin(base, s)) return {};
                             return engine.add_sublayer(s);
                           }));
  OPENFWP_TRY_VOID(add_all(policy.callouts, policy.callout_locations, "callout",
                           [&](const model::Callout& c) -> Result<void> {
                             if (is_existing_builtin(base, c)) return {};
                             OPENFWP_TRY_VOID(engine.add_callout(c));
                             return {};
                           }));
  return add_all(policy.filters, policy.filter_locations, "filter",
                 [&](const model::Filter& f) -> Result<void> {
                   OPENFWP_TRY_VOID(engine.add_filter(f));
                   return {};
                 });
}

}  // namespace

Result<void> apply_policy(const Policy& policy, engine::Engine& engine) {
  const auto committed = engine.snapshot();  // what existed before this policy
  return engine.in_transaction(
      [&]() -> Result<void> { return add_policy_objects(policy, engine, committed->store()); });
}

Result<void> replace_policy(const Policy& policy, engine::Engine& engine,
                            const engine::Store& base) {
  const auto current = engine.snapshot();
  const engine::Store& store = current->store();
  return engine.in_transaction([&]() -> Result<void> {
    // Filters first: sublayers, callouts and providers in use cannot be deleted.
    for (const auto& [id, filter] : store.filters()) OPENFWP_TRY_VOID(engine.delete_filter(id));
    for (const auto& [key, callout] : store.callouts()) {
      if (base.find_callout(key) == nullptr) OPENFWP_TRY_VOID(engine.delete_callout(key));
    }
    for (const auto& [key, sublayer] : store.sublayers()) {
      if (base.find_sublayer(key) == nullptr) OPENFWP_TRY_VOID(engine.delete_sublayer(key));
    }
    for (const auto& [key, provider] : store.providers()) {
      if (base.find_provider(key) == nullptr) OPENFWP_TRY_VOID(engine.delete_provider(key));
    }
    return add_policy_objects(policy, engine, base);
  });
}

}  // namespace openfwp::io::policy
