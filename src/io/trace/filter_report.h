// SPDX-License-Identifier: Apache-2.0
// Reports about one filter, for people and scripts: "why not" (`fwp explain --expect F`: is it
// at this layer, each condition against the incoming values, the first failing field group,
// and if everything matched why it still did not decide) and the filter card of `fwp event`
// (provider, sublayer, action, flags, weights, conditions, rank, what outranks it).
#pragma once

#include "classify/filter_evaluation.h"
#include "engine/decision.h"
#include "engine/snapshot.h"
#include "engine/standing.h"
#include "model/incoming_values.h"

#include <nlohmann/json.hpp>

#include <string>

namespace openfwp::io::trace {

/// "FWPM_CONDITION_IP_REMOTE_PORT FWP_MATCH_EQUAL 23" (ranges as "[low, high]").
std::string condition_text(const model::Condition& condition);

/// "why not" for `filter` after classifying `in` (explained `decision`). `snapshot` supplies
/// names of sublayers and of the filters that took precedence. Lines start with `indent`.
std::string expect_text(const engine::Snapshot& snapshot, const engine::FilterRank& rank,
                        const model::IncomingValues& in, const engine::Decision& decision,
                        std::string_view indent = "");
/// The same as JSON: {"filter_id","name","layer","at_this_layer","enabled","matches",
/// "groups": [{"field","incoming","field_at_layer","matched","conditions":[{"index","match",
/// "value","matched"}]}], "first_failing": {...} | null, "standing", "by", "conclusion"}.
nlohmann::ordered_json expect_json(const engine::Snapshot& snapshot, const engine::FilterRank& rank,
                                   const model::IncomingValues& in,
                                   const engine::Decision& decision);

/// The filter card of `fwp event`: identity, provider, layer, sublayer and its rank, action,
/// flags, weight as written and effective, conditions, rank in its sublayer, what outranks it.
std::string filter_card_text(const engine::Snapshot& snapshot, const engine::FilterRank& rank);
nlohmann::ordered_json filter_card_json(const engine::Snapshot& snapshot,
                                        const engine::FilterRank& rank);

}  // namespace openfwp::io::trace
