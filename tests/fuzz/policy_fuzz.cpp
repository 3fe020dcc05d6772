// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: policy text → parse_policy → (if it parsed) print → parse again → apply.
// Properties checked beyond "no crash": a parsed policy prints to text that parses again and
// prints identically (the canonical form is a fixed point), and applying it to an engine
// either succeeds or fails with an error, never aborts.
#include "engine/engine.h"
#include "io/policy/policy.h"

#include "policy_properties.h"

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
  openfwp::fuzz::check_policy_properties(*policy);
  return 0;
}
