// SPDX-License-Identifier: Apache-2.0
// ConntrackEvents: the kernel's "connection destroyed" events (ctnetlink multicast group
// NFNLGRP_CONNTRACK_DESTROY), so the daemon ends its ALE flows when the kernel's do, and its
// memory is bounded by the conntrack table.
#pragma once

#include "common/ip_address.h"
#include "common/result.h"
#include "live/netfilter_socket.h"

#include <cstdint>
#include <functional>

namespace openfwp::live {

/// The original-direction tuple of a destroyed connection (who sent its first packet is
/// `source`). ICMP queries carry the echo identifier in `source_port`.
struct DestroyedConnection {
  std::uint8_t protocol = 0;
  IpAddress source;
  IpAddress destination;
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
};

class ConntrackEvents {
 public:
  struct Stats {
    std::uint64_t events = 0;
    std::uint64_t overflows = 0;  ///< ENOBUFS: events lost (flows then end by timeout)
    std::uint64_t unparsed = 0;   ///< messages libmnl refused
  };
  static Result<ConntrackEvents> open();
  int fd() const { return socket_.fd(); }
  /// Reads pending events without blocking.
  Result<void> receive(const std::function<void(const DestroyedConnection&)>& on_destroy);
  const Stats& stats() const { return stats_; }

 private:
  explicit ConntrackEvents(NetfilterSocket socket) : socket_(std::move(socket)) {}
  NetfilterSocket socket_;
  Stats stats_;
};

}  // namespace openfwp::live
