// SPDX-License-Identifier: Apache-2.0
// DPDK's rte_acl as a peer classifier in classify_bench (issue #6), behind a plain C++
// interface: DPDK's headers need their own compile flags (-include rte_config.h, -march) and
// are kept to rte_acl_peer.cpp, so the rest of the benchmark builds with openfwp's warnings.
//
// The rule layout is the standard IPv4 5-tuple of DPDK's documentation and l3fwd-acl: protocol
// (one byte, bitmask), source and destination address (masks), source and destination port
// (ranges, sharing one 4-byte input group); one category. Rule i of N has priority N - i (rte_acl
// prefers the highest) and userdata i + 1 (0 means no match), so its answer is the first rule.
//
// rte_acl has no incremental update: a change means adding every rule again and rebuilding,
// which rebuild() measures.
#pragma once

#include "classbench_rules.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

namespace openfwp::bench {

/// Starts DPDK's EAL once per process, without hugepages, PCI, telemetry or shared config
/// files (it runs unprivileged-style in a container), on lcore 0; the calling thread's CPU
/// affinity is restored afterwards. `max_simd_bitwidth` 0 keeps DPDK's default (256 on x86).
/// Returns the error text, or nullopt once the EAL is up. Not thread-safe.
std::optional<std::string> start_dpdk(unsigned max_simd_bitwidth = 0);

/// One packet in rte_acl's input layout (network byte order), 4-byte aligned.
struct RteAclKey {
  alignas(4) std::array<std::uint8_t, 16> bytes{};
};
RteAclKey make_rte_acl_key(const PacketHeader& header);

class RteAclClassifier {
 public:
  /// Builds a context over `rules` (start_dpdk() first). nullptr and `error` set on failure.
  static std::unique_ptr<RteAclClassifier> build(std::span<const ClassBenchRule> rules,
                                                 std::string& error);
  ~RteAclClassifier();
  RteAclClassifier(const RteAclClassifier&) = delete;
  RteAclClassifier& operator=(const RteAclClassifier&) = delete;

  /// The first matching rule for one packet (rte_acl_classify with num = 1).
  std::optional<std::uint32_t> classify(const RteAclKey& key) const;
  /// rte_acl_classify over `keys.size()` packets; results[i] is rule + 1, or 0 for no match.
  void classify_burst(std::span<const std::uint8_t* const> keys,
                      std::span<std::uint32_t> results) const;

  /// Resets the context, adds every rule again and builds: what any change costs. False (and
  /// `error` set) on failure.
  bool rebuild(std::string& error);

  /// Milliseconds the first build took (create, add rules, build).
  double build_milliseconds() const { return build_milliseconds_; }
  /// DPDK heap bytes the context holds after the build (rte_malloc socket statistics, the
  /// allocated-bytes delta): its copy of the rules plus the run-time tries.
  std::size_t memory_bytes() const { return memory_bytes_; }
  /// The part of memory_bytes() that is the rule copy (rule size × rule count).
  std::size_t rule_copy_bytes() const;
  /// The classify implementation in use ("avx2", "avx512x32", …).
  const char* algorithm() const { return algorithm_; }

 private:
  struct Context;
  RteAclClassifier();
  bool add_rules_and_build(std::string& error);

  std::unique_ptr<Context> context_;
  double build_milliseconds_ = 0;
  std::size_t memory_bytes_ = 0;
  const char* algorithm_ = "default";
};

}  // namespace openfwp::bench
