// SPDX-License-Identifier: Apache-2.0
// Validation of management objects against the catalog and WFP's rules, before they reach the
// engine: the checks FwpmFilterAdd0 makes, with the same FWP_E_* codes.
#pragma once

#include "common/result.h"
#include "model/filter.h"

namespace openfwp::model {

/// Checks a filter on its own (not against other objects): name present, weight in range,
/// flags consistent with the action, every condition's field available at the layer (for
/// layers whose fields are catalogued), value type matching the field's type, and match type
/// compatible with the value (FWP_MATCH_TYPE rules). The error message names the filter.
Result<void> validate_filter(const Filter& filter);

/// Checks one condition at `layer`; the message names the field but not the filter.
Result<void> validate_condition(LayerId layer, const Condition& condition);

}  // namespace openfwp::model
