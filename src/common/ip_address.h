// SPDX-License-Identifier: Apache-2.0
// IPv4/IPv6 addresses and prefixes as WFP carries them: a V4 address is an FWP_UINT32 in host
// order, a V6 address an FWP_BYTE_ARRAY16 in network order; masks are prefix lengths.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace openfwp {

using Ipv4Address = std::uint32_t;                 ///< host byte order, as FWP_UINT32
using Ipv6Address = std::array<std::uint8_t, 16>;  ///< network byte order

/// FWP_V4_ADDR_AND_MASK with the mask as a prefix length (WFP requires contiguous masks:
/// FWP_E_INVALID_NET_MASK otherwise).
struct Ipv4Prefix {
  Ipv4Address address = 0;
  std::uint8_t length = 32;
  bool contains(Ipv4Address a) const;
  friend auto operator<=>(const Ipv4Prefix&, const Ipv4Prefix&) = default;
};

/// FWP_V6_ADDR_AND_MASK.
struct Ipv6Prefix {
  Ipv6Address address{};
  std::uint8_t length = 128;
  bool contains(const Ipv6Address& a) const;
  friend auto operator<=>(const Ipv6Prefix&, const Ipv6Prefix&) = default;
};

/// An IPv4 or IPv6 address, for code that handles both (hosts, flows, packets).
struct IpAddress {
  bool is_v6 = false;
  Ipv4Address v4 = 0;  ///< meaningful when !is_v6
  Ipv6Address v6{};    ///< meaningful when is_v6

  static IpAddress from_v4(Ipv4Address a) { return {false, a, {}}; }
  static IpAddress from_v6(const Ipv6Address& a) { return {true, 0, a}; }
  /// Dotted quad or RFC 4291 text.
  static std::optional<IpAddress> parse(std::string_view text);
  std::string to_string() const;
  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;
};

std::optional<Ipv4Address> parse_ipv4(std::string_view text);
std::optional<Ipv6Address> parse_ipv6(std::string_view text);
/// "a.b.c.d/len"; a bare address means /32. Host bits must be zero is NOT required: WFP masks
/// the address itself, and so do we (the stored address keeps only the network bits).
std::optional<Ipv4Prefix> parse_ipv4_prefix(std::string_view text);
std::optional<Ipv6Prefix> parse_ipv6_prefix(std::string_view text);
/// Turns a dotted mask ("255.255.0.0") into a prefix length; nullopt if not contiguous.
std::optional<std::uint8_t> ipv4_mask_to_length(Ipv4Address mask);

std::string format_ipv4(Ipv4Address a);
std::string format_ipv6(const Ipv6Address& a);
/// "a.b.c.d" when the prefix is a single host, else "a.b.c.d/len".
std::string format_ipv4_prefix(const Ipv4Prefix& p);
std::string format_ipv6_prefix(const Ipv6Prefix& p);

}  // namespace openfwp
