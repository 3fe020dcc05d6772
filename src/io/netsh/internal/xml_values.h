// SPDX-License-Identifier: Apache-2.0
// Typed values of netsh XML (FWP_VALUE / FWP_CONDITION_VALUE elements) → model values. Internal
// to io/netsh: the importer's one place that knows how netsh prints each FWP type.
#pragma once

#include "common/result.h"
#include "model/catalog.h"
#include "model/value.h"

#include <pugixml.hpp>

#include <string>
#include <variant>

namespace openfwp::io::netsh::internal {

/// Why a value could not become a model value: the whole object is then kept as unsupported
/// (a type or form openfwp does not model), as opposed to an Error (the dump is malformed).
struct Unsupported {
  std::string reason;
};

template <class T>
using Converted = std::variant<T, Unsupported>;

/// A <conditionValue> for a condition on `field` at `layer`. Errors (kParse, no location; the
/// caller adds it) for text that is not of the type the element says; Unsupported for a type
/// openfwp does not model there. `lossy` is set to a note when the model keeps less than the
/// dump said (an application id whose bytes are not the usual NUL-terminated UTF-16 path).
Result<Converted<model::ConditionValue>> condition_value(const pugi::xml_node& node,
                                                         model::LayerId layer, model::FieldId field,
                                                         std::string& lossy);

/// A decimal unsigned integer no larger than `max` (netsh prints ids, weights and contexts so).
Result<std::uint64_t> decimal(std::string_view text, std::uint64_t max, std::string_view what);

}  // namespace openfwp::io::netsh::internal
