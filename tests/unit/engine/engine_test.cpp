// SPDX-License-Identifier: Apache-2.0
// The management API: object rules with FWP_E_* codes, transactions and snapshot publication.
#include "engine/engine.h"

#include "support/filter_builder.h"

#include <gtest/gtest.h>

namespace openfwp::engine {
namespace {

using model::LayerId;
using testing::FilterBuilder;

constexpr LayerId kLayer = LayerId::kAleAuthConnectV4;

model::Sublayer make_sublayer(const std::string& name, std::uint16_t weight) {
  model::Sublayer s;
  s.key = Guid::derive("sublayer/" + name);
  s.name = name;
  s.weight = weight;
  return s;
}

TEST(Engine, AddFilterAssignsIdKeyEffectiveWeightAndUniversalSublayer) {
  Engine engine;
  auto id = engine.add_filter(FilterBuilder("f").layer(kLayer).block().weight_uint64(42).build());
  ASSERT_TRUE(id);
  const auto* filter = engine.snapshot()->store().find_filter(*id);
  ASSERT_NE(filter, nullptr);
  EXPECT_FALSE(filter->key.is_null());
  EXPECT_EQ(filter->effective_weight, 42U);
  EXPECT_EQ(filter->sublayer, model::well_known::universal_sublayer());
}

TEST(Engine, FailedCallOutsideATransactionChangesNothing) {
  Engine engine;
  const auto epoch = engine.policy_epoch();
  model::Filter bad = FilterBuilder("bad").layer(kLayer).block().build();
  bad.sublayer = Guid::derive("missing");
  auto result = engine.add_filter(bad);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kSublayerNotFound);
  EXPECT_NE(result.error().message.find("FWP_E_SUBLAYER_NOT_FOUND"), std::string::npos);
  EXPECT_EQ(engine.policy_epoch(), epoch);
}

TEST(Engine, DuplicateFilterKeyIsAlreadyExists) {
  Engine engine;
  model::Filter f = FilterBuilder("f").layer(kLayer).block().build();
  f.key = Guid::derive("k");
  ASSERT_TRUE(engine.add_filter(f));
  f.name = "g";
  auto again = engine.add_filter(f);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
}

TEST(Engine, DeletingAnUnknownFilterIsFilterNotFound) {
  Engine engine;
  auto result = engine.delete_filter(12345);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kFilterNotFound);
}

TEST(Engine, SublayerHoldingFiltersCannotBeDeleted) {
  Engine engine;
  const auto sublayer = make_sublayer("corp", 10);
  ASSERT_TRUE(engine.add_sublayer(sublayer));
  auto id =
      engine.add_filter(FilterBuilder("f").layer(kLayer).sublayer(sublayer.key).block().build());
  ASSERT_TRUE(id);
  auto in_use = engine.delete_sublayer(sublayer.key);
  ASSERT_FALSE(in_use);
  EXPECT_EQ(in_use.error().code, ErrorCode::kInUse);
  ASSERT_TRUE(engine.delete_filter(*id));
  EXPECT_TRUE(engine.delete_sublayer(sublayer.key));
}

TEST(Engine, CalloutFilterNeedsAnExistingCalloutForTheSameLayer) {
  Engine engine;
  const Guid key = Guid::derive("callout");
  auto missing = engine.add_filter(FilterBuilder("f")
                                       .layer(kLayer)
                                       .action(model::ActionType::kCalloutTerminating)
                                       .callout(key)
                                       .build());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kCalloutNotFound);

  model::Callout callout;
  callout.key = key;
  callout.name = "v6 only";
  callout.applicable_layer = LayerId::kAleAuthConnectV6;
  ASSERT_TRUE(engine.add_callout(callout));
  auto wrong_layer = engine.add_filter(FilterBuilder("f")
                                           .layer(kLayer)
                                           .action(model::ActionType::kCalloutTerminating)
                                           .callout(key)
                                           .build());
  ASSERT_FALSE(wrong_layer);
  EXPECT_EQ(wrong_layer.error().code, ErrorCode::kIncompatibleLayer);
}

TEST(Engine, TransactionChangesAreInvisibleUntilCommit) {
  Engine engine;
  ASSERT_TRUE(engine.begin());
  ASSERT_TRUE(engine.add_filter(FilterBuilder("a").layer(kLayer).block().build()));
  ASSERT_TRUE(engine.add_filter(FilterBuilder("b").layer(kLayer).block().build()));
  EXPECT_TRUE(engine.snapshot()->store().filters().empty());
  const auto before = engine.policy_epoch();
  ASSERT_TRUE(engine.commit());
  EXPECT_EQ(engine.snapshot()->store().filters().size(), 2U);
  EXPECT_EQ(engine.policy_epoch(), before + 1);  // one snapshot for the whole transaction
}

TEST(Engine, AbortLeavesNoTrace) {
  Engine engine;
  ASSERT_TRUE(engine.begin());
  ASSERT_TRUE(engine.add_filter(FilterBuilder("a").layer(kLayer).block().build()));
  ASSERT_TRUE(engine.abort());
  EXPECT_FALSE(engine.in_transaction());
  EXPECT_TRUE(engine.snapshot()->store().filters().empty());
}

TEST(Engine, InTransactionCommitsAllOrNothing) {
  Engine engine;
  const auto epoch = engine.policy_epoch();
  auto failed = engine.in_transaction([&]() -> Result<void> {
    OPENFWP_TRY_VOID(engine.add_filter(FilterBuilder("a").layer(kLayer).block().build()));
    return fail(ErrorCode::kInvalidWeight, "second change fails");
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kInvalidWeight);
  EXPECT_FALSE(engine.in_transaction());
  EXPECT_TRUE(engine.snapshot()->store().filters().empty());
  EXPECT_EQ(engine.policy_epoch(), epoch);

  ASSERT_TRUE(engine.in_transaction([&]() -> Result<void> {
    OPENFWP_TRY_VOID(engine.add_filter(FilterBuilder("a").layer(kLayer).block().build()));
    OPENFWP_TRY_VOID(engine.add_filter(FilterBuilder("b").layer(kLayer).permit().build()));
    return {};
  }));
  EXPECT_EQ(engine.snapshot()->store().filters().size(), 2U);
  EXPECT_EQ(engine.policy_epoch(), epoch + 1) << "one commit";
}

TEST(Engine, TransactionsDoNotNestAndCommitNeedsOne) {
  Engine engine;
  auto commit = engine.commit();
  ASSERT_FALSE(commit);
  EXPECT_EQ(commit.error().code, ErrorCode::kNoTxnInProgress);
  ASSERT_TRUE(engine.begin());
  auto nested = engine.begin();
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.error().code, ErrorCode::kTxnInProgress);
}

TEST(Engine, HeldSnapshotStaysValidAfterLaterCommits) {
  Engine engine;
  auto id = engine.add_filter(FilterBuilder("a").layer(kLayer).block().build());
  ASSERT_TRUE(id);
  const auto held = engine.snapshot();
  ASSERT_TRUE(engine.delete_filter(*id));
  EXPECT_NE(held->store().find_filter(*id), nullptr);
  EXPECT_EQ(engine.snapshot()->store().find_filter(*id), nullptr);
}

TEST(Engine, ProviderReferencedBySublayerCannotBeDeleted) {
  Engine engine;
  model::Provider provider;
  provider.key = Guid::derive("provider");
  provider.name = "p";
  ASSERT_TRUE(engine.add_provider(provider));
  auto sublayer = make_sublayer("s", 1);
  sublayer.provider = provider.key;
  ASSERT_TRUE(engine.add_sublayer(sublayer));
  auto result = engine.delete_provider(provider.key);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInUse);
}

}  // namespace
}  // namespace openfwp::engine

namespace openfwp::engine {
namespace {

// The summary sentence costs as much as the rest of a classification: only explanations get it.
TEST(Engine, DecisionSummaryIsWrittenWhenExplainingOnly) {
  Engine engine;
  const auto id = engine.add_filter(FilterBuilder("block all").layer(kLayer).block().build());
  ASSERT_TRUE(id);
  const model::IncomingValues in(kLayer);
  const auto fast = engine.classify(in);
  EXPECT_EQ(fast.filter_id, *id);
  EXPECT_EQ(fast.filter_name, "block all");
  EXPECT_TRUE(fast.summary.empty());
  const auto explained = engine.classify(in, {}, {.explain = true});
  EXPECT_EQ(explained.filter_id, *id);
  EXPECT_NE(explained.summary.find("block all"), std::string::npos) << explained.summary;
}

}  // namespace
}  // namespace openfwp::engine
