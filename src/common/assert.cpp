// SPDX-License-Identifier: Apache-2.0
// The one place that reports a broken invariant.
#include "common/assert.h"

#include <cstdio>
#include <cstdlib>

namespace openfwp::internal {

void check_failed(const char* condition, const char* message, const char* file, int line) {
  std::fprintf(stderr, "openfwp: internal error: %s:%d: check failed: %s (%s)\n", file, line,
               condition, message);
  std::abort();
}

}  // namespace openfwp::internal
