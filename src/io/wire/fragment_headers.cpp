// SPDX-License-Identifier: Apache-2.0
// Fragment reassembly, the version-specific part: the IPv4 fragment fields and the IPv6
// fragment header read through a checked view, and the reassembled packet's header.
#include "io/wire/internal/byte_view.h"
#include "io/wire/internal/decode_steps.h"
#include "io/wire/internal/fragment_steps.h"

#include <algorithm>
#include <iterator>

namespace openfwp::io::wire::internal {
namespace {

constexpr std::size_t kIpv4MinHeader = 20;
constexpr std::size_t kIpv6Header = 40;
constexpr std::size_t kFragmentHeader = 8;
constexpr std::uint8_t kFragmentType = 44;
constexpr std::size_t kMaxIpv4Packet = 65535;
constexpr std::size_t kMaxIpv6Packet = kIpv6Header + 65535;

std::optional<FragmentView> read_ipv4(const DecodedPacket& packet, ByteView view) {
  if (view.size() < kIpv4MinHeader || (view.u8(0) >> 4) != 4) return std::nullopt;
  const std::size_t header_length = std::size_t{view.u8(0) & 0x0fU} * 4;
  const std::size_t total_length = view.be16(2);
  // The decode must describe these bytes: same header, same length, inside the span.
  if (header_length < kIpv4MinHeader || header_length > total_length ||
      total_length > view.size() || header_length != packet.ip.header_length ||
      total_length != packet.ip.total_length) {
    return std::nullopt;
  }
  const std::uint16_t flags_offset = view.be16(6);
  FragmentView out;
  out.offset = std::size_t{flags_offset & 0x1fffU} * 8;
  out.more_fragments = (flags_offset & 0x2000) != 0;
  if (out.offset == 0 && !out.more_fragments) return std::nullopt;  // a whole packet
  out.key.version = 4;
  out.key.source = IpAddress::from_v4(view.be32(12));
  out.key.destination = IpAddress::from_v4(view.be32(16));
  out.key.protocol = view.u8(9);
  out.key.identification = view.be16(4);
  out.header = view.sub(0, header_length).bytes();
  out.data = view.sub(header_length, total_length - header_length).bytes();
  return out;
}

std::optional<FragmentView> read_ipv6(const DecodedPacket& packet, ByteView view) {
  if (view.size() < kIpv6Header || (view.u8(0) >> 4) != 6) return std::nullopt;
  const std::size_t total_length = kIpv6Header + view.be16(4);
  if (total_length > view.size() || total_length != packet.ip.total_length) return std::nullopt;
  // The first fragment header of the chain the decoder walked, and the field that names it:
  // the fixed header's next header, or the next-header octet of the extension header before.
  const auto chain = packet.ip.ipv6_ext_headers();
  const auto fragment = std::find_if(
      chain.begin(), chain.end(), [](const Ipv6ExtHeader& h) { return h.type == kFragmentType; });
  if (fragment == chain.end()) return std::nullopt;
  const std::size_t at = fragment->offset;
  const std::size_t named_at = fragment == chain.begin() ? 6 : std::prev(fragment)->offset;
  if (at < kIpv6Header || at > total_length || total_length - at < kFragmentHeader ||
      named_at >= at || (named_at != 6 && named_at < kIpv6Header) ||
      view.u8(named_at) != kFragmentType) {
    return std::nullopt;
  }
  const std::uint16_t offset_flags = view.be16(at + 2);
  FragmentView out;
  out.offset = offset_flags & 0xfff8U;
  out.more_fragments = (offset_flags & 1U) != 0;
  out.key.version = 6;
  Ipv6Address source{};
  Ipv6Address destination{};
  view.copy(8, std::span(source));
  view.copy(24, std::span(destination));
  out.key.source = IpAddress::from_v6(source);
  out.key.destination = IpAddress::from_v6(destination);
  out.key.identification = view.be32(at + 4);
  out.header = view.sub(0, at).bytes();
  out.data = view.sub(at + kFragmentHeader, total_length - at - kFragmentHeader).bytes();
  out.next_header = view.u8(at);
  out.next_header_at = named_at;
  return out;
}

void put16(std::vector<std::uint8_t>& bytes, std::size_t at, std::size_t value) {
  bytes[at] = static_cast<std::uint8_t>((value >> 8) & 0xff);
  bytes[at + 1] = static_cast<std::uint8_t>(value & 0xff);
}

}  // namespace

std::optional<FragmentView> read_fragment(const DecodedPacket& packet,
                                          std::span<const std::uint8_t> ip_bytes) {
  if (!packet.has_ip || !packet.ip.fragment) return std::nullopt;
  const ByteView view(ip_bytes);
  if (packet.ip.version == 4) return read_ipv4(packet, view);
  if (packet.ip.version == 6) return read_ipv6(packet, view);
  return std::nullopt;
}

std::size_t min_header_length(std::uint8_t version) {
  return version == 4 ? kIpv4MinHeader : kIpv6Header;
}

std::size_t max_packet_length(std::uint8_t version, std::size_t limit) {
  return std::min(limit, version == 4 ? kMaxIpv4Packet : kMaxIpv6Packet);
}

void finish_reassembled_header(std::uint8_t version, std::vector<std::uint8_t>& packet,
                               std::size_t header_length, std::uint8_t next_header,
                               std::size_t next_header_at) {
  // Callers hand in a header read_fragment accepted and a length max_packet_length allowed.
  const bool fits = header_length >= min_header_length(version) && header_length <= packet.size() &&
                    next_header_at < header_length;
  OPENFWP_ASSERT(fits, "reassembled header outside the packet");
  if (!fits) return;
  if (version == 4) {
    put16(packet, 2, packet.size());
    // Keep DF (and the reserved bit) as the first fragment had them; MF and offset are gone.
    packet[6] &= 0xc0;
    packet[7] = 0;
    put16(packet, 10, 0);
    const auto header = std::span<const std::uint8_t>(packet).first(header_length);
    put16(packet, 10, static_cast<std::uint16_t>(~checksum_fold(checksum_add(0, header))));
    return;
  }
  put16(packet, 4, packet.size() - kIpv6Header);
  packet[next_header_at] = next_header;
}

}  // namespace openfwp::io::wire::internal
