// SPDX-License-Identifier: Apache-2.0
// Output, format and error plumbing shared by the verbs.
#include "cli/cli_common.h"

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

}  // namespace openfwp::cli
