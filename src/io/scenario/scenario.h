// SPDX-License-Identifier: Apache-2.0
// Scenario files (../shared/spec/interfaces.md, "Scenario file") → stack::Scenario. Host
// policies are policy files (relative to the scenario) or inline policy maps; errors carry
// file:line:column like policy errors do.
#pragma once

#include "stack/scenario.h"

#include <string>
#include <string_view>

namespace openfwp::io::scenario {

/// `file` names the source in errors; `base_dir` resolves relative policy paths.
Result<stack::Scenario> parse_scenario(std::string_view text, std::string_view file,
                                       const std::string& base_dir);
Result<stack::Scenario> load_scenario_file(const std::string& path);

}  // namespace openfwp::io::scenario
