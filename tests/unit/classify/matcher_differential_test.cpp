// SPDX-License-Identifier: Apache-2.0
// Seeded property tests (issue #6): random policies and packets must get identical visit
// sequences from LinearMatcher (the oracle) and the candidate matcher, before and after random
// inserts and erases; and two engines that differ only in their matcher must decide and explain
// identically through random adds, deletes, transactions and held snapshots. A failure names
// its seed; rerun one with --gtest_filter and the seed in the loop bounds.
#include "support/matcher_differential.h"

#include "support/engine_differential.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace openfwp::testing {
namespace {

// OPENFWP_DIFFERENTIAL_SEEDS=N multiplies the seeds by N, for a longer search by hand.
std::uint64_t scaled(std::uint64_t seeds) {
  const char* factor = std::getenv("OPENFWP_DIFFERENTIAL_SEEDS");
  return factor == nullptr ? seeds
                           : seeds * std::max<std::uint64_t>(1, std::strtoull(factor, nullptr, 10));
}

const std::uint64_t kMatcherSeeds = scaled(200);
const std::uint64_t kEngineSeeds = scaled(24);

TEST(MatcherDifferential, RandomPoliciesVisitIdenticallyBeforeAndAfterUpdates) {
  DifferentialStats total;
  for (std::uint64_t seed = 1; seed <= kMatcherSeeds; ++seed) {
    SeededChoices choices(seed);
    MatcherDifferential differential(choices, &classify::LinearMatcher::make,
                                     &CandidateMatcher::make);
    // Small and large policies: small ones make empty sublayers and lone filters common.
    const std::size_t filters = seed % 8 == 0 ? 150 : 5 + seed % 40;
    const auto mismatch = differential.run(filters, 12, 60);
    ASSERT_FALSE(mismatch.has_value()) << "seed " << seed << ": " << *mismatch;
    total.filters += differential.stats().filters;
    total.packets += differential.stats().packets;
    total.walks += differential.stats().walks;
    total.updates += differential.stats().updates;
  }
  // The harness really compared something (a generator that yields nothing passes vacuously).
  EXPECT_GT(total.walks, 20000U);
  std::printf(
      "matcher differential: %llu seeds, %zu filters, %zu packets, %zu walks, %zu updates\n",
      static_cast<unsigned long long>(kMatcherSeeds), total.filters, total.packets, total.walks,
      total.updates);
}

TEST(MatcherDifferential, RandomPacketsMatchSomeFiltersOfRandomPolicies) {
  // The generator is biased to hit filters: a property test whose packets match nothing would
  // compare empty sequences forever.
  std::size_t walks = 0;
  std::size_t nonempty = 0;
  std::size_t hit_below_top = 0;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    SeededChoices choices(seed);
    RandomPolicy policy(choices);
    std::deque<model::Filter> filters;
    std::vector<classify::MatchEntry> entries;
    for (std::uint64_t i = 0; i < 30; ++i) {
      filters.push_back(policy.filter("f" + std::to_string(i)));
      filters.back().id = i + 1;
      ASSERT_TRUE(model::validate_filter(filters.back())) << "seed " << seed;
      entries.push_back({&filters.back(), static_cast<std::uint32_t>(i % 3)});
    }
    const auto matcher = classify::LinearMatcher::make(RandomPolicy::kLayer, entries);
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

TEST(MatcherDifferential, ReportsAMatcherThatSkipsFiltersOrForgetsErases) {
  for (const auto factory : {&PlantedBug<true>::make, &PlantedBug<false>::make}) {
    int caught = 0;
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
      SeededChoices choices(seed);
      MatcherDifferential differential(choices, &classify::LinearMatcher::make, factory);
      if (differential.run(40, 12, 60).has_value()) ++caught;
    }
    EXPECT_GE(caught, 8);
  }
}

TEST(EngineDifferential, ReportsAnEngineWhoseMatcherSkipsFilters) {
  int caught = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    SeededChoices choices(seed);
    EngineDifferential differential(choices, &classify::LinearMatcher::make,
                                    &PlantedBug<true>::make);
    if (differential.run(40, 20, 4).has_value()) ++caught;
  }
  EXPECT_GE(caught, 4);
}

TEST(EngineDifferential, EnginesWithEitherMatcherDecideAndExplainIdentically) {
  EngineDifferential::Stats total;
  for (std::uint64_t seed = 1; seed <= kEngineSeeds; ++seed) {
    SeededChoices choices(seed);
    EngineDifferential differential(choices, &classify::LinearMatcher::make,
                                    &CandidateMatcher::make);
    const auto mismatch = differential.run(20 + seed % 40, 40, 4);
    ASSERT_FALSE(mismatch.has_value()) << "seed " << seed << ": " << *mismatch;
    total.operations += differential.stats().operations;
    total.classifications += differential.stats().classifications;
    total.held_checks += differential.stats().held_checks;
  }
  EXPECT_GT(total.held_checks, 0U);
  std::printf(
      "engine differential: %llu seeds, %zu operations, %zu classifications, %zu "
      "held-snapshot checks\n",
      static_cast<unsigned long long>(kEngineSeeds), total.operations, total.classifications,
      total.held_checks);
}

}  // namespace
}  // namespace openfwp::testing
