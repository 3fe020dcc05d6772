// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: scenario text → parse_scenario → simulate. Bad input must become an error,
// never a crash; whatever parses must run to completion (the simulator bounds its own work).
#include "io/scenario/scenario.h"
#include "stack/simulator.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // Policies named by path are read relative to a directory that holds none.
  auto scenario = openfwp::io::scenario::parse_scenario(text, "fuzz.yaml", "/nonexistent");
  if (!scenario) {
    if (scenario.error().message.empty()) std::abort();
    return 0;
  }
  (void)openfwp::stack::simulate(*scenario);
  return 0;
}
