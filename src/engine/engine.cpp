// SPDX-License-Identifier: Apache-2.0
// Engine: transactions over Store values, snapshot publication, classify.
#include "engine/engine.h"

#include "classify/linear_matcher.h"

namespace openfwp::engine {

Engine::Engine(classify::MatcherFactory factory)
    : factory_(factory != nullptr ? factory : &classify::LinearMatcher::make) {
  snapshot_.store(Snapshot::build(committed_, factory_, epoch_));
}

template <class Fn>
auto Engine::mutate(Fn&& fn) -> decltype(fn(std::declval<Store&>())) {
  std::lock_guard lock(management_mutex_);
  if (staged_) return fn(*staged_);
  // Implicit transaction: work on a copy so that a failed call changes nothing.
  Store copy = committed_;
  auto result = fn(copy);
  if (result) publish(std::move(copy));
  return result;
}

void Engine::publish(Store store) {
  committed_ = std::move(store);
  ++epoch_;
  snapshot_.store(Snapshot::build(committed_, factory_, epoch_));
}

Result<void> Engine::add_provider(model::Provider provider) {
  return mutate([&](Store& s) { return s.add_provider(std::move(provider)); });
}
Result<void> Engine::add_sublayer(model::Sublayer sublayer) {
  return mutate([&](Store& s) { return s.add_sublayer(std::move(sublayer)); });
}
Result<std::uint32_t> Engine::add_callout(model::Callout callout) {
  return mutate([&](Store& s) { return s.add_callout(std::move(callout)); });
}
Result<std::uint64_t> Engine::add_filter(model::Filter filter) {
  return mutate([&](Store& s) { return s.add_filter(std::move(filter)); });
}
Result<void> Engine::set_weight_profile(model::WeightProfile profile) {
  return mutate([&](Store& s) -> Result<void> {
    s.set_weight_profile(profile);
    return {};
  });
}
Result<void> Engine::delete_filter(std::uint64_t id) {
  return mutate([&](Store& s) { return s.delete_filter(id); });
}
Result<void> Engine::delete_filter_by_key(const Guid& key) {
  return mutate([&](Store& s) { return s.delete_filter_by_key(key); });
}
Result<void> Engine::delete_sublayer(const Guid& key) {
  return mutate([&](Store& s) { return s.delete_sublayer(key); });
}
Result<void> Engine::delete_provider(const Guid& key) {
  return mutate([&](Store& s) { return s.delete_provider(key); });
}
Result<void> Engine::delete_callout(const Guid& key) {
  return mutate([&](Store& s) { return s.delete_callout(key); });
}

Result<void> Engine::in_transaction(FunctionRef<Result<void>()> changes) {
  OPENFWP_TRY_VOID(begin());
  if (auto changed = changes(); !changed) {
    (void)abort();
    return changed;
  }
  return commit();
}

Result<void> Engine::begin() {
  std::lock_guard lock(management_mutex_);
  if (staged_) {
    return fail(ErrorCode::kTxnInProgress,
                "a transaction is already in progress (FWP_E_TXN_IN_PROGRESS)");
  }
  staged_ = committed_;
  return {};
}

Result<void> Engine::commit() {
  std::lock_guard lock(management_mutex_);
  if (!staged_) {
    return fail(ErrorCode::kNoTxnInProgress,
                "no transaction in progress (FWP_E_NO_TXN_IN_PROGRESS)");
  }
  Store store = std::move(*staged_);
  staged_.reset();
  publish(std::move(store));
  return {};
}

Result<void> Engine::abort() {
  std::lock_guard lock(management_mutex_);
  if (!staged_) {
    return fail(ErrorCode::kNoTxnInProgress,
                "no transaction in progress (FWP_E_NO_TXN_IN_PROGRESS)");
  }
  staged_.reset();
  return {};
}

bool Engine::in_transaction() const {
  std::lock_guard lock(management_mutex_);
  return staged_.has_value();
}

void Engine::register_callout(const Guid& key, CalloutDriver* driver) {
  std::unique_lock lock(callouts_mutex_);
  callouts_[key] = driver;
}

void Engine::unregister_callout(const Guid& key) {
  std::unique_lock lock(callouts_mutex_);
  callouts_.erase(key);
}

void Engine::notify_flow_deleted(model::LayerId layer, std::uint64_t flow_id,
                                 std::uint64_t flow_context) const {
  if (flow_context == 0) return;
  std::shared_lock lock(callouts_mutex_);
  for (const auto& [key, driver] : callouts_) driver->flow_delete(layer, flow_id, flow_context);
}

Decision Engine::classify(const model::IncomingValues& in, const ClassifyMetadata& metadata,
                          ClassifyOptions options) const {
  const auto snapshot = snapshot_.load();
  std::shared_lock lock(callouts_mutex_);
  auto lookup = [this](const Guid& key) -> CalloutDriver* {
    const auto it = callouts_.find(key);
    return it == callouts_.end() ? nullptr : it->second;
  };
  const ArbitrationRequest request{snapshot->layer(in.layer()), in, metadata, lookup,
                                   options.explain};
  return arbitrate(request);
}

}  // namespace openfwp::engine
