// SPDX-License-Identifier: Apache-2.0
// The --check mode of gen_capture (see capture_check.h).
#include "capture_check.h"

#include "common/ip_address.h"
#include "io/pcap/pcap_reader.h"
#include "io/wire/decode.h"

#include <fmt/format.h>

#include <cstdint>
#include <unordered_map>
#include <unordered_set>

namespace openfwp::bench {
namespace {

namespace wire = io::wire;

constexpr Ipv4Address kLocalV4 = 0xC6120001;  // 198.18.0.1
constexpr Ipv6Address kLocalV6 = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

bool is_local(const IpAddress& address) {
  return address.is_v6 ? address.v6 == kLocalV6 : address.v4 == kLocalV4;
}

std::uint64_t mix(std::uint64_t hash, std::uint64_t value) {
  hash ^= value + 0x9e3779b97f4a7c15ULL + (hash << 6) + (hash >> 2);
  return hash * 0xff51afd7ed558ccdULL;
}

std::uint64_t address_hash(std::uint64_t hash, const IpAddress& address) {
  if (!address.is_v6) return mix(hash, address.v4);
  for (const std::uint8_t byte : address.v6) hash = mix(hash, byte);
  return hash;
}

// One direction of a conversation: protocol, source, destination.
std::uint64_t direction_key(std::uint8_t protocol, const IpAddress& from, std::uint16_t from_port,
                            const IpAddress& to, std::uint16_t to_port) {
  std::uint64_t hash = mix(protocol, std::uint64_t{from_port} << 16 | to_port);
  return address_hash(address_hash(hash, from), to);
}

bool after(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) > 0; }

struct Counts {
  std::uint64_t frames = 0, bytes = 0, tcp = 0, udp = 0, icmp = 0, v6 = 0;
  std::uint64_t ahead = 0, behind = 0;  // TCP segments past the stream's next byte, or before it
};

}  // namespace

int check_capture(const std::string& path, bool quiet) {
  auto reader = io::pcap::PcapReader::open(path);
  if (!reader) {
    fmt::print(stderr, "gen_capture: check failed: {}\n", reader.error().to_string());
    return 1;
  }
  if (reader->link_type() != 1) {
    fmt::print(stderr, "gen_capture: check failed: {}: link type {}, not Ethernet\n", path,
               reader->link_type_name());
    return 1;
  }
  Counts counts;
  std::unordered_set<std::uint64_t> flows;
  std::unordered_map<std::uint64_t, std::uint32_t> next_seq;  // per TCP direction: highest end
  std::int64_t last_time = 0;
  auto fail = [&](std::uint64_t frame, const std::string& why) {
    fmt::print(stderr, "gen_capture: check failed: {}: frame {}: {}\n", path, frame, why);
    return 1;
  };
  for (;;) {
    auto next = reader->next();
    if (!next) {
      fmt::print(stderr, "gen_capture: check failed: {}\n", next.error().to_string());
      return 1;
    }
    if (!next->has_value()) break;
    const io::pcap::CapturedFrame& frame = **next;
    const std::uint64_t number = frame.index + 1;
    ++counts.frames;
    counts.bytes += frame.bytes.size();
    if (frame.cut_by_snap_length()) return fail(number, "cut by the snap length");
    if (frame.timestamp_ns < last_time) return fail(number, "timestamp goes back");
    last_time = frame.timestamp_ns;

    const wire::DecodeResult decoded = wire::decode_frame(wire::LinkType::kEthernet, frame.bytes);
    if (!decoded.ok())
      return fail(number, std::string(wire::anomaly_name(decoded.failure->anomaly)));
    const wire::DecodedPacket& packet = decoded.packet;
    for (const auto note : {wire::Note::kIpv4BadChecksum, wire::Note::kTcpBadChecksum,
                            wire::Note::kUdpBadChecksum, wire::Note::kIcmpBadChecksum}) {
      if (packet.has_note(note)) return fail(number, std::string(wire::note_name(note)));
    }
    const IpAddress& source = packet.ip.source;
    const IpAddress& destination = packet.ip.destination;
    if (is_local(source) == is_local(destination)) {
      return fail(number, "neither (or both) of the addresses is the local host");
    }
    if (packet.ip.version == 6) ++counts.v6;
    const std::uint8_t protocol = packet.ip.protocol;
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;
    switch (packet.transport) {
      case wire::Transport::kTcp: {
        ++counts.tcp;
        const wire::TcpInfo& tcp = packet.tcp;
        source_port = tcp.source_port;
        destination_port = tcp.destination_port;
        const std::uint64_t key =
            direction_key(protocol, source, source_port, destination, destination_port);
        const std::uint64_t reverse =
            direction_key(protocol, destination, destination_port, source, source_port);
        const auto length = static_cast<std::uint32_t>(
            tcp.payload.size() + (tcp.flags.syn ? 1 : 0) + (tcp.flags.fin ? 1 : 0));
        if (tcp.flags.syn) {
          next_seq[key] = tcp.seq + 1;
        } else if (tcp.flags.rst) {
          // A refusal's RST carries seq 0; only its ack is checked.
        } else if (auto it = next_seq.find(key); it == next_seq.end()) {
          return fail(number, "TCP segment without a SYN before it");
        } else if (length != 0) {
          const std::uint32_t end = tcp.seq + length;
          if (after(tcp.seq, it->second)) ++counts.ahead;
          if (!after(end, it->second)) ++counts.behind;
          if (after(end, it->second)) it->second = end;
        }
        if (tcp.flags.ack) {
          const auto peer = next_seq.find(reverse);
          if (peer == next_seq.end() || after(tcp.ack, peer->second)) {
            return fail(number, "TCP ack of bytes the peer has not sent");
          }
        }
        break;
      }
      case wire::Transport::kUdp:
        ++counts.udp;
        source_port = packet.udp.source_port;
        destination_port = packet.udp.destination_port;
        break;
      case wire::Transport::kIcmp: {
        ++counts.icmp;
        const wire::IcmpInfo& icmp = packet.icmp;
        if (!icmp.is_error || !icmp.quoted || !icmp.quoted->has_ports ||
            icmp.quoted->source != destination || icmp.quoted->destination != source) {
          return fail(number, "ICMP that is not an error quoting the datagram it answers");
        }
        break;
      }
      default:
        return fail(number, "not TCP, UDP or ICMP");
    }
    if (packet.transport == wire::Transport::kIcmp) continue;  // part of the flow it answers
    const bool outbound = is_local(source);
    flows.insert(outbound
                     ? direction_key(protocol, source, source_port, destination, destination_port)
                     : direction_key(protocol, destination, destination_port, source, source_port));
  }
  if (counts.ahead > counts.behind) {
    fmt::print(stderr,
               "gen_capture: check failed: {}: {} TCP segments ahead of their stream, only {} "
               "late ones to fill the gaps\n",
               path, counts.ahead, counts.behind);
    return 1;
  }
  if (!quiet) {
    fmt::print(
        "gen_capture: check ok: {}: {} frames, {} bytes, {} flows (tcp {}, udp {}, icmp {}, "
        "ipv6 {}); {} TCP segments ahead of the stream, {} late (retransmitted or "
        "out-of-order)\n",
        path, counts.frames, counts.bytes, flows.size(), counts.tcp, counts.udp, counts.icmp,
        counts.v6, counts.ahead, counts.behind);
  }
  return 0;
}

}  // namespace openfwp::bench
