// SPDX-License-Identifier: Apache-2.0
// `fwp import FILE`: a `netsh wfp show filters` / `show state` XML dump → a policy file, loaded
// into an engine on the way (so what is written is known to load), with a summary per layer and
// provider, the effective-weight check against Windows' own values, and what was not imported.
#include "cli/cli_common.h"
#include "cli/progress.h"
#include "engine/engine.h"
#include "io/netsh/netsh_import.h"
#include "io/policy/policy.h"
#include "model/well_known.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>
#include <map>

namespace openfwp::cli {
namespace {

struct ImportArgs {
  std::string dump_path;
  bool summary = false;
  bool check_weights = false;
  bool stats = false;
  bool quiet = false;
  std::string profile;
  OutputOptions output;
};

struct LayerCounts {
  std::size_t filters = 0, permit = 0, block = 0, callout = 0;
};

std::string provider_label(const io::policy::Policy& policy, const std::optional<Guid>& key) {
  if (!key) return "(no provider)";
  for (const auto& p : policy.providers) {
    if (p.key != *key) continue;
    const std::string_view known = model::well_known_name(model::WellKnownKind::kProvider, *key);
    if (!known.empty() && known != p.name) return fmt::format("{} ({})", p.name, known);
    return p.name.empty() ? key->to_string() : p.name;
  }
  return key->to_string();
}

std::string summary_text(const io::netsh::ImportResult& result, std::string_view file) {
  const auto& policy = result.policy;
  const auto& report = result.report;
  std::string out;
  out += fmt::format("dump: {} ({}, {})\n", file, io::netsh::dump_kind_name(report.kind),
                     io::netsh::encoding_name(report.encoding));
  out += fmt::format("weight profile: {} ({})\n", model::weight_profile_name(report.profile),
                     report.profile_reason);
  std::size_t unsupported_filters = 0;
  for (const auto& u : policy.unsupported) unsupported_filters += u.kind == "filter" ? 1 : 0;
  out += fmt::format("filters: {} in the dump, {} imported, {} kept as unsupported\n",
                     report.filters_in_dump, policy.filters.size(), unsupported_filters);
  out +=
      fmt::format("effective weights: {} recorded, {} equal to openfwp's, {} mismatches\n",
                  report.weights_checked, report.weights_checked - report.weight_mismatches.size(),
                  report.weight_mismatches.size());
  std::map<std::string, std::size_t> synthesized;
  for (const auto& s : report.synthesized) ++synthesized[s.kind];
  out += fmt::format(
      "providers: {} ({} synthesized); sublayers: {} ({} synthesized); callouts: {} "
      "({} synthesized)\n",
      policy.providers.size(), synthesized["provider"], policy.sublayers.size(),
      synthesized["sublayer"], policy.callouts.size(), synthesized["callout"]);
  if (!report.sections_not_imported.empty()) {
    out += "not imported (not policy):";
    for (const auto& [name, count] : report.sections_not_imported) {
      out += count == 0 ? fmt::format(" {};", name) : fmt::format(" {} ({} items);", name, count);
    }
    out.back() = '\n';
  }

  std::map<std::string_view, LayerCounts> per_layer;
  std::map<std::string, std::size_t> per_provider;
  for (const auto& f : policy.filters) {
    auto& counts = per_layer[model::layer_info(f.layer).wfp_name];
    ++counts.filters;
    if (f.action == model::ActionType::kPermit) ++counts.permit;
    if (f.action == model::ActionType::kBlock) ++counts.block;
    if (model::is_callout_action(f.action)) ++counts.callout;
    ++per_provider[provider_label(policy, f.provider)];
  }
  out += fmt::format("\n{:<48} {:>7} {:>7} {:>7} {:>7}\n", "filters per layer", "filters", "permit",
                     "block", "callout");
  for (const auto& [layer, c] : per_layer) {
    out += fmt::format("  {:<46} {:>7} {:>7} {:>7} {:>7}\n", layer, c.filters, c.permit, c.block,
                       c.callout);
  }
  out += fmt::format("\n{:<72} {:>7}\n", "filters per provider", "filters");
  for (const auto& [provider, count] : per_provider) {
    out += fmt::format("  {:<70} {:>7}\n", provider, count);
  }
  if (!report.synthesized.empty()) {
    out += "\nsynthesized (named by filters, not described by the dump):\n";
    for (const auto& s : report.synthesized) {
      const std::string key = s.key.to_string();
      // Unknown objects are named after their key; print it once.
      const std::string label =
          s.name.find(key) == std::string::npos ? fmt::format("{} {}", s.name, key) : key;
      out += fmt::format("  {} {}: named by {} filter(s); {}\n", s.kind, label, s.referenced_by,
                         s.note);
    }
  }
  if (!policy.unsupported.empty()) {
    out += "\nunsupported (kept verbatim under `unsupported:`, not loaded):\n";
    for (const auto& u : policy.unsupported) {
      out += fmt::format("  {}: {} {} \"{}\": {}\n", u.source, u.kind, u.key, u.name, u.reason);
    }
  }
  if (!report.weight_mismatches.empty()) {
    out += "\neffective weight mismatches (openfwp vs Windows):\n";
    for (const auto& m : report.weight_mismatches) {
      out += fmt::format("  {}:{}: filter {} \"{}\" at {}: Windows {:#018x}, openfwp {:#018x}\n",
                         m.where.file, m.where.line, m.filter_id, m.name,
                         model::layer_info(m.layer).wfp_name, m.recorded, m.computed);
    }
  }
  return out;
}

nlohmann::ordered_json summary_json(const io::netsh::ImportResult& result, std::string_view file) {
  const auto& policy = result.policy;
  const auto& report = result.report;
  nlohmann::ordered_json j;
  j["dump"] = file;
  j["kind"] = io::netsh::dump_kind_name(report.kind);
  j["encoding"] = io::netsh::encoding_name(report.encoding);
  j["weight_profile"] = model::weight_profile_name(report.profile);
  j["weight_profile_reason"] = report.profile_reason;
  j["filters_in_dump"] = report.filters_in_dump;
  j["filters_imported"] = policy.filters.size();
  j["weights_checked"] = report.weights_checked;
  j["providers"] = policy.providers.size();
  j["sublayers"] = policy.sublayers.size();
  j["callouts"] = policy.callouts.size();
  std::map<std::string_view, LayerCounts> per_layer;
  std::map<std::string, std::size_t> per_provider;
  for (const auto& f : policy.filters) {
    auto& c = per_layer[model::layer_info(f.layer).wfp_name];
    ++c.filters;
    c.permit += f.action == model::ActionType::kPermit ? 1 : 0;
    c.block += f.action == model::ActionType::kBlock ? 1 : 0;
    c.callout += model::is_callout_action(f.action) ? 1 : 0;
    ++per_provider[provider_label(policy, f.provider)];
  }
  auto& layers = j["per_layer"] = nlohmann::ordered_json::object();
  for (const auto& [layer, c] : per_layer) {
    layers[std::string(layer)] = {
        {"filters", c.filters}, {"permit", c.permit}, {"block", c.block}, {"callout", c.callout}};
  }
  j["per_provider"] = per_provider;
  auto& synthesized = j["synthesized"] = nlohmann::ordered_json::array();
  for (const auto& s : report.synthesized) {
    synthesized.push_back({{"kind", s.kind},
                           {"key", s.key.to_string()},
                           {"name", s.name},
                           {"referenced_by", s.referenced_by},
                           {"note", s.note}});
  }
  auto& unsupported = j["unsupported"] = nlohmann::ordered_json::array();
  for (const auto& u : policy.unsupported) {
    unsupported.push_back({{"kind", u.kind},
                           {"key", u.key},
                           {"name", u.name},
                           {"reason", u.reason},
                           {"source", u.source}});
  }
  auto& mismatches = j["weight_mismatches"] = nlohmann::ordered_json::array();
  for (const auto& m : report.weight_mismatches) {
    mismatches.push_back({{"filter_id", m.filter_id},
                          {"name", m.name},
                          {"layer", model::layer_info(m.layer).wfp_name},
                          {"windows", m.recorded},
                          {"openfwp", m.computed},
                          {"source", fmt::format("{}:{}", m.where.file, m.where.line)}});
  }
  auto& sections = j["not_imported"] = nlohmann::ordered_json::object();
  for (const auto& [name, count] : report.sections_not_imported) sections[name] = count;
  j["warnings"] = report.warnings;
  return j;
}

int run_import(const ImportArgs& args) {
  using Clock = std::chrono::steady_clock;
  io::netsh::ImportOptions options;
  if (!args.profile.empty()) {
    options.profile = model::weight_profile_from_text(args.profile);
    if (!options.profile) {
      return report(
          Error{ErrorCode::kUsage,
                fmt::format("--profile \"{}\": expected win11, win10 or vpnwin", args.profile),
                {}});
    }
  }
  ProgressBar bar("importing", !args.quiet);
  options.progress = [&bar](std::size_t done, std::size_t total) { bar.update(done, total); };
  const auto start = Clock::now();
  // The XML parse comes before any filter can be counted: say what is happening meanwhile.
  bar.message(fmt::format("{}: reading and parsing the XML…", args.dump_path));
  auto imported = io::netsh::import_netsh_file(args.dump_path, options);
  bar.finish();
  if (!imported) return report(imported.error());
  const auto parsed = Clock::now();

  // Build: the policy must load into an engine (every filter validated, snapshot built).
  engine::Engine engine;
  if (auto applied = io::policy::apply_policy(imported->policy, engine); !applied) {
    return report(applied.error());
  }
  const auto built = Clock::now();

  const auto& result = *imported;
  const bool write_policy = !args.summary || !args.output.output_path.empty();
  if (write_policy) {
    OutputOptions policy_output = args.output;
    auto out = open_output(policy_output);
    if (!out) return kExitInput;
    *out << "# Imported by `fwp import` from " << args.dump_path << " ("
         << io::netsh::dump_kind_name(result.report.kind) << ")\n"
         << io::policy::print_policy(result.policy);
  }
  if (args.summary) {
    if (args.output.parsed_format() == Format::kText) {
      std::cout << summary_text(result, args.dump_path);
    } else {
      std::cout << summary_json(result, args.dump_path).dump(2) << '\n';
    }
  } else {
    // Without --summary, findings go to stderr so that stdout stays a clean policy file.
    constexpr std::size_t kShown = 20;
    for (std::size_t i = 0; i < result.report.warnings.size() && i < kShown; ++i) {
      std::cerr << "fwp: warning: " << result.report.warnings[i] << '\n';
    }
    if (result.report.warnings.size() > kShown) {
      std::cerr << fmt::format("fwp: warning: … and {} more (see --summary)\n",
                               result.report.warnings.size() - kShown);
    }
    for (const auto& m : result.report.weight_mismatches) {
      std::cerr << fmt::format(
          "fwp: warning: {}:{}: filter {} \"{}\": effective weight {:#018x}, Windows recorded "
          "{:#018x}\n",
          m.where.file, m.where.line, m.filter_id, m.name, m.computed, m.recorded);
    }
  }
  if (args.stats) {
    using Ms = std::chrono::duration<double, std::milli>;
    std::cerr << fmt::format(
        "fwp: stats: {} filters; parse+import {:.0f} ms, engine build {:.0f} ms, peak memory "
        "{:.1f} MiB\n",
        result.policy.filters.size(), Ms(parsed - start).count(), Ms(built - parsed).count(),
        static_cast<double>(peak_memory_bytes()) / (1024.0 * 1024.0));
  }
  if (args.check_weights && !result.report.weight_mismatches.empty()) {
    std::cerr << fmt::format("fwp: error: {} effective weights differ from Windows' record\n",
                             result.report.weight_mismatches.size());
    return kExitInput;
  }
  return kExitOk;
}

}  // namespace

void add_import_verb(CLI::App& app, VerbAction& run) {
  auto args = std::make_shared<ImportArgs>();
  auto* cmd = app.add_subcommand(
      "import", "Import a `netsh wfp show filters` or `netsh wfp show state` XML dump as a policy");
  cmd->add_option("FILE", args->dump_path, "The XML dump (UTF-8 or UTF-16)")->required();
  cmd->add_flag("--summary", args->summary,
                "Print counts per layer and provider, what was synthesized or left unsupported, "
                "and the weight check (the policy is then written only with -o)");
  cmd->add_flag("--check-weights", args->check_weights,
                "Exit 1 if any effective weight differs from the one Windows recorded");
  cmd->add_option("--profile", args->profile,
                  "Windows build of the weight tables: win11, win10 or vpnwin (default: detect)");
  cmd->add_flag("--stats", args->stats, "Print timings and peak memory to stderr");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress bar");
  args->output.bind(*cmd, {"text", "json"});
  cmd->callback([&run, args] { run = [args] { return run_import(*args); }; });
}

}  // namespace openfwp::cli
