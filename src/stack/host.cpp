// SPDX-License-Identifier: Apache-2.0
// Host: construction, classification plumbing (incoming values, trace records, discard
// layers, ALE flows), bind/listen and inbound demultiplexing. TCP is in host_tcp.cpp, UDP and
// ICMP in host_udp.cpp.
#include "stack/host.h"

#include "common/strings.h"
#include "stack/network.h"

#include <fmt/format.h>

#include <algorithm>

namespace openfwp::stack {
namespace {

using model::FieldId;

// fwpmu.h: FWPM_CALLOUT_WFP_TRANSPORT_LAYER_V4_SILENT_DROP / _V6_SILENT_DROP.
constexpr std::string_view kSilentDropV4 = "{eda08606-2494-4d78-89bc-67837c03b969}";
constexpr std::string_view kSilentDropV6 = "{8693cc74-a075-4156-b476-9286eece814e}";

// fwpsk.h FWP_CONDITION_FLAG_IS_REAUTHORIZE; fwptypes.h FWP_DIRECTION_OUTBOUND / _INBOUND.
constexpr std::uint32_t kFlagIsReauthorize = 0x4;
constexpr std::uint32_t kDirectionOutbound = 0;
constexpr std::uint32_t kDirectionInbound = 1;

// Sets a field only if the layer has it: each layer carries a different subset.
void set_if_present(model::IncomingValues& in, FieldId field, model::Value value) {
  if (model::field_index(in.layer(), field)) in.set(field, std::move(value));
}

model::Value address_value(const IpAddress& address) {
  if (address.is_v6) return model::Value{address.v6};
  return model::Value{address.v4};
}

}  // namespace

engine::ClassifyOut SilentDropCallout::classify(const engine::CalloutClassifyArgs& /*args*/) {
  return {engine::ClassifyOut::Action::kBlock, false, false};
}

void install_stock_callouts(engine::Engine& engine, SilentDropCallout& driver) {
  const std::pair<std::string_view, model::LayerId> stock[] = {
      {kSilentDropV4, model::LayerId::kInboundTransportV4Discard},
      {kSilentDropV6, model::LayerId::kInboundTransportV6Discard}};
  for (const auto& [key_text, layer] : stock) {
    model::Callout callout;
    callout.key = *Guid::parse(key_text);
    callout.name = layer == model::LayerId::kInboundTransportV4Discard
                       ? "FWPM_CALLOUT_WFP_TRANSPORT_LAYER_V4_SILENT_DROP"
                       : "FWPM_CALLOUT_WFP_TRANSPORT_LAYER_V6_SILENT_DROP";
    callout.applicable_layer = layer;
    (void)engine.add_callout(callout);
    engine.register_callout(callout.key, &driver);
  }
}

Host::Host(Network& network, std::string name, std::vector<IpAddress> addresses)
    : network_(network), name_(std::move(name)), addresses_(std::move(addresses)) {
  // Windows registers its stock callouts at boot; so does every simulated host.
  install_stock_callouts(engine_, silent_drop_);
}

bool Host::owns(const IpAddress& address) const {
  return std::find(addresses_.begin(), addresses_.end(), address) != addresses_.end();
}

std::optional<IpAddress> Host::address_of_family(bool v6) const {
  for (const auto& address : addresses_) {
    if (address.is_v6 == v6) return address;
  }
  return std::nullopt;
}

std::uint16_t Host::ephemeral_port() { return next_ephemeral_++; }

void Host::end_flow(const flow::FlowKey& key, bool v6) {
  if (const auto* flow = flows_.find(key)) {
    const Stage stage = key.protocol == ip_protocol::kTcp ? Stage::kStream : Stage::kDatagramData;
    engine_.notify_flow_deleted(layer_of(stage, v6), flow->id, flow->callout_context);
  }
  flows_.erase(key);
}

// --- Classification ---------------------------------------------------------------------------

engine::Decision Host::classify(model::LayerId layer, const Context& context) {
  model::IncomingValues in(layer);
  const auto& key = context.key;
  set_if_present(in, FieldId::kIpLocalAddress, address_value(key.local));
  set_if_present(in, FieldId::kIpRemoteAddress, address_value(key.remote));
  set_if_present(in, FieldId::kIpProtocol, key.protocol);
  const bool icmp_layer = layer == layer_of(Stage::kOutboundIcmpError, context.v6) ||
                          layer == layer_of(Stage::kInboundIcmpError, context.v6) ||
                          key.protocol == ip_protocol::kIcmp ||
                          key.protocol == ip_protocol::kIcmpV6;
  if (icmp_layer) {
    // fwpmu.h: FWPM_CONDITION_ICMP_TYPE / _CODE are the local / remote port fields.
    set_if_present(in, FieldId::kIpLocalPort, std::uint16_t{context.icmp_type});
    set_if_present(in, FieldId::kIpRemotePort, std::uint16_t{context.icmp_code});
  } else {
    set_if_present(in, FieldId::kIpLocalPort, key.local_port);
    set_if_present(in, FieldId::kIpRemotePort, key.remote_port);
  }
  if (context.identity != nullptr) {
    if (!context.identity->app.empty()) {
      const std::string app = ascii_lower(context.identity->app);
      set_if_present(in, FieldId::kAleAppId, model::ByteBlob{{app.begin(), app.end()}});
    }
    if (!context.identity->user.empty()) {
      set_if_present(in, FieldId::kAleUserId, model::Sid{context.identity->user});
    }
  }
  set_if_present(in, FieldId::kFlags, context.reauth ? kFlagIsReauthorize : 0U);
  set_if_present(in, FieldId::kDirection, context.inbound ? kDirectionInbound : kDirectionOutbound);

  engine::ClassifyMetadata metadata;
  metadata.flow_id = context.flow.value_or(0);
  metadata.inbound = context.inbound;
  metadata.data = context.data;
  metadata.flow_context = context.flow_context;
  const engine::Decision decision = engine_.classify(in, metadata, {.explain = network_.explain});
  record_classification(layer, context, in, decision);
  return decision;
}

void Host::record_classification(model::LayerId layer, const Context& context,
                                 const model::IncomingValues& in,
                                 const engine::Decision& decision) {
  TraceRecord record;
  record.host = name_;
  record.event = context.event;
  record.layer = layer;
  record.action = decision.action == engine::Outcome::kBlock ? "block" : "permit";
  record.filter_id = decision.filter_id;
  record.flow = context.flow;
  record.reauth = context.reauth;
  if (model::layer_info(layer).is_discard) record.note = context.discard_reason;
  if (network_.explain)
    record.explanation = std::make_shared<const Explained>(Explained{in, decision});
  network_.record(std::move(record));
}

void Host::note(const std::string& event, std::string text) {
  network_.record(make_note(name_, event, std::move(text)));
}

bool Host::pass(Stage stage, const Context& context) {
  const model::LayerId layer = layer_of(stage, context.v6);
  const engine::Decision decision = classify(layer, context);
  if (decision.action != engine::Outcome::kBlock) return true;
  if (decision.absorb) return false;  // absorbed: no discard indication
  if (auto discard = model::discard_layer_of(layer)) {
    Context dropped = context;
    dropped.discard_reason = decision.filter_id
                                 ? fmt::format("blocked by filter {}", *decision.filter_id)
                                 : std::string("blocked by the layer default");
    classify(*discard, dropped);
  }
  return false;
}

bool Host::pass_all(std::span<const Stage> stages, const Context& context) {
  for (const Stage stage : stages) {
    if (!pass(stage, context)) return false;
  }
  return true;
}

bool Host::discard_blocked(Stage stage, const Context& context) {
  const auto discard = model::discard_layer_of(layer_of(stage, context.v6));
  if (!discard) return false;
  return classify(*discard, context).action == engine::Outcome::kBlock;
}

bool Host::authorize_packet(flow::FlowState& flow, const Context& context, bool outbound) {
  const std::uint64_t epoch = engine_.policy_epoch();
  if (!flow::FlowTable::needs_reauthorization(flow, epoch)) return flow.permitted;
  // ALE Reauthorization: the policy changed since this flow's verdict; the packet is
  // reclassified at the auth layer of its direction, with FWP_CONDITION_FLAG_IS_REAUTHORIZE.
  Context reauth = context;
  reauth.reauth = true;
  reauth.attach(flow);
  flow.permitted = pass(outbound ? Stage::kAuthConnect : Stage::kAuthRecvAccept, reauth);
  flow.epoch = epoch;
  return flow.permitted;
}

// --- Packets ----------------------------------------------------------------------------------

Host::Context Host::context_for(const Packet& packet, bool inbound,
                                const std::string& event) const {
  Context context;
  context.event = event;
  context.v6 = packet.source.is_v6;
  context.inbound = inbound;
  context.key.protocol = packet.protocol;
  context.key.local = inbound ? packet.destination : packet.source;
  context.key.remote = inbound ? packet.source : packet.destination;
  context.key.local_port = inbound ? packet.destination_port : packet.source_port;
  context.key.remote_port = inbound ? packet.source_port : packet.destination_port;
  context.icmp_type = packet.icmp_type;
  context.icmp_code = packet.icmp_code;
  return context;
}

void Host::send_packet(Packet packet, const Context& context) {
  // "SYN: OUTBOUND_TRANSPORT, OUTBOUND_IPPACKET"; a data segment is a "segment" at the
  // transport layer and a "datagram" at the IP layer.
  Context out = context;
  out.event = packet.event_name();
  if (!pass(Stage::kOutboundTransport, out)) return;
  out.event = packet.ip_event_name();
  if (!pass(Stage::kOutboundIpPacket, out)) return;
  network_.transmit(std::move(packet));
}

void Host::receive(const Packet& packet) {
  Context context = context_for(packet, true, packet.ip_event_name());
  // The flow the packet belongs to, for the trace (IP packet layers know no flow in WFP, but
  // the record helps a reader follow one connection).
  if (auto* flow = flows_.find(context.key)) context.attach(*flow);
  if (!pass_all(sequence::receive_ip(), context)) return;
  switch (packet.protocol) {
    case ip_protocol::kTcp:
      tcp_receive(packet);
      break;
    case ip_protocol::kUdp:
      udp_receive(packet);
      break;
    case ip_protocol::kIcmp:
    case ip_protocol::kIcmpV6:
      icmp_receive(packet);
      break;
    default:
      note(packet.event_name(), "protocol not modelled; dropped");
      break;
  }
}

// --- bind / listen ----------------------------------------------------------------------------

Result<void> Host::bind(bool udp, bool v6, std::uint16_t port, const Identity& identity) {
  OPENFWP_TRY_VOID(bind_port(udp, v6, port, identity));
  return {};
}

Result<std::optional<std::uint16_t>> Host::bind_port(bool udp, bool v6, std::uint16_t port,
                                                     const Identity& identity) {
  const auto local = address_of_family(v6);
  if (!local) {
    return fail(ErrorCode::kUsage,
                fmt::format("host {} has no {} address", name_, v6 ? "IPv6" : "IPv4"));
  }
  if (port == 0) port = ephemeral_port();
  if (bindings_.contains({udp, v6, port})) {
    return fail(ErrorCode::kAlreadyExists,
                fmt::format("bind {}/{}: address already in use (WSAEADDRINUSE)",
                            udp ? "udp" : "tcp", port));
  }
  Context context;
  context.event = "bind";
  context.v6 = v6;
  context.key = {udp ? ip_protocol::kUdp : ip_protocol::kTcp, *local, port, {}, 0};
  context.key.remote.is_v6 = v6;
  context.identity = &identity;
  if (!pass_all(sequence::bind(), context)) {
    note("bind",
         fmt::format("bind {}/{} failed: access denied (WSAEACCES)", udp ? "udp" : "tcp", port));
    return std::optional<std::uint16_t>();
  }
  bindings_[{udp, v6, port}] = Binding{identity, false};
  return std::optional<std::uint16_t>(port);
}

Result<void> Host::listen(bool v6, std::uint16_t port, const Identity& identity) {
  if (!bindings_.contains({false, v6, port})) OPENFWP_TRY_VOID(bind(false, v6, port, identity));
  auto it = bindings_.find({false, v6, port});
  if (it == bindings_.end()) return {};  // the bind was blocked; already noted
  Context context;
  context.event = "listen";
  context.v6 = v6;
  context.key = {ip_protocol::kTcp, *address_of_family(v6), port, {}, 0};
  context.key.remote.is_v6 = v6;
  context.identity = &it->second.identity;
  if (!pass_all(sequence::listen(), context)) {
    note("listen", fmt::format("listen on tcp/{} failed: access denied (WSAEACCES)", port));
    return {};
  }
  it->second.listening = true;
  return {};
}

}  // namespace openfwp::stack
