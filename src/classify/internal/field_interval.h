// SPDX-License-Identifier: Apache-2.0
// Numeric fields as intervals: what the indexed matcher can hash and check without the generic
// condition code. A numeric incoming value (FWP_UINT8…64, FWP_BYTE_ARRAY16: an IPv6 address)
// is an unsigned integer of its field's width; a condition on it that selects one interval
// (EQUAL with a value or an address mask, RANGE, GREATER/LESS[_OR_EQUAL]) compiles to [lo, hi].
//
// Why intervals. An interval's lo and hi share their leading bits; those bits are a prefix that
// every matching value has, which is what a tuple-space hash needs (indexed_matcher.h). And
// `lo <= v && v <= hi` is exactly the condition, so a filter made only of such conditions
// needs no further check.
#pragma once

#include "model/filter.h"

#include <cstdint>
#include <optional>

namespace openfwp::classify::internal {

/// A field value of up to 128 bits (an IPv6 address is one number, big-endian).
__extension__ using Bits = unsigned __int128;

/// The widths the index knows, by incoming data type; 0 for a type it does not index.
std::uint8_t indexed_width(model::DataType incoming);

/// The value of a numeric incoming value; nullopt for FWP_EMPTY or a non-numeric value.
std::optional<Bits> numeric_value(const model::Value& value);

/// The closed interval [lo, hi] of a `width`-bit field; empty when lo > hi.
struct Interval {
  Bits lo = 0;
  Bits hi = 0;
  bool empty() const { return lo > hi; }
  bool contains(Bits v) const { return lo <= v && v <= hi; }
};

/// The values of a `width`-bit field of incoming type `incoming` for which `condition` holds,
/// when that set is one interval; nullopt when it is not (NOT_EQUAL, flags, a value of another
/// type, …), in which case only condition_matches() can decide.
std::optional<Interval> condition_interval(const model::Condition& condition,
                                           model::DataType incoming, std::uint8_t width);

/// How many leading bits every value in `interval` shares (`width` for a single value).
std::uint8_t common_prefix_length(const Interval& interval, std::uint8_t width);

/// The top `length` bits of `value` (a `width`-bit number), as a number.
inline Bits top_bits(Bits value, std::uint8_t width, std::uint8_t length) {
  return length == 0 ? Bits{0} : value >> (width - length);
}

}  // namespace openfwp::classify::internal
