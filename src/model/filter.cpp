// SPDX-License-Identifier: Apache-2.0
// WFP spellings of match types, actions and filter flags, and the well-known sublayer.
#include "model/filter.h"

#include "common/strings.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <span>

namespace openfwp::model {
namespace {

struct MatchName {
  MatchType type;
  std::string_view name;
  std::string_view alias;
};

constexpr std::array<MatchName, kMatchTypeCount> kMatchNames{{
    {MatchType::kEqual, "FWP_MATCH_EQUAL", "equal"},
    {MatchType::kGreater, "FWP_MATCH_GREATER", "greater"},
    {MatchType::kLess, "FWP_MATCH_LESS", "less"},
    {MatchType::kGreaterOrEqual, "FWP_MATCH_GREATER_OR_EQUAL", "greater_or_equal"},
    {MatchType::kLessOrEqual, "FWP_MATCH_LESS_OR_EQUAL", "less_or_equal"},
    {MatchType::kRange, "FWP_MATCH_RANGE", "range"},
    {MatchType::kFlagsAllSet, "FWP_MATCH_FLAGS_ALL_SET", "flags_all_set"},
    {MatchType::kFlagsAnySet, "FWP_MATCH_FLAGS_ANY_SET", "flags_any_set"},
    {MatchType::kFlagsNoneSet, "FWP_MATCH_FLAGS_NONE_SET", "flags_none_set"},
    {MatchType::kEqualCaseInsensitive, "FWP_MATCH_EQUAL_CASE_INSENSITIVE",
     "equal_case_insensitive"},
    {MatchType::kNotEqual, "FWP_MATCH_NOT_EQUAL", "not_equal"},
    {MatchType::kPrefix, "FWP_MATCH_PREFIX", "prefix"},
    {MatchType::kNotPrefix, "FWP_MATCH_NOT_PREFIX", "not_prefix"},
}};

struct ActionName {
  ActionType type;
  std::string_view name;
  std::string_view alias;
};

constexpr std::array<ActionName, 5> kActionNames{{
    {ActionType::kBlock, "FWP_ACTION_BLOCK", "block"},
    {ActionType::kPermit, "FWP_ACTION_PERMIT", "permit"},
    {ActionType::kCalloutTerminating, "FWP_ACTION_CALLOUT_TERMINATING", "callout_terminating"},
    {ActionType::kCalloutInspection, "FWP_ACTION_CALLOUT_INSPECTION", "callout_inspection"},
    {ActionType::kCalloutUnknown, "FWP_ACTION_CALLOUT_UNKNOWN", "callout_unknown"},
}};

struct FlagName {
  std::uint32_t bit;
  std::string_view name;
};

constexpr std::array<FlagName, 12> kFilterFlagNames{{
    {filter_flag::kPersistent, "FWPM_FILTER_FLAG_PERSISTENT"},
    {filter_flag::kBoottime, "FWPM_FILTER_FLAG_BOOTTIME"},
    {filter_flag::kHasProviderContext, "FWPM_FILTER_FLAG_HAS_PROVIDER_CONTEXT"},
    {filter_flag::kClearActionRight, "FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT"},
    {filter_flag::kPermitIfCalloutUnregistered, "FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED"},
    {filter_flag::kDisabled, "FWPM_FILTER_FLAG_DISABLED"},
    {filter_flag::kIndexed, "FWPM_FILTER_FLAG_INDEXED"},
    {filter_flag::kHasSecurityRealmProviderContext,
     "FWPM_FILTER_FLAG_HAS_SECURITY_REALM_PROVIDER_CONTEXT"},
    {filter_flag::kSystemOsOnly, "FWPM_FILTER_FLAG_SYSTEMOS_ONLY"},
    {filter_flag::kGameOsOnly, "FWPM_FILTER_FLAG_GAMEOS_ONLY"},
    {filter_flag::kSilentMode, "FWPM_FILTER_FLAG_SILENT_MODE"},
    {filter_flag::kIpsecNoAcquireInitiate, "FWPM_FILTER_FLAG_IPSEC_NO_ACQUIRE_INITIATE"},
}};

// fwpmtypes.h: FWPM_PROVIDER_FLAG_*, FWPM_SUBLAYER_FLAG_*, FWPM_CALLOUT_FLAG_*.
constexpr std::array<FlagName, 2> kProviderFlagNames{{
    {0x1, "FWPM_PROVIDER_FLAG_PERSISTENT"},
    {0x10, "FWPM_PROVIDER_FLAG_DISABLED"},
}};
constexpr std::array<FlagName, 1> kSublayerFlagNames{{{0x1, "FWPM_SUBLAYER_FLAG_PERSISTENT"}}};
constexpr std::array<FlagName, 3> kCalloutFlagNames{{
    {0x10000, "FWPM_CALLOUT_FLAG_PERSISTENT"},
    {0x20000, "FWPM_CALLOUT_FLAG_USES_PROVIDER_CONTEXT"},
    {0x40000, "FWPM_CALLOUT_FLAG_REGISTERED"},
}};

struct FlagTable {
  std::span<const FlagName> names;
  std::string_view prefix;
};

FlagTable flag_table(FlagKind kind) {
  switch (kind) {
    case FlagKind::kFilter:
      return {kFilterFlagNames, "FWPM_FILTER_FLAG_"};
    case FlagKind::kProvider:
      return {kProviderFlagNames, "FWPM_PROVIDER_FLAG_"};
    case FlagKind::kSublayer:
      return {kSublayerFlagNames, "FWPM_SUBLAYER_FLAG_"};
    case FlagKind::kCallout:
      return {kCalloutFlagNames, "FWPM_CALLOUT_FLAG_"};
  }
  return {};
}

}  // namespace

std::string_view match_type_name(MatchType type) {
  return kMatchNames[static_cast<std::size_t>(type)].name;
}
std::string_view match_type_alias(MatchType type) {
  return kMatchNames[static_cast<std::size_t>(type)].alias;
}
std::optional<MatchType> match_type_from_text(std::string_view text) {
  for (const auto& m : kMatchNames) {
    if (ascii_iequals(text, m.name) || ascii_iequals(text, m.alias)) return m.type;
  }
  return std::nullopt;
}

std::string_view action_type_name(ActionType type) {
  return kActionNames[static_cast<std::size_t>(type)].name;
}
std::string_view action_type_alias(ActionType type) {
  return kActionNames[static_cast<std::size_t>(type)].alias;
}
std::optional<ActionType> action_type_from_text(std::string_view text) {
  for (const auto& a : kActionNames) {
    if (ascii_iequals(text, a.name) || ascii_iequals(text, a.alias)) return a.type;
  }
  return std::nullopt;
}

bool is_callout_action(ActionType type) {
  return type == ActionType::kCalloutTerminating || type == ActionType::kCalloutInspection ||
         type == ActionType::kCalloutUnknown;
}

std::optional<std::uint32_t> flag_from_text(FlagKind kind, std::string_view text) {
  const FlagTable table = flag_table(kind);
  for (const auto& f : table.names) {
    if (ascii_iequals(text, f.name) || ascii_iequals(text, f.name.substr(table.prefix.size()))) {
      return f.bit;
    }
  }
  // A single bit without a name, as flag_names prints it.
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    std::uint32_t bit = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data() + 2, end, bit, 16);
    const bool single_bit = ec == std::errc() && ptr == end && bit != 0 && (bit & (bit - 1)) == 0;
    const bool has_name = std::any_of(table.names.begin(), table.names.end(),
                                      [bit](const FlagName& f) { return f.bit == bit; });
    // A bit that has a name is written by its name.
    if (single_bit && !has_name) return bit;
  }
  return std::nullopt;
}

std::vector<std::string> flag_names(FlagKind kind, std::uint32_t flags) {
  const FlagTable table = flag_table(kind);
  std::vector<std::string> names;
  for (std::uint32_t bit = 1; bit != 0; bit <<= 1U) {
    if ((flags & bit) == 0) continue;
    auto it = std::find_if(table.names.begin(), table.names.end(),
                           [bit](const FlagName& f) { return f.bit == bit; });
    if (it != table.names.end()) {
      names.emplace_back(it->name);
    } else {
      char buffer[16];
      std::snprintf(buffer, sizeof buffer, "0x%x", bit);
      names.emplace_back(buffer);
    }
  }
  return names;
}

std::optional<std::uint32_t> filter_flag_from_text(std::string_view text) {
  return flag_from_text(FlagKind::kFilter, text);
}

std::vector<std::string> filter_flag_names(std::uint32_t flags) {
  return flag_names(FlagKind::kFilter, flags);
}

namespace well_known {
Guid universal_sublayer() {
  // fwpmu.h: FWPM_SUBLAYER_UNIVERSAL
  static const Guid kGuid = *Guid::parse("{eebecc03-ced4-4380-819a-2734397b2b74}");
  return kGuid;
}
}  // namespace well_known

}  // namespace openfwp::model
