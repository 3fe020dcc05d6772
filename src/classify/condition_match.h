// SPDX-License-Identifier: Apache-2.0
// FWP_MATCH_* semantics: does one condition hold for an incoming value, and does a filter's
// condition list hold for a set of incoming values. Shared by every matcher, so the reference
// and the fast matcher cannot disagree on what a condition means.
//
// WFP: FWPM_FILTER0 — conditions on different fields are AND'ed; since Windows 7, conditions
// with the same field key are OR'ed. openfwp OR's all conditions on one field wherever they
// appear (the BFE keeps a filter's conditions grouped by field).
#pragma once

#include "model/filter.h"
#include "model/incoming_values.h"

#include <optional>

namespace openfwp::classify {

/// True if `condition` holds for `incoming`. An empty (unset) incoming value matches no
/// condition, whatever the match type: WFP compares FWP_EMPTY with nothing.
bool condition_matches(const model::Condition& condition, const model::Value& incoming);

/// True if every field named by the filter's conditions has at least one condition that holds.
bool filter_matches(const model::Filter& filter, const model::IncomingValues& in);

/// For "why not": the index of the first condition of the first field group that fails, or
/// nullopt when the filter matches.
std::optional<std::size_t> first_failing_condition(const model::Filter& filter,
                                                   const model::IncomingValues& in);

}  // namespace openfwp::classify
