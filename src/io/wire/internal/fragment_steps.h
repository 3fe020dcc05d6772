// SPDX-License-Identifier: Apache-2.0
// The version-specific byte work of fragment reassembly (fragment_headers.cpp): reading one
// fragment's fields from its checked bytes, and turning the first fragment's header into the
// header of the reassembled packet. fragment_reassembly.cpp keeps the version-agnostic books.
#pragma once

#include "io/wire/decode.h"
#include "io/wire/fragment_reassembly.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace openfwp::io::wire::internal {

/// One fragment as reassembly sees it; spans point into the caller's `ip_bytes`.
struct FragmentView {
  DatagramKey key;
  std::size_t offset = 0;  ///< of `data` in the reassembled data, bytes
  bool more_fragments = false;
  std::span<const std::uint8_t> data;  ///< the fragmentable bytes this fragment carries
  /// IPv4: the whole header, options included. IPv6: the unfragmentable part (the fixed
  /// header and the extension headers before the fragment header). Used from the first.
  std::span<const std::uint8_t> header;
  std::uint8_t next_header = 0;    ///< IPv6: the fragment header's next-header field
  std::size_t next_header_at = 0;  ///< IPv6: offset in `header` of the field naming it (44)
};

/// The fragment fields of `packet`, read from `ip_bytes` (from the IP header on) and checked
/// against the decode; nullopt when `packet` is not a fragment or does not describe the bytes.
/// IPv6 uses the first fragment header of the chain.
std::optional<FragmentView> read_fragment(const DecodedPacket& packet,
                                          std::span<const std::uint8_t> ip_bytes);

/// The smallest header a fragment of this version can have (20 or 40).
std::size_t min_header_length(std::uint8_t version);

/// The largest reassembled packet of this version the format allows (a 16-bit IPv4 total
/// length; 40 + a 16-bit IPv6 payload length), capped by `limit`.
std::size_t max_packet_length(std::uint8_t version, std::size_t limit);

/// Rewrites the first `header_length` bytes of `packet` (first fragment's header, then the
/// whole data) into the header of an unfragmented packet of packet.size() bytes. IPv6:
/// `next_header` is written at `next_header_at`, replacing the fragment header's number.
void finish_reassembled_header(std::uint8_t version, std::vector<std::uint8_t>& packet,
                               std::size_t header_length, std::uint8_t next_header,
                               std::size_t next_header_at);

}  // namespace openfwp::io::wire::internal
