// SPDX-License-Identifier: Apache-2.0
// Output, format and error plumbing shared by the verbs.
#include "cli/cli_common.h"

#include "io/netsh/netsh_import.h"
#include "io/policy/policy.h"
#include "io/yaml/yaml_input.h"
#include "model/value_text.h"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <iostream>

namespace openfwp::cli {

Format OutputOptions::parsed_format() const {
  if (format == "json") return Format::kJson;
  if (format == "jsonl") return Format::kJsonl;
  return Format::kText;
}

void OutputOptions::bind(CLI::App& command, const std::vector<std::string>& allowed) {
  command.add_option("--format", format, "Output format")
      ->check(CLI::IsMember(allowed))
      ->capture_default_str();
  command.add_option("-o,--output", output_path, "Write to FILE instead of standard output");
}

std::unique_ptr<std::ostream, std::function<void(std::ostream*)>> open_output(
    const OutputOptions& options) {
  if (options.output_path.empty()) {
    return {&std::cout, [](std::ostream* out) { out->flush(); }};
  }
  auto file = std::make_unique<std::ofstream>(options.output_path);
  if (!*file) {
    std::fprintf(stderr, "error: %s: cannot open for writing\n", options.output_path.c_str());
    return {nullptr, [](std::ostream*) {}};
  }
  return {file.release(), [](std::ostream* out) { delete out; }};
}

int report(const Error& error) {
  std::fprintf(stderr, "error: %s\n", error.to_string().c_str());
  switch (error.code) {
    case ErrorCode::kUsage:
      return kExitUsage;
    case ErrorCode::kInternal:
      return kExitInternal;
    default:
      return kExitInput;
  }
}

Result<model::IncomingValues> parse_incoming_values(model::LayerId layer,
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

Result<io::policy::Policy> load_policy_or_dump(const std::string& path) {
  OPENFWP_TRY(const std::string bytes, io::read_text_file(path, "policy file"));
  if (!io::netsh::looks_like_xml(bytes)) return io::policy::parse_policy(bytes, path);
  // A `netsh wfp show filters/state` dump, imported on the fly: what `fwp import` would write.
  OPENFWP_TRY(auto imported, io::netsh::import_netsh(bytes, path));
  if (!imported.policy.unsupported.empty()) {
    std::cerr << fmt::format(
        "fwp: warning: {}: {} objects openfwp cannot load were left out (see `fwp import "
        "--summary {}`)\n",
        path, imported.policy.unsupported.size(), path);
  }
  return std::move(imported.policy);
}

HostEngine::HostEngine() { stack::install_stock_callouts(engine_, silent_drop_); }

Result<void> HostEngine::apply(const io::policy::Policy& policy) {
  return io::policy::apply_policy(policy, engine_);
}

Result<const model::Filter*> find_filter_ref(const engine::Store& store, const std::string& ref,
                                             const std::string& where) {
  if (!ref.empty() && ref.find_first_not_of("0123456789") == std::string::npos && ref.size() < 20) {
    if (const auto* filter = store.find_filter(std::stoull(ref))) return filter;
  }
  if (auto key = Guid::parse(ref)) {
    if (const auto* filter = store.find_filter_by_key(*key)) return filter;
  }
  std::vector<const model::Filter*> named;
  for (const auto& [id, filter] : store.filters()) {
    if (filter->name == ref) named.push_back(filter.get());
  }
  if (named.size() == 1) return named.front();
  if (named.size() > 1) {
    std::string ids;
    for (const auto* filter : named) ids += (ids.empty() ? "" : ", ") + std::to_string(filter->id);
    return fail(ErrorCode::kUsage,
                fmt::format("{}: {} filters are named \"{}\" (ids {}); name one by id or key",
                            where, named.size(), ref, ids));
  }
  return fail(ErrorCode::kFilterNotFound,
              fmt::format("{}: no filter with id, key or name \"{}\" (FWP_E_FILTER_NOT_FOUND; see "
                          "`fwp policy print`)",
                          where, ref));
}

}  // namespace openfwp::cli
