// SPDX-License-Identifier: Apache-2.0
// Guid: WFP names every object (layer, field, sublayer, filter, provider, callout) by a GUID.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace openfwp {

/// A 128-bit GUID stored in its canonical text order (the order of hex digits in
/// "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}"), so comparison equals text comparison.
struct Guid {
  std::array<std::uint8_t, 16> bytes{};

  /// Parses "{…}" or the bare 36-character form, any case. nullopt on anything else.
  static std::optional<Guid> parse(std::string_view text);
  /// A deterministic GUID derived from `seed` (name-based, like RFC 4122 v5 in spirit; not
  /// cryptographic). Used for objects a policy file leaves unnamed, so output is stable.
  static Guid derive(std::string_view seed);

  /// "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}", lower case, as netsh prints it.
  std::string to_string() const;
  bool is_null() const;

  friend auto operator<=>(const Guid&, const Guid&) = default;
};

}  // namespace openfwp

template <>
struct std::hash<openfwp::Guid> {
  std::size_t operator()(const openfwp::Guid& g) const noexcept;
};
