// SPDX-License-Identifier: Apache-2.0
// IncomingBuilder: the incoming values of one classification, set by typed value or by the text
// `fwp explain FIELD=VALUE` accepts (model::parse_incoming_value):
//   IncomingBuilder(LayerId::kAleAuthConnectV4).set(FieldId::kIpRemotePort, std::uint16_t{80})
//       .set("FWPM_CONDITION_IP_REMOTE_ADDRESS", "198.18.0.2").build();
#pragma once

#include "model/catalog.h"
#include "model/incoming_values.h"
#include "model/value.h"
#include "model/value_text.h"

#include <gtest/gtest.h>

#include <string_view>
#include <utility>

namespace openfwp::testing {

/// Builds model::IncomingValues for one layer. A field the layer does not carry, a value of the
/// wrong type or a text that does not parse is reported with ADD_FAILURE() and changes nothing.
class IncomingBuilder {
 public:
  explicit IncomingBuilder(model::LayerId layer) : values_(layer) {}

  IncomingBuilder& set(model::FieldId field, model::Value value) {
    if (!values_.set(field, std::move(value))) {
      ADD_FAILURE() << "IncomingBuilder: " << model::field_info(field).wfp_name << " is not at "
                    << model::layer_info(values_.layer()).wfp_name
                    << " or the value is not of its incoming type";
    }
    return *this;
  }

  IncomingBuilder& set(std::string_view field, std::string_view text) {
    const auto field_id = model::find_field(field);
    if (!field_id) {
      ADD_FAILURE() << "IncomingBuilder: unknown field " << field;
      return *this;
    }
    auto value = model::parse_incoming_value(values_.layer(), *field_id, text);
    if (!value) {
      ADD_FAILURE() << "IncomingBuilder: " << value.error().message;
      return *this;
    }
    return set(*field_id, std::move(*value));
  }

  model::IncomingValues build() const { return values_; }

 private:
  model::IncomingValues values_;
};

}  // namespace openfwp::testing
