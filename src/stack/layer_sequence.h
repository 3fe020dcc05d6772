// SPDX-License-Identifier: Apache-2.0
// Which WFP layers a socket operation or a packet traverses, and in which order: Microsoft's
// "TCP Packet Flows" (the founding document, ../shared/seeds/) and "UDP Packet Flows"
// (learn.microsoft.com/windows/win32/fwp/udp-packet-flows) as data. Host code never names a
// layer itself; it walks one of these sequences, so the order lives in exactly one place.
//
// A Stage is a layer without its IP version; layer_of() picks the V4 or V6 layer. Redirect
// stages exist from Windows 7 / Server 2008 R2 on, the platform openfwp models.
#pragma once

#include "model/catalog.h"

#include <span>
#include <string_view>

namespace openfwp::stack {

enum class Stage : std::uint8_t {
  kBindRedirect,        // FWPM_LAYER_ALE_BIND_REDIRECT
  kResourceAssignment,  // FWPM_LAYER_ALE_RESOURCE_ASSIGNMENT
  kAuthListen,          // FWPM_LAYER_ALE_AUTH_LISTEN
  kConnectRedirect,     // FWPM_LAYER_ALE_CONNECT_REDIRECT
  kAuthConnect,         // FWPM_LAYER_ALE_AUTH_CONNECT
  kAuthRecvAccept,      // FWPM_LAYER_ALE_AUTH_RECV_ACCEPT
  kFlowEstablished,     // FWPM_LAYER_ALE_FLOW_ESTABLISHED
  kStream,              // FWPM_LAYER_STREAM
  kDatagramData,        // FWPM_LAYER_DATAGRAM_DATA
  kOutboundTransport,   // FWPM_LAYER_OUTBOUND_TRANSPORT
  kOutboundIpPacket,    // FWPM_LAYER_OUTBOUND_IPPACKET
  kInboundIpPacket,     // FWPM_LAYER_INBOUND_IPPACKET
  kInboundTransport,    // FWPM_LAYER_INBOUND_TRANSPORT
  kOutboundIcmpError,   // FWPM_LAYER_OUTBOUND_ICMP_ERROR
  kInboundIcmpError,    // FWPM_LAYER_INBOUND_ICMP_ERROR
};

/// The layer of `stage` for an IPv6 (`v6`) or IPv4 flow.
model::LayerId layer_of(Stage stage, bool v6);

/// The sequences. Each names what it follows in Microsoft's pages.
namespace sequence {
/// bind(): TCP and UDP, both hosts.
std::span<const Stage> bind();
/// listen() on a bound TCP socket.
std::span<const Stage> listen();
/// connect() (TCP) or the first sendto() of a 5-tuple (UDP), before any packet leaves.
std::span<const Stage> connect();
/// Every packet the host sends: transport, then IP.
std::span<const Stage> send_packet();
/// Every packet the host receives, before transport demultiplexing.
std::span<const Stage> receive_ip();
}  // namespace sequence

std::string_view stage_name(Stage stage);

}  // namespace openfwp::stack
