// SPDX-License-Identifier: Apache-2.0
// ClassBench-style IPv4 5-tuple rule sets for the classification benchmark (issue #6): the rule
// and packet-header types, a seeded generator for the acl, fw and ipc shapes, and the ClassBench
// text format (`@sa/len<TAB>da/len<TAB>sp_lo : sp_hi<TAB>dp_lo : dp_hi<TAB>proto/mask`).
//
// The shapes imitate the statistics of ClassBench's seed files (Taylor & Turner, "ClassBench: a
// packet classification benchmark", 2005), not their exact parameter files:
//  - acl: destination prefixes mostly /24-/32, source prefixes of every length including the
//    wildcard, destination port exact (well-known ports) or a small range, source port wildcard,
//    protocol TCP or UDP.
//  - fw: many wildcards; port ranges such as 1024:65535 and arbitrary ones; protocol often
//    wildcard.
//  - ipc: a mix of the two.
// Addresses come from a pool of /16 networks with a few /24 subnets each, drawn with a skew
// toward the first ones, so rules share prefixes and nest (a /16 rule covers /24 and /32
// rules): which rule matches first depends on rule order, as in real policies. Rule i has
// priority i; rule 0 is the highest.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace openfwp::bench {

/// The three ClassBench seed families the generator imitates.
enum class RuleShape : std::uint8_t { kAcl, kFw, kIpc };

/// "acl", "fw", "ipc"; nullopt for anything else.
std::optional<RuleShape> rule_shape_from_text(std::string_view text);
std::string_view rule_shape_name(RuleShape shape);

/// An inclusive port range; 0 : 65535 is the wildcard.
struct PortRange {
  std::uint16_t low = 0;
  std::uint16_t high = 65535;
  bool contains(std::uint16_t port) const { return low <= port && port <= high; }
  bool is_wildcard() const { return low == 0 && high == 65535; }
  friend bool operator==(const PortRange&, const PortRange&) = default;
};

/// An IPv4 prefix with its host bits clear; length 0 is the wildcard.
struct AddressPrefix {
  std::uint32_t address = 0;
  std::uint8_t length = 0;
  std::uint32_t mask() const { return length == 0 ? 0U : ~0U << (32U - length); }
  bool contains(std::uint32_t a) const { return (a & mask()) == address; }
  friend bool operator==(const AddressPrefix&, const AddressPrefix&) = default;
};

/// The five header fields a rule looks at (host byte order).
struct PacketHeader {
  std::uint32_t source_address = 0;
  std::uint32_t destination_address = 0;
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
  std::uint8_t protocol = 0;
  friend bool operator==(const PacketHeader&, const PacketHeader&) = default;
};

/// One ClassBench rule: a box in the 5-dimensional header space.
struct ClassBenchRule {
  AddressPrefix source;
  AddressPrefix destination;
  PortRange source_port;
  PortRange destination_port;
  std::uint8_t protocol = 0;
  std::uint8_t protocol_mask = 0;  ///< 0xff: exactly `protocol`; 0: any protocol

  bool matches(const PacketHeader& header) const {
    return source.contains(header.source_address) &&
           destination.contains(header.destination_address) &&
           source_port.contains(header.source_port) &&
           destination_port.contains(header.destination_port) &&
           (header.protocol & protocol_mask) == protocol;
  }
  friend bool operator==(const ClassBenchRule&, const ClassBenchRule&) = default;
};

/// `count` rules of `shape`; the same (shape, count, seed) always gives the same rules.
std::vector<ClassBenchRule> generate_rules(RuleShape shape, std::size_t count, std::uint64_t seed);

/// One line of ClassBench's filter format, without the newline:
/// `@10.1.0.0/16\t0.0.0.0/0\t0 : 65535\t80 : 80\t0x06/0xFF`.
std::string format_rule(const ClassBenchRule& rule);
/// Parses format_rule's output (and ClassBench's files, which may carry more tab-separated
/// columns after the protocol: they are ignored). nullopt if the line is not a rule or a prefix
/// has host bits set.
std::optional<ClassBenchRule> parse_rule(std::string_view line);

}  // namespace openfwp::bench
