// SPDX-License-Identifier: Apache-2.0
// Text forms of values, shared by policy files, the CLI (`explain FIELD=VALUE`) and output.
// One place decides what "80", "tcp", "198.18.0.0/15", "[1024, 65535]" or an app path means
// for a given field at a given layer, and prints values back in the same canonical form.
//
// Application ids: Windows stores FWPM_CONDITION_ALE_APP_ID as the UTF-16 NT device path that
// FwpmGetAppIdFromFileName0 returns (lower case). openfwp keeps the path text, lower-cased, as
// the blob's bytes. DEVIATION(WFP): no drive-letter to \device\harddiskvolumeN translation;
// policies and scenarios must use the same spelling for the same program.
#pragma once

#include "common/result.h"
#include "model/catalog.h"
#include "model/filter.h"
#include "model/value.h"

#include <string>
#include <string_view>
#include <vector>

namespace openfwp::model {

/// Parses the value of a condition on `field` at `layer`. `parts` holds one text, or two
/// (low, high) when the policy wrote a range. Errors (kTypeMismatch, kInvalidNetMask,
/// kInvalidRange) name the field, the expected type and the text; the caller adds the location.
Result<ConditionValue> parse_condition_value(LayerId layer, FieldId field,
                                             const std::vector<std::string>& parts);

/// Parses one incoming value (`explain FIELD=VALUE`, scenario identities).
Result<Value> parse_incoming_value(LayerId layer, FieldId field, std::string_view text);

/// Canonical text of a value for `field`; ranges print as two texts.
std::vector<std::string> format_condition_value(FieldId field, const ConditionValue& value);
std::string format_value(FieldId field, const Value& value);

/// FWP_CONDITION_FLAG_* names ("FWP_CONDITION_FLAG_IS_LOOPBACK"), for the FLAGS field.
std::optional<std::uint32_t> condition_flag_from_text(std::string_view text);
std::string condition_flags_to_text(std::uint32_t flags);

/// The expected-type wording used in errors: "FWP_UINT16", "an IPv4 address or prefix", …
std::string expected_type_text(LayerId layer, FieldId field);

}  // namespace openfwp::model
