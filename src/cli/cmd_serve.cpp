// SPDX-License-Identifier: Apache-2.0
// `fwp serve --policy P`: the live enforcing daemon (live/daemon.h); and its clients over the
// control socket: `fwp filter add|delete|list`, `fwp flows`, `fwp events`, `fwp reload`,
// `fwp stats`.
#include "cli/cli_common.h"
#include "live/control_protocol.h"
#include "live/control_server.h"
#include "live/daemon.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace openfwp::cli {
namespace {

constexpr const char* kDefaultControl = "/run/openfwp/fwp.sock";

/// When `verb` is the one parsed, `action` becomes what main() runs.
template <class Action>
void run_on(CLI::App* verb, VerbAction& run, Action action) {
  verb->callback([&run, action] { run = action; });
}

struct ClientArgs {
  std::string control = kDefaultControl;
  std::string format = "text";
};

void add_control_option(CLI::App& verb, ClientArgs& args) {
  verb.add_option("--control", args.control, "the daemon's control socket")->capture_default_str();
}

/// Sends one request and hands each response line to `on_line`; the first line decides the
/// exit status (an error response is reported and exits 1).
int call(const ClientArgs& args, const live::ControlRequest& request,
         const std::function<bool(const nlohmann::json&)>& on_line) {
  std::optional<Error> failed;
  bool first = true;
  const auto done = live::control_call(args.control, request, [&](std::string_view line) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      failed = Error{ErrorCode::kParse,
                     fmt::format("control socket: a response is not JSON: {}",
                                 std::string(line.substr(0, 200))),
                     {}};
      return false;
    }
    if (first && !j.value("ok", false)) {
      const auto& e = j.value("error", nlohmann::json::object());
      failed = Error{ErrorCode::kUsage, e.value("message", std::string("request failed")), {}};
      return false;
    }
    first = false;
    return on_line(j);
  });
  if (!done) return report(done.error());
  if (failed) return report(*failed);
  return kExitOk;
}

void add_serve(CLI::App& app, VerbAction& run) {
  auto options = std::make_shared<live::DaemonOptions>();
  auto on_failure = std::make_shared<std::string>("closed");
  auto no_ipv6 = std::make_shared<bool>(false);
  CLI::App* verb = app.add_subcommand(
      "serve",
      "enforce a policy on this host: netfilter NFQUEUE through the WFP host model (root only)");
  verb->add_option("--policy", options->policy_path,
                   "policy file: loaded at start, rewritten on every change, reloaded on SIGHUP")
      ->required();
  verb->add_option("--control", options->control_path, "control socket (mode 0600, root only)")
      ->capture_default_str();
  verb->add_option("--queue-num", options->queue_num, "NFQUEUE number")->capture_default_str();
  verb->add_option("--on-failure", *on_failure,
                   "if the daemon dies: closed (default: traffic stops, as WFP's persistent "
                   "filters stay in force) or open (traffic passes unfiltered)")
      ->check(CLI::IsMember({"closed", "open"}))
      ->capture_default_str();
  verb->add_flag("--no-ipv6", *no_ipv6, "leave IPv6 alone (no ip6tables rules)");
  verb->add_flag("-v,--verbose", options->verbose, "net events and ended flows on stderr");
  run_on(verb, run, [options, on_failure, no_ipv6] {
    if (geteuid() != 0) {
      return report(
          Error{ErrorCode::kUsage, "fwp serve: must run as root (netfilter, sock_diag)", {}});
    }
    options->fail_open = *on_failure == "open";
    options->ipv6 = !*no_ipv6;
    const auto done = live::run_daemon(*options);
    return done ? kExitOk : report(done.error());
  });
}

Result<std::string> read_policy_text(const std::string& source) {
  std::stringstream text;
  if (source == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(source);
  if (!in) return fail(ErrorCode::kIo, fmt::format("cannot read {}", source));
  text << in.rdbuf();
  return text.str();
}

void add_filter(CLI::App& app, VerbAction& run) {
  CLI::App* verb = app.add_subcommand("filter", "manage the running daemon's filters");
  verb->require_subcommand(1);

  auto add_args = std::make_shared<ClientArgs>();
  auto source = std::make_shared<std::string>();
  CLI::App* add = verb->add_subcommand(
      "add", "add the filters (and sublayers, providers) of a policy fragment, in one transaction");
  add->add_option("FILE", *source, "policy-file fragment, or - for stdin")->required();
  add_control_option(*add, *add_args);
  run_on(add, run, [add_args, source] {
    auto text = read_policy_text(*source);
    if (!text) return report(text.error());
    live::ControlRequest request{live::ControlVerb::kFilterAdd, *text, std::nullopt, {}};
    return call(*add_args, request, [](const nlohmann::json& j) {
      for (const auto& f : j.value("added", nlohmann::json::array())) {
        fmt::print("added filter {} {} \"{}\"\n", f.value("id", 0ULL), f.value("key", ""),
                   f.value("name", ""));
      }
      return false;
    });
  });

  auto delete_args = std::make_shared<ClientArgs>();
  auto ref = std::make_shared<std::string>();
  CLI::App* del = verb->add_subcommand("delete", "delete a filter by id or key");
  del->add_option("FILTER", *ref, "filter id, or its key {GUID}")->required();
  add_control_option(*del, *delete_args);
  run_on(del, run, [delete_args, ref] {
    live::ControlRequest request{live::ControlVerb::kFilterDelete, {}, std::nullopt, {}};
    std::uint64_t id = 0;
    const auto* end = ref->data() + ref->size();
    if (const auto [ptr, ec] = std::from_chars(ref->data(), end, id);
        ec == std::errc() && ptr == end) {
      request.filter_id = id;
    } else {
      request.filter_key = *ref;
    }
    return call(*delete_args, request, [ref](const nlohmann::json&) {
      fmt::print("deleted filter {}\n", *ref);
      return false;
    });
  });

  auto list_args = std::make_shared<ClientArgs>();
  CLI::App* list = verb->add_subcommand("list", "the filters in force, as a policy file");
  add_control_option(*list, *list_args);
  run_on(list, run, [list_args] {
    return call(*list_args, {live::ControlVerb::kFilterList, {}, std::nullopt, {}},
                [](const nlohmann::json& j) {
                  fmt::print("{}", j.value("policy", ""));
                  return false;
                });
  });
}

std::string endpoint(const nlohmann::json& j, const char* address, const char* port) {
  const std::string a = j.value(address, "");
  return a.find(':') != std::string::npos ? fmt::format("[{}]:{}", a, j.value(port, 0))
                                          : fmt::format("{}:{}", a, j.value(port, 0));
}

void add_flows(CLI::App& app, VerbAction& run) {
  auto args = std::make_shared<ClientArgs>();
  CLI::App* verb =
      app.add_subcommand("flows", "the running daemon's flows (open and in TIME_WAIT)");
  add_control_option(*verb, *args);
  verb->add_option("--format", args->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  run_on(verb, run, [args] {
    return call(
        *args, {live::ControlVerb::kFlows, {}, std::nullopt, {}}, [args](const nlohmann::json& j) {
          const auto flows = j.value("flows", nlohmann::json::array());
          if (args->format == "json") {
            fmt::print("{}\n", flows.dump(2));
            return false;
          }
          fmt::print("{:>6} {:<5} {:<24} {:<24} {:<3} {:<14} {:<5} {:>8} {:>8}\n", "flow", "proto",
                     "local", "remote", "dir", "verdict", "open", "pkts_out", "pkts_in");
          for (const auto& f : flows) {
            fmt::print("{:>6} {:<5} {:<24} {:<24} {:<3} {:<14} {:<5} {:>8} {:>8}\n",
                       f.value("flow", 0ULL), f.value("protocol", ""),
                       endpoint(f, "local_address", "local_port"),
                       endpoint(f, "remote_address", "remote_port"), f.value("direction", ""),
                       f.value("verdict", ""), f.value("open", false) ? "yes" : "no",
                       f.value("packets_out", 0ULL), f.value("packets_in", 0ULL));
          }
          return false;
        });
  });
}

void add_events(CLI::App& app, VerbAction& run) {
  auto args = std::make_shared<ClientArgs>();
  auto count = std::make_shared<std::uint64_t>(0);
  CLI::App* verb = app.add_subcommand(
      "events", "stream the running daemon's net events as JSON lines (FWPM_NET_EVENT-like)");
  add_control_option(*verb, *args);
  verb->add_option("--count", *count, "stop after this many events (0: until interrupted)");
  run_on(verb, run, [args, count] {
    std::uint64_t seen = 0;
    bool subscribed = false;
    return call(*args, {live::ControlVerb::kEvents, {}, std::nullopt, {}},
                [&](const nlohmann::json& j) {
                  if (!subscribed) {  // the first line acknowledges the subscription
                    subscribed = true;
                    return true;
                  }
                  fmt::print("{}\n", j.dump());
                  std::fflush(stdout);
                  return *count == 0 || ++seen < *count;
                });
  });
}

void add_simple(CLI::App& app, VerbAction& run, const char* name, const char* help,
                live::ControlVerb verb_kind) {
  auto args = std::make_shared<ClientArgs>();
  CLI::App* verb = app.add_subcommand(name, help);
  add_control_option(*verb, *args);
  run_on(verb, run, [args, verb_kind] {
    return call(*args, {verb_kind, {}, std::nullopt, {}}, [](const nlohmann::json& j) {
      nlohmann::json body = j;
      body.erase("ok");
      fmt::print("{}\n", body.dump(2));
      return false;
    });
  });
}

}  // namespace

void add_serve_verbs(CLI::App& app, VerbAction& run) {
  add_serve(app, run);
  add_filter(app, run);
  add_flows(app, run);
  add_events(app, run);
  add_simple(app, run, "reload", "make the running daemon reload its policy file (as SIGHUP does)",
             live::ControlVerb::kReload);
  add_simple(app, run, "stats", "the running daemon's counters (queue, fast path, identity cache)",
             live::ControlVerb::kStats);
}

}  // namespace openfwp::cli
