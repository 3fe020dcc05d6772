// SPDX-License-Identifier: Apache-2.0
// Seeded property tests (issue #6): random policies and packets must get identical visit
// sequences from LinearMatcher (the oracle) and the candidate matcher, before and after random
// inserts and erases; and two engines that differ only in their matcher must decide and explain
// identically through random adds, deletes, transactions and held snapshots. Each property
// runs at every layer of RandomPolicy::kLayers: ALE_AUTH_CONNECT_V4 (32-bit addresses; its
// seeds name the cases they named before IPv6 was added), ALE_AUTH_CONNECT_V6 and
// OUTBOUND_IPPACKET_V6 (128-bit addresses, prefixes longer than 64 bits, ranges and orders on
// FWP_BYTE_ARRAY16). A failure names its layer and seed; rerun one with --gtest_filter and the
// seed in the loop bounds.
#include "support/matcher_differential.h"

#include "classify/condition_match.h"
#include "support/engine_differential.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace openfwp::testing {
namespace {

// OPENFWP_DIFFERENTIAL_SEEDS=N multiplies the seeds by N, for a longer search by hand.
std::uint64_t scaled(std::uint64_t seeds) {
  const char* factor = std::getenv("OPENFWP_DIFFERENTIAL_SEEDS");
  return factor == nullptr ? seeds
                           : seeds * std::max<std::uint64_t>(1, std::strtoull(factor, nullptr, 10));
}

// Seeds per layer: ALE_AUTH_CONNECT_V4 keeps the counts it had before the IPv6 layers were
// added; those get fewer, so that the whole binary stays within ~8 s in the Debug build.
std::uint64_t matcher_seeds(model::LayerId layer) {
  switch (layer) {
    case model::LayerId::kAleAuthConnectV4:
      return scaled(200);
    case model::LayerId::kAleAuthConnectV6:
      return scaled(120);
    default:
      return scaled(80);
  }
}
std::uint64_t engine_seeds(model::LayerId layer) {
  return scaled(layer == model::LayerId::kAleAuthConnectV4 ? 24 : 10);
}

// The layer of a parameterized test, named for gtest ("AleAuthConnectV6").
class AtLayer : public ::testing::TestWithParam<model::LayerId> {
 protected:
  model::LayerId layer() const { return GetParam(); }
  std::string layer_name() const { return std::string(model::layer_info(layer()).wfp_name); }
};

std::string layer_test_name(const ::testing::TestParamInfo<model::LayerId>& info) {
  std::string name;
  bool upper = true;
  // FWPM_LAYER_ALE_AUTH_CONNECT_V6 -> AleAuthConnectV6
  for (const char c : std::string_view(model::layer_info(info.param).wfp_name).substr(11)) {
    if (c == '_') {
      upper = true;
      continue;
    }
    name += upper ? c : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    upper = false;
  }
  return name;
}

class MatcherDifferentialAt : public AtLayer {};
class EngineDifferentialAt : public AtLayer {};
INSTANTIATE_TEST_SUITE_P(Layers, MatcherDifferentialAt, ::testing::ValuesIn(RandomPolicy::kLayers),
                         layer_test_name);
INSTANTIATE_TEST_SUITE_P(Layers, EngineDifferentialAt, ::testing::ValuesIn(RandomPolicy::kLayers),
                         layer_test_name);

TEST_P(MatcherDifferentialAt, RandomPoliciesVisitIdenticallyBeforeAndAfterUpdates) {
  DifferentialStats total;
  const auto seeds = matcher_seeds(layer());
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    SeededChoices choices(seed);
    MatcherDifferential differential(choices, &classify::LinearMatcher::make,
                                     &CandidateMatcher::make, layer());
    // Small and large policies: small ones make empty sublayers and lone filters common.
    const std::size_t filters = seed % 8 == 0 ? 150 : 5 + seed % 40;
    const auto mismatch = differential.run(filters, 12, 60);
    ASSERT_FALSE(mismatch.has_value()) << layer_name() << ", seed " << seed << ": " << *mismatch;
    total.filters += differential.stats().filters;
    total.packets += differential.stats().packets;
    total.walks += differential.stats().walks;
    total.updates += differential.stats().updates;
  }
  // The harness really compared something (a generator that yields nothing passes vacuously).
  EXPECT_GT(total.walks, 100 * seeds);
  std::printf(
      "matcher differential at %s: %llu seeds, %zu filters, %zu packets, %zu walks, %zu "
      "updates\n",
      layer_name().c_str(), static_cast<unsigned long long>(seeds), total.filters, total.packets,
      total.walks, total.updates);
}

TEST_P(MatcherDifferentialAt, RandomPacketsMatchSomeFiltersOfRandomPolicies) {
  // The generator is biased to hit filters: a property test whose packets match nothing would
  // compare empty sequences forever.
  std::size_t walks = 0;
  std::size_t nonempty = 0;
  std::size_t hit_below_top = 0;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    SeededChoices choices(seed);
    RandomPolicy policy(choices, layer());
    std::deque<model::Filter> filters;
    std::vector<classify::MatchEntry> entries;
    for (std::uint64_t i = 0; i < 30; ++i) {
      filters.push_back(policy.filter("f" + std::to_string(i)));
      filters.back().id = i + 1;
      const auto valid = model::validate_filter(filters.back());
      ASSERT_TRUE(valid) << layer_name() << ", seed " << seed << ": " << valid.error().message;
      entries.push_back({&filters.back(), static_cast<std::uint32_t>(i % 3)});
    }
    const auto matcher = classify::LinearMatcher::make(layer(), entries);
    for (int p = 0; p < 20; ++p) {
      const auto visits = walk(*matcher, policy.packet(), Steering::kContinue);
      ++walks;
      if (!visits.empty()) ++nonempty;
      if (visits.size() > 1 && visits.size() < filters.size()) ++hit_below_top;
    }
  }
  EXPECT_GT(nonempty, walks / 2);
  EXPECT_GT(hit_below_top, walks / 4) << "packets match some filters, not all or none";
}

// The 128-bit space is reached: at the IPv6 layers address conditions are of every kind the
// catalog allows on FWP_BYTE_ARRAY16, prefixes have the lengths around the 64-bit halves of the
// index's numbers, and packets fall on both sides of them (a generator that never made a /65
// that some packet is in and another is not would pass the property vacuously there).
TEST(RandomPolicy, ReachesTheIpv6SpaceAtIpv6Layers) {
  for (const auto layer :
       {model::LayerId::kAleAuthConnectV6, model::LayerId::kOutboundIppacketV6}) {
    SCOPED_TRACE(model::layer_info(layer).wfp_name);
    std::map<model::MatchType, std::size_t> plain;  // conditions with a plain FWP_BYTE_ARRAY16
    std::size_t ranges = 0;
    std::map<unsigned, std::pair<std::size_t, std::size_t>> prefixes;  // length: (in, out)
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      SeededChoices choices(seed);
      RandomPolicy policy(choices, layer);
      std::vector<model::IncomingValues> packets;
      for (int p = 0; p < 10; ++p) packets.push_back(policy.packet());
      for (int f = 0; f < 60; ++f) {
        const auto filter = policy.filter("f");
        for (const auto& c : filter.conditions) {
          if (model::field_info(c.field).type != model::FieldType::kIpAddress) continue;
          if (std::holds_alternative<model::ByteArray16>(c.value)) ++plain[c.match];
          if (const auto* range = std::get_if<model::Range>(&c.value)) {
            if (std::holds_alternative<model::ByteArray16>(range->low)) ++ranges;
          }
          const auto* prefix = std::get_if<Ipv6Prefix>(&c.value);
          if (prefix == nullptr || c.match != model::MatchType::kEqual) continue;
          for (const auto& in : packets) {
            const auto* value = in.get(c.field);
            if (value == nullptr || std::holds_alternative<std::monostate>(*value)) continue;
            auto& [hits, misses] = prefixes[prefix->length];
            ++(classify::condition_matches(c, *value) ? hits : misses);
          }
        }
      }
    }
    for (const auto match : {model::MatchType::kEqual, model::MatchType::kNotEqual,
                             model::MatchType::kGreater, model::MatchType::kLessOrEqual}) {
      EXPECT_GT(plain[match], 0U) << model::match_type_name(match);
    }
    EXPECT_GT(ranges, 20U);
    for (const unsigned length : {0U, 1U, 63U, 64U, 65U, 96U, 127U, 128U}) {
      const auto [hits, misses] = prefixes[length];
      EXPECT_GT(hits, 0U) << "no packet in a /" << length;
      if (length > 0) {
        EXPECT_GT(misses, 0U) << "every packet in a /" << length;
      }
    }
    EXPECT_GT(prefixes.size(), 60U) << "prefix lengths across 0-128";
  }
}

// A matcher with a planted bug, to show the harness catches one: the reference, except that
// it never visits filters whose id is a multiple of 5, or that erase() forgets to remove.
template <bool kDropVisits>
class PlantedBug final : public classify::LayerMatcher {
 public:
  explicit PlantedBug(std::vector<classify::MatchEntry> entries) : inner_(std::move(entries)) {}
  static std::unique_ptr<classify::LayerMatcher> make(model::LayerId /*layer*/,
                                                      std::vector<classify::MatchEntry> entries) {
    return std::make_unique<PlantedBug>(std::move(entries));
  }
  void for_each_match(const model::IncomingValues& in,
                      classify::MatchVisitor visit) const override {
    inner_.for_each_match(in, [&](const classify::MatchEntry& entry) {
      if (kDropVisits && entry.filter->id % 5 == 0) return classify::VisitNext::kContinue;
      return visit(entry);
    });
  }
  void insert(const classify::MatchEntry& entry) override { inner_.insert(entry); }
  bool erase(const classify::MatchEntry& entry) override {
    if (kDropVisits) return inner_.erase(entry);
    ++forgotten_;
    return true;
  }
  std::size_t size() const override { return inner_.size() - forgotten_; }
  std::size_t memory_bytes() const override { return inner_.memory_bytes(); }
  std::string_view name() const override { return "planted bug"; }

 private:
  classify::LinearMatcher inner_;
  std::size_t forgotten_ = 0;
};

TEST_P(MatcherDifferentialAt, ReportsAMatcherThatSkipsFiltersOrForgetsErases) {
  for (const auto factory : {&PlantedBug<true>::make, &PlantedBug<false>::make}) {
    int caught = 0;
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
      SeededChoices choices(seed);
      MatcherDifferential differential(choices, &classify::LinearMatcher::make, factory, layer());
      if (differential.run(40, 12, 60).has_value()) ++caught;
    }
    EXPECT_GE(caught, 8);
  }
}

TEST_P(EngineDifferentialAt, ReportsAnEngineWhoseMatcherSkipsFilters) {
  int caught = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    SeededChoices choices(seed);
    EngineDifferential differential(choices, &classify::LinearMatcher::make,
                                    &PlantedBug<true>::make, layer());
    if (differential.run(40, 20, 4).has_value()) ++caught;
  }
  EXPECT_GE(caught, 4);
}

TEST_P(EngineDifferentialAt, EnginesWithEitherMatcherDecideAndExplainIdentically) {
  EngineDifferential::Stats total;
  const auto seeds = engine_seeds(layer());
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    SeededChoices choices(seed);
    EngineDifferential differential(choices, &classify::LinearMatcher::make,
                                    &CandidateMatcher::make, layer());
    const auto mismatch = differential.run(20 + seed % 40, 40, 4);
    ASSERT_FALSE(mismatch.has_value()) << layer_name() << ", seed " << seed << ": " << *mismatch;
    total.operations += differential.stats().operations;
    total.classifications += differential.stats().classifications;
    total.held_checks += differential.stats().held_checks;
  }
  EXPECT_GT(total.held_checks, 0U);
  std::printf(
      "engine differential at %s: %llu seeds, %zu operations, %zu classifications, %zu "
      "held-snapshot checks\n",
      layer_name().c_str(), static_cast<unsigned long long>(seeds), total.operations,
      total.classifications, total.held_checks);
}

}  // namespace
}  // namespace openfwp::testing
