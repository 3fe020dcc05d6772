// SPDX-License-Identifier: Apache-2.0
// gen_classbench: writes a ClassBench-style rule set and a trace with the expected rule per
// packet (the inputs of classify_bench, issue #6), and checks such a pair (--check) against
// openfwp's matchers. See bench/README.md "classification" for the shapes and formats.
#include "classify/indexed_matcher.h"
#include "classify/linear_matcher.h"

#include "classbench_openfwp.h"
#include "classbench_rules.h"
#include "classbench_trace.h"
#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace openfwp::bench {
namespace {

constexpr const char* kUsage =
    "usage: gen_classbench -o PREFIX [--shape acl|fw|ipc] [--rules N] [--packets N] [--seed N]\n"
    "       gen_classbench --check RULES TRACE\n"
    "Writes PREFIX.rules (ClassBench filter format, rule 0 first = highest priority) and\n"
    "PREFIX.trace (one header per line with the index of the first matching rule, or none).\n"
    "Defaults: shape acl, 1000 rules, 10000 packets, seed 1.\n"
    "--check reads both files and fails unless every expected answer equals a brute-force scan\n"
    "of the rules, openfwp's LinearMatcher and its IndexedMatcher.\n";

struct Options {
  std::string output_prefix;
  std::string check_rules;
  std::string check_trace;
  RuleShape shape = RuleShape::kAcl;
  std::uint64_t rules = 1000;
  std::uint64_t packets = 10000;
  std::uint64_t seed = 1;
};

bool parse_number(std::string_view text, std::uint64_t& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc{} && end == text.data() + text.size();
}

// Returns false (after printing why) on a usage error.
bool parse_options(int argc, char** argv, Options& options) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    const bool has_value = i + 1 < args.size();
    auto number_option = [&](std::uint64_t& value) {
      if (!has_value || !parse_number(args[++i], value)) {
        std::fprintf(stderr, "gen_classbench: %.*s needs a number\n", static_cast<int>(arg.size()),
                     arg.data());
        return false;
      }
      return true;
    };
    if (arg == "-o" && has_value) {
      options.output_prefix = args[++i];
    } else if (arg == "--check" && i + 2 < args.size()) {
      options.check_rules = args[++i];
      options.check_trace = args[++i];
    } else if (arg == "--shape" && has_value) {
      const auto shape = rule_shape_from_text(args[++i]);
      if (!shape) {
        std::fprintf(stderr, "gen_classbench: unknown shape (acl, fw or ipc)\n");
        return false;
      }
      options.shape = *shape;
    } else if (arg == "--rules") {
      if (!number_option(options.rules)) return false;
    } else if (arg == "--packets") {
      if (!number_option(options.packets)) return false;
    } else if (arg == "--seed") {
      if (!number_option(options.seed)) return false;
    } else {
      std::fprintf(stderr, "gen_classbench: unexpected argument %.*s\n%s",
                   static_cast<int>(arg.size()), arg.data(), kUsage);
      return false;
    }
  }
  if (options.output_prefix.empty() == options.check_rules.empty()) {
    std::fputs(kUsage, stderr);
    return false;
  }
  return true;
}

int generate(const Options& options) {
  const auto rules = generate_rules(options.shape, options.rules, options.seed);
  const auto trace = generate_trace(rules, options.packets, options.seed);
  std::ofstream rules_out(options.output_prefix + ".rules", std::ios::binary);
  for (const auto& rule : rules) rules_out << format_rule(rule) << '\n';
  std::ofstream trace_out(options.output_prefix + ".trace", std::ios::binary);
  for (const auto& packet : trace) trace_out << format_trace_packet(packet) << '\n';
  if (!rules_out || !trace_out) {
    std::fprintf(stderr, "gen_classbench: cannot write %s.rules / .trace\n",
                 options.output_prefix.c_str());
    return 1;
  }
  std::size_t unmatched = 0;
  for (const auto& packet : trace) unmatched += packet.expected_rule ? 0U : 1U;
  std::printf("gen_classbench: %s %zu rules, %zu packets (%zu match no rule), seed %llu\n",
              std::string(rule_shape_name(options.shape)).c_str(), rules.size(), trace.size(),
              unmatched, static_cast<unsigned long long>(options.seed));
  return 0;
}

// Reads every line of `path` through `parse`; false (after printing where) on a bad line.
template <class T, class Parse>
bool read_lines(const std::string& path, Parse parse, std::vector<T>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "gen_classbench: cannot read %s\n", path.c_str());
    return false;
  }
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    auto item = parse(line);
    if (!item) {
      std::fprintf(stderr, "gen_classbench: %s:%zu: not a valid line\n", path.c_str(), number);
      return false;
    }
    out.push_back(*item);
  }
  return true;
}

std::string describe(const std::optional<std::uint32_t>& rule) {
  return rule ? fmt::format("rule {}", *rule) : "none";
}

int check(const Options& options) {
  std::vector<ClassBenchRule> rules;
  std::vector<TracePacket> trace;
  if (!read_lines(options.check_rules, parse_rule, rules) ||
      !read_lines(options.check_trace, parse_trace_packet, trace)) {
    return 1;
  }
  const MatcherPolicy policy(rules);
  const std::unique_ptr<classify::LayerMatcher> matchers[] = {
      classify::LinearMatcher::make(kClassBenchLayer, policy.entries()),
      classify::IndexedMatcher::make(kClassBenchLayer, policy.entries())};
  std::size_t failures = 0;
  for (std::size_t i = 0; i < trace.size(); ++i) {
    const TracePacket& packet = trace[i];
    const auto report = [&](std::string_view who, const std::optional<std::uint32_t>& got) {
      if (got == packet.expected_rule) return;
      if (++failures <= 10) {
        std::fprintf(stderr, "gen_classbench: %s:%zu: expected %s, %.*s says %s\n",
                     options.check_trace.c_str(), i + 1, describe(packet.expected_rule).c_str(),
                     static_cast<int>(who.size()), who.data(), describe(got).c_str());
      }
    };
    report("brute force", first_matching_rule(rules, packet.header));
    const auto in = to_incoming_values(packet.header);
    for (const auto& matcher : matchers) report(matcher->name(), first_match(*matcher, in));
  }
  if (failures > 0) {
    std::fprintf(stderr, "gen_classbench: FAIL: %zu wrong answers\n", failures);
    return 1;
  }
  std::printf("gen_classbench: %zu rules, %zu packets: brute force, linear and indexed agree\n",
              rules.size(), trace.size());
  return 0;
}

}  // namespace
}  // namespace openfwp::bench

int main(int argc, char** argv) {
  openfwp::bench::Options options;
  if (!openfwp::bench::parse_options(argc, argv, options)) return 2;
  return options.output_prefix.empty() ? openfwp::bench::check(options)
                                       : openfwp::bench::generate(options);
}
