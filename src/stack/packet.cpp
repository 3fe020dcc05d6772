// SPDX-License-Identifier: Apache-2.0
#include "stack/packet.h"

namespace openfwp::stack {

std::string Packet::event_name() const {
  if (protocol == ip_protocol::kTcp) {
    if (tcp.rst) return "RST";
    if (tcp.syn) return tcp.ack ? "SYN-ACK" : "SYN";
    if (tcp.fin) return "FIN";
    if (!payload.empty()) return "segment";
    return "ACK";
  }
  if (protocol == ip_protocol::kIcmp || protocol == ip_protocol::kIcmpV6) return "icmp-error";
  return "datagram";
}

std::string Packet::ip_event_name() const {
  if (protocol == ip_protocol::kTcp && !payload.empty() && !tcp.syn && !tcp.fin && !tcp.rst) {
    return "datagram";
  }
  return event_name();
}

}  // namespace openfwp::stack
