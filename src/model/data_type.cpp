// SPDX-License-Identifier: Apache-2.0
// Names of FWP data types, as fwptypes.h and netsh spell them.
#include "model/data_type.h"

#include <array>
#include <utility>

namespace openfwp::model {
namespace {

constexpr std::array<std::pair<DataType, std::string_view>, 16> kNames{{
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
}};

}  // namespace

std::string_view data_type_name(DataType type) {
  for (const auto& [t, name] : kNames) {
    if (t == type) return name;
  }
  return "FWP_UNKNOWN";
}

std::optional<DataType> data_type_from_name(std::string_view name) {
  for (const auto& [t, n] : kNames) {
    if (n == name) return t;
  }
  return std::nullopt;
}

}  // namespace openfwp::model
