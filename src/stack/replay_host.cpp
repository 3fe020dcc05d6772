// SPDX-License-Identifier: Apache-2.0
// ReplayHost: packets in, direction, conversations, the classification hook that turns records
// into summaries and net events, fragments and malformed packets. TCP is in replay_tcp.cpp,
// UDP / ICMP / other protocols in replay_udp.cpp.
#include "stack/replay_host.h"

#include <fmt/format.h>

#include <algorithm>

namespace openfwp::stack {
namespace {

// fwpsk.h FWP_CONDITION_FLAG_IS_FRAGMENT / _IS_REASSEMBLED.
constexpr std::uint32_t kFlagIsFragment = 0x20;
constexpr std::uint32_t kFlagIsReassembled = 0x400;

// A closed TCP conversation stays to absorb its late packets (TIME_WAIT: Windows'
// TcpTimedWaitDelay defaults to 120 s), then its summary is emitted.
constexpr std::uint64_t kTimeWaitUs = 120'000'000;
constexpr std::uint64_t kSweepEveryPackets = 256;

// The ALE layers whose permits are audited as FWPM_NET_EVENT_TYPE_CLASSIFY_ALLOW.
bool audited_allow_layer(model::LayerId layer) {
  using model::LayerId;
  switch (layer) {
    case LayerId::kAleAuthConnectV4:
    case LayerId::kAleAuthConnectV6:
    case LayerId::kAleAuthRecvAcceptV4:
    case LayerId::kAleAuthRecvAcceptV6:
    case LayerId::kAleAuthListenV4:
    case LayerId::kAleAuthListenV6:
    case LayerId::kAleResourceAssignmentV4:
    case LayerId::kAleResourceAssignmentV6:
      return true;
    default:
      return false;
  }
}

bool ale_authorization_layer(model::LayerId layer) {
  using model::LayerId;
  return layer == LayerId::kAleAuthConnectV4 || layer == LayerId::kAleAuthConnectV6 ||
         layer == LayerId::kAleAuthRecvAcceptV4 || layer == LayerId::kAleAuthRecvAcceptV6;
}

}  // namespace

std::string ObservedPacket::event_name() const {
  return packet_event_name(protocol, tcp, !payload.empty(), icmp_error);
}

std::string ObservedPacket::ip_event_name() const {
  return packet_ip_event_name(protocol, tcp, !payload.empty(), icmp_error);
}

std::string_view net_event_type_name(NetEvent::Type type) {
  switch (type) {
    case NetEvent::Type::kClassifyDrop:
      return "FWPM_NET_EVENT_TYPE_CLASSIFY_DROP";
    case NetEvent::Type::kClassifyAllow:
      return "FWPM_NET_EVENT_TYPE_CLASSIFY_ALLOW";
    case NetEvent::Type::kStackDiscard:
      return "OPENFWP_NET_EVENT_TYPE_STACK_DISCARD";
  }
  return "?";
}

std::string_view verdict_name(FlowSummary::Verdict verdict) {
  switch (verdict) {
    case FlowSummary::Verdict::kPermitted:
      return "permitted";
    case FlowSummary::Verdict::kBlocked:
      return "blocked";
    case FlowSummary::Verdict::kPartlyBlocked:
      return "partly-blocked";
    case FlowSummary::Verdict::kNoEndpoint:
      return "no-endpoint";
  }
  return "?";
}

// --- EndpointHints ----------------------------------------------------------------------------

void EndpointHints::learn(const ObservedPacket& packet, bool outbound) {
  if (!outbound) return;  // only the local host's answers tell about its endpoints
  const flow::FlowKey key{packet.protocol, packet.source, packet.source_port, packet.destination,
                          packet.destination_port};
  if (packet.protocol == ip_protocol::kTcp) {
    if (!packet.tcp.rst) tcp_sent_.insert(key);
    if (packet.tcp.syn && packet.tcp.ack) {
      syn_answers_[key] = SynAnswer::kSynAck;
      listening_.insert({packet.source, packet.source_port});
    } else if (packet.tcp.rst) {
      syn_answers_.try_emplace(key, SynAnswer::kReset);
    }
  } else if (packet.protocol == ip_protocol::kUdp) {
    sent_from_.insert({packet.protocol, packet.source, packet.source_port});
  } else if (ip_protocol::is_icmp(packet.protocol) && packet.icmp_error &&
             packet.quoted.protocol == ip_protocol::kUdp) {
    // Port unreachable (RFC 792 type 3 code 3; RFC 4443 type 1 code 4) quoting a datagram the
    // local host received: its destination is the local end.
    const bool port_unreachable = packet.protocol == ip_protocol::kIcmp
                                      ? packet.icmp_type == 3 && packet.icmp_code == 3
                                      : packet.icmp_type == 1 && packet.icmp_code == 4;
    if (port_unreachable) {
      udp_unreachable_.insert({ip_protocol::kUdp, packet.quoted_destination,
                               packet.quoted.destination_port, packet.quoted_source,
                               packet.quoted.source_port});
    }
  }
}

EndpointHints::SynAnswer EndpointHints::syn_answer(const flow::FlowKey& key) const {
  const auto it = syn_answers_.find(key);
  return it == syn_answers_.end() ? SynAnswer::kNone : it->second;
}

bool EndpointHints::accepts_syn(const flow::FlowKey& key) const {
  const SynAnswer answer = syn_answer(key);
  return answer == SynAnswer::kSynAck ||
         (answer == SynAnswer::kNone && listening(key.local, key.local_port));
}

bool EndpointHints::tcp_local_sends(const flow::FlowKey& key) const {
  return tcp_sent_.contains(key);
}

bool EndpointHints::listening(const IpAddress& local, std::uint16_t port) const {
  return listening_.contains({local, port});
}

bool EndpointHints::udp_port_closed(const flow::FlowKey& key) const {
  return udp_unreachable_.contains(key) &&
         !sent_from_.contains({key.protocol, key.local, key.local_port});
}

// --- ReplayHost -------------------------------------------------------------------------------

ReplayHost::ReplayHost(std::vector<IpAddress> locals, const LocalEndpoints& endpoints,
                       ReplayObserver& observer)
    : locals_(std::move(locals)),
      hints_(endpoints),
      observer_(observer),
      walker_(engine_, "local", *this) {
  install_stock_callouts(engine_, silent_drop_);
}

bool ReplayHost::is_local(const IpAddress& address) const {
  return std::find(locals_.begin(), locals_.end(), address) != locals_.end();
}

ClassifyContext ReplayHost::context_for(const ObservedPacket& packet, bool outbound,
                                        const std::string& event) const {
  ClassifyContext context;
  context.event = event;
  context.v6 = packet.source.is_v6;
  context.inbound = !outbound;
  context.key.protocol = packet.protocol;
  context.key.local = outbound ? packet.source : packet.destination;
  context.key.remote = outbound ? packet.destination : packet.source;
  context.key.local_port = outbound ? packet.source_port : packet.destination_port;
  context.key.remote_port = outbound ? packet.destination_port : packet.source_port;
  if (ip_protocol::is_icmp(packet.protocol) && !packet.icmp_error) {
    // ICMP queries follow the UDP flows; the echo identifier keys the flow.
    context.key.local_port = packet.icmp_id;
    context.key.remote_port = 0;
  }
  identity_ = hints_.identity(context.key, outbound);
  context.identity = &identity_;
  context.icmp_type = packet.icmp_type;
  context.icmp_code = packet.icmp_code;
  context.data = packet.payload;
  if (packet.reassembled) context.flags |= kFlagIsReassembled;
  return context;
}

ReplayHost::Conversation& ReplayHost::conversation(const flow::FlowKey& key,
                                                   const ObservedPacket& packet, bool outbound) {
  auto [it, added] = conversations_.try_emplace(key);
  Conversation& conv = it->second;
  if (added) {
    static const flow::ReassemblyConfig config{.history = std::size_t{16} << 10};
    conv.in_stream = flow::TcpStreamReassembler(config);
    conv.out_stream = flow::TcpStreamReassembler(config);
    FlowSummary& s = conv.summary;
    s.id = next_conversation_++;
    s.protocol = key.protocol;
    s.local = key.local;
    s.remote = key.remote;
    s.local_port = key.local_port;
    s.remote_port = key.remote_port;
    s.inbound = !outbound;
    s.first_packet = packet.index;
    s.first_time_us = packet.time_us;
    s.end = "open";
    ++totals_.flows;
  }
  return conv;
}

ReplayHost::Conversation& ReplayHost::join(const flow::FlowKey& key, const ObservedPacket& packet,
                                           bool opens_outbound, bool sent) {
  Conversation& conv = conversation(key, packet, opens_outbound);
  current_.conversation = &conv;
  count_packet(conv, packet, sent);
  return conv;
}

void ReplayHost::count_packet(Conversation& conv, const ObservedPacket& packet, bool outbound) {
  FlowSummary& s = conv.summary;
  s.last_packet = packet.index;
  s.last_time_us = packet.time_us;
  (outbound ? s.packets_out : s.packets_in) += 1;
  (outbound ? s.bytes_out : s.bytes_in) += packet.ip_length;
}

FlowSummary ReplayHost::summary_now(const Conversation& conv) const {
  FlowSummary s = conv.summary;
  if (!conv.ever_authorized) {
    s.verdict = conv.has_block ? FlowSummary::Verdict::kBlocked : FlowSummary::Verdict::kNoEndpoint;
  } else {
    s.verdict = s.packets_blocked > 0 ? FlowSummary::Verdict::kPartlyBlocked
                                      : FlowSummary::Verdict::kPermitted;
  }
  const auto& in = conv.in_stream.stats();
  const auto& out = conv.out_stream.stats();
  s.retransmitted_bytes = in.bytes_retransmitted + out.bytes_retransmitted;
  s.out_of_order_segments =
      in.count(flow::SegmentKind::kOutOfOrder) + out.count(flow::SegmentKind::kOutOfOrder);
  s.conflicting_overlap_bytes = in.bytes_conflict + out.bytes_conflict;
  return s;
}

void ReplayHost::emit_summary(Conversation& conv) {
  conv.summary = summary_now(conv);
  if (conv.summary.verdict == FlowSummary::Verdict::kBlocked) ++totals_.flows_blocked;
  observer_.on_flow_end(conv.summary);
}

bool ReplayHost::forget(const flow::FlowKey& key) {
  const auto it = conversations_.find(key);
  if (it == conversations_.end()) return false;
  Conversation& conv = it->second;
  end_ale_flow(conv);
  if (conv.summary.end == "open") conv.summary.end = "destroyed";
  retire(key);
  return true;
}

void ReplayHost::for_each_flow(
    const std::function<void(const FlowSummary&, bool open)>& visit) const {
  std::vector<const Conversation*> order;
  order.reserve(conversations_.size());
  for (const auto& [key, conv] : conversations_) order.push_back(&conv);
  std::sort(order.begin(), order.end(), [](const Conversation* a, const Conversation* b) {
    return a->summary.id < b->summary.id;
  });
  for (const Conversation* conv : order) visit(summary_now(*conv), conv->modelled);
}

void ReplayHost::end_conversation(Conversation& conv, const std::string& end) {
  conv.summary.end = end;
  conv.phase = TcpPhase::kClosed;
  conv.closed_at_us = current_.packet != nullptr ? current_.packet->time_us : 0;
  const flow::FlowKey key = key_of(conv);
  if (key.protocol == ip_protocol::kTcp)
    closed_.emplace_back(conv.summary.id, conv.closed_at_us, key);
  end_ale_flow(conv);
}

flow::FlowKey ReplayHost::key_of(const Conversation& conv) {
  const FlowSummary& s = conv.summary;
  return {s.protocol, s.local, s.local_port, s.remote, s.remote_port};
}

void ReplayHost::end_ale_flow(Conversation& conv) {
  if (!conv.modelled) return;
  walker_.end_flow(flows_, key_of(conv));
  conv.modelled = false;
}

void ReplayHost::retire(const flow::FlowKey& key) {
  const auto it = conversations_.find(key);
  if (it == conversations_.end()) return;
  emit_summary(it->second);
  conversations_.erase(it);
}

void ReplayHost::sweep(std::uint64_t now_us) {
  // Closed TCP conversations past TIME_WAIT, in the order they closed (deterministic output).
  while (!closed_.empty()) {
    const auto& [id, closed_at, key] = closed_.front();
    if (now_us - std::min(now_us, closed_at) <= kTimeWaitUs) break;
    const auto it = conversations_.find(key);
    if (it != conversations_.end() && it->second.summary.id == id &&
        it->second.phase == TcpPhase::kClosed) {
      retire(key);
    }
    closed_.pop_front();
  }
}

void ReplayHost::suppress(Conversation* conv, const ObservedPacket& packet, bool outbound,
                          const std::string& why) {
  ++totals_.suppressed_packets;
  current_.suppressed = true;
  if (conv != nullptr) ++conv->summary.packets_suppressed;
  TraceRecord note =
      make_note(walker_.host(), packet.event_name(),
                fmt::format("{} not sent: {}", outbound ? "outbound" : "inbound", why));
  record(std::move(note));
}

void ReplayHost::record(TraceRecord r) {
  const ObservedPacket* packet = current_.packet;
  r.seq = next_seq_++;
  if (packet != nullptr) {
    r.time_us = packet->time_us;
    r.packet = packet->index;
  }
  if (r.layer) {
    ++totals_.classifications;
    const model::LayerId layer = *r.layer;
    const bool discard = model::layer_info(layer).is_discard;
    const bool blocked = r.action == "block";
    Conversation* conv = current_.conversation;
    if (!discard && blocked) current_.blocked = true;
    if (conv != nullptr && !discard) {
      if (blocked && !conv->has_block) {
        conv->has_block = true;
        conv->summary.deciding_filter = r.filter_id;
        conv->summary.deciding_layer = layer;
      } else if (!blocked && !conv->has_block && ale_authorization_layer(layer)) {
        conv->summary.deciding_filter = r.filter_id;
        conv->summary.deciding_layer = layer;
      }
    }
    std::optional<NetEvent::Type> type;
    if (discard && current_.expect_discard) {
      // A drop the stack makes itself (no endpoint, malformed): a filter blocking it at the
      // discard layer is what Windows audits; otherwise it is the stack's own discard.
      current_.expect_discard = false;
      type = blocked ? NetEvent::Type::kClassifyDrop : NetEvent::Type::kStackDiscard;
      if (blocked && conv != nullptr && !conv->has_block) {
        // Stealth mode: the filter that silenced the port is what decided this flow's fate.
        conv->summary.deciding_filter = r.filter_id;
        conv->summary.deciding_layer = layer;
      }
    } else if (!discard && blocked) {
      type = NetEvent::Type::kClassifyDrop;
    } else if (!discard && audited_allow_layer(layer)) {
      type = NetEvent::Type::kClassifyAllow;
    }
    if (type && packet != nullptr) {
      NetEvent event = net_event(*type, *packet, current_.outbound, current_.has_addresses);
      event.layer = layer;
      event.filter_id = r.filter_id;
      event.reauth = r.reauth;
      event.flow = r.flow;
      event.reason = discard ? r.note : std::string();
      observer_.on_net_event(event);
    }
  }
  observer_.on_record(r);
}

NetEvent ReplayHost::net_event(NetEvent::Type type, const ObservedPacket& packet, bool outbound,
                               bool has_addresses) {
  NetEvent event;
  event.type = type;
  event.time_us = packet.time_us;
  event.packet = packet.index;
  event.protocol = packet.protocol;
  event.has_addresses = has_addresses;
  event.local = outbound ? packet.source : packet.destination;
  event.remote = outbound ? packet.destination : packet.source;
  event.local_port = outbound ? packet.source_port : packet.destination_port;
  event.remote_port = outbound ? packet.destination_port : packet.source_port;
  event.inbound = !outbound;
  return event;
}

void ReplayHost::count_observed(const ObservedPacket& packet) {
  ++totals_.packets;
  totals_.ip_bytes += packet.ip_length;
  if (packet.snapped) ++totals_.snapped;
  if (packet.reassembled) ++totals_.reassembled;
}

PacketVerdict ReplayHost::observe(const ObservedPacket& packet) {
  count_observed(packet);
  const bool from_local = is_local(packet.source);
  const bool to_local = is_local(packet.destination);
  PacketVerdict verdict;
  if (!from_local && !to_local) {
    ++totals_.not_local;
    return verdict;
  }
  // Loopback traffic leaves and enters the same host: both paths, in that order. Both are
  // classified even if the first blocks (a capture shows the packet arrived); the verdict is a
  // drop if either path drops it.
  if (from_local) verdict = handle(packet, true);
  if (to_local) {
    const PacketVerdict received = handle(packet, false);
    verdict = from_local && verdict.drop ? verdict : received;
  }
  if (totals_.packets % kSweepEveryPackets == 0) sweep(packet.time_us);
  return verdict;
}

PacketVerdict ReplayHost::observe_directed(const ObservedPacket& packet, bool outbound) {
  count_observed(packet);
  const PacketVerdict verdict = handle(packet, outbound);
  if (totals_.packets % kSweepEveryPackets == 0) sweep(packet.time_us);
  return verdict;
}

PacketVerdict ReplayHost::verdict_of_current() {
  PacketVerdict verdict;
  verdict.protocol = current_.packet != nullptr ? current_.packet->protocol : 0;
  verdict.cut = current_.cut;
  const Conversation* conv = current_.conversation;
  verdict.drop = current_.blocked || current_.suppressed || current_.silenced || current_.cut ||
                 (conv != nullptr && conv->dropped);
  if (!verdict.drop && conv != nullptr && conv->modelled) {
    const bool tcp = conv->summary.protocol == ip_protocol::kTcp;
    const auto* flow = flows_.find(key_of(*conv));
    verdict.established = flow != nullptr && flow->permitted &&
                          flow->epoch == engine_.policy_epoch() &&
                          (!tcp || conv->phase == TcpPhase::kEstablished);
  }
  return verdict;
}

PacketVerdict ReplayHost::handle(const ObservedPacket& packet, bool outbound) {
  current_ = Current{&packet, nullptr, outbound};
  if (packet.protocol == ip_protocol::kTcp) {
    outbound ? tcp_outbound(packet) : tcp_inbound(packet);
  } else if (ip_protocol::is_icmp(packet.protocol) && packet.icmp_error) {
    outbound ? icmp_error_outbound(packet) : icmp_error_inbound(packet);
  } else {
    outbound ? datagram_outbound(packet) : datagram_inbound(packet);
  }
  if (current_.blocked) {
    ++totals_.blocked_packets;
    if (current_.conversation != nullptr) ++current_.conversation->summary.packets_blocked;
  }
  const PacketVerdict verdict = verdict_of_current();
  current_ = Current{};
  return verdict;
}

bool ReplayHost::inbound_ip(const ObservedPacket& packet, ClassifyContext& context) {
  context.event = packet.ip_event_name();
  if (auto* flow = flows_.find(context.key)) context.attach(*flow);
  if (!walker_.pass(Stage::kInboundIpPacket, context)) return false;
  context.event = packet.event_name();
  return true;
}

bool ReplayHost::send_layers(ClassifyContext context, const ObservedPacket& packet) {
  // "SYN: OUTBOUND_TRANSPORT, OUTBOUND_IPPACKET"; a data segment is a "segment" at the
  // transport layer and a "datagram" at the IP layer.
  context.event = packet.event_name();
  if (!walker_.pass(Stage::kOutboundTransport, context)) return false;
  context.event = packet.ip_event_name();
  return walker_.pass(Stage::kOutboundIpPacket, context);
}

ClassifyContext ReplayHost::socket_context(const ClassifyContext& context, std::string event) {
  // A socket call (bind, listen) is about the local endpoint only: no remote end, no flow.
  ClassifyContext socket = context;
  socket.event = std::move(event);
  socket.key.remote = IpAddress{};
  socket.key.remote.is_v6 = context.v6;
  socket.key.remote_port = 0;
  socket.flow.reset();
  socket.flow_context = nullptr;
  socket.data = {};
  return socket;
}

bool ReplayHost::bind_once(const ClassifyContext& context) {
  const auto port =
      std::make_tuple(context.key.protocol, context.key.local, context.key.local_port);
  if (bound_.contains(port)) return true;
  if (!walker_.pass_all(sequence::bind(), socket_context(context, "bind"))) return false;
  bound_.insert(port);
  return true;
}

bool ReplayHost::listen_once(const ClassifyContext& context) {
  const auto listener =
      std::make_tuple(context.key.protocol, context.key.local, context.key.local_port);
  const std::uint64_t epoch = engine_.policy_epoch();
  const auto known = listened_.find(listener);
  if (known != listened_.end() && known->second.first == epoch) return known->second.second;
  // DEVIATION(WFP): listen() is not observable in packets; its AUTH_LISTEN is walked at the
  // listener's first SYN (and again after a policy change), with the listener's identity.
  const bool permitted =
      bind_once(context) && walker_.pass_all(sequence::listen(), socket_context(context, "listen"));
  listened_[listener] = {epoch, permitted};
  return permitted;
}

void ReplayHost::observe_fragment(const ObservedPacket& fragment) {
  ++totals_.fragments;
  if (!is_local(fragment.destination)) return;  // outbound fragments: IP layers see the packet
  current_ = Current{&fragment, nullptr, false};
  ClassifyContext context = context_for(fragment, false, "fragment");
  context.key.local_port = context.key.remote_port = 0;  // ports are in the first fragment only
  context.data = {};
  // "IP packet fragments ... are represented at three points in this layer: first as an IP
  // packet, again as an IP fragment, and a third time as part of the reassembled IP packet."
  if (walker_.pass(Stage::kInboundIpPacket, context)) {
    context.flags |= kFlagIsFragment;
    walker_.pass(Stage::kInboundIpPacket, context);
  }
  if (current_.blocked) ++totals_.blocked_packets;
  current_ = Current{};
}

void ReplayHost::observe_malformed(const ObservedPacket& packet, bool has_ip,
                                   const std::string& reason) {
  ++totals_.packets;
  ++totals_.malformed;
  totals_.ip_bytes += packet.ip_length;
  stack_discard(packet, has_ip, has_ip, reason);
}

void ReplayHost::discard_fragments(const ObservedPacket& about, const std::string& reason) {
  ++totals_.fragments_discarded;
  stack_discard(about, true, false, reason);
}

void ReplayHost::stack_discard(const ObservedPacket& packet, bool has_addresses,
                               bool transport_level, const std::string& reason) {
  const bool inbound = has_addresses && is_local(packet.destination);
  current_ = Current{&packet, nullptr, !inbound};
  current_.has_addresses = has_addresses;
  if (inbound) {
    // The stack drops it where the header failed: the IP packet discard layer for a bad IP
    // header, the transport discard layer (after the IP layer) for a bad transport header.
    ClassifyContext context = context_for(packet, false, "malformed");
    context.key.local_port = context.key.remote_port = 0;
    context.data = {};
    context.discard_reason = reason;
    bool reached = true;
    if (transport_level) reached = walker_.pass(Stage::kInboundIpPacket, context);
    if (reached) {
      current_.expect_discard = true;
      walker_.discard_blocked(transport_level ? Stage::kInboundTransport : Stage::kInboundIpPacket,
                              context);
    }
  } else {
    // Not addressed to us (or undecodable): no layer sees it; the event says why.
    NetEvent event = net_event(NetEvent::Type::kStackDiscard, packet, true, has_addresses);
    event.reason = reason;
    observer_.on_net_event(event);
    record(make_note(walker_.host(), "malformed", reason));
  }
  current_ = Current{};
}

void ReplayHost::finish() {
  std::vector<std::pair<std::uint64_t, flow::FlowKey>> order;
  order.reserve(conversations_.size());
  for (const auto& [key, conv] : conversations_) order.emplace_back(conv.summary.id, key);
  std::sort(order.begin(), order.end());
  for (const auto& [id, key] : order) retire(key);
}

}  // namespace openfwp::stack
