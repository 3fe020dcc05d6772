// SPDX-License-Identifier: Apache-2.0
// TCP endpoints of Host. The layer order follows the founding document ("TCP Packet Flows"):
//   connection set-up   client: bind (BIND_REDIRECT, RESOURCE_ASSIGNMENT), connect
//                       (CONNECT_REDIRECT, AUTH_CONNECT), SYN out (OUTBOUND_TRANSPORT,
//                       OUTBOUND_IPPACKET); server: SYN in (INBOUND_IPPACKET,
//                       INBOUND_TRANSPORT, AUTH_RECV_ACCEPT), SYN-ACK out; client: SYN-ACK in
//                       (… , FLOW_ESTABLISHED), ACK out; server: ACK in (…, FLOW_ESTABLISHED)
//   no listener         INBOUND_IPPACKET, INBOUND_TRANSPORT_DISCARD, then RST out — unless a
//                       filter blocks at the discard layer (stealth mode): no RST
//   data                sender STREAM, then per segment OUTBOUND_TRANSPORT, OUTBOUND_IPPACKET;
//                       receiver INBOUND_IPPACKET, INBOUND_TRANSPORT, STREAM
//   reauthorization     after a policy change the next packet of a flow is classified at
//                       AUTH_RECV_ACCEPT (inbound) or AUTH_CONNECT (outbound) with the
//                       reauthorize flag, after the transport layer; a block drops it at the
//                       ALE discard layer
//   termination         FIN exchange: transport and IP layers only, no ALE layer.
#include "stack/host.h"
#include "stack/network.h"

#include <fmt/format.h>

#include <algorithm>

namespace openfwp::stack {

Host::Connection* Host::find_connection(const flow::FlowKey& key) {
  for (auto& [label, conn] : connections_) {
    if (conn.key == key) return &conn;
  }
  return nullptr;
}

Host::Connection* Host::find_label(const std::string& label) {
  auto it = connections_.find(label);
  return it == connections_.end() ? nullptr : &it->second;
}

Result<void> Host::connect(const std::string& label, bool v6, const IpAddress& peer,
                           std::uint16_t port, std::optional<std::uint16_t> local_port,
                           const Identity& identity) {
  if (connections_.contains(label)) {
    return fail(ErrorCode::kAlreadyExists, fmt::format("connection \"{}\" already exists", label));
  }
  OPENFWP_TRY(const auto bound, bind_port(false, v6, local_port.value_or(0), identity));
  if (!bound) return {};  // bind blocked; noted
  Connection conn;
  conn.label = label;
  conn.v6 = v6;
  conn.identity = identity;
  conn.key = {ip_protocol::kTcp, *address_of_family(v6), *bound, peer, port};
  Context context;
  context.event = "connect";
  context.v6 = v6;
  context.key = conn.key;
  context.identity = &conn.identity;
  if (!pass_all(sequence::connect(), context)) {
    note("connect", fmt::format("{}: connect to {} port {} failed: blocked by the firewall "
                                "(WSAEACCES)",
                                label, peer.to_string(), port));
    bindings_.erase({false, v6, *bound});
    return {};
  }
  flows_.insert(conn.key, false, engine_.policy_epoch());
  conn.state = TcpState::kSynSent;
  conn.snd_una = conn.snd_nxt = next_iss_;
  next_iss_ += 100000;
  auto& stored = connections_[label] = std::move(conn);
  tcp_transmit(stored, Segment{stored.snd_nxt, 0, true, false}, false);
  tcp_arm_timer(stored);
  return {};
}

Result<void> Host::accept(const std::string& label) {
  for (auto& [name, conn] : connections_) {
    if (!conn.accepted && conn.state == TcpState::kEstablished) {
      conn.accepted = true;
      note("accept", fmt::format("{} accepted {} (from {} port {})", label, name,
                                 conn.key.remote.to_string(), conn.key.remote_port));
      return {};
    }
  }
  return fail(ErrorCode::kUsage, "no established connection is waiting");
}

Result<void> Host::send(const std::string& label, std::uint64_t bytes) {
  Connection* conn = find_label(label);
  if (conn == nullptr ||
      (conn->state != TcpState::kEstablished && conn->state != TcpState::kCloseWait)) {
    return fail(ErrorCode::kUsage,
                fmt::format("\"{}\" is not an open connection on {}", label, name_));
  }
  Context context;
  context.event = "send";
  context.v6 = conn->v6;
  context.key = conn->key;
  context.identity = &conn->identity;
  if (auto* flow = flows_.find(conn->key)) context.attach(*flow);
  // The application's bytes, as a stream callout sees them (the simulator sends filler).
  const std::vector<std::uint8_t> data(bytes, std::uint8_t{'x'});
  context.data = data;
  if (!pass(Stage::kStream, context)) {
    note("send", fmt::format("{}: {} bytes dropped at the stream layer", label, bytes));
    return {};
  }
  for (std::uint64_t offset = 0; offset < bytes; offset += kMss) {
    const auto length = static_cast<std::uint32_t>(std::min<std::uint64_t>(kMss, bytes - offset));
    tcp_transmit(*conn, Segment{conn->snd_nxt, length, false, false}, false);
  }
  tcp_arm_timer(*conn);
  return {};
}

Result<std::uint64_t> Host::recv(const std::string& label) {
  Connection* conn = find_label(label);
  if (conn == nullptr) {
    return fail(ErrorCode::kUsage, fmt::format("no connection \"{}\" on {}", label, name_));
  }
  const std::uint64_t bytes = std::exchange(conn->received, 0);
  note("recv", fmt::format("{}: read {} bytes", label, bytes));
  return bytes;
}

Result<void> Host::close(const std::string& label) {
  Connection* conn = find_label(label);
  if (conn == nullptr) {
    return fail(ErrorCode::kUsage, fmt::format("no connection \"{}\" on {}", label, name_));
  }
  if (conn->state == TcpState::kEstablished) {
    conn->state = TcpState::kFinWait1;
  } else if (conn->state == TcpState::kCloseWait) {
    conn->state = TcpState::kLastAck;
  } else {
    tcp_close_connection(*conn, fmt::format("{}: closed", label));
    return {};
  }
  tcp_transmit(*conn, Segment{conn->snd_nxt, 0, false, true}, false);
  tcp_arm_timer(*conn);
  return {};
}

Result<void> Host::abort(const std::string& label) {
  Connection* conn = find_label(label);
  if (conn == nullptr) {
    return fail(ErrorCode::kUsage, fmt::format("no connection \"{}\" on {}", label, name_));
  }
  tcp_send_control(*conn, TcpFlags{.ack = true, .rst = true});
  tcp_close_connection(*conn, fmt::format("{}: aborted (RST sent)", label));
  return {};
}

// --- Sending ----------------------------------------------------------------------------------

Packet Host::tcp_packet(const Connection& conn) const {
  Packet packet;
  packet.source = conn.key.local;
  packet.destination = conn.key.remote;
  packet.protocol = ip_protocol::kTcp;
  packet.source_port = conn.key.local_port;
  packet.destination_port = conn.key.remote_port;
  packet.seq = conn.snd_nxt;
  packet.ack = conn.rcv_nxt;
  return packet;
}

void Host::tcp_send(Connection& conn, Packet packet, bool reauthorize) {
  Context context = context_for(packet, false, packet.event_name());
  context.identity = &conn.identity;
  if (auto* flow = flows_.find(conn.key)) {
    context.attach(*flow);
    if (reauthorize && !authorize_packet(*flow, context, true)) return;
  }
  send_packet(std::move(packet), context);
}

void Host::tcp_transmit(Connection& conn, const Segment& segment, bool retransmission) {
  Packet packet = tcp_packet(conn);
  packet.seq = segment.seq;
  packet.tcp.syn = segment.syn;
  packet.tcp.fin = segment.fin;
  packet.tcp.ack = conn.state != TcpState::kSynSent;
  packet.payload.assign(segment.length, std::uint8_t{'x'});
  if (!retransmission) {
    conn.unacked.push_back(segment);
    conn.snd_nxt += segment.length + (segment.syn ? 1U : 0U) + (segment.fin ? 1U : 0U);
  }
  // A SYN opens the flow under the verdict it was just given; later packets may need
  // reauthorization.
  tcp_send(conn, std::move(packet), !segment.syn);
}

void Host::tcp_send_control(Connection& conn, TcpFlags flags) {
  Packet packet = tcp_packet(conn);
  packet.tcp = flags;
  tcp_send(conn, std::move(packet), !flags.rst);  // a RST always leaves
}

void Host::tcp_send_reset(const Packet& to) {
  Packet reset;
  reset.source = to.destination;
  reset.destination = to.source;
  reset.protocol = ip_protocol::kTcp;
  reset.source_port = to.destination_port;
  reset.destination_port = to.source_port;
  reset.seq = to.tcp.ack ? to.ack : 0;
  reset.ack = to.seq + static_cast<std::uint32_t>(to.payload.size()) + (to.tcp.syn ? 1U : 0U);
  reset.tcp = TcpFlags{.ack = true, .rst = true};
  send_packet(reset, context_for(reset, false, "RST"));
}

void Host::tcp_arm_timer(Connection& conn) {
  tcp_cancel_timer(conn);
  const std::uint64_t rto = kInitialRtoUs << conn.retransmissions;
  conn.timer = network_.schedule(rto, [this, label = conn.label] { tcp_on_timer(label); });
}

void Host::tcp_cancel_timer(Connection& conn) {
  if (conn.timer) network_.cancel(*conn.timer);
  conn.timer.reset();
}

void Host::tcp_on_timer(const std::string& label) {
  Connection* conn = find_label(label);
  if (conn == nullptr) return;
  conn->timer.reset();
  if (conn->unacked.empty()) return;
  if (conn->retransmissions >= kMaxRetransmissions) {
    const bool connecting = conn->state == TcpState::kSynSent;
    tcp_close_connection(
        *conn, connecting ? fmt::format("{}: connect failed: timed out (WSAETIMEDOUT)", label)
                          : fmt::format("{}: connection dropped: no acknowledgement "
                                        "after {} retransmissions",
                                        label, kMaxRetransmissions));
    return;
  }
  ++conn->retransmissions;
  for (const Segment segment : conn->unacked) tcp_transmit(*conn, segment, true);
  tcp_arm_timer(*conn);
}

void Host::tcp_close_connection(Connection& conn, const std::string& why) {
  tcp_cancel_timer(conn);
  note("app", why);
  end_flow(conn.key);
  bindings_.erase({false, conn.v6, conn.key.local_port});
  connections_.erase(conn.label);
}

// --- Receiving --------------------------------------------------------------------------------

void Host::tcp_receive(const Packet& packet) {
  Context context = context_for(packet, true, packet.event_name());
  Connection* conn = find_connection(context.key);
  if (conn == nullptr) {
    const auto listener = bindings_.find({false, packet.source.is_v6, packet.destination_port});
    const bool listening = listener != bindings_.end() && listener->second.listening;
    if (packet.tcp.syn && !packet.tcp.ack && listening) {
      tcp_accept_syn(packet, context.key);
      return;
    }
    if (packet.tcp.rst) return;  // never answer a RST
    // Nobody listens (or no such connection): the drop is indicated at the transport discard
    // layer; a block there keeps the stack silent (stealth mode).
    context.discard_reason = "no endpoint: the port is closed";
    if (discard_blocked(Stage::kInboundTransport, context)) return;
    tcp_send_reset(packet);
    return;
  }
  auto* flow = flows_.find(context.key);
  if (flow != nullptr) context.attach(*flow);
  if (!pass(Stage::kInboundTransport, context)) return;
  const bool handshake = conn->state == TcpState::kSynSent || conn->state == TcpState::kSynReceived;
  if (flow != nullptr && !handshake && !authorize_packet(*flow, context, false)) return;

  if (packet.tcp.rst) {
    tcp_close_connection(
        *conn, conn->state == TcpState::kSynSent
                   ? fmt::format("{}: connect failed: connection refused "
                                 "(WSAECONNREFUSED)",
                                 conn->label)
                   : fmt::format("{}: connection reset by peer (WSAECONNRESET)", conn->label));
    return;
  }
  // Cumulative acknowledgement.
  if (packet.tcp.ack && static_cast<std::int32_t>(packet.ack - conn->snd_una) > 0) {
    conn->snd_una = packet.ack;
    std::erase_if(conn->unacked, [&](const Segment& s) {
      const std::uint32_t end = s.seq + s.length + (s.syn ? 1U : 0U) + (s.fin ? 1U : 0U);
      return static_cast<std::int32_t>(end - conn->snd_una) <= 0;
    });
    conn->retransmissions = 0;
    if (conn->unacked.empty()) tcp_cancel_timer(*conn);
  }

  if (conn->state == TcpState::kSynSent) {
    if (!(packet.tcp.syn && packet.tcp.ack)) return;
    conn->rcv_nxt = packet.seq + 1;
    if (!pass(Stage::kFlowEstablished, context)) {
      tcp_close_connection(*conn, fmt::format("{}: connect failed: blocked at flow "
                                              "establishment",
                                              conn->label));
      return;
    }
    conn->state = TcpState::kEstablished;
    conn->accepted = true;
    tcp_send_control(*conn, TcpFlags{.ack = true});
    note("app", fmt::format("{}: connected to {} port {}", conn->label,
                            conn->key.remote.to_string(), conn->key.remote_port));
    return;
  }
  if (conn->state == TcpState::kSynReceived) {
    if (!packet.tcp.ack || !conn->unacked.empty()) return;
    if (!pass(Stage::kFlowEstablished, context)) {
      tcp_close_connection(*conn, fmt::format("{}: blocked at flow establishment", conn->label));
      return;
    }
    conn->state = TcpState::kEstablished;
    if (auto_accept) {
      conn->accepted = true;
      note("app", fmt::format("{}: accepted from {} port {}", conn->label,
                              conn->key.remote.to_string(), conn->key.remote_port));
    }
    // The ACK may carry data already; fall through to deliver it.
  }

  if (!packet.payload.empty()) {
    if (packet.seq == conn->rcv_nxt) {
      Context data = context;
      data.event = "data";
      data.data = packet.payload;
      if (!pass(Stage::kStream, data)) return;  // dropped: the peer will retransmit
      conn->rcv_nxt += static_cast<std::uint32_t>(packet.payload.size());
      conn->received += packet.payload.size();
    }
    tcp_send_control(*conn, TcpFlags{.ack = true});  // (duplicate) ACK
  }

  if (packet.tcp.fin && packet.seq + packet.payload.size() == conn->rcv_nxt) {
    conn->rcv_nxt += 1;
    if (conn->state == TcpState::kEstablished) {
      conn->state = TcpState::kCloseWait;
      tcp_send_control(*conn, TcpFlags{.ack = true});
      note("app", fmt::format("{}: peer closed; closing too", conn->label));
      conn->state = TcpState::kLastAck;
      tcp_transmit(*conn, Segment{conn->snd_nxt, 0, false, true}, false);
      tcp_arm_timer(*conn);
      return;
    }
    if (conn->state == TcpState::kFinWait1 || conn->state == TcpState::kFinWait2) {
      tcp_send_control(*conn, TcpFlags{.ack = true});
      tcp_close_connection(*conn, fmt::format("{}: closed", conn->label));
      return;
    }
  }
  if (conn->unacked.empty()) {
    if (conn->state == TcpState::kFinWait1) conn->state = TcpState::kFinWait2;
    if (conn->state == TcpState::kLastAck) {
      tcp_close_connection(*conn, fmt::format("{}: closed", conn->label));
    }
  }
}

void Host::tcp_accept_syn(const Packet& packet, const flow::FlowKey& key) {
  Context context = context_for(packet, true, "SYN");
  const Binding& listener = bindings_.at({false, packet.source.is_v6, packet.destination_port});
  context.identity = &listener.identity;
  if (!pass(Stage::kInboundTransport, context)) return;
  if (!pass(Stage::kAuthRecvAccept, context)) return;  // dropped silently; the client retries
  Connection conn;
  conn.label = fmt::format("{}#{}", name_, next_anonymous_++);
  conn.v6 = packet.source.is_v6;
  conn.identity = listener.identity;
  conn.key = key;
  conn.state = TcpState::kSynReceived;
  conn.rcv_nxt = packet.seq + 1;
  conn.snd_una = conn.snd_nxt = next_iss_;
  next_iss_ += 100000;
  flows_.insert(key, true, engine_.policy_epoch());
  auto& stored = connections_[conn.label] = std::move(conn);
  tcp_transmit(stored, Segment{stored.snd_nxt, 0, true, false}, false);
  tcp_arm_timer(stored);
}

}  // namespace openfwp::stack
