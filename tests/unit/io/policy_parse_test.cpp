// SPDX-License-Identifier: Apache-2.0
// parse_policy: what it builds from text, and the error (code, line, column, wording) for each
// kind of bad input.
#include "io/policy/policy.h"
#include "model/catalog.h"

#include <gtest/gtest.h>

namespace openfwp::io::policy {
namespace {

using model::MatchType;
using model::Weight;

Policy parse_ok(std::string_view text) {
  auto policy = parse_policy(text, "test.yaml");
  EXPECT_TRUE(policy.has_value()) << (policy ? "" : policy.error().to_string());
  return policy ? *policy : Policy{};
}

Error parse_error(std::string_view text) {
  auto policy = parse_policy(text, "test.yaml");
  EXPECT_FALSE(policy.has_value()) << "parsed, but an error was expected:\n" << text;
  return policy ? Error{} : policy.error();
}

TEST(PolicyParse, EmptyDocumentIsEmptyPolicy) {
  const auto policy = parse_ok("");
  EXPECT_TRUE(policy.filters.empty());
  EXPECT_TRUE(policy.sublayers.empty());
}

TEST(PolicyParse, FilterWithEveryMember) {
  const auto policy = parse_ok(R"(
providers:
  - {key: "{5fb216a8-e2e8-4024-b853-391a4168641e}", name: Example Corp}
sublayers:
  - {key: "{a0a0a0a0-0000-4000-8000-00000000000a}", name: corp, weight: 0x8000, provider: Example Corp}
filters:
  - name: block telnet out
    description: no cleartext logins
    key: "{11111111-2222-4333-8444-555555555555}"
    id: 70123
    layer: FWPM_LAYER_ALE_AUTH_CONNECT_V4
    sublayer: corp
    provider: "{5fb216a8-e2e8-4024-b853-391a4168641e}"
    weight: 10
    action: block
    flags: [FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT]
    conditions:
      - {field: FWPM_CONDITION_IP_REMOTE_PORT, match: FWP_MATCH_EQUAL, value: 23}
      - {field: ip_remote_address, value: 198.18.0.0/15}
      - {field: FWPM_CONDITION_IP_LOCAL_PORT, match: FWP_MATCH_RANGE, value: [1024, 65535]}
)");
  ASSERT_EQ(policy.filters.size(), 1U);
  const auto& filter = policy.filters[0];
  EXPECT_EQ(filter.name, "block telnet out");
  EXPECT_EQ(filter.description, "no cleartext logins");
  EXPECT_EQ(filter.key.to_string(), "{11111111-2222-4333-8444-555555555555}");
  EXPECT_EQ(filter.id, 70123U);
  EXPECT_EQ(filter.layer, model::LayerId::kAleAuthConnectV4);
  EXPECT_EQ(filter.sublayer.to_string(), "{a0a0a0a0-0000-4000-8000-00000000000a}");
  ASSERT_TRUE(filter.provider.has_value());
  EXPECT_EQ(filter.weight, (Weight{Weight::Kind::kUint8, 10}));
  EXPECT_EQ(filter.action, model::ActionType::kBlock);
  EXPECT_EQ(filter.flags, model::filter_flag::kClearActionRight);
  ASSERT_EQ(filter.conditions.size(), 3U);
  EXPECT_EQ(filter.conditions[0].field, model::FieldId::kIpRemotePort);
  EXPECT_EQ(filter.conditions[0].value, model::ConditionValue(std::uint16_t{23}));
  EXPECT_EQ(filter.conditions[1].field, model::FieldId::kIpRemoteAddress);
  EXPECT_EQ(filter.conditions[1].match, MatchType::kEqual);
  EXPECT_TRUE(std::holds_alternative<Ipv4Prefix>(filter.conditions[1].value));
  EXPECT_EQ(filter.conditions[2].match, MatchType::kRange);
  ASSERT_EQ(policy.sublayers.size(), 1U);
  EXPECT_EQ(policy.sublayers[0].weight, 0x8000);
  EXPECT_EQ(policy.sublayers[0].provider, policy.providers[0].key);
  ASSERT_EQ(policy.filter_locations.size(), 1U);
  EXPECT_EQ(policy.filter_locations[0].line, 7U);
}

TEST(PolicyParse, WeightForms) {
  const auto policy = parse_ok(R"(
filters:
  - {name: a, layer: ale_auth_connect_v4, action: permit}
  - {name: b, layer: ale_auth_connect_v4, action: permit, weight: 0}
  - {name: c, layer: ale_auth_connect_v4, action: permit, weight: 15}
  - {name: d, layer: ale_auth_connect_v4, action: permit, weight: {uint64: 0x1000000000000000}}
  - {name: e, layer: ale_auth_connect_v4, action: permit, weight: {uint8: 3}}
)");
  ASSERT_EQ(policy.filters.size(), 5U);
  EXPECT_EQ(policy.filters[0].weight.kind, Weight::Kind::kEmpty);
  EXPECT_EQ(policy.filters[1].weight, (Weight{Weight::Kind::kUint8, 0}));
  EXPECT_EQ(policy.filters[2].weight, (Weight{Weight::Kind::kUint8, 15}));
  EXPECT_EQ(policy.filters[3].weight, (Weight{Weight::Kind::kUint64, 0x1000000000000000ULL}));
  EXPECT_EQ(policy.filters[4].weight, (Weight{Weight::Kind::kUint8, 3}));
}

TEST(PolicyParse, JsonIsAccepted) {
  const auto policy =
      parse_ok(R"({"filters": [{"name": "j", "layer": "FWPM_LAYER_ALE_AUTH_CONNECT_V6",
    "action": "block", "conditions": [{"field": "FWPM_CONDITION_IP_REMOTE_ADDRESS",
    "value": "2001:db8::/32"}]}]})");
  ASSERT_EQ(policy.filters.size(), 1U);
  EXPECT_EQ(policy.filters[0].layer, model::LayerId::kAleAuthConnectV6);
  EXPECT_TRUE(std::holds_alternative<Ipv6Prefix>(policy.filters[0].conditions[0].value));
}

TEST(PolicyParse, UniversalSublayerByNameIsTheDefault) {
  const auto policy = parse_ok(R"(
filters:
  - {name: u, layer: ale_auth_connect_v4, action: permit, sublayer: FWPM_SUBLAYER_UNIVERSAL}
)");
  EXPECT_TRUE(policy.filters.at(0).sublayer.is_null());
}

TEST(PolicyParse, UnnamedKeysAreDerivedStably) {
  const char* text = "sublayers:\n  - {name: corp, weight: 1}\n";
  EXPECT_EQ(parse_ok(text).sublayers.at(0).key, parse_ok(text).sublayers.at(0).key);
  EXPECT_FALSE(parse_ok(text).sublayers.at(0).key.is_null());
}

struct BadInput {
  const char* name;
  const char* text;
  ErrorCode code;
  std::uint32_t line;
  std::uint32_t column;
  const char* message_part;
};

class PolicyParseError : public testing::TestWithParam<BadInput> {};

TEST_P(PolicyParseError, NamesWhatAndWhere) {
  const auto& bad = GetParam();
  const Error error = parse_error(bad.text);
  EXPECT_EQ(error.code, bad.code) << error.to_string();
  EXPECT_EQ(error.where.file, "test.yaml");
  EXPECT_EQ(error.where.line, bad.line) << error.to_string();
  EXPECT_EQ(error.where.column, bad.column) << error.to_string();
  EXPECT_NE(error.message.find(bad.message_part), std::string::npos) << error.to_string();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PolicyParseError,
    testing::Values(
        BadInput{"BadGuid", "sublayers:\n  - {key: \"{1234-not-a-guid}\", name: corp}\n",
                 ErrorCode::kParse, 2, 11, "is not a GUID"},
        BadInput{
            "UnknownLayerWithSuggestion",
            "filters:\n  - name: t\n    layer: FWPM_LAYER_ALE_AUTH_CONECT_V4\n    action: block\n",
            ErrorCode::kLayerNotFound, 3, 12, "did you mean FWPM_LAYER_ALE_AUTH_CONNECT_V4?"},
        BadInput{"UnknownField",
                 "filters:\n  - name: t\n    layer: ale_auth_connect_v4\n    action: block\n"
                 "    conditions:\n      - {field: ip_remote_prot, value: 1}\n",
                 ErrorCode::kConditionNotFound, 6, 17, "unknown field \"ip_remote_prot\""},
        BadInput{
            "FieldNotAtLayer",
            "filters:\n  - name: t\n    layer: FWPM_LAYER_ALE_AUTH_LISTEN_V4\n    action: block\n"
            "    conditions:\n      - {field: FWPM_CONDITION_IP_REMOTE_PORT, value: 1}\n",
            ErrorCode::kConditionNotFound, 6, 17,
            "is not available at FWPM_LAYER_ALE_AUTH_LISTEN_V4"},
        BadInput{"WrongType",
                 "filters:\n  - name: t\n    layer: ale_auth_connect_v4\n    action: block\n"
                 "    conditions:\n      - {field: ip_remote_port, value: abc}\n",
                 ErrorCode::kTypeMismatch, 6, 40, "expects FWP_UINT16, got \"abc\""},
        BadInput{"BackwardsRange",
                 "filters:\n  - name: t\n    layer: ale_auth_connect_v4\n    action: block\n"
                 "    conditions:\n      - {field: ip_local_port, value: [65535, 1024]}\n",
                 ErrorCode::kInvalidRange, 6, 39, "range [65535, 1024]"},
        BadInput{"ThreeElementRange",
                 "filters:\n  - name: t\n    layer: ale_auth_connect_v4\n    action: block\n"
                 "    conditions:\n      - {field: ip_local_port, value: [1, 2, 3]}\n",
                 ErrorCode::kInvalidRange, 6, 39, "range [low, high] of two values"},
        BadInput{"WeightTooLarge",
                 "filters:\n  - {name: t, layer: ale_auth_connect_v4, action: block, weight: 16}\n",
                 ErrorCode::kInvalidWeight, 2, 66, "{uint64: 16}"},
        BadInput{
            "CalloutActionWithoutCallout",
            "filters:\n  - {name: t, layer: ale_auth_connect_v4, action: callout_terminating}\n",
            ErrorCode::kNullPointer, 2, 51, "needs a \"callout\""},
        BadInput{"UnknownAction",
                 "filters:\n  - {name: t, layer: ale_auth_connect_v4, action: allow}\n",
                 ErrorCode::kInvalidActionType, 2, 51, "unknown action \"allow\""},
        BadInput{"UnknownKey",
                 "filters:\n  - {name: t, layer: ale_auth_connect_v4, action: block, wieght: 1}\n",
                 ErrorCode::kParse, 2, 58, "unknown key \"wieght\""},
        BadInput{
            "DuplicateKey",
            "filters:\n  - {name: t, layer: ale_auth_connect_v4, action: block, action: permit}\n",
            ErrorCode::kParse, 2, 58, "given twice"},
        BadInput{"MissingName", "filters:\n  - {layer: ale_auth_connect_v4, action: block}\n",
                 ErrorCode::kNullPointer, 2, 5, "\"name\" is required"},
        BadInput{
            "UnknownSublayerName",
            "filters:\n  - {name: t, layer: ale_auth_connect_v4, action: block, sublayer: nope}\n",
            ErrorCode::kSublayerNotFound, 2, 68, "neither a GUID nor the name"},
        BadInput{
            "AmbiguousSublayerName",
            "sublayers:\n  - {name: s, key: \"{a0a0a0a0-0000-4000-8000-000000000001}\"}\n"
            "  - {name: s, key: \"{a0a0a0a0-0000-4000-8000-000000000002}\"}\n"
            "filters:\n  - {name: t, layer: ale_auth_connect_v4, action: block, sublayer: s}\n",
            ErrorCode::kParse, 5, 68, "several sublayers"},
        BadInput{
            "UnknownFlag",
            "filters:\n  - {name: t, layer: ale_auth_connect_v4, action: block, flags: [hard]}\n",
            ErrorCode::kInvalidFlags, 2, 66, "unknown filter flag \"hard\""},
        BadInput{"Malformed",
                 "filters:\n  - name: unclosed\n    conditions: [{field: x, value: 80}\n    "
                 "action: block\n",
                 ErrorCode::kParse, 4, 5, "malformed YAML"},
        BadInput{"TopLevelList", "- a\n- b\n", ErrorCode::kParse, 1, 1, "expected a map"},
        BadInput{"FiltersNotAList", "filters: 3\n", ErrorCode::kParse, 1, 10, "expected a list"},
        BadInput{"HostileNesting",
                 "filters: "
                 "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]",
                 ErrorCode::kParse, 1, 74, "nested more than 64 levels"}),
    [](const testing::TestParamInfo<BadInput>& param_info) {
      return std::string(param_info.param.name);
    });

}  // namespace
}  // namespace openfwp::io::policy
