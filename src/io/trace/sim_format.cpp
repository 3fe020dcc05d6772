// SPDX-License-Identifier: Apache-2.0
#include "io/trace/sim_format.h"

#include <fmt/format.h>

namespace openfwp::io::trace {

std::string trace_record_line(const stack::TraceRecord& r) {
  const std::string time = fmt::format("{:>9.3f} ms", static_cast<double>(r.time_us) / 1000.0);
  if (!r.layer) {
    return fmt::format("  {}  {:<10} -- {}{}\n", time, r.event, r.note,
                       r.packet ? fmt::format("  packet {}", *r.packet) : std::string());
  }
  std::string line = fmt::format("  {}  {:<10} {:<44} {:<6}", time, r.event,
                                 model::layer_info(*r.layer).wfp_name, r.action);
  line += r.filter_id ? fmt::format(" filter {}", *r.filter_id) : std::string(" default");
  if (r.flow) line += fmt::format("  flow {}", *r.flow);
  if (r.packet) line += fmt::format("  packet {}", *r.packet);
  if (r.reauth) line += "  reauth";
  if (!r.note.empty()) line += "  (" + r.note + ")";
  return line + "\n";
}

std::string trace_text(const stack::Trace& trace) {
  std::string out;
  std::string current_host;
  for (const auto& r : trace) {
    if (r.host != current_host) {
      out += fmt::format("{}{}\n", out.empty() ? "" : "\n", r.host);
      current_host = r.host;
    }
    out += trace_record_line(r);
  }
  return out;
}

nlohmann::ordered_json trace_record_json(const stack::TraceRecord& r) {
  nlohmann::ordered_json j;
  j["seq"] = r.seq;
  j["time_us"] = r.time_us;
  if (r.packet) j["packet"] = *r.packet;
  j["host"] = r.host;
  j["event"] = r.event;
  if (r.layer) {
    j["layer"] = model::layer_info(*r.layer).wfp_name;
    j["action"] = r.action;
    j["filter_id"] = r.filter_id ? nlohmann::ordered_json(*r.filter_id) : nullptr;
    j["flow"] = r.flow ? nlohmann::ordered_json(*r.flow) : nullptr;
    j["reauth"] = r.reauth;
  } else {
    j["layer"] = nullptr;
  }
  if (!r.note.empty()) j["note"] = r.note;
  return j;
}

std::string trace_jsonl(const stack::Trace& trace) {
  std::string out;
  for (const auto& r : trace) out += trace_record_json(r).dump() + "\n";
  return out;
}

}  // namespace openfwp::io::trace
