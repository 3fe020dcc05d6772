// SPDX-License-Identifier: Apache-2.0
// The UDP conversations of gen_capture: DNS query and answer, an RTP-like media stream, and a
// probe of a closed port answered by ICMP port unreachable. Payloads are well-formed for the
// dissector their port selects, so tshark finds nothing malformed in them.
#include "capture_flows.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

namespace openfwp::bench {
namespace {

void put16(std::uint8_t* at, std::uint32_t value) {
  at[0] = static_cast<std::uint8_t>(value >> 8);
  at[1] = static_cast<std::uint8_t>(value);
}

void put32(std::uint8_t* at, std::uint32_t value) {
  put16(at, value >> 16);
  put16(at + 2, value & 0xffffU);
}

IpFields udp_ip_fields(Rng& rng) {
  return {static_cast<std::uint16_t>(rng.next()), static_cast<std::uint32_t>(rng.next()) & 0xfffffU,
          false};
}

class DnsFlow final : public Flow {
 public:
  DnsFlow(const Endpoint& client, const Endpoint& resolver, Rng& rng)
      : client_(client), resolver_(resolver), id_(static_cast<std::uint16_t>(rng.next())) {
    // A name that is new for every query, as a host resolving many peers sees.
    constexpr char kHex[] = "0123456789abcdef";
    std::string label = "w";
    for (std::uint64_t bits = rng.next(), i = 0; i < 6; ++i, bits >>= 4) label += kHex[bits & 15];
    for (const std::string& part : {label, std::string("bench"), std::string("example")}) {
      qname_ += static_cast<char>(part.size());
      qname_ += part;
    }
    qname_ += '\0';
    answer_ = static_cast<std::uint32_t>(rng.next());
  }

  void step(Emitter& emitter) override {
    const bool v6 = client_.address.v6;
    const bool response = sent_ == 1;
    std::uint8_t* out = emitter.frame().udp_payload(v6);
    // Header: id, flags (RD; or QR RD RA), one question, one answer in the response.
    put16(out, id_);
    put16(out + 2, response ? 0x8180 : 0x0100);
    put16(out + 4, 1);
    put16(out + 6, response ? 1 : 0);
    put32(out + 8, 0);
    std::size_t length = 12;
    std::memcpy(out + length, qname_.data(), qname_.size());
    length += qname_.size();
    const std::uint32_t type = v6 ? 28 : 1;  // AAAA over IPv6, A over IPv4
    put16(out + length, type);
    put16(out + length + 2, 1);  // IN
    length += 4;
    if (response) {
      put16(out + length, 0xc00c);  // name: pointer to the question's
      put16(out + length + 2, type);
      put16(out + length + 4, 1);
      put32(out + length + 6, 300);
      const std::uint32_t rdlength = v6 ? 16 : 4;
      put16(out + length + 10, rdlength);
      length += 12;
      // An address among the peers: 198.19.x.y, or 2001:db8:1::x:y.
      std::memset(out + length, 0, rdlength);
      if (v6) {
        put16(out + length, 0x2001);
        put16(out + length + 2, 0x0db8);
        put16(out + length + 4, 1);
      } else {
        out[length] = 198;
        out[length + 1] = 19;
      }
      put16(out + length + rdlength - 2, answer_ & 0xffffU);
      length += rdlength;
    }
    const Endpoint& from = response ? resolver_ : client_;
    const Endpoint& to = response ? client_ : resolver_;
    emitter.send(emitter.frame().finish_udp(from, to, udp_ip_fields(emitter.rng()), length));
    ++sent_;
  }
  bool done() const override { return sent_ == 2; }
  std::uint64_t remaining_to_close() const override { return 2 - sent_; }
  void wind_down() override {}

 private:
  Endpoint client_, resolver_;
  std::uint16_t id_;
  std::string qname_;
  std::uint32_t answer_ = 0;
  std::uint32_t sent_ = 0;
};

class UdpStreamFlow final : public Flow {
 public:
  UdpStreamFlow(const Endpoint& local, const Endpoint& peer, Rng& rng)
      : local_(local), peer_(peer) {
    for (Direction& d : directions_) {
      d.seq = static_cast<std::uint16_t>(rng.next());
      d.timestamp = static_cast<std::uint32_t>(rng.next());
      d.ssrc = static_cast<std::uint32_t>(rng.next());
      d.flow_label = static_cast<std::uint32_t>(rng.next()) & 0xfffffU;
    }
    // Voice (G.711, 160 bytes every packet) or video (sizes vary up to a full frame).
    voice_ = rng.below(2) == 0;
    salt_ = rng.below(60000);
  }

  void step(Emitter& emitter) override {
    Rng& rng = emitter.rng();
    const bool inbound = rng.below(100) < 85;  // mostly received: streaming, or a call's far end
    Direction& d = directions_[inbound ? 0 : 1];
    const std::size_t media = voice_ ? 160 : rng.between(200, 1200);
    std::uint8_t* out = emitter.frame().udp_payload(local_.address.v6);
    out[0] = 0x80;  // RTP version 2
    out[1] = voice_ ? 0 : 96;
    put16(out + 2, d.seq++);
    put32(out + 4, d.timestamp += voice_ ? 160 : 3000);
    put32(out + 8, d.ssrc);
    std::memcpy(out + 12, payload_block().data() + salt_ + (d.seq % 512), media);
    const IpFields ip{d.ip_id++, d.flow_label, false};
    const Endpoint& from = inbound ? peer_ : local_;
    const Endpoint& to = inbound ? local_ : peer_;
    emitter.send(emitter.frame().finish_udp(from, to, ip, 12 + media));
  }
  bool done() const override { return winding_down_; }
  std::uint64_t remaining_to_close() const override { return 0; }
  void wind_down() override { winding_down_ = true; }

 private:
  struct Direction {
    std::uint16_t seq = 0, ip_id = 0;
    std::uint32_t timestamp = 0, ssrc = 0, flow_label = 0;
  };
  Endpoint local_, peer_;
  std::array<Direction, 2> directions_;  // [0] inbound, [1] outbound
  bool voice_ = true;
  bool winding_down_ = false;
  std::uint32_t salt_ = 0;
};

class UdpProbeFlow final : public Flow {
 public:
  UdpProbeFlow(const Endpoint& local, const Endpoint& peer) : local_(local), peer_(peer) {}

  void step(Emitter& emitter) override {
    const bool v6 = local_.address.v6;
    Rng& rng = emitter.rng();
    if (!probed_) {
      const auto frame = emitter.frame().finish_udp(peer_, local_, udp_ip_fields(rng), 0);
      // The error quotes the IP datagram (not the Ethernet header or padding): all of it, as
      // both RFC 1812 (v4, up to 576 bytes) and RFC 4443 (v6, up to 1280) allow.
      quoted_length_ = (v6 ? 40 : 20) + 8;
      std::memcpy(quoted_.data(), frame.data() + kEthernetHeader, quoted_length_);
      emitter.send(frame);
      probed_ = true;
      return;
    }
    std::memcpy(emitter.frame().icmp_payload(v6), quoted_.data(), quoted_length_);
    const std::uint8_t type = v6 ? 1 : 3;  // destination unreachable
    const std::uint8_t code = v6 ? 4 : 3;  // port unreachable
    emitter.send(emitter.frame().finish_icmp(local_, peer_, udp_ip_fields(rng), type, code, 0,
                                             quoted_length_));
    answered_ = true;
  }
  bool done() const override { return answered_; }
  std::uint64_t remaining_to_close() const override { return probed_ ? 1 : 2; }
  void wind_down() override {}

 private:
  Endpoint local_, peer_;
  std::array<std::uint8_t, 48> quoted_{};
  std::size_t quoted_length_ = 0;
  bool probed_ = false;
  bool answered_ = false;
};

}  // namespace

std::unique_ptr<Flow> make_dns_flow(const Endpoint& client, const Endpoint& resolver, Rng& rng) {
  return std::make_unique<DnsFlow>(client, resolver, rng);
}

std::unique_ptr<Flow> make_udp_stream_flow(const Endpoint& local, const Endpoint& peer, Rng& rng) {
  return std::make_unique<UdpStreamFlow>(local, peer, rng);
}

std::unique_ptr<Flow> make_udp_probe_flow(const Endpoint& local, const Endpoint& peer) {
  return std::make_unique<UdpProbeFlow>(local, peer);
}

}  // namespace openfwp::bench
