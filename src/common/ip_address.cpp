// SPDX-License-Identifier: Apache-2.0
// Address text forms use the C library's inet_pton/inet_ntop: they are exact and well tested.
#include "common/ip_address.h"

#include <algorithm>
#include <arpa/inet.h>
#include <charconv>
#include <cstring>

namespace openfwp {
namespace {

// A length above 32 means the whole address (validation rejects such prefixes; never shift by a
// negative amount).
std::uint32_t v4_mask(std::uint8_t length) {
  return length == 0 ? 0U : ~0U << (32U - std::min<unsigned>(length, 32U));
}

std::optional<std::uint8_t> parse_length(std::string_view text, unsigned max) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty() || value > max) return std::nullopt;
  return static_cast<std::uint8_t>(value);
}

}  // namespace

bool Ipv4Prefix::contains(Ipv4Address a) const {
  return (a & v4_mask(length)) == (address & v4_mask(length));
}

bool Ipv6Prefix::contains(const Ipv6Address& a) const {
  unsigned remaining = length;
  for (std::size_t i = 0; i < 16 && remaining > 0; ++i) {
    const unsigned bits = remaining >= 8 ? 8U : remaining;
    const auto mask = static_cast<std::uint8_t>(0xffU << (8U - bits));
    if ((a[i] & mask) != (address[i] & mask)) return false;
    remaining -= bits;
  }
  return true;
}

std::optional<Ipv4Address> parse_ipv4(std::string_view text) {
  // inet_pton reads a C string: an embedded NUL would end the text early ("1.2.3.4\0junk").
  if (text.size() > 15 || text.find('\0') != std::string_view::npos) return std::nullopt;
  char buffer[16] = {};
  std::memcpy(buffer, text.data(), text.size());
  in_addr addr{};
  if (inet_pton(AF_INET, buffer, &addr) != 1) return std::nullopt;
  return ntohl(addr.s_addr);
}

std::optional<Ipv6Address> parse_ipv6(std::string_view text) {
  if (text.size() > 45 || text.find('\0') != std::string_view::npos) return std::nullopt;
  char buffer[46] = {};
  std::memcpy(buffer, text.data(), text.size());
  Ipv6Address out{};
  if (inet_pton(AF_INET6, buffer, out.data()) != 1) return std::nullopt;
  return out;
}

std::optional<Ipv4Prefix> parse_ipv4_prefix(std::string_view text) {
  const auto slash = text.find('/');
  auto address = parse_ipv4(text.substr(0, slash));
  if (!address) return std::nullopt;
  Ipv4Prefix prefix{*address, 32};
  if (slash != std::string_view::npos) {
    const auto tail = text.substr(slash + 1);
    if (auto length = parse_length(tail, 32)) {
      prefix.length = *length;
    } else if (auto mask = parse_ipv4(tail)) {  // "10.0.0.0/255.0.0.0", as netsh may write
      auto length_from_mask = ipv4_mask_to_length(*mask);
      if (!length_from_mask) return std::nullopt;
      prefix.length = *length_from_mask;
    } else {
      return std::nullopt;
    }
  }
  prefix.address &= v4_mask(prefix.length);
  return prefix;
}

std::optional<Ipv6Prefix> parse_ipv6_prefix(std::string_view text) {
  const auto slash = text.find('/');
  auto address = parse_ipv6(text.substr(0, slash));
  if (!address) return std::nullopt;
  Ipv6Prefix prefix{*address, 128};
  if (slash != std::string_view::npos) {
    auto length = parse_length(text.substr(slash + 1), 128);
    if (!length) return std::nullopt;
    prefix.length = *length;
  }
  unsigned remaining = prefix.length;
  for (auto& byte : prefix.address) {
    const unsigned bits = remaining >= 8 ? 8U : remaining;
    byte = static_cast<std::uint8_t>(byte & (bits == 0 ? 0U : (0xffU << (8U - bits))));
    remaining -= bits;
  }
  return prefix;
}

std::optional<std::uint8_t> ipv4_mask_to_length(Ipv4Address mask) {
  const std::uint32_t inverted = ~mask;
  if ((inverted & (inverted + 1U)) != 0) return std::nullopt;  // not of the form 1…10…0
  std::uint8_t length = 0;
  for (std::uint32_t m = mask; m != 0; m <<= 1U) ++length;
  return length;
}

std::string format_ipv4(Ipv4Address a) {
  in_addr addr{};
  addr.s_addr = htonl(a);
  char buffer[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &addr, buffer, sizeof buffer);
  return buffer;
}

std::string format_ipv6(const Ipv6Address& a) {
  char buffer[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, a.data(), buffer, sizeof buffer);
  return buffer;
}

std::string format_ipv4_prefix(const Ipv4Prefix& p) {
  auto text = format_ipv4(p.address);
  if (p.length != 32) text += '/' + std::to_string(p.length);
  return text;
}

std::string format_ipv6_prefix(const Ipv6Prefix& p) {
  auto text = format_ipv6(p.address);
  if (p.length != 128) text += '/' + std::to_string(p.length);
  return text;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (auto v4 = parse_ipv4(text)) return from_v4(*v4);
  if (auto v6 = parse_ipv6(text)) return from_v6(*v6);
  return std::nullopt;
}

std::string IpAddress::to_string() const { return is_v6 ? format_ipv6(v6) : format_ipv4(v4); }

}  // namespace openfwp
