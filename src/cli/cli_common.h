// SPDX-License-Identifier: Apache-2.0
// What every verb shares: the output sink (-o), the --format choice, exit codes
// (interfaces.md: 0 ok, 1 bad input, 2 usage, 3 internal) and error printing.
#pragma once

#include "common/result.h"
#include "engine/engine.h"
#include "io/policy/policy.h"
#include "model/incoming_values.h"
#include "stack/host.h"

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

namespace openfwp::cli {

enum ExitCode : int { kExitOk = 0, kExitInput = 1, kExitUsage = 2, kExitInternal = 3 };

enum class Format { kText, kJson, kJsonl };

/// Options shared by verbs, bound once per verb.
struct OutputOptions {
  std::string format = "text";
  std::string output_path;  ///< empty = stdout

  Format parsed_format() const;
  /// Adds --format (restricted to `allowed`) and -o/--output to `command`.
  void bind(CLI::App& command, const std::vector<std::string>& allowed);
};

/// Opens the output: stdout, or the -o file. Returns nullptr and prints an error if the file
/// cannot be opened.
std::unique_ptr<std::ostream, std::function<void(std::ostream*)>> open_output(
    const OutputOptions& options);

/// Prints "error: <where>: <message>" to stderr and returns the exit code for the error class.
int report(const Error& error);

/// Parses FIELD=VALUE arguments into the incoming values of `layer`. Errors name the argument
/// and what was wrong with it (unknown field, field not at the layer, bad value).
Result<model::IncomingValues> parse_incoming_values(model::LayerId layer,
                                                    const std::vector<std::string>& assignments);

/// Loads the policy file at `path` into `engine` in one transaction.
/// A policy file (YAML or JSON), or a `netsh wfp show filters/state` XML dump imported on the fly
/// (told apart by content). Import findings other than unsupported objects are not printed.
Result<io::policy::Policy> load_policy_or_dump(const std::string& path);
/// An engine set up as a Windows host's: Windows' stock callouts registered (every `fwp sim` host
/// has them, so stealth-mode policies explain as on Windows), then a policy applied in one
/// transaction. Not copyable or movable: the engine refers to its callout driver.
class HostEngine {
 public:
  HostEngine();
  HostEngine(const HostEngine&) = delete;
  HostEngine& operator=(const HostEngine&) = delete;

  /// io::policy::apply_policy into this engine.
  Result<void> apply(const io::policy::Policy& policy);
  engine::Engine& engine() { return engine_; }

 private:
  stack::SilentDropCallout silent_drop_;  // declared before engine_, so it outlives it
  engine::Engine engine_;
};

/// The filter `ref` names in `store`: a run-time id, a "{key}" GUID or a display name. Errors
/// (kFilterNotFound, or kUsage for a name several filters share) say what was looked for, in
/// which policy (`where`), and list the candidates.
Result<const model::Filter*> find_filter_ref(const engine::Store& store, const std::string& ref,
                                             const std::string& where);

/// A verb registers its CLI11 subcommand and sets `run` to the action to perform after parsing.
using VerbAction = std::function<int()>;

void add_show_verb(CLI::App& app, VerbAction& run);
void add_explain_verb(CLI::App& app, VerbAction& run);
void add_policy_verb(CLI::App& app, VerbAction& run);
void add_sim_verb(CLI::App& app, VerbAction& run);
void add_import_verb(CLI::App& app, VerbAction& run);
void add_event_verb(CLI::App& app, VerbAction& run);
void add_replay_verb(CLI::App& app, VerbAction& run);
/// `fwp serve` and its control-socket clients (filter, flows, events, reload, stats).
void add_serve_verbs(CLI::App& app, VerbAction& run);

}  // namespace openfwp::cli
