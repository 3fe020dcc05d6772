// SPDX-License-Identifier: Apache-2.0
// Packet traces for ClassBench-style rule sets, with the expected answer per packet, so every
// classifier the benchmark runs can be checked before it is timed (DPDK's rule+trace files).
//
// As in ClassBench's trace_generator, most headers are drawn inside the box of a random rule
// (now and then on a corner of it: the first or last address of a prefix, the ends of a port
// range, which is where off-by-one bugs live); the rest are uniformly random. The expected
// answer is the first rule, in rule order, that matches: found by a brute-force scan.
//
// Text format, one packet per line, tab-separated decimal fields:
// `source_address  destination_address  source_port  destination_port  protocol  expected`
// where the addresses are 32-bit integers (ClassBench's trace format) and `expected` is the
// 0-based index of the first matching rule, or `none`.
#pragma once

#include "classbench_rules.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace openfwp::bench {

/// One header of a trace and the rule that must classify it.
struct TracePacket {
  PacketHeader header;
  std::optional<std::uint32_t> expected_rule;  ///< nullopt: no rule matches
  friend bool operator==(const TracePacket&, const TracePacket&) = default;
};

/// The index of the first rule that matches `header`, by scanning them all in order.
std::optional<std::uint32_t> first_matching_rule(std::span<const ClassBenchRule> rules,
                                                 const PacketHeader& header);

/// `packets` headers for `rules`: `random_per_mille` of them uniformly random, the others inside
/// a random rule's box. The same inputs always give the same trace. Cost: O(packets × rules)
/// for the expected answers (about a second for 10k packets on 100k rules).
std::vector<TracePacket> generate_trace(std::span<const ClassBenchRule> rules, std::size_t packets,
                                        std::uint64_t seed, std::uint32_t random_per_mille = 100);

/// One trace line, without the newline.
std::string format_trace_packet(const TracePacket& packet);
/// Parses format_trace_packet's output; nullopt if the line is not one.
std::optional<TracePacket> parse_trace_packet(std::string_view line);

}  // namespace openfwp::bench
