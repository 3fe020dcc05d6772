// SPDX-License-Identifier: Apache-2.0
// IptablesRules: the netfilter rules that send this host's traffic to the daemon's queue, and
// the fast path that keeps decided flows in the kernel (decision 0006). Installed at start,
// removed at exit, by the daemon itself.
#pragma once

#include "common/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace openfwp::live {

/// Conntrack marks (the low 24 bits; the daemon leaves the high byte to others). The daemon
/// sets them as packet marks with an NF_REPEAT verdict; a rule saves them to the connection:
/// bits 0..7 say what the daemon decided, bits 8..23 the policy generation of a fast-path flow.
constexpr std::uint32_t kMarkMask = 0xffffff;
constexpr std::uint32_t kMarkFastPath = 0x01;  ///< ALE permitted; packets stay in the kernel
constexpr std::uint32_t kMarkCut = 0x02;       ///< reauthorization blocked; packets are dropped
/// The mark of a fast-path flow decided under policy generation `generation`.
constexpr std::uint32_t fast_path_mark(std::uint64_t generation) {
  return static_cast<std::uint32_t>((generation & 0xffff) << 8) | kMarkFastPath;
}

class IptablesRules {
 public:
  struct Options {
    std::uint16_t queue_num = 0;
    bool fail_open = false;  ///< NFQUEUE --queue-bypass: accept while no daemon reads the queue
    bool ipv6 = true;        ///< also ip6tables
    std::string iptables = "iptables";
    std::string ip6tables = "ip6tables";
  };

  /// Creates the chains OPENFWP_IN / OPENFWP_OUT (replacing leftovers of a daemon that died)
  /// and jumps to them first from INPUT and OUTPUT, for IPv4 and (optionally) IPv6.
  static Result<IptablesRules> install(const Options& options, std::uint64_t generation);
  IptablesRules(IptablesRules&& other) noexcept;
  IptablesRules& operator=(IptablesRules&&) = delete;
  /// Removes everything install() added (best effort: a rule already gone is fine).
  ~IptablesRules();

  /// Points the fast-path rule at `generation`: connections marked under an older policy come
  /// back to the queue at their next packet, to be reauthorized.
  Result<void> set_generation(std::uint64_t generation);
  /// Removes the rules now (the destructor then does nothing).
  void remove();

 private:
  explicit IptablesRules(Options options) : options_(std::move(options)) {}
  std::vector<std::string> tools() const;

  Options options_;
  bool installed_ = false;
};

/// Runs `argv` (no shell) and waits; an error carries its exit status and stderr.
Result<void> run_command(const std::vector<std::string>& argv);

}  // namespace openfwp::live
