// SPDX-License-Identifier: Apache-2.0
// OPENFWP_CHECK and OPENFWP_UNREACHABLE abort with the failed belief, file and line.
#include "common/assert.h"

#include <gtest/gtest.h>

namespace openfwp {
namespace {

[[noreturn]] void unreachable_branch() {
  OPENFWP_UNREACHABLE("the switch covers every enumerator");
}

TEST(AssertDeathTest, CheckAbortsWithConditionAndMessage) {
  const int entries = 3;
  EXPECT_DEATH(OPENFWP_CHECK(entries == 4, "entries must be four"),
               "internal error: .*assert_test.cpp:[0-9]+: check failed: entries == 4 "
               "\\(entries must be four\\)");
}

TEST(AssertDeathTest, CheckPassesSilentlyWhenTheConditionHolds) {
  const int entries = 4;
  OPENFWP_CHECK(entries == 4, "entries must be four");
  SUCCEED();
}

TEST(AssertDeathTest, UnreachableAborts) {
  EXPECT_DEATH(unreachable_branch(), "check failed: unreachable \\(the switch covers every");
}

}  // namespace
}  // namespace openfwp
