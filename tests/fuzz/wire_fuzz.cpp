// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: byte 0 picks the link type, the rest is a captured frame → decode_frame.
// Properties checked beyond "no crash": an anomaly always has a real name and an offset inside
// the input; every span in the result lies inside the input; the layers reported decoded are
// consistent (transport implies IP; link header + IP + trailer fit in the frame).
#include "io/wire/decode.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

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
  return 0;
}
