// SPDX-License-Identifier: Apache-2.0
// fwp: the command-line front end. Each verb lives in its own cmd_*.cpp file.
#include "cli/cli_common.h"

#include <cstdio>
#include <exception>

namespace {

int run(int argc, char** argv) {
  CLI::App app{"fwp — an open implementation of the Windows Filtering Platform filter engine",
               "fwp"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "fwp 0.1.0");
  openfwp::cli::VerbAction action;
  openfwp::cli::add_show_verb(app, action);
  openfwp::cli::add_explain_verb(app, action);
  openfwp::cli::add_policy_verb(app, action);
  openfwp::cli::add_sim_verb(app, action);
  openfwp::cli::add_import_verb(app, action);
  openfwp::cli::add_event_verb(app, action);
  openfwp::cli::add_replay_verb(app, action);
  openfwp::cli::add_serve_verbs(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // CLI11 returns 0 for --help/--version and its own codes for misuse; interfaces.md wants 2.
    return code == 0 ? openfwp::cli::kExitOk : openfwp::cli::kExitUsage;
  }
  return action ? action() : openfwp::cli::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fwp: internal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "fwp: internal error: unknown exception\n");
  }
  return openfwp::cli::kExitInternal;
}
