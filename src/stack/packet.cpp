// SPDX-License-Identifier: Apache-2.0
#include "stack/packet.h"

namespace openfwp::stack {

std::string packet_event_name(std::uint8_t protocol, const TcpFlags& tcp, bool has_payload,
                              bool icmp_error) {
  if (protocol == ip_protocol::kTcp) {
    if (tcp.rst) return "RST";
    if (tcp.syn) return tcp.ack ? "SYN-ACK" : "SYN";
    if (tcp.fin) return "FIN";
    if (has_payload) return "segment";
    return "ACK";
  }
  if (ip_protocol::is_icmp(protocol) && icmp_error) {
    return "icmp-error";
  }
  return "datagram";
}

std::string packet_ip_event_name(std::uint8_t protocol, const TcpFlags& tcp, bool has_payload,
                                 bool icmp_error) {
  if (protocol == ip_protocol::kTcp && has_payload && !tcp.syn && !tcp.fin && !tcp.rst) {
    return "datagram";
  }
  return packet_event_name(protocol, tcp, has_payload, icmp_error);
}

std::string Packet::event_name() const {
  return packet_event_name(protocol, tcp, !payload.empty(), true);
}

std::string Packet::ip_event_name() const {
  return packet_ip_event_name(protocol, tcp, !payload.empty(), true);
}

}  // namespace openfwp::stack
