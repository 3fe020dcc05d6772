// SPDX-License-Identifier: Apache-2.0
// UDP, ICMP and other protocols of ReplayHost, in the order of host_udp.cpp (Microsoft's "UDP
// Packet Flows", which every non-TCP protocol follows), driven by captured datagrams.
#include "stack/replay_host.h"

namespace openfwp::stack {

void ReplayHost::datagram_outbound(const ObservedPacket& packet) {
  ClassifyContext context = context_for(packet, true, "sendto");
  const flow::FlowKey key = context.key;
  Conversation& conv = join(key, packet, true, true);
  if (!conv.modelled) {
    // The first sendto() of a 5-tuple: bind (UDP ports only), CONNECT_REDIRECT, AUTH_CONNECT,
    // FLOW_ESTABLISHED. A refused one is classified again at the next datagram, as each
    // sendto() is on Windows.
    if (key.protocol == ip_protocol::kUdp && !bind_once(context)) return;
    if (!walker_.pass_all(sequence::connect(), context)) return;
    context.attach(open_flow(conv, key, false));
    if (!flow_established(conv, context)) return;
  } else {
    flow::FlowState* flow = flows_.find(key);
    context.attach(*flow);
    if (!walker_.authorize_packet(*flow, context, true)) {
      end_conversation(conv, "blocked at reauthorization");  // the next datagram starts anew
      return;
    }
  }
  context.event = "datagram";
  if (!walker_.pass(Stage::kDatagramData, context)) return;
  send_layers(context, packet);
}

void ReplayHost::datagram_inbound(const ObservedPacket& packet) {
  ClassifyContext context = context_for(packet, false, packet.ip_event_name());
  const flow::FlowKey key = context.key;
  Conversation& conv = join(key, packet, false, false);
  if (!inbound_ip(packet, context)) return;
  context.event = "datagram";
  if (!conv.modelled) {
    if (key.protocol == ip_protocol::kUdp && hints_.udp_port_closed(key)) {
      // "UDP with no endpoint is indicated at IPPACKET discard ... Block this packet at
      // IPPACKET discard to cause the stack not to send the ICMP error."
      context.discard_reason = "no endpoint: the port is closed";
      current_.expect_discard = true;
      conv.owed_reply = !walker_.discard_blocked(Stage::kInboundIpPacket, context);
      current_.silenced = conv.owed_reply == false;
      if (conv.summary.end == "open") conv.summary.end = "no endpoint";
      return;
    }
    if (!walker_.pass(Stage::kInboundTransport, context)) return;
    if (!walker_.pass(Stage::kAuthRecvAccept, context)) return;
    context.attach(open_flow(conv, key, true));
    if (!flow_established(conv, context)) return;
  } else {
    flow::FlowState* flow = flows_.find(key);
    context.attach(*flow);
    if (!walker_.pass(Stage::kInboundTransport, context)) return;
    if (!walker_.authorize_packet(*flow, context, false)) {
      end_conversation(conv, "blocked at reauthorization");
      return;
    }
  }
  walker_.pass(Stage::kDatagramData, context);
}

void ReplayHost::icmp_error_outbound(const ObservedPacket& packet) {
  // The error answers a packet the local host received: the quoted packet's destination is the
  // local end of the flow it belongs to.
  const flow::FlowKey flow_key{packet.quoted.protocol, packet.quoted_destination,
                               packet.quoted.destination_port, packet.quoted_source,
                               packet.quoted.source_port};
  Conversation& conv = join(flow_key, packet, false, true);
  if (conv.owed_reply == false) {
    suppress(&conv, packet, true,
             "stealth mode: a filter at the IP packet discard layer silenced the port");
    return;
  }
  // "OUTBOUND_ICMP_ERROR, OUTBOUND_TRANSPORT, OUTBOUND_IPPACKET".
  ClassifyContext context = context_for(packet, true, "icmp-error");
  if (!walker_.pass(Stage::kOutboundIcmpError, context)) return;
  send_layers(context, packet);
}

void ReplayHost::icmp_error_inbound(const ObservedPacket& packet) {
  // The error is about a packet the local host sent: its source is the local end.
  const flow::FlowKey flow_key{packet.quoted.protocol, packet.quoted_source,
                               packet.quoted.source_port, packet.quoted_destination,
                               packet.quoted.destination_port};
  join(flow_key, packet, true, false);
  ClassifyContext context = context_for(packet, false, "icmp-error");
  if (!inbound_ip(packet, context)) return;
  context.event = "icmp-error";
  walker_.pass(Stage::kInboundIcmpError, context);
}

}  // namespace openfwp::stack
