// SPDX-License-Identifier: Apache-2.0
// The decoding steps shared by link.cpp, ip.cpp and transport.cpp: each decodes one layer
// from a checked view into the result and hands the rest to the next layer.
#pragma once

#include "io/wire/decode.h"
#include "io/wire/internal/byte_view.h"

#include <cstddef>
#include <cstdint>

namespace openfwp::io::wire::internal {

inline constexpr std::uint16_t kEthertypeIpv4 = 0x0800;
inline constexpr std::uint16_t kEthertypeIpv6 = 0x86dd;
inline constexpr std::uint8_t kProtocolIcmp = 1;
inline constexpr std::uint8_t kProtocolTcp = 6;
inline constexpr std::uint8_t kProtocolUdp = 17;
inline constexpr std::uint8_t kProtocolIcmpV6 = 58;

/// Records the anomaly that stops decoding at `offset` (absolute).
inline void fail(DecodeResult& result, Anomaly anomaly, std::size_t offset) {
  result.failure = DecodeFailure{anomaly, offset};
}

/// IPv4 header at the start of `view` (which may carry link trailer bytes after it).
void decode_ipv4(ByteView view, DecodeResult& result);
/// IPv6 header at the start of `view`.
void decode_ipv6(ByteView view, DecodeResult& result);
/// Either, by the version nibble (raw links).
void decode_ip_any(ByteView view, DecodeResult& result);

/// Outcome of walking an IPv6 extension-header chain.
struct Ipv6Walk {
  std::size_t end = 0;        ///< offset (in the packet view) of the upper-layer header
  std::uint8_t protocol = 0;  ///< the next header that ended the walk
  std::optional<FragmentInfo> fragment;
  bool has_routing_header = false;
  std::optional<Anomaly> anomaly;  ///< kIpv6ExtHeaderTruncated / kTooManyIpv6ExtHeaders
  std::size_t anomaly_at = 0;      ///< offset (in the packet view) of the offending header
};
/// Walks the chain that starts at `start` with next header `next`. Records headers in `record`
/// when it is not null. Stops after a fragment header whose offset is not zero.
Ipv6Walk walk_ipv6_ext_headers(ByteView packet, std::size_t start, std::uint8_t next,
                               IpInfo* record);

/// What the transport decoder needs to know about the IP packet around it.
struct TransportContext {
  std::uint8_t version = 4;
  IpAddress source;
  IpAddress destination;
  /// Not a fragment: lengths and checksums cover exactly these bytes.
  bool whole = true;
  /// Checksums can be verified (whole, and no IPv6 routing header changing the destination).
  bool verify_checksum = true;
};
/// The upper-layer header `protocol` at the start of `view` (exactly the IP payload).
void decode_transport(ByteView view, std::uint8_t protocol, const TransportContext& context,
                      DecodeResult& result);

/// One's-complement sum of `bytes` as big-endian 16-bit words (odd tail padded), added to
/// `sum`; fold with `checksum_fold`.
std::uint64_t checksum_add(std::uint64_t sum, std::span<const std::uint8_t> bytes);
/// Folds a sum to 16 bits; a correct checksum field makes the folded sum 0xffff.
std::uint16_t checksum_fold(std::uint64_t sum);

}  // namespace openfwp::io::wire::internal
