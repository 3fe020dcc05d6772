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
#include <functional>
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
  /// Uses IndexedMatcher unless another factory is given (LinearMatcher::make is the reference).
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
  // A change as it is replayed on the other replica (the same call, or the adoption of a
  // filter object the first replica created).
  using Change = std::function<Result<void>(Snapshot&)>;

  // Runs `first` on the writable replica, queues replay_of(replica, result) for the other one
  // and, outside a transaction, publishes.
  template <class First, class ReplayOf>
  auto mutate(First&& first, ReplayOf&& replay_of) -> decltype(first(std::declval<Snapshot&>()));
  // The same, for changes that replay as they are.
  Result<void> mutate(Change change);
  // The unpublished replica, brought up to date with the published one.
  Snapshot& writable();
  // Publishes the writable replica; the previous one becomes the writable one, behind by the
  // changes just published.
  void publish();

  classify::MatcherFactory factory_;
  mutable std::mutex management_mutex_;
  // Left-right replication (Ramalhete & Correia; pf's active/inactive rulesets). Two Snapshots
  // take turns: readers load `snapshot_`; the writer changes `spare_`, which nobody reads,
  // publishes it with one atomic swap, and replays the same changes on the replica it swapped
  // out once the classifications still reading that one have finished (its use_count() drops
  // to 1). A reader that holds a snapshot longer (an enumeration) costs one clone instead.
  std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
  std::shared_ptr<Snapshot> spare_;
  bool spare_diverged_ = false;    // an aborted transaction left changes in spare_
  std::vector<Change> spare_lag_;  // published changes spare_ has not seen yet
  std::vector<Change> pending_;    // changes made to spare_ and not yet published
  bool in_transaction_ = false;
  std::uint64_t epoch_ = 0;

  mutable std::shared_mutex callouts_mutex_;
  std::unordered_map<Guid, CalloutDriver*> callouts_;
};

}  // namespace openfwp::engine
