// SPDX-License-Identifier: Apache-2.0
// FwpmFilterAdd0's checks: one test per rule of model/validation.cpp, with the FWP_E_* code and
// the message users see, and the FWP_MATCH_TYPE × value-type compatibility table cell by cell.
#include "model/validation.h"

#include "support/catalog_search.h"
#include "support/filter_builder.h"

#include <gtest/gtest.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace openfwp::model {
namespace {

using openfwp::testing::FieldAtLayer;
using openfwp::testing::FilterBuilder;

constexpr LayerId kV4 = LayerId::kAleAuthConnectV4;
constexpr LayerId kV6 = LayerId::kAleAuthConnectV6;

Guid callout_key() { return Guid::derive("test/callout"); }

FilterBuilder valid_filter() {
  return std::move(FilterBuilder("web").layer(kV4).permit().condition(
      FieldId::kIpRemotePort, MatchType::kEqual, std::uint16_t{80}));
}

void expect_error(const Result<void>& result, ErrorCode code, const std::string& message = "") {
  ASSERT_FALSE(result) << "accepted; wanted " << error_code_name(code);
  EXPECT_EQ(result.error().code, code) << result.error().message;
  if (!message.empty()) {
    EXPECT_EQ(result.error().message, message);
  }
}

// ---- Filter rules ---------------------------------------------------------------------------

TEST(ValidateFilter, AcceptsAWellFormedFilter) {
  auto result = validate_filter(valid_filter().build());
  EXPECT_TRUE(result) << result.error().message;
}

TEST(ValidateFilter, AcceptsAFilterWithoutConditions) {
  EXPECT_TRUE(validate_filter(FilterBuilder("all").layer(kV4).block().build()));
}

TEST(ValidateFilter, NameIsRequired) {
  expect_error(validate_filter(FilterBuilder("").layer(kV4).build()), ErrorCode::kNullPointer,
               "filter has no name (displayData.name is required)");
}

TEST(ValidateFilter, NameIsCheckedBeforeEveryOtherRule) {
  expect_error(validate_filter(FilterBuilder("").layer(kV4).weight_uint8(99).build()),
               ErrorCode::kNullPointer);
}

TEST(ValidateFilter, Uint8WeightSelectsARangeFromZeroToFifteen) {
  for (std::uint64_t k = 0; k <= 15; ++k) {
    EXPECT_TRUE(validate_filter(valid_filter().weight_uint8(k).build())) << k;
  }
  expect_error(validate_filter(valid_filter().weight_uint8(16).build()), ErrorCode::kInvalidWeight,
               "filter \"web\": FWP_UINT8 weight 16 is outside the weight ranges 0-15 "
               "(FWP_E_INVALID_WEIGHT)");
  expect_error(validate_filter(valid_filter().weight_uint8(255).build()),
               ErrorCode::kInvalidWeight);
}

TEST(ValidateFilter, Uint64AndEmptyWeightsTakeAnyValue) {
  EXPECT_TRUE(validate_filter(valid_filter().weight_uint64(0).build()));
  EXPECT_TRUE(validate_filter(valid_filter().weight_uint64(0xffffffffffffffffULL).build()));
  EXPECT_TRUE(validate_filter(valid_filter().weight_empty().build()));
}

TEST(ValidateFilter, PersistentAndBoottimeCannotBeCombined) {
  EXPECT_TRUE(validate_filter(valid_filter().flags(filter_flag::kPersistent).build()));
  EXPECT_TRUE(validate_filter(valid_filter().flags(filter_flag::kBoottime).build()));
  expect_error(
      validate_filter(
          valid_filter().flags(filter_flag::kPersistent, filter_flag::kBoottime).build()),
      ErrorCode::kInvalidFlags,
      "filter \"web\": FWPM_FILTER_FLAG_PERSISTENT and FWPM_FILTER_FLAG_BOOTTIME cannot be "
      "combined (FWP_E_INVALID_FLAGS)");
}

TEST(ValidateFilter, PermitIfCalloutUnregisteredOnlyWithTerminatingOrUnknownCallouts) {
  struct Case {
    ActionType action;
    bool accepted;
  };
  const std::array<Case, 5> cases = {{{ActionType::kBlock, false},
                                      {ActionType::kPermit, false},
                                      {ActionType::kCalloutInspection, false},
                                      {ActionType::kCalloutTerminating, true},
                                      {ActionType::kCalloutUnknown, true}}};
  for (const auto& c : cases) {
    FilterBuilder builder =
        valid_filter().action(c.action).flags(filter_flag::kPermitIfCalloutUnregistered);
    if (is_callout_action(c.action)) {
      builder.callout(callout_key());
    }
    auto result = validate_filter(builder.build());
    if (c.accepted) {
      EXPECT_TRUE(result) << action_type_name(c.action);
    } else {
      SCOPED_TRACE(action_type_name(c.action));
      expect_error(result, ErrorCode::kInvalidFlags,
                   "filter \"web\": FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED needs action "
                   "FWP_ACTION_CALLOUT_TERMINATING or FWP_ACTION_CALLOUT_UNKNOWN "
                   "(FWP_E_INVALID_FLAGS)");
    }
  }
}

TEST(ValidateFilter, CalloutActionsNeedACallout) {
  for (auto action : {ActionType::kCalloutTerminating, ActionType::kCalloutInspection,
                      ActionType::kCalloutUnknown}) {
    SCOPED_TRACE(action_type_name(action));
    EXPECT_TRUE(validate_filter(valid_filter().action(action).callout(callout_key()).build()));
    expect_error(validate_filter(valid_filter().action(action).build()),
                 ErrorCode::kInvalidActionType,
                 "filter \"web\": action " + std::string(action_type_name(action)) +
                     " needs a callout (FWP_E_INVALID_ACTION_TYPE)");
  }
}

TEST(ValidateFilter, BlockAndPermitCannotNameACallout) {
  for (auto action : {ActionType::kBlock, ActionType::kPermit}) {
    SCOPED_TRACE(action_type_name(action));
    expect_error(validate_filter(valid_filter().action(action).callout(callout_key()).build()),
                 ErrorCode::kInvalidActionType,
                 "filter \"web\": action " + std::string(action_type_name(action)) +
                     " cannot name a callout (FWP_E_INVALID_ACTION_TYPE)");
  }
}

TEST(ValidateFilter, ConditionErrorsNameTheFilterAndTheField) {
  expect_error(
      validate_filter(valid_filter()
                          .condition(FieldId::kIpLocalPort, MatchType::kEqual, std::uint32_t{80})
                          .build()),
      ErrorCode::kTypeMismatch,
      "filter \"web\": condition on FWPM_CONDITION_IP_LOCAL_PORT: value of type "
      "FWP_UINT32 does not fit a field of type FWP_UINT16 (FWP_E_TYPE_MISMATCH)");
}

TEST(ValidateFilter, ReportsTheFirstBadCondition) {
  auto result =
      validate_filter(valid_filter()
                          .condition(FieldId::kIpProtocol, MatchType::kPrefix, std::uint8_t{6})
                          .condition(FieldId::kIpLocalPort, MatchType::kEqual, std::uint32_t{80})
                          .build());
  expect_error(result, ErrorCode::kMatchTypeMismatch,
               "filter \"web\": condition on FWPM_CONDITION_IP_PROTOCOL: FWP_MATCH_PREFIX cannot "
               "compare a value of type FWP_UINT8 (FWP_E_MATCH_TYPE_MISMATCH)");
}

TEST(ValidateFilter, FilterRulesAreCheckedBeforeConditions) {
  expect_error(
      validate_filter(valid_filter()
                          .flags(filter_flag::kPersistent, filter_flag::kBoottime)
                          .condition(FieldId::kIpLocalPort, MatchType::kEqual, std::uint32_t{80})
                          .build()),
      ErrorCode::kInvalidFlags);
}

// ---- Condition rules ------------------------------------------------------------------------

TEST(ValidateCondition, FieldNotAtTheLayerIsConditionNotFound) {
  auto missing = openfwp::testing::find_field_missing_from_a_layer();
  if (!missing) {
    GTEST_SKIP() << "needs a layer that lacks a catalogued field (full catalog)";
  }
  const Condition condition{missing->field, MatchType::kEqual, std::uint8_t{0}};
  expect_error(validate_condition(missing->layer, condition), ErrorCode::kConditionNotFound,
               "condition on " + std::string(field_info(missing->field).wfp_name) +
                   ": field is not available at " +
                   std::string(layer_info(missing->layer).wfp_name) +
                   " (FWP_E_CONDITION_NOT_FOUND)");
}

struct TypeCase {
  const char* name;
  LayerId layer;
  FieldId field;
  MatchType match;
  ConditionValue value;
};

TEST(ValidateCondition, ValueOfTheFieldsTypeIsAccepted) {
  const std::vector<TypeCase> cases = {
      {"protocol uint8", kV4, FieldId::kIpProtocol, MatchType::kEqual, std::uint8_t{6}},
      {"port uint16", kV4, FieldId::kIpRemotePort, MatchType::kEqual, std::uint16_t{80}},
      {"flags uint32", kV4, FieldId::kFlags, MatchType::kFlagsAllSet, std::uint32_t{1}},
      {"V4 address uint32", kV4, FieldId::kIpRemoteAddress, MatchType::kEqual,
       std::uint32_t{0x0a000001}},
      {"V4 address mask", kV4, FieldId::kIpRemoteAddress, MatchType::kEqual,
       Ipv4Prefix{0x0a000000, 8}},
      {"V4 address range", kV4, FieldId::kIpRemoteAddress, MatchType::kRange,
       Range{std::uint32_t{1}, std::uint32_t{2}}},
      {"V6 address bytes", kV6, FieldId::kIpRemoteAddress, MatchType::kEqual, ByteArray16{1}},
      {"V6 address mask", kV6, FieldId::kIpRemoteAddress, MatchType::kEqual,
       Ipv6Prefix{ByteArray16{0x20, 0x01}, 16}},
      {"V6 address range", kV6, FieldId::kIpRemoteAddress, MatchType::kRange,
       Range{ByteArray16{1}, ByteArray16{2}}},
      {"port range", kV4, FieldId::kIpRemotePort, MatchType::kRange,
       Range{std::uint16_t{1024}, std::uint16_t{65535}}},
      {"app id blob", kV4, FieldId::kAleAppId, MatchType::kEqual, ByteBlob{{'a'}}},
      {"user descriptor", kV4, FieldId::kAleUserId, MatchType::kEqual,
       SecurityDescriptor{"D:(A;;CC;;;WD)"}},
  };
  for (const auto& c : cases) {
    auto result = validate_condition(c.layer, Condition{c.field, c.match, c.value});
    EXPECT_TRUE(result) << c.name << ": " << (result ? "" : result.error().message);
  }
}

TEST(ValidateCondition, ValueOfAnotherTypeIsTypeMismatch) {
  const std::vector<TypeCase> cases = {
      {"port uint32", kV4, FieldId::kIpRemotePort, MatchType::kEqual, std::uint32_t{80}},
      {"port uint8", kV4, FieldId::kIpRemotePort, MatchType::kEqual, std::uint8_t{80}},
      {"port empty", kV4, FieldId::kIpRemotePort, MatchType::kEqual, std::monostate{}},
      {"protocol uint16", kV4, FieldId::kIpProtocol, MatchType::kEqual, std::uint16_t{6}},
      {"flags uint64", kV4, FieldId::kFlags, MatchType::kEqual, std::uint64_t{1}},
      {"V4 address bytes", kV4, FieldId::kIpRemoteAddress, MatchType::kEqual, ByteArray16{}},
      {"V4 address V6 mask", kV4, FieldId::kIpRemoteAddress, MatchType::kEqual,
       Ipv6Prefix{ByteArray16{}, 0}},
      {"V6 address uint32", kV6, FieldId::kIpRemoteAddress, MatchType::kEqual, std::uint32_t{1}},
      {"V6 address V4 mask", kV6, FieldId::kIpRemoteAddress, MatchType::kEqual, Ipv4Prefix{0, 0}},
      {"app id string", kV4, FieldId::kAleAppId, MatchType::kEqual, UnicodeString{"a"}},
      {"app id sid", kV4, FieldId::kAleAppId, MatchType::kEqual, Sid{"S-1-5-18"}},
      {"user sid", kV4, FieldId::kAleUserId, MatchType::kEqual, Sid{"S-1-5-18"}},
      {"user blob", kV4, FieldId::kAleUserId, MatchType::kEqual, ByteBlob{{'a'}}},
      {"port descriptor", kV4, FieldId::kIpRemotePort, MatchType::kEqual, SecurityDescriptor{"D:"}},
      {"port range of uint32", kV4, FieldId::kIpRemotePort, MatchType::kRange,
       Range{std::uint32_t{1}, std::uint32_t{2}}},
      {"port range of mixed ends", kV4, FieldId::kIpRemotePort, MatchType::kRange,
       Range{std::uint16_t{1}, std::uint32_t{2}}},
      {"port range of empty ends", kV4, FieldId::kIpRemotePort, MatchType::kRange, Range{}},
      {"V6 address range of uint32", kV6, FieldId::kIpRemoteAddress, MatchType::kRange,
       Range{std::uint32_t{1}, std::uint32_t{2}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    expect_error(validate_condition(c.layer, Condition{c.field, c.match, c.value}),
                 ErrorCode::kTypeMismatch);
  }
}

TEST(ValidateCondition, TypeMismatchMessageNamesBothTypes) {
  expect_error(validate_condition(kV6, Condition{FieldId::kIpRemoteAddress, MatchType::kEqual,
                                                 Ipv4Prefix{0x0a000000, 8}}),
               ErrorCode::kTypeMismatch,
               "condition on FWPM_CONDITION_IP_REMOTE_ADDRESS: value of type FWP_V4_ADDR_MASK "
               "does not fit a field of type FWP_BYTE_ARRAY16_TYPE (FWP_E_TYPE_MISMATCH)");
}

TEST(ValidateCondition, TypeIsCheckedBeforeMatchType) {
  expect_error(validate_condition(
                   kV4, Condition{FieldId::kIpRemotePort, MatchType::kPrefix, std::uint32_t{80}}),
               ErrorCode::kTypeMismatch);
}

TEST(ValidateCondition, RangeLowAboveHighIsInvalidRange) {
  expect_error(validate_condition(kV4, Condition{FieldId::kIpRemotePort, MatchType::kRange,
                                                 Range{std::uint16_t{100}, std::uint16_t{50}}}),
               ErrorCode::kInvalidRange);
  expect_error(validate_condition(kV6, Condition{FieldId::kIpRemoteAddress, MatchType::kRange,
                                                 Range{ByteArray16{2}, ByteArray16{1}}}),
               ErrorCode::kInvalidRange);
}

TEST(ValidateCondition, PrefixLongerThanTheAddressIsInvalidNetMask) {
  expect_error(validate_condition(kV4, Condition{FieldId::kIpRemoteAddress, MatchType::kEqual,
                                                 Ipv4Prefix{0x0a000000, 33}}),
               ErrorCode::kInvalidNetMask);
  expect_error(validate_condition(kV6, Condition{FieldId::kIpRemoteAddress, MatchType::kEqual,
                                                 Ipv6Prefix{ByteArray16{}, 129}}),
               ErrorCode::kInvalidNetMask);
}

// ---- The match-type table -------------------------------------------------------------------
// WFP: FWP_MATCH_TYPE enumeration (fwptypes.h) — EQUAL: every data type; GREATER, LESS,
// GREATER_OR_EQUAL, LESS_OR_EQUAL, RANGE: sortable types (integers, FWP_BYTE_ARRAY16_TYPE,
// FWP_BYTE_BLOB_TYPE, FWP_UNICODE_STRING_TYPE); FLAGS_*: unsigned integers;
// EQUAL_CASE_INSENSITIVE: FWP_UNICODE_STRING_TYPE only; NOT_EQUAL: sortable types;
// PREFIX / NOT_PREFIX: FWP_BYTE_BLOB_TYPE holding a string and FWP_UNICODE_STRING_TYPE.
// A RANGE condition carries FWP_RANGE_TYPE (of a sortable type), and nothing else does.

constexpr std::array<DataType, 13> kValueTypes = {DataType::kUint8,
                                                  DataType::kUint16,
                                                  DataType::kUint32,
                                                  DataType::kUint64,
                                                  DataType::kByteArray16,
                                                  DataType::kByteArray6,
                                                  DataType::kByteBlob,
                                                  DataType::kSid,
                                                  DataType::kUnicodeString,
                                                  DataType::kV4AddrMask,
                                                  DataType::kV6AddrMask,
                                                  DataType::kRange,
                                                  DataType::kSecurityDescriptor};

bool is_unsigned(DataType t) {
  return t == DataType::kUint8 || t == DataType::kUint16 || t == DataType::kUint32 ||
         t == DataType::kUint64;
}

bool is_sortable(DataType t) {
  return is_unsigned(t) || t == DataType::kByteArray16 || t == DataType::kByteBlob ||
         t == DataType::kUnicodeString;
}

bool documented_compatible(MatchType match, DataType t) {
  switch (match) {
    case MatchType::kEqual:
      return t != DataType::kRange;
    case MatchType::kGreater:
    case MatchType::kLess:
    case MatchType::kGreaterOrEqual:
    case MatchType::kLessOrEqual:
      return is_sortable(t);
    case MatchType::kRange:
      return t == DataType::kRange;
    case MatchType::kFlagsAllSet:
    case MatchType::kFlagsAnySet:
    case MatchType::kFlagsNoneSet:
      return is_unsigned(t);
    case MatchType::kEqualCaseInsensitive:
      return t == DataType::kUnicodeString;
    case MatchType::kNotEqual:
      // fwptypes.h says sortable types only, but Windows' own filters use it on FWP_SID (168 in
      // the dumps of ../shared/data/netsh-dumps); openfwp accepts what the BFE accepts.
      return t != DataType::kRange;
    case MatchType::kPrefix:
    case MatchType::kNotPrefix:
      return t == DataType::kByteBlob || t == DataType::kUnicodeString;
  }
  return false;
}

// A condition value of type `t`, and a field at a layer whose incoming type it fits.
struct Sample {
  ConditionValue value;
  std::optional<FieldAtLayer> place;
};

Sample sample_of(DataType t) {
  using openfwp::testing::find_field_with_incoming_type;
  switch (t) {
    case DataType::kUint8:
      return {std::uint8_t{6}, FieldAtLayer{kV4, FieldId::kIpProtocol}};
    case DataType::kUint16:
      return {std::uint16_t{80}, FieldAtLayer{kV4, FieldId::kIpRemotePort}};
    case DataType::kUint32:
      return {std::uint32_t{1}, FieldAtLayer{kV4, FieldId::kFlags}};
    case DataType::kUint64:
      return {std::uint64_t{1}, find_field_with_incoming_type(DataType::kUint64)};
    case DataType::kByteArray16:
      return {ByteArray16{1}, FieldAtLayer{kV6, FieldId::kIpRemoteAddress}};
    case DataType::kByteArray6:
      return {ByteArray6{1}, find_field_with_incoming_type(DataType::kByteArray6)};
    case DataType::kByteBlob:
      return {ByteBlob{{'a'}}, FieldAtLayer{kV4, FieldId::kAleAppId}};
    case DataType::kSid:
      return {Sid{"S-1-5-18"}, find_field_with_incoming_type(DataType::kSid)};
    case DataType::kUnicodeString:
      return {UnicodeString{"a"}, find_field_with_incoming_type(DataType::kUnicodeString)};
    case DataType::kV4AddrMask:
      return {Ipv4Prefix{0x0a000000, 8}, FieldAtLayer{kV4, FieldId::kIpRemoteAddress}};
    case DataType::kV6AddrMask:
      return {Ipv6Prefix{ByteArray16{0x20, 0x01}, 16},
              FieldAtLayer{kV6, FieldId::kIpRemoteAddress}};
    case DataType::kRange:
      return {Range{std::uint16_t{1}, std::uint16_t{2}}, FieldAtLayer{kV4, FieldId::kIpRemotePort}};
    case DataType::kSecurityDescriptor:
      return {SecurityDescriptor{"D:(A;;CC;;;WD)"}, FieldAtLayer{kV4, FieldId::kAleUserId}};
    default:
      return {std::monostate{}, std::nullopt};
  }
}

struct MatrixCell {
  MatchType match;
  DataType type;
};

// Readable parameter names in failure messages.
// NOLINTNEXTLINE(readability-identifier-naming): gtest looks this name up.
void PrintTo(const MatrixCell& cell, std::ostream* os) {
  *os << match_type_name(cell.match) << " x " << data_type_name(cell.type);
}

class MatchTypeCompatibility : public ::testing::TestWithParam<MatrixCell> {};

TEST_P(MatchTypeCompatibility, FollowsTheFwpMatchTypeTable) {
  const auto [match, type] = GetParam();
  const Sample sample = sample_of(type);
  ASSERT_EQ(data_type_of(sample.value), type);
  if (!sample.place) {
    GTEST_SKIP() << "needs a field whose incoming type is " << data_type_name(type)
                 << " (full catalog)";
  }
  auto result =
      validate_condition(sample.place->layer, Condition{sample.place->field, match, sample.value});
  if (documented_compatible(match, type)) {
    EXPECT_TRUE(result) << result.error().message;
  } else {
    expect_error(result, ErrorCode::kMatchTypeMismatch,
                 "condition on " + std::string(field_info(sample.place->field).wfp_name) + ": " +
                     std::string(match_type_name(match)) + " cannot compare a value of type " +
                     std::string(data_type_name(type)) + " (FWP_E_MATCH_TYPE_MISMATCH)");
  }
}

std::vector<MatrixCell> all_cells() {
  std::vector<MatrixCell> cells;
  for (std::size_t m = 0; m < kMatchTypeCount; ++m) {
    for (const DataType t : kValueTypes) {
      cells.push_back({static_cast<MatchType>(m), t});
    }
  }
  return cells;
}

std::string cell_name(const ::testing::TestParamInfo<MatrixCell>& info) {
  std::string name = std::string(match_type_alias(info.param.match)) + "_" +
                     std::string(data_type_name(info.param.type).substr(4));
  for (auto& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      c = '_';
    }
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(EveryMatchTypeAndValueType, MatchTypeCompatibility,
                         ::testing::ValuesIn(all_cells()), cell_name);

}  // namespace
}  // namespace openfwp::model
