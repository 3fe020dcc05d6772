// SPDX-License-Identifier: Apache-2.0
// FWP_DATA_TYPE: the types of incoming values and condition values (fwptypes.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace openfwp::model {

/// The FWP data types that the modelled layers' fields and their conditions use.
enum class DataType : std::uint8_t {
  kEmpty,                   ///< FWP_EMPTY
  kUint8,                   ///< FWP_UINT8
  kUint16,                  ///< FWP_UINT16
  kUint32,                  ///< FWP_UINT32
  kUint64,                  ///< FWP_UINT64
  kByteArray16,             ///< FWP_BYTE_ARRAY16_TYPE
  kByteBlob,                ///< FWP_BYTE_BLOB_TYPE
  kSid,                     ///< FWP_SID
  kSecurityDescriptor,      ///< FWP_SECURITY_DESCRIPTOR_TYPE
  kTokenInformation,        ///< FWP_TOKEN_INFORMATION_TYPE (incoming user identity)
  kUnicodeString,           ///< FWP_UNICODE_STRING_TYPE
  kByteArray6,              ///< FWP_BYTE_ARRAY6_TYPE
  kV4AddrMask,              ///< FWP_V4_ADDR_MASK
  kV6AddrMask,              ///< FWP_V6_ADDR_MASK
  kRange,                   ///< FWP_RANGE_TYPE
  kTokenAccessInformation,  ///< FWP_TOKEN_ACCESS_INFORMATION_TYPE (ALE user identities)
};

/// The incoming types that carry a caller's identity (a token). openfwp's stand-in for a token
/// is the user's Sid (value.h), matched against security-descriptor conditions.
inline bool is_token_type(DataType type) {
  return type == DataType::kTokenInformation || type == DataType::kTokenAccessInformation;
}

/// WFP's spelling: "FWP_UINT16", "FWP_V4_ADDR_MASK", …
std::string_view data_type_name(DataType type);
std::optional<DataType> data_type_from_name(std::string_view name);

}  // namespace openfwp::model
