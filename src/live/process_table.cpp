// SPDX-License-Identifier: Apache-2.0
// ProcessTable over /proc: readdir + readlinkat, no allocation per fd except the map entries.
#include "live/process_table.h"

#include <climits>

#include <charconv>
#include <dirent.h>
#include <fcntl.h>
#include <string_view>
#include <unistd.h>
#include <utility>

namespace openfwp::live {
namespace {

constexpr std::string_view kSocketPrefix = "socket:[";
constexpr std::string_view kDeletedSuffix = " (deleted)";

template <class Integer>
std::optional<Integer> parse_decimal(std::string_view text) {
  Integer value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

/// The inode of a "socket:[12345]" link text.
std::optional<std::uint64_t> socket_inode(std::string_view link) {
  if (!link.starts_with(kSocketPrefix) || !link.ends_with(']')) return std::nullopt;
  link.remove_prefix(kSocketPrefix.size());
  link.remove_suffix(1);
  return parse_decimal<std::uint64_t>(link);
}

std::optional<std::string> read_link(int dir_fd, const char* path) {
  char buffer[PATH_MAX];
  const ssize_t length = ::readlinkat(dir_fd, path, buffer, sizeof buffer);
  // A full buffer may be a cut name; no exe or socket link is that long.
  if (length <= 0 || static_cast<std::size_t>(length) >= sizeof buffer) return std::nullopt;
  return std::string(buffer, static_cast<std::size_t>(length));
}

}  // namespace

ProcessTable::ProcessTable(std::string proc_root, ProcessTableLimits limits)
    : proc_root_(std::move(proc_root)), limits_(limits) {}

std::optional<std::string> ProcessTable::exe_of_socket(std::uint64_t inode) {
  ++stats_.lookups;
  if (const auto known = holders_.find(inode); known != holders_.end()) {
    if (auto exe = verified_exe(known->second, inode)) {
      ++stats_.hits;
      return exe;
    }
    holders_.erase(known);  // closed, or its process is gone: a scan may find the new holder
  }

  const Clock::time_point now = Clock::now();
  const auto miss = recent_misses_.find(inode);
  const bool remembered_miss =
      miss != recent_misses_.end() && now - miss->second < limits_.miss_memory;
  const bool scanned_lately = last_scan_ && now - *last_scan_ < limits_.min_scan_interval;
  if (!remembered_miss && !scanned_lately) {
    scan();
    if (const auto found = holders_.find(inode); found != holders_.end()) {
      if (auto exe = verified_exe(found->second, inode)) {
        recent_misses_.erase(inode);
        ++stats_.hits;
        return exe;
      }
    }
    recent_misses_[inode] = now;
  }
  ++stats_.misses;
  return std::nullopt;
}

void ProcessTable::scan() {
  const Clock::time_point start = Clock::now();
  ++stats_.scans;
  holders_.clear();
  // Forget old misses here, so the miss memory stays bounded by what one interval can add.
  std::erase_if(recent_misses_,
                [&](const auto& entry) { return start - entry.second >= limits_.miss_memory; });

  if (DIR* const proc = ::opendir(proc_root_.c_str()); proc != nullptr) {
    while (const dirent* const process = ::readdir(proc)) {
      const auto pid = parse_decimal<int>(process->d_name);
      if (!pid) continue;  // "self", "net", "sys", …
      const std::string fd_path = std::string(process->d_name) + "/fd";
      // EACCES (another user's process, without CAP_SYS_PTRACE) and ENOENT (it just exited)
      // are both normal; the process is skipped.
      const int fd_dir =
          ::openat(::dirfd(proc), fd_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fd_dir < 0) continue;
      DIR* const fds = ::fdopendir(fd_dir);
      if (fds == nullptr) {
        ::close(fd_dir);
        continue;
      }
      while (const dirent* const entry = ::readdir(fds)) {
        const auto fd = parse_decimal<int>(entry->d_name);
        if (!fd) continue;
        const auto link = read_link(fd_dir, entry->d_name);
        if (!link) continue;
        const auto inode = socket_inode(*link);
        if (!inode) continue;
        const auto [slot, inserted] = holders_.try_emplace(*inode, Holder{*pid, *fd});
        if (!inserted && *pid > slot->second.pid) slot->second = Holder{*pid, *fd};
      }
      ::closedir(fds);
    }
    ::closedir(proc);
  }

  const Clock::time_point end = Clock::now();
  last_scan_ = end;
  stats_.scan_ns_total += static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count());
}

std::optional<std::string> ProcessTable::verified_exe(const Holder& holder,
                                                      std::uint64_t inode) const {
  const std::string process = proc_root_ + "/" + std::to_string(holder.pid);
  const auto link = read_link(AT_FDCWD, (process + "/fd/" + std::to_string(holder.fd)).c_str());
  if (!link || socket_inode(*link) != inode) return std::nullopt;
  auto exe = read_link(AT_FDCWD, (process + "/exe").c_str());
  if (!exe) return std::nullopt;  // a kernel thread, or exited since
  if (exe->ends_with(kDeletedSuffix)) exe->resize(exe->size() - kDeletedSuffix.size());
  return exe;
}

}  // namespace openfwp::live
