// SPDX-License-Identifier: Apache-2.0
// `fwp replay PCAP --policy P --local ADDR`: replay a capture through the policy as seen by the
// local host; print a summary per flow, WFP-style net events, or the layer trace.
#include "cli/cli_common.h"
#include "cli/progress.h"
#include "engine/engine.h"
#include "io/trace/replay_format.h"

#include "replay/replay.h"
#include <fmt/format.h>

#include <charconv>

namespace openfwp::cli {
namespace {

struct ReplayArgs {
  std::string capture_path;
  std::string policy_path;
  std::vector<std::string> locals;
  std::vector<std::string> policy_changes;
  std::string report = "summary";
  std::string events = "drop";
  bool quiet = false;
  OutputOptions output;
};

Error usage(std::string message) { return Error{ErrorCode::kUsage, std::move(message), {}}; }

Result<replay::PolicyChange> parse_policy_change(const std::string& text) {
  const auto colon = text.find(':');
  std::optional<std::uint64_t> at;
  if (colon != std::string::npos && colon > 0) {
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + colon, value);
    if (error == std::errc() && end == text.data() + colon) at = value;
  }
  if (!at || *at == 0 || colon + 1 >= text.size()) {
    return tl::unexpected(usage(fmt::format(
        "--policy-change \"{}\": expected AT_PACKET:FILE (a frame number from 1, then a policy "
        "file)",
        text)));
  }
  replay::PolicyChange change;
  change.at_packet = *at;
  change.file = text.substr(colon + 1);
  OPENFWP_TRY(change.policy, load_policy_or_dump(change.file));
  return change;
}

Result<io::trace::ReplayWriterOptions> writer_options(const ReplayArgs& args) {
  io::trace::ReplayWriterOptions options;
  const Format format = args.output.parsed_format();
  options.format = format == Format::kJson    ? io::trace::ReplayFormat::kJson
                   : format == Format::kJsonl ? io::trace::ReplayFormat::kJsonl
                                              : io::trace::ReplayFormat::kText;
  if (args.report == "trace") {
    options.report = io::trace::ReplayReport::kTrace;
    if (format == Format::kJson) {
      return tl::unexpected(usage("--report trace is written as text or jsonl, not json"));
    }
  } else if (args.report == "events") {
    options.report = io::trace::ReplayReport::kEvents;
  } else {
    options.report = io::trace::ReplayReport::kSummary;
  }
  options.allow_events = args.events == "all";
  return options;
}

int replay_verb(const ReplayArgs& args) {
  replay::ReplayOptions options;
  options.capture_path = args.capture_path;
  for (const auto& text : args.locals) {
    const auto address = IpAddress::parse(text);
    if (!address) {
      return report(usage(fmt::format("--local \"{}\": not an IPv4 or IPv6 address", text)));
    }
    options.locals.push_back(*address);
  }
  auto writer_opts = writer_options(args);
  if (!writer_opts) return report(writer_opts.error());
  auto policy = load_policy_or_dump(args.policy_path);
  if (!policy) return report(policy.error());
  options.policy = std::move(*policy);
  for (const auto& text : args.policy_changes) {
    auto change = parse_policy_change(text);
    if (!change) return report(change.error());
    options.changes.push_back(std::move(*change));
  }

  auto out = open_output(args.output);
  if (!out) return kExitInput;
  io::trace::ReplayWriter writer(*out, *writer_opts);
  io::trace::CaptureInfo info;
  info.file = args.capture_path;
  info.locals = options.locals;
  ProgressBar bar("replaying", !args.quiet);
  options.progress = [&bar](std::uint64_t done, std::uint64_t total) {
    bar.update(static_cast<std::size_t>(done), static_cast<std::size_t>(total));
  };
  writer.begin(info);
  auto result = replay::replay_capture(options, writer);
  bar.finish();
  if (!result) return report(result.error());
  io::trace::ReplayEnd end;
  end.format = result->format;
  end.link_type = result->link_type;
  end.frames = result->frames;
  end.not_ip = result->not_ip;
  end.totals = result->totals;
  if (result->stopped) end.stopped = result->stopped->to_string();
  writer.end(end);
  out->flush();
  if (result->stopped) return report(*result->stopped);
  return kExitOk;
}

}  // namespace

void add_replay_verb(CLI::App& app, VerbAction& run) {
  auto args = std::make_shared<ReplayArgs>();
  auto* cmd = app.add_subcommand(
      "replay",
      "Replay a capture through a policy as seen by a local host: what WFP would do to "
      "every packet and flow");
  cmd->add_option("PCAP", args->capture_path, "Capture file (pcap or pcapng)")->required();
  cmd->add_option("--policy", args->policy_path,
                  "The local host's policy: a policy file, or a netsh wfp XML dump")
      ->required();
  cmd->add_option("--local", args->locals,
                  "An address of the local host (repeatable: IPv4 and IPv6, several interfaces)")
      ->required();
  cmd->add_option("--policy-change", args->policy_changes,
                  "AT_PACKET:FILE: replace the policy before frame AT_PACKET (from 1); open "
                  "flows are reauthorized (repeatable)");
  cmd->add_option("--report", args->report, "What to print")
      ->check(CLI::IsMember({"summary", "events", "trace"}));
  cmd->add_option("--events", args->events,
                  "With --report events: drop (classify drops and stack discards) or all (also "
                  "ALE allows)")
      ->check(CLI::IsMember({"drop", "all"}));
  cmd->add_flag("-q,--quiet", args->quiet, "No progress bar");
  args->output.bind(*cmd, {"text", "json", "jsonl"});
  cmd->callback([&run, args] { run = [args] { return replay_verb(*args); }; });
}

}  // namespace openfwp::cli
