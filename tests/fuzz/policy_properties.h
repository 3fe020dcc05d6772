// SPDX-License-Identifier: Apache-2.0
// The properties every fuzz target that produces a Policy checks, in one place: the canonical
// text parses again and prints identically (a fixed point), and applying the policy to an engine
// succeeds or fails with an error, never aborts.
#pragma once

#include "engine/engine.h"
#include "io/policy/policy.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace openfwp::fuzz {

/// Aborts (a libFuzzer finding) if `policy` breaks one of the properties above.
inline void check_policy_properties(const io::policy::Policy& policy) {
  const std::string printed = io::policy::print_policy(policy);
  auto reparsed = io::policy::parse_policy(printed, "printed.yaml");
  if (!reparsed) {
    std::fprintf(stderr, "canonical form does not parse: %s\n%s\n",
                 reparsed.error().to_string().c_str(), printed.c_str());
    std::abort();
  }
  if (io::policy::print_policy(*reparsed) != printed) {
    std::fprintf(stderr, "canonical form is not a fixed point:\n%s\n", printed.c_str());
    std::abort();
  }
  engine::Engine engine;
  (void)io::policy::apply_policy(policy, engine);
}

}  // namespace openfwp::fuzz
