// SPDX-License-Identifier: Apache-2.0
// The ClassBench-style rule generator and the ClassBench filter text format.
#include "classbench_rules.h"

#include "splitmix_rng.h"
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <span>

namespace openfwp::bench {
namespace {

// --- The shapes, as data. Each table is a list of bands whose shares add up to 1000.

/// Prefix lengths in [shortest, longest], drawn uniformly, with this share (per mille).
struct LengthBand {
  std::uint16_t per_mille;
  std::uint8_t shortest;
  std::uint8_t longest;
};

enum class PortKind : std::uint8_t {
  kWildcard,        // 0 : 65535
  kWellKnown,       // one port of kWellKnownPorts
  kExactRandom,     // one port anywhere
  kSmallRange,      // 2-65 ports above 1024
  kUnprivileged,    // 1024 : 65535
  kPrivileged,      // 0 : 1023
  kEphemeral,       // 49152 : 65535
  kArbitraryRange,  // any [low, high]
};

struct PortBand {
  std::uint16_t per_mille;
  PortKind kind;
};

/// protocol_mask 0 is the wildcard.
struct ProtocolBand {
  std::uint16_t per_mille;
  std::uint8_t protocol;
  std::uint8_t protocol_mask;
};

struct ShapeTables {
  std::span<const LengthBand> source_lengths;
  std::span<const LengthBand> destination_lengths;
  std::span<const PortBand> source_ports;
  std::span<const PortBand> destination_ports;
  std::span<const ProtocolBand> protocols;
};

constexpr std::array<std::uint16_t, 20> kWellKnownPorts = {80,   443,  22,   21,   23,   25,  53,
                                                           110,  143,  161,  389,  445,  993, 995,
                                                           1433, 3306, 3389, 5060, 8080, 8443};

constexpr std::uint8_t kTcp = 6;
constexpr std::uint8_t kUdp = 17;
constexpr std::uint8_t kIcmp = 1;
constexpr std::uint8_t kGre = 47;
constexpr std::uint8_t kEsp = 50;

// acl: specific destinations, sources of every length, destination ports mostly exact.
constexpr std::array<LengthBand, 7> kAclSourceLengths = {{{250, 0, 0},
                                                          {200, 32, 32},
                                                          {100, 8, 15},
                                                          {150, 16, 16},
                                                          {100, 17, 23},
                                                          {100, 24, 24},
                                                          {100, 25, 31}}};
constexpr std::array<LengthBand, 5> kAclDestinationLengths = {
    {{450, 32, 32}, {200, 24, 24}, {200, 25, 31}, {100, 16, 23}, {50, 0, 0}}};
constexpr std::array<PortBand, 3> kAclSourcePorts = {
    {{970, PortKind::kWildcard}, {10, PortKind::kExactRandom}, {20, PortKind::kUnprivileged}}};
constexpr std::array<PortBand, 5> kAclDestinationPorts = {{{550, PortKind::kWellKnown},
                                                           {100, PortKind::kExactRandom},
                                                           {150, PortKind::kSmallRange},
                                                           {150, PortKind::kWildcard},
                                                           {50, PortKind::kUnprivileged}}};
constexpr std::array<ProtocolBand, 5> kAclProtocols = {
    {{650, kTcp, 0xff}, {250, kUdp, 0xff}, {30, kIcmp, 0xff}, {50, 0, 0}, {20, kGre, 0xff}}};

// fw: wildcards everywhere, unprivileged and arbitrary port ranges, protocol often any.
constexpr std::array<LengthBand, 5> kFwSourceLengths = {
    {{450, 0, 0}, {150, 32, 32}, {200, 8, 23}, {100, 24, 24}, {100, 25, 31}}};
constexpr std::array<LengthBand, 5> kFwDestinationLengths = {
    {{250, 0, 0}, {350, 32, 32}, {150, 16, 23}, {150, 24, 24}, {100, 25, 31}}};
constexpr std::array<PortBand, 5> kFwSourcePorts = {{{700, PortKind::kWildcard},
                                                     {120, PortKind::kUnprivileged},
                                                     {50, PortKind::kWellKnown},
                                                     {80, PortKind::kArbitraryRange},
                                                     {50, PortKind::kPrivileged}}};
constexpr std::array<PortBand, 6> kFwDestinationPorts = {{{300, PortKind::kWildcard},
                                                          {300, PortKind::kWellKnown},
                                                          {120, PortKind::kUnprivileged},
                                                          {150, PortKind::kArbitraryRange},
                                                          {80, PortKind::kSmallRange},
                                                          {50, PortKind::kEphemeral}}};
constexpr std::array<ProtocolBand, 5> kFwProtocols = {
    {{400, 0, 0}, {400, kTcp, 0xff}, {150, kUdp, 0xff}, {30, kIcmp, 0xff}, {20, kEsp, 0xff}}};

// ipc: between the two.
constexpr std::array<LengthBand, 6> kIpcSourceLengths = {
    {{200, 0, 0}, {300, 32, 32}, {100, 16, 16}, {100, 17, 23}, {200, 24, 24}, {100, 25, 31}}};
constexpr std::array<LengthBand, 5> kIpcDestinationLengths = {
    {{100, 0, 0}, {400, 32, 32}, {150, 16, 23}, {250, 24, 24}, {100, 25, 31}}};
constexpr std::array<PortBand, 5> kIpcSourcePorts = {{{800, PortKind::kWildcard},
                                                      {50, PortKind::kExactRandom},
                                                      {50, PortKind::kWellKnown},
                                                      {50, PortKind::kUnprivileged},
                                                      {50, PortKind::kArbitraryRange}}};
constexpr std::array<PortBand, 6> kIpcDestinationPorts = {{{450, PortKind::kWellKnown},
                                                           {200, PortKind::kWildcard},
                                                           {100, PortKind::kSmallRange},
                                                           {100, PortKind::kArbitraryRange},
                                                           {100, PortKind::kUnprivileged},
                                                           {50, PortKind::kExactRandom}}};
constexpr std::array<ProtocolBand, 5> kIpcProtocols = {
    {{550, kTcp, 0xff}, {250, kUdp, 0xff}, {120, 0, 0}, {50, kIcmp, 0xff}, {30, kGre, 0xff}}};

ShapeTables tables_for(RuleShape shape) {
  switch (shape) {
    case RuleShape::kAcl:
      return {kAclSourceLengths, kAclDestinationLengths, kAclSourcePorts, kAclDestinationPorts,
              kAclProtocols};
    case RuleShape::kFw:
      return {kFwSourceLengths, kFwDestinationLengths, kFwSourcePorts, kFwDestinationPorts,
              kFwProtocols};
    case RuleShape::kIpc:
      break;
  }
  return {kIpcSourceLengths, kIpcDestinationLengths, kIpcSourcePorts, kIpcDestinationPorts,
          kIpcProtocols};
}

/// The band a per-mille draw falls in (the tables add up to 1000; the last band takes any rest).
template <class Band>
const Band& pick_band(std::span<const Band> bands, Rng& rng) {
  std::uint32_t draw = rng.below(1000);
  for (const Band& band : bands) {
    if (draw < band.per_mille) return band;
    draw -= band.per_mille;
  }
  return bands.back();
}

/// /16 networks with kSubnetsPerNetwork /24 subnets each. Draws are skewed toward the first
/// networks and subnets (the minimum of two uniform draws), so some prefixes are shared by many
/// rules and rules nest, as in ClassBench's prefix trees.
class AddressPool {
 public:
  static constexpr std::uint32_t kSubnetsPerNetwork = 8;

  AddressPool(Rng& rng, std::size_t networks) {
    networks_.reserve(networks);
    for (std::size_t i = 0; i < networks; ++i) {
      // First octet 1-223: unicast space, as in real policies.
      const std::uint32_t high = rng.between(1, 223) << 24U | rng.below(256) << 16U;
      Network network{high, {}};
      for (auto& subnet : network.subnets) subnet = static_cast<std::uint8_t>(rng.below(256));
      networks_.push_back(network);
    }
  }

  std::uint32_t draw(Rng& rng) const {
    const auto count = static_cast<std::uint32_t>(networks_.size());
    const Network& network = networks_[std::min(rng.below(count), rng.below(count))];
    const std::uint8_t subnet =
        network.subnets[std::min(rng.below(kSubnetsPerNetwork), rng.below(kSubnetsPerNetwork))];
    return network.high | std::uint32_t{subnet} << 8U | rng.below(256);
  }

 private:
  struct Network {
    std::uint32_t high;  // the /16
    std::array<std::uint8_t, kSubnetsPerNetwork> subnets;
  };
  std::vector<Network> networks_;
};

AddressPrefix draw_prefix(std::span<const LengthBand> lengths, const AddressPool& pool, Rng& rng) {
  const LengthBand& band = pick_band(lengths, rng);
  AddressPrefix prefix;
  prefix.length = static_cast<std::uint8_t>(rng.between(band.shortest, band.longest));
  prefix.address = pool.draw(rng) & prefix.mask();
  return prefix;
}

std::uint16_t to_port(std::uint32_t value) { return static_cast<std::uint16_t>(value); }

PortRange draw_ports(std::span<const PortBand> bands, Rng& rng) {
  switch (pick_band(bands, rng).kind) {
    case PortKind::kWildcard:
      return {0, 65535};
    case PortKind::kWellKnown: {
      const std::uint16_t port =
          kWellKnownPorts[rng.below(static_cast<std::uint32_t>(kWellKnownPorts.size()))];
      return {port, port};
    }
    case PortKind::kExactRandom: {
      const std::uint16_t port = to_port(rng.below(65536));
      return {port, port};
    }
    case PortKind::kSmallRange: {
      const std::uint32_t low = rng.between(1024, 65000);
      return {to_port(low), to_port(low + rng.between(1, 64))};
    }
    case PortKind::kUnprivileged:
      return {1024, 65535};
    case PortKind::kPrivileged:
      return {0, 1023};
    case PortKind::kEphemeral:
      return {49152, 65535};
    case PortKind::kArbitraryRange:
      break;
  }
  const std::uint32_t low = rng.below(65536);
  return {to_port(low), to_port(rng.between(low, 65535))};
}

}  // namespace

std::optional<RuleShape> rule_shape_from_text(std::string_view text) {
  if (text == "acl") return RuleShape::kAcl;
  if (text == "fw") return RuleShape::kFw;
  if (text == "ipc") return RuleShape::kIpc;
  return std::nullopt;
}

std::string_view rule_shape_name(RuleShape shape) {
  switch (shape) {
    case RuleShape::kAcl:
      return "acl";
    case RuleShape::kFw:
      return "fw";
    case RuleShape::kIpc:
      break;
  }
  return "ipc";
}

std::vector<ClassBenchRule> generate_rules(RuleShape shape, std::size_t count, std::uint64_t seed) {
  const ShapeTables tables = tables_for(shape);
  // One stream per purpose, so the pools do not change when the rule draws do.
  Rng pool_rng(seed ^ 0x5eed0001ULL);
  const std::size_t networks = std::max<std::size_t>(8, count / 32);
  const AddressPool sources(pool_rng, networks);
  const AddressPool destinations(pool_rng, networks);
  Rng rng(seed ^ (std::uint64_t{static_cast<std::uint8_t>(shape)} << 56U));

  std::vector<ClassBenchRule> rules;
  rules.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    ClassBenchRule rule;
    rule.source = draw_prefix(tables.source_lengths, sources, rng);
    rule.destination = draw_prefix(tables.destination_lengths, destinations, rng);
    rule.source_port = draw_ports(tables.source_ports, rng);
    rule.destination_port = draw_ports(tables.destination_ports, rng);
    const ProtocolBand& protocol = pick_band(tables.protocols, rng);
    rule.protocol = protocol.protocol;
    rule.protocol_mask = protocol.protocol_mask;
    // A rule open on both addresses is rare in real sets and, early in the order, would take
    // most of the trace: keep 5% of them, and those only for one service (TCP/UDP, one port).
    if (rule.source.length == 0 && rule.destination.length == 0) {
      if (rng.per_mille(950)) {
        for (int attempt = 0; attempt < 8 && rule.destination.length == 0; ++attempt) {
          rule.destination = draw_prefix(tables.destination_lengths, destinations, rng);
        }
      } else {
        const std::uint16_t port =
            kWellKnownPorts[rng.below(static_cast<std::uint32_t>(kWellKnownPorts.size()))];
        rule.destination_port = {port, port};
        rule.protocol = rng.below(4) == 0 ? kUdp : kTcp;
        rule.protocol_mask = 0xff;
      }
    }
    // Ports mean nothing to ICMP, GRE or ESP: such rules leave them open, as real ones do.
    if (rule.protocol_mask != 0 && rule.protocol != kTcp && rule.protocol != kUdp) {
      rule.source_port = {};
      rule.destination_port = {};
    }
    rules.push_back(rule);
  }
  return rules;
}

namespace {

std::string format_address(std::uint32_t a) {
  return fmt::format("{}.{}.{}.{}", a >> 24U, (a >> 16U) & 0xffU, (a >> 8U) & 0xffU, a & 0xffU);
}

// A tiny cursor over one line; every read skips the spaces and tabs before it.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : rest_(text) {}

  bool literal(char c) {
    skip_blanks();
    if (rest_.empty() || rest_.front() != c) return false;
    rest_.remove_prefix(1);
    return true;
  }
  /// A decimal number, or a hexadecimal one after "0x", no larger than `max`.
  std::optional<std::uint32_t> number(std::uint32_t max) {
    skip_blanks();
    int base = 10;
    if (rest_.size() > 2 && rest_[0] == '0' && (rest_[1] == 'x' || rest_[1] == 'X')) {
      base = 16;
      rest_.remove_prefix(2);
    }
    std::uint32_t value = 0;
    const auto [end, error] =
        std::from_chars(rest_.data(), rest_.data() + rest_.size(), value, base);
    if (error != std::errc{} || value > max) return std::nullopt;
    rest_.remove_prefix(static_cast<std::size_t>(end - rest_.data()));
    return value;
  }
  std::optional<AddressPrefix> prefix() {
    std::uint32_t address = 0;
    for (int octet = 0; octet < 4; ++octet) {
      if (octet > 0 && !literal('.')) return std::nullopt;
      const auto part = number(255);
      if (!part) return std::nullopt;
      address = address << 8U | *part;
    }
    if (!literal('/')) return std::nullopt;
    const auto length = number(32);
    if (!length) return std::nullopt;
    AddressPrefix result{address, static_cast<std::uint8_t>(*length)};
    if ((address & ~result.mask()) != 0) return std::nullopt;
    return result;
  }
  std::optional<PortRange> ports() {
    const auto low = number(65535);
    if (!low || !literal(':')) return std::nullopt;
    const auto high = number(65535);
    if (!high || *high < *low) return std::nullopt;
    return PortRange{static_cast<std::uint16_t>(*low), static_cast<std::uint16_t>(*high)};
  }

 private:
  void skip_blanks() {
    while (!rest_.empty() && (rest_.front() == ' ' || rest_.front() == '\t'))
      rest_.remove_prefix(1);
  }
  std::string_view rest_;
};

}  // namespace

std::string format_rule(const ClassBenchRule& rule) {
  return fmt::format("@{}/{}\t{}/{}\t{} : {}\t{} : {}\t0x{:02X}/0x{:02X}",
                     format_address(rule.source.address), rule.source.length,
                     format_address(rule.destination.address), rule.destination.length,
                     rule.source_port.low, rule.source_port.high, rule.destination_port.low,
                     rule.destination_port.high, rule.protocol, rule.protocol_mask);
}

std::optional<ClassBenchRule> parse_rule(std::string_view line) {
  LineReader reader(line);
  if (!reader.literal('@')) return std::nullopt;
  ClassBenchRule rule;
  const auto source = reader.prefix();
  const auto destination = reader.prefix();
  if (!source || !destination) return std::nullopt;
  const auto source_port = reader.ports();
  const auto destination_port = reader.ports();
  if (!source_port || !destination_port) return std::nullopt;
  const auto protocol = reader.number(255);
  if (!protocol || !reader.literal('/')) return std::nullopt;
  const auto protocol_mask = reader.number(255);
  if (!protocol_mask || (*protocol & ~*protocol_mask) != 0) return std::nullopt;
  rule.source = *source;
  rule.destination = *destination;
  rule.source_port = *source_port;
  rule.destination_port = *destination_port;
  rule.protocol = static_cast<std::uint8_t>(*protocol);
  rule.protocol_mask = static_cast<std::uint8_t>(*protocol_mask);
  return rule;
}

}  // namespace openfwp::bench
