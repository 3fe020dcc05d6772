// SPDX-License-Identifier: Apache-2.0
// The benchmark generators' random numbers: splitmix64 with explicit bounded draws, so a seed
// gives the same data on every platform and standard library (gen_capture, gen_classbench).
#pragma once

#include <cstdint>

namespace openfwp::bench {

/// splitmix64: tiny, fast and the same on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n) (modulo bias is negligible for the small n used here).
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(next() % n); }
  /// Uniform in [low, high].
  std::uint32_t between(std::uint32_t low, std::uint32_t high) {
    return low + below(high - low + 1);
  }
  /// True with probability per_mille / 1000.
  bool per_mille(std::uint32_t per_mille) { return below(1000) < per_mille; }

 private:
  std::uint64_t state_;
};

}  // namespace openfwp::bench
