// SPDX-License-Identifier: Apache-2.0
// The tables of layer_sequence.h. Where a sequence continues depends on state (is there a
// listener? a flow? a stale verdict?), so the host model chains these pieces; the comments in
// host.cpp say which documented list each chain reproduces.
#include "stack/layer_sequence.h"

#include <array>

namespace openfwp::stack {
namespace {

using model::LayerId;

struct StageLayers {
  Stage stage;
  LayerId v4;
  LayerId v6;
  std::string_view name;
};

constexpr std::array<StageLayers, 15> kStages{{
    {Stage::kBindRedirect, LayerId::kAleBindRedirectV4, LayerId::kAleBindRedirectV6,
     "bind-redirect"},
    {Stage::kResourceAssignment, LayerId::kAleResourceAssignmentV4,
     LayerId::kAleResourceAssignmentV6, "resource-assignment"},
    {Stage::kAuthListen, LayerId::kAleAuthListenV4, LayerId::kAleAuthListenV6, "auth-listen"},
    {Stage::kConnectRedirect, LayerId::kAleConnectRedirectV4, LayerId::kAleConnectRedirectV6,
     "connect-redirect"},
    {Stage::kAuthConnect, LayerId::kAleAuthConnectV4, LayerId::kAleAuthConnectV6, "auth-connect"},
    {Stage::kAuthRecvAccept, LayerId::kAleAuthRecvAcceptV4, LayerId::kAleAuthRecvAcceptV6,
     "auth-recv-accept"},
    {Stage::kFlowEstablished, LayerId::kAleFlowEstablishedV4, LayerId::kAleFlowEstablishedV6,
     "flow-established"},
    {Stage::kStream, LayerId::kStreamV4, LayerId::kStreamV6, "stream"},
    {Stage::kDatagramData, LayerId::kDatagramDataV4, LayerId::kDatagramDataV6, "datagram-data"},
    {Stage::kOutboundTransport, LayerId::kOutboundTransportV4, LayerId::kOutboundTransportV6,
     "outbound-transport"},
    {Stage::kOutboundIpPacket, LayerId::kOutboundIppacketV4, LayerId::kOutboundIppacketV6,
     "outbound-ippacket"},
    {Stage::kInboundIpPacket, LayerId::kInboundIppacketV4, LayerId::kInboundIppacketV6,
     "inbound-ippacket"},
    {Stage::kInboundTransport, LayerId::kInboundTransportV4, LayerId::kInboundTransportV6,
     "inbound-transport"},
    {Stage::kOutboundIcmpError, LayerId::kOutboundIcmpErrorV4, LayerId::kOutboundIcmpErrorV6,
     "outbound-icmp-error"},
    {Stage::kInboundIcmpError, LayerId::kInboundIcmpErrorV4, LayerId::kInboundIcmpErrorV6,
     "inbound-icmp-error"},
}};

// TCP Packet Flows, "Server performs Passive Open" / "Client performs Active Open"; UDP Packet
// Flows, "UDP Connection Establishment": bind.
constexpr std::array kBind{Stage::kBindRedirect, Stage::kResourceAssignment};
// TCP Packet Flows: listen.
constexpr std::array kListen{Stage::kAuthListen};
// TCP: connect; UDP: sendto.
constexpr std::array kConnect{Stage::kConnectRedirect, Stage::kAuthConnect};
// "SYN: FWPM_LAYER_OUTBOUND_TRANSPORT_V4, FWPM_LAYER_OUTBOUND_IPPACKET_V4" and every other
// outbound packet.
constexpr std::array kSendPacket{Stage::kOutboundTransport, Stage::kOutboundIpPacket};
// Every inbound packet starts at the IP packet layer.
constexpr std::array kReceiveIp{Stage::kInboundIpPacket};

// kStages is indexed by Stage.
constexpr bool stages_in_enum_order() {
  for (std::size_t i = 0; i < kStages.size(); ++i) {
    if (static_cast<std::size_t>(kStages[i].stage) != i) return false;
  }
  return true;
}
static_assert(stages_in_enum_order());

}  // namespace

model::LayerId layer_of(Stage stage, bool v6) {
  const auto& row = kStages[static_cast<std::size_t>(stage)];
  return v6 ? row.v6 : row.v4;
}

std::string_view stage_name(Stage stage) { return kStages[static_cast<std::size_t>(stage)].name; }

namespace sequence {
std::span<const Stage> bind() { return kBind; }
std::span<const Stage> listen() { return kListen; }
std::span<const Stage> connect() { return kConnect; }
std::span<const Stage> send_packet() { return kSendPacket; }
std::span<const Stage> receive_ip() { return kReceiveIp; }
}  // namespace sequence

}  // namespace openfwp::stack
