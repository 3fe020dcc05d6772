// SPDX-License-Identifier: Apache-2.0
// A small SDDL DACL reader: enough of the grammar for WFP user conditions.
#include "classify/security_descriptor.h"

#include <algorithm>
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
  bool present = false;   // "D:" was written
  bool null_acl = false;  // "D:NO_ACCESS_CONTROL": a NULL DACL, which grants everyone
  std::vector<Ace> aces;  // the ACEs that take part in the check, in order
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

// "S-1-5-21-…": S, the revision 1, then one or more decimal sub-authorities.
bool is_sid_literal(std::string_view text) {
  if (text.size() < 5 || (text[0] != 'S' && text[0] != 's') || text.substr(1, 3) != "-1-") {
    return false;
  }
  bool digit_seen = false;
  for (const char c : text.substr(4)) {
    if (c == '-') {
      if (!digit_seen) return false;
      digit_seen = false;
    } else if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      digit_seen = true;
    } else {
      return false;
    }
  }
  return digit_seen;
}

std::optional<std::string> resolve_sid(std::string_view text) {
  if (is_sid_literal(text)) return "S" + std::string(text.substr(1));
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

// The ACE flags field: two-letter tokens. Returns whether the ACE is inherit-only ("IO"): such
// an ACE is only copied to children and does not control access to the object it is on.
std::optional<bool> ace_is_inherit_only(std::string_view flags) {
  if (flags.size() % 2 != 0) return std::nullopt;
  bool inherit_only = false;
  for (std::size_t i = 0; i < flags.size(); i += 2) {
    const auto flag = flags.substr(i, 2);
    static constexpr std::array<std::string_view, 8> kKnown{"CI", "OI", "NP", "IO",
                                                            "ID", "SA", "FA", "TP"};
    if (std::find(kKnown.begin(), kKnown.end(), flag) == kKnown.end()) return std::nullopt;
    inherit_only = inherit_only || flag == "IO";
  }
  return inherit_only;
}

// One "(type;flags;rights;object;inherit_object;sid[;attribute])". nullopt if malformed;
// an Ace with !applies for ACEs that take no part in the access check here.
struct ParsedAce {
  bool applies = false;
  Ace ace;
};

std::optional<ParsedAce> parse_ace(std::string_view body) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto semi = body.find(';', start);
    parts.push_back(body.substr(start, semi == std::string_view::npos ? semi : semi - start));
    if (semi == std::string_view::npos) break;
    start = semi + 1;
  }
  if (parts.size() != 6 && parts.size() != 7) return std::nullopt;
  const auto inherit_only = ace_is_inherit_only(parts[1]);
  const auto grants = mask_grants_match(parts[2]);
  const auto sid = resolve_sid(parts[5]);
  if (!inherit_only || !grants || !sid) return std::nullopt;
  ParsedAce parsed;
  // Plain allow and deny ACEs decide; object, callback (conditional) and audit ACEs are not
  // evaluated by openfwp and are passed over.
  parsed.applies = (parts[0] == "A" || parts[0] == "D") && !*inherit_only;
  parsed.ace = Ace{parts[0] == "A", *grants, *sid};
  return parsed;
}

// Where the next "O:", "G:", "D:" or "S:" component starts at or after `from`.
std::size_t next_component(std::string_view sddl, std::size_t from) {
  for (std::size_t i = from; i + 1 < sddl.size(); ++i) {
    const char c = sddl[i];
    if (sddl[i + 1] == ':' && (c == 'O' || c == 'G' || c == 'D' || c == 'S')) return i;
  }
  return std::string_view::npos;
}

// An ACL component after "D:" or "S:": flags, then ACEs. Returns the end of the component.
std::optional<std::size_t> parse_acl(std::string_view sddl, std::size_t pos, Dacl* dacl) {
  // Flags: P (protected), AI, AR (inheritance), NO_ACCESS_CONTROL (a NULL ACL).
  while (pos < sddl.size() && sddl[pos] != '(') {
    const auto rest = sddl.substr(pos);
    if (rest.starts_with("NO_ACCESS_CONTROL")) {
      if (dacl != nullptr) dacl->null_acl = true;
      pos += 17;
    } else if (rest.starts_with("AI") || rest.starts_with("AR")) {
      pos += 2;
    } else if (rest.starts_with("P")) {
      pos += 1;
    } else if (rest.size() > 1 && rest[1] == ':') {
      return pos;  // the next component; this ACL is empty
    } else {
      return std::nullopt;
    }
  }
  while (pos < sddl.size() && sddl[pos] == '(') {
    const auto close = sddl.find(')', pos);
    if (close == std::string_view::npos) return std::nullopt;
    const auto parsed = parse_ace(sddl.substr(pos + 1, close - pos - 1));
    if (!parsed) return std::nullopt;
    if (dacl != nullptr && parsed->applies) dacl->aces.push_back(parsed->ace);
    pos = close + 1;
  }
  return pos;
}

// A whole security descriptor string: O:, G:, D: and S: components, each at most once. Text
// with none of them is not SDDL.
std::optional<Dacl> parse_dacl(std::string_view sddl) {
  Dacl dacl;
  std::string seen;
  std::size_t pos = 0;
  if (sddl.empty()) return std::nullopt;
  while (pos < sddl.size()) {
    if (pos + 1 >= sddl.size() || sddl[pos + 1] != ':') return std::nullopt;
    const char component = sddl[pos];
    if (seen.find(component) != std::string::npos) return std::nullopt;
    seen.push_back(component);
    pos += 2;
    if (component == 'O' || component == 'G') {
      const std::size_t end = next_component(sddl, pos);
      const auto sid = sddl.substr(pos, end == std::string_view::npos ? end : end - pos);
      if (!resolve_sid(sid)) return std::nullopt;
      pos = end == std::string_view::npos ? sddl.size() : end;
    } else if (component == 'D' || component == 'S') {
      const auto end = parse_acl(sddl, pos, component == 'D' ? &dacl : nullptr);
      if (!end) return std::nullopt;
      if (component == 'D') dacl.present = true;
      pos = *end;
    } else {
      return std::nullopt;
    }
  }
  return dacl;
}

}  // namespace

bool sddl_is_well_formed(std::string_view sddl) { return parse_dacl(sddl).has_value(); }

bool sddl_grants_match(std::string_view sddl, std::string_view user_sid) {
  auto dacl = parse_dacl(sddl);
  if (!dacl) return false;
  if (!dacl->present || dacl->null_acl) return true;  // no DACL or a NULL DACL grants all
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
