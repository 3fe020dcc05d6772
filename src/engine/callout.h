// SPDX-License-Identifier: Apache-2.0
// The callout API: a C++ model of WFP's FWPS_CALLOUT classify / notify / flow-delete triple.
//
// When a filter whose action is a callout matches, the engine calls the registered driver's
// classify() with the incoming values, the metadata, the filter and whether it currently holds
// the right to write an action (FWPS_RIGHT_ACTION_WRITE). The driver answers with a
// ClassifyOut. Call order (Envoy-style contract): notify(kFilterAdd) when a filter that names
// the callout is committed; classify() any number of times, possibly from several threads at
// once; notify(kFilterDelete) when such a filter is removed; flow_delete() once for each flow the
// driver associated a context with, when that flow ends. A driver is registered by non-owning
// pointer and must outlive its registration.
#pragma once

#include "model/filter.h"
#include "model/incoming_values.h"

#include <cstdint>
#include <span>

namespace openfwp::engine {

/// What a callout returns (FWPS_CLASSIFY_OUT0, reduced to what arbitration reads).
struct ClassifyOut {
  enum class Action : std::uint8_t { kContinue, kPermit, kBlock };
  Action action = Action::kContinue;
  /// Reset FWPS_RIGHT_ACTION_WRITE after writing: makes a permit or block hard.
  bool clear_action_right = false;
  /// FWPS_CLASSIFY_OUT_FLAG_ABSORB: silently drop (no discard-layer indication).
  bool absorb = false;
};

/// Per-classification information beyond the incoming values (FWPS_INCOMING_METADATA_VALUES0,
/// reduced): which flow, and stream data when the layer carries it.
struct ClassifyMetadata {
  std::uint64_t flow_id = 0;           ///< 0 = no flow
  std::span<const std::uint8_t> data;  ///< stream / datagram payload, if any
  bool inbound = false;
  /// The flow's callout context slot (FwpsFlowAssociateContext0 stand-in), owned by the
  /// caller's flow table; nullptr when the classification has no flow.
  std::uint64_t* flow_context = nullptr;
};

/// Handed to CalloutDriver::classify(); valid only during the call.
struct CalloutClassifyArgs {
  const model::IncomingValues& in;
  const ClassifyMetadata& metadata;
  const model::Filter& filter;
  /// True if the callout may write an action. When false, only a Block has effect (a veto).
  bool action_right = true;
  /// The per-flow context the driver associated earlier (0 = none); writable.
  std::uint64_t* flow_context = nullptr;
};

enum class NotifyType : std::uint8_t { kFilterAdd, kFilterDelete };

class CalloutDriver {
 public:
  virtual ~CalloutDriver() = default;
  /// Decides or inspects; must not call back into the engine's management API.
  virtual ClassifyOut classify(const CalloutClassifyArgs& args) = 0;
  /// A filter naming this callout was committed or removed.
  virtual void notify(NotifyType /*type*/, const model::Filter& /*filter*/) {}
  /// A flow this driver had a context for has ended.
  virtual void flow_delete(model::LayerId /*layer*/, std::uint64_t /*flow_id*/,
                           std::uint64_t /*flow_context*/) {}
};

}  // namespace openfwp::engine
