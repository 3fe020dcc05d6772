// SPDX-License-Identifier: Apache-2.0
// TCP, UDP and ICMP/ICMPv6 headers, the packet an ICMP error quotes, and checksums (as notes).
#include "io/wire/internal/decode_steps.h"

namespace openfwp::io::wire::internal {
namespace {

void note(DecodeResult& result, Note n) { result.packet.notes |= static_cast<std::uint8_t>(n); }

/// The sum of the pseudo-header (RFC 793 / RFC 8200 §8.1) for an upper-layer length.
std::uint64_t pseudo_header_sum(const TransportContext& context, std::uint8_t protocol,
                                std::size_t length) {
  std::uint64_t sum = 0;
  if (context.version == 4) {
    sum += context.source.v4 >> 16;
    sum += context.source.v4 & 0xffff;
    sum += context.destination.v4 >> 16;
    sum += context.destination.v4 & 0xffff;
  } else {
    sum = checksum_add(sum, context.source.v6);
    sum = checksum_add(sum, context.destination.v6);
  }
  sum += protocol;
  sum += (length >> 16) & 0xffff;
  sum += length & 0xffff;
  return sum;
}

bool checksum_ok(ByteView view, std::uint64_t initial) {
  return checksum_fold(checksum_add(initial, view.bytes())) == 0xffff;
}

void decode_tcp(ByteView view, const TransportContext& context, DecodeResult& result) {
  constexpr std::size_t kMinHeader = 20;
  if (view.size() < kMinHeader) return fail(result, Anomaly::kTruncatedTcpHeader, view.base());
  const std::size_t header_length = (std::size_t{view.u8(12)} >> 4) * 4;
  if (header_length < kMinHeader) return fail(result, Anomaly::kBadTcpDataOffset, view.base());
  if (view.size() < header_length) {
    return fail(result, Anomaly::kTruncatedTcpHeader, view.base());
  }
  TcpInfo& tcp = result.packet.tcp;
  tcp.source_port = view.be16(0);
  tcp.destination_port = view.be16(2);
  tcp.seq = view.be32(4);
  tcp.ack = view.be32(8);
  tcp.header_length = static_cast<std::uint8_t>(header_length);
  const std::uint8_t bits = view.u8(13);
  tcp.flag_bits = bits;
  tcp.flags =
      TcpFlags{(bits & 0x01) != 0, (bits & 0x02) != 0, (bits & 0x04) != 0, (bits & 0x08) != 0,
               (bits & 0x10) != 0, (bits & 0x20) != 0, (bits & 0x40) != 0, (bits & 0x80) != 0};
  tcp.window = view.be16(14);
  tcp.checksum = view.be16(16);
  tcp.urgent_pointer = view.be16(18);
  tcp.options = view.sub(kMinHeader, header_length - kMinHeader).bytes();
  tcp.payload = view.from(header_length).bytes();
  result.packet.transport = Transport::kTcp;
  if (context.verify_checksum &&
      !checksum_ok(view, pseudo_header_sum(context, kProtocolTcp, view.size()))) {
    note(result, Note::kTcpBadChecksum);
  }
}

void decode_udp(ByteView view, const TransportContext& context, DecodeResult& result) {
  constexpr std::size_t kHeader = 8;
  if (view.size() < kHeader) return fail(result, Anomaly::kTruncatedUdpHeader, view.base());
  const std::uint16_t length = view.be16(4);
  // In a first fragment the length covers the reassembled datagram: only its floor is known.
  if (length < kHeader || (context.whole && length > view.size())) {
    return fail(result, Anomaly::kUdpLengthMismatch, view.base());
  }
  UdpInfo& udp = result.packet.udp;
  udp.source_port = view.be16(0);
  udp.destination_port = view.be16(2);
  udp.length = length;
  udp.checksum = view.be16(6);
  const std::size_t data_length = length > view.size() ? view.size() : length;
  udp.payload = view.sub(kHeader, data_length - kHeader).bytes();
  result.packet.transport = Transport::kUdp;
  // IPv4 allows "no checksum" (zero); IPv6 does not, so a zero there is a wrong checksum.
  const bool has_checksum = udp.checksum != 0 || context.version == 6;
  if (context.verify_checksum && has_checksum &&
      !checksum_ok(view.sub(0, length), pseudo_header_sum(context, kProtocolUdp, length))) {
    note(result, Note::kUdpBadChecksum);
  }
}

bool is_icmp_error(std::uint8_t version, std::uint8_t type) {
  if (version == 6) return type >= 1 && type <= 4;
  return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

/// The quoted IP header and the start of what followed it; false if no IP header is there.
bool decode_quote(ByteView quote, QuotedPacket& out) {
  if (quote.empty()) return false;
  const auto version = quote.u8(0) >> 4;
  ByteView rest;
  bool first_fragment = true;
  if (version == 4) {
    if (quote.size() < 20) return false;
    const std::size_t header_length = std::size_t{quote.u8(0) & 0x0fU} * 4;
    if (header_length < 20 || quote.size() < header_length) return false;
    out.protocol = quote.u8(9);
    out.source = IpAddress::from_v4(quote.be32(12));
    out.destination = IpAddress::from_v4(quote.be32(16));
    first_fragment = (quote.be16(6) & 0x1fff) == 0;
    rest = quote.from(header_length);
  } else if (version == 6) {
    if (quote.size() < 40) return false;
    Ipv6Address source{};
    Ipv6Address destination{};
    quote.copy(8, std::span(source));
    quote.copy(24, std::span(destination));
    out.source = IpAddress::from_v6(source);
    out.destination = IpAddress::from_v6(destination);
    // The quoted payload length describes the original packet, not the quote: ignore it.
    const Ipv6Walk walk = walk_ipv6_ext_headers(quote, 40, quote.u8(6), nullptr);
    if (walk.anomaly) return false;
    out.protocol = walk.protocol;
    first_fragment = !walk.fragment || walk.fragment->offset == 0;
    rest = quote.from(walk.end);
  } else {
    return false;
  }
  out.version = static_cast<std::uint8_t>(version);
  if (!first_fragment) return true;
  if ((out.protocol == kProtocolTcp || out.protocol == kProtocolUdp) && rest.size() >= 4) {
    out.has_ports = true;
    out.source_port = rest.be16(0);
    out.destination_port = rest.be16(2);
  }
  const std::uint8_t icmp_protocol = version == 4 ? kProtocolIcmp : kProtocolIcmpV6;
  if (out.protocol == icmp_protocol && rest.size() >= 2) {
    out.has_icmp = true;
    out.icmp_type = rest.u8(0);
    out.icmp_code = rest.u8(1);
  }
  return true;
}

void decode_icmp(ByteView view, const TransportContext& context, DecodeResult& result) {
  constexpr std::size_t kHeader = 8;
  if (view.size() < kHeader) return fail(result, Anomaly::kTruncatedIcmp, view.base());
  IcmpInfo& icmp = result.packet.icmp;
  icmp.type = view.u8(0);
  icmp.code = view.u8(1);
  icmp.checksum = view.be16(2);
  icmp.rest_of_header = view.be32(4);
  icmp.is_error = is_icmp_error(context.version, icmp.type);
  const ByteView payload = view.from(kHeader);
  icmp.payload = payload.bytes();
  result.packet.transport = Transport::kIcmp;
  if (context.verify_checksum) {
    const std::uint64_t initial =
        context.version == 6 ? pseudo_header_sum(context, kProtocolIcmpV6, view.size()) : 0;
    if (!checksum_ok(view, initial)) note(result, Note::kIcmpBadChecksum);
  }
  if (icmp.is_error) {
    QuotedPacket quoted;
    if (!decode_quote(payload, quoted)) {
      return fail(result, Anomaly::kTruncatedIcmpQuote, payload.base());
    }
    icmp.quoted = quoted;
  }
}

}  // namespace

void decode_transport(ByteView view, std::uint8_t protocol, const TransportContext& context,
                      DecodeResult& result) {
  if (protocol == kProtocolTcp) return decode_tcp(view, context, result);
  if (protocol == kProtocolUdp) return decode_udp(view, context, result);
  if ((protocol == kProtocolIcmp && context.version == 4) ||
      (protocol == kProtocolIcmpV6 && context.version == 6)) {
    return decode_icmp(view, context, result);
  }
  result.packet.transport = Transport::kOther;
  result.packet.other_payload = view.bytes();
}

std::uint64_t checksum_add(std::uint64_t sum, std::span<const std::uint8_t> bytes) {
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) sum += (std::uint64_t{bytes[i]} << 8) | bytes[i + 1];
  if (i < bytes.size()) sum += std::uint64_t{bytes[i]} << 8;
  return sum;
}

std::uint16_t checksum_fold(std::uint64_t sum) {
  while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(sum);
}

}  // namespace openfwp::io::wire::internal
