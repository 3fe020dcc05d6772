// SPDX-License-Identifier: Apache-2.0
// Engine: one filter engine (one per simulated host, one per daemon). The management API of
// the BFE (add/delete/enumerate, transactions) and the classify entry point of the kernel
// engine, over an immutable Snapshot published atomically on each commit.
#pragma once

#include "classify/layer_matcher.h"
#include "common/function_ref.h"
#include "engine/arbitration.h"
#include "engine/callout.h"
#include "engine/decision.h"
#include "engine/snapshot.h"
#include "engine/store.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <unordered_map>

namespace openfwp::engine {

struct ClassifyOptions {
  bool explain = false;  ///< fill Decision::sublayers (costs allocations)
};

class Engine {
 public:
  /// Uses LinearMatcher unless another factory is given.
  explicit Engine(classify::MatcherFactory factory = nullptr);

  // --- Management. Outside a transaction each call commits at once (as FwpmFilterAdd0 does
  // without FwpmTransactionBegin0); inside one, changes are staged until commit(). Calls are
  // serialised by an internal mutex; they may run concurrently with classify().
  Result<void> add_provider(model::Provider provider);
  Result<void> add_sublayer(model::Sublayer sublayer);
  Result<std::uint32_t> add_callout(model::Callout callout);
  Result<std::uint64_t> add_filter(model::Filter filter);
  /// Store::set_weight_profile, as a management change (inside or outside a transaction).
  Result<void> set_weight_profile(model::WeightProfile profile);
  Result<void> delete_filter(std::uint64_t id);
  Result<void> delete_filter_by_key(const Guid& key);
  Result<void> delete_sublayer(const Guid& key);
  Result<void> delete_provider(const Guid& key);
  Result<void> delete_callout(const Guid& key);

  /// FwpmTransactionBegin0 / Commit0 / Abort0. begin() inside a transaction fails with
  /// kTxnInProgress; commit()/abort() outside one with kNoTxnInProgress. commit() publishes a
  /// new snapshot; abort() leaves no trace.
  Result<void> begin();
  Result<void> commit();
  Result<void> abort();
  bool in_transaction() const;
  /// begin(), then `changes`; commit() if they succeed, abort() if not (their error is
  /// returned). What policy loaders use so that a policy applies whole or not at all.
  Result<void> in_transaction(FunctionRef<Result<void>()> changes);

  /// The current committed policy; hold the pointer to enumerate a consistent view.
  std::shared_ptr<const Snapshot> snapshot() const { return snapshot_.load(); }
  /// Increases with every commit that changed something (drives ALE reauthorization).
  std::uint64_t policy_epoch() const { return snapshot()->epoch(); }

  // --- Run-time callout registration (FwpsCalloutRegister): non-owning; the driver must stay
  // alive until unregister_callout(). Filters naming an unregistered callout follow the rules in
  // arbitration.h.
  void register_callout(const Guid& key, CalloutDriver* driver);
  void unregister_callout(const Guid& key);
  /// A flow ended: every registered driver that associated a context with it (a nonzero
  /// `flow_context`) gets flow_delete (FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN).
  void notify_flow_deleted(model::LayerId layer, std::uint64_t flow_id,
                           std::uint64_t flow_context) const;

  // --- Classification. Thread-safe and lock-free with respect to management.
  Decision classify(const model::IncomingValues& in, const ClassifyMetadata& metadata = {},
                    ClassifyOptions options = {}) const;

 private:
  template <class Fn>
  auto mutate(Fn&& fn) -> decltype(fn(std::declval<Store&>()));
  void publish(Store store);

  classify::MatcherFactory factory_;
  mutable std::mutex management_mutex_;
  Store committed_;              // the store behind the current snapshot
  std::optional<Store> staged_;  // the open transaction, if any
  std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
  std::uint64_t epoch_ = 0;

  mutable std::shared_mutex callouts_mutex_;
  std::unordered_map<Guid, CalloutDriver*> callouts_;
};

}  // namespace openfwp::engine
