// SPDX-License-Identifier: Apache-2.0
// Text and JSON for "why not" and for the filter card of audit events.
#include "io/trace/filter_report.h"

#include "io/trace/explain_format.h"
#include "model/value_text.h"

#include <fmt/format.h>

namespace openfwp::io::trace {
namespace {

using engine::Standing;

std::string value_list_text(model::FieldId field, const model::ConditionValue& value) {
  const auto parts = model::format_condition_value(field, value);
  if (parts.size() == 1) return parts[0];
  std::string out = "[";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : ", ") + parts[i];
  return out + "]";
}

std::string incoming_text(const classify::FieldGroupResult& group, model::LayerId layer) {
  if (!group.field_at_layer) {
    return fmt::format("not a field of {}", model::layer_info(layer).wfp_name);
  }
  if (std::holds_alternative<std::monostate>(group.incoming)) return "absent";
  return model::format_value(group.field, group.incoming);
}

std::string filter_ref(const engine::Snapshot& snapshot, std::uint64_t id) {
  const model::Filter* f = snapshot.store().find_filter(id);
  return f == nullptr ? fmt::format("filter {}", id) : fmt::format("filter {} \"{}\"", id, f->name);
}

std::string weight_written(const model::Weight& weight) {
  switch (weight.kind) {
    case model::Weight::Kind::kEmpty:
      return "FWP_EMPTY (automatic)";
    case model::Weight::Kind::kUint8:
      return fmt::format("FWP_UINT8 {} (weight range {})", weight.value, weight.value);
    case model::Weight::Kind::kUint64:
      return fmt::format("FWP_UINT64 {}", weight.value);
  }
  return "?";
}

std::string flags_text(std::uint32_t flags) {
  const auto names = model::filter_flag_names(flags);
  if (names.empty()) return "none";
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : " | ") + name;
  return out;
}

// Why the filter did (not) decide, one sentence.
std::string conclusion(const engine::Snapshot& snapshot, const engine::FilterRank& rank,
                       const model::IncomingValues& in, const engine::Decision& decision,
                       const classify::FilterEvaluation& evaluation,
                       const engine::FilterStanding& standing) {
  const model::Filter& filter = *rank.filter;
  if (filter.layer != in.layer()) {
    return fmt::format("filter {} is at {}, not at {}: it takes no part in this classification",
                       filter.id, model::layer_info(filter.layer).wfp_name,
                       model::layer_info(in.layer()).wfp_name);
  }
  if (!evaluation.matches()) {
    return fmt::format("filter {} does not match these values, so it takes no part in arbitration",
                       filter.id);
  }
  if (!rank.enabled) {
    return fmt::format(
        "all conditions match, but filter {} is disabled (FWPM_FILTER_FLAG_DISABLED): it is "
        "never classified",
        filter.id);
  }
  switch (standing.standing) {
    case Standing::kDecided:
      return fmt::format("all conditions match and filter {} decides: {}", filter.id,
                         verdict_text(decision));
    case Standing::kNotEvaluated: {
      const model::Filter* by = standing.by ? snapshot.store().find_filter(*standing.by) : nullptr;
      return fmt::format(
          "all conditions match, but {} (effective weight 0x{:016x}) outranks it in sublayer "
          "\"{}\" and returned {} first; WFP does not evaluate the rest of a sublayer",
          filter_ref(snapshot, standing.by.value_or(0)), by ? by->effective_weight : 0,
          standing.sublayer->name, engine::outcome_name(standing.sublayer->result));
    }
    case Standing::kContinued:
      return fmt::format(
          "all conditions match, but filter {} returned continue{}", filter.id,
          standing.step->note.empty() ? std::string() : " (" + standing.step->note + ")");
    case Standing::kIgnoredHard:
      return fmt::format(
          "all conditions match and filter {} returned {}, but {} in the higher sublayer \"{}\" "
          "had already made a hard decision (the action right was cleared)",
          filter.id, engine::outcome_name(standing.step->outcome),
          filter_ref(snapshot, standing.by.value_or(0)), decision.sublayer_name);
    case Standing::kOverridden:
      return fmt::format(
          "all conditions match and filter {} returned a soft {}, but {} in sublayer \"{}\" "
          "replaced it ({})",
          filter.id, engine::outcome_name(standing.step->outcome),
          filter_ref(snapshot, standing.by.value_or(0)), decision.sublayer_name,
          decision.veto ? "callout veto" : "the action right was still set");
    case Standing::kNotMatched:
      break;
  }
  return fmt::format("all conditions match, but filter {} was not classified", filter.id);
}

}  // namespace

std::string condition_text(const model::Condition& condition) {
  return fmt::format("{} {} {}", model::field_info(condition.field).wfp_name,
                     model::match_type_name(condition.match),
                     value_list_text(condition.field, condition.value));
}

std::string expect_text(const engine::Snapshot& snapshot, const engine::FilterRank& rank,
                        const model::IncomingValues& in, const engine::Decision& decision,
                        std::string_view indent) {
  const model::Filter& filter = *rank.filter;
  std::string out;
  auto line = [&](const std::string& text) {
    out += text.empty() ? std::string("\n") : fmt::format("{}{}\n", indent, text);
  };
  line(fmt::format("Expect: filter {} \"{}\" {}", filter.id, filter.name, filter.key.to_string()));
  line(fmt::format("  sublayer \"{}\" weight 0x{:04x}, effective weight 0x{:016x}, {}{}",
                   rank.sublayer->name, rank.sublayer->weight, filter.effective_weight,
                   model::action_type_name(filter.action), rank.enabled ? "" : ", DISABLED"));
  if (filter.layer == in.layer()) {
    line(fmt::format("  layer    {} (this layer)", model::layer_info(filter.layer).wfp_name));
  } else {
    line(fmt::format(
        "  layer    {}: NOT this layer ({}); conditions are shown against this "
        "layer's values for reference",
        model::layer_info(filter.layer).wfp_name, model::layer_info(in.layer()).wfp_name));
  }
  const auto evaluation = classify::evaluate_filter(filter, in);
  if (evaluation.groups.empty()) {
    line("  conditions: none (matches everything)");
  } else {
    line("  conditions (OR within a field, AND across fields):");
  }
  for (const auto& group : evaluation.groups) {
    line(fmt::format("    {} (incoming {}): {}", model::field_info(group.field).wfp_name,
                     incoming_text(group, in.layer()), group.matched ? "match" : "NO MATCH"));
    for (const auto& c : group.conditions) {
      const auto& condition = filter.conditions[c.index];
      line(fmt::format("      [{}] {:<36} -> {}", c.index,
                       fmt::format("{} {}", model::match_type_name(condition.match),
                                   value_list_text(condition.field, condition.value)),
                       c.matched ? "pass" : "fail"));
    }
  }
  if (evaluation.first_failing_group) {
    const auto& group = evaluation.groups[*evaluation.first_failing_group];
    const auto index = group.conditions.front().index;
    line(fmt::format("  first failing condition: [{}] {}; incoming value {}", index,
                     condition_text(filter.conditions[index]), incoming_text(group, in.layer())));
  }
  const auto standing = engine::filter_standing(decision, filter.id);
  line(fmt::format("  Conclusion: {}",
                   conclusion(snapshot, rank, in, decision, evaluation, standing)));
  return out;
}

nlohmann::ordered_json expect_json(const engine::Snapshot& snapshot, const engine::FilterRank& rank,
                                   const model::IncomingValues& in,
                                   const engine::Decision& decision) {
  const model::Filter& filter = *rank.filter;
  const auto evaluation = classify::evaluate_filter(filter, in);
  const auto standing = engine::filter_standing(decision, filter.id);
  nlohmann::ordered_json out;
  out["filter_id"] = filter.id;
  out["name"] = filter.name;
  out["layer"] = model::layer_info(filter.layer).wfp_name;
  out["at_this_layer"] = filter.layer == in.layer();
  out["enabled"] = rank.enabled;
  out["matches"] = evaluation.matches();
  nlohmann::ordered_json groups = nlohmann::ordered_json::array();
  for (const auto& group : evaluation.groups) {
    nlohmann::ordered_json conditions = nlohmann::ordered_json::array();
    for (const auto& c : group.conditions) {
      const auto& condition = filter.conditions[c.index];
      conditions.push_back(
          {{"index", c.index},
           {"match", model::match_type_name(condition.match)},
           {"value", model::format_condition_value(condition.field, condition.value)},
           {"matched", c.matched}});
    }
    const bool absent = std::holds_alternative<std::monostate>(group.incoming);
    groups.push_back({{"field", model::field_info(group.field).wfp_name},
                      {"incoming", absent ? nlohmann::ordered_json(nullptr)
                                          : nlohmann::ordered_json(
                                                model::format_value(group.field, group.incoming))},
                      {"field_at_layer", group.field_at_layer},
                      {"matched", group.matched},
                      {"conditions", conditions}});
  }
  out["groups"] = groups;
  if (evaluation.first_failing_group) {
    const auto& group = evaluation.groups[*evaluation.first_failing_group];
    const auto index = group.conditions.front().index;
    out["first_failing"] = {{"index", index},
                            {"condition", condition_text(filter.conditions[index])},
                            {"incoming", incoming_text(group, in.layer())}};
  } else {
    out["first_failing"] = nullptr;
  }
  out["standing"] = engine::standing_name(standing.standing);
  out["by"] = standing.by ? nlohmann::ordered_json(*standing.by) : nlohmann::ordered_json(nullptr);
  out["conclusion"] = conclusion(snapshot, rank, in, decision, evaluation, standing);
  return out;
}

std::string filter_card_text(const engine::Snapshot& snapshot, const engine::FilterRank& rank) {
  const model::Filter& filter = *rank.filter;
  const auto& store = snapshot.store();
  std::string out = fmt::format("Filter {} \"{}\"\n", filter.id, filter.name);
  out += fmt::format("  key        {}\n", filter.key.to_string());
  if (!filter.description.empty()) out += fmt::format("  description {}\n", filter.description);
  const model::Provider* provider =
      filter.provider ? store.find_provider(*filter.provider) : nullptr;
  out += provider != nullptr
             ? fmt::format("  provider   \"{}\" {}\n", provider->name, provider->key.to_string())
             : std::string("  provider   none\n");
  const auto& layer = model::layer_info(filter.layer);
  out += fmt::format("  layer      {} (run-time id {})\n", layer.wfp_name, layer.runtime_id);
  out += fmt::format("  sublayer   \"{}\" {} weight 0x{:04x}: sublayer {} of {} at this layer\n",
                     rank.sublayer->name, rank.sublayer->key.to_string(), rank.sublayer->weight,
                     rank.sublayer_rank + 1, rank.sublayer_count);
  std::string action(model::action_type_name(filter.action));
  if (filter.callout) {
    const model::Callout* callout = store.find_callout(*filter.callout);
    action += fmt::format(" (callout \"{}\" {})", callout ? callout->name : "?",
                          filter.callout->to_string());
  }
  out += fmt::format("  action     {}\n", action);
  out += fmt::format("  flags      {}\n", flags_text(filter.flags));
  out += fmt::format("  weight     {}; effective 0x{:016x}\n", weight_written(filter.weight),
                     filter.effective_weight);
  out += fmt::format("  rank       {} of {} in its sublayer{}\n", rank.rank_in_sublayer + 1,
                     rank.filters_in_sublayer, rank.enabled ? "" : " (DISABLED: never classified)");
  if (filter.conditions.empty()) {
    out += "  conditions none (matches everything at its layer)\n";
  } else {
    out += "  conditions (OR within a field, AND across fields)\n";
    for (const auto& condition : filter.conditions) {
      out += fmt::format("    {}\n", condition_text(condition));
    }
  }
  if (rank.outranked_by.empty() && rank.higher_sublayers.empty()) {
    out += "  outranked by nothing: it is the first filter evaluated at its layer\n";
  } else {
    out += "  outranked by\n";
    for (const auto& [sublayer, count] : rank.higher_sublayers) {
      out += fmt::format(
          "    sublayer \"{}\" weight 0x{:04x} ({} filter{}) is evaluated first: its hard "
          "decisions stand\n",
          sublayer->name, sublayer->weight, count, count == 1 ? "" : "s");
    }
    for (const auto* other : rank.outranked_by) {
      out += fmt::format(
          "    filter {} \"{}\" effective weight 0x{:016x} {} (same sublayer, "
          "evaluated first)\n",
          other->id, other->name, other->effective_weight, model::action_type_name(other->action));
    }
  }
  return out;
}

nlohmann::ordered_json filter_card_json(const engine::Snapshot& snapshot,
                                        const engine::FilterRank& rank) {
  const model::Filter& filter = *rank.filter;
  const auto& store = snapshot.store();
  nlohmann::ordered_json out;
  out["id"] = filter.id;
  out["key"] = filter.key.to_string();
  out["name"] = filter.name;
  const model::Provider* provider =
      filter.provider ? store.find_provider(*filter.provider) : nullptr;
  out["provider"] = provider != nullptr ? nlohmann::ordered_json{{"key", provider->key.to_string()},
                                                                 {"name", provider->name}}
                                        : nlohmann::ordered_json(nullptr);
  out["layer"] = model::layer_info(filter.layer).wfp_name;
  out["sublayer"] = {{"key", rank.sublayer->key.to_string()},
                     {"name", rank.sublayer->name},
                     {"weight", rank.sublayer->weight},
                     {"rank", rank.sublayer_rank},
                     {"count", rank.sublayer_count}};
  out["action"] = model::action_type_name(filter.action);
  out["callout"] = filter.callout ? nlohmann::ordered_json(filter.callout->to_string())
                                  : nlohmann::ordered_json(nullptr);
  out["flags"] = model::filter_flag_names(filter.flags);
  out["enabled"] = rank.enabled;
  out["weight"] = weight_written(filter.weight);
  out["effective_weight"] = fmt::format("0x{:016x}", filter.effective_weight);
  out["rank_in_sublayer"] = rank.rank_in_sublayer;
  out["filters_in_sublayer"] = rank.filters_in_sublayer;
  nlohmann::ordered_json conditions = nlohmann::ordered_json::array();
  for (const auto& condition : filter.conditions) conditions.push_back(condition_text(condition));
  out["conditions"] = conditions;
  nlohmann::ordered_json higher = nlohmann::ordered_json::array();
  for (const auto& [sublayer, count] : rank.higher_sublayers) {
    higher.push_back({{"name", sublayer->name}, {"weight", sublayer->weight}, {"filters", count}});
  }
  out["higher_sublayers"] = higher;
  nlohmann::ordered_json outranked = nlohmann::ordered_json::array();
  for (const auto* other : rank.outranked_by) {
    outranked.push_back({{"id", other->id}, {"name", other->name}});
  }
  out["outranked_by"] = outranked;
  return out;
}

}  // namespace openfwp::io::trace
