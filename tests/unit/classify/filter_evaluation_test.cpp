// SPDX-License-Identifier: Apache-2.0
// evaluate_filter: the condition-by-condition report behind `fwp explain --expect`. Groups by
// field (OR inside, AND across), reports every condition and the first failing group, and
// agrees with filter_matches / first_failing_condition.
#include "classify/filter_evaluation.h"

#include "classify/condition_match.h"
#include "support/filter_builder.h"
#include "support/incoming_builder.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace openfwp::classify {
namespace {

using model::FieldId;
using model::LayerId;
using model::MatchType;
using openfwp::testing::FilterBuilder;
using openfwp::testing::IncomingBuilder;

constexpr LayerId kV4 = LayerId::kAleAuthConnectV4;
constexpr std::uint8_t kTcp = 6;
constexpr std::uint8_t kUdp = 17;

// 0: protocol tcp   1: port 80   2: address 198.18.0.0/15   3: port 443
model::Filter four_conditions() {
  return FilterBuilder("four")
      .layer(kV4)
      .condition(FieldId::kIpProtocol, MatchType::kEqual, kTcp)
      .condition(FieldId::kIpRemotePort, MatchType::kEqual, std::uint16_t{80})
      .condition("FWPM_CONDITION_IP_REMOTE_ADDRESS", "equal", "198.18.0.0/15")
      .condition(FieldId::kIpRemotePort, MatchType::kEqual, std::uint16_t{443})
      .build();
}

model::IncomingValues packet(std::uint8_t protocol, std::uint16_t port,
                             const char* address = "198.18.0.2") {
  return IncomingBuilder(kV4)
      .set(FieldId::kIpProtocol, protocol)
      .set(FieldId::kIpRemotePort, port)
      .set("FWPM_CONDITION_IP_REMOTE_ADDRESS", address)
      .build();
}

TEST(FilterEvaluation, GroupsConditionsByFieldInOrderOfFirstAppearance) {
  const auto e = evaluate_filter(four_conditions(), packet(kTcp, 443));
  ASSERT_EQ(e.groups.size(), 3U);
  EXPECT_EQ(e.groups[0].field, FieldId::kIpProtocol);
  EXPECT_EQ(e.groups[1].field, FieldId::kIpRemotePort);
  EXPECT_EQ(e.groups[2].field, FieldId::kIpRemoteAddress);
  ASSERT_EQ(e.groups[1].conditions.size(), 2U);
  EXPECT_EQ(e.groups[1].conditions[0].index, 1U);
  EXPECT_EQ(e.groups[1].conditions[1].index, 3U);
}

TEST(FilterEvaluation, SameFieldIsOredAndReportsEachCondition) {
  const auto e = evaluate_filter(four_conditions(), packet(kTcp, 443));
  EXPECT_TRUE(e.matches());
  EXPECT_FALSE(e.groups[1].conditions[0].matched);  // port 80 fails
  EXPECT_TRUE(e.groups[1].conditions[1].matched);   // port 443 holds: the group holds
  EXPECT_TRUE(e.groups[1].matched);
}

TEST(FilterEvaluation, DifferentFieldsAreAndedAndTheFirstFailingGroupIsNamed) {
  const auto e = evaluate_filter(four_conditions(), packet(kUdp, 22, "10.0.0.1"));
  EXPECT_FALSE(e.matches());
  ASSERT_TRUE(e.first_failing_group.has_value());
  EXPECT_EQ(*e.first_failing_group, 0U);  // protocol, though port and address fail too
  EXPECT_FALSE(e.groups[1].matched);
  EXPECT_FALSE(e.groups[2].matched);
  EXPECT_EQ(e.groups[0].incoming, model::Value{kUdp});
}

TEST(FilterEvaluation, AnUnsetFieldIsAbsentAndFails) {
  const auto in = IncomingBuilder(kV4).set(FieldId::kIpProtocol, kTcp).build();
  const auto e = evaluate_filter(four_conditions(), in);
  ASSERT_EQ(e.first_failing_group, std::optional<std::size_t>(1));
  EXPECT_TRUE(e.groups[1].field_at_layer);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(e.groups[1].incoming));
}

TEST(FilterEvaluation, AFieldTheLayerLacksIsReportedAsNotAtTheLayer) {
  // A filter written for ALE_AUTH_CONNECT evaluated against INBOUND_IPPACKET values, which
  // carry no app id.
  const model::Filter app = FilterBuilder("app")
                                .layer(kV4)
                                .condition("FWPM_CONDITION_ALE_APP_ID", "equal", "c:\\a.exe")
                                .build();
  const model::IncomingValues in(LayerId::kInboundIppacketV4);
  const auto e = evaluate_filter(app, in);
  ASSERT_EQ(e.groups.size(), 1U);
  EXPECT_FALSE(e.groups[0].field_at_layer);
  EXPECT_FALSE(e.matches());
}

TEST(FilterEvaluation, NoConditionsMatchesEverything) {
  const auto e =
      evaluate_filter(FilterBuilder("all").layer(kV4).build(), model::IncomingValues(kV4));
  EXPECT_TRUE(e.matches());
  EXPECT_TRUE(e.groups.empty());
}

TEST(FilterEvaluation, AgreesWithFilterMatchesAndFirstFailingCondition) {
  const model::Filter filter = four_conditions();
  for (std::uint8_t protocol : {kTcp, kUdp}) {
    for (std::uint16_t port : {22, 80, 443}) {
      for (const char* address : {"198.18.0.2", "10.0.0.1"}) {
        const auto in = packet(protocol, port, address);
        const auto e = evaluate_filter(filter, in);
        EXPECT_EQ(e.matches(), filter_matches(filter, in));
        const auto first = first_failing_condition(filter, in);
        if (e.first_failing_group) {
          ASSERT_TRUE(first.has_value());
          EXPECT_EQ(e.groups[*e.first_failing_group].conditions[0].index, *first);
        } else {
          EXPECT_FALSE(first.has_value());
        }
      }
    }
  }
}

}  // namespace
}  // namespace openfwp::classify
