// SPDX-License-Identifier: Apache-2.0
// ClassBench rules to WFP filters and headers to incoming values (see classbench_openfwp.h).
#include "classbench_openfwp.h"

#include <string>

namespace openfwp::bench {
namespace {

using model::FieldId;
using model::MatchType;

void add_address_condition(model::Filter& filter, FieldId field, const AddressPrefix& prefix) {
  if (prefix.length == 0) return;
  filter.conditions.push_back(
      {field, MatchType::kEqual, Ipv4Prefix{prefix.address, prefix.length}});
}

void add_port_condition(model::Filter& filter, FieldId field, const PortRange& ports) {
  if (ports.is_wildcard()) return;
  if (ports.low == ports.high) {
    filter.conditions.push_back({field, MatchType::kEqual, ports.low});
  } else {
    filter.conditions.push_back({field, MatchType::kRange, model::Range{ports.low, ports.high}});
  }
}

}  // namespace

model::Filter to_filter(const ClassBenchRule& rule, std::size_t index, std::size_t rule_count) {
  model::Filter filter;
  filter.name = "classbench rule " + std::to_string(index);
  filter.layer = kClassBenchLayer;
  filter.weight = {model::Weight::Kind::kUint64, rule_count - index};
  filter.action = index % 2 == 0 ? model::ActionType::kPermit : model::ActionType::kBlock;
  add_address_condition(filter, FieldId::kIpLocalAddress, rule.source);
  add_address_condition(filter, FieldId::kIpRemoteAddress, rule.destination);
  add_port_condition(filter, FieldId::kIpLocalPort, rule.source_port);
  add_port_condition(filter, FieldId::kIpRemotePort, rule.destination_port);
  if (rule.protocol_mask != 0) {
    filter.conditions.push_back({FieldId::kIpProtocol, MatchType::kEqual, rule.protocol});
  }
  return filter;
}

model::IncomingValues to_incoming_values(const PacketHeader& header) {
  model::IncomingValues in(kClassBenchLayer);
  in.set(FieldId::kIpLocalAddress, header.source_address);
  in.set(FieldId::kIpRemoteAddress, header.destination_address);
  in.set(FieldId::kIpLocalPort, header.source_port);
  in.set(FieldId::kIpRemotePort, header.destination_port);
  in.set(FieldId::kIpProtocol, header.protocol);
  return in;
}

MatcherPolicy::MatcherPolicy(std::span<const ClassBenchRule> rules) {
  filters_.reserve(rules.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    model::Filter filter = to_filter(rules[i], i, rules.size());
    filter.id = i + 1;
    filter.effective_weight = filter.weight.value;  // WFP: FWP_UINT64 weights are used as is
    filters_.push_back(std::move(filter));
  }
}

std::vector<classify::MatchEntry> MatcherPolicy::entries() const {
  std::vector<classify::MatchEntry> result;
  result.reserve(filters_.size());
  for (const model::Filter& filter : filters_) result.push_back({&filter, 0});
  return result;
}

std::optional<std::uint32_t> first_match(const classify::LayerMatcher& matcher,
                                         const model::IncomingValues& in) {
  std::optional<std::uint32_t> rule;
  matcher.for_each_match(in, [&rule](const classify::MatchEntry& entry) {
    rule = MatcherPolicy::rule_index(*entry.filter);
    return classify::VisitNext::kStop;
  });
  return rule;
}

}  // namespace openfwp::bench
