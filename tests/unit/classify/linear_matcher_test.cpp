// SPDX-License-Identifier: Apache-2.0
// The LayerMatcher contract, as typed tests every implementation must pass (DPDK: every matcher
// on the same cases): visits in entry order, only matching filters, kNextSublayer skips the rest
// of that sublayer only, kStop stops; plus a seeded property test against filter_matches.
// Add an implementation by adding it to MatcherImplementations.
#include "classify/linear_matcher.h"

#include "classify/condition_match.h"
#include "classify/indexed_matcher.h"
#include "support/filter_builder.h"
#include "support/incoming_builder.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
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

struct Linear {
  static constexpr const char* kName = "Linear";
  static std::unique_ptr<LayerMatcher> make(LayerId layer, std::vector<MatchEntry> entries) {
    return LinearMatcher::make(layer, std::move(entries));
  }
};

struct Indexed {
  static constexpr const char* kName = "Indexed";
  static std::unique_ptr<LayerMatcher> make(LayerId layer, std::vector<MatchEntry> entries) {
    return IndexedMatcher::make(layer, std::move(entries));
  }
};

using MatcherImplementations = ::testing::Types<Linear, Indexed>;

struct ImplementationName {
  template <class Impl>
  // NOLINTNEXTLINE(readability-identifier-naming): gtest calls this name.
  static std::string GetName(int /*index*/) {
    return Impl::kName;
  }
};

// Owns the filters the entries point at (a deque keeps addresses stable).
class Policy {
 public:
  const model::Filter* add(model::Filter filter) {
    if (filter.id == 0) filter.id = next_id_++;
    filters_.push_back(std::move(filter));
    return &filters_.back();
  }
  // A filter matching every packet (no conditions) or only remote port `port`.
  const model::Filter* any(const std::string& name) {
    return add(FilterBuilder(name).layer(kV4).build());
  }
  const model::Filter* port(const std::string& name, std::uint16_t remote_port) {
    return add(FilterBuilder(name)
                   .layer(kV4)
                   .condition(FieldId::kIpRemotePort, MatchType::kEqual, remote_port)
                   .build());
  }

 private:
  std::deque<model::Filter> filters_;
  std::uint64_t next_id_ = 1;
};

model::IncomingValues to_port(std::uint16_t remote_port) {
  return IncomingBuilder(kV4).set(FieldId::kIpRemotePort, remote_port).build();
}

template <class Impl>
class LayerMatcherContract : public ::testing::Test {
 protected:
  std::unique_ptr<LayerMatcher> make(std::vector<MatchEntry> entries) {
    return Impl::make(kV4, std::move(entries));
  }

  // Names of the visited filters; `decide` picks the answer for each visit.
  template <class Decide>
  std::vector<std::string> visits(const LayerMatcher& matcher, const model::IncomingValues& in,
                                  Decide decide) {
    std::vector<std::string> names;
    matcher.for_each_match(in, [&](const MatchEntry& entry) {
      names.push_back(entry.filter->name);
      return decide(entry);
    });
    return names;
  }

  std::vector<std::string> visit_all(const LayerMatcher& matcher, const model::IncomingValues& in) {
    return visits(matcher, in, [](const MatchEntry&) { return VisitNext::kContinue; });
  }

  Policy policy_;
};

TYPED_TEST_SUITE(LayerMatcherContract, MatcherImplementations, ImplementationName);

using Names = std::vector<std::string>;

TYPED_TEST(LayerMatcherContract, EmptyMatcherVisitsNothing) {
  auto matcher = this->make({});
  EXPECT_EQ(matcher->size(), 0U);
  EXPECT_TRUE(this->visit_all(*matcher, to_port(80)).empty());
}

TYPED_TEST(LayerMatcherContract, SizeIsTheNumberOfEntries) {
  auto matcher = this->make(
      {{this->policy_.any("a"), 0}, {this->policy_.port("b", 80), 0}, {this->policy_.any("c"), 1}});
  EXPECT_EQ(matcher->size(), 3U);
  EXPECT_FALSE(matcher->name().empty());
}

TYPED_TEST(LayerMatcherContract, VisitsOnlyMatchingFiltersInEntryOrder) {
  auto matcher = this->make({{this->policy_.port("web", 80), 0},
                             {this->policy_.port("ssh", 22), 0},
                             {this->policy_.any("catch-all"), 0},
                             {this->policy_.port("web again", 80), 1},
                             {this->policy_.port("dns", 53), 2}});
  EXPECT_EQ(this->visit_all(*matcher, to_port(80)), (Names{"web", "catch-all", "web again"}));
  EXPECT_EQ(this->visit_all(*matcher, to_port(22)), (Names{"ssh", "catch-all"}));
  EXPECT_EQ(this->visit_all(*matcher, to_port(9)), (Names{"catch-all"}));
}

TYPED_TEST(LayerMatcherContract, NextSublayerSkipsTheRestOfThatSublayerOnly) {
  auto matcher = this->make({{this->policy_.any("s0 first"), 0},
                             {this->policy_.any("s0 second"), 0},
                             {this->policy_.any("s0 third"), 0},
                             {this->policy_.any("s1 first"), 1},
                             {this->policy_.any("s1 second"), 1},
                             {this->policy_.any("s2 first"), 2}});
  const auto names = this->visits(*matcher, to_port(80),
                                  [](const MatchEntry&) { return VisitNext::kNextSublayer; });
  EXPECT_EQ(names, (Names{"s0 first", "s1 first", "s2 first"}));
}

TYPED_TEST(LayerMatcherContract, NextSublayerFromALaterFilterSkipsOnlyWhatFollowsIt) {
  auto matcher = this->make({{this->policy_.any("s0 a"), 0},
                             {this->policy_.any("s0 b"), 0},
                             {this->policy_.any("s0 c"), 0},
                             {this->policy_.any("s1 a"), 1},
                             {this->policy_.any("s1 b"), 1}});
  const auto names = this->visits(*matcher, to_port(80), [](const MatchEntry& entry) {
    return entry.filter->name == "s0 b" ? VisitNext::kNextSublayer : VisitNext::kContinue;
  });
  EXPECT_EQ(names, (Names{"s0 a", "s0 b", "s1 a", "s1 b"}));
}

TYPED_TEST(LayerMatcherContract, NextSublayerSkipsNonMatchingFiltersOfTheSublayerToo) {
  auto matcher = this->make({{this->policy_.port("s0 web", 80), 0},
                             {this->policy_.port("s0 ssh", 22), 0},
                             {this->policy_.port("s0 web 2", 80), 0},
                             {this->policy_.port("s1 web", 80), 1}});
  const auto names = this->visits(*matcher, to_port(80),
                                  [](const MatchEntry&) { return VisitNext::kNextSublayer; });
  EXPECT_EQ(names, (Names{"s0 web", "s1 web"}));
}

TYPED_TEST(LayerMatcherContract, NextSublayerOnTheLastFilterOfASublayerContinuesWithTheNext) {
  auto matcher = this->make({{this->policy_.any("s0 only"), 0},
                             {this->policy_.any("s1 a"), 1},
                             {this->policy_.any("s1 b"), 1}});
  const auto names = this->visits(*matcher, to_port(80), [](const MatchEntry& entry) {
    return entry.sublayer_rank == 0 ? VisitNext::kNextSublayer : VisitNext::kContinue;
  });
  EXPECT_EQ(names, (Names{"s0 only", "s1 a", "s1 b"}));
}

TYPED_TEST(LayerMatcherContract, SublayerRanksNeedNotBeContiguous) {
  auto matcher = this->make({{this->policy_.any("rank 0"), 0},
                             {this->policy_.any("rank 0 too"), 0},
                             {this->policy_.any("rank 5"), 5},
                             {this->policy_.any("rank 9"), 9}});
  const auto names = this->visits(*matcher, to_port(80),
                                  [](const MatchEntry&) { return VisitNext::kNextSublayer; });
  EXPECT_EQ(names, (Names{"rank 0", "rank 5", "rank 9"}));
}

TYPED_TEST(LayerMatcherContract, StopEndsTheWalkImmediately) {
  auto matcher = this->make({{this->policy_.any("a"), 0},
                             {this->policy_.any("b"), 0},
                             {this->policy_.any("c"), 1},
                             {this->policy_.any("d"), 1}});
  int calls = 0;
  const auto names = this->visits(*matcher, to_port(80), [&](const MatchEntry&) {
    return ++calls == 2 ? VisitNext::kStop : VisitNext::kContinue;
  });
  EXPECT_EQ(names, (Names{"a", "b"}));
  const auto first_only =
      this->visits(*matcher, to_port(80), [](const MatchEntry&) { return VisitNext::kStop; });
  EXPECT_EQ(first_only, (Names{"a"}));
}

TYPED_TEST(LayerMatcherContract, EntriesCarryTheirSublayerRank) {
  auto matcher = this->make({{this->policy_.any("a"), 0}, {this->policy_.any("b"), 3}});
  std::vector<std::uint32_t> ranks;
  matcher->for_each_match(to_port(80), [&](const MatchEntry& entry) {
    ranks.push_back(entry.sublayer_rank);
    return VisitNext::kContinue;
  });
  EXPECT_EQ(ranks, (std::vector<std::uint32_t>{0, 3}));
}

TYPED_TEST(LayerMatcherContract, MatchingDoesNotChangeTheMatcher) {
  auto matcher = this->make({{this->policy_.port("web", 80), 0}, {this->policy_.any("all"), 1}});
  const auto first = this->visit_all(*matcher, to_port(80));
  this->visits(*matcher, to_port(80), [](const MatchEntry&) { return VisitNext::kStop; });
  EXPECT_EQ(this->visit_all(*matcher, to_port(80)), first);
}

// Random policies and packets from a fixed seed: the visited filters are exactly those that
// filter_matches accepts, in entry order.
TYPED_TEST(LayerMatcherContract, VisitsExactlyTheFiltersThatMatchOnRandomPolicies) {
  std::mt19937 random(20240601U);
  auto pick = [&](std::uint32_t n) {
    return std::uniform_int_distribution<std::uint32_t>(0, n - 1)(random);
  };
  const std::array<std::uint16_t, 5> ports = {22, 53, 80, 443, 8080};
  const std::array<std::uint8_t, 2> protocols = {6, 17};
  const std::array<const char*, 4> addresses = {"10.0.0.1", "10.0.0.2", "198.18.0.1", "192.0.2.7"};
  const std::array<const char*, 4> prefixes = {"10.0.0.0/8", "10.0.0.2", "198.18.0.0/15",
                                               "0.0.0.0/0"};

  for (int round = 0; round < 20; ++round) {
    std::vector<MatchEntry> entries;
    std::uint32_t rank = 0;
    for (int i = 0; i < 40; ++i) {
      if (pick(5) == 0) {
        ++rank;  // a new, lower-priority sublayer
      }
      FilterBuilder builder("f" + std::to_string(i));
      builder.layer(kV4);
      const auto conditions = pick(4);
      for (std::uint32_t c = 0; c < conditions; ++c) {
        switch (pick(4)) {
          case 0:
            builder.condition(FieldId::kIpRemotePort, MatchType::kEqual, ports[pick(5)]);
            break;
          case 1:
            builder.condition(FieldId::kIpRemotePort, MatchType::kRange,
                              model::Range{std::uint16_t{50}, std::uint16_t{500}});
            break;
          case 2:
            builder.condition(FieldId::kIpProtocol, MatchType::kEqual, protocols[pick(2)]);
            break;
          default:
            builder.condition("FWPM_CONDITION_IP_REMOTE_ADDRESS", "equal", prefixes[pick(4)]);
            break;
        }
      }
      entries.push_back({this->policy_.add(builder.build()), rank});
    }
    auto matcher = this->make(entries);
    for (int packet = 0; packet < 20; ++packet) {
      const auto in = IncomingBuilder(kV4)
                          .set(FieldId::kIpRemotePort, ports[pick(5)])
                          .set(FieldId::kIpProtocol, protocols[pick(2)])
                          .set("FWPM_CONDITION_IP_REMOTE_ADDRESS", addresses[pick(4)])
                          .build();
      Names expected;
      for (const auto& entry : entries) {
        if (filter_matches(*entry.filter, in)) {
          expected.push_back(entry.filter->name);
        }
      }
      ASSERT_EQ(this->visit_all(*matcher, in), expected) << "round " << round;
    }
  }
}

TEST(LinearMatcher, IsNamedLinearAndBuiltByItsFactory) {
  Policy policy;
  auto matcher = LinearMatcher::make(kV4, {{policy.any("a"), 0}});
  EXPECT_EQ(matcher->name(), "linear");
  EXPECT_EQ(matcher->size(), 1U);
  const MatcherFactory factory = &LinearMatcher::make;
  EXPECT_EQ(factory(kV4, {})->size(), 0U);
}

}  // namespace
}  // namespace openfwp::classify
