// SPDX-License-Identifier: Apache-2.0
// Differential check of two engines that differ only in their matcher factory: the same random
// policy (several sublayers, provider-less callouts), the same random adds and deletes outside
// and inside transactions (committed and aborted, with snapshots held so the engine must clone
// its replica), the same random packets; decisions and explanations must be identical, and a
// held snapshot must keep deciding as it did when taken. Also the helpers the engine
// replication tests use: a copy of a policy built in one transaction, and store/decision
// comparisons. Shared by the property test and the libFuzzer target; no gtest dependency.
#pragma once

#include "engine/arbitration.h"
#include "engine/engine.h"
#include "model/validation.h"
#include "support/random_policy.h"

#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace openfwp::testing {

/// Classifies `in` against one snapshot directly (no registered callouts), as Engine::classify
/// does against the published one.
inline engine::Decision classify_snapshot(const engine::Snapshot& snapshot,
                                          const model::IncomingValues& in, bool explain) {
  auto no_callouts = [](const Guid&) -> engine::CalloutDriver* { return nullptr; };
  const engine::ClassifyMetadata metadata{};
  return engine::arbitrate({snapshot.layer(in.layer()), in, metadata, no_callouts, explain});
}

/// The first difference between two decisions (every member, explanation steps included).
inline std::optional<std::string> compare_decisions(const engine::Decision& a,
                                                    const engine::Decision& b) {
  std::ostringstream out;
  auto differs = [&](const char* what, const auto& x, const auto& y) {
    if (x == y) return false;
    out << what << " differs";
    return true;
  };
  if (differs("action", a.action, b.action) || differs("hard", a.hard, b.hard) ||
      differs("veto", a.veto, b.veto) || differs("absorb", a.absorb, b.absorb) ||
      differs("filter_id", a.filter_id, b.filter_id) || differs("reason", a.reason, b.reason) ||
      differs("from_callout", a.from_callout, b.from_callout) ||
      differs("filter_name", a.filter_name, b.filter_name) ||
      differs("sublayer_name", a.sublayer_name, b.sublayer_name) ||
      differs("sublayer_weight", a.sublayer_weight, b.sublayer_weight) ||
      differs("superseded_filter", a.superseded_filter, b.superseded_filter) ||
      differs("summary", a.summary, b.summary) ||
      differs("number of sublayer steps", a.sublayers.size(), b.sublayers.size())) {
    out << ": \"" << a.summary << "\" vs \"" << b.summary << "\"";
    return out.str();
  }
  for (std::size_t s = 0; s < a.sublayers.size(); ++s) {
    const auto& x = a.sublayers[s];
    const auto& y = b.sublayers[s];
    out << "sublayer step " << s << " (" << x.name << "): ";
    if (differs("key", x.key, y.key) || differs("weight", x.weight, y.weight) ||
        differs("result", x.result, y.result) || differs("deciding", x.deciding, y.deciding) ||
        differs("effect", x.effect, y.effect) ||
        differs("number of filter steps", x.filters.size(), y.filters.size())) {
      return out.str();
    }
    for (std::size_t f = 0; f < x.filters.size(); ++f) {
      const auto& p = x.filters[f];
      const auto& q = y.filters[f];
      out << "filter step " << f << " (" << p.filter_id << " vs " << q.filter_id << "): ";
      if (differs("filter_id", p.filter_id, q.filter_id) || differs("name", p.name, q.name) ||
          differs("effective_weight", p.effective_weight, q.effective_weight) ||
          differs("action", p.action, q.action) || differs("outcome", p.outcome, q.outcome) ||
          differs("hard", p.hard, q.hard) || differs("note", p.note, q.note)) {
        return out.str();
      }
    }
    out.str("");
  }
  return std::nullopt;
}

/// The first difference between two stores' objects (filters member by member, sublayers,
/// callouts, providers, weight profile).
inline std::optional<std::string> compare_stores(const engine::Store& a, const engine::Store& b) {
  if (a.weight_profile() != b.weight_profile()) return "weight profiles differ";
  if (a.sublayers().size() != b.sublayers().size()) return "sublayer counts differ";
  for (const auto& [key, sublayer] : a.sublayers()) {
    const auto* other = b.find_sublayer(key);
    if (other == nullptr || other->weight != sublayer.weight || other->name != sublayer.name) {
      return "sublayer " + key.to_string() + " differs";
    }
  }
  if (a.callouts().size() != b.callouts().size()) return "callout counts differ";
  if (a.providers().size() != b.providers().size()) return "provider counts differ";
  if (a.filters().size() != b.filters().size()) {
    return "filter counts differ: " + std::to_string(a.filters().size()) + " vs " +
           std::to_string(b.filters().size());
  }
  for (const auto& [id, filter] : a.filters()) {
    const auto* other = b.find_filter(id);
    if (other == nullptr) return "filter " + std::to_string(id) + " is missing";
    if (other->key != filter->key || other->name != filter->name || other->layer != filter->layer ||
        other->sublayer != filter->sublayer || other->weight != filter->weight ||
        other->action != filter->action || other->callout != filter->callout ||
        other->flags != filter->flags || other->conditions != filter->conditions ||
        other->effective_weight != filter->effective_weight) {
      return "filter " + std::to_string(id) + " differs";
    }
    if (b.find_filter_by_key(filter->key) != other) {
      return "filter " + std::to_string(id) + " is not found by its key";
    }
  }
  return std::nullopt;
}

/// A new engine holding the policy of `snapshot`, added in one transaction: same sublayers,
/// callouts, weight profile and filters (with their ids and keys). nullptr if any add failed.
inline std::unique_ptr<engine::Engine> rebuild_in_one_transaction(
    const engine::Snapshot& snapshot, classify::MatcherFactory factory) {
  auto rebuilt = std::make_unique<engine::Engine>(factory);
  const auto& store = snapshot.store();
  auto changes = [&]() -> Result<void> {
    OPENFWP_TRY_VOID(rebuilt->set_weight_profile(store.weight_profile()));
    for (const auto& [key, provider] : store.providers()) {
      OPENFWP_TRY_VOID(rebuilt->add_provider(provider));
    }
    for (const auto& [key, sublayer] : store.sublayers()) {
      if (key == model::well_known::universal_sublayer()) continue;  // built in
      OPENFWP_TRY_VOID(rebuilt->add_sublayer(sublayer));
    }
    for (const auto& [key, callout] : store.callouts()) {
      OPENFWP_TRY_VOID(rebuilt->add_callout(callout));
    }
    for (const auto& [id, filter] : store.filters()) {
      OPENFWP_TRY_VOID(rebuilt->add_filter(*filter));
    }
    return {};
  };
  if (!rebuilt->in_transaction(changes)) return nullptr;
  return rebuilt;
}

/// One random engine case; run() returns the first mismatch, or nullopt.
class EngineDifferential {
 public:
  struct Stats {
    std::size_t operations = 0;
    std::size_t classifications = 0;  ///< packets classified on both engines (×2: explain on/off)
    std::size_t held_checks = 0;      ///< held-snapshot decisions re-checked
  };

  EngineDifferential(Choices& choices, classify::MatcherFactory reference,
                     classify::MatcherFactory candidate,
                     model::LayerId layer = RandomPolicy::kDefaultLayer)
      : choices_(choices),
        reference_(reference),
        candidate_(candidate),
        callouts_{Guid::derive("differential/callout/0"), Guid::derive("differential/callout/1")},
        policy_(choices, layer, callouts_) {}

  std::optional<std::string> run(std::size_t initial_filters, std::size_t operations,
                                 std::size_t packets) {
    packets_ = packets;
    // Sublayers with tied weights (ordered by key then) and the universal one.
    sublayers_.push_back(model::well_known::universal_sublayer());
    const auto count = 1 + choices_.below(4);
    for (std::uint64_t i = 0; i < count; ++i) {
      if (auto failed = add_sublayer()) return failed;
    }
    for (std::size_t i = 0; i < callouts_.size(); ++i) {
      model::Callout callout;
      callout.key = callouts_[i];
      callout.name = "callout " + std::to_string(i);
      callout.applicable_layer = policy_.layer();
      if (!a_.add_callout(callout) || !b_.add_callout(callout)) return "add_callout failed";
    }
    if (auto failed = both("begin", [](engine::Engine& e) { return e.begin(); })) return failed;
    for (std::size_t i = 0; i < initial_filters; ++i) {
      if (auto failed = add_filter()) return failed;
    }
    if (auto failed = both("commit", [](engine::Engine& e) { return e.commit(); })) return failed;
    if (auto mismatch = check("after the initial policy")) return mismatch;

    for (std::size_t op = 0; op < operations; ++op) {
      ++stats_.operations;
      const std::string when = "operation " + std::to_string(op);
      if (auto failed = operation(when)) return failed;
      if (auto mismatch = check(when)) return mismatch;
    }
    // The final policy, built in one go, decides alike.
    auto rebuilt = rebuild_in_one_transaction(*a_.snapshot(), candidate_);
    if (rebuilt == nullptr) return "the final policy does not rebuild in one transaction";
    if (auto differ = compare_stores(a_.snapshot()->store(), rebuilt->snapshot()->store())) {
      return "rebuilt store: " + *differ;
    }
    for (std::size_t p = 0; p < packets_; ++p) {
      const auto in = policy_.packet();
      if (auto differ = compare_decisions(a_.classify(in, {}, {.explain = true}),
                                          rebuilt->classify(in, {}, {.explain = true}))) {
        return "rebuilt engine: " + *differ;
      }
    }
    return std::nullopt;
  }

  const Stats& stats() const { return stats_; }

 private:
  struct Held {
    std::shared_ptr<const engine::Snapshot> a, b;
    std::vector<model::IncomingValues> packets;
    std::vector<engine::Decision> decisions;
  };

  // Runs `call` on both engines; their results must agree (both succeed, or both fail with
  // the same code).
  template <class Call>
  std::optional<std::string> both(const std::string& what, Call call) {
    const auto r = call(a_);
    const auto c = call(b_);
    if (r.has_value() != c.has_value()) return what + ": one engine failed, the other not";
    if (!r && r.error().code != c.error().code) return what + ": different error codes";
    if constexpr (!std::is_void_v<typename std::decay_t<decltype(r)>::value_type>) {
      if (r && *r != *c) return what + ": different results";
    }
    return std::nullopt;
  }

  std::optional<std::string> add_sublayer() {
    constexpr std::array<std::uint16_t, 4> kWeights = {0, 10, 10, 65535};
    model::Sublayer sublayer;
    sublayer.name = "sublayer " + std::to_string(sublayers_.size());
    sublayer.key = Guid::derive("differential/" + sublayer.name);
    sublayer.weight = choices_.pick(kWeights);
    if (auto failed =
            both("add_sublayer", [&](engine::Engine& e) { return e.add_sublayer(sublayer); })) {
      return failed;
    }
    sublayers_.push_back(sublayer.key);
    return std::nullopt;
  }

  std::optional<std::string> add_filter() {
    auto filter = policy_.filter("filter " + std::to_string(next_name_));
    // Keys of our own, so the filters a transaction staged can be deleted by key too.
    filter.key = Guid::derive("differential/filter/" + std::to_string(next_name_++));
    filter.sublayer = choices_.pick(sublayers_);
    if (auto valid = model::validate_filter(filter); !valid) {
      return "generated an invalid filter: " + valid.error().message;
    }
    auto r = a_.add_filter(filter);
    auto c = b_.add_filter(filter);
    if (!r || !c) {
      return "add_filter failed: " + (r ? c.error().message : r.error().message);
    }
    if (*r != *c) return "add_filter assigned different ids";
    live_[*r] = filter.key;
    ++applied_;
    return std::nullopt;
  }

  std::optional<std::string> delete_filter() {
    if (live_.empty() || choices_.one_in(6)) {
      // Absent: both fail alike.
      const auto id = 100000 + choices_.below(10);
      return both("delete of an absent filter",
                  [&](engine::Engine& e) { return e.delete_filter(id); });
    }
    auto it = live_.begin();
    std::advance(it, static_cast<std::ptrdiff_t>(choices_.below(live_.size())));
    const auto id = it->first;
    const auto key = it->second;
    live_.erase(it);
    ++applied_;  // a present filter: both engines must delete it (check() sees to that)
    if (choices_.one_in(3)) {
      return both("delete_filter_by_key",
                  [&](engine::Engine& e) { return e.delete_filter_by_key(key); });
    }
    return both("delete_filter", [&](engine::Engine& e) { return e.delete_filter(id); });
  }

  // The ids the published store holds, as live_ should list them outside a transaction.
  std::map<std::uint64_t, Guid> published_ids() const {
    std::map<std::uint64_t, Guid> ids;
    for (const auto& [id, filter] : a_.snapshot()->store().filters()) ids.emplace(id, filter->key);
    return ids;
  }

  std::optional<std::string> operation(const std::string& when) {
    const auto roll = choices_.below(10);
    if (roll < 5) {
      // Outside a transaction each change that succeeds publishes one epoch; one that fails
      // (an absent filter) publishes none.
      const auto epoch = a_.policy_epoch();
      const auto before = live_;
      if (auto failed = roll < 3 ? add_filter() : delete_filter()) return failed;
      const auto expected = live_ != before ? epoch + 1 : epoch;
      if (a_.policy_epoch() != expected || b_.policy_epoch() != expected) {
        return when + ": the epoch did not advance by one per change";
      }
      return std::nullopt;
    }
    switch (roll) {
      case 5:
        return transaction(when);
      case 6:
        return hold();
      case 7:
        return release_or_recheck(when);
      case 8:
        if (choices_.one_in(4)) {
          const auto profile =
              a_.snapshot()->store().weight_profile() == model::WeightProfile::kWin11
                  ? model::WeightProfile::kWin10
                  : model::WeightProfile::kWin11;
          return both("set_weight_profile",
                      [&](engine::Engine& e) { return e.set_weight_profile(profile); });
        }
        return add_sublayer();
      default:
        return add_filter();
    }
  }

  std::optional<std::string> transaction(const std::string& when) {
    if (auto failed = both("begin", [](engine::Engine& e) { return e.begin(); })) return failed;
    const auto before = a_.policy_epoch();
    const auto published = a_.snapshot();
    const auto applied_before = applied_;
    const auto changes = 1 + choices_.below(6);
    for (std::uint64_t i = 0; i < changes; ++i) {
      if (auto failed = choices_.one_in(2) ? add_filter() : delete_filter()) return failed;
      if (a_.policy_epoch() != before || a_.snapshot() != published) {
        return when + ": a staged change was published";
      }
    }
    const bool abort = choices_.one_in(3);
    if (auto failed = both(abort ? "abort" : "commit",
                           [&](engine::Engine& e) { return abort ? e.abort() : e.commit(); })) {
      return failed;
    }
    if (abort) {
      if (a_.policy_epoch() != before) return when + ": abort changed the epoch";
      live_ = published_ids();
    } else {
      // A transaction whose every change failed (deletes of absent filters) changed nothing
      // and publishes no epoch; any other commit publishes one.
      const auto expected = applied_ != applied_before ? before + 1 : before;
      if (a_.policy_epoch() != expected || b_.policy_epoch() != expected) {
        return when + ": commit is not " + (expected == before ? "zero epochs" : "one epoch");
      }
      if (live_ != published_ids()) return when + ": the commit did not publish the staged ids";
    }
    return std::nullopt;
  }

  std::optional<std::string> hold() {
    Held held{a_.snapshot(), b_.snapshot(), {}, {}};
    for (std::size_t p = 0; p < 3; ++p) {
      held.packets.push_back(policy_.packet());
      held.decisions.push_back(classify_snapshot(*held.a, held.packets.back(), true));
    }
    held_.push_back(std::move(held));
    return std::nullopt;
  }

  std::optional<std::string> release_or_recheck(const std::string& when) {
    if (held_.empty()) return hold();
    const auto index = static_cast<std::size_t>(choices_.below(held_.size()));
    const Held& held = held_[index];
    for (std::size_t p = 0; p < held.packets.size(); ++p) {
      ++stats_.held_checks;
      for (const auto* snapshot : {held.a.get(), held.b.get()}) {
        const auto now = classify_snapshot(*snapshot, held.packets[p], true);
        if (auto differ = compare_decisions(held.decisions[p], now)) {
          return when + ": a held snapshot changed its decision: " + *differ;
        }
      }
    }
    if (choices_.one_in(2)) held_.erase(held_.begin() + static_cast<std::ptrdiff_t>(index));
    return std::nullopt;
  }

  std::optional<std::string> check(const std::string& when) {
    if (a_.policy_epoch() != b_.policy_epoch()) return when + ": epochs differ";
    if (live_ != published_ids()) return when + ": the published store lacks or keeps a filter";
    if (auto differ = compare_stores(a_.snapshot()->store(), b_.snapshot()->store())) {
      return when + ": stores differ: " + *differ;
    }
    for (std::size_t p = 0; p < packets_; ++p) {
      const auto in = policy_.packet();
      ++stats_.classifications;
      const auto explained = a_.classify(in, {}, {.explain = true});
      if (auto differ = compare_decisions(explained, b_.classify(in, {}, {.explain = true}))) {
        return when + ": explained decisions differ: " + *differ;
      }
      const auto plain_a = a_.classify(in);
      const auto plain_b = b_.classify(in);
      if (plain_a.action != plain_b.action || plain_a.filter_id != plain_b.filter_id ||
          plain_a.action != explained.action || plain_a.filter_id != explained.filter_id) {
        return when + ": decisions without explanation differ";
      }
    }
    return std::nullopt;
  }

  Choices& choices_;
  classify::MatcherFactory reference_;
  classify::MatcherFactory candidate_;
  std::vector<Guid> callouts_;
  RandomPolicy policy_;
  engine::Engine a_{reference_};
  engine::Engine b_{candidate_};
  std::vector<Guid> sublayers_;
  std::map<std::uint64_t, Guid> live_;  // the filters that exist (staged ones included)
  std::vector<Held> held_;
  std::size_t packets_ = 0;
  std::size_t next_name_ = 0;
  std::size_t applied_ = 0;  // filter adds and deletes that succeeded
  Stats stats_;
};

}  // namespace openfwp::testing
