// SPDX-License-Identifier: Apache-2.0
// The checked reader every wire decoder reads through: a span of the frame plus its absolute
// offset, with bounds-checked big-endian accessors and sub-views.
#pragma once

#include "common/assert.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace openfwp::io::wire::internal {

/// A window on the caller's frame. Decoders check `size()` against what they need (bad bytes
/// are an anomaly) before reading fields; an accessor out of range is therefore a decoder bug:
/// it asserts in debug builds and reads as zero (or yields an empty view) in release builds,
/// so no path reads outside the frame.
class ByteView {
 public:
  ByteView() = default;
  explicit ByteView(std::span<const std::uint8_t> bytes, std::size_t base = 0)
      : bytes_(bytes), base_(base) {}

  std::size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  /// Offset of this view's first byte from the start of the frame.
  std::size_t base() const { return base_; }
  /// Absolute offset of byte `at` of this view.
  std::size_t offset_of(std::size_t at) const { return base_ + at; }
  std::span<const std::uint8_t> bytes() const { return bytes_; }

  std::uint8_t u8(std::size_t at) const {
    if (!in_range(at, 1)) return 0;
    return bytes_[at];
  }
  std::uint16_t be16(std::size_t at) const {
    if (!in_range(at, 2)) return 0;
    return static_cast<std::uint16_t>((bytes_[at] << 8) | bytes_[at + 1]);
  }
  std::uint32_t be32(std::size_t at) const {
    if (!in_range(at, 4)) return 0;
    return (std::uint32_t{bytes_[at]} << 24) | (std::uint32_t{bytes_[at + 1]} << 16) |
           (std::uint32_t{bytes_[at + 2]} << 8) | std::uint32_t{bytes_[at + 3]};
  }
  /// Bytes [at, at + length).
  ByteView sub(std::size_t at, std::size_t length) const {
    if (!in_range(at, length)) return ByteView({}, base_ + size());
    return ByteView(bytes_.subspan(at, length), base_ + at);
  }
  /// Bytes [at, end).
  ByteView from(std::size_t at) const {
    if (!in_range(at, 0)) return ByteView({}, base_ + size());
    return ByteView(bytes_.subspan(at), base_ + at);
  }
  /// Copies `out.size()` bytes starting at `at`.
  template <std::size_t N>
  void copy(std::size_t at, std::span<std::uint8_t, N> out) const {
    if (!in_range(at, out.size())) return;
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = bytes_[at + i];
  }

 private:
  bool in_range(std::size_t at, std::size_t length) const {
    const bool ok = at <= bytes_.size() && length <= bytes_.size() - at;
    OPENFWP_ASSERT(ok, "wire decoder read outside its view: a missing length check");
    return ok;
  }

  std::span<const std::uint8_t> bytes_;
  std::size_t base_ = 0;
};

}  // namespace openfwp::io::wire::internal
