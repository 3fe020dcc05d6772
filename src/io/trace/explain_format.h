// SPDX-License-Identifier: Apache-2.0
// Renders a classification and its explanation for people (phases and a verdict, in the spirit
// of Cisco's packet-tracer and OVS's ofproto/trace) and for scripts (JSON, stable keys).
#pragma once

#include "engine/decision.h"
#include "model/incoming_values.h"

#include <nlohmann/json.hpp>

#include <string>

namespace openfwp::io::trace {

/// Multi-line text: phase 1 the layer and the incoming values that are set; one phase per
/// sublayer in arbitration order, one line per matching filter (id, name, effective weight,
/// action, outcome) and the sublayer's result and effect; then the verdict: the action, the
/// deciding filter, its sublayer and the reason it stands. Every line starts with `indent`.
std::string explain_text(const model::IncomingValues& in, const engine::Decision& decision,
                         std::string_view indent = "");

/// The verdict line alone ("PERMIT (hard) by filter 1 "x" in sublayer "admin" (weight 0xf000)").
std::string verdict_text(const engine::Decision& decision);

/// Why the decision stands, one sentence (hard permit, hard block, soft, override, veto,
/// default).
std::string reason_text(const engine::Decision& decision);

/// The same as one JSON object: {"layer", "incoming", "action", "hard", "veto", "filter_id",
/// "summary", "reason", "reason_text", "deciding": {"filter_id","name","sublayer",
/// "sublayer_weight","from_callout","superseded_filter"} | null, "sublayers": [{"key","name",
/// "weight","rank","result","effect","deciding_filter","filters": [{"id","name",
/// "effective_weight","action","outcome","hard","note"}]}]}.
nlohmann::ordered_json explain_json(const model::IncomingValues& in,
                                    const engine::Decision& decision);

}  // namespace openfwp::io::trace
