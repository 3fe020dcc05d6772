// SPDX-License-Identifier: Apache-2.0
// Canonical YAML: print(parse(print(P))) == print(P), objects survive field for field, and the
// canonical form of the shipped example is what the golden file says.
#include "engine/engine.h"
#include "io/policy/policy.h"

#include <gtest/gtest.h>

namespace openfwp::io::policy {
namespace {

Policy parse_ok(std::string_view text) {
  auto policy = parse_policy(text, "roundtrip.yaml");
  EXPECT_TRUE(policy.has_value()) << (policy ? "" : policy.error().to_string()) << "\n" << text;
  return policy ? *policy : Policy{};
}

void expect_same_filters(const Policy& a, const Policy& b) {
  ASSERT_EQ(a.filters.size(), b.filters.size());
  for (std::size_t i = 0; i < a.filters.size(); ++i) {
    const auto& x = a.filters[i];
    const auto& y = b.filters[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.description, y.description);
    EXPECT_EQ(x.key, y.key);
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.layer, y.layer);
    EXPECT_EQ(x.sublayer, y.sublayer);
    EXPECT_EQ(x.provider, y.provider);
    EXPECT_EQ(x.weight, y.weight);
    EXPECT_EQ(x.action, y.action);
    EXPECT_EQ(x.callout, y.callout);
    EXPECT_EQ(x.flags, y.flags);
    EXPECT_EQ(x.conditions, y.conditions) << x.name;
  }
}

// Every value type a policy can hold at the ALE connect layers, every match type family,
// callouts, providers, flags and all three weight kinds.
constexpr const char* kRichPolicy = R"yaml(
providers:
  - {key: "{5fb216a8-e2e8-4024-b853-391a4168641e}", name: Example Corp, description: "d: with colon"}
sublayers:
  - {key: "{a0a0a0a0-0000-4000-8000-00000000000a}", name: corp, weight: 0x8000, provider: Example Corp}
callouts:
  - {key: "{c0c0c0c0-0000-4000-8000-00000000000c}", name: inspector, layer: ale_auth_connect_v4}
filters:
  - name: "quotes \" and: colons"
    layer: FWPM_LAYER_ALE_AUTH_CONNECT_V4
    sublayer: corp
    weight: {uint64: 18446744073709551615}
    action: callout_inspection
    callout: inspector
    conditions:
      - {field: FWPM_CONDITION_IP_REMOTE_PORT, match: FWP_MATCH_RANGE, value: [1024, 65535]}
      - {field: FWPM_CONDITION_IP_REMOTE_ADDRESS, value: 198.18.0.0/15}
      - {field: FWPM_CONDITION_IP_REMOTE_ADDRESS, value: 198.18.3.4}
      - {field: FWPM_CONDITION_IP_PROTOCOL, match: FWP_MATCH_NOT_EQUAL, value: udp}
      - {field: FWPM_CONDITION_ALE_APP_ID, match: FWP_MATCH_EQUAL, value: 'c:\program files\a b\x.exe'}
      - {field: FWPM_CONDITION_FLAGS, match: FWP_MATCH_FLAGS_ANY_SET, value: FWP_CONDITION_FLAG_IS_LOOPBACK}
      - {field: FWPM_CONDITION_ALE_USER_ID, value: "O:LSD:(A;;CC;;;WD)"}
  - name: v6
    layer: ale_auth_connect_v6
    weight: 3
    action: permit
    flags: [FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT, FWPM_FILTER_FLAG_PERSISTENT]
    conditions:
      - {field: ip_remote_address, value: "2001:db8::/32"}
      - {field: ip_local_address, match: range, value: ["2001:db8::1", "2001:db8::ff"]}
  - {name: plain, layer: ale_auth_recv_accept_v4, action: block}
)yaml";

TEST(PolicyRoundTrip, PrintParsePrintIsStable) {
  const Policy first = parse_ok(kRichPolicy);
  const std::string printed = print_policy(first);
  const Policy second = parse_ok(printed);
  EXPECT_EQ(print_policy(second), printed);
  expect_same_filters(first, second);
  ASSERT_EQ(second.callouts.size(), 1U);
  EXPECT_EQ(second.callouts[0].key, first.callouts[0].key);
  EXPECT_EQ(second.providers.at(0).description, "d: with colon");
  EXPECT_EQ(second.sublayers.at(0).weight, 0x8000);
}

TEST(PolicyRoundTrip, ThroughTheEngine) {
  // Loaded into an engine and printed back: keys and ids assigned, and the result is again a
  // fixed point of parse + print.
  const Policy policy = parse_ok(kRichPolicy);
  engine::Engine engine;
  ASSERT_TRUE(apply_policy(policy, engine));
  const Policy stored = policy_from_store(engine.snapshot()->store());
  const std::string printed = print_policy(stored);
  const Policy reparsed = parse_ok(printed);
  expect_same_filters(stored, reparsed);
  // Effective weights are computed by the engine, printed as comments, and not read back.
  EXPECT_EQ(print_policy(parse_ok(print_policy(reparsed))), print_policy(reparsed));
  for (const auto& filter : reparsed.filters) {
    EXPECT_NE(filter.id, 0U) << filter.name;
    EXPECT_FALSE(filter.key.is_null()) << filter.name;
  }
  EXPECT_NE(printed.find("# effective weight 0x"), std::string::npos) << printed;
}

TEST(PolicyRoundTrip, ShippedExample) {
  const std::string path = std::string(OPENFWP_SOURCE_DIR) + "/examples/policies/corp.yaml";
  auto policy = load_policy_file(path);
  ASSERT_TRUE(policy) << policy.error().to_string();
  const std::string printed = print_policy(*policy);
  EXPECT_EQ(print_policy(parse_ok(printed)), printed);
  expect_same_filters(*policy, parse_ok(printed));
}

TEST(PolicyRoundTrip, EmptyPolicyPrintsNothing) { EXPECT_EQ(print_policy(Policy{}), ""); }

}  // namespace
}  // namespace openfwp::io::policy
