// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: byte 0 picks the link type, the rest is a captured frame → decode_frame.
// Properties checked beyond "no crash": an anomaly always has a real name and an offset inside
// the input; every span in the result lies inside the input; the layers reported decoded are
// consistent (transport implies IP; link header + IP + trailer fit in the frame).
//
// The same bytes also drive a FragmentReassembler with small limits, read as IP packets in
// records: [length: 2 bytes, big-endian][clock step: 1 byte, seconds][length bytes] (the last
// record takes what is left). Each is decode_ip'd and added; checked: limits hold, outcomes are
// consistent (a named reason, the frames reported), and every completed datagram decodes as an
// unfragmented packet of its own length (IPv4: with a valid header checksum).
#include "io/wire/decode.h"
#include "io/wire/fragment_reassembly.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <span>
#include <string_view>
#include <vector>

namespace {

using openfwp::io::wire::LinkType;

constexpr LinkType kLinks[] = {LinkType::kEthernet,     LinkType::kRaw,  LinkType::kLinuxSll,
                               LinkType::kIpv4,         LinkType::kIpv6, LinkType::kLinuxSll2,
                               static_cast<LinkType>(0)};

void require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "wire_fuzz: %s\n", what);
    std::abort();
  }
}

void require_within(std::span<const std::uint8_t> inner, std::span<const std::uint8_t> frame,
                    const char* what) {
  if (inner.empty()) return;
  require(
      inner.data() >= frame.data() && inner.data() + inner.size() <= frame.data() + frame.size(),
      what);
}

void require_named(openfwp::io::wire::ReassemblyDiscard reason) {
  const std::string_view name = openfwp::io::wire::reassembly_discard_name(reason);
  require(!name.empty() && name != "unknown_reassembly_discard", "discard without a name");
}

void require_distinct(const std::vector<std::uint64_t>& frames, const char* what) {
  require(std::set<std::uint64_t>(frames.begin(), frames.end()).size() == frames.size(), what);
}

void check_completed(const openfwp::io::wire::ReassemblyOutcome& outcome,
                     const openfwp::io::wire::ReassemblyLimits& limits) {
  using namespace openfwp::io::wire;  // NOLINT(google-build-using-namespace): local vocabulary
  require(!outcome.packet.empty() && outcome.packet.size() <= limits.max_datagram_bytes,
          "reassembled packet empty or beyond the limit");
  require(!outcome.frames.empty(), "reassembled packet made of no frames");
  require_distinct(outcome.frames, "a frame used twice in one datagram");
  const DecodeResult decoded = decode_ip(outcome.packet);
  if (outcome.key.version == 4) {
    require(decoded.packet.has_ip, "reassembled IPv4 packet does not decode");
    require(!decoded.packet.ip.fragment.has_value(), "reassembled IPv4 packet is a fragment");
    require(!decoded.packet.has_note(Note::kIpv4BadChecksum), "reassembled header checksum");
  }
  // IPv6 may stop after the header: the data's first header is whatever the sender named.
  if (decoded.packet.has_ip) {
    require(decoded.packet.ip.total_length == outcome.packet.size(), "reassembled length");
  }
}

void reassemble_records(std::span<const std::uint8_t> bytes) {
  using namespace openfwp::io::wire;  // NOLINT(google-build-using-namespace): local vocabulary
  constexpr std::uint64_t kSecond = 1'000'000'000;
  constexpr std::size_t kMaxRecords = 64;
  const ReassemblyLimits limits{.max_datagrams_in_progress = 4,
                                .max_fragments_per_datagram = 8,
                                .max_datagram_bytes = 8192,
                                .max_bytes_in_progress = 16384};
  FragmentReassembler reassembler(limits);
  std::uint64_t now = 0;
  for (std::uint64_t frame = 0; bytes.size() >= 3 && frame < kMaxRecords; ++frame) {
    const std::size_t length = std::min<std::size_t>(
        static_cast<std::size_t>((bytes[0] << 8) | bytes[1]), bytes.size() - 3);
    now += bytes[2] * kSecond;
    const auto packet = bytes.subspan(3, length);
    bytes = bytes.subspan(3 + length);

    const DecodeResult decoded = decode_ip(packet);
    const ReassemblyOutcome outcome = reassembler.add(decoded.packet, packet, now, frame);
    const bool fragment = decoded.packet.has_ip && decoded.packet.ip.fragment.has_value();
    if (!fragment) {
      require(outcome.reason == ReassemblyDiscard::kNotAFragment, "a non-fragment accepted");
    }
    if (outcome.status == FragmentStatus::kDiscarded) {
      require(outcome.reason.has_value(), "discarded without a reason");
      require_named(*outcome.reason);
      require(
          std::find(outcome.frames.begin(), outcome.frames.end(), frame) != outcome.frames.end(),
          "a discard that does not name the fragment");
      require_distinct(outcome.frames, "a frame discarded twice");
    } else {
      require(!outcome.reason.has_value(), "a reason without a discard");
    }
    if (outcome.status == FragmentStatus::kComplete) check_completed(outcome, limits);
    for (const DiscardedDatagram& d : outcome.evicted) {
      require_named(d.reason);
      require(!d.frames.empty(), "an evicted datagram that held nothing");
    }
    require(reassembler.datagrams_in_progress() <= limits.max_datagrams_in_progress,
            "more datagrams in progress than the limit");
    require(reassembler.bytes_in_progress() <= limits.max_bytes_in_progress,
            "more bytes held than the limit");
  }
  for (const DiscardedDatagram& d : reassembler.flush()) require_named(d.reason);
  require(reassembler.datagrams_in_progress() == 0 && reassembler.bytes_in_progress() == 0,
          "flush left something behind");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const LinkType link = kLinks[data[0] % std::size(kLinks)];
  const std::span<const std::uint8_t> frame(data + 1, size - 1);
  const auto result = openfwp::io::wire::decode_frame(link, frame);
  const auto& p = result.packet;

  if (result.failure) {
    const std::string_view name = openfwp::io::wire::anomaly_name(result.failure->anomaly);
    require(!name.empty() && name != "unknown_anomaly", "anomaly without a name");
    require(result.failure->offset <= frame.size(), "anomaly offset outside the input");
  }
  require_within(p.ip.ipv4_options, frame, "ipv4 options outside the input");
  require_within(p.tcp.options, frame, "tcp options outside the input");
  require_within(p.tcp.payload, frame, "tcp payload outside the input");
  require_within(p.udp.payload, frame, "udp payload outside the input");
  require_within(p.icmp.payload, frame, "icmp payload outside the input");
  require_within(p.other_payload, frame, "payload outside the input");
  if (p.transport != openfwp::io::wire::Transport::kNone) {
    require(p.has_ip, "transport decoded without IP");
  }
  if (p.has_ip) {
    require(p.ip.version == 4 || p.ip.version == 6, "IP version neither 4 nor 6");
    require(p.link.header_length + p.ip.total_length + p.link.trailer_length == frame.size(),
            "link header + IP packet + trailer is not the frame");
    require(p.ip.header_length <= p.ip.total_length, "IP header longer than the packet");
  }
  reassemble_records(frame);
  return 0;
}
