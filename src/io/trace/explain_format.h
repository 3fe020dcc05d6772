// SPDX-License-Identifier: Apache-2.0
// Renders a classification and its explanation for people (aligned text, in the spirit of
// OVS's ofproto/trace) and for scripts (JSON, stable keys).
#pragma once

#include "engine/decision.h"
#include "model/incoming_values.h"

#include <nlohmann/json.hpp>

#include <string>

namespace openfwp::io::trace {

/// Multi-line text: the layer, the incoming values that are set, the decision and why, then
/// every sublayer with its matching filters in arbitration order.
std::string explain_text(const model::IncomingValues& in, const engine::Decision& decision);

/// The same as one JSON object: {"layer", "incoming", "action", "hard", "veto", "filter_id",
/// "summary", "sublayers": [{"key","name","weight","result","effect","deciding_filter",
/// "filters": [{"id","name","effective_weight","action","outcome","hard","note"}]}]}.
nlohmann::ordered_json explain_json(const model::IncomingValues& in,
                                    const engine::Decision& decision);

}  // namespace openfwp::io::trace
