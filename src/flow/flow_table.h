// SPDX-License-Identifier: Apache-2.0
// The ALE flow table of one host: WFP's ALE layers classify a connection (TCP) or a
// 5-tuple (UDP and other protocols) once, and the verdict holds for every later packet of the
// flow, until the policy changes. Then the next packet is reclassified at the ALE auth layer
// with FWP_CONDITION_FLAG_IS_REAUTHORIZE ("ALE Reauthorization" in Microsoft's WFP docs).
//
// The table records, per flow, the policy epoch (engine::Engine::policy_epoch) its verdict was
// reached under; a flow whose epoch is older than the engine's needs reauthorization.
#pragma once

#include "common/ip_address.h"

#include <cstdint>
#include <optional>
#include <unordered_map>

namespace openfwp::flow {

/// The 5-tuple as the local host sees it.
struct FlowKey {
  std::uint8_t protocol = 0;
  IpAddress local;
  std::uint16_t local_port = 0;
  IpAddress remote;
  std::uint16_t remote_port = 0;
  friend auto operator<=>(const FlowKey&, const FlowKey&) = default;
};

/// Hash of a FlowKey (FNV-1a over its fields), for the hash tables of flows.
struct FlowKeyHash {
  std::size_t operator()(const FlowKey& key) const noexcept;
};

struct FlowState {
  std::uint64_t id = 0;               ///< unique per host, for traces and callout contexts
  bool inbound = false;               ///< established by a remote peer (recv-accept side)
  std::uint64_t epoch = 0;            ///< policy epoch of the last ALE verdict
  bool permitted = true;              ///< the last ALE verdict
  std::uint64_t callout_context = 0;  ///< FwpsFlowAssociateContext0 stand-in
};

class FlowTable {
 public:
  FlowState* find(const FlowKey& key);
  /// Adds a flow authorized under `epoch`; an existing entry for `key` is replaced.
  FlowState& insert(const FlowKey& key, bool inbound, std::uint64_t epoch);
  void erase(const FlowKey& key);
  std::size_t size() const { return flows_.size(); }

  /// True if the flow's verdict predates the current policy.
  static bool needs_reauthorization(const FlowState& flow, std::uint64_t policy_epoch) {
    return flow.epoch < policy_epoch;
  }

 private:
  // Hashed: a replay holds hundreds of thousands of flows; nothing iterates the table, so its
  // order cannot leak into traces.
  std::unordered_map<FlowKey, FlowState, FlowKeyHash> flows_;
  std::uint64_t next_id_ = 1;
};

}  // namespace openfwp::flow
