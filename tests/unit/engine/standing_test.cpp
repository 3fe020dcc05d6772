// SPDX-License-Identifier: Apache-2.0
// Decision::reason, rank_filter and filter_standing: what `fwp explain` and `fwp event` say
// about why a filter decided or did not, and where it stands in its layer.
#include "engine/standing.h"

#include "engine/engine.h"
#include "support/filter_builder.h"

#include <gtest/gtest.h>

namespace openfwp::engine {
namespace {

using model::FieldId;
using model::LayerId;
using model::MatchType;
using testing::FilterBuilder;

constexpr LayerId kLayer = LayerId::kAleAuthConnectV4;

class StandingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    add_sublayer(high_, "high", 0xf000);
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
  Decision classify_port(std::uint16_t port) {
    model::IncomingValues in(kLayer);
    in.set(FieldId::kIpRemotePort, port);
    return engine_.classify(in, {}, {.explain = true});
  }
  Engine engine_;
  Guid high_ = Guid::derive("sublayer/high");
  Guid low_ = Guid::derive("sublayer/low");
};

TEST_F(StandingTest, HardPermitReasonNamesTheSublayerAndIgnoredBlocksAreIgnoredHard) {
  const auto permit = add(FilterBuilder("hard permit")
                              .layer(kLayer)
                              .sublayer(high_)
                              .permit()
                              .flags(model::filter_flag::kClearActionRight)
                              .build());
  const auto block = add(FilterBuilder("block").layer(kLayer).sublayer(low_).block().build());
  const Decision d = classify_port(23);
  EXPECT_EQ(d.reason, Reason::kHard);
  EXPECT_EQ(d.filter_name, "hard permit");
  EXPECT_EQ(d.sublayer_name, "high");
  EXPECT_EQ(d.sublayer_weight, 0xf000);
  EXPECT_EQ(filter_standing(d, permit).standing, Standing::kDecided);
  const auto s = filter_standing(d, block);
  EXPECT_EQ(s.standing, Standing::kIgnoredHard);
  EXPECT_EQ(s.by, permit);
}

TEST_F(StandingTest, SoftPermitReplacedByALowerBlockIsOverridden) {
  const auto permit = add(FilterBuilder("soft").layer(kLayer).sublayer(high_).permit().build());
  const auto block = add(FilterBuilder("block").layer(kLayer).sublayer(low_).block().build());
  const Decision d = classify_port(80);
  EXPECT_EQ(d.filter_id, block);
  EXPECT_EQ(d.reason, Reason::kHard);
  EXPECT_EQ(d.superseded_filter, permit);
  const auto s = filter_standing(d, permit);
  EXPECT_EQ(s.standing, Standing::kOverridden);
  EXPECT_EQ(s.by, block);
}

TEST_F(StandingTest, LowerWeightFilterOfTheDecidingSublayerIsNotEvaluated) {
  const auto heavy =
      add(FilterBuilder("heavy").layer(kLayer).sublayer(high_).block().weight_uint64(20).build());
  const auto light =
      add(FilterBuilder("light").layer(kLayer).sublayer(high_).permit().weight_uint64(10).build());
  const Decision d = classify_port(80);
  const auto s = filter_standing(d, light);
  EXPECT_EQ(s.standing, Standing::kNotEvaluated);
  EXPECT_EQ(s.by, heavy);
  ASSERT_NE(s.sublayer, nullptr);
  EXPECT_EQ(s.sublayer->name, "high");
}

TEST_F(StandingTest, NonMatchingFilterIsNotMatchedAndTheDefaultHasItsReason) {
  const auto telnet =
      add(FilterBuilder("telnet")
              .layer(kLayer)
              .sublayer(high_)
              .block()
              .condition(FieldId::kIpRemotePort, MatchType::kEqual, std::uint16_t{23})
              .build());
  const Decision d = classify_port(80);
  EXPECT_EQ(d.reason, Reason::kLayerDefault);
  EXPECT_EQ(filter_standing(d, telnet).standing, Standing::kNotMatched);
}

TEST_F(StandingTest, SoftDecisionThatStandsHasReasonSoft) {
  add(FilterBuilder("soft").layer(kLayer).sublayer(high_).permit().build());
  EXPECT_EQ(classify_port(80).reason, Reason::kSoft);
}

TEST_F(StandingTest, RankCountsSublayersAndHigherWeightFiltersOfTheSameSublayer) {
  const auto top =
      add(FilterBuilder("top").layer(kLayer).sublayer(high_).block().weight_uint64(30).build());
  const auto mid =
      add(FilterBuilder("mid").layer(kLayer).sublayer(low_).block().weight_uint64(20).build());
  const auto bottom =
      add(FilterBuilder("bottom").layer(kLayer).sublayer(low_).permit().weight_uint64(10).build());
  add(FilterBuilder("elsewhere").layer(LayerId::kAleAuthConnectV6).block().build());
  const auto rank = rank_filter(*engine_.snapshot(), bottom);
  ASSERT_TRUE(rank.has_value());
  EXPECT_EQ(rank->sublayer_rank, 1U);
  EXPECT_EQ(rank->sublayer_count, 2U);
  EXPECT_EQ(rank->rank_in_sublayer, 1U);
  EXPECT_EQ(rank->filters_in_sublayer, 2U);
  ASSERT_EQ(rank->outranked_by.size(), 1U);
  EXPECT_EQ(rank->outranked_by[0]->id, mid);
  ASSERT_EQ(rank->higher_sublayers.size(), 1U);
  EXPECT_EQ(rank->higher_sublayers[0].first->name, "high");
  EXPECT_EQ(rank->higher_sublayers[0].second, 1U);
  EXPECT_EQ(rank_filter(*engine_.snapshot(), top)->rank_in_sublayer, 0U);
  EXPECT_FALSE(rank_filter(*engine_.snapshot(), 9999).has_value());
}

TEST_F(StandingTest, DisabledFilterIsRankedButMarkedDisabled) {
  const auto off = add(FilterBuilder("off")
                           .layer(kLayer)
                           .sublayer(high_)
                           .block()
                           .flags(model::filter_flag::kDisabled)
                           .build());
  const auto rank = rank_filter(*engine_.snapshot(), off);
  ASSERT_TRUE(rank.has_value());
  EXPECT_FALSE(rank->enabled);
  EXPECT_EQ(filter_standing(classify_port(80), off).standing, Standing::kNotMatched);
}

}  // namespace
}  // namespace openfwp::engine
