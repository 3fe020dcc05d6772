// SPDX-License-Identifier: Apache-2.0
// GUID text form and a stable name-derived GUID for unnamed policy objects.
#include "common/guid.h"

#include <cstring>

namespace openfwp {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// FNV-1a 64, run twice with different offsets: enough spread for deterministic ids.
std::uint64_t fnv1a(std::string_view text, std::uint64_t basis) {
  std::uint64_t hash = basis;
  for (char c : text) {
    hash ^= static_cast<std::uint8_t>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace

std::optional<Guid> Guid::parse(std::string_view text) {
  if (text.size() == 38 && text.front() == '{' && text.back() == '}') {
    text = text.substr(1, 36);
  }
  if (text.size() != 36) return std::nullopt;
  Guid guid;
  std::size_t out = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    const int high = hex_digit(text[i]);
    const int low = hex_digit(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    guid.bytes[out++] = static_cast<std::uint8_t>((high << 4) | low);
    i += 2;
  }
  return guid;
}

Guid Guid::derive(std::string_view seed) {
  const std::uint64_t a = fnv1a(seed, 0xcbf29ce484222325ULL);
  const std::uint64_t b = fnv1a(seed, 0x84222325cbf29ce4ULL ^ a);
  Guid guid;
  for (std::size_t i = 0; i < 8; ++i) {
    guid.bytes[i] = static_cast<std::uint8_t>(a >> (56 - 8 * i));
    guid.bytes[i + 8] = static_cast<std::uint8_t>(b >> (56 - 8 * i));
  }
  // Version 5 and RFC 4122 variant bits, so the text looks like a real name-based GUID.
  guid.bytes[6] = static_cast<std::uint8_t>((guid.bytes[6] & 0x0f) | 0x50);
  guid.bytes[8] = static_cast<std::uint8_t>((guid.bytes[8] & 0x3f) | 0x80);
  return guid;
}

std::string Guid::to_string() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "{";
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0x0f];
  }
  out += '}';
  return out;
}

bool Guid::is_null() const {
  for (auto b : bytes) {
    if (b != 0) return false;
  }
  return true;
}

}  // namespace openfwp

std::size_t std::hash<openfwp::Guid>::operator()(const openfwp::Guid& g) const noexcept {
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  std::memcpy(&a, g.bytes.data(), 8);
  std::memcpy(&b, g.bytes.data() + 8, 8);
  return static_cast<std::size_t>(a ^ (b * 0x9e3779b97f4a7c15ULL));
}
