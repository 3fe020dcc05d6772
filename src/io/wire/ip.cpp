// SPDX-License-Identifier: Apache-2.0
// IPv4 and IPv6 headers: length checks, fragment fields, the IPv6 extension-header walk, and
// the hand-off to the transport decoder.
#include "io/wire/internal/decode_steps.h"

namespace openfwp::io::wire::internal {
namespace {

constexpr std::uint8_t kHopByHop = 0;
constexpr std::uint8_t kRouting = 43;
constexpr std::uint8_t kFragment = 44;
constexpr std::uint8_t kAuthentication = 51;
constexpr std::uint8_t kDestinationOptions = 60;
constexpr std::uint8_t kMobility = 135;
constexpr std::uint8_t kHostIdentity = 139;
constexpr std::uint8_t kShim6 = 140;

/// Extension headers in the common (next header, length in 8-octet units − 1) format.
bool is_generic_ext_header(std::uint8_t type) {
  return type == kHopByHop || type == kRouting || type == kDestinationOptions ||
         type == kMobility || type == kHostIdentity || type == kShim6;
}

Ipv6Address read_ipv6_address(ByteView view, std::size_t at) {
  Ipv6Address address{};
  view.copy(at, std::span(address));
  return address;
}

}  // namespace

void decode_ipv4(ByteView view, DecodeResult& result) {
  constexpr std::size_t kMinHeader = 20;
  if (view.size() < kMinHeader) return fail(result, Anomaly::kTruncatedIpv4Header, view.base());
  const std::uint8_t version_ihl = view.u8(0);
  if ((version_ihl >> 4) != 4) return fail(result, Anomaly::kBadIpv4Version, view.base());
  const std::size_t header_length = std::size_t{version_ihl & 0x0fU} * 4;
  if (header_length < kMinHeader) return fail(result, Anomaly::kBadIpv4Ihl, view.base());
  if (view.size() < header_length) {
    return fail(result, Anomaly::kTruncatedIpv4Header, view.base());
  }
  const std::uint16_t total_length = view.be16(2);
  if (total_length < header_length || total_length > view.size()) {
    return fail(result, Anomaly::kIpv4TotalLengthMismatch, view.base());
  }

  DecodedPacket& packet = result.packet;
  IpInfo& ip = packet.ip;
  ip.version = 4;
  ip.traffic_class = view.u8(1);
  ip.total_length = total_length;
  ip.header_length = header_length;
  ip.identification = view.be16(4);
  const std::uint16_t flags_offset = view.be16(6);
  ip.dont_fragment = (flags_offset & 0x4000) != 0;
  ip.more_fragments = (flags_offset & 0x2000) != 0;
  ip.fragment_offset = static_cast<std::uint16_t>((flags_offset & 0x1fff) * 8);
  ip.ttl = view.u8(8);
  ip.protocol = view.u8(9);
  ip.checksum = view.be16(10);
  ip.source = IpAddress::from_v4(view.be32(12));
  ip.destination = IpAddress::from_v4(view.be32(16));
  ip.ipv4_options = view.sub(kMinHeader, header_length - kMinHeader).bytes();
  if (ip.more_fragments || ip.fragment_offset != 0) {
    ip.fragment = FragmentInfo{ip.identification, ip.fragment_offset, ip.more_fragments};
  }
  if (checksum_fold(checksum_add(0, view.sub(0, header_length).bytes())) != 0xffff) {
    packet.notes |= static_cast<std::uint8_t>(Note::kIpv4BadChecksum);
  }
  packet.link.trailer_length = view.size() - total_length;
  packet.has_ip = true;

  if (ip.fragment_offset != 0) return;  // a non-first fragment: the reassembler's job
  TransportContext context;
  context.version = 4;
  context.source = ip.source;
  context.destination = ip.destination;
  context.whole = !ip.fragment.has_value();
  context.verify_checksum = context.whole;
  decode_transport(view.sub(header_length, total_length - header_length), ip.protocol, context,
                   result);
}

Ipv6Walk walk_ipv6_ext_headers(ByteView packet, std::size_t start, std::uint8_t next,
                               IpInfo* record) {
  Ipv6Walk walk;
  std::size_t at = start;
  std::size_t count = 0;
  while (is_generic_ext_header(next) || next == kFragment || next == kAuthentication) {
    if (count == kMaxIpv6ExtHeaders) {
      walk.anomaly = Anomaly::kTooManyIpv6ExtHeaders;
      walk.anomaly_at = at;
      return walk;
    }
    const std::size_t available = packet.size() - at;
    std::size_t length = 0;
    if (next == kFragment) {
      length = 8;
    } else if (available >= 2) {
      length = next == kAuthentication ? (std::size_t{packet.u8(at + 1)} + 2) * 4
                                       : (std::size_t{packet.u8(at + 1)} + 1) * 8;
    }
    if (available < 2 || available < length) {
      walk.anomaly = Anomaly::kIpv6ExtHeaderTruncated;
      walk.anomaly_at = at;
      return walk;
    }
    if (record != nullptr) {
      record->ext_headers[count] = Ipv6ExtHeader{next, at, length};
      record->ext_header_count = static_cast<std::uint8_t>(count + 1);
    }
    ++count;
    const std::uint8_t type = next;
    next = packet.u8(at);
    if (type == kRouting) walk.has_routing_header = true;
    if (type == kFragment) {
      const std::uint16_t offset_flags = packet.be16(at + 2);
      walk.fragment =
          FragmentInfo{packet.be32(at + 4), static_cast<std::uint16_t>(offset_flags & 0xfff8),
                       (offset_flags & 1) != 0};
    }
    at += length;
    // After a non-first fragment header come data bytes, not headers.
    if (walk.fragment && walk.fragment->offset != 0) break;
  }
  walk.end = at;
  walk.protocol = next;
  return walk;
}

void decode_ipv6(ByteView view, DecodeResult& result) {
  constexpr std::size_t kHeader = 40;
  if (view.size() < kHeader) return fail(result, Anomaly::kTruncatedIpv6Header, view.base());
  const std::uint32_t first_word = view.be32(0);
  if ((first_word >> 28) != 6) return fail(result, Anomaly::kBadIpv6Version, view.base());
  const std::size_t total_length = kHeader + view.be16(4);
  if (total_length > view.size()) {
    return fail(result, Anomaly::kIpv6PayloadLengthMismatch, view.base());
  }
  const ByteView packet_view = view.sub(0, total_length);

  DecodedPacket& packet = result.packet;
  IpInfo& ip = packet.ip;
  ip.version = 6;
  ip.traffic_class = static_cast<std::uint8_t>((first_word >> 20) & 0xff);
  ip.flow_label = first_word & 0xfffff;
  ip.total_length = static_cast<std::uint32_t>(total_length);
  ip.ttl = view.u8(7);
  ip.source = IpAddress::from_v6(read_ipv6_address(view, 8));
  ip.destination = IpAddress::from_v6(read_ipv6_address(view, 24));

  const Ipv6Walk walk = walk_ipv6_ext_headers(packet_view, kHeader, view.u8(6), &ip);
  if (walk.anomaly) return fail(result, *walk.anomaly, packet_view.offset_of(walk.anomaly_at));
  ip.header_length = walk.end;
  ip.protocol = walk.protocol;
  ip.fragment = walk.fragment;
  packet.link.trailer_length = view.size() - total_length;
  packet.has_ip = true;

  if (ip.fragment && ip.fragment->offset != 0) return;  // non-first fragment
  TransportContext context;
  context.version = 6;
  context.source = ip.source;
  context.destination = ip.destination;
  context.whole = !ip.fragment.has_value();
  // A routing header means the checksum covers the final destination, not this one.
  context.verify_checksum = context.whole && !walk.has_routing_header;
  decode_transport(packet_view.from(walk.end), ip.protocol, context, result);
}

}  // namespace openfwp::io::wire::internal
