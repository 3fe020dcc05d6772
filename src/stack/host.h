// SPDX-License-Identifier: Apache-2.0
// One simulated host: its addresses, its own WFP filter engine, its ALE flow table, and the
// TCP/UDP/ICMP endpoints whose operations and packets walk the engine's layers in the order of
// layer_sequence.h. Applications drive it through the socket calls below; the network through
// receive().
//
// TCP is modelled as far as WFP can see it: the three-way handshake, data in MSS-sized
// segments with cumulative ACKs, retransmission on virtual-time timers, RST, and the FIN
// exchange. Windows' congestion control, windows and options are out of scope.
#pragma once

#include "engine/engine.h"
#include "flow/flow_table.h"
#include "stack/layer_sequence.h"
#include "stack/layer_walker.h"
#include "stack/packet.h"
#include "stack/scenario.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace openfwp::stack {

class Network;

/// Built-in model of WFP's stock silent-drop callouts
/// (FWPM_CALLOUT_WFP_TRANSPORT_LAYER_V4/V6_SILENT_DROP), which Windows Firewall's stealth
/// mode uses at the transport discard layers: they block, so the stack sends no RST / ICMP.
class SilentDropCallout final : public engine::CalloutDriver {
 public:
  engine::ClassifyOut classify(const engine::CalloutClassifyArgs& args) override;
};

/// Adds Windows' stock callouts (the two silent-drop callouts) to `engine` and registers
/// `driver` for them, as Windows does at boot; every simulated host and `fwp explain` call it
/// before loading a policy, so policies may name the stock callouts by key. `driver` must
/// outlive the registration.
void install_stock_callouts(engine::Engine& engine, SilentDropCallout& driver);

class Host {
 public:
  static constexpr std::uint16_t kMss = 1460;
  static constexpr std::uint64_t kInitialRtoUs = 1'000'000;  // RFC 6298's initial RTO
  static constexpr int kMaxRetransmissions = 3;

  Host(Network& network, std::string name, std::vector<IpAddress> addresses);
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  const std::string& name() const { return name_; }
  bool owns(const IpAddress& address) const;
  std::optional<IpAddress> address_of_family(bool v6) const;
  engine::Engine& engine() { return engine_; }
  flow::FlowTable& flows() { return flows_; }
  bool auto_accept = true;

  // --- Socket calls. Errors are what the application sees (a Winsock-style message).
  Result<void> bind(bool udp, bool v6, std::uint16_t port, const Identity& identity);
  Result<void> listen(bool v6, std::uint16_t port, const Identity& identity);
  /// Starts a TCP connect; the outcome arrives later (noted in the trace under `label`).
  Result<void> connect(const std::string& label, bool v6, const IpAddress& peer, std::uint16_t port,
                       std::optional<std::uint16_t> local_port, const Identity& identity);
  Result<void> accept(const std::string& label);
  Result<void> send(const std::string& label, std::uint64_t bytes);
  Result<std::uint64_t> recv(const std::string& label);
  Result<void> close(const std::string& label);
  Result<void> abort(const std::string& label);
  Result<void> sendto(bool v6, const IpAddress& peer, std::uint16_t port,
                      std::optional<std::uint16_t> local_port, std::uint64_t bytes,
                      const Identity& identity);

  /// A packet arrives from the wire.
  void receive(const Packet& packet);

 private:
  enum class TcpState : std::uint8_t {
    kSynSent,
    kSynReceived,
    kEstablished,
    kFinWait1,
    kFinWait2,
    kCloseWait,
    kLastAck,
    kClosed,
  };

  struct Segment {
    std::uint32_t seq = 0;
    std::uint32_t length = 0;
    bool syn = false;
    bool fin = false;
  };

  struct Connection {
    std::string label;
    flow::FlowKey key;
    bool v6 = false;
    Identity identity;
    TcpState state = TcpState::kClosed;
    std::uint32_t snd_nxt = 0;
    std::uint32_t snd_una = 0;
    std::uint32_t rcv_nxt = 0;
    std::vector<Segment> unacked;
    int retransmissions = 0;
    std::optional<std::pair<std::uint64_t, std::uint64_t>> timer;  // Network::EventId
    std::uint64_t received = 0;                                    // bytes delivered, not yet read
    bool accepted = false;
  };

  struct Binding {  // a bound UDP or TCP port, and a TCP listener
    Identity identity;
    bool listening = false;
  };

  using Context = ClassifyContext;

  // Classification goes through the walker (layer_walker.h), shared with the pcap replay.
  bool pass(Stage stage, const Context& context) { return walker_.pass(stage, context); }
  bool pass_all(std::span<const Stage> stages, const Context& context) {
    return walker_.pass_all(stages, context);
  }
  bool discard_blocked(Stage stage, const Context& context) {
    return walker_.discard_blocked(stage, context);
  }
  bool authorize_packet(flow::FlowState& flow, const Context& context, bool outbound) {
    return walker_.authorize_packet(flow, context, outbound);
  }
  void note(const std::string& event, std::string text) { walker_.note(event, std::move(text)); }

  // bind() proper: the port bound (an ephemeral one for 0), or nullopt if ALE blocked it.
  Result<std::optional<std::uint16_t>> bind_port(bool udp, bool v6, std::uint16_t port,
                                                 const Identity& identity);

  // Packets out: transport + IP layers, then the wire.
  void send_packet(Packet packet, const Context& context);
  Context context_for(const Packet& packet, bool inbound, const std::string& event) const;

  // TCP.
  Connection* find_connection(const flow::FlowKey& key);
  Connection* find_label(const std::string& label);
  void tcp_receive(const Packet& packet);
  void tcp_accept_syn(const Packet& packet, const flow::FlowKey& key);
  Packet tcp_packet(const Connection& conn) const;  // addresses, ports, snd_nxt, rcv_nxt
  void tcp_send(Connection& conn, Packet packet, bool reauthorize);
  void tcp_transmit(Connection& conn, const Segment& segment, bool retransmission);
  void tcp_send_control(Connection& conn, TcpFlags flags);
  void tcp_send_reset(const Packet& to);
  void tcp_arm_timer(Connection& conn);
  void tcp_on_timer(const std::string& label);
  void tcp_cancel_timer(Connection& conn);
  void tcp_close_connection(Connection& conn, const std::string& why);

  // UDP and ICMP.
  void udp_receive(const Packet& packet);
  void icmp_receive(const Packet& packet);
  void send_port_unreachable(const Packet& to);

  std::uint16_t ephemeral_port();
  // Removes a flow, telling callouts that kept a context for it (flow_delete).
  void end_flow(const flow::FlowKey& key) { walker_.end_flow(flows_, key); }

  Network& network_;
  std::string name_;
  std::vector<IpAddress> addresses_;
  engine::Engine engine_;
  flow::FlowTable flows_;
  SilentDropCallout silent_drop_;
  LayerWalker walker_;
  std::map<std::tuple<bool, bool, std::uint16_t>, Binding> bindings_;  // (udp, v6, port)
  std::map<std::string, Connection> connections_;                      // by label
  std::uint16_t next_ephemeral_ = 49152;
  std::uint32_t next_iss_ = 1000;
  int next_anonymous_ = 1;
};

}  // namespace openfwp::stack
