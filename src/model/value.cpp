// SPDX-License-Identifier: Apache-2.0
// Type tags of values; the index correspondence between Value and ConditionValue.
#include "model/value.h"

#include "common/assert.h"

namespace openfwp::model {
namespace {

// DataType of the alternative at `index`; Value and ConditionValue share the first ten.
constexpr std::array<DataType, 14> kTypeByIndex{
    DataType::kEmpty,      DataType::kUint8,
    DataType::kUint16,     DataType::kUint32,
    DataType::kUint64,     DataType::kByteArray16,
    DataType::kByteArray6, DataType::kByteBlob,
    DataType::kSid,        DataType::kUnicodeString,
    DataType::kV4AddrMask, DataType::kV6AddrMask,
    DataType::kRange,      DataType::kSecurityDescriptor};

static_assert(std::variant_size_v<Value> == 10);
static_assert(std::variant_size_v<ConditionValue> == kTypeByIndex.size());

}  // namespace

DataType data_type_of(const Value& value) { return kTypeByIndex[value.index()]; }

DataType data_type_of(const ConditionValue& value) { return kTypeByIndex[value.index()]; }

ConditionValue to_condition_value(const Value& value) {
  return std::visit([](const auto& v) -> ConditionValue { return v; }, value);
}

}  // namespace openfwp::model
