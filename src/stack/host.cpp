// SPDX-License-Identifier: Apache-2.0
// Host: construction, bind/listen and inbound demultiplexing. TCP is in host_tcp.cpp, UDP and
// ICMP in host_udp.cpp.
#include "stack/host.h"

#include "common/strings.h"
#include "stack/network.h"

#include <fmt/format.h>

#include <algorithm>

namespace openfwp::stack {
namespace {

// fwpmu.h: FWPM_CALLOUT_WFP_TRANSPORT_LAYER_V4_SILENT_DROP / _V6_SILENT_DROP.
constexpr std::string_view kSilentDropV4 = "{eda08606-2494-4d78-89bc-67837c03b969}";
constexpr std::string_view kSilentDropV6 = "{8693cc74-a075-4156-b476-9286eece814e}";

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
    : network_(network),
      name_(std::move(name)),
      addresses_(std::move(addresses)),
      walker_(engine_, name_, network) {
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
