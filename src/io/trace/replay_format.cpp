// SPDX-License-Identifier: Apache-2.0
#include "io/trace/replay_format.h"

#include "io/trace/sim_format.h"
#include "stack/packet.h"

#include <fmt/format.h>

namespace openfwp::io::trace {
namespace {

using nlohmann::ordered_json;

std::string protocol_name(std::uint8_t protocol) {
  switch (protocol) {
    case stack::ip_protocol::kTcp:
      return "tcp";
    case stack::ip_protocol::kUdp:
      return "udp";
    case stack::ip_protocol::kIcmp:
      return "icmp";
    case stack::ip_protocol::kIcmpV6:
      return "icmpv6";
    default:
      return fmt::format("ip-proto-{}", protocol);
  }
}

bool has_ports(std::uint8_t protocol) {
  return protocol == stack::ip_protocol::kTcp || protocol == stack::ip_protocol::kUdp;
}

// "198.18.0.1:80", "[2001:db8::1]:80", or the bare address for protocols without ports.
std::string endpoint(const IpAddress& address, std::uint16_t port, std::uint8_t protocol) {
  const std::string text = address.to_string();
  if (!has_ports(protocol)) return text;
  return address.is_v6 ? fmt::format("[{}]:{}", text, port) : fmt::format("{}:{}", text, port);
}

ordered_json optional_json(const std::optional<std::uint64_t>& value) {
  return value ? ordered_json(*value) : ordered_json(nullptr);
}

std::string time_text(std::uint64_t time_us) {
  return fmt::format("{:.3f}", static_cast<double>(time_us) / 1000.0);
}

}  // namespace

ordered_json net_event_json(const stack::NetEvent& e) {
  ordered_json j;
  j["type"] = stack::net_event_type_name(e.type);
  j["time_us"] = e.time_us;
  j["packet"] = e.packet;
  if (e.layer) {
    const auto& layer = model::layer_info(*e.layer);
    j["layer"] = layer.wfp_name;
    j["layer_id"] = layer.runtime_id;
  } else {
    j["layer"] = nullptr;
    j["layer_id"] = nullptr;
  }
  j["filter_id"] = optional_json(e.filter_id);
  j["protocol"] = e.protocol;
  if (e.has_addresses) {
    j["local_address"] = e.local.to_string();
    j["local_port"] = e.local_port;
    j["remote_address"] = e.remote.to_string();
    j["remote_port"] = e.remote_port;
  }
  j["direction"] =
      !e.has_addresses ? ordered_json(nullptr) : ordered_json(e.inbound ? "in" : "out");
  j["reauth"] = e.reauth;
  j["flow"] = optional_json(e.flow);
  if (!e.reason.empty()) j["reason"] = e.reason;
  return j;
}

ordered_json flow_summary_json(const stack::FlowSummary& s, const std::string& filter_name) {
  ordered_json j;
  j["flow"] = s.id;
  j["protocol"] = protocol_name(s.protocol);
  j["local_address"] = s.local.to_string();
  j["local_port"] = s.local_port;
  j["remote_address"] = s.remote.to_string();
  j["remote_port"] = s.remote_port;
  j["direction"] = s.inbound ? "in" : "out";
  j["midstream"] = s.midstream;
  j["verdict"] = stack::verdict_name(s.verdict);
  j["filter_id"] = optional_json(s.deciding_filter);
  if (!filter_name.empty()) j["filter_name"] = filter_name;
  j["layer"] = s.deciding_layer ? ordered_json(model::layer_info(*s.deciding_layer).wfp_name)
                                : ordered_json(nullptr);
  j["first_packet"] = s.first_packet;
  j["last_packet"] = s.last_packet;
  j["first_time_us"] = s.first_time_us;
  j["last_time_us"] = s.last_time_us;
  j["packets_out"] = s.packets_out;
  j["packets_in"] = s.packets_in;
  j["bytes_out"] = s.bytes_out;
  j["bytes_in"] = s.bytes_in;
  j["packets_blocked"] = s.packets_blocked;
  j["packets_suppressed"] = s.packets_suppressed;
  if (s.protocol == stack::ip_protocol::kTcp) {
    j["stream_bytes_out"] = s.stream_bytes_out;
    j["stream_bytes_in"] = s.stream_bytes_in;
    j["retransmitted_bytes"] = s.retransmitted_bytes;
    j["out_of_order_segments"] = s.out_of_order_segments;
    j["conflicting_overlap_bytes"] = s.conflicting_overlap_bytes;
  }
  j["end"] = s.end;
  return j;
}

ordered_json replay_totals_json(const ReplayEnd& end) {
  const auto& t = end.totals;
  ordered_json j;
  j["format"] = end.format;
  j["link_type"] = end.link_type;
  j["frames"] = end.frames;
  j["packets"] = t.packets;
  j["ip_bytes"] = t.ip_bytes;
  j["not_ip"] = end.not_ip;
  j["not_local"] = t.not_local;
  j["malformed"] = t.malformed;
  j["fragments"] = t.fragments;
  j["reassembled"] = t.reassembled;
  j["snapped"] = t.snapped;
  j["classifications"] = t.classifications;
  j["packets_blocked"] = t.blocked_packets;
  j["packets_suppressed"] = t.suppressed_packets;
  j["flows"] = t.flows;
  j["flows_blocked"] = t.flows_blocked;
  j["stopped"] = end.stopped ? ordered_json(*end.stopped) : ordered_json(nullptr);
  return j;
}

ReplayWriter::ReplayWriter(std::ostream& out, ReplayWriterOptions options)
    : out_(out), options_(std::move(options)) {}

void ReplayWriter::begin(const CaptureInfo& capture) {
  if (options_.report == ReplayReport::kTrace && options_.format == ReplayFormat::kText) {
    out_ << "local\n";
    return;
  }
  if (options_.format == ReplayFormat::kJson) {
    ordered_json header;
    header["file"] = capture.file;
    ordered_json locals = ordered_json::array();
    for (const auto& local : capture.locals) locals.push_back(local.to_string());
    header["local_addresses"] = locals;
    const char* items = options_.report == ReplayReport::kSummary ? "flows" : "events";
    out_ << "{\"capture\": " << header.dump() << ",\n \"" << items << "\": [";
    return;
  }
  if (options_.report == ReplayReport::kSummary && options_.format == ReplayFormat::kText) {
    std::string locals;
    for (const auto& local : capture.locals)
      locals += (locals.empty() ? "" : ", ") + local.to_string();
    out_ << fmt::format("capture {}, local host {}\n\n", capture.file, locals);
    out_ << fmt::format("{:>5}  {:<6} {:<3} {:<28} {:<28} {:<14} {:<38} {:>11} {:>15}  {}\n",
                        "flow", "proto", "dir", "local", "remote", "verdict", "decided by",
                        "packets o/i", "bytes o/i", "end");
  } else if (options_.report == ReplayReport::kEvents && options_.format == ReplayFormat::kText) {
    out_ << fmt::format("{:>11}  {:>7}  {:<36} {:<40} {:>8}  {:<3} {}\n", "time ms", "packet",
                        "type", "layer", "filter", "dir", "5-tuple");
  }
}

void ReplayWriter::on_record(const stack::TraceRecord& record) {
  if (options_.report != ReplayReport::kTrace) return;
  if (options_.format == ReplayFormat::kJsonl) {
    out_ << trace_record_json(record).dump() << '\n';
  } else {
    out_ << trace_record_line(record);
  }
}

void ReplayWriter::on_net_event(const stack::NetEvent& event) {
  if (options_.report != ReplayReport::kEvents) return;
  if (event.type == stack::NetEvent::Type::kClassifyAllow && !options_.allow_events) return;
  if (options_.format == ReplayFormat::kText) {
    const std::string layer =
        event.layer ? std::string(model::layer_info(*event.layer).wfp_name) : std::string("-");
    const std::string filter = event.filter_id ? std::to_string(*event.filter_id) : "default";
    std::string tuple = event.has_addresses ? protocol_name(event.protocol) : "-";
    if (event.has_addresses) {
      tuple += " " + endpoint(event.local, event.local_port, event.protocol) +
               (event.inbound ? " <- " : " -> ") +
               endpoint(event.remote, event.remote_port, event.protocol);
    }
    std::string line = fmt::format(
        "{:>11}  {:>7}  {:<36} {:<40} {:>8}  {:<3} {}", time_text(event.time_us), event.packet,
        stack::net_event_type_name(event.type), layer, event.layer ? filter : "-",
        !event.has_addresses ? "-"
        : event.inbound      ? "in"
                             : "out",
        tuple);
    if (event.reauth) line += "  reauth";
    if (!event.reason.empty()) line += "  (" + event.reason + ")";
    out_ << line << '\n';
    return;
  }
  write_item(net_event_json(event));
}

void ReplayWriter::write_item(const nlohmann::ordered_json& item) {
  if (options_.format == ReplayFormat::kJsonl) {
    out_ << item.dump() << '\n';
    return;
  }
  out_ << (first_item_ ? "\n  " : ",\n  ") << item.dump();
  first_item_ = false;
}

void ReplayWriter::on_flow_end(const stack::FlowSummary& s) {
  if (options_.report != ReplayReport::kSummary) return;
  std::string name;
  if (s.deciding_filter) {
    const auto it = filter_names_.find(*s.deciding_filter);
    if (it != filter_names_.end()) name = it->second;
  }
  if (options_.format != ReplayFormat::kText) {
    write_item(flow_summary_json(s, name));
    return;
  }
  std::string decided = "-";
  if (s.deciding_layer) {
    decided = s.deciding_filter ? fmt::format("filter {}", *s.deciding_filter) : "default";
    if (!name.empty()) decided += fmt::format(" \"{}\"", name);
  }
  std::string end = s.end;
  if (s.midstream) end += ", picked up mid-stream";
  if (s.packets_blocked > 0) end += fmt::format(", {} blocked", s.packets_blocked);
  if (s.packets_suppressed > 0) end += fmt::format(", {} not sent", s.packets_suppressed);
  if (s.conflicting_overlap_bytes > 0) {
    end += fmt::format(", {} conflicting overlap bytes", s.conflicting_overlap_bytes);
  }
  out_ << fmt::format("{:>5}  {:<6} {:<3} {:<28} {:<28} {:<14} {:<38} {:>11} {:>15}  {}\n", s.id,
                      protocol_name(s.protocol), s.inbound ? "in" : "out",
                      endpoint(s.local, s.local_port, s.protocol),
                      endpoint(s.remote, s.remote_port, s.protocol), stack::verdict_name(s.verdict),
                      decided, fmt::format("{}/{}", s.packets_out, s.packets_in),
                      fmt::format("{}/{}", s.bytes_out, s.bytes_in), end);
  if (s.deciding_layer) {
    out_ << fmt::format("{:>5}  {:<6} {:<3} at {}\n", "", "", "",
                        model::layer_info(*s.deciding_layer).wfp_name);
  }
}

void ReplayWriter::on_policy(const engine::Store& store) {
  for (const auto& [id, filter] : store.filters()) filter_names_[id] = filter->name;
}

void ReplayWriter::end(const ReplayEnd& end) {
  if (options_.format == ReplayFormat::kJson) {
    out_ << "\n ],\n \"totals\": " << replay_totals_json(end).dump() << "}\n";
    return;
  }
  if (options_.report != ReplayReport::kSummary) return;
  if (options_.format == ReplayFormat::kJsonl) {
    ordered_json totals;
    totals["totals"] = replay_totals_json(end);
    out_ << totals.dump() << '\n';
    return;
  }
  const auto& t = end.totals;
  out_ << fmt::format(
      "\n{} frames ({}, {}): {} IP packets ({} bytes) replayed, {} not IP, {} not to or from a "
      "local "
      "address, {} malformed, {} fragments ({} datagrams reassembled), {} cut by the snap "
      "length\n",
      end.frames, end.format, end.link_type, t.packets, t.ip_bytes, end.not_ip, t.not_local,
      t.malformed, t.fragments, t.reassembled, t.snapped);
  out_ << fmt::format(
      "{} classifications; {} packets blocked, {} not sent by the modelled stack; {} flows, {} "
      "refused\n",
      t.classifications, t.blocked_packets, t.suppressed_packets, t.flows, t.flows_blocked);
  if (end.stopped) out_ << "capture ended early: " << *end.stopped << '\n';
}

}  // namespace openfwp::io::trace
