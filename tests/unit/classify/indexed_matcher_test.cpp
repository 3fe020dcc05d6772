// SPDX-License-Identifier: Apache-2.0
// What is particular to IndexedMatcher beyond the shared LayerMatcher contract: the shape of its
// index (merged tuples stay few; updates leave nothing behind) and that conditions it cannot
// compile to intervals still decide through the generic code.
#include "classify/indexed_matcher.h"

#include "support/filter_builder.h"
#include "support/incoming_builder.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

namespace openfwp::classify {
namespace {

using model::FieldId;
using model::LayerId;
using model::MatchType;
using openfwp::testing::FilterBuilder;
using openfwp::testing::IncomingBuilder;

constexpr LayerId kV4 = LayerId::kAleAuthConnectV4;

class IndexedMatcherShape : public ::testing::Test {
 protected:
  MatchEntry add(FilterBuilder builder) {
    filters_.push_back(builder.layer(kV4).id(filters_.size() + 1).build());
    return {&filters_.back(), 0};
  }
  static std::vector<std::string> visits(const LayerMatcher& matcher,
                                         const model::IncomingValues& in) {
    std::vector<std::string> names;
    matcher.for_each_match(in, [&](const MatchEntry& entry) {
      names.push_back(entry.filter->name);
      return VisitNext::kContinue;
    });
    return names;
  }
  std::deque<model::Filter> filters_;
};

TEST_F(IndexedMatcherShape, PrefixesOfManyLengthsShareAFewTuples) {
  // 4,000 filters: remote prefixes /8 … /32 under random networks, with and without a port.
  std::mt19937 random(7);
  std::vector<MatchEntry> entries;
  for (int i = 0; i < 4000; ++i) {
    const auto length = static_cast<std::uint8_t>(8 + random() % 25);
    const auto address = static_cast<std::uint32_t>(random()) & (~0U << (32U - length));
    FilterBuilder builder("f" + std::to_string(i));
    builder.condition(FieldId::kIpRemoteAddress, MatchType::kEqual, Ipv4Prefix{address, length});
    if (i % 2 == 0) {
      builder.condition(FieldId::kIpRemotePort, MatchType::kEqual,
                        static_cast<std::uint16_t>(random() % 1024));
    }
    entries.push_back(add(std::move(builder)));
  }
  const IndexedMatcher matcher(kV4, entries);
  EXPECT_EQ(matcher.size(), 4000U);
  // One tuple per (address grid length, port or not) at most: 4 × 2.
  EXPECT_LE(matcher.tuple_count(), 8U);
  EXPECT_GE(matcher.tuple_count(), 2U);
}

TEST_F(IndexedMatcherShape, ErasingEveryFilterLeavesNoTupleAndLessMemory) {
  std::vector<MatchEntry> entries;
  for (std::uint16_t port = 1; port <= 300; ++port) {
    entries.push_back(add(FilterBuilder("p" + std::to_string(port))
                              .condition(FieldId::kIpRemotePort, MatchType::kEqual, port)));
  }
  IndexedMatcher matcher(kV4, entries);
  const auto full = matcher.memory_bytes();
  ASSERT_GE(matcher.tuple_count(), 1U);
  for (const auto& entry : entries) ASSERT_TRUE(matcher.erase(entry));
  EXPECT_EQ(matcher.size(), 0U);
  EXPECT_EQ(matcher.tuple_count(), 0U);
  EXPECT_LT(matcher.memory_bytes(), full);
  EXPECT_TRUE(
      visits(matcher, IncomingBuilder(kV4).set(FieldId::kIpRemotePort, std::uint16_t{7}).build())
          .empty());
}

TEST_F(IndexedMatcherShape, ConditionsThatAreNotIntervalsStillDecide) {
  // NOT_EQUAL, flags and two OR'ed ports are not single intervals: the index cannot narrow on
  // them, and the generic condition code must still reject what does not match.
  const auto not_ssh = add(FilterBuilder("not ssh").condition(
      FieldId::kIpRemotePort, MatchType::kNotEqual, std::uint16_t{22}));
  const auto web =
      add(FilterBuilder("web or tls")
              .condition(FieldId::kIpRemotePort, MatchType::kEqual, std::uint16_t{80})
              .condition(FieldId::kIpRemotePort, MatchType::kEqual, std::uint16_t{443}));
  const auto flagged =
      add(FilterBuilder("loopback flag")
              .condition(FieldId::kFlags, MatchType::kFlagsAllSet, std::uint32_t{0x1}));
  const IndexedMatcher matcher(kV4, {not_ssh, web, flagged});
  const auto packet = [](std::uint16_t port, std::uint32_t flags) {
    return IncomingBuilder(kV4)
        .set(FieldId::kIpRemotePort, port)
        .set(FieldId::kFlags, flags)
        .build();
  };
  EXPECT_EQ(visits(matcher, packet(22, 0)), (std::vector<std::string>{}));
  EXPECT_EQ(visits(matcher, packet(443, 0)), (std::vector<std::string>{"not ssh", "web or tls"}));
  EXPECT_EQ(visits(matcher, packet(8080, 0x3)),
            (std::vector<std::string>{"not ssh", "loopback flag"}));
}

}  // namespace
}  // namespace openfwp::classify
