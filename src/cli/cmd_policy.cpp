// SPDX-License-Identifier: Apache-2.0
// `fwp policy check P` (load into an engine, report counts) and `fwp policy print P` (the
// canonical form: what `fwp import` writes and what golden files compare).
#include "cli/cli_common.h"
#include "engine/engine.h"
#include "io/policy/policy.h"

#include <fmt/format.h>

namespace openfwp::cli {
namespace {

struct PolicyArgs {
  std::string path;
  OutputOptions output;
};

Result<io::policy::Policy> load_and_apply(const std::string& path, engine::Engine& engine) {
  OPENFWP_TRY(auto policy, load_policy_or_dump(path));
  OPENFWP_TRY_VOID(io::policy::apply_policy(policy, engine));
  return policy;
}

int check(const PolicyArgs& args) {
  // The engine of a host, with Windows' stock callouts registered, as explain, event and sim
  // load policies: a stealth-mode policy names the silent-drop callouts without defining them.
  HostEngine host;
  auto policy = load_and_apply(args.path, host.engine());
  if (!policy) return report(policy.error());
  auto out = open_output(args.output);
  if (!out) return kExitInput;
  *out << fmt::format("{}: ok: {} providers, {} sublayers, {} callouts, {} filters\n", args.path,
                      policy->providers.size(), policy->sublayers.size(), policy->callouts.size(),
                      policy->filters.size());
  if (!policy->unsupported.empty()) {
    // Imported objects openfwp could not load are kept in the file, never applied.
    *out << fmt::format("{}: note: {} objects under `unsupported` are kept but not loaded\n",
                        args.path, policy->unsupported.size());
  }
  return kExitOk;
}

int print(const PolicyArgs& args) {
  engine::Engine engine;
  auto policy = load_and_apply(args.path, engine);
  if (!policy) return report(policy.error());
  auto out = open_output(args.output);
  if (!out) return kExitInput;
  // Print what the engine holds (ids, keys assigned), not just what the file said.
  auto printed = io::policy::policy_from_store(engine.snapshot()->store());
  printed.unsupported = policy->unsupported;  // not in the engine, but part of the file
  *out << io::policy::print_policy(printed);
  return kExitOk;
}

}  // namespace

void add_policy_verb(CLI::App& app, VerbAction& run) {
  auto* policy = app.add_subcommand("policy", "Check or print a policy file");
  policy->require_subcommand(1);

  auto check_args = std::make_shared<PolicyArgs>();
  auto* check_cmd = policy->add_subcommand("check", "Load a policy into an engine; report counts");
  check_cmd
      ->add_option("POLICY", check_args->path, "Policy file (YAML or JSON) or a netsh wfp XML dump")
      ->required();
  check_args->output.bind(*check_cmd, {"text"});
  check_cmd->callback([&run, check_args] { run = [check_args] { return check(*check_args); }; });

  auto print_args = std::make_shared<PolicyArgs>();
  auto* print_cmd =
      policy->add_subcommand("print", "Print a policy in canonical YAML (ids and keys assigned)");
  print_cmd
      ->add_option("POLICY", print_args->path, "Policy file (YAML or JSON) or a netsh wfp XML dump")
      ->required();
  print_args->output.bind(*print_cmd, {"text"});
  print_cmd->callback([&run, print_args] { run = [print_args] { return print(*print_args); }; });
}

}  // namespace openfwp::cli
