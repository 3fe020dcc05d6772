// SPDX-License-Identifier: Apache-2.0
// ClassBench rules and headers as openfwp sees them: one WFP filter per rule at
// FWPM_LAYER_ALE_AUTH_CONNECT_V4 and one set of incoming values per header, so the same rule set
// and trace drive LinearMatcher, IndexedMatcher, the Engine and the external peers alike.
//
// Mapping (an outbound connect: the source is local, the destination remote):
//   source prefix      -> FWPM_CONDITION_IP_LOCAL_ADDRESS   FWP_V4_ADDR_MASK
//   destination prefix -> FWPM_CONDITION_IP_REMOTE_ADDRESS  FWP_V4_ADDR_MASK
//   source ports       -> FWPM_CONDITION_IP_LOCAL_PORT      EQUAL (one port) or RANGE
//   destination ports  -> FWPM_CONDITION_IP_REMOTE_PORT     EQUAL or RANGE
//   protocol           -> FWPM_CONDITION_IP_PROTOCOL        EQUAL
// A wildcard field (/0, 0 : 65535, protocol mask 0) gets no condition. Rule i of N has the
// FWP_UINT64 weight N - i in the one (universal) sublayer, so arbitration order is rule order
// and the deciding filter is the first matching rule. Actions alternate permit/block.
#pragma once

#include "classify/layer_matcher.h"
#include "model/filter.h"
#include "model/incoming_values.h"

#include "classbench_rules.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace openfwp::bench {

/// The layer every ClassBench filter is added at.
inline constexpr model::LayerId kClassBenchLayer = model::LayerId::kAleAuthConnectV4;

/// The filter for rule `index` of a set of `rule_count` rules, as a user would add it (no id,
/// no effective weight: the engine assigns both).
model::Filter to_filter(const ClassBenchRule& rule, std::size_t index, std::size_t rule_count);

/// The incoming values of an outbound connect with this header.
model::IncomingValues to_incoming_values(const PacketHeader& header);

/// The filters of a rule set ready for a LayerMatcher, without an Engine: rule i is filter id
/// i + 1 with its effective weight filled in as the engine would (an FWP_UINT64 weight is used
/// as it is). Not copyable or movable: entries point into it.
class MatcherPolicy {
 public:
  explicit MatcherPolicy(std::span<const ClassBenchRule> rules);
  MatcherPolicy(const MatcherPolicy&) = delete;
  MatcherPolicy& operator=(const MatcherPolicy&) = delete;

  /// One entry per rule, in rule order (which is arbitration order), all in sublayer rank 0.
  std::vector<classify::MatchEntry> entries() const;
  /// The entry of rule `index`.
  classify::MatchEntry entry(std::size_t index) const { return {&filters_[index], 0}; }
  std::size_t size() const { return filters_.size(); }

  /// The rule a filter of this policy was made from.
  static std::uint32_t rule_index(const model::Filter& filter) {
    return static_cast<std::uint32_t>(filter.id - 1);
  }

 private:
  std::vector<model::Filter> filters_;  // never resized after construction
};

/// The rule of the first filter `matcher` visits for `in` (arbitration order), or nullopt when
/// none matches; the filters must come from a MatcherPolicy.
std::optional<std::uint32_t> first_match(const classify::LayerMatcher& matcher,
                                         const model::IncomingValues& in);

}  // namespace openfwp::bench
