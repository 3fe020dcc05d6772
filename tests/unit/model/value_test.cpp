// SPDX-License-Identifier: Apache-2.0
// Value / ConditionValue: the FWP type of each alternative, and the index correspondence that
// lets an incoming value become a condition value.
#include "model/value.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace openfwp::model {
namespace {

TEST(DataTypeOf, EveryValueAlternativeHasItsFwpType) {
  EXPECT_EQ(data_type_of(Value{}), DataType::kEmpty);
  EXPECT_EQ(data_type_of(Value{std::uint8_t{1}}), DataType::kUint8);
  EXPECT_EQ(data_type_of(Value{std::uint16_t{1}}), DataType::kUint16);
  EXPECT_EQ(data_type_of(Value{std::uint32_t{1}}), DataType::kUint32);
  EXPECT_EQ(data_type_of(Value{std::uint64_t{1}}), DataType::kUint64);
  EXPECT_EQ(data_type_of(Value{ByteArray16{}}), DataType::kByteArray16);
  EXPECT_EQ(data_type_of(Value{ByteArray6{}}), DataType::kByteArray6);
  EXPECT_EQ(data_type_of(Value{ByteBlob{}}), DataType::kByteBlob);
  EXPECT_EQ(data_type_of(Value{Sid{"S-1-5-18"}}), DataType::kSid);
  EXPECT_EQ(data_type_of(Value{UnicodeString{"x"}}), DataType::kUnicodeString);
}

TEST(DataTypeOf, EveryConditionValueAlternativeHasItsFwpType) {
  EXPECT_EQ(data_type_of(ConditionValue{}), DataType::kEmpty);
  EXPECT_EQ(data_type_of(ConditionValue{std::uint8_t{1}}), DataType::kUint8);
  EXPECT_EQ(data_type_of(ConditionValue{std::uint16_t{1}}), DataType::kUint16);
  EXPECT_EQ(data_type_of(ConditionValue{std::uint32_t{1}}), DataType::kUint32);
  EXPECT_EQ(data_type_of(ConditionValue{std::uint64_t{1}}), DataType::kUint64);
  EXPECT_EQ(data_type_of(ConditionValue{ByteArray16{}}), DataType::kByteArray16);
  EXPECT_EQ(data_type_of(ConditionValue{ByteArray6{}}), DataType::kByteArray6);
  EXPECT_EQ(data_type_of(ConditionValue{ByteBlob{}}), DataType::kByteBlob);
  EXPECT_EQ(data_type_of(ConditionValue{Sid{"S-1-5-18"}}), DataType::kSid);
  EXPECT_EQ(data_type_of(ConditionValue{UnicodeString{"x"}}), DataType::kUnicodeString);
  EXPECT_EQ(data_type_of(ConditionValue{Ipv4Prefix{}}), DataType::kV4AddrMask);
  EXPECT_EQ(data_type_of(ConditionValue{Ipv6Prefix{}}), DataType::kV6AddrMask);
  EXPECT_EQ(data_type_of(ConditionValue{Range{}}), DataType::kRange);
  EXPECT_EQ(data_type_of(ConditionValue{SecurityDescriptor{"D:"}}), DataType::kSecurityDescriptor);
}

TEST(ToConditionValue, KeepsTypeAndContentOfEveryValueAlternative) {
  const std::vector<Value> values = {
      Value{},
      Value{std::uint8_t{6}},
      Value{std::uint16_t{80}},
      Value{std::uint32_t{0x0a000001}},
      Value{std::uint64_t{0xffffffffffffffffULL}},
      Value{ByteArray16{0x20, 0x01, 0x0d, 0xb8}},
      Value{ByteArray6{0, 0x11, 0x22, 0x33, 0x44, 0x55}},
      Value{ByteBlob{{'a', 'b'}}},
      Value{Sid{"S-1-5-18"}},
      Value{UnicodeString{"name"}},
  };
  for (const auto& value : values) {
    const ConditionValue cv = to_condition_value(value);
    EXPECT_EQ(cv.index(), value.index());
    EXPECT_EQ(data_type_of(cv), data_type_of(value));
  }
  EXPECT_EQ(std::get<std::uint16_t>(to_condition_value(Value{std::uint16_t{80}})), 80);
  EXPECT_EQ(std::get<Sid>(to_condition_value(Value{Sid{"S-1-5-18"}})).text, "S-1-5-18");
  EXPECT_EQ(std::get<ByteBlob>(to_condition_value(Value{ByteBlob{{'a', 'b'}}})).bytes,
            (std::vector<std::uint8_t>{'a', 'b'}));
}

TEST(Range, ComparesBothEnds) {
  const Range a{std::uint16_t{1}, std::uint16_t{2}};
  EXPECT_EQ(a, (Range{std::uint16_t{1}, std::uint16_t{2}}));
  EXPECT_NE(a, (Range{std::uint16_t{1}, std::uint16_t{3}}));
  EXPECT_NE(a, (Range{std::uint32_t{1}, std::uint32_t{2}}));
}

}  // namespace
}  // namespace openfwp::model
