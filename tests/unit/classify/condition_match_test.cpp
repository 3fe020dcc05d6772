// SPDX-License-Identifier: Apache-2.0
// condition_matches: the semantics of every FWP_MATCH_* type for every value type it accepts,
// at the boundaries (range ends, GREATER vs GREATER_OR_EQUAL at equality, /0 and full-length
// prefixes), and the rule that an empty incoming value matches nothing.
// WFP: FWP_MATCH_TYPE enumeration (fwptypes.h) — "tests whether the value <op> the condition
// value": the incoming value is the left operand.
#include "classify/condition_match.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace openfwp::classify {
namespace {

using model::ByteArray16;
using model::ByteArray6;
using model::ByteBlob;
using model::Condition;
using model::ConditionValue;
using model::FieldId;
using model::MatchType;
using model::Range;
using model::SecurityDescriptor;
using model::Sid;
using model::UnicodeString;
using model::Value;

// condition_matches does not consult the catalog, so the field is irrelevant here.
bool holds(MatchType match, const ConditionValue& condition, const Value& incoming) {
  return condition_matches(Condition{FieldId{}, match, condition}, incoming);
}

ByteArray16 v6(std::string_view text) {
  auto address = parse_ipv6(text);
  EXPECT_TRUE(address) << text;
  return address.value_or(ByteArray16{});
}

Ipv4Address v4(std::string_view text) {
  auto address = parse_ipv4(text);
  EXPECT_TRUE(address) << text;
  return address.value_or(0);
}

ByteBlob blob(std::string_view text) { return ByteBlob{{text.begin(), text.end()}}; }

struct Case {
  std::string name;
  MatchType match;
  ConditionValue condition;
  Value incoming;
  bool expected;
};

void expect_cases(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    EXPECT_EQ(holds(c.match, c.condition, c.incoming), c.expected)
        << c.name << " (" << model::match_type_name(c.match) << ")";
  }
}

// ---- FWP_MATCH_EQUAL ------------------------------------------------------------------------

TEST(ConditionMatch, EqualComparesEachUnsignedWidth) {
  expect_cases({
      {"uint8 same", MatchType::kEqual, std::uint8_t{6}, std::uint8_t{6}, true},
      {"uint8 other", MatchType::kEqual, std::uint8_t{6}, std::uint8_t{17}, false},
      {"uint16 same", MatchType::kEqual, std::uint16_t{80}, std::uint16_t{80}, true},
      {"uint16 other", MatchType::kEqual, std::uint16_t{80}, std::uint16_t{81}, false},
      {"uint32 same", MatchType::kEqual, std::uint32_t{0xdeadbeef}, std::uint32_t{0xdeadbeef},
       true},
      {"uint32 other", MatchType::kEqual, std::uint32_t{0xdeadbeef}, std::uint32_t{0}, false},
      {"uint64 max", MatchType::kEqual, std::numeric_limits<std::uint64_t>::max(),
       std::numeric_limits<std::uint64_t>::max(), true},
      {"uint64 other", MatchType::kEqual, std::uint64_t{1}, std::uint64_t{1ULL << 32U}, false},
  });
}

TEST(ConditionMatch, EqualNeverMatchesAcrossValueTypes) {
  expect_cases({
      {"uint16 vs uint32", MatchType::kEqual, std::uint16_t{80}, std::uint32_t{80}, false},
      {"uint8 vs uint16", MatchType::kEqual, std::uint8_t{6}, std::uint16_t{6}, false},
      {"blob vs string", MatchType::kEqual, blob("a"), UnicodeString{"a"}, false},
      {"sid vs string", MatchType::kEqual, Sid{"S-1-5-18"}, UnicodeString{"S-1-5-18"}, false},
  });
}

TEST(ConditionMatch, EqualComparesV4AddressesAsUint32) {
  expect_cases({
      {"same", MatchType::kEqual, v4("10.0.0.1"), v4("10.0.0.1"), true},
      {"other", MatchType::kEqual, v4("10.0.0.1"), v4("10.0.0.2"), false},
  });
}

TEST(ConditionMatch, EqualComparesV6AddressesByteForByte) {
  expect_cases({
      {"same", MatchType::kEqual, v6("2001:db8::1"), v6("2001:db8::1"), true},
      {"last byte differs", MatchType::kEqual, v6("2001:db8::1"), v6("2001:db8::2"), false},
      {"first byte differs", MatchType::kEqual, v6("2001:db8::1"), v6("3001:db8::1"), false},
  });
}

TEST(ConditionMatch, EqualComparesMacAddressesBlobsSidsAndStringsExactly) {
  const ByteArray6 mac{0, 0x11, 0x22, 0x33, 0x44, 0x55};
  ByteArray6 other_mac = mac;
  other_mac[5] = 0x56;
  expect_cases({
      {"mac same", MatchType::kEqual, mac, mac, true},
      {"mac other", MatchType::kEqual, mac, other_mac, false},
      {"blob same", MatchType::kEqual, blob("c:\\a.exe"), blob("c:\\a.exe"), true},
      {"blob case differs", MatchType::kEqual, blob("c:\\a.exe"), blob("C:\\a.exe"), false},
      {"blob longer", MatchType::kEqual, blob("c:\\a.exe"), blob("c:\\a.exe2"), false},
      {"sid same", MatchType::kEqual, Sid{"S-1-5-18"}, Sid{"S-1-5-18"}, true},
      {"sid other", MatchType::kEqual, Sid{"S-1-5-18"}, Sid{"S-1-5-19"}, false},
      {"string same", MatchType::kEqual, UnicodeString{"Name"}, UnicodeString{"Name"}, true},
      {"string case differs", MatchType::kEqual, UnicodeString{"Name"}, UnicodeString{"name"},
       false},
  });
}

TEST(ConditionMatch, EqualWithV4PrefixTestsContainment) {
  const Ipv4Prefix ten{v4("10.0.0.0"), 8};
  expect_cases({
      {"network address", MatchType::kEqual, ten, v4("10.0.0.0"), true},
      {"last address", MatchType::kEqual, ten, v4("10.255.255.255"), true},
      {"just below", MatchType::kEqual, ten, v4("9.255.255.255"), false},
      {"just above", MatchType::kEqual, ten, v4("11.0.0.0"), false},
      {"/0 lowest", MatchType::kEqual, Ipv4Prefix{0, 0}, v4("0.0.0.0"), true},
      {"/0 highest", MatchType::kEqual, Ipv4Prefix{0, 0}, v4("255.255.255.255"), true},
      {"/32 itself", MatchType::kEqual, Ipv4Prefix{v4("10.0.0.1"), 32}, v4("10.0.0.1"), true},
      {"/32 neighbour", MatchType::kEqual, Ipv4Prefix{v4("10.0.0.1"), 32}, v4("10.0.0.2"), false},
      {"/31 pair", MatchType::kEqual, Ipv4Prefix{v4("10.0.0.2"), 31}, v4("10.0.0.3"), true},
      {"V4 prefix vs V6 address", MatchType::kEqual, Ipv4Prefix{0, 0}, v6("::"), false},
      {"V4 prefix vs uint16", MatchType::kEqual, Ipv4Prefix{0, 0}, std::uint16_t{0}, false},
  });
}

TEST(ConditionMatch, EqualWithV6PrefixTestsContainment) {
  const Ipv6Prefix doc{v6("2001:db8::"), 32};
  expect_cases({
      {"inside", MatchType::kEqual, doc, v6("2001:db8:ffff::1"), true},
      {"first", MatchType::kEqual, doc, v6("2001:db8::"), true},
      {"outside", MatchType::kEqual, doc, v6("2001:db9::"), false},
      {"/0 everything", MatchType::kEqual, Ipv6Prefix{ByteArray16{}, 0},
       v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), true},
      {"/128 itself", MatchType::kEqual, Ipv6Prefix{v6("2001:db8::1"), 128}, v6("2001:db8::1"),
       true},
      {"/128 neighbour", MatchType::kEqual, Ipv6Prefix{v6("2001:db8::1"), 128}, v6("2001:db8::"),
       false},
      {"/65 boundary in", MatchType::kEqual, Ipv6Prefix{v6("2001:db8:0:0:8000::"), 65},
       v6("2001:db8:0:0:ffff::"), true},
      {"/65 boundary out", MatchType::kEqual, Ipv6Prefix{v6("2001:db8:0:0:8000::"), 65},
       v6("2001:db8:0:0:7fff::"), false},
      {"V6 prefix vs uint32", MatchType::kEqual, Ipv6Prefix{ByteArray16{}, 0}, std::uint32_t{0},
       false},
  });
}

TEST(ConditionMatch, EqualWithARangeNeverMatches) {
  EXPECT_FALSE(
      holds(MatchType::kEqual, Range{std::uint16_t{0}, std::uint16_t{65535}}, std::uint16_t{80}));
}

// ---- FWP_MATCH_NOT_EQUAL --------------------------------------------------------------------

TEST(ConditionMatch, NotEqualIsTheNegationOfEqualForPresentValues) {
  expect_cases({
      {"uint16 same", MatchType::kNotEqual, std::uint16_t{80}, std::uint16_t{80}, false},
      {"uint16 other", MatchType::kNotEqual, std::uint16_t{80}, std::uint16_t{443}, true},
      {"uint64 other", MatchType::kNotEqual, std::uint64_t{1}, std::uint64_t{2}, true},
      {"v6 same", MatchType::kNotEqual, v6("::1"), v6("::1"), false},
      {"v6 other", MatchType::kNotEqual, v6("::1"), v6("::2"), true},
      {"blob other", MatchType::kNotEqual, blob("a"), blob("b"), true},
      {"sid same", MatchType::kNotEqual, Sid{"S-1-5-18"}, Sid{"S-1-5-18"}, false},
      {"string other", MatchType::kNotEqual, UnicodeString{"a"}, UnicodeString{"A"}, true},
      {"v4 prefix inside", MatchType::kNotEqual, Ipv4Prefix{v4("10.0.0.0"), 8}, v4("10.1.1.1"),
       false},
      {"v4 prefix outside", MatchType::kNotEqual, Ipv4Prefix{v4("10.0.0.0"), 8}, v4("11.1.1.1"),
       true},
      {"v6 prefix outside", MatchType::kNotEqual, Ipv6Prefix{v6("2001:db8::"), 32},
       v6("2001:db9::"), true},
  });
}

// ---- GREATER / LESS / GREATER_OR_EQUAL / LESS_OR_EQUAL --------------------------------------

// below < condition == equal < above, for one value type.
void expect_ordering(const std::string& name, const ConditionValue& condition, const Value& below,
                     const Value& equal, const Value& above) {
  expect_cases({
      {name + " below", MatchType::kGreater, condition, below, false},
      {name + " equal", MatchType::kGreater, condition, equal, false},
      {name + " above", MatchType::kGreater, condition, above, true},
      {name + " below", MatchType::kGreaterOrEqual, condition, below, false},
      {name + " equal", MatchType::kGreaterOrEqual, condition, equal, true},
      {name + " above", MatchType::kGreaterOrEqual, condition, above, true},
      {name + " below", MatchType::kLess, condition, below, true},
      {name + " equal", MatchType::kLess, condition, equal, false},
      {name + " above", MatchType::kLess, condition, above, false},
      {name + " below", MatchType::kLessOrEqual, condition, below, true},
      {name + " equal", MatchType::kLessOrEqual, condition, equal, true},
      {name + " above", MatchType::kLessOrEqual, condition, above, false},
  });
}

TEST(ConditionMatch, OrderingComparesIncomingAgainstConditionWithStrictnessAtEquality) {
  expect_ordering("uint8", std::uint8_t{10}, std::uint8_t{9}, std::uint8_t{10}, std::uint8_t{11});
  expect_ordering("uint16", std::uint16_t{1024}, std::uint16_t{1023}, std::uint16_t{1024},
                  std::uint16_t{1025});
  expect_ordering("uint32", std::uint32_t{0x80000000}, std::uint32_t{0x7fffffff},
                  std::uint32_t{0x80000000}, std::uint32_t{0x80000001});
  expect_ordering("uint64", std::uint64_t{1ULL << 63U}, std::uint64_t{(1ULL << 63U) - 1},
                  std::uint64_t{1ULL << 63U}, std::uint64_t{(1ULL << 63U) + 1});
  expect_ordering("v4 address", v4("10.0.0.5"), v4("10.0.0.4"), v4("10.0.0.5"), v4("10.0.0.6"));
  expect_ordering("v6 address", v6("2001:db8::5"), v6("2001:db8::4"), v6("2001:db8::5"),
                  v6("2001:db8::6"));
}

TEST(ConditionMatch, OrderingAtTheEndsOfEachWidth) {
  expect_cases({
      {"uint8 0 > 0", MatchType::kGreater, std::uint8_t{0}, std::uint8_t{0}, false},
      {"uint8 255 >= 255", MatchType::kGreaterOrEqual, std::uint8_t{255}, std::uint8_t{255}, true},
      {"uint16 max > max-1", MatchType::kGreater, std::uint16_t{65534}, std::uint16_t{65535}, true},
      {"uint64 0 < max", MatchType::kLess, std::numeric_limits<std::uint64_t>::max(),
       std::uint64_t{0}, true},
      {"uint64 max <= max", MatchType::kLessOrEqual, std::numeric_limits<std::uint64_t>::max(),
       std::numeric_limits<std::uint64_t>::max(), true},
  });
}

TEST(ConditionMatch, V6AddressesOrderAsBigEndianNumbers) {
  // A difference in the first byte outweighs any difference later on.
  expect_cases({
      {"1:: > ::ffff", MatchType::kGreater, v6("::ffff"), v6("1::"), true},
      {"::ffff < 1::", MatchType::kLess, v6("1::"), v6("::ffff"), true},
  });
}

TEST(ConditionMatch, OrderingNeverMatchesAcrossValueTypes) {
  for (auto match : {MatchType::kGreater, MatchType::kLess, MatchType::kGreaterOrEqual,
                     MatchType::kLessOrEqual}) {
    EXPECT_FALSE(holds(match, std::uint16_t{80}, std::uint32_t{80}))
        << model::match_type_name(match);
    EXPECT_FALSE(holds(match, std::uint32_t{80}, std::uint16_t{80}))
        << model::match_type_name(match);
    EXPECT_FALSE(holds(match, Ipv4Prefix{0, 0}, std::uint32_t{1})) << model::match_type_name(match);
  }
}

TEST(ConditionMatch, OrderingComparesStringsAndBlobs) {
  expect_ordering("string", UnicodeString{"m"}, UnicodeString{"l"}, UnicodeString{"m"},
                  UnicodeString{"n"});
  expect_ordering("blob", blob("m"), blob("l"), blob("m"), blob("n"));
}

// ---- FWP_MATCH_RANGE ------------------------------------------------------------------------

template <class T>
void expect_range_of(const std::string& name, T low, T high) {
  const Range range{low, high};
  expect_cases({
      {name + " below low", MatchType::kRange, range, static_cast<T>(low - 1), false},
      {name + " low end", MatchType::kRange, range, low, true},
      {name + " middle", MatchType::kRange, range, static_cast<T>(low + (high - low) / 2), true},
      {name + " high end", MatchType::kRange, range, high, true},
      {name + " above high", MatchType::kRange, range, static_cast<T>(high + 1), false},
  });
}

TEST(ConditionMatch, RangeIncludesBothEndsForEveryUnsignedWidth) {
  expect_range_of<std::uint8_t>("uint8", 10, 20);
  expect_range_of<std::uint16_t>("uint16", 1024, 49151);
  expect_range_of<std::uint32_t>("uint32", 0x0a000001, 0x0a0000fe);
  expect_range_of<std::uint64_t>("uint64", 1ULL << 40U, (1ULL << 41U) - 1);
}

TEST(ConditionMatch, SinglePointRangeMatchesOnlyThatPoint) {
  const Range port80{std::uint16_t{80}, std::uint16_t{80}};
  EXPECT_TRUE(holds(MatchType::kRange, port80, std::uint16_t{80}));
  EXPECT_FALSE(holds(MatchType::kRange, port80, std::uint16_t{79}));
  EXPECT_FALSE(holds(MatchType::kRange, port80, std::uint16_t{81}));
}

TEST(ConditionMatch, FullRangeMatchesBothExtremes) {
  const Range all{std::uint16_t{0}, std::uint16_t{65535}};
  EXPECT_TRUE(holds(MatchType::kRange, all, std::uint16_t{0}));
  EXPECT_TRUE(holds(MatchType::kRange, all, std::uint16_t{65535}));
  const Range all64{std::uint64_t{0}, std::numeric_limits<std::uint64_t>::max()};
  EXPECT_TRUE(holds(MatchType::kRange, all64, std::numeric_limits<std::uint64_t>::max()));
}

TEST(ConditionMatch, RangeOfV6AddressesIncludesBothEnds) {
  const Range range{v6("2001:db8::1"), v6("2001:db8::ff")};
  expect_cases({
      {"below", MatchType::kRange, range, v6("2001:db8::"), false},
      {"low end", MatchType::kRange, range, v6("2001:db8::1"), true},
      {"middle", MatchType::kRange, range, v6("2001:db8::80"), true},
      {"high end", MatchType::kRange, range, v6("2001:db8::ff"), true},
      {"above", MatchType::kRange, range, v6("2001:db8::100"), false},
      {"other network", MatchType::kRange, range, v6("2001:db9::80"), false},
  });
}

TEST(ConditionMatch, RangeOfV4AddressesIncludesBothEnds) {
  const Range range{v4("198.18.0.0"), v4("198.19.255.255")};
  EXPECT_TRUE(holds(MatchType::kRange, range, v4("198.18.0.0")));
  EXPECT_TRUE(holds(MatchType::kRange, range, v4("198.19.255.255")));
  EXPECT_FALSE(holds(MatchType::kRange, range, v4("198.17.255.255")));
  EXPECT_FALSE(holds(MatchType::kRange, range, v4("198.20.0.0")));
}

TEST(ConditionMatch, RangeNeverMatchesAnotherValueTypeOrANonRangeCondition) {
  EXPECT_FALSE(
      holds(MatchType::kRange, Range{std::uint16_t{0}, std::uint16_t{65535}}, std::uint32_t{80}));
  EXPECT_FALSE(holds(MatchType::kRange, std::uint16_t{80}, std::uint16_t{80}));
  EXPECT_FALSE(holds(MatchType::kRange, Ipv4Prefix{0, 0}, std::uint32_t{80}));
}

// ---- FLAGS_ALL_SET / FLAGS_ANY_SET / FLAGS_NONE_SET -----------------------------------------

template <class T>
void expect_flags_of(const std::string& name, T a, T b, T c) {
  // mask = a|c; a, b, c are distinct single bits.
  const T mask = static_cast<T>(a | c);
  expect_cases({
      {name + " all: exactly the mask", MatchType::kFlagsAllSet, mask, mask, true},
      {name + " all: mask plus more", MatchType::kFlagsAllSet, mask, static_cast<T>(a | b | c),
       true},
      {name + " all: only part", MatchType::kFlagsAllSet, mask, a, false},
      {name + " all: none", MatchType::kFlagsAllSet, mask, T{0}, false},
      {name + " any: one of them", MatchType::kFlagsAnySet, mask, c, true},
      {name + " any: other bit only", MatchType::kFlagsAnySet, mask, b, false},
      {name + " any: none", MatchType::kFlagsAnySet, mask, T{0}, false},
      {name + " none: other bit only", MatchType::kFlagsNoneSet, mask, b, true},
      {name + " none: zero", MatchType::kFlagsNoneSet, mask, T{0}, true},
      {name + " none: one of them", MatchType::kFlagsNoneSet, mask, a, false},
  });
}

TEST(ConditionMatch, FlagsAllAnyNoneSetForEveryUnsignedWidth) {
  expect_flags_of<std::uint8_t>("uint8", 0x01, 0x02, 0x80);
  expect_flags_of<std::uint16_t>("uint16", 0x0001, 0x0100, 0x8000);
  expect_flags_of<std::uint32_t>("uint32", 0x00000001, 0x00000004, 0x80000000);
  expect_flags_of<std::uint64_t>("uint64", 1ULL, 1ULL << 32U, 1ULL << 63U);
}

TEST(ConditionMatch, FlagsWithAnEmptyMask) {
  // (value & 0) == 0: every value has all and none of no flags, and not any.
  EXPECT_TRUE(holds(MatchType::kFlagsAllSet, std::uint32_t{0}, std::uint32_t{5}));
  EXPECT_FALSE(holds(MatchType::kFlagsAnySet, std::uint32_t{0}, std::uint32_t{5}));
  EXPECT_TRUE(holds(MatchType::kFlagsNoneSet, std::uint32_t{0}, std::uint32_t{5}));
}

TEST(ConditionMatch, FlagsNeverMatchNonIntegers) {
  for (auto match : {MatchType::kFlagsAllSet, MatchType::kFlagsAnySet, MatchType::kFlagsNoneSet}) {
    EXPECT_FALSE(holds(match, std::uint32_t{1}, blob("a"))) << model::match_type_name(match);
    EXPECT_FALSE(holds(match, std::uint32_t{1}, v6("::1"))) << model::match_type_name(match);
    EXPECT_FALSE(holds(match, Ipv4Prefix{0, 0}, std::uint32_t{1})) << model::match_type_name(match);
  }
}

// ---- EQUAL_CASE_INSENSITIVE -----------------------------------------------------------------

TEST(ConditionMatch, EqualCaseInsensitiveIgnoresCaseOnStringsAndBlobs) {
  expect_cases({
      {"string same", MatchType::kEqualCaseInsensitive, UnicodeString{"Hello"},
       UnicodeString{"Hello"}, true},
      {"string case differs", MatchType::kEqualCaseInsensitive, UnicodeString{"Hello"},
       UnicodeString{"hELLO"}, true},
      {"string longer", MatchType::kEqualCaseInsensitive, UnicodeString{"Hello"},
       UnicodeString{"Hello!"}, false},
      {"string other", MatchType::kEqualCaseInsensitive, UnicodeString{"Hello"},
       UnicodeString{"Jello"}, false},
      {"blob case differs", MatchType::kEqualCaseInsensitive, blob("C:\\A.EXE"), blob("c:\\a.exe"),
       true},
      {"blob other", MatchType::kEqualCaseInsensitive, blob("c:\\a.exe"), blob("c:\\b.exe"), false},
  });
}

TEST(ConditionMatch, EqualCaseInsensitiveNeverMatchesNonText) {
  EXPECT_FALSE(holds(MatchType::kEqualCaseInsensitive, std::uint16_t{80}, std::uint16_t{80}));
  EXPECT_FALSE(holds(MatchType::kEqualCaseInsensitive, Sid{"S-1-5-18"}, Sid{"S-1-5-18"}));
  EXPECT_FALSE(holds(MatchType::kEqualCaseInsensitive, UnicodeString{"a"}, std::uint8_t{'a'}));
}

// ---- PREFIX / NOT_PREFIX --------------------------------------------------------------------
// Cases where "starts with" and "ends with" agree; the difference is tested separately below.

TEST(ConditionMatch, PrefixOnStringsAndBlobs) {
  expect_cases({
      {"string whole", MatchType::kPrefix, UnicodeString{"abc"}, UnicodeString{"abc"}, true},
      {"string empty condition", MatchType::kPrefix, UnicodeString{""}, UnicodeString{"abc"}, true},
      {"string longer condition", MatchType::kPrefix, UnicodeString{"abcd"}, UnicodeString{"abc"},
       false},
      {"string unrelated", MatchType::kPrefix, UnicodeString{"xyz"}, UnicodeString{"abc"}, false},
      {"blob whole", MatchType::kPrefix, blob("c:\\a.exe"), blob("c:\\a.exe"), true},
      {"blob unrelated", MatchType::kPrefix, blob("d:\\"), blob("c:\\a.exe"), false},
  });
}

TEST(ConditionMatch, NotPrefixIsTheNegationOfPrefixOnText) {
  expect_cases({
      {"string whole", MatchType::kNotPrefix, UnicodeString{"abc"}, UnicodeString{"abc"}, false},
      {"string longer condition", MatchType::kNotPrefix, UnicodeString{"abcd"},
       UnicodeString{"abc"}, true},
      {"string unrelated", MatchType::kNotPrefix, UnicodeString{"xyz"}, UnicodeString{"abc"}, true},
      {"blob whole", MatchType::kNotPrefix, blob("c:\\a.exe"), blob("c:\\a.exe"), false},
      {"blob unrelated", MatchType::kNotPrefix, blob("d:\\"), blob("c:\\a.exe"), true},
  });
}

TEST(ConditionMatch, PrefixAndNotPrefixNeverMatchNonText) {
  for (auto match : {MatchType::kPrefix, MatchType::kNotPrefix}) {
    EXPECT_FALSE(holds(match, std::uint16_t{80}, std::uint16_t{80}))
        << model::match_type_name(match);
    EXPECT_FALSE(holds(match, UnicodeString{"a"}, Sid{"S-1-5-18"}))
        << model::match_type_name(match);
    EXPECT_FALSE(holds(match, Sid{"S-1"}, Sid{"S-1-5-18"})) << model::match_type_name(match);
  }
}

TEST(ConditionMatch, PrefixTestsWhetherTheValueEndsWithTheConditionValue) {
  const Value path = blob(R"(\device\harddiskvolume1\windows\system32\svchost.exe)");
  EXPECT_TRUE(holds(MatchType::kPrefix, blob("\\svchost.exe"), path));
  EXPECT_FALSE(holds(MatchType::kPrefix, blob("\\device\\harddiskvolume1"), path));
  EXPECT_FALSE(holds(MatchType::kNotPrefix, blob("\\svchost.exe"), path));
  EXPECT_TRUE(holds(MatchType::kNotPrefix, blob("\\device\\harddiskvolume1"), path));
  EXPECT_TRUE(
      holds(MatchType::kPrefix, UnicodeString{".example.com"}, UnicodeString{"www.example.com"}));
}

// ---- Security descriptors (user conditions) -------------------------------------------------

constexpr std::string_view kAlice = "S-1-5-21-1111-2222-3333-1001";
constexpr std::string_view kBob = "S-1-5-21-1111-2222-3333-1002";

bool user_matches(MatchType match, const std::string& sddl, std::string_view user) {
  return holds(match, SecurityDescriptor{sddl}, Sid{std::string(user)});
}

TEST(ConditionMatch, UserConditionAllowAceForTheUserMatches) {
  const std::string sddl = "D:(A;;CC;;;" + std::string(kAlice) + ")";
  EXPECT_TRUE(user_matches(MatchType::kEqual, sddl, kAlice));
  EXPECT_FALSE(user_matches(MatchType::kEqual, sddl, kBob));
}

TEST(ConditionMatch, UserConditionDenyAceBeforeAllowWins) {
  const std::string sddl = "D:(D;;CC;;;" + std::string(kAlice) + ")(A;;CC;;;WD)";
  EXPECT_FALSE(user_matches(MatchType::kEqual, sddl, kAlice));
  EXPECT_TRUE(user_matches(MatchType::kEqual, sddl, kBob));
}

TEST(ConditionMatch, UserConditionEveryoneAliasMatchesAnyUser) {
  EXPECT_TRUE(user_matches(MatchType::kEqual, "D:(A;;CC;;;WD)", kAlice));
  EXPECT_TRUE(user_matches(MatchType::kEqual, "D:(A;;CC;;;WD)", "S-1-5-18"));
}

TEST(ConditionMatch, UserConditionWithoutAMatchingAceDoesNotMatch) {
  EXPECT_FALSE(user_matches(MatchType::kEqual, "D:(A;;CC;;;" + std::string(kBob) + ")", kAlice));
  EXPECT_FALSE(user_matches(MatchType::kEqual, "D:", kAlice));
}

TEST(ConditionMatch, UserConditionWithNullDaclMatchesEveryone) {
  EXPECT_TRUE(user_matches(MatchType::kEqual, "O:BAG:BA", kAlice));
}

TEST(ConditionMatch, UserConditionWithMalformedSddlMatchesNobody) {
  EXPECT_FALSE(user_matches(MatchType::kEqual, "D:(A;;CC;;;WD", kAlice));
  EXPECT_FALSE(user_matches(MatchType::kEqual, "D:(A;;CC;;;NOT_A_SID)", kAlice));
}

TEST(ConditionMatch, UserConditionNotEqualMatchesUsersWithoutAccess) {
  const std::string sddl = "D:(A;;CC;;;" + std::string(kAlice) + ")";
  EXPECT_FALSE(user_matches(MatchType::kNotEqual, sddl, kAlice));
  EXPECT_TRUE(user_matches(MatchType::kNotEqual, sddl, kBob));
}

TEST(ConditionMatch, UserConditionNeedsASidAsIncomingValue) {
  EXPECT_FALSE(holds(MatchType::kEqual, SecurityDescriptor{"D:(A;;CC;;;WD)"},
                     UnicodeString{std::string(kAlice)}));
  EXPECT_FALSE(holds(MatchType::kEqual, SecurityDescriptor{"O:BA"}, std::uint32_t{0}));
}

// ---- Empty incoming values ------------------------------------------------------------------

TEST(ConditionMatch, EmptyIncomingValueMatchesNoConditionWhateverTheMatchType) {
  const std::vector<std::pair<MatchType, ConditionValue>> conditions = {
      {MatchType::kEqual, std::uint16_t{80}},
      {MatchType::kEqual, Ipv4Prefix{0, 0}},
      {MatchType::kEqual, Ipv6Prefix{ByteArray16{}, 0}},
      {MatchType::kEqual, SecurityDescriptor{"O:BA"}},  // NULL DACL would grant anyone
      {MatchType::kGreater, std::uint16_t{0}},
      {MatchType::kLess, std::uint16_t{65535}},
      {MatchType::kGreaterOrEqual, std::uint16_t{0}},
      {MatchType::kLessOrEqual, std::uint16_t{65535}},
      {MatchType::kRange, Range{std::uint16_t{0}, std::uint16_t{65535}}},
      {MatchType::kFlagsAllSet, std::uint32_t{0}},
      {MatchType::kFlagsAnySet, std::uint32_t{1}},
      {MatchType::kFlagsNoneSet, std::uint32_t{1}},
      {MatchType::kEqualCaseInsensitive, UnicodeString{""}},
      {MatchType::kNotEqual, std::uint16_t{80}},
      {MatchType::kNotEqual, SecurityDescriptor{"D:"}},
      {MatchType::kPrefix, UnicodeString{""}},
      {MatchType::kNotPrefix, UnicodeString{"x"}},
  };
  for (const auto& [match, condition] : conditions) {
    EXPECT_FALSE(holds(match, condition, Value{}))
        << model::match_type_name(match) << " on "
        << model::data_type_name(model::data_type_of(condition));
  }
}

}  // namespace
}  // namespace openfwp::classify
