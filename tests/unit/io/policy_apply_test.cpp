// SPDX-License-Identifier: Apache-2.0
// apply_policy: all or nothing, and engine errors point back into the file.
#include "engine/engine.h"
#include "io/policy/policy.h"

#include <gtest/gtest.h>

namespace openfwp::io::policy {
namespace {

TEST(PolicyApply, AddsEverythingInOneTransaction) {
  auto policy = parse_policy(R"(
sublayers:
  - {name: corp, weight: 100}
filters:
  - {name: a, layer: ale_auth_connect_v4, action: permit, sublayer: corp}
  - {name: b, layer: ale_auth_connect_v4, action: block, sublayer: corp, weight: 4}
)",
                             "p.yaml");
  ASSERT_TRUE(policy) << policy.error().to_string();
  engine::Engine engine;
  const auto epoch = engine.policy_epoch();
  ASSERT_TRUE(apply_policy(*policy, engine));
  EXPECT_EQ(engine.policy_epoch(), epoch + 1) << "one commit, one new snapshot";
  EXPECT_EQ(engine.snapshot()->store().filters().size(), 2U);
}

TEST(PolicyApply, FailureLeavesTheEngineUntouchedAndPointsIntoTheFile) {
  // The second filter names a sublayer by a GUID the file does not define: only the engine
  // can tell, and its error must still carry the filter's line.
  auto policy = parse_policy(R"(filters:
  - {name: fine, layer: ale_auth_connect_v4, action: permit}
  - {name: orphan, layer: ale_auth_connect_v4, action: permit,
     sublayer: "{deadbeef-0000-4000-8000-000000000000}"}
)",
                             "p.yaml");
  ASSERT_TRUE(policy) << policy.error().to_string();
  engine::Engine engine;
  const auto before = engine.snapshot();
  const auto applied = apply_policy(*policy, engine);
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, ErrorCode::kSublayerNotFound);
  EXPECT_EQ(applied.error().where.file, "p.yaml");
  EXPECT_EQ(applied.error().where.line, 3U);
  EXPECT_NE(applied.error().message.find("filter \"orphan\""), std::string::npos)
      << applied.error().message;
  EXPECT_EQ(engine.snapshot(), before) << "aborted transaction must publish nothing";
  EXPECT_TRUE(engine.snapshot()->store().filters().empty());
  // And the engine is usable afterwards (no transaction left open).
  EXPECT_TRUE(engine.begin());
  EXPECT_TRUE(engine.abort());
}

TEST(PolicyApply, DuplicateFilterKeyIsAlreadyExists) {
  auto policy = parse_policy(R"(filters:
  - {name: a, key: "{11111111-0000-4000-8000-000000000001}", layer: ale_auth_connect_v4, action: permit}
  - {name: b, key: "{11111111-0000-4000-8000-000000000001}", layer: ale_auth_connect_v4, action: block}
)",
                             "p.yaml");
  ASSERT_TRUE(policy);
  engine::Engine engine;
  const auto applied = apply_policy(*policy, engine);
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(applied.error().where.line, 3U);
}

}  // namespace
}  // namespace openfwp::io::policy

namespace openfwp::io::policy {
namespace {

// An imported dump describes Windows' built-in objects too; the engine already has them.
TEST(PolicyApply, BuiltInObjectsWithTheSameIdentityAreNotConflicts) {
  auto same = parse_policy(R"(sublayers:
  - {key: "{eebecc03-ced4-4380-819a-2734397b2b74}", name: universal, weight: 0x8000}
)",
                           "p.yaml");
  ASSERT_TRUE(same) << same.error().to_string();
  engine::Engine engine;
  EXPECT_TRUE(apply_policy(*same, engine));

  auto different = parse_policy(R"(sublayers:
  - {key: "{eebecc03-ced4-4380-819a-2734397b2b74}", name: universal, weight: 7}
)",
                                "p.yaml");
  ASSERT_TRUE(different) << different.error().to_string();
  const auto applied = apply_policy(*different, engine);
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(applied.error().where.line, 2U);
}

}  // namespace
}  // namespace openfwp::io::policy
