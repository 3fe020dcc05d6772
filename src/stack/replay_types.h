// SPDX-License-Identifier: Apache-2.0
// The data a pcap replay consumes and produces: an observed packet in, and out of it trace
// records, WFP-style net events and one summary per flow (replay_host.h drives them).
#pragma once

#include "common/ip_address.h"
#include "engine/store.h"
#include "model/catalog.h"
#include "stack/packet.h"
#include "stack/trace.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace openfwp::stack {

/// One captured packet as the replay host sees it: the header fields WFP's layers classify on.
/// `payload` points into the driver's buffer and is valid during the call only.
struct ObservedPacket {
  std::uint64_t index = 0;      ///< frame number in the capture, from 1
  std::uint64_t time_us = 0;    ///< since the capture's first frame
  std::uint32_t ip_length = 0;  ///< bytes of the IP packet (for byte counts and Mbit/s)
  IpAddress source;
  IpAddress destination;
  std::uint8_t protocol = 0;
  std::uint16_t source_port = 0;       ///< TCP/UDP
  std::uint16_t destination_port = 0;  ///< TCP/UDP
  TcpFlags tcp;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::span<const std::uint8_t> payload;  ///< TCP/UDP/other payload; ICMP data
  std::uint8_t icmp_type = 0;
  std::uint8_t icmp_code = 0;
  bool icmp_error = false;
  std::uint16_t icmp_id = 0;  ///< echo identifier (queries); keys ICMP query flows
  QuotedHeader quoted;        ///< ICMP errors: the 5-tuple of the packet quoted
  IpAddress quoted_source;
  IpAddress quoted_destination;
  bool reassembled = false;  ///< rebuilt from IP fragments
  bool snapped = false;      ///< the capture cut it short; payload beyond the cut is zeros

  /// The founding document's name for this packet (SYN, SYN-ACK, ACK, RST, FIN, segment,
  /// datagram, icmp-error), and the one used at the IP packet layers.
  std::string event_name() const;
  std::string ip_event_name() const;
};

/// A WFP-style net event (FWPM_NET_EVENT0): what `netsh wfp show netevents` would list.
struct NetEvent {
  enum class Type : std::uint8_t {
    kClassifyDrop,   ///< FWPM_NET_EVENT_TYPE_CLASSIFY_DROP: a filter (or a layer default) blocked
    kClassifyAllow,  ///< FWPM_NET_EVENT_TYPE_CLASSIFY_ALLOW: an ALE authorization permitted
    kStackDiscard,   ///< the stack discarded the packet itself (malformed, no endpoint…)
  };
  Type type = Type::kClassifyDrop;
  std::uint64_t time_us = 0;
  std::uint64_t packet = 0;
  std::optional<model::LayerId> layer;
  std::optional<std::uint64_t> filter_id;
  std::uint8_t protocol = 0;
  bool has_addresses = false;
  IpAddress local;
  IpAddress remote;
  std::uint16_t local_port = 0;
  std::uint16_t remote_port = 0;
  bool inbound = false;
  bool reauth = false;
  std::optional<std::uint64_t> flow;
  std::string reason;  ///< discard reason, or why the flow was refused
};

/// "FWPM_NET_EVENT_TYPE_CLASSIFY_DROP" etc.; "OPENFWP_NET_EVENT_TYPE_STACK_DISCARD".
std::string_view net_event_type_name(NetEvent::Type type);

/// One flow of the capture, as the replay saw it.
struct FlowSummary {
  enum class Verdict : std::uint8_t {
    kPermitted,      ///< every packet passed
    kBlocked,        ///< ALE refused the flow (connect / accept / first datagram)
    kPartlyBlocked,  ///< permitted, then some packets were dropped (reauthorization, transport…)
    kNoEndpoint,     ///< never reached a socket: a closed port (the policy did not block it)
  };
  std::uint64_t id = 0;  ///< order of first appearance, from 1
  std::uint8_t protocol = 0;
  IpAddress local;
  IpAddress remote;
  std::uint16_t local_port = 0;  ///< ICMP queries: the echo identifier
  std::uint16_t remote_port = 0;
  bool inbound = false;    ///< opened by the remote peer
  bool midstream = false;  ///< TCP picked up without its handshake
  Verdict verdict = Verdict::kPermitted;
  /// The filter and layer that decided the flow: the first block, else the ALE authorization.
  std::optional<std::uint64_t> deciding_filter;
  std::optional<model::LayerId> deciding_layer;
  std::uint64_t first_packet = 0;
  std::uint64_t last_packet = 0;
  std::uint64_t first_time_us = 0;
  std::uint64_t last_time_us = 0;
  std::uint64_t packets_out = 0;
  std::uint64_t packets_in = 0;
  std::uint64_t bytes_out = 0;  ///< IP bytes
  std::uint64_t bytes_in = 0;
  std::uint64_t packets_blocked = 0;
  std::uint64_t packets_suppressed = 0;
  std::uint64_t stream_bytes_out = 0;  ///< TCP bytes indicated at the stream layer
  std::uint64_t stream_bytes_in = 0;
  std::uint64_t retransmitted_bytes = 0;
  std::uint64_t out_of_order_segments = 0;
  std::uint64_t conflicting_overlap_bytes = 0;  ///< overlaps whose bytes differed
  std::string end;  ///< "fin", "rst", "open", "refused", "no endpoint"…
};

std::string_view verdict_name(FlowSummary::Verdict verdict);

/// What the host model says the stack does with one packet: the live daemon's verdict. A
/// replay only reports it.
struct PacketVerdict {
  /// A (non-discard) layer blocked it, the modelled stack could not have sent or received it,
  /// or stealth mode silenced the closed port it was sent to (so the kernel must not answer).
  bool drop = false;
  /// Reauthorization blocked its TCP connection just now: the stack drops the connection.
  bool cut = false;
  /// It belongs to a flow ALE permitted under the current policy, past the TCP handshake:
  /// later packets need no ALE decision (the live fast path).
  bool established = false;
  std::uint8_t protocol = 0;
};

/// Counts over the whole replay.
struct ReplayTotals {
  std::uint64_t packets = 0;
  std::uint64_t ip_bytes = 0;
  std::uint64_t classifications = 0;
  std::uint64_t blocked_packets = 0;
  std::uint64_t suppressed_packets = 0;
  std::uint64_t not_local = 0;  ///< neither end is a local address: not replayed
  std::uint64_t malformed = 0;
  std::uint64_t fragments = 0;
  std::uint64_t fragments_discarded = 0;  ///< datagrams given up (overlap, timeout, limits)
  std::uint64_t reassembled = 0;
  std::uint64_t snapped = 0;
  std::uint64_t flows = 0;
  std::uint64_t flows_blocked = 0;
};

/// Receives the replay's output as it is produced. Every hook is optional.
class ReplayObserver {
 public:
  virtual ~ReplayObserver() = default;
  virtual void on_record(const TraceRecord& /*record*/) {}
  virtual void on_net_event(const NetEvent& /*event*/) {}
  virtual void on_flow_end(const FlowSummary& /*summary*/) {}
  /// A policy was applied (at the start, and at each --policy-change): the filters in force.
  virtual void on_policy(const engine::Store& /*store*/) {}
};

}  // namespace openfwp::stack
