// SPDX-License-Identifier: Apache-2.0
// Running scenarios in tests, and reading their traces.
#pragma once

#include "io/scenario/scenario.h"
#include "stack/simulator.h"

#include <gtest/gtest.h>

#include <string>

namespace openfwp::testing {

inline std::string example_path(const std::string& name) {
  return std::string(OPENFWP_SOURCE_DIR) + "/examples/scenarios/" + name;
}

// The trace of a scenario that must parse and run; a failure fails the calling test.
inline stack::Trace run_parsed(const Result<stack::Scenario>& scenario) {
  EXPECT_TRUE(scenario) << (scenario ? "" : scenario.error().to_string());
  if (!scenario) return {};
  auto trace = stack::simulate(*scenario);
  EXPECT_TRUE(trace) << (trace ? "" : trace.error().to_string());
  return trace ? *trace : stack::Trace{};
}

inline stack::Trace run_scenario_text(const std::string& text) {
  return run_parsed(io::scenario::parse_scenario(text, "test.yaml", "."));
}

inline stack::Trace run_example(const std::string& name) {
  return run_parsed(io::scenario::load_scenario_file(example_path(name)));
}

inline std::string layer_name(const stack::TraceRecord& r) {
  return r.layer ? std::string(model::layer_info(*r.layer).wfp_name) : std::string();
}

}  // namespace openfwp::testing
