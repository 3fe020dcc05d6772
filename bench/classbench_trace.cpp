// SPDX-License-Identifier: Apache-2.0
// The trace generator (headers inside rule boxes, plus random ones) and the trace text format.
#include "classbench_trace.h"

#include "splitmix_rng.h"
#include <fmt/format.h>

#include <array>
#include <charconv>

namespace openfwp::bench {
namespace {

// Protocols for fields a rule leaves open (and for random headers): mostly TCP and UDP.
constexpr std::array<std::uint8_t, 8> kTraceProtocols = {6, 6, 6, 17, 17, 1, 47, 50};

constexpr std::uint32_t kCornerPerMille = 150;

std::uint8_t random_protocol(Rng& rng) {
  return kTraceProtocols[rng.below(static_cast<std::uint32_t>(kTraceProtocols.size()))];
}

std::uint32_t address_in(const AddressPrefix& prefix, Rng& rng) {
  const std::uint32_t host_bits = ~prefix.mask();
  if (rng.per_mille(kCornerPerMille)) {
    return rng.below(2) == 0 ? prefix.address : prefix.address | host_bits;
  }
  return prefix.address | (static_cast<std::uint32_t>(rng.next()) & host_bits);
}

std::uint16_t port_in(const PortRange& range, Rng& rng) {
  if (rng.per_mille(kCornerPerMille)) return rng.below(2) == 0 ? range.low : range.high;
  return static_cast<std::uint16_t>(rng.between(range.low, range.high));
}

PacketHeader header_in(const ClassBenchRule& rule, Rng& rng) {
  PacketHeader header;
  header.source_address = address_in(rule.source, rng);
  header.destination_address = address_in(rule.destination, rng);
  header.source_port = port_in(rule.source_port, rng);
  header.destination_port = port_in(rule.destination_port, rng);
  header.protocol = rule.protocol_mask == 0 ? random_protocol(rng) : rule.protocol;
  return header;
}

PacketHeader random_header(Rng& rng) {
  PacketHeader header;
  header.source_address = static_cast<std::uint32_t>(rng.next());
  header.destination_address = static_cast<std::uint32_t>(rng.next());
  header.source_port = static_cast<std::uint16_t>(rng.below(65536));
  header.destination_port = static_cast<std::uint16_t>(rng.below(65536));
  header.protocol = random_protocol(rng);
  return header;
}

}  // namespace

std::optional<std::uint32_t> first_matching_rule(std::span<const ClassBenchRule> rules,
                                                 const PacketHeader& header) {
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].matches(header)) return static_cast<std::uint32_t>(i);
  }
  return std::nullopt;
}

std::vector<TracePacket> generate_trace(std::span<const ClassBenchRule> rules, std::size_t packets,
                                        std::uint64_t seed, std::uint32_t random_per_mille) {
  Rng rng(seed ^ 0x7ace0001ULL);
  std::vector<TracePacket> trace;
  trace.reserve(packets);
  for (std::size_t i = 0; i < packets; ++i) {
    const bool random = rules.empty() || rng.per_mille(random_per_mille);
    const PacketHeader header =
        random ? random_header(rng)
               : header_in(rules[rng.below(static_cast<std::uint32_t>(rules.size()))], rng);
    trace.push_back({header, first_matching_rule(rules, header)});
  }
  return trace;
}

std::string format_trace_packet(const TracePacket& packet) {
  const PacketHeader& h = packet.header;
  return fmt::format("{}\t{}\t{}\t{}\t{}\t{}", h.source_address, h.destination_address,
                     h.source_port, h.destination_port, h.protocol,
                     packet.expected_rule ? fmt::to_string(*packet.expected_rule) : "none");
}

std::optional<TracePacket> parse_trace_packet(std::string_view line) {
  std::array<std::uint32_t, 5> fields{};
  constexpr std::array<std::uint32_t, 5> kMaxima = {0xffffffffU, 0xffffffffU, 65535, 65535, 255};
  const char* cursor = line.data();
  const char* const end = line.data() + line.size();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto [next, error] = std::from_chars(cursor, end, fields[i]);
    if (error != std::errc{} || fields[i] > kMaxima[i] || next == end || *next != '\t') {
      return std::nullopt;
    }
    cursor = next + 1;
  }
  TracePacket packet;
  packet.header = {fields[0], fields[1], static_cast<std::uint16_t>(fields[2]),
                   static_cast<std::uint16_t>(fields[3]), static_cast<std::uint8_t>(fields[4])};
  const std::string_view expected(cursor, static_cast<std::size_t>(end - cursor));
  if (expected == "none") return packet;
  std::uint32_t rule = 0;
  const auto [next, error] = std::from_chars(cursor, end, rule);
  if (error != std::errc{} || next != end) return std::nullopt;
  packet.expected_rule = rule;
  return packet;
}

}  // namespace openfwp::bench
