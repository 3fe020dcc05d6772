// SPDX-License-Identifier: Apache-2.0
// ASCII string helpers. WFP names, aliases, GUIDs and app paths are compared case-insensitively
// in ASCII only: Windows upper-cases paths with its own tables, which openfwp does not model.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace openfwp {

std::string ascii_lower(std::string_view text);
std::string ascii_upper(std::string_view text);
bool ascii_iequals(std::string_view a, std::string_view b);
/// Without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view text);

/// Case-insensitive edit distance (Levenshtein), for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace openfwp
