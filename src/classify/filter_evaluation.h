// SPDX-License-Identifier: Apache-2.0
// "Why not": a filter's conditions evaluated one by one against a set of incoming values, with
// the verdict of each field group. The matchers only need a yes/no (filter_matches); people
// asking why a filter did not match need every condition, the incoming value it saw and the
// first group that failed. Same semantics as condition_match.h, so the two cannot disagree.
//
// WFP: FWPM_FILTER0 — conditions with the same field key are OR'ed, different fields AND'ed;
// the report is therefore grouped by field, groups in the order their first condition appears.
#pragma once

#include "model/filter.h"
#include "model/incoming_values.h"

#include <cstddef>
#include <optional>
#include <vector>

namespace openfwp::classify {

/// One condition of the filter, evaluated.
struct ConditionResult {
  std::size_t index = 0;  ///< position in Filter::conditions
  bool matched = false;
};

/// All conditions of the filter on one field (OR'ed).
struct FieldGroupResult {
  model::FieldId field{};
  /// The layer of the incoming values has this field at all (a filter for another layer may
  /// name fields this layer lacks).
  bool field_at_layer = false;
  /// The incoming value; std::monostate when the layer has the field but it is not set
  /// ("absent"), or when the layer lacks the field.
  model::Value incoming;
  std::vector<ConditionResult> conditions;  ///< in filter order
  bool matched = false;                     ///< at least one condition held
};

/// The whole filter, evaluated. Groups are in the order of their first condition.
struct FilterEvaluation {
  std::vector<FieldGroupResult> groups;
  /// The first group that failed (index into `groups`), or nullopt when the filter matches.
  std::optional<std::size_t> first_failing_group;
  bool matches() const { return !first_failing_group.has_value(); }
};

/// Evaluates every condition of `filter` against `in` (no short-circuit: every condition gets a
/// result). Pure function; never fails. A filter without conditions matches everything.
/// Agrees with filter_matches() and first_failing_condition(): the first condition of
/// groups[*first_failing_group] is first_failing_condition().
FilterEvaluation evaluate_filter(const model::Filter& filter, const model::IncomingValues& in);

}  // namespace openfwp::classify
