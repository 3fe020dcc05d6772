// SPDX-License-Identifier: Apache-2.0
// ProcessTable: socket inode → the executable of a process holding it, for ALE_APP_ID
// (docs/decisions/0006, "Identity"). Linux has no socket → process index, so this is the
// `ss -p` method: every /proc/PID/fd/N that reads "socket:[inode]".
//
// Cost model. A scan of /proc/*/fd costs milliseconds (one readlink per open fd on the host); a
// lookup of a known inode costs two readlinks (microseconds). So:
//   - on a miss, ONE scan refreshes the inode → (pid, fd) map of every process, so the sockets
//     that arrive next are hits;
//   - a hit is re-checked cheaply: /proc/PID/fd/N must still read "socket:[inode]" (this catches
//     a closed socket and a reused pid), and /proc/PID/exe is read afresh. The exe is not
//     cached per pid because execve changes it without changing the pid or the start time —
//     socket activation (systemd, inetd) hands a listener across exactly that exec — and the
//     readlink costs no more than reading /proc/PID/stat to validate a cached one would;
//   - an inode still unknown after a scan is remembered as a miss for `miss_memory`, so a flood
//     of packets for a socket that no process holds (already closed, or in another pid
//     namespace) costs one scan per socket, not one per packet. (`min_scan_interval` can bound
//     scans further, at the price of unknown identities: off by default, see there.)
// Processes that exit during a scan, or whose fds we may not read, are skipped: that is normal.
//
// When several processes hold the socket (fork, socket activation), the highest pid wins: the
// child that inherited or was handed the socket is the one that uses it.
//
// Thread-safety: none; one table per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace openfwp::live {

/// How often ProcessTable may scan /proc.
struct ProcessTableLimits {
  /// An inode not found by a scan answers nullopt without another scan for this long.
  std::chrono::nanoseconds miss_memory = std::chrono::milliseconds(100);
  /// No scan starts sooner than this after the previous one. Zero by default: a new socket's
  /// inode is in no earlier scan, and answering "unknown" for it would let an application that
  /// an ALE_APP_ID filter blocks through whenever it connects right after another lookup (the
  /// live test `app` caught exactly that with 10 ms). Raise it only where a missing
  /// application identity is acceptable.
  std::chrono::nanoseconds min_scan_interval = std::chrono::nanoseconds(0);
};

/// Socket inode → owning process's executable, from /proc.
class ProcessTable {
 public:
  explicit ProcessTable(std::string proc_root = "/proc", ProcessTableLimits limits = {});

  /// readlink of /proc/PID/exe (as the kernel gives it, " (deleted)" stripped) of a process
  /// holding fd `socket:[inode]`; nullopt if no process visible to us holds it.
  std::optional<std::string> exe_of_socket(std::uint64_t inode);

  struct Stats {
    std::uint64_t lookups = 0;        ///< exe_of_socket calls
    std::uint64_t hits = 0;           ///< lookups answered with an exe
    std::uint64_t scans = 0;          ///< full scans of /proc/*/fd
    std::uint64_t scan_ns_total = 0;  ///< wall time spent scanning
    std::uint64_t misses = 0;         ///< lookups answered nullopt
  };
  const Stats& stats() const { return stats_; }

 private:
  using Clock = std::chrono::steady_clock;
  struct Holder {
    int pid = 0;
    int fd = 0;
  };

  /// Rebuilds holders_ from every /proc/PID/fd.
  void scan();
  /// The exe of `holder` if it still holds `inode`.
  std::optional<std::string> verified_exe(const Holder& holder, std::uint64_t inode) const;

  std::string proc_root_;
  ProcessTableLimits limits_;
  std::unordered_map<std::uint64_t, Holder> holders_;
  std::unordered_map<std::uint64_t, Clock::time_point> recent_misses_;
  std::optional<Clock::time_point> last_scan_;
  Stats stats_;
};

}  // namespace openfwp::live
