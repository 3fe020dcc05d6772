// SPDX-License-Identifier: Apache-2.0
// ProgressBar and peak memory; see progress.h.
#include "cli/progress.h"

#include <fmt/format.h>

#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

namespace openfwp::cli {

ProgressBar::ProgressBar(std::string label, bool enabled)
    : label_(std::move(label)), active_(enabled && isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(std::size_t done, std::size_t total) {
  if (!active_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && done < total && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  constexpr std::size_t kWidth = 30;
  const std::size_t filled = total == 0 ? kWidth : kWidth * std::min(done, total) / total;
  const std::size_t percent = total == 0 ? 100 : 100 * std::min(done, total) / total;
  std::fputs(fmt::format("\r{} [{}{}] {:3}% {}/{}", label_, std::string(filled, '#'),
                         std::string(kWidth - filled, '.'), percent, done, total)
                 .c_str(),
             stderr);
  std::fflush(stderr);
}

void ProgressBar::message(const std::string& text) {
  if (!active_) return;
  std::fputs(fmt::format("\r\033[K{} {}", label_, text).c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (!active_ || !drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

std::size_t peak_memory_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::size_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
}

}  // namespace openfwp::cli
