// SPDX-License-Identifier: Apache-2.0
// WFP spellings of match types, actions and filter flags, both ways; the enums' numeric values;
// the well-known universal sublayer; Filter's defaults.
#include "model/filter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace openfwp::model {
namespace {

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string to_upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

struct MatchName {
  MatchType type;
  std::string_view name;
  std::string_view alias;
};

const std::vector<MatchName>& match_names() {
  static const std::vector<MatchName> names = {
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
  };
  return names;
}

TEST(MatchTypeNames, EnumeratorsHaveFwptypesNumbering) {
  // fwptypes.h: FWP_MATCH_EQUAL = 0 … FWP_MATCH_NOT_PREFIX = 12; netsh dumps may use numbers.
  ASSERT_EQ(match_names().size(), kMatchTypeCount);
  for (std::size_t i = 0; i < match_names().size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(match_names()[i].type), i) << match_names()[i].name;
  }
}

TEST(MatchTypeNames, NameAndAliasOfEveryMatchType) {
  for (const auto& m : match_names()) {
    EXPECT_EQ(match_type_name(m.type), m.name);
    EXPECT_EQ(match_type_alias(m.type), m.alias);
  }
}

TEST(MatchTypeNames, ParsesNameAndAliasInAnyCase) {
  for (const auto& m : match_names()) {
    const auto want = std::optional<MatchType>(m.type);
    EXPECT_EQ(match_type_from_text(m.name), want) << m.name;
    EXPECT_EQ(match_type_from_text(m.alias), want) << m.alias;
    const std::string lower_name = to_lower(m.name);
    EXPECT_EQ(match_type_from_text(lower_name), want) << lower_name;
    const std::string upper_alias = to_upper(m.alias);
    EXPECT_EQ(match_type_from_text(upper_alias), want) << upper_alias;
  }
}

TEST(MatchTypeNames, RejectsUnknownText) {
  for (auto text : {"", "FWP_MATCH_", "eq", "FWP_MATCH_EQUALS", "MATCH_EQUAL", "FWP_MATCH_TYPE_MAX",
                    " equal"}) {
    EXPECT_FALSE(match_type_from_text(text)) << '"' << text << '"';
  }
}

struct ActionName {
  ActionType type;
  std::string_view name;
  std::string_view alias;
  bool callout;
};

TEST(ActionTypeNames, NameAliasAndCalloutnessOfEveryAction) {
  const std::vector<ActionName> actions = {
      {ActionType::kBlock, "FWP_ACTION_BLOCK", "block", false},
      {ActionType::kPermit, "FWP_ACTION_PERMIT", "permit", false},
      {ActionType::kCalloutTerminating, "FWP_ACTION_CALLOUT_TERMINATING", "callout_terminating",
       true},
      {ActionType::kCalloutInspection, "FWP_ACTION_CALLOUT_INSPECTION", "callout_inspection", true},
      {ActionType::kCalloutUnknown, "FWP_ACTION_CALLOUT_UNKNOWN", "callout_unknown", true},
  };
  for (const auto& a : actions) {
    SCOPED_TRACE(a.name);
    EXPECT_EQ(action_type_name(a.type), a.name);
    EXPECT_EQ(action_type_alias(a.type), a.alias);
    EXPECT_EQ(action_type_from_text(a.name), std::optional<ActionType>(a.type));
    EXPECT_EQ(action_type_from_text(a.alias), std::optional<ActionType>(a.type));
    EXPECT_EQ(is_callout_action(a.type), a.callout);
  }
  EXPECT_EQ(action_type_from_text("Permit"), std::optional<ActionType>(ActionType::kPermit));
  EXPECT_EQ(action_type_from_text("fwp_action_block"),
            std::optional<ActionType>(ActionType::kBlock));
}

TEST(ActionTypeNames, RejectsUnknownText) {
  for (auto text : {"", "allow", "deny", "FWP_ACTION_CONTINUE", "callout", "FWP_ACTION_"}) {
    EXPECT_FALSE(action_type_from_text(text)) << '"' << text << '"';
  }
}

struct FlagName {
  std::uint32_t bit;
  std::string_view name;
};

const std::vector<FlagName>& flag_names() {
  static const std::vector<FlagName> flags = {
      {filter_flag::kPersistent, "FWPM_FILTER_FLAG_PERSISTENT"},
      {filter_flag::kBoottime, "FWPM_FILTER_FLAG_BOOTTIME"},
      {filter_flag::kHasProviderContext, "FWPM_FILTER_FLAG_HAS_PROVIDER_CONTEXT"},
      {filter_flag::kClearActionRight, "FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT"},
      {filter_flag::kPermitIfCalloutUnregistered,
       "FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED"},
      {filter_flag::kDisabled, "FWPM_FILTER_FLAG_DISABLED"},
      {filter_flag::kIndexed, "FWPM_FILTER_FLAG_INDEXED"},
      {filter_flag::kHasSecurityRealmProviderContext,
       "FWPM_FILTER_FLAG_HAS_SECURITY_REALM_PROVIDER_CONTEXT"},
      {filter_flag::kSystemOsOnly, "FWPM_FILTER_FLAG_SYSTEMOS_ONLY"},
      {filter_flag::kGameOsOnly, "FWPM_FILTER_FLAG_GAMEOS_ONLY"},
      {filter_flag::kSilentMode, "FWPM_FILTER_FLAG_SILENT_MODE"},
      {filter_flag::kIpsecNoAcquireInitiate, "FWPM_FILTER_FLAG_IPSEC_NO_ACQUIRE_INITIATE"},
  };
  return flags;
}

TEST(FilterFlagNames, FlagBitsHaveFwpmtypesValues) {
  std::uint32_t expected = 1;
  for (const auto& f : flag_names()) {
    EXPECT_EQ(f.bit, expected) << f.name;
    expected <<= 1U;
  }
}

TEST(FilterFlagNames, ParsesFullAndShortNamesInAnyCase) {
  for (const auto& f : flag_names()) {
    const auto want = std::optional<std::uint32_t>(f.bit);
    const std::string_view short_name = f.name.substr(17);
    EXPECT_EQ(filter_flag_from_text(f.name), want) << f.name;
    EXPECT_EQ(filter_flag_from_text(short_name), want) << short_name;
    const std::string lower_short = to_lower(short_name);
    EXPECT_EQ(filter_flag_from_text(lower_short), want) << lower_short;
  }
}

TEST(FilterFlagNames, RejectsUnknownFlagText) {
  for (auto text : {"", "FWPM_FILTER_FLAG_", "FWPM_FILTER_FLAG_NONE", "PERSIST", "0x1",
                    "persistent|boottime"}) {
    EXPECT_FALSE(filter_flag_from_text(text)) << '"' << text << '"';
  }
}

TEST(FilterFlagNames, NamesSetBitsInBitOrder) {
  EXPECT_TRUE(filter_flag_names(0).empty());
  EXPECT_EQ(filter_flag_names(filter_flag::kClearActionRight | filter_flag::kPersistent),
            (std::vector<std::string>{"FWPM_FILTER_FLAG_PERSISTENT",
                                      "FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT"}));
  for (const auto& f : flag_names()) {
    EXPECT_EQ(filter_flag_names(f.bit), std::vector<std::string>{std::string(f.name)});
  }
}

TEST(FilterFlagNames, UnknownBitsPrintAsHex) {
  EXPECT_EQ(filter_flag_names(0x1000), std::vector<std::string>{"0x1000"});
  EXPECT_EQ(filter_flag_names(0x80000001U),
            (std::vector<std::string>{"FWPM_FILTER_FLAG_PERSISTENT", "0x80000000"}));
}

TEST(FilterFlagNames, EveryNamedSetRoundTripsThroughItsNames) {
  for (std::uint32_t flags : {0x0U, 0x9U, 0x30U, 0xfffU, 0x555U}) {
    std::uint32_t rebuilt = 0;
    for (const auto& name : filter_flag_names(flags)) {
      auto bit = filter_flag_from_text(name);
      ASSERT_TRUE(bit) << name;
      rebuilt |= *bit;
    }
    EXPECT_EQ(rebuilt, flags);
  }
}

TEST(WellKnown, UniversalSublayerIsFwpmSublayerUniversal) {
  EXPECT_EQ(well_known::universal_sublayer().to_string(), "{eebecc03-ced4-4380-819a-2734397b2b74}");
}

TEST(Filter, DefaultsAreBlockWithEmptyWeightNoFlagsAndUniversalSublayer) {
  const Filter filter;
  EXPECT_EQ(filter.action, ActionType::kBlock);
  EXPECT_EQ(filter.weight.kind, Weight::Kind::kEmpty);
  EXPECT_EQ(filter.flags, 0U);
  EXPECT_TRUE(filter.sublayer.is_null());
  EXPECT_FALSE(filter.callout);
  EXPECT_FALSE(filter.provider);
  EXPECT_TRUE(filter.conditions.empty());
  EXPECT_EQ(filter.id, 0U);
}

}  // namespace
}  // namespace openfwp::model
