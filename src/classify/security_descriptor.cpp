// SPDX-License-Identifier: Apache-2.0
// A small SDDL DACL reader: enough of the grammar for WFP user conditions.
#include "classify/security_descriptor.h"

#include <array>
#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

namespace openfwp::classify {
namespace {

struct Ace {
  bool allow = false;
  bool grants_match = false;
  std::string sid;
};

struct Dacl {
  bool present = false;
  std::vector<Ace> aces;
};

constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kSidAliases{{
    {"WD", "S-1-1-0"},
    {"AU", "S-1-5-11"},
    {"SY", "S-1-5-18"},
    {"LS", "S-1-5-19"},
    {"NS", "S-1-5-20"},
    {"BA", "S-1-5-32-544"},
    {"BU", "S-1-5-32-545"},
    {"BG", "S-1-5-32-546"},
    {"IU", "S-1-5-4"},
    {"NU", "S-1-5-2"},
    {"SU", "S-1-5-6"},
    {"AN", "S-1-5-7"},
    {"AC", "S-1-15-2-1"},
    {"OW", "S-1-3-4"},
}};

std::optional<std::string> resolve_sid(std::string_view text) {
  if (text.size() > 2 && (text[0] == 'S' || text[0] == 's') && text[1] == '-') {
    return "S" + std::string(text.substr(1));
  }
  for (const auto& [alias, sid] : kSidAliases) {
    if (text == alias) return std::string(sid);
  }
  return std::nullopt;
}

// FWP_ACTRL_MATCH_FILTER is 0x1, which SDDL spells "CC"; GA (generic all) and numeric masks
// with bit 0 also grant it.
std::optional<bool> mask_grants_match(std::string_view rights) {
  if (rights.size() > 2 && rights[0] == '0' && (rights[1] == 'x' || rights[1] == 'X')) {
    unsigned long value = 0;
    const auto digits = rights.substr(2);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, 16);
    if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
    return (value & 0x1UL) != 0;
  }
  if (rights.size() % 2 != 0) return std::nullopt;
  bool grants = false;
  for (std::size_t i = 0; i < rights.size(); i += 2) {
    const auto right = rights.substr(i, 2);
    if (right == "CC" || right == "GA" || right == "GX") grants = true;
  }
  return grants;
}

std::optional<Dacl> parse_dacl(std::string_view sddl) {
  Dacl dacl;
  const auto at = sddl.find("D:");
  if (at == std::string_view::npos) return dacl;
  dacl.present = true;
  std::string_view rest = sddl.substr(at + 2);
  // Skip DACL flags (P, AI, AR, NO_ACCESS_CONTROL) up to the first ACE.
  while (!rest.empty() && rest.front() != '(') {
    if (rest.front() == 'S' && rest.size() > 1 && rest[1] == ':') return dacl;  // SACL follows
    if (!std::isalpha(static_cast<unsigned char>(rest.front())) && rest.front() != '_') {
      return std::nullopt;
    }
    rest.remove_prefix(1);
  }
  while (!rest.empty() && rest.front() == '(') {
    const auto close = rest.find(')');
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view body = rest.substr(1, close - 1);
    std::array<std::string_view, 6> parts{};
    std::size_t start = 0;
    for (std::size_t i = 0; i < 6; ++i) {
      const auto semi = body.find(';', start);
      if (i < 5 && semi == std::string_view::npos) return std::nullopt;
      parts[i] = body.substr(start, i < 5 ? semi - start : std::string_view::npos);
      start = semi + 1;
    }
    Ace ace;
    if (parts[0] == "A") {
      ace.allow = true;
    } else if (parts[0] != "D") {
      rest.remove_prefix(close + 1);  // audit/object ACEs do not grant or deny
      continue;
    }
    auto grants = mask_grants_match(parts[2]);
    auto sid = resolve_sid(parts[5]);
    if (!grants || !sid) return std::nullopt;
    ace.grants_match = *grants;
    ace.sid = *sid;
    dacl.aces.push_back(std::move(ace));
    rest.remove_prefix(close + 1);
  }
  if (!rest.empty() && !(rest.size() > 1 && rest[0] == 'S' && rest[1] == ':')) {
    return std::nullopt;
  }
  return dacl;
}

}  // namespace

bool sddl_is_well_formed(std::string_view sddl) { return parse_dacl(sddl).has_value(); }

bool sddl_grants_match(std::string_view sddl, std::string_view user_sid) {
  auto dacl = parse_dacl(sddl);
  if (!dacl) return false;
  if (!dacl->present) return true;  // a NULL DACL grants everything
  auto user = resolve_sid(user_sid);
  if (!user) return false;
  const std::array<std::string_view, 3> token{*user, "S-1-1-0", "S-1-5-11"};
  for (const auto& ace : dacl->aces) {
    if (!ace.grants_match) continue;
    bool in_token = false;
    for (auto sid : token) in_token = in_token || sid == ace.sid;
    if (in_token) return ace.allow;
  }
  return false;
}

}  // namespace openfwp::classify
