// SPDX-License-Identifier: Apache-2.0
// `fwp event FILTER_ID LAYER_ID --policy P [FIELD=VALUE…]`: resolve a Windows audit event
// (Security log 5152/5157: "Filter Run-Time ID", "Layer Run-Time ID") or an FWPM_NET_EVENT to
// the filter, its provider, sublayer and layer, explain where the filter stands, and — given
// the event's values — re-run the classification and confirm whether this filter decides.
#include "cli/cli_common.h"
#include "engine/standing.h"
#include "io/trace/explain_format.h"
#include "io/trace/filter_report.h"
#include "stack/host.h"

#include <fmt/format.h>

#include <charconv>

namespace openfwp::cli {
namespace {

struct EventArgs {
  std::string filter_id;
  std::string layer_id;
  std::string policy_path;
  std::vector<std::string> values;
  OutputOptions output;
};

std::optional<std::uint64_t> parse_number(std::string_view text) {
  std::uint64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

Result<model::LayerId> resolve_layer(const std::string& text) {
  if (auto number = parse_number(text)) {
    if (*number <= 0xffff) {
      if (auto layer = model::find_layer_by_runtime_id(static_cast<std::uint16_t>(*number))) {
        return *layer;
      }
    }
    return fail(ErrorCode::kLayerNotFound,
                fmt::format("LAYER_ID {}: no layer has this run-time id (FWP_E_LAYER_NOT_FOUND; "
                            "see `fwp show layers`)",
                            text));
  }
  if (auto layer = model::find_layer(text)) return *layer;
  return fail(ErrorCode::kLayerNotFound,
              fmt::format("LAYER_ID: {}", model::unknown_layer_message(text)));
}

// How the event's layer relates to the filter's, one sentence.
std::string layer_relation(model::LayerId event_layer, const model::Filter& filter) {
  const auto& e = model::layer_info(event_layer);
  const auto& f = model::layer_info(filter.layer);
  if (event_layer == filter.layer) {
    return fmt::format("the event's layer is the filter's layer, {}", f.wfp_name);
  }
  if (model::non_discard_layer_of(event_layer) == filter.layer) {
    // WFP: a packet dropped at a layer is classified again at its _DISCARD twin, and the
    // audit event names the filter that blocked it at the original layer.
    return fmt::format(
        "the event reports {}, the _DISCARD twin of the filter's layer {}: WFP classifies a "
        "dropped packet again at the discard layer and audits the drop there, naming the "
        "filter that blocked it at {}",
        e.wfp_name, f.wfp_name, f.wfp_name);
  }
  return fmt::format(
      "LAYER MISMATCH: the event reports {} but filter {} is at {}; the event and the policy "
      "do not agree (a different policy version, or a run-time id reused after a restart)",
      e.wfp_name, filter.id, f.wfp_name);
}

int event(const EventArgs& args) {
  const auto id = parse_number(args.filter_id);
  if (!id) {
    return report(Error{ErrorCode::kUsage,
                        fmt::format("FILTER_ID \"{}\": expected the filter's run-time id (a "
                                    "number, \"Filter Run-Time ID\" in events 5152/5157)",
                                    args.filter_id),
                        {}});
  }
  auto event_layer = resolve_layer(args.layer_id);
  if (!event_layer) return report(event_layer.error());
  auto policy = load_policy_or_dump(args.policy_path);
  if (!policy) return report(policy.error());
  HostEngine host;
  if (auto applied = host.apply(*policy); !applied) return report(applied.error());
  engine::Engine& engine = host.engine();
  const auto snapshot = engine.snapshot();
  const auto rank = engine::rank_filter(*snapshot, *id);
  if (!rank) {
    return report(Error{ErrorCode::kFilterNotFound,
                        fmt::format("FILTER_ID {}: policy {} has no filter with this run-time id "
                                    "(FWP_E_FILTER_NOT_FOUND; see `fwp policy print {}`)",
                                    *id, args.policy_path, args.policy_path),
                        {}});
  }
  const model::LayerId filter_layer = rank->filter->layer;
  const std::string relation = layer_relation(*event_layer, *rank->filter);
  const auto& event_info = model::layer_info(*event_layer);
  std::string text = fmt::format("Event: filter run-time id {}, layer {} (run-time id {})\n", *id,
                                 event_info.wfp_name, event_info.runtime_id);
  text += fmt::format("  {}\n\n", relation);
  text += io::trace::filter_card_text(*snapshot, *rank);
  nlohmann::ordered_json json;
  json["event"] = {{"filter_id", *id},
                   {"layer", event_info.wfp_name},
                   {"layer_runtime_id", event_info.runtime_id},
                   {"same_layer", *event_layer == filter_layer},
                   {"discard_twin", model::non_discard_layer_of(*event_layer) == filter_layer},
                   {"layer_note", relation}};
  json["filter"] = io::trace::filter_card_json(*snapshot, *rank);

  if (!args.values.empty()) {
    // The event's values are classified where the filter lives (the discard twin only
    // re-reports a drop made at its non-discard layer).
    auto in = parse_incoming_values(filter_layer, args.values);
    if (!in) return report(in.error());
    const auto decision = engine.classify(*in, {}, {.explain = true});
    const bool decides = decision.filter_id == *id;
    const std::string confirm =
        decides ? fmt::format("CONFIRMED: filter {} decides these values at {}: {}", *id,
                              model::layer_info(filter_layer).wfp_name,
                              io::trace::verdict_text(decision))
                : fmt::format("NOT CONFIRMED: filter {} does not decide these values at {}; {}",
                              *id, model::layer_info(filter_layer).wfp_name,
                              io::trace::verdict_text(decision));
    text += fmt::format("\nReplay of the event's values at {}:\n\n",
                        model::layer_info(filter_layer).wfp_name);
    text += io::trace::explain_text(*in, decision, "  ");
    text += "\n" + io::trace::expect_text(*snapshot, *rank, *in, decision, "  ");
    text += fmt::format("\n{}\n", confirm);
    json["explain"] = io::trace::explain_json(*in, decision);
    json["expect"] = io::trace::expect_json(*snapshot, *rank, *in, decision);
    json["decides"] = decides;
    json["confirmation"] = confirm;
  }
  auto out = open_output(args.output);
  if (!out) return kExitInput;
  if (args.output.parsed_format() == Format::kText) {
    *out << text;
  } else {
    *out << json.dump(2) << '\n';
  }
  return kExitOk;
}

}  // namespace

void add_event_verb(CLI::App& app, VerbAction& run) {
  auto args = std::make_shared<EventArgs>();
  auto* cmd = app.add_subcommand(
      "event",
      "Resolve a WFP audit event (5152/5157, FWPM_NET_EVENT) to its filter, sublayer and layer, "
      "and explain it");
  cmd->add_option("FILTER_ID", args->filter_id,
                  "The event's \"Filter Run-Time ID\" (FWPM_FILTER0.filterId)")
      ->required();
  cmd->add_option("LAYER_ID", args->layer_id,
                  "The event's \"Layer Run-Time ID\" (FWPS_BUILTIN_LAYERS value), or a layer "
                  "name, alias or GUID")
      ->required();
  cmd->add_option("--policy", args->policy_path,
                  "Policy file (YAML or JSON) or a netsh wfp XML dump")
      ->required();
  cmd->add_option("VALUES", args->values,
                  "The event's values as FIELD=VALUE (e.g. ip_protocol=tcp ip_remote_port=23); "
                  "given, the classification is re-run and the filter confirmed or not");
  args->output.bind(*cmd, {"text", "json"});
  cmd->callback([&run, args] { run = [args] { return event(*args); }; });
}

}  // namespace openfwp::cli
