// SPDX-License-Identifier: Apache-2.0
// Checked decoding of captured frames (link → IP → transport) into the header fields WFP's
// layers classify on; malformed bytes become a named anomaly, never a crash.
#pragma once

// Design
// ------
// What it is for. pcap replay (issue #5) and, later, the NFQUEUE daemon hand us bytes that
// came off a wire. This module turns one frame into a `DecodedPacket`: link information, the
// IP header (v4, or v6 with its extension-header chain walked), and the TCP/UDP/ICMP header
// WFP's transport and ICMP-error layers look at. Nothing here allocates.
//
// Checked reader (smoltcp style). Every byte is read through `internal::ByteView`
// (io/wire/internal/byte_view.h): a span plus its absolute offset in the frame. Each decoder
// first checks the length it needs (a condition from the environment, so it becomes an
// anomaly) and then reads fixed fields through accessors that are themselves bounds-checked
// (out of range is a decoder bug: debug builds assert, release builds read as zero). No
// decoder ever indexes the caller's span directly.
//
// Anomaly policy (Zeek's weirds; design.md "Data path"). A malformed or unexpected packet is a
// result, not an error: `DecodeResult::failure` names the first reason decoding stopped and
// the byte offset (from the start of the input) of the header that could not be decoded. The
// layers decoded before that point stay in `DecodeResult::packet` (`has_ip`, `transport`),
// so a driver can still report the discard with the addresses it knows. Conditions that real
// captures show on healthy traffic are *notes*, not anomalies: wrong IPv4/TCP/UDP/ICMP
// checksums (NICs with checksum offload write the capture before the checksum is filled in)
// and Ethernet padding after the IP packet (`LinkInfo::trailer_length`). Lengths are checked
// against the bytes we were given, so a frame cut by the capture's snap length shows as
// ipv4_total_length_mismatch / ipv6_payload_length_mismatch.
//
// Fragments. A non-first fragment (IPv4 offset ≠ 0, or IPv6 fragment header with offset ≠ 0)
// decodes to IP level only: `IpInfo::fragment` is set and `transport` is `kNone`. A first
// fragment decodes the transport header if it is there; its TCP/UDP checksum and the UDP
// length are not checked against the fragment (they cover the reassembled datagram).
// FragmentReassembler (fragment_reassembly.h) rebuilds the datagram for decode_ip().
//
// Lifetime. Every `std::span` in the result (payloads, IPv4/TCP options) points into the
// caller's buffer, so those spans are valid only while that buffer is; addresses, MACs and
// every other field are copied out.
#include "common/ip_address.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace openfwp::io::wire {

/// The link layers we decode, valued as their LINKTYPE_* numbers in pcap file headers.
enum class LinkType : std::uint16_t {
  kEthernet = 1,     ///< LINKTYPE_ETHERNET / DLT_EN10MB, 802.1Q/802.1ad tags (stacked) allowed
  kRaw = 101,        ///< LINKTYPE_RAW: bare IPv4 or IPv6, told apart by the version nibble
  kLinuxSll = 113,   ///< LINKTYPE_LINUX_SLL: Linux cooked capture v1 (16-byte header)
  kIpv4 = 228,       ///< LINKTYPE_IPV4: bare IPv4
  kIpv6 = 229,       ///< LINKTYPE_IPV6: bare IPv6
  kLinuxSll2 = 276,  ///< LINKTYPE_LINUX_SLL2: Linux cooked capture v2 (20-byte header)
};

/// Maps a pcap/pcapng link-type number to a LinkType. Besides the LINKTYPE_* values above it
/// accepts DLT_RAW as it appears in older files (12, and 14 from OpenBSD). nullopt otherwise.
std::optional<LinkType> link_type_from_number(std::uint32_t number);

/// Why decoding stopped. Names (anomaly_name) are stable: they appear in traces and goldens.
enum class Anomaly : std::uint8_t {
  kUnsupportedLinkType,        ///< unsupported_link_type
  kTruncatedEthernet,          ///< truncated_ethernet: fewer than 14 bytes
  kTruncatedVlanTag,           ///< truncated_vlan_tag: an 802.1Q/ad tag cut short
  kTooManyVlanTags,            ///< too_many_vlan_tags: more than kMaxVlanTags stacked
  kTruncatedLinuxSll,          ///< truncated_linux_sll: fewer than 16 bytes
  kTruncatedLinuxSll2,         ///< truncated_linux_sll2: fewer than 20 bytes
  kUnknownEthertype,           ///< unknown_ethertype: not IPv4/IPv6 (ARP, LLDP, 802.3 length…)
  kEmptyIpPacket,              ///< empty_ip_packet: raw link with no bytes at all
  kBadIpVersion,               ///< bad_ip_version: raw link, version nibble neither 4 nor 6
  kTruncatedIpv4Header,        ///< truncated_ipv4_header: fewer than 20 (or IHL×4) bytes
  kBadIpv4Version,             ///< bad_ipv4_version: IPv4 expected, version nibble ≠ 4
  kBadIpv4Ihl,                 ///< bad_ipv4_ihl: IHL < 5
  kIpv4TotalLengthMismatch,    ///< ipv4_total_length_mismatch: < IHL×4 or > bytes captured
  kTruncatedIpv6Header,        ///< truncated_ipv6_header: fewer than 40 bytes
  kBadIpv6Version,             ///< bad_ipv6_version: IPv6 expected, version nibble ≠ 6
  kIpv6PayloadLengthMismatch,  ///< ipv6_payload_length_mismatch: 40 + length > bytes captured
  kIpv6ExtHeaderTruncated,     ///< ipv6_ext_header_truncated: an extension header cut short
  kTooManyIpv6ExtHeaders,      ///< too_many_ipv6_ext_headers: more than kMaxIpv6ExtHeaders
  kTruncatedTcpHeader,         ///< truncated_tcp_header: fewer than 20 (or data offset×4) bytes
  kBadTcpDataOffset,           ///< bad_tcp_data_offset: data offset < 5
  kTruncatedUdpHeader,         ///< truncated_udp_header: fewer than 8 bytes
  kUdpLengthMismatch,          ///< udp_length_mismatch: length < 8 or > the IP payload
  kTruncatedIcmp,              ///< truncated_icmp: fewer than 8 bytes of ICMP/ICMPv6
  kTruncatedIcmpQuote,         ///< truncated_icmp_quote: error without a decodable IP header
};

/// Stable snake_case name of an anomaly ("truncated_tcp_header").
std::string_view anomaly_name(Anomaly anomaly);

/// Non-fatal observations about a decoded packet (bits of DecodedPacket::notes).
enum class Note : std::uint8_t {
  kIpv4BadChecksum = 1U << 0,  ///< ipv4_bad_checksum
  kTcpBadChecksum = 1U << 1,   ///< tcp_bad_checksum (unfragmented packets only)
  kUdpBadChecksum = 1U << 2,   ///< udp_bad_checksum (unfragmented; a zero IPv4 checksum is ok)
  kIcmpBadChecksum = 1U << 3,  ///< icmp_bad_checksum (unfragmented packets only)
};

/// Stable snake_case name of a note ("ipv4_bad_checksum").
std::string_view note_name(Note note);

inline constexpr std::size_t kMaxVlanTags = 4;
inline constexpr std::size_t kMaxIpv6ExtHeaders = 8;

/// One 802.1Q (TPID 0x8100) or 802.1ad (0x88a8, or the pre-standard 0x9100) tag, outer first.
struct VlanTag {
  std::uint16_t tpid = 0;
  std::uint8_t priority = 0;  ///< PCP, 0–7
  bool drop_eligible = false;
  std::uint16_t id = 0;  ///< VID, 0–4095
};

/// What the link header said. Fields not carried by a link type keep their defaults.
struct LinkInfo {
  LinkType type = LinkType::kRaw;
  std::array<std::uint8_t, 6> destination_mac{};  ///< Ethernet
  std::array<std::uint8_t, 6> source_mac{};       ///< Ethernet
  std::array<VlanTag, kMaxVlanTags> vlan_tags{};  ///< Ethernet (or cooked) 802.1Q/ad tags
  std::uint8_t vlan_count = 0;
  std::uint16_t ethertype = 0;  ///< after the VLAN tags; 0x0800/0x86dd also for raw links
  /// Linux cooked: 0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 sent by us.
  std::uint16_t packet_type = 0;
  std::uint16_t arphrd_type = 0;               ///< Linux cooked: ARPHRD_* of the interface
  std::uint32_t interface_index = 0;           ///< Linux cooked v2 only
  std::array<std::uint8_t, 8> link_address{};  ///< Linux cooked: sender's link address
  std::uint8_t link_address_length = 0;
  std::size_t header_length = 0;   ///< bytes before the IP header
  std::size_t trailer_length = 0;  ///< bytes after the IP packet (Ethernet padding, FCS)

  /// The VLAN tags present, outer first.
  std::span<const VlanTag> vlans() const { return {vlan_tags.data(), vlan_count}; }
};

/// One IPv6 extension header of the chain, in order.
struct Ipv6ExtHeader {
  std::uint8_t type = 0;   ///< its protocol number: 0, 43, 44, 51, 60, 135, 139, 140
  std::size_t offset = 0;  ///< from the start of the IP header
  std::size_t length = 0;  ///< bytes, including its next-header/length octets
};

/// Fragmentation of this packet, when it is a fragment (IPv4 MF or offset; IPv6 fragment hdr).
struct FragmentInfo {
  std::uint32_t identification = 0;  ///< 16 bits for IPv4, 32 for IPv6
  std::uint16_t offset = 0;          ///< in bytes (the header's 8-byte units × 8)
  bool more_fragments = false;
  bool is_first() const { return offset == 0; }
};

/// The IP header; v4/v6-only fields keep their defaults for the other version.
struct IpInfo {
  std::uint8_t version = 0;  ///< 4 or 6
  IpAddress source;
  IpAddress destination;
  std::uint8_t ttl = 0;            ///< TTL, or IPv6 hop limit
  std::uint8_t traffic_class = 0;  ///< IPv4 TOS byte, or IPv6 traffic class
  std::uint32_t total_length = 0;  ///< IPv4 total length, or 40 + IPv6 payload length
  std::size_t header_length = 0;   ///< IPv4 IHL×4, or 40 + every extension header walked
  /// The upper-layer protocol: the IPv4 protocol field, or the next header that ended the
  /// IPv6 walk (6, 17, 58…, or 50 ESP / 59 no next header).
  std::uint8_t protocol = 0;

  // IPv4 only.
  std::uint16_t identification = 0;
  bool dont_fragment = false;
  bool more_fragments = false;
  std::uint16_t fragment_offset = 0;  ///< in bytes
  std::uint16_t checksum = 0;
  std::span<const std::uint8_t> ipv4_options;

  // IPv6 only.
  std::uint32_t flow_label = 0;
  std::array<Ipv6ExtHeader, kMaxIpv6ExtHeaders> ext_headers{};
  std::uint8_t ext_header_count = 0;

  std::optional<FragmentInfo> fragment;  ///< set when this packet is a fragment

  /// The extension headers walked, in order.
  std::span<const Ipv6ExtHeader> ipv6_ext_headers() const {
    return {ext_headers.data(), ext_header_count};
  }
};

/// TCP flags, all eight of the classic flag octet.
struct TcpFlags {
  bool fin = false;
  bool syn = false;
  bool rst = false;
  bool psh = false;
  bool ack = false;
  bool urg = false;
  bool ece = false;
  bool cwr = false;
};

struct TcpInfo {
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  TcpFlags flags;
  std::uint8_t flag_bits = 0;      ///< the raw flag octet (CWR…FIN)
  std::uint8_t header_length = 0;  ///< data offset × 4
  std::uint16_t window = 0;
  std::uint16_t checksum = 0;
  std::uint16_t urgent_pointer = 0;
  std::span<const std::uint8_t> options;
  std::span<const std::uint8_t> payload;
};

struct UdpInfo {
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
  std::uint16_t length = 0;  ///< the UDP length field (header + data)
  std::uint16_t checksum = 0;
  std::span<const std::uint8_t> payload;  ///< length − 8 bytes (whatever is there if a fragment)
};

/// The start of the packet an ICMP error quotes (RFC 792: IP header + 8 bytes; RFC 4443: as
/// much as fits): enough for the original 5-tuple, which WFP's inbound ICMP error layer uses.
struct QuotedPacket {
  std::uint8_t version = 0;
  IpAddress source;
  IpAddress destination;
  std::uint8_t protocol = 0;  ///< after walking any quoted IPv6 extension headers
  bool has_ports = false;     ///< TCP/UDP and at least 4 bytes quoted after the IP header
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
  bool has_icmp = false;  ///< quoted ICMP/ICMPv6 and at least 2 bytes quoted
  std::uint8_t icmp_type = 0;
  std::uint8_t icmp_code = 0;
};

struct IcmpInfo {
  std::uint8_t type = 0;
  std::uint8_t code = 0;
  std::uint16_t checksum = 0;
  std::uint32_t rest_of_header = 0;       ///< bytes 4–7 (echo id/seq, MTU, pointer…)
  bool is_error = false;                  ///< v4 types 3, 4, 5, 11, 12; v6 types 1–4
  std::optional<QuotedPacket> quoted;     ///< set for errors
  std::span<const std::uint8_t> payload;  ///< everything after the 8-byte header
};

enum class Transport : std::uint8_t {
  kNone,  ///< not decoded: no IP, a non-first fragment, or a malformed transport header
  kTcp,
  kUdp,
  kIcmp,   ///< ICMP for IPv4, ICMPv6 for IPv6 (IpInfo::version tells)
  kOther,  ///< any other protocol: IpInfo::protocol and `other_payload`
};

/// A decoded frame (or as much of it as was decodable; see DecodeResult).
struct DecodedPacket {
  LinkInfo link;
  bool has_ip = false;
  IpInfo ip;
  Transport transport = Transport::kNone;
  TcpInfo tcp;                                  ///< when transport == kTcp
  UdpInfo udp;                                  ///< when transport == kUdp
  IcmpInfo icmp;                                ///< when transport == kIcmp
  std::span<const std::uint8_t> other_payload;  ///< when transport == kOther
  std::uint8_t notes = 0;                       ///< Note bits

  bool has_note(Note note) const { return (notes & static_cast<std::uint8_t>(note)) != 0; }
};

/// Where and why decoding stopped.
struct DecodeFailure {
  Anomaly anomaly = Anomaly::kUnsupportedLinkType;
  std::size_t offset = 0;  ///< from the start of the input; at most its size
};

/// The outcome of decoding one frame: `packet` holds the layers decoded, and `failure` is set
/// when an anomaly stopped decoding (`packet` then holds the layers before it).
struct DecodeResult {
  DecodedPacket packet;
  std::optional<DecodeFailure> failure;

  bool ok() const { return !failure.has_value(); }
};

/// Decodes one captured frame of the given link type. Never reads outside `bytes`; spans in
/// the result point into `bytes`.
DecodeResult decode_frame(LinkType link, std::span<const std::uint8_t> bytes);

/// Decodes a bare IP packet (IPv4 or IPv6 by its version nibble), as LinkType::kRaw.
DecodeResult decode_ip(std::span<const std::uint8_t> bytes);

}  // namespace openfwp::io::wire
