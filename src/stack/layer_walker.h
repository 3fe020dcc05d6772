// SPDX-License-Identifier: Apache-2.0
// LayerWalker: how any host model classifies at WFP's layers. It turns what a classification is
// about (a ClassifyContext) into the layer's incoming values, calls the engine, records the
// result, and applies the rules every driver shares: a block also classifies the layer's
// _DISCARD twin (unless the callout absorbed the packet), and a flow whose ALE verdict predates
// the policy is reauthorized.
//
// The simulator's Host (host.h) and the pcap replay's ReplayHost (replay_host.h) are both
// drivers of one LayerWalker each: the layer order is theirs (from layer_sequence.h), the
// mechanics of one classification are here, so the two cannot drift apart.
#pragma once

#include "engine/engine.h"
#include "flow/flow_table.h"
#include "stack/layer_sequence.h"
#include "stack/scenario.h"
#include "stack/trace.h"

#include <optional>
#include <span>
#include <string>

namespace openfwp::stack {

/// Where classification records go. The simulator keeps them all; the replay streams them.
class ClassificationSink {
 public:
  virtual ~ClassificationSink() = default;
  /// True if classifications should carry their explanation (costs allocations).
  virtual bool wants_explanations() const { return false; }
  virtual void record(TraceRecord record) = 0;
};

/// What one classification is about; becomes the layer's incoming values.
struct ClassifyContext {
  std::string event;
  bool v6 = false;
  flow::FlowKey key;
  const Identity* identity = nullptr;
  bool inbound = false;
  bool reauth = false;
  /// Further FWP_CONDITION_FLAG_* bits for FWPM_CONDITION_FLAGS (fragments, reassembled
  /// packets); `reauth` adds FWP_CONDITION_FLAG_IS_REAUTHORIZE.
  std::uint32_t flags = 0;
  std::optional<std::uint64_t> flow;
  std::uint64_t* flow_context = nullptr;  // the flow's callout context slot
  std::uint8_t icmp_type = 0;
  std::uint8_t icmp_code = 0;
  std::string discard_reason;
  std::span<const std::uint8_t> data;  // stream / datagram payload, for callouts

  // The classification belongs to `f`: its id for the trace, its context for callouts.
  void attach(flow::FlowState& f) {
    flow = f.id;
    flow_context = &f.callout_context;
  }
};

class LayerWalker {
 public:
  /// `engine` and `sink` must outlive the walker; `host` names the records.
  LayerWalker(engine::Engine& engine, std::string host, ClassificationSink& sink)
      : engine_(engine), host_(std::move(host)), sink_(sink) {}

  const std::string& host() const { return host_; }

  /// Classifies at `layer` and records it.
  engine::Decision classify(model::LayerId layer, const ClassifyContext& context);
  /// Classifies at `stage`; on a block, also classifies the _DISCARD twin. True if permitted.
  bool pass(Stage stage, const ClassifyContext& context);
  /// pass() for each stage in order, stopping at the first block.
  bool pass_all(std::span<const Stage> stages, const ClassifyContext& context);
  /// Classifies the _DISCARD layer of `stage` only (packets the stack drops itself). True if a
  /// filter there blocked: the stack must then stay silent (stealth mode).
  bool discard_blocked(Stage stage, const ClassifyContext& context);
  /// ALE: the flow's verdict, reauthorizing it first at AUTH_CONNECT (`outbound`) or
  /// AUTH_RECV_ACCEPT if the policy changed since. True if the flow may pass.
  bool authorize_packet(flow::FlowState& flow, const ClassifyContext& context, bool outbound);
  /// Removes a flow from `flows`, telling callouts that kept a context for it (flow_delete at
  /// the stream or datagram-data layer of its family).
  void end_flow(flow::FlowTable& flows, const flow::FlowKey& key);
  /// Records a note (what a host or an application saw).
  void note(const std::string& event, std::string text);

 private:
  void record_classification(model::LayerId layer, const ClassifyContext& context,
                             const model::IncomingValues& in, const engine::Decision& decision);

  engine::Engine& engine_;
  std::string host_;
  ClassificationSink& sink_;
};

}  // namespace openfwp::stack
