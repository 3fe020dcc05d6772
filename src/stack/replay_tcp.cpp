// SPDX-License-Identifier: Apache-2.0
// TCP of ReplayHost: the sequences of host_tcp.cpp (the founding document's lists), driven by
// captured segments instead of socket calls. See replay_host.h for how operations are inferred.
#include "stack/replay_host.h"

#include <fmt/format.h>

namespace openfwp::stack {

flow::FlowState& ReplayHost::open_flow(Conversation& conv, const flow::FlowKey& key, bool inbound) {
  conv.modelled = true;
  conv.ever_authorized = true;
  return flows_.insert(key, inbound, engine_.policy_epoch());
}

ReplayHost::Conversation& ReplayHost::tcp_conversation(const flow::FlowKey& key,
                                                       const ObservedPacket& packet,
                                                       bool outbound) {
  if (packet.tcp.syn && !packet.tcp.ack) {
    // A new connection on a tuple whose last connection ended: that one is done.
    const auto old = conversations_.find(key);
    if (old != conversations_.end() && old->second.phase == TcpPhase::kClosed) retire(key);
  }
  return join(key, packet, outbound, outbound);
}

bool ReplayHost::flow_established(Conversation& conv, const ClassifyContext& context) {
  if (walker_.pass(Stage::kFlowEstablished, context)) return true;
  end_conversation(conv, "blocked at flow establishment");
  return false;
}

void ReplayHost::tcp_outbound(const ObservedPacket& packet) {
  ClassifyContext context = context_for(packet, true, packet.event_name());
  const flow::FlowKey key = context.key;
  const bool syn = packet.tcp.syn && !packet.tcp.ack;
  Conversation& conv = tcp_conversation(key, packet, true);

  if (syn) {
    if (conv.phase == TcpPhase::kNone && !conv.connect_refused) {
      tcp_connect(conv, packet, context);
      return;
    }
    if (conv.connect_refused && packet.seq == conv.local_isn) {
      suppress(&conv, packet, true, "ALE refused its connect(), so the stack sends no SYN again");
      return;
    }
    if (conv.connect_refused) {  // the application tries again: a new connect()
      conv.connect_refused = false;
      tcp_connect(conv, packet, context);
      return;
    }
  }
  if (conv.connect_refused) {
    suppress(&conv, packet, true, "ALE refused its connect()");
    return;
  }
  if (conv.accept_refused) {
    suppress(&conv, packet, true, "its SYN was refused at ALE_AUTH_RECV_ACCEPT");
    return;
  }
  if (conv.dropped) {
    suppress(&conv, packet, true,
             "reauthorization blocked the connection and the stack dropped it");
    return;
  }
  if (conv.owed_reply && !conv.modelled) {
    // The answer of a closed port (RST), or anything else the stack sends without a socket.
    if (*conv.owed_reply) {
      send_layers(context, packet);
    } else {
      suppress(&conv, packet, true,
               "stealth mode: a filter at the transport discard layer silenced the port");
    }
    return;
  }
  tcp_segment(conv, packet, context, true);
}

void ReplayHost::tcp_inbound(const ObservedPacket& packet) {
  ClassifyContext context = context_for(packet, false, packet.ip_event_name());
  const flow::FlowKey key = context.key;
  const bool syn = packet.tcp.syn && !packet.tcp.ack;
  Conversation& conv = tcp_conversation(key, packet, false);
  if (!inbound_ip(packet, context)) return;

  if (syn && !conv.modelled) {
    if (hints_.accepts_syn(key)) {
      tcp_accept(conv, packet, context);
    } else {
      tcp_no_endpoint(&conv, packet, context);
    }
    return;
  }
  if (!conv.dropped && (conv.modelled || conv.phase == TcpPhase::kClosed)) {
    tcp_segment(conv, packet, context, false);
    return;
  }
  const bool first_seen = conv.summary.packets_in + conv.summary.packets_out == 1;
  if (first_seen && !packet.tcp.rst && !conv.accept_refused && hints_.tcp_local_sends(key)) {
    tcp_segment(conv, packet, context, false);  // picked up mid-stream
    return;
  }
  // No connection in the modelled stack (its SYN was refused, or the port is closed).
  tcp_no_endpoint(&conv, packet, context);
}

void ReplayHost::tcp_connect(Conversation& conv, const ObservedPacket& packet,
                             ClassifyContext context) {
  conv.summary.inbound = false;
  conv.local_isn = packet.seq;
  // TCP Packet Flows, "Client performs Active Open": bind, connect, then the SYN out.
  context.event = "connect";
  if (!bind_once(context) || !walker_.pass_all(sequence::connect(), context)) {
    conv.connect_refused = true;
    conv.summary.end = "refused";
    return;
  }
  context.attach(open_flow(conv, context.key, false));
  conv.phase = TcpPhase::kSynSent;
  conv.out_stream.start(packet.seq);
  send_layers(context, packet);
}

void ReplayHost::tcp_accept(Conversation& conv, const ObservedPacket& packet,
                            ClassifyContext context) {
  // "SYN: INBOUND_TRANSPORT, AUTH_RECV_ACCEPT"; a refused SYN is dropped silently.
  if (hints_.walks_listen() && !listen_once(context)) {
    conv.summary.end = "listen refused";
    return;  // AUTH_LISTEN blocked: the listener never listened, the SYN is dropped
  }
  context.event = "SYN";
  if (!walker_.pass(Stage::kInboundTransport, context)) return;
  if (!walker_.pass(Stage::kAuthRecvAccept, context)) {
    conv.accept_refused = true;
    conv.summary.end = "refused";
    return;
  }
  conv.accept_refused = false;
  conv.summary.inbound = true;
  conv.phase = TcpPhase::kSynReceived;
  conv.summary.end = "open";
  open_flow(conv, context.key, true);
  conv.in_stream.start(packet.seq);
}

void ReplayHost::tcp_no_endpoint(Conversation* conv, const ObservedPacket& packet,
                                 ClassifyContext context) {
  if (packet.tcp.rst) return;  // a RST is never answered
  // "No listener": the drop is indicated at the transport discard layer; a block there keeps
  // the stack silent (stealth mode), otherwise it answers with a RST.
  context.discard_reason = "no endpoint: the port is closed";
  current_.expect_discard = true;
  const bool silenced = walker_.discard_blocked(Stage::kInboundTransport, context);
  current_.silenced = silenced;
  if (conv != nullptr) {
    conv->owed_reply = !silenced;
    if (conv->summary.end == "open") conv->summary.end = "no endpoint";
  }
}

bool ReplayHost::tcp_pick_up(Conversation& conv, ClassifyContext& context) {
  // Which end opened the connection is not in the capture: the end on a port seen listening,
  // else the lower port, is taken for the server.
  const flow::FlowKey& key = context.key;
  const bool local_server =
      hints_.listening(key.local, key.local_port) ||
      (!hints_.listening(key.remote, key.remote_port) && key.local_port < key.remote_port);
  conv.summary.midstream = true;
  conv.summary.inbound = local_server;
  ClassifyContext ale = context;
  ale.event = local_server ? "accept" : "connect";
  if (!walker_.pass(local_server ? Stage::kAuthRecvAccept : Stage::kAuthConnect, ale)) {
    (local_server ? conv.accept_refused : conv.connect_refused) = true;
    conv.summary.end = "refused";
    return false;
  }
  context.attach(open_flow(conv, key, local_server));
  if (!flow_established(conv, context)) return false;
  conv.phase = TcpPhase::kEstablished;
  return true;
}

void ReplayHost::tcp_segment(Conversation& conv, const ObservedPacket& packet,
                             ClassifyContext context, bool outbound) {
  if (auto* flow = flows_.find(context.key)) context.attach(*flow);
  const bool pick_up = !conv.modelled && conv.phase == TcpPhase::kNone;
  if (!outbound) {
    context.event = packet.event_name();
    if (!walker_.pass(Stage::kInboundTransport, context)) return;
  }
  if (pick_up && !tcp_pick_up(conv, context)) return;

  const bool handshake = conv.phase == TcpPhase::kSynSent || conv.phase == TcpPhase::kSynReceived;
  auto* flow = flows_.find(context.key);
  // Reauthorization: every packet of a flow after a policy change, except the handshake's and
  // a RST, which always leaves (host_tcp.cpp).
  const bool reauthorize = outbound ? !packet.tcp.syn && !packet.tcp.rst : !handshake;
  if (flow != nullptr && !pick_up && reauthorize &&
      !walker_.authorize_packet(*flow, context, outbound)) {
    conv.dropped = true;
    current_.cut = true;
    end_conversation(conv, "blocked at reauthorization");
    return;
  }

  if (!outbound) {
    if (packet.tcp.rst) {
      end_conversation(conv, "rst");
      return;
    }
    if (conv.phase == TcpPhase::kSynSent && packet.tcp.syn && packet.tcp.ack) {
      // "SYN-ACK: INBOUND_IPPACKET, INBOUND_TRANSPORT, FLOW_ESTABLISHED".
      if (!flow_established(conv, context)) return;
      conv.phase = TcpPhase::kEstablished;
      conv.in_stream.start(packet.seq);
    } else if (conv.phase == TcpPhase::kSynReceived && packet.tcp.ack && !packet.tcp.syn) {
      // "ACK: INBOUND_IPPACKET, INBOUND_TRANSPORT, FLOW_ESTABLISHED".
      if (!flow_established(conv, context)) return;
      conv.phase = TcpPhase::kEstablished;
    }
  } else if (packet.tcp.syn && conv.phase == TcpPhase::kSynReceived) {
    conv.out_stream.start(packet.seq);  // our SYN-ACK: the stream we send starts here
  }

  // The stream layer: the bytes this segment adds to its direction's in-order stream.
  flow::TcpStreamReassembler& stream = outbound ? conv.out_stream : conv.in_stream;
  const bool carries_stream = !packet.payload.empty() || packet.tcp.fin;
  bool stream_passed = true;
  if (carries_stream && conv.phase != TcpPhase::kClosed) {
    if (!stream.started()) {
      if (packet.tcp.syn) {
        stream.start(packet.seq);
      } else {
        stream.start_midstream(packet.seq);
      }
    }
    const std::uint32_t first = packet.seq + (packet.tcp.syn ? 1U : 0U);
    const flow::SegmentResult result = stream.add(first, packet.payload, packet.tcp.fin);
    for (const auto& chunk : result.delivered) {
      ClassifyContext data = context;
      data.event = outbound ? "send" : "data";
      data.data = chunk.bytes;
      if (walker_.pass(Stage::kStream, data)) {
        (outbound ? conv.summary.stream_bytes_out : conv.summary.stream_bytes_in) +=
            chunk.bytes.size();
      } else {
        stream_passed = false;
      }
    }
  }
  if (outbound) {
    // The stack sends what the stream layer let through (host_tcp.cpp: a stream block drops
    // the application's bytes before any segment leaves).
    if (!stream_passed) return;
    if (conv.phase == TcpPhase::kClosed && conv.owed_reply == false) return;
    if (!send_layers(context, packet)) return;
    if (packet.tcp.rst) {
      end_conversation(conv, "rst");
      return;
    }
  }
  if (packet.tcp.fin) (outbound ? conv.fin_out : conv.fin_in) = true;
  if (conv.fin_in && conv.fin_out && !packet.tcp.fin && conv.phase != TcpPhase::kClosed) {
    end_conversation(conv, "fin");  // the last ACK of the FIN exchange
  }
}

}  // namespace openfwp::stack
