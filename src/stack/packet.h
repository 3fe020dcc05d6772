// SPDX-License-Identifier: Apache-2.0
// A packet on the simulated wire: the header fields the host model and WFP's layers look at,
// and the payload length (payload bytes are kept only when a stream callout may inspect them).
#pragma once

#include "common/ip_address.h"

#include <cstdint>
#include <string>
#include <vector>

namespace openfwp::stack {

namespace ip_protocol {
inline constexpr std::uint8_t kIcmp = 1;
inline constexpr std::uint8_t kTcp = 6;
inline constexpr std::uint8_t kUdp = 17;
inline constexpr std::uint8_t kIcmpV6 = 58;
/// ICMP for IPv4 or ICMPv6: the protocols whose "ports" are the message type and code.
constexpr bool is_icmp(std::uint8_t protocol) { return protocol == kIcmp || protocol == kIcmpV6; }
}  // namespace ip_protocol

struct TcpFlags {
  bool syn = false;
  bool ack = false;
  bool fin = false;
  bool rst = false;
};

/// For ICMP errors: the header of the packet that caused them (RFC 792 / 4443 quote it).
struct QuotedHeader {
  std::uint8_t protocol = 0;
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
};

struct Packet {
  IpAddress source;
  IpAddress destination;
  std::uint8_t protocol = 0;
  std::uint16_t source_port = 0;       // TCP/UDP
  std::uint16_t destination_port = 0;  // TCP/UDP
  TcpFlags tcp;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::vector<std::uint8_t> payload;
  std::uint8_t icmp_type = 0;  // ICMP
  std::uint8_t icmp_code = 0;
  QuotedHeader quoted;

  /// The founding document's name for this packet: SYN, SYN-ACK, ACK, RST, FIN, segment,
  /// datagram (UDP), icmp-error.
  std::string event_name() const;
  /// The name at the IP packet layers: the founding document calls a TCP data segment a
  /// "datagram" there.
  std::string ip_event_name() const;
};

/// The founding document's name for a packet: SYN, SYN-ACK, ACK, RST, FIN, segment (TCP data),
/// icmp-error, datagram (UDP, ICMP queries, other protocols).
std::string packet_event_name(std::uint8_t protocol, const TcpFlags& tcp, bool has_payload,
                              bool icmp_error);
/// The name at the IP packet layers, where a TCP data segment is a "datagram".
std::string packet_ip_event_name(std::uint8_t protocol, const TcpFlags& tcp, bool has_payload,
                                 bool icmp_error);

}  // namespace openfwp::stack
