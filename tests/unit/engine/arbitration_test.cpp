// SPDX-License-Identifier: Apache-2.0
// Filter arbitration, rule by rule, including every row of the soft/hard table and the veto of
// Microsoft's "Filter Arbitration" page (see the essay in src/engine/arbitration.h).
#include "engine/engine.h"
#include "support/filter_builder.h"

#include <gtest/gtest.h>

namespace openfwp::engine {
namespace {

using model::ActionType;
using model::FieldId;
using model::LayerId;
using model::MatchType;
using testing::FilterBuilder;

constexpr LayerId kLayer = LayerId::kAleAuthConnectV4;

// A callout whose answer the test sets, and which records how it was called.
class ScriptedCallout final : public CalloutDriver {
 public:
  explicit ScriptedCallout(ClassifyOut reply) : reply_(reply) {}
  ClassifyOut classify(const CalloutClassifyArgs& args) override {
    ++calls;
    last_action_right = args.action_right;
    return reply_;
  }
  int calls = 0;
  bool last_action_right = true;

 private:
  ClassifyOut reply_;
};

ClassifyOut callout_says(ClassifyOut::Action action, bool clear_right = false) {
  ClassifyOut out;
  out.action = action;
  out.clear_action_right = clear_right;
  return out;
}

class ArbitrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    add_sublayer(high_, "high", 0xf000);
    add_sublayer(middle_, "middle", 0x9000);
    add_sublayer(low_, "low", 0x1000);
  }

  void add_sublayer(const Guid& key, const std::string& name, std::uint16_t weight) {
    model::Sublayer sublayer;
    sublayer.key = key;
    sublayer.name = name;
    sublayer.weight = weight;
    ASSERT_TRUE(engine_.add_sublayer(sublayer));
  }

  std::uint64_t add(model::Filter filter) {
    auto id = engine_.add_filter(std::move(filter));
    EXPECT_TRUE(id) << id.error().to_string();
    return id ? *id : 0;
  }

  Guid add_callout(const std::string& name) {
    model::Callout callout;
    callout.key = Guid::derive("callout/" + name);
    callout.name = name;
    callout.applicable_layer = kLayer;
    EXPECT_TRUE(engine_.add_callout(callout));
    return callout.key;
  }

  Decision classify_port(std::uint16_t port) {
    model::IncomingValues in(kLayer);
    in.set(FieldId::kIpRemotePort, port);
    return engine_.classify(in, {}, {.explain = true});
  }

  Engine engine_;
  Guid high_ = Guid::derive("sublayer/high");
  Guid middle_ = Guid::derive("sublayer/middle");
  Guid low_ = Guid::derive("sublayer/low");
};

TEST_F(ArbitrationTest, NoMatchingFilterAppliesTheLayerDefaultPermit) {
  add(FilterBuilder("telnet")
          .layer(kLayer)
          .sublayer(high_)
          .block()
          .condition(FieldId::kIpRemotePort, MatchType::kEqual, std::uint16_t{23})
          .build());
  const Decision d = classify_port(80);
  EXPECT_EQ(d.action, Outcome::kPermit);
  EXPECT_FALSE(d.filter_id.has_value());
}

TEST_F(ArbitrationTest, HighestWeightMatchingFilterInASublayerDecides) {
  const auto block =
      add(FilterBuilder("block").layer(kLayer).sublayer(high_).block().weight_uint64(20).build());
  add(FilterBuilder("permit").layer(kLayer).sublayer(high_).permit().weight_uint64(10).build());
  const Decision d = classify_port(80);
  EXPECT_EQ(d.action, Outcome::kBlock);
  EXPECT_EQ(d.filter_id, block);
}

TEST_F(ArbitrationTest, FiltersAfterTheTerminatingOneInTheSublayerAreNotEvaluated) {
  add(FilterBuilder("permit").layer(kLayer).sublayer(high_).permit().weight_uint64(20).build());
  const auto skipped =
      add(FilterBuilder("block").layer(kLayer).sublayer(high_).block().weight_uint64(10).build());
  const Decision d = classify_port(80);
  EXPECT_EQ(d.action, Outcome::kPermit);
  ASSERT_EQ(d.sublayers.size(), 1U);
  ASSERT_EQ(d.sublayers[0].filters.size(), 2U);
  EXPECT_EQ(d.sublayers[0].filters[1].filter_id, skipped);
  EXPECT_EQ(d.sublayers[0].filters[1].outcome, Outcome::kNotEvaluated);
}

TEST_F(ArbitrationTest, SubLayersAreEvaluatedByWeightNotByInsertionOrder) {
  add(FilterBuilder("low permit").layer(kLayer).sublayer(low_).permit().build());
  add(FilterBuilder("high block").layer(kLayer).sublayer(high_).block().build());
  const Decision d = classify_port(80);
  ASSERT_EQ(d.sublayers.size(), 2U);
  EXPECT_EQ(d.sublayers[0].name, "high");
  EXPECT_EQ(d.sublayers[1].name, "low");
}

// Table row 1: Permit with the right set is a soft permit: another sublayer can block.
TEST_F(ArbitrationTest, SoftPermitInHigherSublayerIsOverriddenByBlockInLowerSublayer) {
  add(FilterBuilder("soft permit").layer(kLayer).sublayer(high_).permit().build());
  const auto block = add(FilterBuilder("block").layer(kLayer).sublayer(low_).block().build());
  const Decision d = classify_port(80);
  EXPECT_EQ(d.action, Outcome::kBlock);
  EXPECT_EQ(d.filter_id, block);
  EXPECT_EQ(d.sublayers[1].effect, Effect::kOverrode);
}

// Table row 2: a hard permit can be blocked in another sublayer only by a callout veto.
TEST_F(ArbitrationTest, HardPermitInHigherSublayerIsNotOverriddenByFilterBlock) {
  const auto permit = add(FilterBuilder("hard permit")
                              .layer(kLayer)
                              .sublayer(high_)
                              .permit()
                              .flags(model::filter_flag::kClearActionRight)
                              .build());
  add(FilterBuilder("block").layer(kLayer).sublayer(low_).block().build());
  const Decision d = classify_port(80);
  EXPECT_EQ(d.action, Outcome::kPermit);
  EXPECT_TRUE(d.hard);
  EXPECT_EQ(d.filter_id, permit);
  EXPECT_EQ(d.sublayers[1].effect, Effect::kIgnoredHard);
}

TEST_F(ArbitrationTest, HardPermitIsOverriddenByCalloutVetoAndTheDecisionSaysSo) {
  add(FilterBuilder("hard permit")
          .layer(kLayer)
          .sublayer(high_)
          .permit()
          .flags(model::filter_flag::kClearActionRight)
          .build());
  const Guid key = add_callout("ids");
  ScriptedCallout ids(callout_says(ClassifyOut::Action::kBlock));
  engine_.register_callout(key, &ids);
  const auto veto = add(FilterBuilder("ids veto")
                            .layer(kLayer)
                            .sublayer(low_)
                            .action(ActionType::kCalloutTerminating)
                            .callout(key)
                            .build());
  const Decision d = classify_port(80);
  EXPECT_EQ(d.action, Outcome::kBlock);
  EXPECT_TRUE(d.veto);
  EXPECT_EQ(d.filter_id, veto);
  EXPECT_FALSE(ids.last_action_right);  // the callout was told the right was already cleared
  EXPECT_EQ(d.sublayers[1].effect, Effect::kVeto);
}

// Table row 3: a soft block (the default for callouts) can be permitted in another sublayer.
TEST_F(ArbitrationTest, SoftCalloutBlockCanBePermittedInLowerSublayer) {
  const Guid key = add_callout("soft");
  ScriptedCallout soft(callout_says(ClassifyOut::Action::kBlock));
  engine_.register_callout(key, &soft);
  add(FilterBuilder("callout block")
          .layer(kLayer)
          .sublayer(high_)
          .action(ActionType::kCalloutTerminating)
          .callout(key)
          .build());
  const auto permit = add(FilterBuilder("permit").layer(kLayer).sublayer(low_).permit().build());
  const Decision d = classify_port(80);
  EXPECT_EQ(d.action, Outcome::kPermit);
  EXPECT_EQ(d.filter_id, permit);
}

// Table row 4, and the default "Filter block: hard block".
TEST_F(ArbitrationTest, FilterBlockIsHardAndLowerSublayerPermitCannotOverrideIt) {
  const auto block = add(FilterBuilder("block").layer(kLayer).sublayer(high_).block().build());
  add(FilterBuilder("hard permit")
          .layer(kLayer)
          .sublayer(low_)
          .permit()
          .flags(model::filter_flag::kClearActionRight)
          .build());
  const Decision d = classify_port(80);
  EXPECT_EQ(d.action, Outcome::kBlock);
  EXPECT_TRUE(d.hard);
  EXPECT_EQ(d.filter_id, block);
}

TEST_F(ArbitrationTest, CalloutBlockThatClearsTheRightIsHard) {
  const Guid key = add_callout("hard");
  ScriptedCallout hard(callout_says(ClassifyOut::Action::kBlock, /*clear_right=*/true));
  engine_.register_callout(key, &hard);
  add(FilterBuilder("callout")
          .layer(kLayer)
          .sublayer(high_)
          .action(ActionType::kCalloutTerminating)
          .callout(key)
          .build());
  add(FilterBuilder("permit").layer(kLayer).sublayer(low_).permit().build());
  EXPECT_EQ(classify_port(80).action, Outcome::kBlock);
}

TEST_F(ArbitrationTest, CalloutPermitIsSoftByDefault) {
  const Guid key = add_callout("permit");
  ScriptedCallout permit(callout_says(ClassifyOut::Action::kPermit));
  engine_.register_callout(key, &permit);
  add(FilterBuilder("callout")
          .layer(kLayer)
          .sublayer(high_)
          .action(ActionType::kCalloutTerminating)
          .callout(key)
          .build());
  add(FilterBuilder("block").layer(kLayer).sublayer(low_).block().build());
  EXPECT_EQ(classify_port(80).action, Outcome::kBlock);
}

TEST_F(ArbitrationTest, InspectionCalloutNeverDecidesEvenIfItReturnsBlock) {
  const Guid key = add_callout("inspect");
  ScriptedCallout inspect(callout_says(ClassifyOut::Action::kBlock));
  engine_.register_callout(key, &inspect);
  add(FilterBuilder("inspect")
          .layer(kLayer)
          .sublayer(high_)
          .weight_uint64(20)
          .action(ActionType::kCalloutInspection)
          .callout(key)
          .build());
  const auto permit =
      add(FilterBuilder("permit").layer(kLayer).sublayer(high_).weight_uint64(10).permit().build());
  const Decision d = classify_port(80);
  EXPECT_EQ(inspect.calls, 1);
  EXPECT_EQ(d.action, Outcome::kPermit);
  EXPECT_EQ(d.filter_id, permit);
  EXPECT_EQ(d.sublayers[0].filters[0].outcome, Outcome::kContinue);
}

TEST_F(ArbitrationTest, CalloutReturningContinuePassesToTheNextFilter) {
  const Guid key = add_callout("pass");
  ScriptedCallout pass(callout_says(ClassifyOut::Action::kContinue));
  engine_.register_callout(key, &pass);
  add(FilterBuilder("pass")
          .layer(kLayer)
          .sublayer(high_)
          .weight_uint64(20)
          .action(ActionType::kCalloutTerminating)
          .callout(key)
          .build());
  const auto block =
      add(FilterBuilder("block").layer(kLayer).sublayer(high_).weight_uint64(10).block().build());
  EXPECT_EQ(classify_port(80).filter_id, block);
}

TEST_F(ArbitrationTest, UnregisteredTerminatingCalloutActsAsBlock) {
  const Guid key = add_callout("absent");
  const auto id = add(FilterBuilder("absent")
                          .layer(kLayer)
                          .sublayer(high_)
                          .action(ActionType::kCalloutTerminating)
                          .callout(key)
                          .build());
  const Decision d = classify_port(80);
  EXPECT_EQ(d.action, Outcome::kBlock);
  EXPECT_EQ(d.filter_id, id);
}

TEST_F(ArbitrationTest, UnregisteredCalloutWithPermitIfUnregisteredFlagActsAsPermit) {
  const Guid key = add_callout("absent");
  add(FilterBuilder("absent")
          .layer(kLayer)
          .sublayer(high_)
          .action(ActionType::kCalloutUnknown)
          .callout(key)
          .flags(model::filter_flag::kPermitIfCalloutUnregistered)
          .build());
  EXPECT_EQ(classify_port(80).action, Outcome::kPermit);
}

TEST_F(ArbitrationTest, UnregisteredInspectionCalloutIsSkipped) {
  const Guid key = add_callout("absent");
  add(FilterBuilder("inspect")
          .layer(kLayer)
          .sublayer(high_)
          .weight_uint64(20)
          .action(ActionType::kCalloutInspection)
          .callout(key)
          .build());
  const auto block =
      add(FilterBuilder("block").layer(kLayer).sublayer(high_).weight_uint64(10).block().build());
  EXPECT_EQ(classify_port(80).filter_id, block);
}

TEST_F(ArbitrationTest, CalloutIsNotCalledForFiltersSkippedInItsSublayer) {
  const Guid key = add_callout("late");
  ScriptedCallout late(callout_says(ClassifyOut::Action::kBlock));
  engine_.register_callout(key, &late);
  add(FilterBuilder("permit").layer(kLayer).sublayer(high_).weight_uint64(20).permit().build());
  add(FilterBuilder("late")
          .layer(kLayer)
          .sublayer(high_)
          .weight_uint64(10)
          .action(ActionType::kCalloutTerminating)
          .callout(key)
          .build());
  classify_port(80);
  EXPECT_EQ(late.calls, 0);
}

// "Evaluate all sub-layers even if a higher priority sub-layer has decided to block."
TEST_F(ArbitrationTest, LowerSublayersAreStillEvaluatedAfterABlock) {
  add(FilterBuilder("block").layer(kLayer).sublayer(high_).block().build());
  const Guid key = add_callout("audit");
  ScriptedCallout audit(callout_says(ClassifyOut::Action::kContinue));
  engine_.register_callout(key, &audit);
  add(FilterBuilder("audit")
          .layer(kLayer)
          .sublayer(low_)
          .action(ActionType::kCalloutInspection)
          .callout(key)
          .build());
  EXPECT_EQ(classify_port(80).action, Outcome::kBlock);
  EXPECT_EQ(audit.calls, 1);
}

TEST_F(ArbitrationTest, DisabledFiltersAreNeverClassified) {
  add(FilterBuilder("disabled block")
          .layer(kLayer)
          .sublayer(high_)
          .block()
          .flags(model::filter_flag::kDisabled)
          .build());
  EXPECT_EQ(classify_port(80).action, Outcome::kPermit);
  EXPECT_EQ(engine_.snapshot()->store().filters().size(), 1U);  // still enumerated
}

TEST_F(ArbitrationTest, Uint8WeightRangeOutranksAutomaticWeight) {
  add(FilterBuilder("auto weighted block")
          .layer(kLayer)
          .sublayer(high_)
          .block()
          .condition(FieldId::kIpRemotePort, MatchType::kEqual, std::uint16_t{80})
          .build());
  const auto ranged = add(FilterBuilder("range 1 permit")
                              .layer(kLayer)
                              .sublayer(high_)
                              .permit()
                              .weight_uint8(1)
                              .build());
  EXPECT_EQ(classify_port(80).filter_id, ranged);
}

TEST_F(ArbitrationTest, ExplanationListsEverySublayerOfTheLayerEvenWithoutMatches) {
  add(FilterBuilder("telnet")
          .layer(kLayer)
          .sublayer(high_)
          .block()
          .condition(FieldId::kIpRemotePort, MatchType::kEqual, std::uint16_t{23})
          .build());
  add(FilterBuilder("all").layer(kLayer).sublayer(low_).permit().build());
  const Decision d = classify_port(80);
  ASSERT_EQ(d.sublayers.size(), 2U);
  EXPECT_TRUE(d.sublayers[0].filters.empty());
  EXPECT_EQ(d.sublayers[0].effect, Effect::kNone);
  EXPECT_EQ(d.sublayers[1].effect, Effect::kDecided);
}

TEST_F(ArbitrationTest, DecisionWithoutExplanationHasTheSameVerdict) {
  add(FilterBuilder("soft permit").layer(kLayer).sublayer(high_).permit().build());
  const auto block = add(FilterBuilder("block").layer(kLayer).sublayer(low_).block().build());
  model::IncomingValues in(kLayer);
  in.set(FieldId::kIpRemotePort, std::uint16_t{80});
  const Decision quick = engine_.classify(in);
  EXPECT_EQ(quick.action, Outcome::kBlock);
  EXPECT_EQ(quick.filter_id, block);
  EXPECT_TRUE(quick.sublayers.empty());
}

}  // namespace
}  // namespace openfwp::engine
