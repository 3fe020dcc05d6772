// SPDX-License-Identifier: Apache-2.0
// LocalEndpoints: what ReplayHost must know about the local host's sockets that packets alone do
// not say. A capture answers from what the host did later in the capture (EndpointHints); a live
// host answers by asking its kernel (live::KernelEndpoints, NETLINK_SOCK_DIAG).
#pragma once

#include "common/ip_address.h"
#include "flow/flow_table.h"
#include "stack/scenario.h"

#include <cstdint>

namespace openfwp::stack {

/// The questions ReplayHost asks about local endpoints. Keys are seen from the local host
/// (`key.local` is the local address). The answers are const for the host model; an
/// implementation may cache.
class LocalEndpoints {
 public:
  virtual ~LocalEndpoints() = default;
  /// Would the stack take this inbound SYN (a listener on its local address and port)?
  virtual bool accepts_syn(const flow::FlowKey& key) const = 0;
  /// Is there a TCP listener on this local address and port? Used to guess the server end of a
  /// connection joined mid-stream.
  virtual bool listening(const IpAddress& local, std::uint16_t port) const = 0;
  /// Does no UDP socket receive datagrams on `key` (the stack answers port unreachable)?
  virtual bool udp_port_closed(const flow::FlowKey& key) const = 0;
  /// Does the local host have a TCP connection on this 5-tuple, though its handshake was not
  /// seen (joined mid-stream), as opposed to a stray packet to a closed port?
  virtual bool tcp_local_sends(const flow::FlowKey& key) const = 0;
  /// The application and user owning the local socket of `key`, for ALE_APP_ID and
  /// ALE_USER_ID; empty fields where unknown.
  virtual Identity identity(const flow::FlowKey& /*key*/, bool /*outbound*/) const { return {}; }
  /// True where a listen() can be attributed to a listener (a live host): the first accepted SYN
  /// of a listener walks bind and AUTH_LISTEN for it. A capture shows no listen().
  virtual bool walks_listen() const { return false; }
};

}  // namespace openfwp::stack
