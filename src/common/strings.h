// SPDX-License-Identifier: Apache-2.0
// ASCII string helpers. WFP names, aliases, GUIDs and app paths are compared case-insensitively
// in ASCII only: Windows upper-cases paths with its own tables, which openfwp does not model.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace openfwp {

std::string ascii_lower(std::string_view text);
std::string ascii_upper(std::string_view text);
bool ascii_iequals(std::string_view a, std::string_view b);
/// Without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view text);

/// Bytes from hex text ("0x" prefix optional; ':' and '-' separators skipped). `want` = the
/// exact byte count required, 0 for any. nullopt on a non-hex digit or an odd digit count.
std::optional<std::vector<std::uint8_t>> parse_hex(std::string_view text, std::size_t want = 0);
/// Lower-case hex of `size` bytes, `separator` between bytes (0 = none).
std::string hex_text(const std::uint8_t* data, std::size_t size, char separator = 0);

/// Case-insensitive edit distance (Levenshtein), for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace openfwp
