// SPDX-License-Identifier: Apache-2.0
// FWP data type names, both ways.
#include "model/data_type.h"

#include <gtest/gtest.h>

#include <string_view>
#include <utility>
#include <vector>

namespace openfwp::model {
namespace {

const std::vector<std::pair<DataType, std::string_view>>& all_names() {
  static const std::vector<std::pair<DataType, std::string_view>> names = {
      {DataType::kEmpty, "FWP_EMPTY"},
      {DataType::kUint8, "FWP_UINT8"},
      {DataType::kUint16, "FWP_UINT16"},
      {DataType::kUint32, "FWP_UINT32"},
      {DataType::kUint64, "FWP_UINT64"},
      {DataType::kByteArray16, "FWP_BYTE_ARRAY16_TYPE"},
      {DataType::kByteBlob, "FWP_BYTE_BLOB_TYPE"},
      {DataType::kSid, "FWP_SID"},
      {DataType::kSecurityDescriptor, "FWP_SECURITY_DESCRIPTOR_TYPE"},
      {DataType::kTokenInformation, "FWP_TOKEN_INFORMATION_TYPE"},
      {DataType::kUnicodeString, "FWP_UNICODE_STRING_TYPE"},
      {DataType::kByteArray6, "FWP_BYTE_ARRAY6_TYPE"},
      {DataType::kV4AddrMask, "FWP_V4_ADDR_MASK"},
      {DataType::kV6AddrMask, "FWP_V6_ADDR_MASK"},
      {DataType::kRange, "FWP_RANGE_TYPE"},
      {DataType::kTokenAccessInformation, "FWP_TOKEN_ACCESS_INFORMATION_TYPE"},
  };
  return names;
}

TEST(DataTypeName, EveryTypeHasItsFwptypesSpelling) {
  for (const auto& [type, name] : all_names()) {
    EXPECT_EQ(data_type_name(type), name);
  }
}

TEST(DataTypeName, ParsesEveryNameBack) {
  for (const auto& [type, name] : all_names()) {
    EXPECT_EQ(data_type_from_name(name), std::optional<DataType>(type)) << name;
  }
}

TEST(DataTypeName, NamesAreExactAndCaseSensitive) {
  EXPECT_FALSE(data_type_from_name(""));
  EXPECT_FALSE(data_type_from_name("fwp_uint8"));
  EXPECT_FALSE(data_type_from_name("FWP_UINT"));
  EXPECT_FALSE(data_type_from_name("FWP_UNKNOWN"));
  EXPECT_EQ(data_type_name(static_cast<DataType>(200)), "FWP_UNKNOWN");
}

}  // namespace
}  // namespace openfwp::model
