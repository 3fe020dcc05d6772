// SPDX-License-Identifier: Apache-2.0
// FilterBuilder: one readable expression per test filter, with typed conditions or the same text
// forms a policy file uses (model::parse_condition_value), so tests say what they mean:
//   FilterBuilder("web").layer(LayerId::kAleAuthConnectV4).permit()
//       .condition(FieldId::kIpRemotePort, MatchType::kEqual, std::uint16_t{80}).build();
//   FilterBuilder("high ports").layer(LayerId::kAleAuthConnectV4).block()
//       .condition("FWPM_CONDITION_IP_REMOTE_PORT", "FWP_MATCH_RANGE", {"1024", "65535"}).build();
#pragma once

#include "common/guid.h"
#include "model/catalog.h"
#include "model/filter.h"
#include "model/value.h"
#include "model/value_text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace openfwp::testing {

/// Builds a model::Filter. Unset members keep model::Filter's defaults: layer 0, the universal
/// sublayer (null key), FWP_EMPTY weight, FWP_ACTION_BLOCK, no flags, no conditions. The builder
/// does not validate (tests of validation need invalid filters); model::validate_filter does.
///
/// A text the builder cannot resolve (unknown layer, field or match name; a value that does not
/// parse) is reported with ADD_FAILURE() and changes nothing, so a typo fails the test that made
/// it instead of building a filter that silently matches something else.
class FilterBuilder {
 public:
  /// `name` is displayData.name; pass "" to build a nameless filter.
  explicit FilterBuilder(std::string name) { filter_.name = std::move(name); }

  /// The layer, by id or by any spelling model::find_layer accepts. Set it before text
  /// conditions: how a value parses depends on the layer's family (V4 or V6 addresses).
  FilterBuilder& layer(model::LayerId id) {
    filter_.layer = id;
    return *this;
  }
  FilterBuilder& layer(std::string_view text) {
    if (auto id = model::find_layer(text)) {
      filter_.layer = *id;
    } else {
      ADD_FAILURE() << "FilterBuilder(\"" << filter_.name << "\"): unknown layer " << text;
    }
    return *this;
  }

  /// Identity and bookkeeping members, as written.
  FilterBuilder& key(const Guid& filter_key) {
    filter_.key = filter_key;
    return *this;
  }
  FilterBuilder& id(std::uint64_t filter_id) {
    filter_.id = filter_id;
    return *this;
  }
  FilterBuilder& description(std::string text) {
    filter_.description = std::move(text);
    return *this;
  }
  FilterBuilder& sublayer(const Guid& sublayer_key) {
    filter_.sublayer = sublayer_key;
    return *this;
  }
  FilterBuilder& provider(const Guid& provider_key) {
    filter_.provider = provider_key;
    return *this;
  }
  FilterBuilder& raw_context(std::uint64_t context) {
    filter_.raw_context = context;
    return *this;
  }

  /// Weight as written. weight_uint8 takes a wide argument on purpose, so a test can write an
  /// out-of-range index (16) and see validation reject it.
  FilterBuilder& weight_empty() {
    filter_.weight = model::Weight{};
    return *this;
  }
  FilterBuilder& weight_uint8(std::uint64_t range_index) {
    filter_.weight = model::Weight{model::Weight::Kind::kUint8, range_index};
    return *this;
  }
  FilterBuilder& weight_uint64(std::uint64_t weight) {
    filter_.weight = model::Weight{model::Weight::Kind::kUint64, weight};
    return *this;
  }

  /// The action. callout() only sets the callout key; pair it with action(kCallout…).
  FilterBuilder& action(model::ActionType type) {
    filter_.action = type;
    return *this;
  }
  FilterBuilder& permit() { return action(model::ActionType::kPermit); }
  FilterBuilder& block() { return action(model::ActionType::kBlock); }
  FilterBuilder& callout(const Guid& callout_key) {
    filter_.callout = callout_key;
    return *this;
  }

  /// ORs FWPM_FILTER_FLAG_* bits into the flags: flags(kPersistent, kClearActionRight).
  template <class... More>
  FilterBuilder& flags(std::uint32_t first, More... more) {
    filter_.flags |= (first | ... | static_cast<std::uint32_t>(more));
    return *this;
  }

  /// Appends a typed condition: condition(FieldId::kIpRemotePort, MatchType::kEqual,
  /// std::uint16_t{80}). The value's C++ type picks the FWP type, so write it typed.
  FilterBuilder& condition(model::FieldId field, model::MatchType match,
                           model::ConditionValue value) {
    filter_.conditions.push_back(model::Condition{field, match, std::move(value)});
    return *this;
  }

  /// Appends a condition from policy-file text: the field and match type by WFP name or alias,
  /// the value as one text, or two for a range ({"1024", "65535"}).
  FilterBuilder& condition(std::string_view field, std::string_view match,
                           const std::vector<std::string>& value_parts) {
    const auto field_id = model::find_field(field);
    if (!field_id) {
      ADD_FAILURE() << "FilterBuilder(\"" << filter_.name << "\"): unknown field " << field;
      return *this;
    }
    const auto match_type = model::match_type_from_text(match);
    if (!match_type) {
      ADD_FAILURE() << "FilterBuilder(\"" << filter_.name << "\"): unknown match type " << match;
      return *this;
    }
    auto value = model::parse_condition_value(filter_.layer, *field_id, value_parts);
    if (!value) {
      ADD_FAILURE() << "FilterBuilder(\"" << filter_.name << "\"): " << value.error().message;
      return *this;
    }
    return condition(*field_id, *match_type, std::move(*value));
  }
  FilterBuilder& condition(std::string_view field, std::string_view match, const char* value) {
    return condition(field, match, std::vector<std::string>{value});
  }

  /// A copy of the filter built so far; the builder stays usable for variations.
  model::Filter build() const { return filter_; }

 private:
  model::Filter filter_;
};

}  // namespace openfwp::testing
