// SPDX-License-Identifier: Apache-2.0
// One TCP connection as a state machine: handshake (or RST, or silence), request/response
// turns with correct seq/ack, delayed ACKs, a few out-of-order and retransmitted segments, and
// the FIN exchange. The numbers follow what Wireshark's TCP analysis checks, so a clean
// capture shows only the out-of-order and retransmission events put there on purpose.
#include "capture_flows.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

namespace openfwp::bench {
namespace {

// Windows' SYN options: MSS, NOP, window scale 8, NOP, NOP, SACK permitted (12 bytes).
std::array<std::uint8_t, 12> syn_options(std::uint16_t mss) {
  return {
      2, 4, static_cast<std::uint8_t>(mss >> 8), static_cast<std::uint8_t>(mss), 1, 3, 3, 8, 1, 1,
      4, 2};
}

constexpr std::uint16_t kSynWindow = 64240;
// 1026 << 8 = 256 KiB: never full, since a receiver acks every second segment.
constexpr std::uint16_t kWindow = 1026;
// Per mille of data segments sent out of order (with their successor) or sent twice.
constexpr std::uint32_t kOutOfOrderPerMille = 5;
constexpr std::uint32_t kRetransmitPerMille = 5;

class TcpFlow final : public Flow {
 public:
  TcpFlow(TcpPlan plan, Rng& rng) : plan_(std::move(plan)) {
    sides_[0].endpoint = plan_.client;
    sides_[1].endpoint = plan_.server;
    for (Side& side : sides_) {
      side.next_seq = static_cast<std::uint32_t>(rng.next());
      side.ip_id = static_cast<std::uint16_t>(rng.next());
      side.flow_label = static_cast<std::uint32_t>(rng.next()) & 0xfffffU;
    }
    sides_[0].stream = &plan_.client_stream;
    sides_[1].stream = &plan_.server_stream;
    mss_ = plan_.client.address.v6 ? 1440 : 1460;
    turns_left_ = plan_.turns;
  }

  void step(Emitter& emitter) override;
  bool done() const override { return phase_ == Phase::kDone; }
  std::uint64_t remaining_to_close() const override;
  void wind_down() override { winding_down_ = true; }

 private:
  enum class Phase : std::uint8_t {
    kSyn,
    kSynAck,
    kHandshakeAck,
    kData,
    kFin,
    kFinAnswer,
    kSecondFin,
    kLastAck,
    kDone
  };
  struct Side {
    Endpoint endpoint;
    std::uint32_t next_seq = 0;  // sequence number of the next byte this side sends
    std::uint16_t ip_id = 0;
    std::uint32_t flow_label = 0;
    const MessageStream* stream = nullptr;
    std::uint64_t sent = 0;     // stream bytes sent
    std::uint32_t unacked = 0;  // segments received from the peer and not yet acked
  };
  struct Segment {  // a data segment kept for its retransmission
    int side = 0;
    std::uint32_t seq = 0;
    std::uint64_t offset = 0;
    std::uint32_t length = 0;
    std::uint8_t flags = 0;
  };

  void send(Emitter& emitter, int from, const TcpFields& fields,
            std::span<const std::uint8_t> options = {});
  void send_data(Emitter& emitter, const Segment& segment);
  void send_ack(Emitter& emitter, int from);
  void step_data(Emitter& emitter);
  /// Data segments a turn of `bytes` takes.
  std::uint64_t segments(std::uint64_t bytes) const { return (bytes + mss_ - 1) / mss_; }

  TcpPlan plan_;
  std::array<Side, 2> sides_;  // [0] client, [1] server
  Phase phase_ = Phase::kSyn;
  std::uint16_t mss_ = 1460;
  int sender_ = 0;               // whose turn it is
  std::uint64_t turn_left_ = 0;  // bytes of the current turn not yet sent
  std::uint64_t turns_left_ = 0;
  bool winding_down_ = false;
  bool four_way_close_ = false;
  std::optional<Segment> retransmit_;  // sent once more on the flow's next step
};

void TcpFlow::send(Emitter& emitter, int from, const TcpFields& fields,
                   std::span<const std::uint8_t> options) {
  Side& side = sides_[static_cast<std::size_t>(from)];
  const Side& peer = sides_[static_cast<std::size_t>(1 - from)];
  const IpFields ip{side.ip_id++, side.flow_label, true};
  emitter.send(emitter.frame().finish_tcp(side.endpoint, peer.endpoint, ip, fields, options, 0));
}

void TcpFlow::send_data(Emitter& emitter, const Segment& segment) {
  Side& side = sides_[static_cast<std::size_t>(segment.side)];
  Side& peer = sides_[static_cast<std::size_t>(1 - segment.side)];
  const bool v6 = side.endpoint.address.v6;
  side.stream->copy(segment.offset, emitter.frame().tcp_payload(v6, 0), segment.length);
  const IpFields ip{side.ip_id++, side.flow_label, true};
  const TcpFields fields{segment.seq, peer.next_seq, segment.flags, kWindow};
  emitter.send(
      emitter.frame().finish_tcp(side.endpoint, peer.endpoint, ip, fields, {}, segment.length));
  side.unacked = 0;  // the segment acks everything the sender has received
  ++peer.unacked;
}

void TcpFlow::send_ack(Emitter& emitter, int from) {
  Side& side = sides_[static_cast<std::size_t>(from)];
  send(emitter, from,
       {side.next_seq, sides_[static_cast<std::size_t>(1 - from)].next_seq, kAck, kWindow});
  side.unacked = 0;
}

void TcpFlow::step(Emitter& emitter) {
  Side& client = sides_[0];
  Side& server = sides_[1];
  switch (phase_) {
    case Phase::kSyn: {
      const auto options = syn_options(mss_);
      send(emitter, 0, {client.next_seq, 0, kSyn, kSynWindow}, options);
      ++client.next_seq;
      phase_ = plan_.outcome == TcpOutcome::kUnanswered ? Phase::kDone : Phase::kSynAck;
      return;
    }
    case Phase::kSynAck: {
      if (plan_.outcome == TcpOutcome::kRefused) {
        send(emitter, 1, {0, client.next_seq, kRst | kAck, 0});
        phase_ = Phase::kDone;
        return;
      }
      const auto options = syn_options(mss_);
      send(emitter, 1, {server.next_seq, client.next_seq, kSyn | kAck, 65535}, options);
      ++server.next_seq;
      phase_ = Phase::kHandshakeAck;
      return;
    }
    case Phase::kHandshakeAck:
      send_ack(emitter, 0);
      phase_ = Phase::kData;
      sender_ = 0;
      turn_left_ = plan_.client_turn_bytes;
      return;
    case Phase::kData:
      step_data(emitter);
      return;
    case Phase::kFin: {
      // The closer's FIN; the peer answers with its own FIN at once (three-way close) or
      // acks first and closes later (four-way).
      const int closer = plan_.server_closes ? 1 : 0;
      Side& side = sides_[static_cast<std::size_t>(closer)];
      send(emitter, closer,
           {side.next_seq, sides_[static_cast<std::size_t>(1 - closer)].next_seq, kFin | kAck,
            kWindow});
      ++side.next_seq;
      four_way_close_ = emitter.rng().below(4) == 0;
      phase_ = Phase::kFinAnswer;
      return;
    }
    case Phase::kFinAnswer:
    case Phase::kSecondFin: {
      const int other = plan_.server_closes ? 0 : 1;
      Side& side = sides_[static_cast<std::size_t>(other)];
      const std::uint32_t ack = sides_[static_cast<std::size_t>(1 - other)].next_seq;
      if (phase_ == Phase::kFinAnswer && four_way_close_) {
        send(emitter, other, {side.next_seq, ack, kAck, kWindow});
        phase_ = Phase::kSecondFin;
        return;
      }
      send(emitter, other, {side.next_seq, ack, kFin | kAck, kWindow});
      ++side.next_seq;
      phase_ = Phase::kLastAck;
      return;
    }
    case Phase::kLastAck:
      send_ack(emitter, plan_.server_closes ? 1 : 0);
      phase_ = Phase::kDone;
      return;
    case Phase::kDone:
      return;
  }
}

void TcpFlow::step_data(Emitter& emitter) {
  if (retransmit_) {
    send_data(emitter, *retransmit_);
    emitter.stats().retransmitted++;
    retransmit_.reset();
    return;
  }
  const int receiver = 1 - sender_;
  Side& sender = sides_[static_cast<std::size_t>(sender_)];
  Side& peer = sides_[static_cast<std::size_t>(receiver)];
  if (peer.unacked >= 2) {  // delayed ACK: every second full segment
    send_ack(emitter, receiver);
    return;
  }
  if (turn_left_ == 0) {
    if (sender_ == 1) {
      // A response is over. The client acks what it has not acked yet; then the next request
      // or, when the connection has had its turns, the FIN.
      if (peer.unacked > 0) {
        send_ack(emitter, receiver);
        return;
      }
      if (winding_down_ || --turns_left_ == 0) {
        phase_ = Phase::kFin;
        step(emitter);
        return;
      }
    }
    sender_ = receiver;
    turn_left_ = sender_ == 0 ? plan_.client_turn_bytes : plan_.server_turn_bytes;
    step_data(emitter);
    return;
  }

  Rng& rng = emitter.rng();
  auto length = static_cast<std::uint32_t>(std::min<std::uint64_t>(turn_left_, mss_));
  // Applications also write less than a segment mid-stream (interactive writes, Nagle off).
  if (length == mss_ && rng.below(16) == 0) length = rng.between(1, mss_ / 2);
  auto take = [&](std::uint32_t bytes) {
    Segment segment{sender_, sender.next_seq, sender.sent, bytes, kAck};
    sender.next_seq += bytes;
    sender.sent += bytes;
    turn_left_ -= bytes;
    if (turn_left_ == 0) segment.flags |= kPsh;
    return segment;
  };
  if (plan_.reorder && turn_left_ > length && rng.per_mille(kOutOfOrderPerMille)) {
    // Two segments swapped on the way: the second arrives first, the first right after it
    // (well within the connection's RTT, so Wireshark calls it out-of-order, not a resend).
    const Segment first = take(length);
    const Segment second =
        take(static_cast<std::uint32_t>(std::min<std::uint64_t>(turn_left_, mss_)));
    send_data(emitter, second);
    send_data(emitter, first);
    emitter.stats().out_of_order++;
    return;
  }
  const Segment segment = take(length);
  send_data(emitter, segment);
  // A resent one-byte segment ending at the stream's next byte is what Wireshark takes for a
  // keep-alive probe, so those are never resent.
  if (length > 1 && rng.per_mille(kRetransmitPerMille)) retransmit_ = segment;
}

std::uint64_t TcpFlow::remaining_to_close() const {
  // Data segments of one turn each way, about one ACK per two segments, and the FIN exchange.
  const std::uint64_t turn = segments(plan_.client_turn_bytes) + segments(plan_.server_turn_bytes);
  switch (phase_) {
    case Phase::kSyn:
      if (plan_.outcome != TcpOutcome::kConversation) {
        return plan_.outcome == TcpOutcome::kRefused ? 2 : 1;
      }
      return 3 + turn + turn / 2 + 4;
    case Phase::kSynAck:
    case Phase::kHandshakeAck:
      return 2 + turn + turn / 2 + 4;
    case Phase::kData: {
      // The current turn, the response it still needs, about one ACK per two segments, FIN.
      std::uint64_t data = segments(turn_left_);
      if (sender_ == 0) data += segments(plan_.server_turn_bytes);
      return data + data / 2 + 5;
    }
    case Phase::kFin:
    case Phase::kFinAnswer:
      return 3;
    case Phase::kSecondFin:
      return 2;
    case Phase::kLastAck:
      return 1;
    case Phase::kDone:
      return 0;
  }
  return 0;
}

}  // namespace

std::unique_ptr<Flow> make_tcp_flow(TcpPlan plan, Rng& rng) {
  return std::make_unique<TcpFlow>(std::move(plan), rng);
}

}  // namespace openfwp::bench
