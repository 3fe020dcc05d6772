// SPDX-License-Identifier: Apache-2.0
// UDP and ICMP endpoints of Host, in the order of Microsoft's "UDP Packet Flows" (all non-TCP
// protocols follow it):
//   sender     bind (BIND_REDIRECT, RESOURCE_ASSIGNMENT); first sendto of a 5-tuple
//              (CONNECT_REDIRECT, AUTH_CONNECT, FLOW_ESTABLISHED); every datagram
//              DATAGRAM_DATA, OUTBOUND_TRANSPORT, OUTBOUND_IPPACKET
//   receiver   INBOUND_IPPACKET, INBOUND_TRANSPORT, then for a new 5-tuple AUTH_RECV_ACCEPT and
//              FLOW_ESTABLISHED, then DATAGRAM_DATA
//   no socket  INBOUND_IPPACKET, INBOUND_IPPACKET_DISCARD, then the ICMP port unreachable
//              (OUTBOUND_ICMP_ERROR, OUTBOUND_TRANSPORT, OUTBOUND_IPPACKET) — unless a filter
//              blocks at the IP packet discard layer: no ICMP error
//   reauth     INBOUND_IPPACKET, INBOUND_TRANSPORT, AUTH_RECV_ACCEPT, DATAGRAM_DATA (or
//              AUTH_RECV_ACCEPT_DISCARD)
//   the ICMP error at the sender: INBOUND_IPPACKET, INBOUND_ICMP_ERROR, then the socket sees
//   "port unreachable".
#include "stack/host.h"
#include "stack/network.h"

#include <fmt/format.h>

namespace openfwp::stack {

Result<void> Host::sendto(bool v6, const IpAddress& peer, std::uint16_t port,
                          std::optional<std::uint16_t> local_port, std::uint64_t bytes,
                          const Identity& identity) {
  std::uint16_t bound_port = local_port.value_or(0);
  if (bound_port == 0 || !bindings_.contains({true, v6, bound_port})) {
    OPENFWP_TRY(const auto bound, bind_port(true, v6, bound_port, identity));
    if (!bound) return {};
    bound_port = *bound;
  }
  const Identity& owner = bindings_.at({true, v6, bound_port}).identity;
  Context context;
  context.event = "sendto";
  context.v6 = v6;
  context.key = {ip_protocol::kUdp, *address_of_family(v6), bound_port, peer, port};
  context.identity = &owner;
  flow::FlowState* flow = flows_.find(context.key);
  if (flow == nullptr) {
    if (!pass_all(sequence::connect(), context)) {
      note("sendto", fmt::format("sendto {} port {} failed: blocked by the firewall (WSAEACCES)",
                                 peer.to_string(), port));
      return {};
    }
    flow = &flows_.insert(context.key, false, engine_.policy_epoch());
    context.attach(*flow);
    if (!pass(Stage::kFlowEstablished, context)) {
      end_flow(context.key);
      return {};
    }
  } else {
    context.attach(*flow);
    if (!authorize_packet(*flow, context, true)) return {};
  }
  context.event = "datagram";
  const std::vector<std::uint8_t> data(bytes, std::uint8_t{'x'});
  context.data = data;
  if (!pass(Stage::kDatagramData, context)) return {};
  Packet packet;
  packet.source = context.key.local;
  packet.destination = peer;
  packet.protocol = ip_protocol::kUdp;
  packet.source_port = bound_port;
  packet.destination_port = port;
  packet.payload.assign(bytes, std::uint8_t{'x'});
  send_packet(std::move(packet), context);
  return {};
}

void Host::udp_receive(const Packet& packet) {
  Context context = context_for(packet, true, "datagram");
  const auto binding = bindings_.find({true, packet.source.is_v6, packet.destination_port});
  if (binding == bindings_.end()) {
    // "UDP with no endpoint is indicated at IPPACKET discard with a specific error condition.
    // Block this packet at IPPACKET discard to cause the stack not to send the ICMP error."
    context.discard_reason = "no endpoint: the port is closed";
    if (discard_blocked(Stage::kInboundIpPacket, context)) return;
    send_port_unreachable(packet);
    return;
  }
  context.identity = &binding->second.identity;
  flow::FlowState* flow = flows_.find(context.key);
  if (flow != nullptr) context.attach(*flow);
  if (!pass(Stage::kInboundTransport, context)) return;
  if (flow == nullptr) {
    if (!pass(Stage::kAuthRecvAccept, context)) return;
    flow = &flows_.insert(context.key, true, engine_.policy_epoch());
    context.attach(*flow);
    if (!pass(Stage::kFlowEstablished, context)) {
      end_flow(context.key);
      return;
    }
  } else if (!authorize_packet(*flow, context, false)) {
    return;
  }
  context.data = packet.payload;
  if (!pass(Stage::kDatagramData, context)) return;
  note("app", fmt::format("received {} bytes on udp port {} from {} port {}", packet.payload.size(),
                          packet.destination_port, packet.source.to_string(), packet.source_port));
}

void Host::send_port_unreachable(const Packet& to) {
  Packet error;
  error.source = to.destination;
  error.destination = to.source;
  const bool v6 = to.source.is_v6;
  error.protocol = v6 ? ip_protocol::kIcmpV6 : ip_protocol::kIcmp;
  // RFC 792: type 3 (destination unreachable) code 3 (port); RFC 4443: type 1 code 4.
  error.icmp_type = v6 ? 1 : 3;
  error.icmp_code = v6 ? 4 : 3;
  error.quoted = {to.protocol, to.source_port, to.destination_port};
  Context context = context_for(error, false, "icmp-error");
  if (!pass(Stage::kOutboundIcmpError, context)) return;
  send_packet(std::move(error), context);
}

void Host::icmp_receive(const Packet& packet) {
  Context context = context_for(packet, true, "icmp-error");
  if (!pass(Stage::kInboundIcmpError, context)) return;
  if (packet.quoted.protocol == ip_protocol::kUdp) {
    note("app", fmt::format("udp port {} to {} port {}: port unreachable (WSAECONNRESET)",
                            packet.quoted.source_port, packet.source.to_string(),
                            packet.quoted.destination_port));
  }
}

}  // namespace openfwp::stack
