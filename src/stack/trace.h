// SPDX-License-Identifier: Apache-2.0
// What the simulator records: one record per classification, in the order the hosts' filter
// engines saw them (../shared/spec/interfaces.md, "Trace"), plus notes for what applications
// see (a connect that failed, data that arrived) so a trace reads as the whole story.
#pragma once

#include "engine/decision.h"
#include "model/catalog.h"
#include "model/incoming_values.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace openfwp::stack {

/// A classification with its explanation: the incoming values the layer presented and the
/// explained decision (recorded only when the network runs with explanations on).
struct Explained {
  model::IncomingValues in;
  engine::Decision decision;
};

struct TraceRecord {
  std::uint64_t seq = 0;
  std::uint64_t time_us = 0;
  std::string host;
  /// bind, listen, connect, accept, send, data, SYN, SYN-ACK, ACK, RST, FIN, segment,
  /// datagram, icmp-error; "app" for notes.
  std::string event;
  std::optional<model::LayerId> layer;  ///< nullopt for notes
  std::string action;                   ///< permit | block | continue; empty for notes
  std::optional<std::uint64_t> filter_id;
  std::optional<std::uint64_t> flow;
  bool reauth = false;
  /// pcap replay: the capture frame (from 1) this record is about; nullopt in simulations.
  std::optional<std::uint64_t> packet;
  std::string note;  ///< why (discard reason, application result); may be empty
  /// Set for classifications when Network::explain is on; shared so that copying a trace is
  /// cheap.
  std::shared_ptr<const Explained> explanation;
};

using Trace = std::vector<TraceRecord>;

/// A note: what a host or application saw, not a classification.
inline TraceRecord make_note(std::string host, std::string event, std::string note) {
  TraceRecord record;
  record.host = std::move(host);
  record.event = std::move(event);
  record.note = std::move(note);
  return record;
}

}  // namespace openfwp::stack
