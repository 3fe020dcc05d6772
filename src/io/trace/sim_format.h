// SPDX-License-Identifier: Apache-2.0
// Simulator traces as text (grouped by host, the way the founding document writes its lists)
// and JSON lines (interfaces.md, "Trace").
#pragma once

#include "stack/trace.h"

#include <nlohmann/json.hpp>

#include <string>

namespace openfwp::io::trace {

std::string trace_text(const stack::Trace& trace);
/// One record as a line of the text trace (indented, newline-terminated).
std::string trace_record_line(const stack::TraceRecord& record);
/// One record as the JSON object of a jsonl trace.
nlohmann::ordered_json trace_record_json(const stack::TraceRecord& record);
std::string trace_jsonl(const stack::Trace& trace);

}  // namespace openfwp::io::trace
