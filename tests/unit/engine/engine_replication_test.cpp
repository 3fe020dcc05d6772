// SPDX-License-Identifier: Apache-2.0
// The engine's left-right replication (engine.h): whatever path a change took — implicit
// commits replayed on the other replica, transactions committed or aborted, clones forced by a
// held snapshot — the published policy is the one an engine built in one transaction from the
// final policy holds, and a held snapshot never changes under its holder.
#include "classify/indexed_matcher.h"
#include "classify/linear_matcher.h"
#include "engine/engine.h"
#include "support/engine_differential.h"
#include "support/filter_builder.h"
#include "support/incoming_builder.h"
#include "support/random_policy.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace openfwp::engine {
namespace {

using model::FieldId;
using model::MatchType;
using testing::FilterBuilder;
using testing::IncomingBuilder;
using testing::RandomPolicy;
using testing::SeededChoices;

constexpr model::LayerId kLayer = RandomPolicy::kDefaultLayer;

struct Factory {
  const char* name;
  classify::MatcherFactory make;
};
const std::array<Factory, 2> kFactories = {Factory{"linear", &classify::LinearMatcher::make},
                                           Factory{"indexed", &classify::IndexedMatcher::make}};

model::Sublayer sublayer(const std::string& name, std::uint16_t weight) {
  model::Sublayer s;
  s.key = Guid::derive("replication/" + name);
  s.name = name;
  s.weight = weight;
  return s;
}

model::IncomingValues to_port(std::uint16_t port) {
  return IncomingBuilder(kLayer).set(FieldId::kIpRemotePort, port).build();
}

// Drives one engine through every replication path with random filters.
class Churn {
 public:
  Churn(Engine& engine, std::uint64_t seed) : engine_(engine), choices_(seed), policy_(choices_) {
    sublayers_.push_back(model::well_known::universal_sublayer());
    for (const auto& s : {sublayer("a", 10), sublayer("b", 10), sublayer("c", 500)}) {
      EXPECT_TRUE(engine_.add_sublayer(s));
      sublayers_.push_back(s.key);
    }
  }

  void add() {
    auto filter = policy_.filter("churn " + std::to_string(count_++));
    filter.sublayer = choices_.pick(sublayers_);
    auto id = engine_.add_filter(filter);
    ASSERT_TRUE(id) << id.error().message;
    ids_.push_back(*id);
  }
  void remove() {
    if (ids_.empty()) return add();
    const auto index = static_cast<std::size_t>(choices_.below(ids_.size()));
    ASSERT_TRUE(engine_.delete_filter(ids_[index]));
    ids_.erase(ids_.begin() + static_cast<std::ptrdiff_t>(index));
  }
  void changes(int count) {
    for (int i = 0; i < count; ++i) {
      if (choices_.one_in(3)) {
        remove();
      } else {
        add();
      }
    }
  }
  // A transaction that ends in abort(): the staged ids are forgotten.
  void aborted_transaction(int count) {
    const auto kept = ids_;
    ASSERT_TRUE(engine_.begin());
    changes(count);
    ASSERT_TRUE(engine_.abort());
    ids_ = kept;
  }
  void committed_transaction(int count) {
    ASSERT_TRUE(engine_.begin());
    changes(count);
    ASSERT_TRUE(engine_.commit());
  }
  model::IncomingValues packet() { return policy_.packet(); }
  std::size_t size() const { return ids_.size(); }

 private:
  Engine& engine_;
  SeededChoices choices_;
  RandomPolicy policy_;
  std::vector<Guid> sublayers_;
  std::vector<std::uint64_t> ids_;
  std::size_t count_ = 0;
};

void expect_same_as_rebuilt(const Engine& engine, classify::MatcherFactory factory, Churn& churn) {
  const auto published = engine.snapshot();
  const auto rebuilt = testing::rebuild_in_one_transaction(*published, factory);
  ASSERT_NE(rebuilt, nullptr);
  const auto differ = testing::compare_stores(published->store(), rebuilt->snapshot()->store());
  EXPECT_FALSE(differ.has_value()) << *differ;
  EXPECT_EQ(published->store().filters().size(), churn.size());
  for (int p = 0; p < 200; ++p) {
    const auto in = churn.packet();
    const auto decision = testing::compare_decisions(engine.classify(in, {}, {.explain = true}),
                                                     rebuilt->classify(in, {}, {.explain = true}));
    ASSERT_FALSE(decision.has_value()) << "packet " << p << ": " << *decision;
  }
}

TEST(EngineReplication, PublishedPolicyAfterEveryKindOfChangeEqualsOneBuiltInOneTransaction) {
  for (const auto& factory : kFactories) {
    SCOPED_TRACE(factory.name);
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      Engine engine(factory.make);
      Churn churn(engine, seed);
      churn.changes(60);  // implicit commits, replayed on the other replica
      churn.aborted_transaction(10);
      churn.changes(5);  // after an abort the replica is rebuilt from the published one
      churn.committed_transaction(15);
      {
        const auto held = engine.snapshot();  // readers keep the replica: the writer clones
        churn.changes(10);
        churn.committed_transaction(5);
        churn.changes(10);
      }
      churn.changes(20);
      ASSERT_NO_FATAL_FAILURE(expect_same_as_rebuilt(engine, factory.make, churn));
    }
  }
}

TEST(EngineReplication, HeldSnapshotKeepsDecidingWithThePolicyItWasTakenAt) {
  for (const auto& factory : kFactories) {
    SCOPED_TRACE(factory.name);
    Engine engine(factory.make);
    Churn churn(engine, 9);
    churn.changes(40);
    const auto held = engine.snapshot();
    const auto held_filters = held->store().filters().size();
    std::vector<model::IncomingValues> packets;
    std::vector<Decision> before;
    for (int p = 0; p < 100; ++p) {
      packets.push_back(churn.packet());
      before.push_back(testing::classify_snapshot(*held, packets.back(), true));
    }
    churn.changes(30);
    churn.aborted_transaction(5);
    churn.committed_transaction(10);
    churn.changes(30);
    EXPECT_EQ(held->store().filters().size(), held_filters);
    std::size_t changed_now = 0;
    for (std::size_t p = 0; p < packets.size(); ++p) {
      const auto differ = testing::compare_decisions(
          before[p], testing::classify_snapshot(*held, packets[p], true));
      ASSERT_FALSE(differ.has_value()) << "packet " << p << ": " << *differ;
      if (testing::compare_decisions(before[p],
                                     engine.classify(packets[p], {}, {.explain = true}))) {
        ++changed_now;
      }
    }
    // The engine itself moved on, so the comparison above could have failed.
    EXPECT_GT(changed_now, 0U);
  }
}

TEST(EngineReplication, HeldSnapshotBlocksWhileTheEngineNowPermits) {
  for (const auto& factory : kFactories) {
    SCOPED_TRACE(factory.name);
    Engine engine(factory.make);
    const auto block = engine.add_filter(
        FilterBuilder("block web")
            .layer(kLayer)
            .block()
            .condition(FieldId::kIpRemotePort, MatchType::kEqual, std::uint16_t{80})
            .build());
    ASSERT_TRUE(block);
    const auto held = engine.snapshot();
    ASSERT_TRUE(engine.delete_filter(*block));
    const auto permit =
        engine.add_filter(FilterBuilder("permit web").layer(kLayer).permit().build());
    ASSERT_TRUE(permit);
    // Twice more, so both replicas have been written since the snapshot was taken.
    ASSERT_TRUE(engine.add_filter(FilterBuilder("x").layer(kLayer).permit().build()));
    ASSERT_TRUE(engine.add_filter(FilterBuilder("y").layer(kLayer).permit().build()));
    const auto old_decision = testing::classify_snapshot(*held, to_port(80), false);
    EXPECT_EQ(old_decision.action, Outcome::kBlock);
    EXPECT_EQ(old_decision.filter_id, *block);
    const auto now = engine.classify(to_port(80));
    EXPECT_EQ(now.action, Outcome::kPermit);
    EXPECT_NE(now.filter_id, *block);
  }
}

TEST(EngineReplication, PolicyEpochIncreasesByOnePerPublishedChange) {
  Engine engine;
  auto epoch = engine.policy_epoch();
  const auto a = engine.add_filter(FilterBuilder("a").layer(kLayer).block().build());
  ASSERT_TRUE(a);
  EXPECT_EQ(engine.policy_epoch(), ++epoch) << "implicit add";
  ASSERT_TRUE(engine.add_sublayer(sublayer("s", 3)));
  EXPECT_EQ(engine.policy_epoch(), ++epoch) << "implicit add_sublayer";
  ASSERT_TRUE(engine.delete_filter(*a));
  EXPECT_EQ(engine.policy_epoch(), ++epoch) << "implicit delete";
  ASSERT_FALSE(engine.delete_filter(*a));
  EXPECT_EQ(engine.policy_epoch(), epoch) << "a failed delete changes nothing";

  ASSERT_TRUE(engine.begin());
  ASSERT_TRUE(engine.add_filter(FilterBuilder("b").layer(kLayer).block().build()));
  ASSERT_TRUE(engine.add_filter(FilterBuilder("c").layer(kLayer).block().build()));
  EXPECT_EQ(engine.policy_epoch(), epoch) << "staged changes are not published";
  ASSERT_TRUE(engine.abort());
  EXPECT_EQ(engine.policy_epoch(), epoch) << "abort";

  ASSERT_TRUE(engine.begin());
  ASSERT_TRUE(engine.add_filter(FilterBuilder("d").layer(kLayer).block().build()));
  ASSERT_TRUE(engine.add_filter(FilterBuilder("e").layer(kLayer).block().build()));
  ASSERT_TRUE(engine.commit());
  EXPECT_EQ(engine.policy_epoch(), ++epoch) << "one commit, one epoch";

  const auto held = engine.snapshot();
  ASSERT_TRUE(engine.add_filter(FilterBuilder("f").layer(kLayer).block().build()));
  EXPECT_EQ(engine.policy_epoch(), ++epoch) << "with a held snapshot (clone)";
  EXPECT_EQ(held->epoch(), epoch - 1) << "a held snapshot keeps its epoch";
}

// A new epoch makes every flow reauthorize: changes that change nothing must not cause one.
TEST(EngineReplication, ChangesThatChangeNothingPublishNoEpoch) {
  Engine engine;
  ASSERT_TRUE(engine.add_filter(FilterBuilder("a").layer(kLayer).block().build()));
  const auto epoch = engine.policy_epoch();
  ASSERT_TRUE(engine.set_weight_profile(engine.snapshot()->store().weight_profile()));
  EXPECT_EQ(engine.policy_epoch(), epoch) << "the weight profile already in force";
  ASSERT_TRUE(engine.begin());
  ASSERT_TRUE(engine.commit());
  EXPECT_EQ(engine.policy_epoch(), epoch) << "an empty transaction";
  ASSERT_TRUE(engine.add_filter(FilterBuilder("b").layer(kLayer).block().build()));
  EXPECT_EQ(engine.policy_epoch(), epoch + 1) << "a real change still publishes";
}

TEST(EngineReplication, ChangeAfterAnAbortBuildsOnThePublishedPolicyNotTheAbortedOne) {
  for (const auto& factory : kFactories) {
    SCOPED_TRACE(factory.name);
    Engine engine(factory.make);
    const auto kept = engine.add_filter(FilterBuilder("kept").layer(kLayer).permit().build());
    ASSERT_TRUE(kept);
    ASSERT_TRUE(engine.begin());
    ASSERT_TRUE(engine.delete_filter(*kept));
    const auto staged = engine.add_filter(FilterBuilder("staged").layer(kLayer).block().build());
    ASSERT_TRUE(staged);
    ASSERT_TRUE(engine.abort());
    const auto after = engine.add_filter(FilterBuilder("after").layer(kLayer).permit().build());
    ASSERT_TRUE(after);
    // By name: the aborted transaction's ids are free again, so "after" may reuse one.
    std::vector<std::string> names;
    for (const auto& [id, filter] : engine.snapshot()->store().filters()) {
      names.push_back(filter->name);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"kept", "after"}));
    // And the next change, replayed on the other replica, agrees.
    ASSERT_TRUE(engine.add_filter(FilterBuilder("next").layer(kLayer).permit().build()));
    EXPECT_EQ(engine.snapshot()->store().filters().size(), 3U);
    EXPECT_EQ(engine.classify(to_port(80)).action, Outcome::kPermit);
  }
}

}  // namespace
}  // namespace openfwp::engine
