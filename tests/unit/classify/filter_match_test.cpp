// SPDX-License-Identifier: Apache-2.0
// filter_matches and first_failing_condition: conditions on one field are OR'ed wherever they
// appear in the list, different fields are AND'ed, and a field that is empty or absent from the
// layer fails its group.
// WFP: FWPM_FILTER0 — "conditions with the same field key are OR'ed; different fields AND'ed".
#include "classify/condition_match.h"
#include "support/catalog_search.h"
#include "support/filter_builder.h"
#include "support/incoming_builder.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>

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

model::IncomingValues packet(std::uint8_t protocol, std::uint16_t port) {
  return IncomingBuilder(kV4)
      .set(FieldId::kIpProtocol, protocol)
      .set(FieldId::kIpRemotePort, port)
      .set("FWPM_CONDITION_IP_REMOTE_ADDRESS", "198.18.0.2")
      .build();
}

FilterBuilder on_v4(const char* name) { return std::move(FilterBuilder(name).layer(kV4)); }

TEST(FilterMatch, FilterWithoutConditionsMatchesEverything) {
  const model::Filter all = on_v4("all").build();
  EXPECT_TRUE(filter_matches(all, packet(kTcp, 80)));
  EXPECT_TRUE(filter_matches(all, model::IncomingValues(kV4)));  // even with nothing set
  EXPECT_EQ(first_failing_condition(all, packet(kTcp, 80)), std::nullopt);
}

TEST(FilterMatch, ConditionsOnTheSameFieldAreOred) {
  const model::Filter web =
      on_v4("web")
          .condition(FieldId::kIpRemotePort, MatchType::kEqual, std::uint16_t{80})
          .condition(FieldId::kIpRemotePort, MatchType::kEqual, std::uint16_t{443})
          .build();
  EXPECT_TRUE(filter_matches(web, packet(kTcp, 80)));
  EXPECT_TRUE(filter_matches(web, packet(kTcp, 443)));
  EXPECT_FALSE(filter_matches(web, packet(kTcp, 22)));
}

TEST(FilterMatch, SameFieldConditionsAreOredEvenWhenNotConsecutive) {
  const model::Filter web =
      on_v4("web")
          .condition(FieldId::kIpRemotePort, MatchType::kEqual, std::uint16_t{80})
          .condition(FieldId::kIpProtocol, MatchType::kEqual, kTcp)
          .condition(FieldId::kIpRemotePort, MatchType::kEqual, std::uint16_t{443})
          .build();
  EXPECT_TRUE(filter_matches(web, packet(kTcp, 443)));
  EXPECT_TRUE(filter_matches(web, packet(kTcp, 80)));
  EXPECT_FALSE(filter_matches(web, packet(kUdp, 443)));
  EXPECT_FALSE(filter_matches(web, packet(kTcp, 8080)));
}

TEST(FilterMatch, ConditionsOnDifferentFieldsAreAnded) {
  const model::Filter telnet =
      on_v4("telnet")
          .condition("FWPM_CONDITION_IP_PROTOCOL", "equal", "tcp")
          .condition("FWPM_CONDITION_IP_REMOTE_PORT", "equal", "23")
          .condition("FWPM_CONDITION_IP_REMOTE_ADDRESS", "equal", "198.18.0.0/15")
          .build();
  EXPECT_TRUE(filter_matches(telnet, packet(kTcp, 23)));
  EXPECT_FALSE(filter_matches(telnet, packet(kUdp, 23)));
  EXPECT_FALSE(filter_matches(telnet, packet(kTcp, 24)));
  auto elsewhere = IncomingBuilder(kV4)
                       .set(FieldId::kIpProtocol, kTcp)
                       .set(FieldId::kIpRemotePort, std::uint16_t{23})
                       .set("FWPM_CONDITION_IP_REMOTE_ADDRESS", "10.0.0.1")
                       .build();
  EXPECT_FALSE(filter_matches(telnet, elsewhere));
}

TEST(FilterMatch, AnUnsetFieldFailsItsConditionsEvenNotEqual) {
  const auto no_port = IncomingBuilder(kV4).set(FieldId::kIpProtocol, kTcp).build();
  EXPECT_FALSE(
      filter_matches(on_v4("port 80")
                         .condition(FieldId::kIpRemotePort, MatchType::kEqual, std::uint16_t{80})
                         .build(),
                     no_port));
  EXPECT_FALSE(
      filter_matches(on_v4("not port 80")
                         .condition(FieldId::kIpRemotePort, MatchType::kNotEqual, std::uint16_t{80})
                         .build(),
                     no_port));
  EXPECT_TRUE(filter_matches(
      on_v4("tcp").condition(FieldId::kIpProtocol, MatchType::kEqual, kTcp).build(), no_port));
}

TEST(FilterMatch, FieldAbsentFromTheLayerNeverMatches) {
  auto missing = openfwp::testing::find_field_missing_from_a_layer();
  if (!missing) {
    GTEST_SKIP() << "needs a layer that lacks a catalogued field (full catalog)";
  }
  model::Filter filter;
  filter.name = "absent";
  filter.layer = missing->layer;
  filter.conditions.push_back({missing->field, MatchType::kNotEqual, std::uint8_t{0}});
  const model::IncomingValues in(missing->layer);
  EXPECT_FALSE(filter_matches(filter, in));
  EXPECT_EQ(first_failing_condition(filter, in), std::optional<std::size_t>(0));
}

TEST(FilterMatch, UserConditionMatchesTheClassifyingUser) {
  const model::Filter alice =
      on_v4("alice")
          .condition("FWPM_CONDITION_ALE_USER_ID", "equal", "S-1-5-21-1-2-3-1001")
          .build();
  model::IncomingValues in(kV4);
  ASSERT_TRUE(in.set(FieldId::kAleUserId, model::Sid{"S-1-5-21-1-2-3-1001"}));
  EXPECT_TRUE(filter_matches(alice, in));
}

TEST(FilterMatch, AppIdConditionMatchesTheLowerCasedPath) {
  const model::Filter nc =
      on_v4("nc").condition("FWPM_CONDITION_ALE_APP_ID", "equal", "C:\\Tools\\NC.EXE").build();
  EXPECT_TRUE(filter_matches(
      nc, IncomingBuilder(kV4).set("FWPM_CONDITION_ALE_APP_ID", "c:\\tools\\nc.exe").build()));
  EXPECT_FALSE(filter_matches(
      nc, IncomingBuilder(kV4).set("FWPM_CONDITION_ALE_APP_ID", "c:\\tools\\nc2.exe").build()));
}

TEST(FilterMatch, V6LayerMatchesV6PrefixesAndRanges) {
  const LayerId v6 = LayerId::kAleAuthConnectV6;
  const model::Filter doc =
      FilterBuilder("doc")
          .layer(v6)
          .condition("FWPM_CONDITION_IP_REMOTE_ADDRESS", "equal", "2001:db8::/32")
          .condition("FWPM_CONDITION_IP_LOCAL_PORT", "range", {"1024", "65535"})
          .build();
  auto in = [&](const char* address, const char* port) {
    return IncomingBuilder(v6)
        .set("FWPM_CONDITION_IP_REMOTE_ADDRESS", address)
        .set("FWPM_CONDITION_IP_LOCAL_PORT", port)
        .build();
  };
  EXPECT_TRUE(filter_matches(doc, in("2001:db8::2", "1024")));
  EXPECT_TRUE(filter_matches(doc, in("2001:db8:ffff::1", "65535")));
  EXPECT_FALSE(filter_matches(doc, in("2001:db9::2", "50000")));
  EXPECT_FALSE(filter_matches(doc, in("2001:db8::2", "1023")));
}

// ---- first_failing_condition ----------------------------------------------------------------

model::Filter four_conditions() {
  // 0: protocol tcp   1: port 80   2: address 198.18.0.0/15   3: port 443
  return on_v4("four")
      .condition(FieldId::kIpProtocol, MatchType::kEqual, kTcp)
      .condition(FieldId::kIpRemotePort, MatchType::kEqual, std::uint16_t{80})
      .condition("FWPM_CONDITION_IP_REMOTE_ADDRESS", "equal", "198.18.0.0/15")
      .condition(FieldId::kIpRemotePort, MatchType::kEqual, std::uint16_t{443})
      .build();
}

TEST(FirstFailingCondition, IsEmptyWhenTheFilterMatches) {
  EXPECT_EQ(first_failing_condition(four_conditions(), packet(kTcp, 80)), std::nullopt);
  EXPECT_EQ(first_failing_condition(four_conditions(), packet(kTcp, 443)), std::nullopt);
}

TEST(FirstFailingCondition, NamesTheFirstConditionOfTheFirstFailingFieldGroup) {
  // The port group {1, 3} fails: reported at its first condition, 1.
  EXPECT_EQ(first_failing_condition(four_conditions(), packet(kTcp, 22)),
            std::optional<std::size_t>(1));
  // Protocol fails first, though the port group fails too.
  EXPECT_EQ(first_failing_condition(four_conditions(), packet(kUdp, 22)),
            std::optional<std::size_t>(0));
}

TEST(FirstFailingCondition, AGroupSatisfiedByALaterConditionIsNotFailing) {
  auto wrong_address = IncomingBuilder(kV4)
                           .set(FieldId::kIpProtocol, kTcp)
                           .set(FieldId::kIpRemotePort, std::uint16_t{443})
                           .set("FWPM_CONDITION_IP_REMOTE_ADDRESS", "10.0.0.1")
                           .build();
  EXPECT_EQ(first_failing_condition(four_conditions(), wrong_address),
            std::optional<std::size_t>(2));
}

TEST(FirstFailingCondition, AgreesWithFilterMatches) {
  const model::Filter filter = four_conditions();
  for (std::uint8_t protocol : {kTcp, kUdp}) {
    for (std::uint16_t port : {22, 80, 443}) {
      const auto in = packet(protocol, port);
      EXPECT_EQ(filter_matches(filter, in), !first_failing_condition(filter, in).has_value())
          << int{protocol} << " " << port;
    }
  }
}

}  // namespace
}  // namespace openfwp::classify
