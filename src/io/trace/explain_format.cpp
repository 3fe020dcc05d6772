// SPDX-License-Identifier: Apache-2.0
// Text and JSON renderings of a Decision.
#include "io/trace/explain_format.h"

#include "common/strings.h"
#include "model/value_text.h"

#include <fmt/format.h>

namespace openfwp::io::trace {
namespace {

std::string weight_hex(std::uint64_t weight) { return fmt::format("0x{:016x}", weight); }

}  // namespace

std::string explain_text(const model::IncomingValues& in, const engine::Decision& decision) {
  const auto& layer = model::layer_info(in.layer());
  std::string out = fmt::format("layer    {}\n", layer.wfp_name);
  bool any_value = false;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (std::holds_alternative<std::monostate>(in.at(i))) continue;
    const auto field = layer.fields[i];
    out += fmt::format("{:<9}{} = {}\n", any_value ? "" : "values",
                       model::field_info(field).wfp_name, model::format_value(field, in.at(i)));
    any_value = true;
  }
  if (!any_value) out += "values   (none set)\n";
  std::string verdict = ascii_upper(engine::outcome_name(decision.action));
  if (decision.filter_id) verdict += decision.hard ? " (hard)" : " (soft)";
  if (decision.veto) verdict += " (veto)";
  out += fmt::format("decision {}\n", verdict);
  out += fmt::format("why      {}\n", decision.summary);

  if (decision.sublayers.empty()) {
    out += "\nno filters at this layer\n";
    return out;
  }
  for (const auto& sublayer : decision.sublayers) {
    out += fmt::format("\nsublayer \"{}\" {} weight 0x{:04x}\n", sublayer.name,
                       sublayer.key.to_string(), sublayer.weight);
    if (sublayer.filters.empty()) {
      out += "  no matching filter\n";
      continue;
    }
    for (const auto& step : sublayer.filters) {
      std::string outcome(engine::outcome_name(step.outcome));
      if (step.outcome == engine::Outcome::kPermit || step.outcome == engine::Outcome::kBlock) {
        outcome = fmt::format("{} {}", step.hard ? "hard" : "soft", outcome);
      }
      out += fmt::format("  filter {:<6} {:<32} weight {}  {:<30} -> {}\n", step.filter_id,
                         fmt::format("\"{}\"", step.name), weight_hex(step.effective_weight),
                         model::action_type_name(step.action), outcome);
      if (!step.note.empty()) out += fmt::format("{:>10}{}\n", "", step.note);
    }
    if (sublayer.deciding) {
      out += fmt::format("  result: {} by filter {}; {}\n", engine::outcome_name(sublayer.result),
                         *sublayer.deciding, engine::effect_name(sublayer.effect));
    } else {
      out += "  result: no terminating filter (continue)\n";
    }
  }
  return out;
}

nlohmann::ordered_json explain_json(const model::IncomingValues& in,
                                    const engine::Decision& decision) {
  const auto& layer = model::layer_info(in.layer());
  nlohmann::ordered_json out;
  out["layer"] = layer.wfp_name;
  nlohmann::ordered_json incoming = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (std::holds_alternative<std::monostate>(in.at(i))) continue;
    const auto field = layer.fields[i];
    incoming[std::string(model::field_info(field).wfp_name)] = model::format_value(field, in.at(i));
  }
  out["incoming"] = incoming;
  out["action"] = engine::outcome_name(decision.action);
  out["hard"] = decision.hard;
  out["veto"] = decision.veto;
  out["filter_id"] = decision.filter_id ? nlohmann::ordered_json(*decision.filter_id)
                                        : nlohmann::ordered_json(nullptr);
  out["summary"] = decision.summary;
  nlohmann::ordered_json sublayers = nlohmann::ordered_json::array();
  for (const auto& sublayer : decision.sublayers) {
    nlohmann::ordered_json s;
    s["key"] = sublayer.key.to_string();
    s["name"] = sublayer.name;
    s["weight"] = sublayer.weight;
    s["result"] = engine::outcome_name(sublayer.result);
    s["effect"] = engine::effect_name(sublayer.effect);
    s["deciding_filter"] = sublayer.deciding ? nlohmann::ordered_json(*sublayer.deciding)
                                             : nlohmann::ordered_json(nullptr);
    nlohmann::ordered_json filters = nlohmann::ordered_json::array();
    for (const auto& step : sublayer.filters) {
      filters.push_back({{"id", step.filter_id},
                         {"name", step.name},
                         {"effective_weight", weight_hex(step.effective_weight)},
                         {"action", model::action_type_name(step.action)},
                         {"outcome", engine::outcome_name(step.outcome)},
                         {"hard", step.hard},
                         {"note", step.note}});
    }
    s["filters"] = filters;
    sublayers.push_back(s);
  }
  out["sublayers"] = sublayers;
  return out;
}

}  // namespace openfwp::io::trace
