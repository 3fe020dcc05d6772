// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: policy text → parse_policy → (if it parsed) print → parse again → apply.
// Properties checked beyond "no crash": a parsed policy prints to text that parses again and
// prints identically (the canonical form is a fixed point), and applying it to an engine
// either succeeds or fails with an error, never aborts.
#include "engine/engine.h"
#include "io/policy/policy.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto policy = openfwp::io::policy::parse_policy(text, "fuzz.yaml");
  if (!policy) {
    // Every error must say something.
    if (policy.error().message.empty()) std::abort();
    return 0;
  }
  const std::string printed = openfwp::io::policy::print_policy(*policy);
  auto reparsed = openfwp::io::policy::parse_policy(printed, "printed.yaml");
  if (!reparsed) {
    std::fprintf(stderr, "canonical form does not parse: %s\n%s\n",
                 reparsed.error().to_string().c_str(), printed.c_str());
    std::abort();
  }
  if (openfwp::io::policy::print_policy(*reparsed) != printed) {
    std::fprintf(stderr, "canonical form is not a fixed point:\n%s\n", printed.c_str());
    std::abort();
  }
  openfwp::engine::Engine engine;
  (void)openfwp::io::policy::apply_policy(*policy, engine);
  return 0;
}
