// SPDX-License-Identifier: Apache-2.0
// Text forms of values: what each field type accepts, the exact error each rejection gives
// (users see these messages), ranges, prefixes, user conditions, and the canonical printer
// (parse → print → parse is the identity).
#include "model/value_text.h"

#include "support/catalog_search.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace openfwp::model {
namespace {

using openfwp::testing::find_field_of_type;

constexpr LayerId kV4 = LayerId::kAleAuthConnectV4;
constexpr LayerId kV6 = LayerId::kAleAuthConnectV6;

ByteArray16 v6(std::string_view text) {
  auto address = parse_ipv6(text);
  EXPECT_TRUE(address) << text;
  return address.value_or(ByteArray16{});
}

std::string describe(const std::vector<std::string>& parts) {
  std::string out = "[";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    out += (i == 0 ? "\"" : ", \"") + parts[i] + "\"";
  }
  return out + "]";
}

struct Accepts {
  std::vector<std::string> parts;
  ConditionValue value;
};

struct Rejects {
  std::vector<std::string> parts;
  ErrorCode code;
  std::string message;  // empty: only the code is checked
};

void expect_accepts(LayerId layer, FieldId field, const std::vector<Accepts>& cases) {
  for (const auto& c : cases) {
    auto parsed = parse_condition_value(layer, field, c.parts);
    if (!parsed) {
      ADD_FAILURE() << describe(c.parts) << ": " << parsed.error().message;
      continue;
    }
    EXPECT_EQ(*parsed, c.value) << describe(c.parts);
  }
}

void expect_rejects(LayerId layer, FieldId field, const std::vector<Rejects>& cases) {
  for (const auto& c : cases) {
    auto parsed = parse_condition_value(layer, field, c.parts);
    if (parsed) {
      ADD_FAILURE() << describe(c.parts) << " was accepted";
      continue;
    }
    EXPECT_EQ(parsed.error().code, c.code)
        << describe(c.parts) << ": " << error_code_name(parsed.error().code);
    if (!c.message.empty()) {
      EXPECT_EQ(parsed.error().message, c.message) << describe(c.parts);
    }
  }
}

// A field of `type` from the built-in catalog, or skip the test.
#define REQUIRE_FIELD_OF_TYPE(place, type)                            \
  const auto place = find_field_of_type(type);                        \
  if (!(place)) {                                                     \
    GTEST_SKIP() << "needs a field of type " #type " (full catalog)"; \
  }                                                                   \
  SCOPED_TRACE(field_info((place)->field).wfp_name)

// ---- FWP_UINT8: IP_PROTOCOL -----------------------------------------------------------------

TEST(ParseConditionValue, Uint8AcceptsDecimalHexAndProtocolNames) {
  expect_accepts(kV4, FieldId::kIpProtocol,
                 {{{"0"}, std::uint8_t{0}},
                  {{"6"}, std::uint8_t{6}},
                  {{"255"}, std::uint8_t{255}},
                  {{"0x11"}, std::uint8_t{17}},
                  {{"0XfF"}, std::uint8_t{255}},
                  {{" 6 "}, std::uint8_t{6}},
                  {{"tcp"}, std::uint8_t{6}},
                  {{"TCP"}, std::uint8_t{6}},
                  {{"Udp"}, std::uint8_t{17}},
                  {{"icmp"}, std::uint8_t{1}},
                  {{"igmp"}, std::uint8_t{2}},
                  {{"gre"}, std::uint8_t{47}},
                  {{"esp"}, std::uint8_t{50}},
                  {{"ah"}, std::uint8_t{51}},
                  {{"icmpv6"}, std::uint8_t{58}},
                  {{"sctp"}, std::uint8_t{132}}});
}

TEST(ParseConditionValue, Uint8RejectsOutOfRangeAndNonNumbers) {
  expect_rejects(kV4, FieldId::kIpProtocol,
                 {{{"256"},
                   ErrorCode::kTypeMismatch,
                   "field FWPM_CONDITION_IP_PROTOCOL expects FWP_UINT8, got \"256\""},
                  {{"0x100"}, ErrorCode::kTypeMismatch, ""},
                  {{"-1"}, ErrorCode::kTypeMismatch, ""},
                  {{"+6"}, ErrorCode::kTypeMismatch, ""},
                  {{"6x"}, ErrorCode::kTypeMismatch, ""},
                  {{"1.5"}, ErrorCode::kTypeMismatch, ""},
                  {{"0x"}, ErrorCode::kTypeMismatch, ""},
                  {{"tcp6"}, ErrorCode::kTypeMismatch, ""},
                  {{""},
                   ErrorCode::kTypeMismatch,
                   "field FWPM_CONDITION_IP_PROTOCOL expects FWP_UINT8, got \"\""}});
}

// ---- FWP_UINT16: ports ----------------------------------------------------------------------

TEST(ParseConditionValue, Uint16AcceptsDecimalAndHex) {
  expect_accepts(kV4, FieldId::kIpRemotePort,
                 {{{"0"}, std::uint16_t{0}},
                  {{"80"}, std::uint16_t{80}},
                  {{"65535"}, std::uint16_t{65535}},
                  {{"0x50"}, std::uint16_t{80}},
                  {{" 443\t"}, std::uint16_t{443}}});
}

TEST(ParseConditionValue, Uint16RejectionNamesFieldTypeAndText) {
  expect_rejects(kV4, FieldId::kIpRemotePort,
                 {{{"abc"},
                   ErrorCode::kTypeMismatch,
                   "field FWPM_CONDITION_IP_REMOTE_PORT expects FWP_UINT16, got \"abc\""},
                  {{"65536"},
                   ErrorCode::kTypeMismatch,
                   "field FWPM_CONDITION_IP_REMOTE_PORT expects FWP_UINT16, got \"65536\""},
                  {{"-80"}, ErrorCode::kTypeMismatch, ""},
                  {{"80.0"}, ErrorCode::kTypeMismatch, ""},
                  {{"http"}, ErrorCode::kTypeMismatch, ""}});
}

TEST(ParseConditionValue, ErrorQuotesTheTrimmedText) {
  expect_rejects(kV4, FieldId::kIpLocalPort,
                 {{{"  abc "},
                   ErrorCode::kTypeMismatch,
                   "field FWPM_CONDITION_IP_LOCAL_PORT expects FWP_UINT16, got \"abc\""}});
}

TEST(ParseConditionValue, ProtocolNamesAreOnlyForTheProtocolField) {
  expect_rejects(kV4, FieldId::kIpRemotePort,
                 {{{"tcp"},
                   ErrorCode::kTypeMismatch,
                   "field FWPM_CONDITION_IP_REMOTE_PORT expects FWP_UINT16, got \"tcp\""}});
  expect_rejects(kV4, FieldId::kFlags, {{{"tcp"}, ErrorCode::kTypeMismatch, ""}});
}

// ---- FWP_UINT32: FLAGS ----------------------------------------------------------------------

TEST(ParseConditionValue, FlagsAcceptNumbersAndConditionFlagNamesJoinedWithBars) {
  expect_accepts(kV4, FieldId::kFlags,
                 {{{"0"}, std::uint32_t{0}},
                  {{"4294967295"}, std::uint32_t{0xffffffff}},
                  {{"0xffffffff"}, std::uint32_t{0xffffffff}},
                  {{"FWP_CONDITION_FLAG_IS_LOOPBACK"}, std::uint32_t{0x1}},
                  {{"is_loopback"}, std::uint32_t{0x1}},
                  {{"IS_LOOPBACK|IS_REAUTHORIZE"}, std::uint32_t{0x5}},
                  {{"FWP_CONDITION_FLAG_IS_LOOPBACK | 0x100"}, std::uint32_t{0x101}},
                  {{"is_non_appcontainer_loopback"}, std::uint32_t{0x800000}},
                  {{"IS_FRAGMENT|IS_FRAGMENT_GROUP"}, std::uint32_t{0x60}}});
}

TEST(ParseConditionValue, FlagsRejectUnknownNamesEmptyPartsAndOverflow) {
  expect_rejects(kV4, FieldId::kFlags,
                 {{{"IS_NOTHING"},
                   ErrorCode::kTypeMismatch,
                   "field FWPM_CONDITION_FLAGS expects FWP_UINT32, got \"IS_NOTHING\""},
                  {{"IS_LOOPBACK|"}, ErrorCode::kTypeMismatch, ""},
                  {{"|IS_LOOPBACK"}, ErrorCode::kTypeMismatch, ""},
                  {{"IS_LOOPBACK||IS_REAUTHORIZE"}, ErrorCode::kTypeMismatch, ""},
                  {{"4294967296"}, ErrorCode::kTypeMismatch, ""},
                  {{"IS_LOOPBACK|0x100000000"}, ErrorCode::kTypeMismatch, ""},
                  {{"-1"}, ErrorCode::kTypeMismatch, ""}});
}

TEST(ConditionFlags, TextRoundTripsForEverySingleBitAndAllBits) {
  for (unsigned bit = 0; bit < 32; ++bit) {
    const std::uint32_t flags = 1U << bit;
    const std::string text = condition_flags_to_text(flags);
    EXPECT_EQ(condition_flag_from_text(text), std::optional<std::uint32_t>(flags)) << text;
  }
  const std::string all = condition_flags_to_text(0xffffffffU);
  EXPECT_EQ(condition_flag_from_text(all), std::optional<std::uint32_t>(0xffffffffU)) << all;
}

TEST(ConditionFlags, PrintsNamesInBitOrderAndUnknownBitsAsHex) {
  EXPECT_EQ(condition_flags_to_text(0x0), "0x0");
  EXPECT_EQ(condition_flags_to_text(0x1), "FWP_CONDITION_FLAG_IS_LOOPBACK");
  EXPECT_EQ(condition_flags_to_text(0x5),
            "FWP_CONDITION_FLAG_IS_LOOPBACK|FWP_CONDITION_FLAG_IS_REAUTHORIZE");
  EXPECT_EQ(condition_flags_to_text(0x1000), "0x1000");
  EXPECT_EQ(condition_flags_to_text(0x3801), "FWP_CONDITION_FLAG_IS_LOOPBACK|0x3800");
  EXPECT_EQ(condition_flags_to_text(0x800000), "FWP_CONDITION_FLAG_IS_NON_APPCONTAINER_LOOPBACK");
}

TEST(ConditionFlags, ParsesNamesNumbersAndMixturesInAnyCase) {
  EXPECT_EQ(condition_flag_from_text("fwp_condition_flag_is_reauthorize"),
            std::optional<std::uint32_t>(0x4));
  EXPECT_EQ(condition_flag_from_text(" is_loopback | is_ipsec_secured "),
            std::optional<std::uint32_t>(0x3));
  EXPECT_EQ(condition_flag_from_text("0x1|0x2|4"), std::optional<std::uint32_t>(0x7));
  EXPECT_FALSE(condition_flag_from_text(""));
  EXPECT_FALSE(condition_flag_from_text("LOOPBACK"));
}

// ---- FWP_UINT64 -----------------------------------------------------------------------------

TEST(ParseConditionValue, Uint64AcceptsTheFullRange) {
  REQUIRE_FIELD_OF_TYPE(place, FieldType::kUint64);
  expect_accepts(place->layer, place->field,
                 {{{"0"}, std::uint64_t{0}},
                  {{"18446744073709551615"}, std::uint64_t{0xffffffffffffffffULL}},
                  {{"0xffffffffffffffff"}, std::uint64_t{0xffffffffffffffffULL}}});
  expect_rejects(place->layer, place->field,
                 {{{"18446744073709551616"},
                   ErrorCode::kTypeMismatch,
                   "field " + std::string(field_info(place->field).wfp_name) +
                       " expects FWP_UINT64, got \"18446744073709551616\""},
                  {{"x"}, ErrorCode::kTypeMismatch, ""}});
}

// ---- IP addresses ---------------------------------------------------------------------------

TEST(ParseConditionValue, V4AddressFieldTakesAddressesPrefixesAndDottedMasks) {
  expect_accepts(kV4, FieldId::kIpRemoteAddress,
                 {{{"10.0.0.1"}, std::uint32_t{0x0a000001}},
                  {{"167772161"}, std::uint32_t{0x0a000001}},  // netsh prints FWP_UINT32
                  {{"0x0a000001"}, std::uint32_t{0x0a000001}},
                  {{"10.0.0.0/8"}, Ipv4Prefix{0x0a000000, 8}},
                  {{"10.1.2.3/8"}, Ipv4Prefix{0x0a000000, 8}},
                  {{"10.0.0.0/255.0.0.0"}, Ipv4Prefix{0x0a000000, 8}},
                  {{"0.0.0.0/0"}, Ipv4Prefix{0, 0}},
                  {{"10.0.0.1/32"}, Ipv4Prefix{0x0a000001, 32}}});
}

TEST(ParseConditionValue, V4AddressFieldRejectsV6AndGarbageAsTypeMismatch) {
  const std::string expects =
      "field FWPM_CONDITION_IP_REMOTE_ADDRESS expects an IPv4 address or prefix (FWP_UINT32 / "
      "FWP_V4_ADDR_MASK), got ";
  expect_rejects(kV4, FieldId::kIpRemoteAddress,
                 {{{"2001:db8::1"}, ErrorCode::kTypeMismatch, expects + "\"2001:db8::1\""},
                  {{"10.0.0"}, ErrorCode::kTypeMismatch, expects + "\"10.0.0\""},
                  {{"host.example"}, ErrorCode::kTypeMismatch, ""},
                  {{"4294967296"}, ErrorCode::kTypeMismatch, ""},
                  {{""}, ErrorCode::kTypeMismatch, ""}});
}

TEST(ParseConditionValue, V4BadPrefixIsInvalidNetMask) {
  expect_rejects(kV4, FieldId::kIpRemoteAddress,
                 {{{"10.0.0.0/33"},
                   ErrorCode::kInvalidNetMask,
                   "field FWPM_CONDITION_IP_REMOTE_ADDRESS: \"10.0.0.0/33\" is not a valid IPv4 "
                   "prefix"},
                  {{"10.0.0.0/255.0.255.0"}, ErrorCode::kInvalidNetMask, ""},
                  {{"10.0.0.0/"}, ErrorCode::kInvalidNetMask, ""},
                  {{"2001:db8::/32"}, ErrorCode::kInvalidNetMask, ""}});
}

TEST(ParseConditionValue, V6AddressFieldTakesAddressesAndPrefixes) {
  expect_accepts(kV6, FieldId::kIpRemoteAddress,
                 {{{"2001:db8::1"}, v6("2001:db8::1")},
                  {{"::ffff:10.0.0.1"}, v6("::ffff:10.0.0.1")},
                  {{"2001:db8::/32"}, Ipv6Prefix{v6("2001:db8::"), 32}},
                  {{"2001:db8::1/32"}, Ipv6Prefix{v6("2001:db8::"), 32}},
                  {{"::/0"}, Ipv6Prefix{ByteArray16{}, 0}},
                  {{"2001:db8::1/128"}, Ipv6Prefix{v6("2001:db8::1"), 128}}});
}

TEST(ParseConditionValue, V6AddressFieldRejectsV4AndNumbers) {
  const std::string expects =
      "field FWPM_CONDITION_IP_LOCAL_ADDRESS expects an IPv6 address or prefix "
      "(FWP_BYTE_ARRAY16_TYPE / FWP_V6_ADDR_MASK), got ";
  expect_rejects(kV6, FieldId::kIpLocalAddress,
                 {{{"10.0.0.1"}, ErrorCode::kTypeMismatch, expects + "\"10.0.0.1\""},
                  {{"167772161"}, ErrorCode::kTypeMismatch, expects + "\"167772161\""},
                  {{"2001:db8::g"}, ErrorCode::kTypeMismatch, ""},
                  {{"2001:db8::/129"},
                   ErrorCode::kInvalidNetMask,
                   "field FWPM_CONDITION_IP_LOCAL_ADDRESS: \"2001:db8::/129\" is not a valid IPv6 "
                   "prefix"},
                  {{"10.0.0.0/8"}, ErrorCode::kInvalidNetMask, ""}});
}

// ---- Ranges ---------------------------------------------------------------------------------

TEST(ParseConditionValue, RangeOfTwoNumbersBecomesARangeOfTheFieldsType) {
  expect_accepts(kV4, FieldId::kIpRemotePort,
                 {{{"1024", "65535"}, Range{std::uint16_t{1024}, std::uint16_t{65535}}},
                  {{"80", "80"}, Range{std::uint16_t{80}, std::uint16_t{80}}},
                  {{"0", "0xffff"}, Range{std::uint16_t{0}, std::uint16_t{65535}}}});
  expect_accepts(kV4, FieldId::kIpProtocol,
                 {{{"tcp", "udp"}, Range{std::uint8_t{6}, std::uint8_t{17}}}});
  expect_accepts(kV4, FieldId::kFlags,
                 {{{"0x1", "0x10"}, Range{std::uint32_t{1}, std::uint32_t{16}}}});
}

TEST(ParseConditionValue, RangeOfAddressesHoldsPlainAddresses) {
  expect_accepts(
      kV4, FieldId::kIpRemoteAddress,
      {{{"10.0.0.1", "10.0.0.9"}, Range{std::uint32_t{0x0a000001}, std::uint32_t{0x0a000009}}}});
  expect_accepts(kV6, FieldId::kIpRemoteAddress,
                 {{{"2001:db8::1", "2001:db8::ff"}, Range{v6("2001:db8::1"), v6("2001:db8::ff")}},
                  {{"::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
                   Range{v6("::"), v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")}}});
}

TEST(ParseConditionValue, RangeNeedsExactlyTwoValues) {
  expect_rejects(kV4, FieldId::kIpRemotePort,
                 {{{},
                   ErrorCode::kTypeMismatch,
                   "field FWPM_CONDITION_IP_REMOTE_PORT: a range needs exactly two values "
                   "[low, high], got 0"},
                  {{"1", "2", "3"},
                   ErrorCode::kTypeMismatch,
                   "field FWPM_CONDITION_IP_REMOTE_PORT: a range needs exactly two values "
                   "[low, high], got 3"}});
}

TEST(ParseConditionValue, RangeLowAboveHighIsInvalidRange) {
  expect_rejects(kV4, FieldId::kIpRemotePort,
                 {{{"65535", "1024"},
                   ErrorCode::kInvalidRange,
                   "field FWPM_CONDITION_IP_REMOTE_PORT: range [65535, 1024] is empty or not "
                   "ordered (FWP_E_INVALID_RANGE)"}});
  expect_rejects(kV4, FieldId::kIpProtocol, {{{"udp", "tcp"}, ErrorCode::kInvalidRange, ""}});
  expect_rejects(kV4, FieldId::kIpRemoteAddress,
                 {{{"10.0.0.9", "10.0.0.1"}, ErrorCode::kInvalidRange, ""}});
  // V6 addresses order as 128-bit big-endian numbers.
  expect_rejects(kV6, FieldId::kIpRemoteAddress,
                 {{{"1::", "::ffff"}, ErrorCode::kInvalidRange, ""}});
}

TEST(ParseConditionValue, RangeEndsMustEachParse) {
  expect_rejects(kV4, FieldId::kIpRemotePort,
                 {{{"1", "abc"},
                   ErrorCode::kTypeMismatch,
                   "field FWPM_CONDITION_IP_REMOTE_PORT expects FWP_UINT16, got \"abc\""},
                  {{"1", "65536"}, ErrorCode::kTypeMismatch, ""},
                  {{"", "2"}, ErrorCode::kTypeMismatch, ""}});
}

TEST(ParseConditionValue, RangeEndsCannotBePrefixes) {
  expect_rejects(kV4, FieldId::kIpRemoteAddress,
                 {{{"10.0.0.0/8", "11.0.0.0"}, ErrorCode::kTypeMismatch, ""},
                  {{"10.0.0.0", "11.0.0.0/8"}, ErrorCode::kTypeMismatch, ""}});
  expect_rejects(kV6, FieldId::kIpRemoteAddress,
                 {{{"2001:db8::/32", "2001:db9::"}, ErrorCode::kTypeMismatch, ""}});
}

// ---- Application ids ------------------------------------------------------------------------

ByteBlob blob(std::string_view text) { return ByteBlob{{text.begin(), text.end()}}; }

TEST(ParseConditionValue, AppIdIsTheTrimmedLowerCasedPath) {
  expect_accepts(
      kV4, FieldId::kAleAppId,
      {{{R"(C:\Windows\System32\svchost.exe)"}, blob(R"(c:\windows\system32\svchost.exe)")},
       {{R"(\device\HarddiskVolume1\Tools\Nc.EXE)"},
        blob(R"(\device\harddiskvolume1\tools\nc.exe)")},
       {{"  C:\\x.exe  "}, blob("c:\\x.exe")}});
}

TEST(ParseConditionValue, AppIdMustNotBeEmpty) {
  expect_rejects(kV4, FieldId::kAleAppId,
                 {{{""},
                   ErrorCode::kTypeMismatch,
                   "field FWPM_CONDITION_ALE_APP_ID expects an application path "
                   "(FWP_BYTE_BLOB_TYPE), got \"\""},
                  {{"   "}, ErrorCode::kTypeMismatch, ""}});
}

// ---- User conditions (security descriptors) -------------------------------------------------

TEST(ParseConditionValue, UserConditionTakesSddlAsWritten) {
  expect_accepts(
      kV4, FieldId::kAleUserId,
      {{{"D:(A;;CC;;;S-1-5-21-1-2-3-1001)"}, SecurityDescriptor{"D:(A;;CC;;;S-1-5-21-1-2-3-1001)"}},
       {{"O:BAG:BAD:(A;;CC;;;WD)"}, SecurityDescriptor{"O:BAG:BAD:(A;;CC;;;WD)"}},
       {{"O:BA"}, SecurityDescriptor{"O:BA"}},
       {{" D:(A;;CC;;;WD) "}, SecurityDescriptor{"D:(A;;CC;;;WD)"}}});
}

TEST(ParseConditionValue, BareSidIsShorthandForAnAllowAceForThatUser) {
  expect_accepts(kV4, FieldId::kAleUserId,
                 {{{"S-1-5-18"}, SecurityDescriptor{"D:(A;;CC;;;S-1-5-18)"}},
                  {{"S-1-5-21-1111-2222-3333-1001"},
                   SecurityDescriptor{"D:(A;;CC;;;S-1-5-21-1111-2222-3333-1001)"}}});
}

TEST(ParseConditionValue, UserConditionRejectsTextThatIsNeitherSddlNorSid) {
  expect_rejects(kV4, FieldId::kAleUserId,
                 {{{"nonsense"},
                   ErrorCode::kTypeMismatch,
                   "field FWPM_CONDITION_ALE_USER_ID expects an SDDL security descriptor or a SID "
                   "(FWP_SECURITY_DESCRIPTOR_TYPE), got \"nonsense\""},
                  {{""}, ErrorCode::kTypeMismatch, ""},
                  {{"S-1"}, ErrorCode::kTypeMismatch, ""},
                  {{"SY"}, ErrorCode::kTypeMismatch, ""},
                  {{"S-1-5-x"}, ErrorCode::kTypeMismatch, ""}});
}

// ---- Types the stand-in catalog lacks -------------------------------------------------------

TEST(ParseConditionValue, SidFieldTakesSidStrings) {
  REQUIRE_FIELD_OF_TYPE(place, FieldType::kSid);
  expect_accepts(place->layer, place->field,
                 {{{"S-1-5-18"}, Sid{"S-1-5-18"}}, {{"S-1-15-2-1"}, Sid{"S-1-15-2-1"}}});
  expect_rejects(place->layer, place->field,
                 {{{"SY"},
                   ErrorCode::kTypeMismatch,
                   "field " + std::string(field_info(place->field).wfp_name) +
                       " expects a SID such as S-1-5-18 (FWP_SID), got \"SY\""},
                  {{"1-5-18"}, ErrorCode::kTypeMismatch, ""},
                  {{"S-1-5-x"}, ErrorCode::kTypeMismatch, ""},
                  {{""}, ErrorCode::kTypeMismatch, ""}});
}

TEST(ParseConditionValue, MacAddressTakesSixHexBytesWithOrWithoutSeparators) {
  REQUIRE_FIELD_OF_TYPE(place, FieldType::kMacAddress);
  const ByteArray6 mac{0x00, 0x11, 0x22, 0xaa, 0xbb, 0xcc};
  expect_accepts(place->layer, place->field,
                 {{{"00:11:22:aa:bb:cc"}, mac},
                  {{"00-11-22-AA-BB-CC"}, mac},
                  {{"001122aabbcc"}, mac},
                  {{"0x001122AABBCC"}, mac}});
  expect_rejects(place->layer, place->field,
                 {{{"00:11:22:33:44"},
                   ErrorCode::kTypeMismatch,
                   "field " + std::string(field_info(place->field).wfp_name) +
                       " expects a MAC address (FWP_BYTE_ARRAY6_TYPE), got \"00:11:22:33:44\""},
                  {{"00:11:22:33:44:55:66"}, ErrorCode::kTypeMismatch, ""},
                  {{"00:11:22:33:44:5"}, ErrorCode::kTypeMismatch, ""},
                  {{"zz:11:22:33:44:55"}, ErrorCode::kTypeMismatch, ""},
                  {{""}, ErrorCode::kTypeMismatch, ""}});
}

TEST(ParseConditionValue, ByteArray16TakesSixteenHexBytes) {
  REQUIRE_FIELD_OF_TYPE(place, FieldType::kByteArray16);
  const ByteArray16 bytes{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  expect_accepts(place->layer, place->field,
                 {{{"000102030405060708090a0b0c0d0e0f"}, bytes},
                  {{"00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F"}, bytes}});
  expect_rejects(place->layer, place->field,
                 {{{"000102030405060708090a0b0c0d0e"},
                   ErrorCode::kTypeMismatch,
                   "field " + std::string(field_info(place->field).wfp_name) +
                       " expects FWP_BYTE_ARRAY16_TYPE, got \"000102030405060708090a0b0c0d0e\""},
                  {{"000102030405060708090a0b0c0d0e0f10"}, ErrorCode::kTypeMismatch, ""}});
}

TEST(ParseConditionValue, ByteBlobTakesHexWithPrefixOrTextAsIs) {
  REQUIRE_FIELD_OF_TYPE(place, FieldType::kByteBlob);
  expect_accepts(place->layer, place->field,
                 {{{"0x00ff10"}, ByteBlob{{0x00, 0xff, 0x10}}}, {{"Hello"}, blob("Hello")}});
  expect_rejects(place->layer, place->field,
                 {{{"0x0"},
                   ErrorCode::kTypeMismatch,
                   "field " + std::string(field_info(place->field).wfp_name) +
                       " expects FWP_BYTE_BLOB_TYPE, got \"0x0\""},
                  {{"0xzz"}, ErrorCode::kTypeMismatch, ""}});
}

TEST(ParseConditionValue, UnicodeStringKeepsCase) {
  REQUIRE_FIELD_OF_TYPE(place, FieldType::kUnicodeString);
  expect_accepts(place->layer, place->field, {{{"Hello World"}, UnicodeString{"Hello World"}}});
}

// ---- Incoming values ------------------------------------------------------------------------

void expect_incoming(LayerId layer, FieldId field, std::string_view text, const Value& expected) {
  auto parsed = parse_incoming_value(layer, field, text);
  ASSERT_TRUE(parsed) << text << ": " << parsed.error().message;
  EXPECT_EQ(*parsed, expected) << text;
}

TEST(ParseIncomingValue, ScalarsParseAsForConditions) {
  expect_incoming(kV4, FieldId::kIpRemotePort, "80", Value{std::uint16_t{80}});
  expect_incoming(kV4, FieldId::kIpProtocol, "udp", Value{std::uint8_t{17}});
  expect_incoming(kV4, FieldId::kFlags, "is_loopback|is_reauthorize", Value{std::uint32_t{5}});
  expect_incoming(kV4, FieldId::kIpRemoteAddress, "10.0.0.1", Value{std::uint32_t{0x0a000001}});
  expect_incoming(kV6, FieldId::kIpRemoteAddress, "2001:db8::1", Value{v6("2001:db8::1")});
  expect_incoming(kV4, FieldId::kAleAppId, "C:\\X.exe", Value{blob("c:\\x.exe")});
}

TEST(ParseIncomingValue, AnIncomingAddressIsNeverAPrefix) {
  auto v4 = parse_incoming_value(kV4, FieldId::kIpRemoteAddress, "10.0.0.0/8");
  ASSERT_FALSE(v4);
  EXPECT_EQ(v4.error().code, ErrorCode::kTypeMismatch);
  auto v6_prefix = parse_incoming_value(kV6, FieldId::kIpRemoteAddress, "2001:db8::/32");
  ASSERT_FALSE(v6_prefix);
  EXPECT_EQ(v6_prefix.error().code, ErrorCode::kTypeMismatch);
}

TEST(ParseIncomingValue, UserIdentityIsASidNotADescriptor) {
  expect_incoming(kV4, FieldId::kAleUserId, "S-1-5-21-1-2-3-1001",
                  Value{Sid{"S-1-5-21-1-2-3-1001"}});
  auto sddl = parse_incoming_value(kV4, FieldId::kAleUserId, "D:(A;;CC;;;WD)");
  ASSERT_FALSE(sddl);
  EXPECT_EQ(sddl.error().message,
            "field FWPM_CONDITION_ALE_USER_ID expects an SDDL security descriptor or a SID "
            "(FWP_SECURITY_DESCRIPTOR_TYPE), got \"D:(A;;CC;;;WD)\"");
}

TEST(ParseIncomingValue, RejectionsUseTheConditionWording) {
  auto bad = parse_incoming_value(kV4, FieldId::kIpRemotePort, "abc");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kTypeMismatch);
  EXPECT_EQ(bad.error().message,
            "field FWPM_CONDITION_IP_REMOTE_PORT expects FWP_UINT16, got \"abc\"");
}

// ---- Expected-type wording ------------------------------------------------------------------

TEST(ExpectedTypeText, NamesTheFwpTypeOrDescribesTheForm) {
  EXPECT_EQ(expected_type_text(kV4, FieldId::kIpProtocol), "FWP_UINT8");
  EXPECT_EQ(expected_type_text(kV4, FieldId::kIpRemotePort), "FWP_UINT16");
  EXPECT_EQ(expected_type_text(kV4, FieldId::kFlags), "FWP_UINT32");
  EXPECT_EQ(expected_type_text(kV4, FieldId::kIpRemoteAddress),
            "an IPv4 address or prefix (FWP_UINT32 / FWP_V4_ADDR_MASK)");
  EXPECT_EQ(expected_type_text(kV6, FieldId::kIpRemoteAddress),
            "an IPv6 address or prefix (FWP_BYTE_ARRAY16_TYPE / FWP_V6_ADDR_MASK)");
  EXPECT_EQ(expected_type_text(kV4, FieldId::kAleAppId),
            "an application path (FWP_BYTE_BLOB_TYPE)");
  EXPECT_EQ(expected_type_text(kV6, FieldId::kAleUserId),
            "an SDDL security descriptor or a SID (FWP_SECURITY_DESCRIPTOR_TYPE)");
}

// ---- Printing -------------------------------------------------------------------------------

TEST(FormatValue, PrintsEachStandInFieldInItsCanonicalForm) {
  EXPECT_EQ(format_value(FieldId::kIpRemotePort, std::uint16_t{80}), "80");
  EXPECT_EQ(format_value(FieldId::kIpProtocol, std::uint8_t{6}), "6");
  EXPECT_EQ(format_value(FieldId::kIpRemoteAddress, std::uint32_t{0x0a000001}), "10.0.0.1");
  EXPECT_EQ(format_value(FieldId::kIpRemoteAddress, v6("2001:0db8::0001")), "2001:db8::1");
  EXPECT_EQ(format_value(FieldId::kFlags, std::uint32_t{0x5}),
            "FWP_CONDITION_FLAG_IS_LOOPBACK|FWP_CONDITION_FLAG_IS_REAUTHORIZE");
  EXPECT_EQ(format_value(FieldId::kFlags, std::uint32_t{0}), "0x0");
  EXPECT_EQ(format_value(FieldId::kAleAppId, blob("c:\\x.exe")), "c:\\x.exe");
  EXPECT_EQ(format_value(FieldId::kAleUserId, Sid{"S-1-5-18"}), "S-1-5-18");
  EXPECT_EQ(format_value(FieldId::kIpRemotePort, Value{}), "");
}

TEST(FormatConditionValue, PrefixesRangesAndDescriptorsHaveTheirTextForms) {
  EXPECT_EQ(format_condition_value(FieldId::kIpRemoteAddress, Ipv4Prefix{0x0a000000, 8}),
            std::vector<std::string>{"10.0.0.0/8"});
  EXPECT_EQ(format_condition_value(FieldId::kIpRemoteAddress, Ipv6Prefix{v6("2001:db8::"), 32}),
            std::vector<std::string>{"2001:db8::/32"});
  EXPECT_EQ(format_condition_value(FieldId::kIpRemotePort,
                                   Range{std::uint16_t{1024}, std::uint16_t{65535}}),
            (std::vector<std::string>{"1024", "65535"}));
  EXPECT_EQ(format_condition_value(FieldId::kIpRemoteAddress,
                                   Range{std::uint32_t{0x0a000001}, std::uint32_t{0x0a000009}}),
            (std::vector<std::string>{"10.0.0.1", "10.0.0.9"}));
  EXPECT_EQ(format_condition_value(FieldId::kAleUserId, SecurityDescriptor{"D:(A;;CC;;;WD)"}),
            std::vector<std::string>{"D:(A;;CC;;;WD)"});
  EXPECT_EQ(format_condition_value(FieldId::kIpRemotePort, std::uint16_t{23}),
            std::vector<std::string>{"23"});
}

TEST(FormatConditionValue, SingleHostPrefixKeepsItsLengthSoItReadsBackAsAMask) {
  // A /32 FWP_V4_ADDR_MASK and an FWP_UINT32 match the same packets, but an imported policy
  // must read back as the type Windows stored (netsh dumps carry both).
  EXPECT_EQ(format_condition_value(FieldId::kIpRemoteAddress, Ipv4Prefix{0x0a000001, 32}),
            std::vector<std::string>{"10.0.0.1/32"});
  EXPECT_EQ(format_condition_value(FieldId::kIpRemoteAddress, Ipv6Prefix{v6("2001:db8::1"), 128}),
            std::vector<std::string>{"2001:db8::1/128"});
  for (const auto& [layer, text] : {std::pair{LayerId::kAleAuthConnectV4, "10.0.0.1/32"},
                                    std::pair{LayerId::kAleAuthConnectV6, "2001:db8::1/128"}}) {
    auto parsed = parse_condition_value(layer, FieldId::kIpRemoteAddress, {text});
    ASSERT_TRUE(parsed) << text;
    EXPECT_EQ(format_condition_value(FieldId::kIpRemoteAddress, *parsed),
              std::vector<std::string>{text});
  }
}

struct RoundTrip {
  LayerId layer;
  FieldId field;
  std::vector<std::string> canonical;
};

void expect_round_trip(const RoundTrip& c) {
  SCOPED_TRACE(std::string(field_info(c.field).wfp_name) + " " + describe(c.canonical));
  auto first = parse_condition_value(c.layer, c.field, c.canonical);
  ASSERT_TRUE(first) << first.error().message;
  const auto printed = format_condition_value(c.field, *first);
  EXPECT_EQ(printed, c.canonical);
  auto second = parse_condition_value(c.layer, c.field, printed);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(*second, *first);
}

TEST(FormatConditionValue, CanonicalTextRoundTripsThroughParse) {
  const std::vector<RoundTrip> cases = {
      {kV4, FieldId::kIpRemotePort, {"80"}},
      {kV4, FieldId::kIpRemotePort, {"1024", "65535"}},
      {kV4, FieldId::kIpProtocol, {"6"}},
      {kV4, FieldId::kIpProtocol, {"6", "17"}},
      {kV4, FieldId::kIpRemoteAddress, {"10.0.0.1"}},
      {kV4, FieldId::kIpRemoteAddress, {"10.0.0.0/8"}},
      {kV4, FieldId::kIpRemoteAddress, {"0.0.0.0/0"}},
      {kV4, FieldId::kIpRemoteAddress, {"10.0.0.1", "10.0.0.9"}},
      {kV6, FieldId::kIpRemoteAddress, {"2001:db8::1"}},
      {kV6, FieldId::kIpRemoteAddress, {"2001:db8::/32"}},
      {kV6, FieldId::kIpRemoteAddress, {"::/0"}},
      {kV6, FieldId::kIpRemoteAddress, {"2001:db8::1", "2001:db8::ff"}},
      {kV4, FieldId::kFlags, {"FWP_CONDITION_FLAG_IS_LOOPBACK"}},
      {kV4, FieldId::kFlags, {"FWP_CONDITION_FLAG_IS_LOOPBACK|0x1000"}},
      {kV4, FieldId::kFlags, {"0x0"}},
      {kV4, FieldId::kAleAppId, {R"(c:\windows\system32\svchost.exe)"}},
      {kV4, FieldId::kAleUserId, {"D:(A;;CC;;;S-1-5-18)"}},
      {kV4, FieldId::kAleUserId, {"O:BAG:BAD:(D;;CC;;;S-1-5-7)(A;;CC;;;WD)"}},
  };
  for (const auto& c : cases) {
    expect_round_trip(c);
  }
}

TEST(FormatConditionValue, NonCanonicalInputPrintsCanonically) {
  struct Case {
    LayerId layer;
    FieldId field;
    std::vector<std::string> input;
    std::vector<std::string> canonical;
  };
  const std::vector<Case> cases = {
      {kV4, FieldId::kIpRemotePort, {"0x50"}, {"80"}},
      {kV4, FieldId::kIpProtocol, {"tcp"}, {"6"}},
      {kV4, FieldId::kIpRemoteAddress, {"10.1.2.3/255.0.0.0"}, {"10.0.0.0/8"}},
      {kV4, FieldId::kIpRemoteAddress, {"167772161"}, {"10.0.0.1"}},
      {kV6, FieldId::kIpRemoteAddress, {"2001:0DB8:0:0::1"}, {"2001:db8::1"}},
      {kV4,
       FieldId::kFlags,
       {"is_reauthorize|is_loopback"},
       {"FWP_CONDITION_FLAG_IS_LOOPBACK|FWP_CONDITION_FLAG_IS_REAUTHORIZE"}},
      {kV4, FieldId::kAleUserId, {"S-1-5-18"}, {"D:(A;;CC;;;S-1-5-18)"}},
      {kV4, FieldId::kAleAppId, {"C:\\Tools\\NC.exe"}, {"c:\\tools\\nc.exe"}},
  };
  for (const auto& c : cases) {
    auto parsed = parse_condition_value(c.layer, c.field, c.input);
    ASSERT_TRUE(parsed) << describe(c.input);
    EXPECT_EQ(format_condition_value(c.field, *parsed), c.canonical) << describe(c.input);
  }
}

TEST(FormatConditionValue, StandInLessTypesRoundTrip) {
  struct Case {
    FieldType type;
    std::vector<std::string> canonical;
  };
  const std::vector<Case> cases = {
      {FieldType::kUint64, {"18446744073709551615"}},
      {FieldType::kMacAddress, {"00:11:22:aa:bb:cc"}},
      {FieldType::kByteArray16, {"000102030405060708090a0b0c0d0e0f"}},
      {FieldType::kSid, {"S-1-5-18"}},
      {FieldType::kUnicodeString, {"Hello World"}},
      {FieldType::kByteBlob, {"0x00ff10"}},
      {FieldType::kByteBlob, {"printable text"}},
  };
  bool ran = false;
  for (const auto& c : cases) {
    auto place = find_field_of_type(c.type);
    if (!place) {
      continue;
    }
    ran = true;
    expect_round_trip({place->layer, place->field, c.canonical});
  }
  if (!ran) {
    GTEST_SKIP() << "needs fields of types the stand-in catalog lacks (full catalog)";
  }
}

TEST(FormatConditionValue, ByteBlobsThatLookLikeHexRoundTrip) {
  REQUIRE_FIELD_OF_TYPE(place, FieldType::kByteBlob);
  for (const ByteBlob& value : {blob("0x41"), ByteBlob{}}) {
    const auto printed = format_condition_value(place->field, value);
    auto reparsed = parse_condition_value(place->layer, place->field, printed);
    ASSERT_TRUE(reparsed) << describe(printed);
    EXPECT_EQ(*reparsed, ConditionValue{value}) << describe(printed);
  }
}

}  // namespace
}  // namespace openfwp::model
