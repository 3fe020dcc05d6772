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
//   - a TCP connection cut by reauthorization has its socket destroyed (SOCK_DESTROY), as has a
//     socket whose connect() ALE refused, so the application fails at once;
//   - accept.
// The fast path (decision 0006): a packet of a flow ALE permitted under the current policy,
// past the TCP handshake, in a family with no filters at its packet layers, goes back through
// the hook (NF_REPEAT) with the fast-path mark of this policy generation as its packet mark; a
// rule saves it to the connection, and another accepts the connection's later packets in the
// kernel. A policy commit moves that rule to the new generation, so every marked connection
// comes back at its next packet and is reauthorized. A cut connection gets the cut mark the
// same way, and the kernel drops the rest of it.

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
