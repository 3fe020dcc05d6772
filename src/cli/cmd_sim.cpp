// SPDX-License-Identifier: Apache-2.0
// `fwp sim SCENARIO`: run a scenario on the simulated network and print the layer trace.
#include "cli/cli_common.h"
#include "io/scenario/scenario.h"
#include "io/trace/sim_format.h"
#include "stack/simulator.h"

namespace openfwp::cli {
namespace {

struct SimArgs {
  std::string scenario_path;
  OutputOptions output;
};

int sim(const SimArgs& args) {
  auto scenario = io::scenario::load_scenario_file(args.scenario_path);
  if (!scenario) return report(scenario.error());
  auto trace = stack::simulate(*scenario);
  if (!trace) return report(trace.error());
  auto out = open_output(args.output);
  if (!out) return kExitInput;
  *out << (args.output.parsed_format() == Format::kJsonl ? io::trace::trace_jsonl(*trace)
                                                         : io::trace::trace_text(*trace));
  return kExitOk;
}

}  // namespace

void add_sim_verb(CLI::App& app, VerbAction& run) {
  auto args = std::make_shared<SimArgs>();
  auto* cmd = app.add_subcommand(
      "sim", "Run a scenario on the simulated network and print the WFP layer trace");
  cmd->add_option("SCENARIO", args->scenario_path, "Scenario file (YAML)")->required();
  args->output.bind(*cmd, {"text", "jsonl"});
  cmd->callback([&run, args] { run = [args] { return sim(*args); }; });
}

}  // namespace openfwp::cli
