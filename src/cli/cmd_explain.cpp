// SPDX-License-Identifier: Apache-2.0
// `fwp explain`: packet-tracer for WFP. Two modes:
//   --layer L FIELD=VALUE…   classify one set of incoming values at one layer and explain it
//                            (every sublayer, every matching filter, why the winner won);
//   --flow tcp|udp …         run one connection through the host stack model (the layer order
//                            of `fwp sim`) and explain every classification on the local host.
// --expect FILTER adds "why not" for one filter at every explained classification of its layer.
#include "cli/cli_common.h"
#include "common/strings.h"
#include "engine/standing.h"
#include "io/trace/explain_format.h"
#include "io/trace/filter_report.h"
#include "io/trace/sim_format.h"
#include "stack/network.h"

#include <fmt/format.h>

#include <charconv>
#include <map>

namespace openfwp::cli {
namespace {

struct ExplainArgs {
  std::string policy_path;
  std::string layer;
  std::vector<std::string> values;
  std::string expect;
  // --flow
  std::string flow;
  std::string local;
  std::string remote;
  std::string direction = "out";
  std::optional<std::uint16_t> local_port;
  std::string app;
  std::string user;
  std::optional<std::uint64_t> bytes;
  OutputOptions output;
};

int emit(const ExplainArgs& args, const std::string& text, const nlohmann::ordered_json& json) {
  auto out = open_output(args.output);
  if (!out) return kExitInput;
  if (args.output.parsed_format() == Format::kText) {
    *out << text;
  } else {
    *out << json.dump(args.output.parsed_format() == Format::kJson ? 2 : -1) << '\n';
  }
  return kExitOk;
}

Result<std::optional<engine::FilterRank>> expected_filter(const ExplainArgs& args,
                                                          const engine::Snapshot& snapshot) {
  if (args.expect.empty()) return std::optional<engine::FilterRank>();
  OPENFWP_TRY(const auto* filter,
              find_filter_ref(snapshot.store(), args.expect,
                              fmt::format("--expect: policy {}", args.policy_path)));
  return engine::rank_filter(snapshot, filter->id);
}

int explain_layer(const ExplainArgs& args) {
  const auto layer = model::find_layer(args.layer);
  if (!layer) {
    return report(Error{ErrorCode::kLayerNotFound, model::unknown_layer_message(args.layer), {}});
  }
  auto policy = load_policy_or_dump(args.policy_path);
  if (!policy) return report(policy.error());
  HostEngine host;
  if (auto applied = host.apply(*policy); !applied) return report(applied.error());
  engine::Engine& engine = host.engine();
  auto in = parse_incoming_values(*layer, args.values);
  if (!in) return report(in.error());
  const auto snapshot = engine.snapshot();
  auto expect = expected_filter(args, *snapshot);
  if (!expect) return report(expect.error());

  const auto decision = engine.classify(*in, {}, {.explain = true});
  std::string text = io::trace::explain_text(*in, decision);
  auto json = io::trace::explain_json(*in, decision);
  if (*expect) {
    text += "\n" + io::trace::expect_text(*snapshot, **expect, *in, decision);
    json["expect"] = io::trace::expect_json(*snapshot, **expect, *in, decision);
  }
  return emit(args, text, json);
}

// --- --flow -----------------------------------------------------------------------------------

struct FlowSpec {
  bool udp = false;
  bool inbound = false;
  IpAddress local;
  IpAddress remote;
  std::optional<std::uint16_t> remote_port;
  std::optional<std::uint16_t> local_port;
  stack::Identity identity;
  std::uint64_t bytes = 0;
};

Result<std::uint16_t> parse_port(std::string_view text, std::string_view what) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value == 0 || value > 65535) {
    return fail(ErrorCode::kUsage,
                fmt::format("{}: port \"{}\" is not a number from 1 to 65535", what, text));
  }
  return static_cast<std::uint16_t>(value);
}

// "198.18.0.2", "198.18.0.2:443", "2001:db8::2", "[2001:db8::2]:443".
Result<std::pair<IpAddress, std::optional<std::uint16_t>>> parse_endpoint(std::string_view text,
                                                                          std::string_view what) {
  std::string_view address = text;
  std::optional<std::string_view> port;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) {
      return fail(ErrorCode::kUsage, fmt::format("{}: \"{}\": missing ']'", what, text));
    }
    address = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') {
        return fail(ErrorCode::kUsage,
                    fmt::format("{}: \"{}\": expected [ADDRESS]:PORT", what, text));
      }
      port = text.substr(close + 2);
    }
  } else if (const auto colon = text.find(':');
             colon != std::string_view::npos &&
             text.find(':', colon + 1) == std::string_view::npos) {
    address = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  const auto ip = IpAddress::parse(address);
  if (!ip) {
    return fail(ErrorCode::kUsage,
                fmt::format("{}: \"{}\" is not an IPv4 or IPv6 address (write IPv6 with a port "
                            "as [2001:db8::2]:443)",
                            what, address));
  }
  std::optional<std::uint16_t> port_number;
  if (port) {
    OPENFWP_TRY(port_number, parse_port(*port, what));
  }
  return std::pair{*ip, port_number};
}

Result<FlowSpec> parse_flow(const ExplainArgs& args) {
  FlowSpec spec;
  spec.udp = args.flow == "udp";
  spec.inbound = args.direction == "in";
  if (args.local.empty() || args.remote.empty()) {
    return fail(ErrorCode::kUsage, "--flow needs --local ADDR and --remote ADDR[:PORT]");
  }
  OPENFWP_TRY(const auto local, parse_endpoint(args.local, "--local"));
  OPENFWP_TRY(const auto remote, parse_endpoint(args.remote, "--remote"));
  spec.local = local.first;
  spec.remote = remote.first;
  spec.local_port = args.local_port ? args.local_port : local.second;
  spec.remote_port = remote.second;
  if (spec.local.is_v6 != spec.remote.is_v6) {
    return fail(ErrorCode::kUsage,
                fmt::format("--local {} and --remote {} are of different address families",
                            args.local, args.remote));
  }
  if (spec.local == spec.remote) {
    return fail(ErrorCode::kUsage, "--local and --remote must be different addresses");
  }
  if (!spec.inbound && !spec.remote_port) {
    return fail(ErrorCode::kUsage,
                "--direction out: the remote port is required (--remote ADDR:PORT)");
  }
  if (spec.inbound && !spec.local_port) {
    return fail(ErrorCode::kUsage,
                "--direction in: the local listening port is required (--local-port N or "
                "--local ADDR:PORT)");
  }
  spec.identity.app = args.app;
  spec.identity.user = args.user;
  spec.bytes = args.bytes.value_or(spec.udp ? 64 : 0);
  if (spec.udp && spec.bytes == 0) {
    return fail(ErrorCode::kUsage, "--flow udp: --bytes must be at least 1 (a datagram)");
  }
  return spec;
}

std::string endpoint_text(const IpAddress& address, std::optional<std::uint16_t> port) {
  const std::string a = address.is_v6 ? "[" + address.to_string() + "]" : address.to_string();
  return port ? fmt::format("{}:{}", a, *port) : a + ":*";
}

// Runs the flow on a two-host network: "local" with the policy, "peer" permitting everything.
Result<stack::Trace> run_flow(const FlowSpec& spec, const io::policy::Policy& policy) {
  stack::Network network;
  network.explain = true;
  stack::Host& local = network.add_host("local", {spec.local});
  stack::Host& peer = network.add_host("peer", {spec.remote});
  OPENFWP_TRY_VOID(io::policy::apply_policy(policy, local.engine()));
  const bool v6 = spec.local.is_v6;
  const stack::Identity anyone;
  auto settle = [&](Result<void> step) -> Result<void> {
    OPENFWP_TRY_VOID(step);
    return network.run_until_quiet();
  };
  if (!spec.inbound && !spec.udp) {
    OPENFWP_TRY_VOID(settle(peer.listen(v6, *spec.remote_port, anyone)));
    OPENFWP_TRY_VOID(settle(
        local.connect("flow", v6, spec.remote, *spec.remote_port, spec.local_port, spec.identity)));
    // A connection the firewall refused is not open: there is nothing to send.
    if (spec.bytes > 0) (void)settle(local.send("flow", spec.bytes));
  } else if (spec.inbound && !spec.udp) {
    OPENFWP_TRY_VOID(settle(local.listen(v6, *spec.local_port, spec.identity)));
    OPENFWP_TRY_VOID(
        settle(peer.connect("flow", v6, spec.local, *spec.local_port, spec.remote_port, anyone)));
    if (spec.bytes > 0) (void)settle(peer.send("flow", spec.bytes));
  } else if (!spec.inbound) {
    OPENFWP_TRY_VOID(settle(peer.bind(true, v6, *spec.remote_port, anyone)));
    OPENFWP_TRY_VOID(settle(local.sendto(v6, spec.remote, *spec.remote_port, spec.local_port,
                                         spec.bytes, spec.identity)));
  } else {
    OPENFWP_TRY_VOID(settle(local.bind(true, v6, *spec.local_port, spec.identity)));
    OPENFWP_TRY_VOID(settle(
        peer.sendto(v6, spec.local, *spec.local_port, spec.remote_port, spec.bytes, anyone)));
  }
  return network.trace();
}

std::string decided_by(const stack::TraceRecord& r) {
  if (!r.explanation || !r.filter_id) return "the layer default";
  const auto& d = r.explanation->decision;
  return fmt::format("filter {} \"{}\" (sublayer \"{}\")", *r.filter_id, d.filter_name,
                     d.sublayer_name);
}

int explain_flow(const ExplainArgs& args) {
  auto spec = parse_flow(args);
  if (!spec) return report(spec.error());
  // Read once; applied to an engine of its own (for --expect and for naming filters) and to the
  // simulated local host. Loading is deterministic, so filter ids agree between the two.
  auto policy = load_policy_or_dump(args.policy_path);
  if (!policy) return report(policy.error());
  HostEngine host;
  if (auto applied = host.apply(*policy); !applied) return report(applied.error());
  const auto snapshot = host.engine().snapshot();
  auto expect = expected_filter(args, *snapshot);
  if (!expect) return report(expect.error());
  auto trace = run_flow(*spec, *policy);
  if (!trace) return report(trace.error());

  const std::string proto = spec->udp ? "udp" : "tcp";
  std::string text = fmt::format(
      "Flow: {} local {} {} remote {}, {}\n", proto, endpoint_text(spec->local, spec->local_port),
      spec->inbound ? "<-" : "->", endpoint_text(spec->remote, spec->remote_port),
      spec->inbound ? "inbound (the remote host connects to a local listener)"
                    : "outbound (the local host connects)");
  text += fmt::format("  app {}, user {}, {} payload bytes\n",
                      spec->identity.app.empty() ? "-" : spec->identity.app,
                      spec->identity.user.empty() ? "-" : spec->identity.user, spec->bytes);
  text +=
      fmt::format("  policy {} on the local host; the peer permits everything\n", args.policy_path);

  nlohmann::ordered_json json;
  json["flow"] = {{"protocol", proto},
                  {"direction", spec->inbound ? "in" : "out"},
                  {"local", endpoint_text(spec->local, spec->local_port)},
                  {"remote", endpoint_text(spec->remote, spec->remote_port)},
                  {"app", spec->identity.app},
                  {"user", spec->identity.user},
                  {"bytes", spec->bytes},
                  {"policy", args.policy_path}};
  nlohmann::ordered_json classifications = nlohmann::ordered_json::array();
  nlohmann::ordered_json notes = nlohmann::ordered_json::array();
  const stack::TraceRecord* first_block = nullptr;
  std::size_t count = 0;
  std::string summary;
  std::string last_note;
  // Retransmissions repeat classifications word for word; each explanation is printed once.
  std::map<std::string, std::size_t> seen_explanations;
  for (const auto& r : *trace) {
    if (!r.layer) {
      last_note = fmt::format("{}: {}", r.host, r.note);
      summary += fmt::format("  {:>9.3f} ms  {:<5} {:<10} -- {}\n",
                             static_cast<double>(r.time_us) / 1000.0, r.host, r.event, r.note);
      notes.push_back(io::trace::trace_record_json(r));
      continue;
    }
    if (r.host != "local") continue;
    ++count;
    const auto& layer = model::layer_info(*r.layer);
    if (r.action == "block" && first_block == nullptr && !layer.is_discard) first_block = &r;
    summary +=
        fmt::format("  {:>9.3f} ms  {:<5} {:<10} {:<44} {:<6} {}{}\n",
                    static_cast<double>(r.time_us) / 1000.0, r.host, r.event, layer.wfp_name,
                    r.action, r.filter_id ? fmt::format("filter {}", *r.filter_id) : "default",
                    r.reauth ? "  reauth" : "");
    text += fmt::format("\n=== [{}] {:.3f} ms  {}  {}: {} by {}{}\n", count,
                        static_cast<double>(r.time_us) / 1000.0, r.event, layer.wfp_name,
                        ascii_upper(r.action), decided_by(r),
                        r.note.empty() ? "" : " (" + r.note + ")");
    auto j = io::trace::trace_record_json(r);
    if (r.explanation) {
      std::string explained =
          io::trace::explain_text(r.explanation->in, r.explanation->decision, "    ");
      const auto [it, fresh] = seen_explanations.emplace(explained, count);
      if (r.explanation->decision.sublayers.empty()) {
        // Most layers of a sequence hold no filter: one line says all there is.
        text += "    no filters at this layer: the layer default (permit) applies\n";
      } else {
        text += fresh ? explained
                      : fmt::format("    (the same classification and explanation as [{}])\n",
                                    it->second);
      }
      j["explain"] = io::trace::explain_json(r.explanation->in, r.explanation->decision);
      if (*expect && (*expect)->filter->layer == *r.layer) {
        text += "\n" + io::trace::expect_text(*snapshot, **expect, r.explanation->in,
                                              r.explanation->decision, "    ");
        j["expect"] =
            io::trace::expect_json(*snapshot, **expect, r.explanation->in, r.explanation->decision);
      }
    }
    classifications.push_back(j);
  }
  if (*expect) {
    bool seen = false;
    for (const auto& r : *trace)
      seen = seen || (r.host == "local" && r.layer == (*expect)->filter->layer);
    if (!seen) {
      text += fmt::format(
          "\nExpect: filter {} \"{}\" is at {}, which this flow never reached on "
          "the local host\n",
          (*expect)->filter->id, (*expect)->filter->name,
          model::layer_info((*expect)->filter->layer).wfp_name);
    }
  }
  text += "\nSummary (every classification on the local host, and what the applications saw):\n";
  text += summary;
  std::string verdict;
  if (first_block != nullptr) {
    verdict = fmt::format("BLOCKED at {} ({}) by {}; the stack stopped there",
                          model::layer_info(*first_block->layer).wfp_name, first_block->event,
                          decided_by(*first_block));
    if (!last_note.empty()) verdict += fmt::format("; last seen by an application: {}", last_note);
  } else {
    verdict = fmt::format("PERMITTED: all {} classifications on the local host permitted", count);
  }
  text += fmt::format("\nVerdict: {}\n", verdict);
  json["classifications"] = classifications;
  json["notes"] = notes;
  json["verdict"] = {
      {"action", first_block != nullptr ? "block" : "permit"},
      {"layer", first_block != nullptr
                    ? nlohmann::ordered_json(model::layer_info(*first_block->layer).wfp_name)
                    : nlohmann::ordered_json(nullptr)},
      {"filter_id", first_block != nullptr && first_block->filter_id
                        ? nlohmann::ordered_json(*first_block->filter_id)
                        : nlohmann::ordered_json(nullptr)},
      {"text", verdict}};
  return emit(args, text, json);
}

int explain(const ExplainArgs& args) {
  if (args.flow.empty() == args.layer.empty()) {
    return report(Error{ErrorCode::kUsage,
                        "explain needs exactly one of --layer L (one classification) or --flow "
                        "tcp|udp (a whole connection)",
                        {}});
  }
  if (!args.flow.empty()) {
    if (!args.values.empty()) {
      return report(Error{ErrorCode::kUsage,
                          fmt::format("--flow takes no FIELD=VALUE arguments (got \"{}\"); use "
                                      "--local, --remote, --local-port, --app, --user",
                                      args.values.front()),
                          {}});
    }
    return explain_flow(args);
  }
  return explain_layer(args);
}

}  // namespace

void add_explain_verb(CLI::App& app, VerbAction& run) {
  auto args = std::make_shared<ExplainArgs>();
  auto* cmd = app.add_subcommand(
      "explain",
      "Packet-tracer for WFP: explain one classification (--layer) or a whole connection "
      "through the host stack (--flow)");
  cmd->add_option("--policy", args->policy_path,
                  "Policy file (YAML or JSON) or a netsh wfp XML dump")
      ->required();
  cmd->add_option("--layer", args->layer,
                  "Explain one classification at this layer: WFP name, alias or GUID");
  cmd->add_option("VALUES", args->values,
                  "With --layer: incoming values as FIELD=VALUE (e.g. ip_remote_port=80 "
                  "ip_protocol=tcp)");
  cmd->add_option("--expect", args->expect,
                  "Why not: explain what FILTER (run-time id, {key} or name) did: its layer, "
                  "each condition against the incoming values, and why it did not decide");
  cmd->add_option("--flow", args->flow,
                  "Explain a whole connection of this protocol through the stack model "
                  "(ALE + transport layers, as `fwp sim`)")
      ->check(CLI::IsMember({"tcp", "udp"}));
  cmd->add_option("--local", args->local,
                  "--flow: the local host's address (the policy's host), optionally ADDR:PORT");
  cmd->add_option("--remote", args->remote,
                  "--flow: the peer's ADDR:PORT (port required with --direction out); IPv6 as "
                  "[2001:db8::2]:443");
  cmd->add_option("--direction", args->direction,
                  "--flow: out = the local host connects / sends; in = the peer connects to a "
                  "local listener")
      ->check(CLI::IsMember({"out", "in"}))
      ->capture_default_str();
  cmd->add_option("--local-port", args->local_port,
                  "--flow: local port (the listener for --direction in; default ephemeral for "
                  "out)")
      ->check(CLI::Range(1, 65535));
  cmd->add_option("--app", args->app, "--flow: local application path (FWPM_CONDITION_ALE_APP_ID)");
  cmd->add_option("--user", args->user, "--flow: local user SID (FWPM_CONDITION_ALE_USER_ID)");
  cmd->add_option("--bytes", args->bytes,
                  "--flow: payload bytes to send after the handshake (tcp, default 0) or in the "
                  "datagram (udp, default 64)");
  args->output.bind(*cmd, {"text", "json", "jsonl"});
  cmd->callback([&run, args] { run = [args] { return explain(*args); }; });
}

}  // namespace openfwp::cli
