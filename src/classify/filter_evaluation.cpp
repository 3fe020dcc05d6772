// SPDX-License-Identifier: Apache-2.0
// Condition-by-condition evaluation of one filter, for explanations.
#include "classify/filter_evaluation.h"

#include "classify/condition_match.h"

namespace openfwp::classify {

FilterEvaluation evaluate_filter(const model::Filter& filter, const model::IncomingValues& in) {
  FilterEvaluation evaluation;
  const auto& conditions = filter.conditions;
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    const model::FieldId field = conditions[i].field;
    FieldGroupResult* group = nullptr;
    for (auto& g : evaluation.groups) {
      if (g.field == field) group = &g;
    }
    if (group == nullptr) {
      FieldGroupResult fresh;
      fresh.field = field;
      const model::Value* value = in.get(field);
      fresh.field_at_layer = value != nullptr;
      if (value != nullptr) fresh.incoming = *value;
      evaluation.groups.push_back(std::move(fresh));
      group = &evaluation.groups.back();
    }
    // condition_matches is false for an unset (monostate) value, whatever the match type.
    const bool matched = group->field_at_layer && condition_matches(conditions[i], group->incoming);
    group->conditions.push_back({i, matched});
    group->matched = group->matched || matched;
  }
  for (std::size_t g = 0; g < evaluation.groups.size(); ++g) {
    if (!evaluation.groups[g].matched) {
      evaluation.first_failing_group = g;
      break;
    }
  }
  return evaluation;
}

}  // namespace openfwp::classify
