// SPDX-License-Identifier: Apache-2.0
// Writing the daemon's policy file so that it is always whole: a crash mid-write leaves the old
// policy or the new one, never half of either (what SIGHUP and the next start reload).
#pragma once

#include "common/result.h"

#include <string>

namespace openfwp::live {

/// Writes `text` to `path` atomically: PATH.tmp in the same directory, fsync, rename over
/// `path`, fsync of the directory. The file keeps `path`'s mode if it existed (else 0600).
Result<void> write_policy_atomically(const std::string& path, const std::string& text);

}  // namespace openfwp::live
