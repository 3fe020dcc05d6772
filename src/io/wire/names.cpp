// SPDX-License-Identifier: Apache-2.0
// Stable names of anomalies, notes and reassembly discards, and the pcap link-type numbers we
// accept.
#include "io/wire/decode.h"
#include "io/wire/fragment_reassembly.h"

namespace openfwp::io::wire {

std::optional<LinkType> link_type_from_number(std::uint32_t number) {
  switch (number) {
    case 1:
      return LinkType::kEthernet;
    case 12:  // DLT_RAW on most systems
    case 14:  // DLT_RAW on OpenBSD
    case 101:
      return LinkType::kRaw;
    case 113:
      return LinkType::kLinuxSll;
    case 228:
      return LinkType::kIpv4;
    case 229:
      return LinkType::kIpv6;
    case 276:
      return LinkType::kLinuxSll2;
    default:
      return std::nullopt;
  }
}

std::string_view anomaly_name(Anomaly anomaly) {
  switch (anomaly) {
    case Anomaly::kUnsupportedLinkType:
      return "unsupported_link_type";
    case Anomaly::kTruncatedEthernet:
      return "truncated_ethernet";
    case Anomaly::kTruncatedVlanTag:
      return "truncated_vlan_tag";
    case Anomaly::kTooManyVlanTags:
      return "too_many_vlan_tags";
    case Anomaly::kTruncatedLinuxSll:
      return "truncated_linux_sll";
    case Anomaly::kTruncatedLinuxSll2:
      return "truncated_linux_sll2";
    case Anomaly::kUnknownEthertype:
      return "unknown_ethertype";
    case Anomaly::kEmptyIpPacket:
      return "empty_ip_packet";
    case Anomaly::kBadIpVersion:
      return "bad_ip_version";
    case Anomaly::kTruncatedIpv4Header:
      return "truncated_ipv4_header";
    case Anomaly::kBadIpv4Version:
      return "bad_ipv4_version";
    case Anomaly::kBadIpv4Ihl:
      return "bad_ipv4_ihl";
    case Anomaly::kIpv4TotalLengthMismatch:
      return "ipv4_total_length_mismatch";
    case Anomaly::kTruncatedIpv6Header:
      return "truncated_ipv6_header";
    case Anomaly::kBadIpv6Version:
      return "bad_ipv6_version";
    case Anomaly::kIpv6PayloadLengthMismatch:
      return "ipv6_payload_length_mismatch";
    case Anomaly::kIpv6ExtHeaderTruncated:
      return "ipv6_ext_header_truncated";
    case Anomaly::kTooManyIpv6ExtHeaders:
      return "too_many_ipv6_ext_headers";
    case Anomaly::kTruncatedTcpHeader:
      return "truncated_tcp_header";
    case Anomaly::kBadTcpDataOffset:
      return "bad_tcp_data_offset";
    case Anomaly::kTruncatedUdpHeader:
      return "truncated_udp_header";
    case Anomaly::kUdpLengthMismatch:
      return "udp_length_mismatch";
    case Anomaly::kTruncatedIcmp:
      return "truncated_icmp";
    case Anomaly::kTruncatedIcmpQuote:
      return "truncated_icmp_quote";
  }
  return "unknown_anomaly";
}

std::string_view note_name(Note note) {
  switch (note) {
    case Note::kIpv4BadChecksum:
      return "ipv4_bad_checksum";
    case Note::kTcpBadChecksum:
      return "tcp_bad_checksum";
    case Note::kUdpBadChecksum:
      return "udp_bad_checksum";
    case Note::kIcmpBadChecksum:
      return "icmp_bad_checksum";
  }
  return "unknown_note";
}

std::string_view reassembly_discard_name(ReassemblyDiscard reason) {
  switch (reason) {
    case ReassemblyDiscard::kNotAFragment:
      return "not_a_fragment";
    case ReassemblyDiscard::kFragmentBadLength:
      return "fragment_bad_length";
    case ReassemblyDiscard::kFragmentTooLarge:
      return "fragment_too_large";
    case ReassemblyDiscard::kFragmentOverlap:
      return "fragment_overlap";
    case ReassemblyDiscard::kConflictingLastFragment:
      return "conflicting_last_fragment";
    case ReassemblyDiscard::kTooManyFragments:
      return "too_many_fragments";
    case ReassemblyDiscard::kTooManyDatagramsInProgress:
      return "too_many_datagrams_in_progress";
    case ReassemblyDiscard::kFragmentMemoryLimit:
      return "fragment_memory_limit";
    case ReassemblyDiscard::kFragmentReassemblyTimeout:
      return "fragment_reassembly_timeout";
    case ReassemblyDiscard::kFragmentReassemblyIncomplete:
      return "fragment_reassembly_incomplete";
  }
  return "unknown_reassembly_discard";
}

}  // namespace openfwp::io::wire
