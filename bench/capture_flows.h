// SPDX-License-Identifier: Apache-2.0
// The conversations gen_capture writes: TCP connections (handshake, request/response turns,
// out-of-order and retransmitted segments, FIN or RST), DNS exchanges, RTP-like UDP streams and
// UDP probes answered by ICMP port unreachable, and the two profile mixes built from them.
//
// Each flow is a small state machine that emits its next packet(s) when the driver picks it, so
// thousands of flows interleave the way a busy host's traffic does. Everything random comes
// from one seeded Rng, so a seed always gives the same bytes (std:: distributions are not used:
// their output differs between standard libraries).
#pragma once

#include "capture_frames.h"
#include "splitmix_rng.h"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>

namespace openfwp::bench {

/// A byte stream made of one message repeated: `head` (a TLS record header, an HTTP request or
/// response head) followed by `body_length` bytes of a shared random block. A stream is a pure
/// function of the offset, so retransmissions resend identical bytes and a dissector sees
/// well-formed messages however the stream is cut into segments.
struct MessageStream {
  std::string head;
  std::uint32_t body_length = 0;
  std::uint32_t salt = 0;  ///< where in the random block the body starts

  std::uint64_t message_length() const { return head.size() + body_length; }
  /// Writes the stream's bytes [offset, offset + n) to `out`.
  void copy(std::uint64_t offset, std::uint8_t* out, std::size_t n) const;
};

/// Counters for the generator's summary.
struct CaptureStats {
  std::uint64_t tcp = 0, udp = 0, icmp = 0, ipv6 = 0;
  std::uint64_t syn = 0, rst = 0, fin = 0, out_of_order = 0, retransmitted = 0;
  std::uint64_t flows = 0;
};

/// Builds frames, stamps them with an advancing clock and writes them.
class Emitter {
 public:
  Emitter(CaptureWriter& writer, Rng& rng) : writer_(writer), rng_(rng) {}

  FrameBuilder& frame() { return frame_; }
  Rng& rng() { return rng_; }
  CaptureStats& stats() { return stats_; }
  const CaptureStats& stats() const { return stats_; }
  /// Writes a finished frame 1-20 us after the previous one (about 100k packets/s on the wire).
  void send(std::span<const std::uint8_t> frame);

 private:
  CaptureWriter& writer_;
  Rng& rng_;
  FrameBuilder frame_;
  CaptureStats stats_;
  std::int64_t clock_us_ = 1704067200LL * 1000000;  // 2024-01-01T00:00:00Z
};

/// One conversation. The driver calls step() until done(); each step emits at least one packet.
class Flow {
 public:
  virtual ~Flow() = default;
  virtual void step(Emitter& emitter) = 0;
  virtual bool done() const = 0;
  /// About how many packets the flow still needs to end cleanly (its FIN exchange included),
  /// once wind_down() was called.
  virtual std::uint64_t remaining_to_close() const = 0;
  /// Ends the flow at the next clean point (after the current request/response turn).
  virtual void wind_down() = 0;
};

enum class Profile : std::uint8_t { kEstablished, kNewFlows };

/// Makes the flows of a profile: addresses of the local host and its peers, ports, the mix of
/// conversation kinds. Defined in capture_profiles.cpp.
class FlowFactory {
 public:
  FlowFactory(Profile profile, std::uint32_t v6_percent, Rng& rng);
  std::unique_ptr<Flow> next();

 private:
  std::unique_ptr<Flow> next_established();
  std::unique_ptr<Flow> next_new_flows();
  Endpoint local(bool v6);
  Endpoint remote(bool v6, std::uint16_t port);
  Endpoint resolver(bool v6);
  std::uint16_t local_ephemeral_port();
  std::uint16_t remote_ephemeral_port();

  /// Reserves the 4-tuple of a new TCP connection; false when an earlier connection of the
  /// capture had it (Wireshark would flag the second SYN as port reuse).
  bool claim(const Endpoint& local, const Endpoint& remote);

  Profile profile_;
  std::uint32_t v6_percent_;
  std::unordered_set<std::uint64_t> used_tuples_;
  Rng& rng_;
  std::uint32_t next_local_port_ = 0;
};

// Flow constructors (capture_tcp.cpp, capture_udp.cpp).

/// How a TCP connection attempt goes.
enum class TcpOutcome : std::uint8_t {
  kConversation,  ///< handshake, `turns` request/response turns, FIN exchange
  kRefused,       ///< SYN answered by RST/ACK (closed port)
  kUnanswered,    ///< SYN and nothing else (dropped silently, as in stealth mode)
};

struct TcpPlan {
  Endpoint client, server;
  TcpOutcome outcome = TcpOutcome::kConversation;
  MessageStream client_stream, server_stream;
  std::uint64_t client_turn_bytes = 0;  ///< whole messages of client_stream per turn
  std::uint64_t server_turn_bytes = 0;
  std::uint64_t turns = 1;  ///< request/response turns before FIN (huge: until wind_down)
  bool server_closes = false;
  /// Whether segments may arrive out of order. Off for HTTP: tshark, which does not reassemble
  /// out-of-order data by default, parses the early segment as a new HTTP message and reports
  /// it malformed.
  bool reorder = true;
};

std::unique_ptr<Flow> make_tcp_flow(TcpPlan plan, Rng& rng);
/// A DNS query from `client` to `resolver`:53 and its answer (A, or AAAA over IPv6).
std::unique_ptr<Flow> make_dns_flow(const Endpoint& client, const Endpoint& resolver, Rng& rng);
/// An RTP-like stream between `local` and `peer`, mostly inbound, until wind_down.
std::unique_ptr<Flow> make_udp_stream_flow(const Endpoint& local, const Endpoint& peer, Rng& rng);
/// An empty UDP datagram from `peer` to a closed port of `local`, answered by ICMP port
/// unreachable (ICMPv6 destination unreachable, code 4) quoting the datagram.
std::unique_ptr<Flow> make_udp_probe_flow(const Endpoint& local, const Endpoint& peer);

/// The shared random block message bodies are cut from: init_payload_block fills it once from
/// the seed, before any flow is made.
void init_payload_block(Rng& rng);
std::span<const std::uint8_t> payload_block();

}  // namespace openfwp::bench
