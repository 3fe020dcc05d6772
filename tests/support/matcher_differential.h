// SPDX-License-Identifier: Apache-2.0
// Differential check of two LayerMatchers (OVS compare_classifiers): the same random entries
// built into both, the same random packets, identical visit sequences under several visitor
// policies; then the same random inserts and erases applied to both, and the comparison again,
// also against matchers built fresh from the final entries. Shared by the property test and
// the libFuzzer target; reports the first mismatch as text (no gtest dependency).
#pragma once

#include "classify/arbitration_order.h"
#include "classify/layer_matcher.h"
#include "classify/linear_matcher.h"
#include "model/effective_weight.h"
#include "model/validation.h"
#include "model/value_text.h"
#include "support/candidate_matcher.h"
#include "support/random_policy.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace openfwp::testing {

/// How the visitor steers the walk.
enum class Steering : std::uint8_t {
  kContinue,             ///< every match
  kStopAtFirst,          ///< kStop at the first match
  kNextSublayerAtFirst,  ///< kNextSublayer at each match: the first match of each sublayer
  kRandom,               ///< a seeded random answer at each match
};
inline constexpr std::array kAllSteerings = {Steering::kContinue, Steering::kStopAtFirst,
                                             Steering::kNextSublayerAtFirst, Steering::kRandom};

inline const char* steering_name(Steering steering) {
  switch (steering) {
    case Steering::kContinue:
      return "continue";
    case Steering::kStopAtFirst:
      return "stop at first";
    case Steering::kNextSublayerAtFirst:
      return "next sublayer at first";
    case Steering::kRandom:
      return "random";
  }
  return "?";
}

/// One visit: the filter and the rank the matcher reported, and what the visitor answered.
struct Visit {
  std::uint64_t filter_id = 0;
  std::uint32_t rank = 0;
  friend bool operator==(const Visit&, const Visit&) = default;
};

/// The visits of one walk. With kRandom, the answers come from `seed`, so two matchers that
/// visit the same sequence get the same answers.
inline std::vector<Visit> walk(const classify::LayerMatcher& matcher,
                               const model::IncomingValues& in, Steering steering,
                               std::uint64_t seed = 0) {
  std::vector<Visit> visits;
  std::uint64_t state = seed;  // splitmix64: cheap to seed once per walk
  matcher.for_each_match(in, [&](const classify::MatchEntry& entry) {
    visits.push_back({entry.filter->id, entry.sublayer_rank});
    switch (steering) {
      case Steering::kContinue:
        return classify::VisitNext::kContinue;
      case Steering::kStopAtFirst:
        return classify::VisitNext::kStop;
      case Steering::kNextSublayerAtFirst:
        return classify::VisitNext::kNextSublayer;
      case Steering::kRandom:
        break;
    }
    state += 0x9e3779b97f4a7c15U;
    std::uint64_t z = state;
    z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9U;
    z = (z ^ (z >> 27U)) * 0x94d049bb133111ebU;
    const auto roll = (z ^ (z >> 31U)) % 10;
    if (roll < 6) return classify::VisitNext::kContinue;
    return roll < 9 ? classify::VisitNext::kNextSublayer : classify::VisitNext::kStop;
  });
  return visits;
}

inline std::string describe(const std::vector<Visit>& visits) {
  std::ostringstream out;
  out << "[";
  for (std::size_t i = 0; i < visits.size(); ++i) {
    out << (i == 0 ? "" : " ") << visits[i].filter_id << "@" << visits[i].rank;
  }
  out << "]";
  return out.str();
}

inline std::string describe(const model::IncomingValues& in) {
  std::ostringstream out;
  const auto& fields = model::layer_info(in.layer()).fields;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (std::holds_alternative<std::monostate>(in.at(i))) continue;
    out << " " << model::field_info(fields[i]).alias << "="
        << model::format_value(fields[i], in.at(i));
  }
  return out.str();
}

inline std::string describe(const model::Filter& filter, std::uint32_t rank) {
  std::ostringstream out;
  out << "filter " << filter.id << " rank " << rank << " weight " << filter.effective_weight << ":";
  for (const auto& c : filter.conditions) {
    out << " " << model::field_info(c.field).alias << " " << model::match_type_alias(c.match);
    for (const auto& part : model::format_condition_value(c.field, c.value)) out << " " << part;
    out << ";";
  }
  return out.str();
}

/// Counts of what one run compared, for reports.
struct DifferentialStats {
  std::size_t filters = 0;
  std::size_t packets = 0;
  std::size_t walks = 0;  ///< visit sequences compared (packets × steerings × matcher pairs)
  std::size_t updates = 0;
};

/// One random case: `filters` entries, `packets` packets per comparison, `updates` inserts and
/// erases. run() returns the first mismatch, or nullopt.
class MatcherDifferential {
 public:
  MatcherDifferential(Choices& choices, classify::MatcherFactory reference,
                      classify::MatcherFactory candidate,
                      model::LayerId layer = RandomPolicy::kDefaultLayer)
      : choices_(choices), policy_(choices, layer), reference_(reference), candidate_(candidate) {}

  std::optional<std::string> run(std::size_t filters, std::size_t packets, std::size_t updates) {
    // Sublayer ranks: ordered group keys, not necessarily contiguous.
    const auto sublayers = 1 + choices_.below(5);
    for (std::uint64_t r = 0, next = 0; r < sublayers; ++r) {
      next += choices_.below(3);
      ranks_.push_back(static_cast<std::uint32_t>(next));
      ++next;
    }
    std::vector<classify::MatchEntry> entries;
    for (std::size_t i = 0; i < filters; ++i) {
      auto entry = new_entry();
      if (!entry) return error_;
      entries.push_back(*entry);
    }
    // make() takes entries in any order.
    for (std::size_t i = entries.size(); i > 1; --i) {
      std::swap(entries[i - 1], entries[static_cast<std::size_t>(choices_.below(i))]);
    }
    live_ = entries;
    auto reference = reference_(policy_.layer(), entries);
    auto candidate = candidate_(policy_.layer(), entries);
    if (auto mismatch = compare(*reference, *candidate, packets, "after make()")) return mismatch;

    for (std::size_t u = 0; u < updates; ++u) {
      ++stats_.updates;
      if (live_.empty() || choices_.one_in(2)) {
        auto entry = new_entry();
        if (!entry) return error_;
        reference->insert(*entry);
        candidate->insert(*entry);
        live_.push_back(*entry);
      } else if (choices_.one_in(5)) {
        // An entry that is not there: never inserted, or already erased.
        const classify::MatchEntry absent = erased_.empty() || choices_.one_in(2)
                                                ? *new_entry(/*keep=*/false)
                                                : choices_.pick(erased_);
        const bool r = reference->erase(absent);
        const bool c = candidate->erase(absent);
        if (r || c) {
          return "update " + std::to_string(u) + ": erase of absent filter " +
                 std::to_string(absent.filter->id) + " returned reference " + std::to_string(r) +
                 ", candidate " + std::to_string(c);
        }
      } else {
        const auto index = static_cast<std::size_t>(choices_.below(live_.size()));
        const auto entry = live_[index];
        const bool r = reference->erase(entry);
        const bool c = candidate->erase(entry);
        if (!r || !c) {
          return "update " + std::to_string(u) + ": erase of present filter " +
                 std::to_string(entry.filter->id) + " returned reference " + std::to_string(r) +
                 ", candidate " + std::to_string(c);
        }
        live_.erase(live_.begin() + static_cast<std::ptrdiff_t>(index));
        erased_.push_back(entry);
      }
      if (choices_.one_in(4)) {
        if (auto mismatch =
                compare(*reference, *candidate, 2, "after update " + std::to_string(u))) {
          return mismatch;
        }
      }
    }
    if (auto mismatch = compare(*reference, *candidate, packets, "after updates")) return mismatch;
    // Updated in place = built fresh from the final entries.
    auto fresh = candidate_(policy_.layer(), live_);
    if (auto mismatch =
            compare(*reference, *fresh, packets, "fresh candidate vs updated reference"))
      return mismatch;
    return std::nullopt;
  }

  const DifferentialStats& stats() const { return stats_; }

 private:
  // A new valid filter with a unique id and a rank from ranks_; kept alive in filters_.
  std::optional<classify::MatchEntry> new_entry(bool keep = true) {
    auto filter = policy_.filter("f" + std::to_string(filters_.size()));
    // Ids in no particular relation to insertion order, so id tie-breaks are exercised.
    filter.id = 1 + filters_.size() * 7 % 1009 + 1009 * (filters_.size() / 1009);
    filter.effective_weight = model::effective_weight(filter);
    if (auto valid = model::validate_filter(filter); !valid) {
      error_ = "generated an invalid filter: " + valid.error().message;
      return std::nullopt;
    }
    filters_.push_back(std::move(filter));
    if (keep) ++stats_.filters;
    return classify::MatchEntry{&filters_.back(), choices_.pick(ranks_)};
  }

  std::optional<std::string> compare(const classify::LayerMatcher& reference,
                                     const classify::LayerMatcher& candidate, std::size_t packets,
                                     const std::string& when) {
    if (reference.size() != candidate.size() || reference.size() != live_.size()) {
      return when + ": size() " + std::to_string(reference.size()) + " (reference) vs " +
             std::to_string(candidate.size()) + " (candidate), " + std::to_string(live_.size()) +
             " entries";
    }
    for (std::size_t p = 0; p < packets; ++p) {
      const auto in = policy_.packet();
      ++stats_.packets;
      const auto seed = choices_.below(1U << 30);
      for (const auto steering : kAllSteerings) {
        ++stats_.walks;
        const auto expected = walk(reference, in, steering, seed);
        const auto actual = walk(candidate, in, steering, seed);
        if (expected != actual) {
          std::string text = when + ", steering \"" + steering_name(steering) +
                             "\": reference visits " + describe(expected) + ", candidate " +
                             describe(actual) + "\n  packet:" + describe(in);
          for (const auto& entry : live_) {
            if (std::find(expected.begin(), expected.end(),
                          Visit{entry.filter->id, entry.sublayer_rank}) != expected.end() ||
                std::find(actual.begin(), actual.end(),
                          Visit{entry.filter->id, entry.sublayer_rank}) != actual.end()) {
              text += "\n  " + describe(*entry.filter, entry.sublayer_rank);
            }
          }
          return text;
        }
      }
    }
    return std::nullopt;
  }

  Choices& choices_;
  RandomPolicy policy_;
  classify::MatcherFactory reference_;
  classify::MatcherFactory candidate_;
  std::vector<std::uint32_t> ranks_;
  std::deque<model::Filter> filters_;  // every filter ever made; stable addresses
  std::vector<classify::MatchEntry> live_;
  std::vector<classify::MatchEntry> erased_;
  std::string error_;
  DifferentialStats stats_;
};

}  // namespace openfwp::testing
