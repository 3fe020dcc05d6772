// SPDX-License-Identifier: Apache-2.0
// Finds catalog rows by property (a field of some type, a field some layer lacks), so tests of
// per-type behaviour run against whatever catalog is built in and skip, rather than fail, when
// it has no such row.
#pragma once

#include "model/catalog.h"
#include "model/data_type.h"

#include <optional>

namespace openfwp::testing {

struct FieldAtLayer {
  model::LayerId layer;
  model::FieldId field;
};

/// The first (layer, field) pair, in catalog order, where the layer carries a field of `type`.
inline std::optional<FieldAtLayer> find_field_of_type(model::FieldType type) {
  for (const auto& layer : model::all_layers()) {
    for (const auto field : layer.fields) {
      if (model::field_info(field).type == type) {
        return FieldAtLayer{layer.id, field};
      }
    }
  }
  return std::nullopt;
}

/// The first pair whose incoming value at that layer has FWP type `type`.
inline std::optional<FieldAtLayer> find_field_with_incoming_type(model::DataType type) {
  for (const auto& layer : model::all_layers()) {
    for (const auto field : layer.fields) {
      if (model::incoming_type(layer.id, field) == type) {
        return FieldAtLayer{layer.id, field};
      }
    }
  }
  return std::nullopt;
}

/// A layer with a catalogued field list and a known field that is not on it.
inline std::optional<FieldAtLayer> find_field_missing_from_a_layer() {
  for (const auto& layer : model::all_layers()) {
    if (layer.fields.empty()) {
      continue;  // not catalogued: any field is accepted there
    }
    for (const auto& field : model::all_fields()) {
      if (!model::field_index(layer.id, field.id)) {
        return FieldAtLayer{layer.id, field.id};
      }
    }
  }
  return std::nullopt;
}

}  // namespace openfwp::testing
