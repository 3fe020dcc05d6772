// SPDX-License-Identifier: Apache-2.0
// Values: FWP_VALUE (what a layer's incoming field carries) and FWP_CONDITION_VALUE (what a
// filter condition compares it with: a value, an address mask, a range or a security
// descriptor).
#pragma once

#include "common/ip_address.h"
#include "model/data_type.h"

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace openfwp::model {

using ByteArray16 = std::array<std::uint8_t, 16>;  ///< FWP_BYTE_ARRAY16_TYPE
using ByteArray6 = std::array<std::uint8_t, 6>;    ///< FWP_BYTE_ARRAY6_TYPE (MAC address)

/// FWP_BYTE_BLOB_TYPE. Application ids are blobs too; openfwp keeps them as the lower-cased
/// path text (see model/value_text.h for why).
struct ByteBlob {
  std::vector<std::uint8_t> bytes;
  friend auto operator<=>(const ByteBlob&, const ByteBlob&) = default;
};

/// FWP_SID in its string form ("S-1-5-18").
struct Sid {
  std::string text;
  friend auto operator<=>(const Sid&, const Sid&) = default;
};

/// FWP_UNICODE_STRING_TYPE, held as UTF-8.
struct UnicodeString {
  std::string text;
  friend auto operator<=>(const UnicodeString&, const UnicodeString&) = default;
};

/// FWP_SECURITY_DESCRIPTOR_TYPE, held as SDDL text ("D:(A;;CC;;;S-1-5-18)").
struct SecurityDescriptor {
  std::string sddl;
  friend auto operator<=>(const SecurityDescriptor&, const SecurityDescriptor&) = default;
};

/// An FWP_VALUE: monostate is FWP_EMPTY. For the user-identity fields the incoming value is
/// the user's Sid (openfwp's stand-in for FWP_TOKEN_INFORMATION; see security_descriptor.h).
using Value = std::variant<std::monostate, std::uint8_t, std::uint16_t, std::uint32_t,
                           std::uint64_t, ByteArray16, ByteArray6, ByteBlob, Sid, UnicodeString>;

/// FWP_RANGE: both ends have the same type; low <= high (checked on validation).
struct Range {
  Value low;
  Value high;
  friend bool operator==(const Range&, const Range&) = default;
};

/// An FWP_CONDITION_VALUE. The alternatives before Ipv4Prefix mirror Value's one for one, so a
/// Value converts by index.
using ConditionValue =
    std::variant<std::monostate, std::uint8_t, std::uint16_t, std::uint32_t, std::uint64_t,
                 ByteArray16, ByteArray6, ByteBlob, Sid, UnicodeString, Ipv4Prefix, Ipv6Prefix,
                 Range, SecurityDescriptor>;

DataType data_type_of(const Value& value);
DataType data_type_of(const ConditionValue& value);
ConditionValue to_condition_value(const Value& value);

}  // namespace openfwp::model
