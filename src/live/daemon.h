// SPDX-License-Identifier: Apache-2.0
// Daemon: `fwp serve`. The engine and host model of the simulator and the replay, enforcing on
// this host: packets from NFQUEUE go through stack::ReplayHost (with the kernel's own answers
// about its sockets), and its verdict is the kernel's.
#pragma once

// Design (decision 0006)
// ------
// One thread, one poll loop over: the queue, conntrack destroy events, the control socket, and
// a signalfd (SIGHUP reloads, SIGTERM/SIGINT stop). Nothing is shared, so nothing is locked.
//
// Per packet: decode the IP packet, ReplayHost::observe_directed (INPUT = inbound, OUTPUT =
// outbound), then the verdict:
//   - drop: a layer blocked it, the modelled stack would not have sent it, or stealth mode
//     silenced the closed port (dropping the SYN keeps the kernel from sending its RST);
//   - a TCP connection cut by reauthorization also gets the conntrack mark "cut" (later packets
//     are dropped in the kernel) and its socket destroyed (SOCK_DESTROY), as is a socket whose
//     connect() ALE refused, so the application fails at once;
//   - accept; if the flow is ALE-permitted under the current policy and this family has no
//     filters at its packet layers, the verdict also sets the fast-path mark of this policy
//     generation, and its later packets stay in the kernel.
// Every committed policy change (control socket, SIGHUP) moves the fast-path rule to the new
// generation, so every marked flow comes back once and is reauthorized.

#include "common/result.h"

#include <cstdint>
#include <string>

namespace openfwp::live {

struct DaemonOptions {
  std::string policy_path;  ///< loaded at start, rewritten on every change, reloaded on SIGHUP
  std::string control_path = "/run/openfwp/fwp.sock";
  std::uint16_t queue_num = 0;
  bool fail_open = false;  ///< --on-failure open
  bool ipv6 = true;
  bool verbose = false;  ///< net events and flow ends on stderr
};

/// Runs until SIGTERM or SIGINT; the rules it installed are removed on the way out. An error
/// means it could not start (or the kernel interface failed) and names what.
Result<void> run_daemon(const DaemonOptions& options);

}  // namespace openfwp::live
