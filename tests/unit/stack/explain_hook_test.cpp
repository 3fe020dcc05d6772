// SPDX-License-Identifier: Apache-2.0
// The simulator's explain hook (`fwp explain --flow`): with explanations on, every
// classification record carries the incoming values and the explained decision, and they agree
// with the record; with them off (the default, `fwp sim`), no record carries one.
#include "io/scenario/scenario.h"
#include "stack/simulator.h"

#include "sim_helpers.h"
#include <gtest/gtest.h>

namespace openfwp::stack {
namespace {

constexpr const char* kBlockedTelnet = R"(
hosts:
  client:
    addresses: [198.18.0.1]
    policy:
      filters:
        - {name: block telnet, id: 7, layer: FWPM_LAYER_ALE_AUTH_CONNECT_V4, action: block,
           conditions: [{field: FWPM_CONDITION_IP_REMOTE_PORT, value: 23}]}
  server:
    addresses: [198.18.0.2]
steps:
  - {host: server, op: listen, proto: tcp, port: 23}
  - {host: client, op: connect, proto: tcp, peer: server, port: 23, id: c1}
)";

TEST(ExplainHook, EveryClassificationCarriesAnExplanationThatAgreesWithTheRecord) {
  auto scenario = io::scenario::parse_scenario(kBlockedTelnet, "test.yaml", ".");
  ASSERT_TRUE(scenario) << scenario.error().to_string();
  auto trace = simulate(*scenario, /*explain=*/true);
  ASSERT_TRUE(trace) << trace.error().to_string();
  bool saw_block = false;
  for (const auto& r : *trace) {
    if (!r.layer) {
      EXPECT_EQ(r.explanation, nullptr);
      continue;
    }
    ASSERT_NE(r.explanation, nullptr) << testing::layer_name(r);
    EXPECT_EQ(r.explanation->in.layer(), *r.layer);
    EXPECT_EQ(r.explanation->decision.filter_id, r.filter_id);
    if (r.action == "block" && *r.layer == model::LayerId::kAleAuthConnectV4) {
      saw_block = true;
      EXPECT_EQ(r.explanation->decision.filter_name, "block telnet");
      EXPECT_EQ(r.explanation->decision.reason, engine::Reason::kHard);
      ASSERT_EQ(r.explanation->decision.sublayers.size(), 1U);
    }
  }
  EXPECT_TRUE(saw_block);
}

TEST(ExplainHook, IsOffByDefault) {
  auto scenario = io::scenario::parse_scenario(kBlockedTelnet, "test.yaml", ".");
  ASSERT_TRUE(scenario) << scenario.error().to_string();
  auto trace = simulate(*scenario);
  ASSERT_TRUE(trace);
  for (const auto& r : *trace) EXPECT_EQ(r.explanation, nullptr);
}

}  // namespace
}  // namespace openfwp::stack
