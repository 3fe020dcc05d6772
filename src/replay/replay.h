// SPDX-License-Identifier: Apache-2.0
// `fwp replay` without the CLI: read a capture (io/pcap), decode every frame (io/wire),
// reassemble IP fragments, and feed the local host's model (stack/replay_host.h), changing the
// policy where asked. The CLI and the benchmark both drive this.
#pragma once

#include "common/ip_address.h"
#include "common/result.h"
#include "io/policy/policy.h"
#include "stack/replay_types.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace openfwp::replay {

/// --policy-change AT_PACKET:FILE: before frame `at_packet` (from 1, Wireshark's numbering),
/// the policy is replaced by `policy`.
struct PolicyChange {
  std::uint64_t at_packet = 0;
  io::policy::Policy policy;
  std::string file;  ///< for messages
};

struct ReplayOptions {
  std::string capture_path;
  /// If set, the capture is read from these bytes (fuzzing, tests) and `capture_path` only
  /// names it in messages. Must outlive replay_capture().
  std::optional<std::span<const std::uint8_t>> capture_bytes;
  std::vector<IpAddress> locals;
  io::policy::Policy policy;
  std::vector<PolicyChange> changes;  ///< in any order
  /// Called now and then during the replay pass with (frames done, frames in the capture).
  std::function<void(std::uint64_t, std::uint64_t)> progress;
};

struct ReplayResult {
  std::string link_type;  ///< libpcap's name of the capture's link type
  std::string format;     ///< pcap or pcapng
  std::uint64_t frames = 0;
  std::uint64_t not_ip = 0;  ///< ARP, LLDP…: not IP, not replayed
  stack::ReplayTotals totals;
  /// Set when the capture ended early (truncated or corrupt record): what was replayed up to
  /// there is complete, the rest of the file was not read.
  std::optional<Error> stopped;
};

/// Replays the capture. Errors: the capture cannot be opened or has a link type openfwp does
/// not decode (kParse, naming the file), a policy that does not apply. A capture that breaks
/// off is not an error: see ReplayResult::stopped.
Result<ReplayResult> replay_capture(const ReplayOptions& options, stack::ReplayObserver& observer);

}  // namespace openfwp::replay
