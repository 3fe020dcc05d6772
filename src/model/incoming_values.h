// SPDX-License-Identifier: Apache-2.0
// IncomingValues: the values a layer presents to classification (FWPS_INCOMING_VALUES0), one
// slot per field of the layer in FWPS_FIELDS_* order. Unset slots are FWP_EMPTY; a condition on
// an empty field does not match (WFP compares against FWP_EMPTY, which equals nothing set).
#pragma once

#include "common/assert.h"
#include "model/catalog.h"
#include "model/value.h"

#include <vector>

namespace openfwp::model {

class IncomingValues {
 public:
  explicit IncomingValues(LayerId layer)
      : layer_(layer), values_(layer_info(layer).fields.size()) {}

  LayerId layer() const { return layer_; }

  /// Sets a field; returns false (and changes nothing) if the layer has no such field or the
  /// value's type is not the field's incoming type at this layer (for identity fields, whose
  /// incoming type is a token, the value is the user's Sid).
  bool set(FieldId field, Value value) {
    const auto index = field_index(layer_, field);
    if (!index) return false;
    const DataType expected = incoming_type(layer_, field);
    const DataType given = data_type_of(value);
    if (given != expected && !(is_token_type(expected) && given == DataType::kSid)) return false;
    values_[*index] = std::move(value);
    return true;
  }

  /// The value of `field`, or nullptr if the layer has no such field. An unset field is
  /// std::monostate.
  const Value* get(FieldId field) const {
    const auto index = field_index(layer_, field);
    return index ? &values_[*index] : nullptr;
  }

  /// By position in the layer's field list.
  const Value& at(std::size_t index) const {
    OPENFWP_ASSERT(index < values_.size(), "field index out of range");
    return values_[index];
  }
  std::size_t size() const { return values_.size(); }

 private:
  LayerId layer_;
  std::vector<Value> values_;
};

}  // namespace openfwp::model
