// SPDX-License-Identifier: Apache-2.0
// Compiling numeric conditions to intervals, with the same type rules as condition_match.cpp.
#include "classify/internal/field_interval.h"

#include <bit>

namespace openfwp::classify::internal {
namespace {

using model::DataType;
using model::MatchType;

Bits all_ones(std::uint8_t width) { return width >= 128 ? ~Bits{0} : (Bits{1} << width) - 1; }

// The numeric incoming types: the Value alternative an incoming value of that type holds, and
// its width in bits.
struct NumericKind {
  std::size_t alternative;
  std::uint8_t width;
};

std::optional<NumericKind> numeric_kind(DataType incoming) {
  switch (incoming) {
    case DataType::kUint8:
      return NumericKind{1, 8};
    case DataType::kUint16:
      return NumericKind{2, 16};
    case DataType::kUint32:
      return NumericKind{3, 32};
    case DataType::kUint64:
      return NumericKind{4, 64};
    case DataType::kByteArray16:
      return NumericKind{5, 128};
    default:
      return std::nullopt;
  }
}

Bits from_bytes(const model::ByteArray16& bytes) {
  Bits v = 0;
  for (const auto byte : bytes) v = (v << 8U) | byte;
  return v;
}

// The number in a Value or a ConditionValue (whose first alternatives mirror Value's).
template <class Variant>
std::optional<Bits> number_in(const Variant& variant) {
  return std::visit(
      [](const auto& x) -> std::optional<Bits> {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_integral_v<T>) {
          return static_cast<Bits>(x);
        } else if constexpr (std::is_same_v<T, model::ByteArray16>) {
          return from_bytes(x);
        } else {
          return std::nullopt;
        }
      },
      variant);
}

// A condition value's (or range end's) number, if it is a plain value of the field's own
// alternative: the generic code compares values of different alternatives as unequal and
// unordered.
template <class Variant>
std::optional<Bits> same_type_number(const Variant& value, std::size_t alternative) {
  if (value.index() != alternative) return std::nullopt;
  return number_in(value);
}

}  // namespace

std::uint8_t indexed_width(DataType incoming) {
  const auto kind = numeric_kind(incoming);
  return kind ? kind->width : 0;
}

std::optional<Bits> numeric_value(const model::Value& value) { return number_in(value); }

std::optional<Interval> condition_interval(const model::Condition& condition, DataType incoming,
                                           std::uint8_t width) {
  const auto kind = numeric_kind(incoming);
  if (!kind || width == 0) return std::nullopt;
  const std::size_t alternative = kind->alternative;
  const Bits max = all_ones(width);
  const model::ConditionValue& cv = condition.value;
  switch (condition.match) {
    case MatchType::kEqual: {
      if (const auto* p4 = std::get_if<Ipv4Prefix>(&cv)) {
        if (incoming != DataType::kUint32) return std::nullopt;
        // Ipv4Prefix::contains: lengths above 32 mean 32.
        const unsigned length = p4->length > 32 ? 32U : p4->length;
        const Bits host = length == 32 ? Bits{0} : all_ones(static_cast<std::uint8_t>(32 - length));
        const Bits net = static_cast<Bits>(p4->address) & ~host & max;
        return Interval{net, net | host};
      }
      if (const auto* p6 = std::get_if<Ipv6Prefix>(&cv)) {
        if (incoming != DataType::kByteArray16) return std::nullopt;
        const unsigned length = p6->length > 128 ? 128U : p6->length;
        const Bits host =
            length == 128 ? Bits{0} : all_ones(static_cast<std::uint8_t>(128 - length));
        const Bits net = from_bytes(p6->address) & ~host;
        return Interval{net, net | host};
      }
      const auto v = same_type_number(cv, alternative);
      if (!v) return std::nullopt;
      return Interval{*v, *v};
    }
    case MatchType::kRange: {
      const auto* range = std::get_if<model::Range>(&cv);
      if (range == nullptr) return std::nullopt;
      const auto lo = same_type_number(range->low, alternative);
      const auto hi = same_type_number(range->high, alternative);
      if (!lo || !hi) return std::nullopt;
      return Interval{*lo, *hi};
    }
    case MatchType::kGreater:
    case MatchType::kGreaterOrEqual:
    case MatchType::kLess:
    case MatchType::kLessOrEqual: {
      const auto v = same_type_number(cv, alternative);
      if (!v) return std::nullopt;
      const Interval empty{1, 0};
      switch (condition.match) {
        case MatchType::kGreater:
          return *v == max ? empty : Interval{*v + 1, max};
        case MatchType::kGreaterOrEqual:
          return Interval{*v, max};
        case MatchType::kLess:
          return *v == 0 ? empty : Interval{0, *v - 1};
        default:
          return Interval{0, *v};
      }
    }
    default:
      return std::nullopt;
  }
}

std::uint8_t common_prefix_length(const Interval& interval, std::uint8_t width) {
  const Bits differing = interval.lo ^ interval.hi;
  const auto high = static_cast<std::uint64_t>(differing >> 64U);
  const auto low = static_cast<std::uint64_t>(differing);
  const auto bits = high != 0 ? 64 + std::bit_width(high) : std::bit_width(low);
  return static_cast<std::uint8_t>(width - bits);
}

}  // namespace openfwp::classify::internal
