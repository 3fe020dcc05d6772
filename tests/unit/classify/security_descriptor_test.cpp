// SPDX-License-Identifier: Apache-2.0
// The SDDL access check behind user conditions: ordered ACE evaluation, the token's implicit
// groups (Everyone, Authenticated Users), which rights grant FWP_ACTRL_MATCH_FILTER, NULL vs
// empty DACLs, and what counts as malformed.
#include "classify/security_descriptor.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace openfwp::classify {
namespace {

constexpr std::string_view kAlice = "S-1-5-21-1111-2222-3333-1001";
constexpr std::string_view kBob = "S-1-5-21-1111-2222-3333-1002";

std::string ace(std::string_view type, std::string_view rights, std::string_view sid) {
  return "(" + std::string(type) + ";;" + std::string(rights) + ";;;" + std::string(sid) + ")";
}

struct Case {
  std::string name;
  std::string sddl;
  std::string_view user;
  bool granted;
};

void expect_cases(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    EXPECT_EQ(sddl_grants_match(c.sddl, c.user), c.granted)
        << c.name << ": " << c.sddl << " for " << c.user;
  }
}

TEST(SddlGrantsMatch, AllowAceGrantsOnlyItsSid) {
  expect_cases({
      {"named user", "D:" + ace("A", "CC", kAlice), kAlice, true},
      {"other user", "D:" + ace("A", "CC", kAlice), kBob, false},
      {"alias SY for system", "D:" + ace("A", "CC", "SY"), "S-1-5-18", true},
      {"alias SY for a user", "D:" + ace("A", "CC", "SY"), kAlice, false},
      {"group the token lacks", "D:" + ace("A", "CC", "BA"), kAlice, false},
  });
}

TEST(SddlGrantsMatch, FirstAceForTheTokenDecidesSoDenyBeforeAllowWins) {
  const std::string deny_then_allow = "D:" + ace("D", "CC", kAlice) + ace("A", "CC", "WD");
  const std::string allow_then_deny = "D:" + ace("A", "CC", "WD") + ace("D", "CC", kAlice);
  expect_cases({
      {"deny first, denied user", deny_then_allow, kAlice, false},
      {"deny first, other user", deny_then_allow, kBob, true},
      {"allow first", allow_then_deny, kAlice, true},
  });
}

TEST(SddlGrantsMatch, TokenHoldsEveryoneAndAuthenticatedUsers) {
  expect_cases({
      {"WD", "D:" + ace("A", "CC", "WD"), kAlice, true},
      {"S-1-1-0", "D:" + ace("A", "CC", "S-1-1-0"), kAlice, true},
      {"AU", "D:" + ace("A", "CC", "AU"), kAlice, true},
      {"S-1-5-11", "D:" + ace("A", "CC", "S-1-5-11"), kBob, true},
      {"deny Everyone", "D:" + ace("D", "CC", "WD") + ace("A", "CC", kAlice), kAlice, false},
  });
}

TEST(SddlGrantsMatch, OnlyRightsIncludingMatchFilterCount) {
  expect_cases({
      {"CC", "D:" + ace("A", "CC", "WD"), kAlice, true},
      {"GA", "D:" + ace("A", "GA", "WD"), kAlice, true},
      {"CC among others", "D:" + ace("A", "RPWPCC", "WD"), kAlice, true},
      {"hex bit 0", "D:" + ace("A", "0x1", "WD"), kAlice, true},
      {"hex with bit 0", "D:" + ace("A", "0x10001", "WD"), kAlice, true},
      {"hex without bit 0", "D:" + ace("A", "0x2", "WD"), kAlice, false},
      {"other rights", "D:" + ace("A", "RPWP", "WD"), kAlice, false},
      {"no rights", "D:" + ace("A", "", "WD"), kAlice, false},
  });
}

TEST(SddlGrantsMatch, AceWithoutTheMatchRightIsSkipped) {
  // A deny of some other right does not stop a later allow of CC.
  expect_cases({
      {"deny RP then allow CC", "D:" + ace("D", "RP", kAlice) + ace("A", "CC", kAlice), kAlice,
       true},
      {"allow RP then deny CC", "D:" + ace("A", "RP", kAlice) + ace("D", "CC", kAlice), kAlice,
       false},
  });
}

TEST(SddlGrantsMatch, NoMatchingAceGrantsNothing) {
  expect_cases({
      {"empty DACL", "D:", kAlice, false},
      {"protected empty DACL", "D:P", kAlice, false},
      {"only others", "D:" + ace("A", "CC", kBob) + ace("A", "CC", "SY"), kAlice, false},
  });
}

TEST(SddlGrantsMatch, NullDaclGrantsEveryone) {
  expect_cases({
      {"owner only", "O:BA", kAlice, true},
      {"owner and group", "O:BAG:SY", kBob, true},
      {"SACL only", "S:(AU;SA;CC;;;WD)", kAlice, true},
  });
}

TEST(SddlGrantsMatch, NoAccessControlIsANullDacl) {
  EXPECT_TRUE(sddl_grants_match("D:NO_ACCESS_CONTROL", kAlice));
}

TEST(SddlGrantsMatch, OwnerGroupDaclFlagsAndSaclAroundTheDacl) {
  expect_cases({
      {"owner and group first", "O:BAG:BAD:" + ace("A", "CC", "WD"), kAlice, true},
      {"protected auto-inherited", "D:PAI" + ace("A", "CC", kAlice), kAlice, true},
      {"SACL after", "D:" + ace("A", "CC", kAlice) + "S:(AU;SA;CC;;;WD)", kAlice, true},
      {"audit ACE in a DACL grants nothing", "D:(AU;SA;CC;;;WD)", kAlice, false},
      {"object ACE is ignored", "D:(OA;;CC;bf967aba-0de6-11d0-a285-00aa003049e2;;WD)", kAlice,
       false},
  });
}

TEST(SddlGrantsMatch, SidsCompareWithoutRegardToTheCaseOfTheSPrefix) {
  expect_cases({
      {"lower-case user", "D:" + ace("A", "CC", "S-1-5-18"), "s-1-5-18", true},
      {"lower-case ACE", "D:" + ace("A", "CC", "s-1-5-18"), "S-1-5-18", true},
  });
}

TEST(SddlGrantsMatch, InheritOnlyAcesDoNotApplyToTheObject) {
  EXPECT_TRUE(sddl_grants_match("D:(D;IO;CC;;;WD)(A;;CC;;;WD)", kAlice));
}

TEST(SddlGrantsMatch, MalformedSddlGrantsNothing) {
  const std::vector<std::string> malformed = {
      "D:(A;;CC;;;WD",           // unclosed ACE
      "D:(A;;CC;;WD)",           // five fields
      "D:(A;;C;;;WD)",           // odd-length rights
      "D:(A;;0xZZ;;;WD)",        // bad hex rights
      "D:(A;;CC;;;XX)",          // unknown SID alias
      "D:(A;;CC;;;WD)junk",      // trailing text
      "D:1(A;;CC;;;WD)",         // bad DACL flag
      "D:(A;;CC;;;WD)(D;;CC;;;"  // second ACE cut off
  };
  for (const auto& sddl : malformed) {
    EXPECT_FALSE(sddl_is_well_formed(sddl)) << sddl;
    EXPECT_FALSE(sddl_grants_match(sddl, kAlice)) << sddl;
  }
}

TEST(SddlGrantsMatch, TextWithoutAnySddlPartIsMalformed) {
  for (std::string_view sddl : {"hello", "O:", "O:NOT_A_SID"}) {
    EXPECT_FALSE(sddl_is_well_formed(sddl)) << sddl;
    EXPECT_FALSE(sddl_grants_match(sddl, kAlice)) << sddl;
  }
}

TEST(SddlGrantsMatch, UserThatIsNotASidIsGrantedNothingByADacl) {
  EXPECT_FALSE(sddl_grants_match("D:" + ace("A", "CC", "WD"), "alice"));
  EXPECT_FALSE(sddl_grants_match("D:" + ace("A", "CC", "WD"), ""));
}

TEST(SddlIsWellFormed, AcceptsTheFormsUserConditionsUse) {
  for (std::string_view sddl :
       {"D:", "D:(A;;CC;;;WD)", "D:(D;;CC;;;S-1-5-7)(A;;CC;;;AU)", "O:BAG:BAD:(A;;CC;;;SY)",
        "D:PAI(A;;0x1;;;BU)", "O:BA", "D:(A;;CC;;;WD)S:(AU;SA;CC;;;WD)"}) {
    EXPECT_TRUE(sddl_is_well_formed(sddl)) << sddl;
  }
}

TEST(SddlIsWellFormed, KnowsTheCommonSidAliases) {
  for (std::string_view alias :
       {"WD", "AU", "SY", "LS", "NS", "BA", "BU", "BG", "IU", "NU", "SU", "AN", "AC", "OW"}) {
    EXPECT_TRUE(sddl_is_well_formed("D:" + ace("A", "CC", alias))) << alias;
  }
}

}  // namespace
}  // namespace openfwp::classify
