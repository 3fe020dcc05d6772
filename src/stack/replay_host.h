// SPDX-License-Identifier: Apache-2.0
// ReplayHost: the local host of a pcap replay. Where the simulator's Host *makes* traffic,
// ReplayHost *watches* it: every captured packet is one the local host sent or received, and
// the host model says which WFP layers it would have traversed, in the documented order, and
// what the policy would have done to it.
#pragma once

// Design
// ------
// Socket operations are inferred, not given (issue #5):
//   - an outbound SYN of a new connection is a connect(): bind (BIND_REDIRECT,
//     RESOURCE_ASSIGNMENT) of its local port the first time the port is seen, CONNECT_REDIRECT,
//     AUTH_CONNECT, then the send layers;
//   - an inbound SYN is an accept() if the local host answered it with a SYN-ACK or the port
//     is seen listening elsewhere in the capture (INBOUND_TRANSPORT, AUTH_RECV_ACCEPT); it hit a
//     closed port if the host answered with a RST or the port is never seen listening
//     (INBOUND_TRANSPORT_DISCARD, "no endpoint");
//   - the first outbound datagram of a UDP (or other protocol) 5-tuple is a sendto() (bind the
//     first time, CONNECT_REDIRECT, AUTH_CONNECT, FLOW_ESTABLISHED); an inbound datagram goes
//     to a socket unless the host answered it with an ICMP port unreachable and never sent
//     from that port (then INBOUND_IPPACKET_DISCARD).
// What the host "answered" needs the packets that follow, so the driver runs a first pass over
// the capture into EndpointHints, and replays in a second pass.
//
// The capture was taken on a host that did not run this policy, so a verdict can contradict the
// packets that follow it. The rule: a packet a filter blocks changes no modelled state, and
// every later packet is still classified as captured, except those the modelled stack could
// not have sent at all — the local host's SYN-ACK to a SYN that was blocked, its packets on a
// connect() that ALE refused, and a RST or ICMP error a discard-layer block (stealth mode)
// silenced. Those are reported as "suppressed", with no classification. Inbound packets of a
// connection the model does not have (its SYN was blocked) take the no-endpoint path, as on
// Windows.
//
// A TCP connection whose handshake is not in the capture is picked up mid-stream: ALE
// authorizes it on its first packet (AUTH_CONNECT if the remote port looks like the service,
// i.e. the local port is not seen listening and is the higher one; AUTH_RECV_ACCEPT otherwise)
// and the summary says so.
//
// IP fragments (issue #5, and WFP's "WFP Layer Requirements and Restrictions", network layer):
// an inbound fragment is indicated at INBOUND_IPPACKET as a packet and again as a fragment
// (FWP_CONDITION_FLAG_IS_FRAGMENT); the reassembled datagram is indicated once more and goes
// on to the transport layers. The driver reassembles; ReplayHost classifies.
//
// The stream layer sees each direction's in-order byte stream (flow::TcpStreamReassembler):
// retransmitted bytes are not indicated twice, out-of-order bytes are indicated when the gap
// fills, overlapping bytes keep the data first received (as Windows' and Linux' stacks do).
//
// Output goes to a ReplayObserver as it happens (trace records, net events, and a summary per
// flow when the flow ends or the capture does), so a large capture streams through in bounded
// memory apart from the flow table.

#include "engine/engine.h"
#include "flow/flow_table.h"
#include "flow/tcp_reassembly.h"
#include "stack/host.h"
#include "stack/layer_walker.h"
#include "stack/local_endpoints.h"
#include "stack/packet.h"
#include "stack/replay_types.h"

#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace openfwp::stack {

/// What the first pass learned about the local host's endpoints (see the design note): the
/// capture's answers to the LocalEndpoints questions.
class EndpointHints final : public LocalEndpoints {
 public:
  /// Feeds one packet of the capture; `outbound` if a local address sent it.
  void learn(const ObservedPacket& packet, bool outbound);

  enum class SynAnswer : std::uint8_t { kNone, kSynAck, kReset };
  /// How the local host answered an inbound SYN on `key` (local view).
  SynAnswer syn_answer(const flow::FlowKey& key) const;
  /// The host answered the SYN with a SYN-ACK, or did not answer it (the capture may have
  /// lost the answer) and the port is seen listening.
  bool accepts_syn(const flow::FlowKey& key) const override;
  /// True if the local host answered some SYN on this local address and port with a SYN-ACK.
  bool listening(const IpAddress& local, std::uint16_t port) const override;
  /// True if the local host answered a datagram on `key` with ICMP port unreachable and never
  /// sent from its local port.
  bool udp_port_closed(const flow::FlowKey& key) const override;
  /// True if the local host sent something other than a RST on this TCP 5-tuple (local view):
  /// a connection the capture joined mid-stream, not a stray packet to a closed port.
  bool tcp_local_sends(const flow::FlowKey& key) const override;

 private:
  std::map<flow::FlowKey, SynAnswer> syn_answers_;
  std::set<std::pair<IpAddress, std::uint16_t>> listening_;
  std::set<flow::FlowKey> udp_unreachable_;
  std::set<flow::FlowKey> tcp_sent_;
  std::set<std::tuple<std::uint8_t, IpAddress, std::uint16_t>> sent_from_;
};

class ReplayHost final : private ClassificationSink {
 public:
  /// `locals` are the local host's addresses; `endpoints` and `observer` must outlive the host.
  ReplayHost(std::vector<IpAddress> locals, const LocalEndpoints& endpoints,
             ReplayObserver& observer);
  ReplayHost(const ReplayHost&) = delete;
  ReplayHost& operator=(const ReplayHost&) = delete;

  /// The local host's engine: load the policy into it; change it between packets to trigger
  /// reauthorization. Windows' stock callouts are registered.
  engine::Engine& engine() { return engine_; }
  const engine::Engine& engine() const { return engine_; }
  bool is_local(const IpAddress& address) const;

  /// One packet of the capture (whole, or reassembled from fragments), its direction taken
  /// from the local addresses (loopback takes both paths).
  PacketVerdict observe(const ObservedPacket& packet);
  /// One packet whose direction the caller knows (a live host: the OUTPUT hook is outbound,
  /// INPUT inbound).
  PacketVerdict observe_directed(const ObservedPacket& packet, bool outbound);
  /// The connection or flow of `key` (local view) is gone from the kernel (conntrack destroy):
  /// its ALE flow ends and its summary is emitted now. False if it was not held.
  bool forget(const flow::FlowKey& key);
  /// Calls `visit` with the summary so far of every conversation held, and whether the
  /// modelled stack has it now, in order of first appearance.
  void for_each_flow(const std::function<void(const FlowSummary&, bool open)>& visit) const;
  /// An inbound IP fragment, indicated before reassembly (the reassembled datagram comes later
  /// through observe() with `reassembled` set).
  void observe_fragment(const ObservedPacket& fragment);
  /// A frame that could not be decoded (or whose fragments could not be reassembled): a named
  /// discard. `packet` holds what was decoded; `has_ip` tells whether the IP header was (the
  /// transport header then failed), else the IP header itself did.
  void observe_malformed(const ObservedPacket& packet, bool has_ip, const std::string& reason);
  /// Fragments the driver gave up on (overlap, timeout, limits…): a named discard at the IP
  /// packet discard layer; `about` carries the datagram's addresses and protocol.
  void discard_fragments(const ObservedPacket& about, const std::string& reason);
  /// The capture ended: every flow still held is summarized, in order of first appearance.
  void finish();

  const ReplayTotals& totals() const { return totals_; }

 private:
  enum class TcpPhase : std::uint8_t { kNone, kSynSent, kSynReceived, kEstablished, kClosed };

  /// One connection (TCP) or 5-tuple flow (UDP, ICMP, other) of the capture, with its summary.
  struct Conversation {
    FlowSummary summary;
    bool modelled = false;         ///< the modelled stack has this connection / flow now
    bool ever_authorized = false;  ///< ALE permitted it at some point
    bool has_block = false;        ///< some classification of it blocked
    bool connect_refused = false;  ///< ALE refused the connect(): later packets are suppressed
    bool accept_refused = false;   ///< ALE refused the SYN: the SYN-ACK is suppressed
    /// Reauthorization blocked the connection: the stack dropped it, so its later inbound
    /// packets find no endpoint and its outbound ones are never sent.
    bool dropped = false;
    TcpPhase phase = TcpPhase::kNone;
    bool fin_out = false;
    bool fin_in = false;
    std::uint64_t closed_at_us = 0;
    std::uint32_t local_isn = 0;  ///< of a connect(): a SYN with it again is a retransmission
    /// A packet reached a closed port: the reply the stack owes (RST, ICMP port unreachable)
    /// may be sent (true) or a discard-layer block silenced it (false, stealth mode).
    std::optional<bool> owed_reply;
    flow::TcpStreamReassembler in_stream;   ///< bytes the local host receives
    flow::TcpStreamReassembler out_stream;  ///< bytes the local host sends
  };

  /// The packet being replayed, for the ClassificationSink hook.
  struct Current {
    const ObservedPacket* packet = nullptr;
    Conversation* conversation = nullptr;
    bool outbound = false;
    bool blocked = false;         ///< a (non-discard) layer blocked this packet
    bool expect_discard = false;  ///< the next discard-layer record is a stack drop
    bool has_addresses = true;
    bool silenced = false;    ///< stealth mode silenced the port: the packet must not reach it
    bool suppressed = false;  ///< the modelled stack could not have sent or received it
    bool cut = false;         ///< reauthorization blocked its connection just now
  };

  // ClassificationSink: stamps records, feeds summaries and net events.
  void record(TraceRecord record) override;

  ClassifyContext context_for(const ObservedPacket& packet, bool outbound,
                              const std::string& event) const;
  /// The conversation of `key`, created (opened by the local host if `outbound`) if new.
  Conversation& conversation(const flow::FlowKey& key, const ObservedPacket& packet, bool outbound);
  /// conversation(), made the current packet's and counted (`sent` by the local host or not).
  Conversation& join(const flow::FlowKey& key, const ObservedPacket& packet, bool opens_outbound,
                     bool sent);
  void count_packet(Conversation& conv, const ObservedPacket& packet, bool outbound);
  /// The flow ended (FIN, RST): its ALE flow goes; the summary waits out TIME_WAIT.
  void end_conversation(Conversation& conv, const std::string& end);
  static flow::FlowKey key_of(const Conversation& conv);
  /// The conversation's ALE flow ends (callouts get flow_delete), if the model has it.
  void end_ale_flow(Conversation& conv);
  void count_observed(const ObservedPacket& packet);
  /// `context` reduced to its local endpoint, for a socket call's layers (bind, listen).
  static ClassifyContext socket_context(const ClassifyContext& context, std::string event);
  /// The summary with its verdict and stream counts as of now.
  FlowSummary summary_now(const Conversation& conv) const;
  void emit_summary(Conversation& conv);
  /// BIND_REDIRECT, RESOURCE_ASSIGNMENT, AUTH_LISTEN for the listener of an accepted SYN, once
  /// per listener and policy epoch (walks_listen()). True if the listener may take it.
  bool listen_once(const ClassifyContext& context);
  PacketVerdict verdict_of_current();
  void retire(const flow::FlowKey& key);
  void sweep(std::uint64_t now_us);
  void suppress(Conversation* conv, const ObservedPacket& packet, bool outbound,
                const std::string& why);
  PacketVerdict handle(const ObservedPacket& packet, bool outbound);
  void stack_discard(const ObservedPacket& packet, bool has_addresses, bool transport_level,
                     const std::string& reason);
  /// A net event about `packet`, its 5-tuple seen from the local host.
  static NetEvent net_event(NetEvent::Type type, const ObservedPacket& packet, bool outbound,
                            bool has_addresses);
  /// INBOUND_IPPACKET; true if the packet goes on (the event is then the transport one).
  bool inbound_ip(const ObservedPacket& packet, ClassifyContext& context);
  /// BIND_REDIRECT, RESOURCE_ASSIGNMENT the first time a local port is seen sending.
  bool bind_once(const ClassifyContext& context);
  /// OUTBOUND_TRANSPORT, OUTBOUND_IPPACKET.
  bool send_layers(ClassifyContext context, const ObservedPacket& packet);
  /// Authorizes a new flow: inserts it in the ALE flow table and marks the conversation.
  flow::FlowState& open_flow(Conversation& conv, const flow::FlowKey& key, bool inbound);
  /// FLOW_ESTABLISHED; a block there ends the conversation. True if the flow stands.
  bool flow_established(Conversation& conv, const ClassifyContext& context);

  // TCP (replay_tcp.cpp).
  /// join() for TCP: a SYN on a tuple whose last connection closed starts a new conversation.
  Conversation& tcp_conversation(const flow::FlowKey& key, const ObservedPacket& packet,
                                 bool outbound);
  void tcp_outbound(const ObservedPacket& packet);
  void tcp_inbound(const ObservedPacket& packet);
  void tcp_connect(Conversation& conv, const ObservedPacket& packet, ClassifyContext context);
  void tcp_accept(Conversation& conv, const ObservedPacket& packet, ClassifyContext context);
  void tcp_no_endpoint(Conversation* conv, const ObservedPacket& packet, ClassifyContext context);
  bool tcp_pick_up(Conversation& conv, ClassifyContext& context);
  void tcp_segment(Conversation& conv, const ObservedPacket& packet, ClassifyContext context,
                   bool outbound);

  // UDP, ICMP and other protocols (replay_udp.cpp).
  void datagram_outbound(const ObservedPacket& packet);
  void datagram_inbound(const ObservedPacket& packet);
  void icmp_error_outbound(const ObservedPacket& packet);
  void icmp_error_inbound(const ObservedPacket& packet);

  std::vector<IpAddress> locals_;
  const LocalEndpoints& hints_;
  ReplayObserver& observer_;
  SilentDropCallout silent_drop_;  // declared before engine_, so it outlives it
  engine::Engine engine_;
  flow::FlowTable flows_;
  LayerWalker walker_;
  /// The identity of the packet being handled (context_for points at it).
  mutable Identity identity_;
  /// Listeners walked through AUTH_LISTEN: the policy epoch and whether it permitted.
  std::map<std::tuple<std::uint8_t, IpAddress, std::uint16_t>, std::pair<std::uint64_t, bool>>
      listened_;
  std::unordered_map<flow::FlowKey, Conversation, flow::FlowKeyHash> conversations_;
  /// Closed TCP conversations in the order they closed (id, closed_at), to retire after
  /// TIME_WAIT without scanning the table; entries whose conversation moved on are skipped.
  std::deque<std::tuple<std::uint64_t, std::uint64_t, flow::FlowKey>> closed_;
  std::set<std::tuple<std::uint8_t, IpAddress, std::uint16_t>> bound_;
  Current current_;
  ReplayTotals totals_;
  std::uint64_t next_seq_ = 1;
  std::uint64_t next_conversation_ = 1;
};

}  // namespace openfwp::stack
