// SPDX-License-Identifier: Apache-2.0
// `fwp explain --policy P --layer L FIELD=VALUE…`: classify one set of incoming values at one
// layer and explain the decision (every sublayer, every matching filter, why the winner won).
#include "cli/cli_common.h"
#include "engine/engine.h"
#include "io/policy/policy.h"
#include "io/trace/explain_format.h"
#include "model/value_text.h"

#include <fmt/format.h>

namespace openfwp::cli {
namespace {

struct ExplainArgs {
  std::string policy_path;
  std::string layer;
  std::vector<std::string> values;
  OutputOptions output;
};

Result<model::IncomingValues> parse_values(model::LayerId layer,
                                           const std::vector<std::string>& assignments) {
  model::IncomingValues in(layer);
  for (const auto& assignment : assignments) {
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0) {
      return fail(ErrorCode::kUsage,
                  fmt::format("argument \"{}\": expected FIELD=VALUE", assignment));
    }
    const std::string field_text = assignment.substr(0, eq);
    const auto field = model::find_field(field_text);
    if (!field) {
      return fail(
          ErrorCode::kConditionNotFound,
          fmt::format("argument \"{}\": {}", assignment, model::unknown_field_message(field_text)));
    }
    if (!model::field_index(layer, *field)) {
      return fail(
          ErrorCode::kConditionNotFound,
          fmt::format("argument \"{}\": field {} is not available at {} (see `fwp show "
                      "fields {}`)",
                      assignment, model::field_info(*field).wfp_name,
                      model::layer_info(layer).wfp_name, model::layer_info(layer).wfp_name));
    }
    auto value = model::parse_incoming_value(layer, *field, assignment.substr(eq + 1));
    if (!value) {
      return fail(value.error().code,
                  fmt::format("argument \"{}\": {}", assignment, value.error().message));
    }
    in.set(*field, std::move(*value));
  }
  return in;
}

int explain(const ExplainArgs& args) {
  const auto layer = model::find_layer(args.layer);
  if (!layer) {
    return report(Error{ErrorCode::kLayerNotFound, model::unknown_layer_message(args.layer), {}});
  }
  auto policy = io::policy::load_policy_file(args.policy_path);
  if (!policy) return report(policy.error());
  engine::Engine engine;
  if (auto applied = io::policy::apply_policy(*policy, engine); !applied) {
    return report(applied.error());
  }
  auto in = parse_values(*layer, args.values);
  if (!in) return report(in.error());

  const auto decision = engine.classify(*in, {}, {.explain = true});
  auto out = open_output(args.output);
  if (!out) return kExitInput;
  if (args.output.parsed_format() == Format::kText) {
    *out << io::trace::explain_text(*in, decision);
  } else {
    const int indent = args.output.parsed_format() == Format::kJson ? 2 : -1;
    *out << io::trace::explain_json(*in, decision).dump(indent) << '\n';
  }
  return kExitOk;
}

}  // namespace

void add_explain_verb(CLI::App& app, VerbAction& run) {
  auto args = std::make_shared<ExplainArgs>();
  auto* cmd = app.add_subcommand(
      "explain", "Classify one set of incoming values at one layer and explain the decision");
  cmd->add_option("--policy", args->policy_path, "Policy file (YAML or JSON)")->required();
  cmd->add_option("--layer", args->layer, "Layer: WFP name, alias or GUID")->required();
  cmd->add_option("VALUES", args->values,
                  "Incoming values as FIELD=VALUE (e.g. ip_remote_port=80 ip_protocol=tcp)");
  args->output.bind(*cmd, {"text", "json", "jsonl"});
  cmd->callback([&run, args] { run = [args] { return explain(*args); }; });
}

}  // namespace openfwp::cli
