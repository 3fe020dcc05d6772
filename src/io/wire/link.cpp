// SPDX-License-Identifier: Apache-2.0
// Link layers: Ethernet with stacked 802.1Q/802.1ad tags, Linux cooked v1/v2, and raw IP; the
// entry points decode_frame and decode_ip.
#include "io/wire/decode.h"
#include "io/wire/internal/decode_steps.h"

namespace openfwp::io::wire {
namespace {

using internal::ByteView;
using internal::fail;

bool is_vlan_tpid(std::uint16_t ethertype) {
  return ethertype == 0x8100 || ethertype == 0x88a8 || ethertype == 0x9100;
}

/// Follows VLAN tags from `at` (where the payload of `ethertype` starts), then decodes IP.
void decode_ethertype(ByteView frame, std::size_t at, std::uint16_t ethertype,
                      DecodeResult& result) {
  LinkInfo& link = result.packet.link;
  while (is_vlan_tpid(ethertype)) {
    if (link.vlan_count == kMaxVlanTags) {
      return fail(result, Anomaly::kTooManyVlanTags, frame.offset_of(at));
    }
    if (frame.size() - at < 4) return fail(result, Anomaly::kTruncatedVlanTag, frame.offset_of(at));
    const std::uint16_t tci = frame.be16(at);
    VlanTag& tag = link.vlan_tags[link.vlan_count++];
    tag.tpid = ethertype;
    tag.priority = static_cast<std::uint8_t>(tci >> 13);
    tag.drop_eligible = (tci & 0x1000) != 0;
    tag.id = static_cast<std::uint16_t>(tci & 0x0fff);
    ethertype = frame.be16(at + 2);
    at += 4;
  }
  link.ethertype = ethertype;
  link.header_length = at;
  if (ethertype == internal::kEthertypeIpv4) return internal::decode_ipv4(frame.from(at), result);
  if (ethertype == internal::kEthertypeIpv6) return internal::decode_ipv6(frame.from(at), result);
  fail(result, Anomaly::kUnknownEthertype, frame.offset_of(at));
}

void decode_ethernet(ByteView frame, DecodeResult& result) {
  constexpr std::size_t kHeader = 14;
  if (frame.size() < kHeader) return fail(result, Anomaly::kTruncatedEthernet, frame.base());
  LinkInfo& link = result.packet.link;
  frame.copy(0, std::span(link.destination_mac));
  frame.copy(6, std::span(link.source_mac));
  decode_ethertype(frame, kHeader, frame.be16(12), result);
}

void copy_link_address(ByteView frame, std::size_t at, std::uint16_t length, LinkInfo& link) {
  frame.copy(at, std::span(link.link_address));
  link.link_address_length = static_cast<std::uint8_t>(length < 8 ? length : 8);
}

// struct sll_header: packet type, ARPHRD type, address length, address[8], protocol.
void decode_linux_sll(ByteView frame, DecodeResult& result) {
  constexpr std::size_t kHeader = 16;
  if (frame.size() < kHeader) return fail(result, Anomaly::kTruncatedLinuxSll, frame.base());
  LinkInfo& link = result.packet.link;
  link.packet_type = frame.be16(0);
  link.arphrd_type = frame.be16(2);
  copy_link_address(frame, 6, frame.be16(4), link);
  decode_ethertype(frame, kHeader, frame.be16(14), result);
}

// struct sll2_header: protocol, reserved, interface index, ARPHRD type, packet type, address
// length, address[8].
void decode_linux_sll2(ByteView frame, DecodeResult& result) {
  constexpr std::size_t kHeader = 20;
  if (frame.size() < kHeader) return fail(result, Anomaly::kTruncatedLinuxSll2, frame.base());
  LinkInfo& link = result.packet.link;
  link.interface_index = frame.be32(4);
  link.arphrd_type = frame.be16(8);
  link.packet_type = frame.u8(10);
  copy_link_address(frame, 12, frame.u8(11), link);
  decode_ethertype(frame, kHeader, frame.be16(0), result);
}

}  // namespace

namespace internal {

void decode_ip_any(ByteView view, DecodeResult& result) {
  if (view.empty()) return fail(result, Anomaly::kEmptyIpPacket, view.base());
  const auto version = view.u8(0) >> 4;
  if (version == 4) {
    result.packet.link.ethertype = kEthertypeIpv4;
    return decode_ipv4(view, result);
  }
  if (version == 6) {
    result.packet.link.ethertype = kEthertypeIpv6;
    return decode_ipv6(view, result);
  }
  fail(result, Anomaly::kBadIpVersion, view.base());
}

}  // namespace internal

DecodeResult decode_frame(LinkType link, std::span<const std::uint8_t> bytes) {
  DecodeResult result;
  result.packet.link.type = link;
  const ByteView frame(bytes);
  switch (link) {
    case LinkType::kEthernet:
      decode_ethernet(frame, result);
      break;
    case LinkType::kLinuxSll:
      decode_linux_sll(frame, result);
      break;
    case LinkType::kLinuxSll2:
      decode_linux_sll2(frame, result);
      break;
    case LinkType::kRaw:
      internal::decode_ip_any(frame, result);
      break;
    case LinkType::kIpv4:
      result.packet.link.ethertype = internal::kEthertypeIpv4;
      internal::decode_ipv4(frame, result);
      break;
    case LinkType::kIpv6:
      result.packet.link.ethertype = internal::kEthertypeIpv6;
      internal::decode_ipv6(frame, result);
      break;
    default:
      fail(result, Anomaly::kUnsupportedLinkType, 0);
      break;
  }
  return result;
}

DecodeResult decode_ip(std::span<const std::uint8_t> bytes) {
  return decode_frame(LinkType::kRaw, bytes);
}

}  // namespace openfwp::io::wire
