// SPDX-License-Identifier: Apache-2.0
#include "stack/layer_walker.h"

#include "common/strings.h"
#include "stack/packet.h"

#include <fmt/format.h>

namespace openfwp::stack {
namespace {

using model::FieldId;

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

engine::Decision LayerWalker::classify(model::LayerId layer, const ClassifyContext& context) {
  model::IncomingValues in(layer);
  const auto& key = context.key;
  set_if_present(in, FieldId::kIpLocalAddress, address_value(key.local));
  set_if_present(in, FieldId::kIpRemoteAddress, address_value(key.remote));
  set_if_present(in, FieldId::kIpProtocol, key.protocol);
  const bool icmp_layer = layer == layer_of(Stage::kOutboundIcmpError, context.v6) ||
                          layer == layer_of(Stage::kInboundIcmpError, context.v6) ||
                          ip_protocol::is_icmp(key.protocol);
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
  set_if_present(in, FieldId::kFlags, context.flags | (context.reauth ? kFlagIsReauthorize : 0U));
  set_if_present(in, FieldId::kDirection, context.inbound ? kDirectionInbound : kDirectionOutbound);

  engine::ClassifyMetadata metadata;
  metadata.flow_id = context.flow.value_or(0);
  metadata.inbound = context.inbound;
  metadata.data = context.data;
  metadata.flow_context = context.flow_context;
  const engine::Decision decision =
      engine_.classify(in, metadata, {.explain = sink_.wants_explanations()});
  record_classification(layer, context, in, decision);
  return decision;
}

void LayerWalker::record_classification(model::LayerId layer, const ClassifyContext& context,
                                        const model::IncomingValues& in,
                                        const engine::Decision& decision) {
  TraceRecord record;
  record.host = host_;
  record.event = context.event;
  record.layer = layer;
  record.action = decision.action == engine::Outcome::kBlock ? "block" : "permit";
  record.filter_id = decision.filter_id;
  record.flow = context.flow;
  record.reauth = context.reauth;
  if (model::layer_info(layer).is_discard) record.note = context.discard_reason;
  if (sink_.wants_explanations())
    record.explanation = std::make_shared<const Explained>(Explained{in, decision});
  sink_.record(std::move(record));
}

void LayerWalker::end_flow(flow::FlowTable& flows, const flow::FlowKey& key) {
  if (const auto* flow = flows.find(key)) {
    const Stage stage = key.protocol == ip_protocol::kTcp ? Stage::kStream : Stage::kDatagramData;
    engine_.notify_flow_deleted(layer_of(stage, key.local.is_v6), flow->id, flow->callout_context);
  }
  flows.erase(key);
}

void LayerWalker::note(const std::string& event, std::string text) {
  sink_.record(make_note(host_, event, std::move(text)));
}

bool LayerWalker::pass(Stage stage, const ClassifyContext& context) {
  const model::LayerId layer = layer_of(stage, context.v6);
  const engine::Decision decision = classify(layer, context);
  if (decision.action != engine::Outcome::kBlock) return true;
  if (decision.absorb) return false;  // absorbed: no discard indication
  if (auto discard = model::discard_layer_of(layer)) {
    ClassifyContext dropped = context;
    dropped.discard_reason = decision.filter_id
                                 ? fmt::format("blocked by filter {}", *decision.filter_id)
                                 : std::string("blocked by the layer default");
    classify(*discard, dropped);
  }
  return false;
}

bool LayerWalker::pass_all(std::span<const Stage> stages, const ClassifyContext& context) {
  for (const Stage stage : stages) {
    if (!pass(stage, context)) return false;
  }
  return true;
}

bool LayerWalker::discard_blocked(Stage stage, const ClassifyContext& context) {
  const auto discard = model::discard_layer_of(layer_of(stage, context.v6));
  if (!discard) return false;
  return classify(*discard, context).action == engine::Outcome::kBlock;
}

bool LayerWalker::authorize_packet(flow::FlowState& flow, const ClassifyContext& context,
                                   bool outbound) {
  const std::uint64_t epoch = engine_.policy_epoch();
  if (!flow::FlowTable::needs_reauthorization(flow, epoch)) return flow.permitted;
  // ALE Reauthorization: the policy changed since this flow's verdict; the packet is
  // reclassified at the auth layer of its direction, with FWP_CONDITION_FLAG_IS_REAUTHORIZE.
  ClassifyContext reauth = context;
  reauth.reauth = true;
  reauth.attach(flow);
  flow.permitted = pass(outbound ? Stage::kAuthConnect : Stage::kAuthRecvAccept, reauth);
  flow.epoch = epoch;
  return flow.permitted;
}

}  // namespace openfwp::stack
