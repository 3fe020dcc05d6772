// SPDX-License-Identifier: Apache-2.0
// A one-line progress bar on stderr, shown only when stderr is a terminal (never in pipes, CI
// logs or golden tests), redrawn at most ten times a second.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace openfwp::cli {

class ProgressBar {
 public:
  /// `enabled` false (or stderr not a terminal) makes every call a no-op.
  ProgressBar(std::string label, bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// Shows `text` in place of the bar until the next update (a phase without a count).
  void message(const std::string& text);
  void update(std::size_t done, std::size_t total);
  /// Clears the line; called by the destructor too.
  void finish();

 private:
  std::string label_;
  bool active_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

/// Peak resident memory of this process so far, in bytes (getrusage).
std::size_t peak_memory_bytes();

}  // namespace openfwp::cli
