// SPDX-License-Identifier: Apache-2.0
// FwpmFilterAdd0's checks, as openfwp applies them.
#include "model/validation.h"

#include <fmt/format.h>

#include <type_traits>
#include <variant>

namespace openfwp::model {
namespace {

bool is_unsigned_type(DataType t) {
  return t == DataType::kUint8 || t == DataType::kUint16 || t == DataType::kUint32 ||
         t == DataType::kUint64;
}

Error condition_error(ErrorCode code, const Condition& c, std::string detail) {
  return Error{code, fmt::format("condition on {}: {}", field_info(c.field).wfp_name, detail), {}};
}

// Is the condition value's type one a condition on a field of `incoming` type may carry?
bool value_type_fits(DataType incoming, const ConditionValue& value) {
  const DataType type = data_type_of(value);
  switch (type) {
    case DataType::kV4AddrMask:
      return incoming == DataType::kUint32;
    case DataType::kV6AddrMask:
      return incoming == DataType::kByteArray16;
    case DataType::kSecurityDescriptor:
      return is_token_type(incoming);
    case DataType::kRange: {
      const auto& range = std::get<Range>(value);
      return data_type_of(range.low) == incoming && data_type_of(range.high) == incoming;
    }
    default:
      return type == incoming;
  }
}

// low <= high, for the sortable types a range may hold (value_type_fits has checked that both
// ends have the field's type).
bool is_ordered(const Range& range) {
  return std::visit(
      [&](const auto& low) -> bool {
        using T = std::decay_t<decltype(low)>;
        if constexpr (std::is_integral_v<T> || std::is_same_v<T, ByteArray16>) {
          const auto* high = std::get_if<T>(&range.high);
          return high == nullptr || low <= *high;
        } else if constexpr (std::is_same_v<T, ByteBlob>) {
          const auto* high = std::get_if<T>(&range.high);
          return high == nullptr || low.bytes <= high->bytes;
        } else if constexpr (std::is_same_v<T, UnicodeString>) {
          const auto* high = std::get_if<T>(&range.high);
          return high == nullptr || low.text <= high->text;
        } else {
          return true;
        }
      },
      range.low);
}

bool match_fits(MatchType match, DataType type) {
  switch (match) {
    case MatchType::kEqual:
      return type != DataType::kRange && type != DataType::kEmpty;
    case MatchType::kNotEqual:
      // fwptypes.h says "only sortable types", but the base filtering engine accepts more:
      // Windows' own filters use FWP_MATCH_NOT_EQUAL on FWP_SID (168 of them in the dumps under
      // ../shared/data/netsh-dumps). Accept what Windows accepts.
      return type != DataType::kRange && type != DataType::kEmpty;
    case MatchType::kGreater:
    case MatchType::kLess:
    case MatchType::kGreaterOrEqual:
    case MatchType::kLessOrEqual:
      // Sortable types (fwptypes.h): integers, FWP_BYTE_ARRAY16_TYPE, blobs and strings.
      return is_unsigned_type(type) || type == DataType::kByteArray16 ||
             type == DataType::kByteBlob || type == DataType::kUnicodeString;
    case MatchType::kRange:
      return type == DataType::kRange;
    case MatchType::kFlagsAllSet:
    case MatchType::kFlagsAnySet:
    case MatchType::kFlagsNoneSet:
      return is_unsigned_type(type);
    case MatchType::kEqualCaseInsensitive:
      return type == DataType::kUnicodeString;
    case MatchType::kPrefix:
    case MatchType::kNotPrefix:
      return type == DataType::kUnicodeString || type == DataType::kByteBlob;
  }
  return false;
}

}  // namespace

Result<void> validate_condition(LayerId layer, const Condition& condition) {
  const LayerInfo& info = layer_info(layer);
  // Layers whose field list is not catalogued accept any known field: we cannot check more.
  if (!info.fields.empty() && !field_index(layer, condition.field)) {
    return tl::unexpected(condition_error(
        ErrorCode::kConditionNotFound, condition,
        fmt::format("field is not available at {} (FWP_E_CONDITION_NOT_FOUND)", info.wfp_name)));
  }
  const DataType incoming =
      info.fields.empty() ? data_type_of(condition.value) : incoming_type(layer, condition.field);
  if (!value_type_fits(incoming, condition.value)) {
    return tl::unexpected(condition_error(
        ErrorCode::kTypeMismatch, condition,
        fmt::format("value of type {} does not fit a field of type {} (FWP_E_TYPE_MISMATCH)",
                    data_type_name(data_type_of(condition.value)), data_type_name(incoming))));
  }
  const DataType value_type = data_type_of(condition.value);
  if (const auto* p4 = std::get_if<Ipv4Prefix>(&condition.value); p4 && p4->length > 32) {
    return tl::unexpected(condition_error(
        ErrorCode::kInvalidNetMask, condition,
        fmt::format("prefix length /{} is longer than an IPv4 address (FWP_E_INVALID_NET_MASK)",
                    p4->length)));
  }
  if (const auto* p6 = std::get_if<Ipv6Prefix>(&condition.value); p6 && p6->length > 128) {
    return tl::unexpected(condition_error(
        ErrorCode::kInvalidNetMask, condition,
        fmt::format("prefix length /{} is longer than an IPv6 address (FWP_E_INVALID_NET_MASK)",
                    p6->length)));
  }
  if (const auto* range = std::get_if<Range>(&condition.value); range && !is_ordered(*range)) {
    return tl::unexpected(
        condition_error(ErrorCode::kInvalidRange, condition,
                        "range low end is above its high end (FWP_E_INVALID_RANGE)"));
  }
  // Address masks compare by containment only.
  const bool mask = value_type == DataType::kV4AddrMask || value_type == DataType::kV6AddrMask;
  const bool sd_or_sid =
      value_type == DataType::kSecurityDescriptor || value_type == DataType::kSid;
  const bool equality_only = mask || sd_or_sid;
  if (!match_fits(condition.match, value_type) ||
      (equality_only && condition.match != MatchType::kEqual &&
       condition.match != MatchType::kNotEqual)) {
    return tl::unexpected(condition_error(
        ErrorCode::kMatchTypeMismatch, condition,
        fmt::format("{} cannot compare a value of type {} (FWP_E_MATCH_TYPE_MISMATCH)",
                    match_type_name(condition.match), data_type_name(value_type))));
  }
  return {};
}

Result<void> validate_filter(const Filter& filter) {
  auto fail_filter = [&](ErrorCode code, const std::string& detail) {
    return tl::unexpected(Error{code, fmt::format("filter \"{}\": {}", filter.name, detail), {}});
  };
  if (filter.name.empty()) {
    return tl::unexpected(
        Error{ErrorCode::kNullPointer, "filter has no name (displayData.name is required)", {}});
  }
  if (filter.weight.kind == Weight::Kind::kUint8 && filter.weight.value > 15) {
    return fail_filter(ErrorCode::kInvalidWeight,
                       fmt::format("FWP_UINT8 weight {} is outside the weight ranges 0-15 "
                                   "(FWP_E_INVALID_WEIGHT)",
                                   filter.weight.value));
  }
  if ((filter.flags & filter_flag::kPersistent) != 0 &&
      (filter.flags & filter_flag::kBoottime) != 0) {
    return fail_filter(ErrorCode::kInvalidFlags,
                       "FWPM_FILTER_FLAG_PERSISTENT and FWPM_FILTER_FLAG_BOOTTIME cannot be "
                       "combined (FWP_E_INVALID_FLAGS)");
  }
  if ((filter.flags & filter_flag::kPermitIfCalloutUnregistered) != 0 &&
      filter.action != ActionType::kCalloutTerminating &&
      filter.action != ActionType::kCalloutUnknown) {
    return fail_filter(ErrorCode::kInvalidFlags,
                       "FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED needs action "
                       "FWP_ACTION_CALLOUT_TERMINATING or FWP_ACTION_CALLOUT_UNKNOWN "
                       "(FWP_E_INVALID_FLAGS)");
  }
  if (is_callout_action(filter.action) && !filter.callout) {
    return fail_filter(ErrorCode::kInvalidActionType,
                       fmt::format("action {} needs a callout (FWP_E_INVALID_ACTION_TYPE)",
                                   action_type_name(filter.action)));
  }
  if (!is_callout_action(filter.action) && filter.callout) {
    return fail_filter(ErrorCode::kInvalidActionType,
                       fmt::format("action {} cannot name a callout (FWP_E_INVALID_ACTION_TYPE)",
                                   action_type_name(filter.action)));
  }
  for (const auto& condition : filter.conditions) {
    auto checked = validate_condition(filter.layer, condition);
    if (!checked) return fail_filter(checked.error().code, checked.error().message);
  }
  return {};
}

}  // namespace openfwp::model
