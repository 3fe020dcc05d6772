// SPDX-License-Identifier: Apache-2.0
// Compiling numeric conditions to intervals, with the same type rules as condition_match.cpp.
#include "classify/internal/field_interval.h"

#include <bit>

namespace openfwp::classify::internal {
namespace {

using model::DataType;
using model::MatchType;

Bits all_ones(std::uint8_t width) { return width >= 128 ? ~Bits{0} : (Bits{1} << width) - 1; }

// The Value alternative an incoming value of `incoming` type holds.
std::optional<std::size_t> alternative_of(DataType incoming) {
  switch (incoming) {
    case DataType::kUint8:
      return 1;
    case DataType::kUint16:
      return 2;
    case DataType::kUint32:
      return 3;
    case DataType::kUint64:
      return 4;
    case DataType::kByteArray16:
      return 5;
    default:
      return std::nullopt;
  }
}

Bits from_bytes(const model::ByteArray16& bytes) {
  Bits v = 0;
  for (const auto byte : bytes) v = (v << 8U) | byte;
  return v;
}

// A condition value's number, if it is a plain value of the field's own alternative (the
// generic code compares values of different alternatives as unequal and unordered).
std::optional<Bits> same_type_number(const model::ConditionValue& cv, std::size_t alternative) {
  if (cv.index() != alternative) return std::nullopt;
  if (const auto* bytes = std::get_if<model::ByteArray16>(&cv)) return from_bytes(*bytes);
  return std::visit(
      [](const auto& x) -> std::optional<Bits> {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_integral_v<T>) {
          return static_cast<Bits>(x);
        } else {
          return std::nullopt;
        }
      },
      cv);
}

std::optional<Bits> same_type_number(const model::Value& v, std::size_t alternative) {
  if (v.index() != alternative) return std::nullopt;
  return numeric_value(v);
}

}  // namespace

std::uint8_t indexed_width(DataType incoming) {
  switch (incoming) {
    case DataType::kUint8:
      return 8;
    case DataType::kUint16:
      return 16;
    case DataType::kUint32:
      return 32;
    case DataType::kUint64:
      return 64;
    case DataType::kByteArray16:
      return 128;
    default:
      return 0;
  }
}

std::optional<Bits> numeric_value(const model::Value& value) {
  if (const auto* bytes = std::get_if<model::ByteArray16>(&value)) return from_bytes(*bytes);
  return std::visit(
      [](const auto& x) -> std::optional<Bits> {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_integral_v<T>) {
          return static_cast<Bits>(x);
        } else {
          return std::nullopt;
        }
      },
      value);
}

std::optional<Interval> condition_interval(const model::Condition& condition, DataType incoming,
                                           std::uint8_t width) {
  const auto alternative = alternative_of(incoming);
  if (!alternative || width == 0) return std::nullopt;
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
      const auto v = same_type_number(cv, *alternative);
      if (!v) return std::nullopt;
      return Interval{*v, *v};
    }
    case MatchType::kRange: {
      const auto* range = std::get_if<model::Range>(&cv);
      if (range == nullptr) return std::nullopt;
      const auto lo = same_type_number(range->low, *alternative);
      const auto hi = same_type_number(range->high, *alternative);
      if (!lo || !hi) return std::nullopt;
      return Interval{*lo, *hi};
    }
    case MatchType::kGreater:
    case MatchType::kGreaterOrEqual:
    case MatchType::kLess:
    case MatchType::kLessOrEqual: {
      const auto v = same_type_number(cv, *alternative);
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
