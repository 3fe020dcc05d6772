// SPDX-License-Identifier: Apache-2.0
#include "flow/flow_table.h"

#include <gtest/gtest.h>

namespace openfwp::flow {
namespace {

FlowKey key(std::uint16_t port) {
  return {6, IpAddress::from_v4(0xc6120001), port, IpAddress::from_v4(0xc6120002), 80};
}

TEST(FlowTable, InsertFindEraseWithUniqueIds) {
  FlowTable table;
  auto& a = table.insert(key(1000), false, 3);
  auto& b = table.insert(key(1001), true, 3);
  EXPECT_NE(a.id, b.id);
  ASSERT_NE(table.find(key(1000)), nullptr);
  EXPECT_FALSE(table.find(key(1000))->inbound);
  EXPECT_TRUE(table.find(key(1001))->inbound);
  table.erase(key(1000));
  EXPECT_EQ(table.find(key(1000)), nullptr);
  EXPECT_EQ(table.size(), 1U);
}

TEST(FlowTable, AFlowNeedsReauthorizationOnlyAfterAPolicyChange) {
  FlowTable table;
  const auto& flow = table.insert(key(1000), false, 7);
  EXPECT_FALSE(FlowTable::needs_reauthorization(flow, 7));
  EXPECT_TRUE(FlowTable::needs_reauthorization(flow, 8));
}

}  // namespace
}  // namespace openfwp::flow
