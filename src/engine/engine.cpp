// SPDX-License-Identifier: Apache-2.0
// Engine: transactions over Store values, snapshot publication, classify.
#include "engine/engine.h"

#include "classify/indexed_matcher.h"

#include <chrono>
#include <thread>

namespace openfwp::engine {

namespace {

// How long a writer waits for the classifications still reading the replica it swapped out
// before it gives up and clones the published one. Classifications take microseconds; a
// snapshot held longer is an enumeration (or a replay's baseline), for which a clone is the
// right price.
constexpr auto kReaderGrace = std::chrono::microseconds(50);

// True once `replica` has no reader left (or the grace period ran out: false).
bool wait_for_readers(const std::shared_ptr<Snapshot>& replica) {
  if (replica.use_count() == 1) return true;
  const auto deadline = std::chrono::steady_clock::now() + kReaderGrace;
  while (replica.use_count() != 1) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

}  // namespace

Engine::Engine(classify::MatcherFactory factory)
    : factory_(factory != nullptr ? factory : &classify::IndexedMatcher::make) {
  snapshot_.store(Snapshot::build(Store{}, factory_, epoch_));
}

Snapshot& Engine::writable() {
  if (in_transaction_) return *spare_;  // begin() brought it up to date
  // Readers that loaded spare_ before it was swapped out drop their references with a release
  // decrement; the acquire fence orders their reads before our writes.
  bool current = spare_ && !spare_diverged_ && wait_for_readers(spare_);
  std::atomic_thread_fence(std::memory_order_acquire);
  for (std::size_t i = 0; current && i < spare_lag_.size(); ++i) {
    // A published change replays on an identical replica; should one not, the clone below
    // repairs it rather than leave the replicas different.
    current = spare_lag_[i](*spare_).has_value();
  }
  if (!current) spare_ = Snapshot::clone(*snapshot_.load());
  spare_diverged_ = false;
  spare_lag_.clear();
  return *spare_;
}

void Engine::publish() {
  spare_->set_epoch(++epoch_);
  auto previous = snapshot_.exchange(std::move(spare_));
  // Only this writer ever held the previous replica as non-const; it is ours again.
  spare_ = std::const_pointer_cast<Snapshot>(std::move(previous));
  spare_lag_ = std::move(pending_);
  pending_.clear();
}

template <class First, class ReplayOf>
auto Engine::mutate(First&& first, ReplayOf&& replay_of)
    -> decltype(first(std::declval<Snapshot&>())) {
  std::lock_guard lock(management_mutex_);
  Snapshot& target = writable();
  auto result = first(target);
  if (!result) return result;  // changes are atomic: the replica is as it was
  pending_.push_back(replay_of(target, result));
  if (!in_transaction_) publish();
  return result;
}

Result<void> Engine::mutate(Change change) {
  return mutate(change, [&](const Snapshot&, const Result<void>&) { return change; });
}

Result<void> Engine::add_provider(model::Provider provider) {
  return mutate([provider = std::move(provider)](Snapshot& s) {
    return s.store_for_update().add_provider(provider);
  });
}
Result<void> Engine::add_sublayer(model::Sublayer sublayer) {
  return mutate([sublayer = std::move(sublayer)](Snapshot& s) {
    return s.store_for_update().add_sublayer(sublayer);
  });
}
Result<std::uint32_t> Engine::add_callout(model::Callout callout) {
  auto add = [callout = std::move(callout)](Snapshot& s) {
    return s.store_for_update().add_callout(callout);
  };
  return mutate(add, [&](const Snapshot&, const Result<std::uint32_t>&) -> Change {
    return [add](Snapshot& s) -> Result<void> {
      OPENFWP_TRY_VOID(add(s));
      return {};
    };
  });
}
Result<std::uint64_t> Engine::add_filter(model::Filter filter) {
  // The other replica adopts the object this one created: both share one copy of each filter.
  return mutate([&](Snapshot& s) { return s.add_filter(std::move(filter)); },
                [](const Snapshot& s, const Result<std::uint64_t>& id) -> Change {
                  return [object = s.store().shared_filter(*id)](Snapshot& other) -> Result<void> {
                    other.adopt_filter(object);
                    return {};
                  };
                });
}
Result<void> Engine::set_weight_profile(model::WeightProfile profile) {
  return mutate([profile](Snapshot& s) -> Result<void> {
    s.set_weight_profile(profile);
    return {};
  });
}
Result<void> Engine::delete_filter(std::uint64_t id) {
  return mutate([id](Snapshot& s) { return s.delete_filter(id); });
}
Result<void> Engine::delete_filter_by_key(const Guid& key) {
  return mutate([key](Snapshot& s) { return s.delete_filter_by_key(key); });
}
Result<void> Engine::delete_sublayer(const Guid& key) {
  return mutate([key](Snapshot& s) { return s.store_for_update().delete_sublayer(key); });
}
Result<void> Engine::delete_provider(const Guid& key) {
  return mutate([key](Snapshot& s) { return s.store_for_update().delete_provider(key); });
}
Result<void> Engine::delete_callout(const Guid& key) {
  return mutate([key](Snapshot& s) { return s.store_for_update().delete_callout(key); });
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
  if (in_transaction_) {
    return fail(ErrorCode::kTxnInProgress,
                "a transaction is already in progress (FWP_E_TXN_IN_PROGRESS)");
  }
  writable();
  in_transaction_ = true;
  return {};
}

Result<void> Engine::commit() {
  std::lock_guard lock(management_mutex_);
  if (!in_transaction_) {
    return fail(ErrorCode::kNoTxnInProgress,
                "no transaction in progress (FWP_E_NO_TXN_IN_PROGRESS)");
  }
  in_transaction_ = false;
  publish();
  return {};
}

Result<void> Engine::abort() {
  std::lock_guard lock(management_mutex_);
  if (!in_transaction_) {
    return fail(ErrorCode::kNoTxnInProgress,
                "no transaction in progress (FWP_E_NO_TXN_IN_PROGRESS)");
  }
  in_transaction_ = false;
  // spare_ holds the aborted changes; it is rebuilt from the published replica when next
  // needed. Nothing was published, so readers saw none of them.
  spare_diverged_ = true;
  pending_.clear();
  return {};
}

bool Engine::in_transaction() const {
  std::lock_guard lock(management_mutex_);
  return in_transaction_;
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
