// SPDX-License-Identifier: Apache-2.0
// Guid: the accepted text forms, the canonical printed form, and derive()'s stability (unnamed
// policy objects get derived keys, so a change here changes every golden output).
#include "common/guid.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace openfwp {
namespace {

// FWPM_LAYER_ALE_AUTH_CONNECT_V4.
constexpr std::string_view kBraced = "{c38d57d1-05a7-4c33-904f-7fbceee60e82}";
constexpr std::string_view kBare = "c38d57d1-05a7-4c33-904f-7fbceee60e82";

TEST(Guid, ParsesBracedLowerCaseIntoTextOrderBytes) {
  auto guid = Guid::parse(kBraced);
  ASSERT_TRUE(guid);
  const std::array<std::uint8_t, 16> expected{0xc3, 0x8d, 0x57, 0xd1, 0x05, 0xa7, 0x4c, 0x33,
                                              0x90, 0x4f, 0x7f, 0xbc, 0xee, 0xe6, 0x0e, 0x82};
  EXPECT_EQ(guid->bytes, expected);
}

TEST(Guid, BareFormEqualsBracedForm) {
  auto braced = Guid::parse(kBraced);
  auto bare = Guid::parse(kBare);
  ASSERT_TRUE(braced);
  ASSERT_TRUE(bare);
  EXPECT_EQ(*braced, *bare);
}

TEST(Guid, ParsingIgnoresCase) {
  auto lower = Guid::parse(kBraced);
  auto upper = Guid::parse("{C38D57D1-05A7-4C33-904F-7FBCEEE60E82}");
  auto mixed = Guid::parse("c38D57d1-05A7-4c33-904F-7fBCeee60E82");
  ASSERT_TRUE(lower);
  ASSERT_TRUE(upper);
  ASSERT_TRUE(mixed);
  EXPECT_EQ(*lower, *upper);
  EXPECT_EQ(*lower, *mixed);
}

TEST(Guid, PrintsBracedLowerCase) {
  auto upper = Guid::parse("C38D57D1-05A7-4C33-904F-7FBCEEE60E82");
  ASSERT_TRUE(upper);
  EXPECT_EQ(upper->to_string(), kBraced);
}

TEST(Guid, RejectsWrongLength) {
  const std::vector<std::string_view> texts = {
      "",
      "{}",
      "c38d57d1-05a7-4c33-904f-7fbceee60e8",      // 35 characters
      "c38d57d1-05a7-4c33-904f-7fbceee60e821",    // 37 characters
      "{c38d57d1-05a7-4c33-904f-7fbceee60e8}",    // braced 35
      "{c38d57d1-05a7-4c33-904f-7fbceee60e821}",  // braced 37
      "{c38d57d1-05a7-4c33-904f-7fbceee60e82",    // missing closing brace
      "c38d57d1-05a7-4c33-904f-7fbceee60e82}",    // missing opening brace
      "{{c38d57d1-05a7-4c33-904f-7fbceee60e82}}",
  };
  for (auto text : texts) {
    EXPECT_FALSE(Guid::parse(text)) << text;
  }
}

TEST(Guid, RejectsNonHexDigits) {
  const std::vector<std::string_view> texts = {
      "g38d57d1-05a7-4c33-904f-7fbceee60e82",    // first digit
      "c38d57d1-05a7-4c33-904f-7fbceee60e8g",    // last digit
      "c38d57d1-05a7-4c3 -904f-7fbceee60e82",    // space
      "c38d57d1-05a7-4c33-904f-7fbceee60e8-",    // dash in a digit position
      "c38d57d1+05a7-4c33-904f-7fbceee60e82",    // other separator
      "(c38d57d1-05a7-4c33-904f-7fbceee60e82)",  // parentheses are not braces
  };
  for (auto text : texts) {
    EXPECT_FALSE(Guid::parse(text)) << text;
  }
}

TEST(Guid, RejectsMisplacedDashes) {
  const std::vector<std::string_view> texts = {
      "c38d57d-105a7-4c33-904f-7fbceee60e82",    // first dash one early
      "c38d57d10-5a7-4c33-904f-7fbceee60e82",    // first dash one late
      "c38d57d1-05a74-c33-904f-7fbceee60e82",    // second dash moved
      "c38d57d1-05a7-4c339-04f-7fbceee60e82",    // third dash moved
      "c38d57d1-05a7-4c33-904f7-fbceee60e82",    // fourth dash moved
      "c38d57d105a74c33904f7fbceee60e82abcd",    // no dashes, 36 digits
      "{c38d57d1-05a7-4c33-904f7fbceee60e82-}",  // last dash at the end
  };
  for (auto text : texts) {
    EXPECT_FALSE(Guid::parse(text)) << text;
  }
}

TEST(Guid, ToStringRoundTripsThroughParse) {
  for (auto seed : {"a", "b", "filter/block telnet", "sublayer/corp", ""}) {
    const Guid guid = Guid::derive(seed);
    auto again = Guid::parse(guid.to_string());
    ASSERT_TRUE(again) << guid.to_string();
    EXPECT_EQ(*again, guid);
  }
}

TEST(Guid, DefaultIsNullAndAnyNonZeroByteIsNot) {
  EXPECT_TRUE(Guid{}.is_null());
  EXPECT_EQ(Guid{}.to_string(), "{00000000-0000-0000-0000-000000000000}");
  for (std::size_t i = 0; i < 16; ++i) {
    Guid guid;
    guid.bytes[i] = 1;
    EXPECT_FALSE(guid.is_null()) << i;
  }
}

TEST(Guid, OrderingEqualsTextOrdering) {
  std::vector<Guid> guids;
  guids.reserve(50);
  for (int i = 0; i < 50; ++i) {
    guids.push_back(Guid::derive("seed " + std::to_string(i)));
  }
  for (const auto& a : guids) {
    for (const auto& b : guids) {
      EXPECT_EQ(a < b, a.to_string() < b.to_string());
    }
  }
}

TEST(Guid, DeriveIsDeterministic) {
  EXPECT_EQ(Guid::derive("filter/block telnet"), Guid::derive("filter/block telnet"));
  EXPECT_EQ(Guid::derive(""), Guid::derive(""));
}

TEST(Guid, DeriveSpreadsDistinctSeeds) {
  std::set<Guid> seen;
  for (int i = 0; i < 1000; ++i) {
    seen.insert(Guid::derive("filter " + std::to_string(i)));
  }
  EXPECT_EQ(seen.size(), 1000U);
  EXPECT_NE(Guid::derive("a"), Guid::derive("b"));
  EXPECT_NE(Guid::derive("ab"), Guid::derive("ba"));
}

TEST(Guid, DerivedGuidsLookLikeVersion5WithRfc4122Variant) {
  for (auto seed : {"", "x", "filter/block telnet", "a much longer seed text than usual"}) {
    const std::string text = Guid::derive(seed).to_string();
    EXPECT_EQ(text[15], '5') << text;  // version nibble
    EXPECT_NE(std::string_view("89ab").find(text[20]), std::string_view::npos) << text;  // variant
    EXPECT_FALSE(Guid::derive(seed).is_null());
  }
}

// Golden outputs embed derived keys of unnamed objects: the algorithm must not drift.
TEST(Guid, DeriveIsStableAcrossReleases) {
  EXPECT_EQ(Guid::derive("filter/block telnet").to_string(),
            "{003ceaed-78d5-5477-830a-1a6563272061}");
}

TEST(Guid, EqualGuidsHashEqualAndWorkInUnorderedSets) {
  const Guid a = Guid::derive("a");
  const Guid a_again = *Guid::parse(a.to_string());
  EXPECT_EQ(std::hash<Guid>{}(a), std::hash<Guid>{}(a_again));
  std::unordered_set<Guid> set{a, Guid::derive("b")};
  EXPECT_TRUE(set.contains(a_again));
  EXPECT_FALSE(set.contains(Guid::derive("c")));
}

}  // namespace
}  // namespace openfwp
