// SPDX-License-Identifier: Apache-2.0
// Filter arbitration: turning the matching filters of one layer into one decision.
//
// What it is for. WFP lets several providers (firewall, IDS, VPN, parental control) put
// filters in the same layer; arbitration is the rule that says whose action stands. It is the
// part of WFP users most often misread, so it is implemented as literally as the documentation
// allows and explains itself step by step.
//
// The rules (WFP: Filter Arbitration, learn.microsoft.com/windows/win32/fwp/filter-arbitration):
//  1. Sublayers are evaluated from highest to lowest weight; all of them, even after a block.
//  2. Inside a sublayer, matching filters are evaluated from highest to lowest weight until one
//     returns Permit or Block ("terminating"); the rest of that sublayer is skipped. Continue
//     (inspection callouts, callouts that pass) goes on to the next filter.
//  3. Across sublayers the engine keeps the current action and the FWPS_RIGHT_ACTION_WRITE
//     right. While the right is set, a sublayer's terminating action replaces the current one.
//     Filter permits are soft (the right stays set) unless the filter has
//     FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT (hard permit). Filter blocks are hard. Callout permits
//     and blocks are soft unless the callout clears the right (or the filter has the flag).
//  4. Once the right is cleared, lower sublayers cannot change the action — with one exception:
//     a callout that returns Block while the right is cleared over a Permit is a Veto: the
//     traffic is blocked and WFP audits the conflict.
//  5. If no sublayer decides, the layer's default applies (Permit for every modelled layer).
// Callout filters whose callout is not registered act as Block, or as Permit with
// FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED; inspection ones are skipped.
//
// Design. arbitrate() drives the layer's matcher with a visitor that evaluates each match and
// asks the matcher to skip the rest of a sublayer once it has a terminating result, so the
// common case evaluates only what WFP evaluates. With `explain`, it walks every match (marking
// the skipped ones kNotEvaluated) and records every sublayer, at the cost of allocation.
//
// Invariants. Callouts are called exactly when WFP would call them: in order, once per
// evaluated match, never for filters skipped by rule 2 (also in explain mode).
//
// Thread-safety. Pure function of its arguments; callout drivers must be thread-safe if the
// caller classifies from several threads.
#pragma once

#include "engine/callout.h"
#include "engine/decision.h"
#include "engine/snapshot.h"

namespace openfwp::engine {

/// Finds the registered driver for a callout key, or nullptr if none is registered.
using CalloutLookup = FunctionRef<CalloutDriver*(const Guid&)>;

struct ArbitrationRequest {
  const Snapshot::LayerState& layer;
  const model::IncomingValues& in;
  const ClassifyMetadata& metadata;
  CalloutLookup callouts;
  bool explain = false;
};

Decision arbitrate(const ArbitrationRequest& request);

}  // namespace openfwp::engine
