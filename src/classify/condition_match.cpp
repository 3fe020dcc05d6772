// SPDX-License-Identifier: Apache-2.0
// The comparison rules of each FWP_MATCH_* type, per value type.
#include "classify/condition_match.h"

#include "classify/security_descriptor.h"
#include "common/strings.h"

#include <algorithm>
#include <string_view>

namespace openfwp::classify {
namespace {

using model::ConditionValue;
using model::MatchType;
using model::Value;

std::optional<std::uint64_t> as_unsigned(const Value& v) {
  return std::visit(
      [](const auto& x) -> std::optional<std::uint64_t> {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_integral_v<T>) {
          return static_cast<std::uint64_t>(x);
        } else {
          return std::nullopt;
        }
      },
      v);
}

std::string_view as_text(const Value& v) {
  if (const auto* blob = std::get_if<model::ByteBlob>(&v)) {
    return {reinterpret_cast<const char*>(blob->bytes.data()), blob->bytes.size()};
  }
  if (const auto* text = std::get_if<model::UnicodeString>(&v)) return text->text;
  return {};
}

bool is_text(const Value& v) {
  return std::holds_alternative<model::ByteBlob>(v) ||
         std::holds_alternative<model::UnicodeString>(v);
}

// Three-way order of two values of the same ordered type; nullopt if not comparable.
std::optional<std::strong_ordering> order(const Value& a, const Value& b) {
  if (a.index() != b.index()) return std::nullopt;
  if (auto x = as_unsigned(a)) return *x <=> *as_unsigned(b);
  if (const auto* x = std::get_if<model::ByteArray16>(&a)) {
    return *x <=> std::get<model::ByteArray16>(b);
  }
  // FWP_BYTE_BLOB_TYPE and FWP_UNICODE_STRING_TYPE are sortable too (fwptypes.h,
  // FWP_MATCH_TYPE): byte by byte, a shorter value before a longer one it begins.
  if (is_text(a)) return as_text(a) <=> as_text(b);
  return std::nullopt;
}

// FWP_MATCH_EQUAL against any condition value that is not a range.
bool equals(const ConditionValue& cv, const Value& in) {
  if (const auto* p4 = std::get_if<Ipv4Prefix>(&cv)) {
    const auto* a = std::get_if<std::uint32_t>(&in);
    return a != nullptr && p4->contains(*a);
  }
  if (const auto* p6 = std::get_if<Ipv6Prefix>(&cv)) {
    const auto* a = std::get_if<model::ByteArray16>(&in);
    return a != nullptr && p6->contains(*a);
  }
  if (const auto* sd = std::get_if<model::SecurityDescriptor>(&cv)) {
    const auto* user = std::get_if<model::Sid>(&in);
    return user != nullptr && sddl_grants_match(sd->sddl, user->text);
  }
  if (std::holds_alternative<model::Range>(cv)) return false;
  // The remaining alternatives mirror Value's by index.
  if (cv.index() != in.index()) return false;
  return std::visit(
      [&](const auto& c) -> bool {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, Ipv4Prefix> || std::is_same_v<T, Ipv6Prefix> ||
                      std::is_same_v<T, model::Range> ||
                      std::is_same_v<T, model::SecurityDescriptor>) {
          return false;
        } else {
          return std::get<T>(in) == c;
        }
      },
      cv);
}

Value scalar_of(const ConditionValue& cv) {
  return std::visit(
      [](const auto& c) -> Value {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_constructible_v<Value, T> && !std::is_same_v<T, Ipv4Prefix> &&
                      !std::is_same_v<T, Ipv6Prefix> && !std::is_same_v<T, model::Range> &&
                      !std::is_same_v<T, model::SecurityDescriptor>) {
          return c;
        } else {
          return std::monostate{};
        }
      },
      cv);
}

}  // namespace

bool condition_matches(const model::Condition& condition, const Value& in) {
  if (std::holds_alternative<std::monostate>(in)) return false;
  const ConditionValue& cv = condition.value;
  switch (condition.match) {
    case MatchType::kEqual:
      return equals(cv, in);
    case MatchType::kNotEqual:
      return !equals(cv, in);
    case MatchType::kGreater:
    case MatchType::kLess:
    case MatchType::kGreaterOrEqual:
    case MatchType::kLessOrEqual: {
      // WFP compares the incoming value with the condition value: "in > cv" for GREATER.
      auto cmp = order(in, scalar_of(cv));
      if (!cmp) return false;
      switch (condition.match) {
        case MatchType::kGreater:
          return *cmp > 0;
        case MatchType::kLess:
          return *cmp < 0;
        case MatchType::kGreaterOrEqual:
          return *cmp >= 0;
        default:
          return *cmp <= 0;
      }
    }
    case MatchType::kRange: {
      const auto* range = std::get_if<model::Range>(&cv);
      if (range == nullptr) return false;
      auto low = order(in, range->low);
      auto high = order(in, range->high);
      return low && high && *low >= 0 && *high <= 0;
    }
    case MatchType::kFlagsAllSet:
    case MatchType::kFlagsAnySet:
    case MatchType::kFlagsNoneSet: {
      auto value = as_unsigned(in);
      auto mask = as_unsigned(scalar_of(cv));
      if (!value || !mask) return false;
      const std::uint64_t common = *value & *mask;
      if (condition.match == MatchType::kFlagsAllSet) return common == *mask;
      if (condition.match == MatchType::kFlagsAnySet) return common != 0;
      return common == 0;
    }
    case MatchType::kEqualCaseInsensitive: {
      const Value c = scalar_of(cv);
      return is_text(in) && is_text(c) && ascii_iequals(as_text(in), as_text(c));
    }
    case MatchType::kPrefix:
    case MatchType::kNotPrefix: {
      // fwptypes.h: "The name of this flag is misleading. It tests whether the value ends with
      // the condition value (that is, a suffix, not a prefix)."
      const Value c = scalar_of(cv);
      if (!is_text(in) || !is_text(c)) return false;
      const bool ends_with = as_text(in).ends_with(as_text(c));
      return condition.match == MatchType::kPrefix ? ends_with : !ends_with;
    }
  }
  return false;
}

std::optional<std::size_t> first_failing_condition(const model::Filter& filter,
                                                   const model::IncomingValues& in) {
  const auto& conditions = filter.conditions;
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    // Visit each field once, at its first condition.
    bool seen = false;
    for (std::size_t j = 0; j < i && !seen; ++j) seen = conditions[j].field == conditions[i].field;
    if (seen) continue;
    const Value* value = in.get(conditions[i].field);
    bool any = false;
    for (std::size_t j = i; j < conditions.size() && !any; ++j) {
      if (conditions[j].field != conditions[i].field) continue;
      any = value != nullptr && condition_matches(conditions[j], *value);
    }
    if (!any) return i;
  }
  return std::nullopt;
}

bool filter_matches(const model::Filter& filter, const model::IncomingValues& in) {
  return !first_failing_condition(filter, in).has_value();
}

}  // namespace openfwp::classify
