// SPDX-License-Identifier: Apache-2.0
// Invariant checks (Envoy's table): CHECK where a violation would corrupt later processing,
// ASSERT for local invariants (debug only), never for conditions that come from the environment.
#pragma once

namespace openfwp::internal {
[[noreturn]] void check_failed(const char* condition, const char* message, const char* file,
                               int line);
}  // namespace openfwp::internal

/// Always on: prints the belief that failed and aborts.
#define OPENFWP_CHECK(cond, message)                                                    \
  do {                                                                                  \
    if (!(cond)) ::openfwp::internal::check_failed(#cond, message, __FILE__, __LINE__); \
  } while (false)

#ifdef NDEBUG
#define OPENFWP_ASSERT(cond, message) \
  do {                                \
  } while (false)
#else
#define OPENFWP_ASSERT(cond, message) OPENFWP_CHECK(cond, message)
#endif

#define OPENFWP_UNREACHABLE(message) \
  ::openfwp::internal::check_failed("unreachable", message, __FILE__, __LINE__)
