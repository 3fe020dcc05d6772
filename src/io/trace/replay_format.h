// SPDX-License-Identifier: Apache-2.0
// What `fwp replay` prints, as it happens: the layer trace (text, jsonl), WFP-style net events
// (text, json, jsonl) or a summary per flow (text, json). A ReplayObserver, so that a capture of
// millions of packets streams through without the output being held in memory.
#pragma once

#include "stack/replay_types.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace openfwp::io::trace {

enum class ReplayReport : std::uint8_t { kSummary, kEvents, kTrace };
enum class ReplayFormat : std::uint8_t { kText, kJson, kJsonl };

struct ReplayWriterOptions {
  ReplayReport report = ReplayReport::kSummary;
  ReplayFormat format = ReplayFormat::kText;
  /// Net events: include FWPM_NET_EVENT_TYPE_CLASSIFY_ALLOW (ALE permits), not only drops.
  bool allow_events = false;
};

/// What the capture was, for the summary's header.
struct CaptureInfo {
  std::string file;
  std::vector<IpAddress> locals;
};

/// How the replay ended, for the summary's footer.
struct ReplayEnd {
  std::string format;     ///< pcap or pcapng
  std::string link_type;  ///< libpcap's name
  std::uint64_t frames = 0;
  std::uint64_t not_ip = 0;
  stack::ReplayTotals totals;
  std::optional<std::string> stopped;  ///< why the capture ended early
};

class ReplayWriter final : public stack::ReplayObserver {
 public:
  ReplayWriter(std::ostream& out, ReplayWriterOptions options);

  void begin(const CaptureInfo& capture);
  void on_record(const stack::TraceRecord& record) override;
  void on_net_event(const stack::NetEvent& event) override;
  void on_flow_end(const stack::FlowSummary& summary) override;
  /// Remembers the filters' names, for summaries (a filter deleted by a later policy change
  /// keeps the name it had).
  void on_policy(const engine::Store& store) override;
  void end(const ReplayEnd& end);

 private:
  // One object of the json array (comma-separated) or of the jsonl stream.
  void write_item(const nlohmann::ordered_json& item);

  std::ostream& out_;
  ReplayWriterOptions options_;
  bool first_item_ = true;  // json: the comma between array items
  std::map<std::uint64_t, std::string> filter_names_;
};

/// One net event / flow summary / the totals as JSON (the objects of the json and jsonl forms).
nlohmann::ordered_json net_event_json(const stack::NetEvent& event);
nlohmann::ordered_json flow_summary_json(const stack::FlowSummary& summary,
                                         const std::string& filter_name);
nlohmann::ordered_json replay_totals_json(const ReplayEnd& end);

}  // namespace openfwp::io::trace
