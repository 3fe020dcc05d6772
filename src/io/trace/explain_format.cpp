// SPDX-License-Identifier: Apache-2.0
// Text and JSON renderings of a Decision.
#include "io/trace/explain_format.h"

#include "common/strings.h"
#include "model/value_text.h"

#include <fmt/format.h>

namespace openfwp::io::trace {
namespace {

using engine::Effect;
using engine::Outcome;
using engine::Reason;

std::string weight_hex(std::uint64_t weight) { return fmt::format("0x{:016x}", weight); }

const engine::FilterStep* find_step(const engine::SublayerStep& sublayer, std::uint64_t id) {
  for (const auto& step : sublayer.filters) {
    if (step.filter_id == id) return &step;
  }
  return nullptr;
}

std::string strength(const engine::FilterStep* step, Outcome outcome) {
  if (step == nullptr) return std::string(engine::outcome_name(outcome));
  return fmt::format("{} {}", step->hard ? "hard" : "soft", engine::outcome_name(outcome));
}

// What the sublayer's result did to the layer's decision; `holder` is the filter whose action
// stood before this sublayer (and `holder_hard` whether it had cleared the action right).
std::string sublayer_result(const engine::SublayerStep& sublayer,
                            std::optional<std::uint64_t> holder, std::string_view holder_action) {
  if (!sublayer.deciding) {
    return sublayer.filters.empty() ? "no matching filter; continue"
                                    : "no terminating filter; continue";
  }
  const auto* step = find_step(sublayer, *sublayer.deciding);
  const std::string what =
      fmt::format("{} by filter {}", strength(step, sublayer.result), *sublayer.deciding);
  const bool clears = step != nullptr && step->hard;
  switch (sublayer.effect) {
    case Effect::kDecided:
      return fmt::format("{}: first decision of the layer{}", what,
                         clears ? "; it clears the action right" : "; the action right stays set");
    case Effect::kOverrode:
      return fmt::format("{}: replaces the soft {} of filter {} (the action right was still set){}",
                         what, holder_action, holder.value_or(0),
                         clears ? "; it clears the action right" : "");
    case Effect::kIgnoredHard:
      return fmt::format("{}: ignored, filter {} already cleared the action right", what,
                         holder.value_or(0));
    case Effect::kVeto:
      return fmt::format("{}: VETO, a callout block overrides the hard permit of filter {}", what,
                         holder.value_or(0));
    case Effect::kNone:
      break;
  }
  return what;
}

std::string reason_sentence(const engine::Decision& decision);

}  // namespace

std::string verdict_text(const engine::Decision& decision) {
  std::string verdict = ascii_upper(engine::outcome_name(decision.action));
  if (!decision.filter_id) return verdict + " by the layer default";
  verdict += decision.veto ? " (veto)" : decision.hard ? " (hard)" : " (soft)";
  return fmt::format("{} by filter {} \"{}\" in sublayer \"{}\" (weight 0x{:04x})", verdict,
                     *decision.filter_id, decision.filter_name, decision.sublayer_name,
                     decision.sublayer_weight);
}

namespace {

// Weight order: how many matching filters of the deciding sublayer the decider outranked.
std::string outranked_suffix(const engine::Decision& decision) {
  if (!decision.filter_id) return {};
  for (const auto& sublayer : decision.sublayers) {
    if (sublayer.deciding != decision.filter_id) continue;
    std::size_t skipped = 0;
    for (const auto& step : sublayer.filters) skipped += step.outcome == Outcome::kNotEvaluated;
    if (skipped == 0) return {};
    return fmt::format(
        "; by weight order it was the first terminating match of its sublayer, and {} "
        "lower-weight matching filter{} there {} not evaluated",
        skipped, skipped == 1 ? "" : "s", skipped == 1 ? "was" : "were");
  }
  return {};
}

}  // namespace

std::string reason_text(const engine::Decision& decision) {
  std::string text = reason_sentence(decision);
  return text + outranked_suffix(decision);
}

namespace {

std::string reason_sentence(const engine::Decision& decision) {
  const std::string_view action = engine::outcome_name(decision.action);
  switch (decision.reason) {
    case Reason::kLayerDefault: {
      bool matched = false;
      for (const auto& sublayer : decision.sublayers)
        matched = matched || !sublayer.filters.empty();
      return matched ? "no matching filter returned permit or block; the layer default (permit) "
                       "applies"
                     : "no filter matched; the layer default (permit) applies";
    }
    case Reason::kHard:
      if (decision.action == Outcome::kPermit) {
        return decision.from_callout
                   ? "hard permit: the callout cleared the action right, so no lower sublayer "
                     "can override it (only a callout veto could)"
                   : "hard permit: the filter has FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT, so no "
                     "lower sublayer can override it (only a callout veto could)";
      }
      return decision.from_callout
                 ? "hard block: the callout cleared the action right; lower sublayers cannot "
                   "override it"
                 : "hard block: a filter block always clears the action right; lower sublayers "
                   "cannot override it";
    case Reason::kSoft:
      return fmt::format(
          "soft {}: the action right stayed set, but no lower sublayer had a terminating match "
          "to override it",
          action);
    case Reason::kOverride:
      return fmt::format(
          "soft {} of a lower sublayer: it replaced the soft decision of filter {} (while the "
          "action right is set, the last sublayer to decide wins)",
          action, decision.superseded_filter.value_or(0));
    case Reason::kVeto:
      return fmt::format(
          "callout veto: the callout returned block over the hard permit of filter {} (WFP "
          "audits this conflict)",
          decision.superseded_filter.value_or(0));
  }
  return decision.summary;
}

}  // namespace

std::string explain_text(const model::IncomingValues& in, const engine::Decision& decision,
                         std::string_view indent) {
  const auto& layer = model::layer_info(in.layer());
  std::string out;
  auto line = [&](const std::string& text) {
    out += text.empty() ? std::string("\n") : fmt::format("{}{}\n", indent, text);
  };
  int phase = 1;
  line(fmt::format("Phase {}: input", phase++));
  line(fmt::format("  layer  {} (run-time id {})", layer.wfp_name, layer.runtime_id));
  bool any_value = false;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (std::holds_alternative<std::monostate>(in.at(i))) continue;
    const auto field = layer.fields[i];
    line(fmt::format("  {:<40} = {}", model::field_info(field).wfp_name,
                     model::format_value(field, in.at(i))));
    any_value = true;
  }
  if (!any_value) line("  (no incoming values set)");

  if (decision.sublayers.empty()) {
    line("");
    line(fmt::format("Phase {}: filters", phase));
    line("  no filters at this layer");
  }
  std::optional<std::uint64_t> holder;
  std::string holder_action;
  const auto count = decision.sublayers.size();
  for (std::size_t rank = 0; rank < count; ++rank) {
    const auto& sublayer = decision.sublayers[rank];
    line("");
    line(fmt::format("Phase {}: sublayer \"{}\" {} weight 0x{:04x} ({} of {})", phase++,
                     sublayer.name, sublayer.key.to_string(), sublayer.weight, rank + 1, count));
    for (const auto& step : sublayer.filters) {
      std::string outcome(engine::outcome_name(step.outcome));
      if (step.outcome == Outcome::kPermit || step.outcome == Outcome::kBlock) {
        outcome = fmt::format("{} {}", step.hard ? "hard" : "soft", outcome);
      }
      line(fmt::format("  filter {:<6} {:<34} weight {}  {:<30} -> {}", step.filter_id,
                       fmt::format("\"{}\"", step.name), weight_hex(step.effective_weight),
                       model::action_type_name(step.action), outcome));
      if (!step.note.empty()) line(fmt::format("{:>10}{}", "", step.note));
    }
    line(fmt::format("  Result: {}", sublayer_result(sublayer, holder, holder_action)));
    if (sublayer.effect == Effect::kDecided || sublayer.effect == Effect::kOverrode ||
        sublayer.effect == Effect::kVeto) {
      holder = sublayer.deciding;
      holder_action = engine::outcome_name(sublayer.result);
    }
  }
  line("");
  line(fmt::format("Verdict: {}", verdict_text(decision)));
  line(fmt::format("  reason: {}", reason_text(decision)));
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
  out["reason"] = engine::reason_name(decision.reason);
  out["reason_text"] = reason_text(decision);
  if (decision.filter_id) {
    out["deciding"] = {
        {"filter_id", *decision.filter_id},
        {"name", decision.filter_name},
        {"sublayer", decision.sublayer_name},
        {"sublayer_weight", decision.sublayer_weight},
        {"from_callout", decision.from_callout},
        {"superseded_filter", decision.superseded_filter
                                  ? nlohmann::ordered_json(*decision.superseded_filter)
                                  : nlohmann::ordered_json(nullptr)}};
  } else {
    out["deciding"] = nullptr;
  }
  nlohmann::ordered_json sublayers = nlohmann::ordered_json::array();
  std::size_t rank = 0;
  for (const auto& sublayer : decision.sublayers) {
    nlohmann::ordered_json s;
    s["key"] = sublayer.key.to_string();
    s["name"] = sublayer.name;
    s["weight"] = sublayer.weight;
    s["rank"] = rank++;
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
