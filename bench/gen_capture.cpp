// SPDX-License-Identifier: Apache-2.0
// gen_capture: writes the large, valid, deterministic pcap captures the `fwp replay` benchmark
// (issue #5, bench/replay_vs_tshark.py) runs on, and checks them (--check). See bench/README.md
// "replay" for the profiles.
//
// The driver keeps --flows conversations open at once and picks one at random for every
// packet, replacing each one that ends, so flows interleave as on a busy host. Near the end it
// winds every flow down (FIN exchanges included), so the capture holds about --packets packets
// and no connection is left half-open.
#include "capture_check.h"
#include "capture_flows.h"
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace openfwp::bench {
namespace {

constexpr const char* kUsage =
    "usage: gen_capture -o FILE [--packets N] [--flows N] [--profile established|new-flows]\n"
    "                   [--seed N] [--v6-percent P] [--stats FILE.json] [-q]\n"
    "       gen_capture --check FILE [-q]\n"
    "Defaults: 1000000 packets, profile established, 2000 concurrent flows (new-flows: 1000),\n"
    "seed 1, 15% of flows over IPv6.\n";

struct Options {
  std::string output;
  std::string check;
  std::string stats;
  std::uint64_t packets = 1000000;
  std::uint64_t flows = 0;  // 0: the profile's default
  Profile profile = Profile::kEstablished;
  std::uint64_t seed = 1;
  std::uint64_t v6_percent = 15;
  bool quiet = false;
};

bool parse_number(std::string_view text, std::uint64_t& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

// Returns 0 when the options are good, else the exit status (2: usage).
int parse_options(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> std::string_view {
      if (i + 1 >= argc) return {};
      return argv[++i];
    };
    auto number = [&](std::uint64_t& out) {
      const std::string_view text = value();
      if (!parse_number(text, out)) {
        fmt::print(stderr, "gen_capture: {} needs a number, got \"{}\"\n", arg, text);
        return false;
      }
      return true;
    };
    if (arg == "-o") {
      options.output = value();
    } else if (arg == "--check") {
      options.check = value();
    } else if (arg == "--stats") {
      options.stats = value();
    } else if (arg == "--packets") {
      if (!number(options.packets)) return 2;
    } else if (arg == "--flows") {
      if (!number(options.flows)) return 2;
    } else if (arg == "--seed") {
      if (!number(options.seed)) return 2;
    } else if (arg == "--v6-percent") {
      if (!number(options.v6_percent) || options.v6_percent > 100) return 2;
    } else if (arg == "--profile") {
      const std::string_view profile = value();
      if (profile == "established") {
        options.profile = Profile::kEstablished;
      } else if (profile == "new-flows") {
        options.profile = Profile::kNewFlows;
      } else {
        fmt::print(stderr, "gen_capture: unknown profile \"{}\"\n{}", profile, kUsage);
        return 2;
      }
    } else if (arg == "-q") {
      options.quiet = true;
    } else if (arg == "-h" || arg == "--help") {
      fmt::print("{}", kUsage);
      std::exit(0);
    } else {
      fmt::print(stderr, "gen_capture: unknown argument \"{}\"\n{}", arg, kUsage);
      return 2;
    }
  }
  if (options.output.empty() == options.check.empty()) {
    fmt::print(stderr, "{}", kUsage);
    return 2;
  }
  if (options.packets == 0) {
    fmt::print(stderr, "gen_capture: --packets must be at least 1\n");
    return 2;
  }
  return 0;
}

int generate(const Options& options) {
  const auto start = std::chrono::steady_clock::now();
  Rng rng(options.seed);
  init_payload_block(rng);
  CaptureWriter writer(options.output);
  if (!writer.ok()) {
    fmt::print(stderr, "gen_capture: {}\n", writer.error());
    return 1;
  }
  Emitter emitter(writer, rng);
  FlowFactory factory(options.profile, static_cast<std::uint32_t>(options.v6_percent), rng);
  std::uint64_t concurrent = options.flows != 0                         ? options.flows
                             : options.profile == Profile::kEstablished ? 2000
                                                                        : 1000;
  // A small capture gets fewer flows: a long-lived connection should see about a hundred
  // packets (a response alone is up to ~100), a short one needs about ten.
  const std::uint64_t packets_per_flow = options.profile == Profile::kEstablished ? 100 : 16;
  concurrent = std::clamp<std::uint64_t>(options.packets / packets_per_flow, 1, concurrent);

  std::vector<std::unique_ptr<Flow>> active;
  active.reserve(concurrent);
  for (std::uint64_t i = 0; i < concurrent; ++i) active.push_back(factory.next());
  emitter.stats().flows = concurrent;

  // Summing remaining_to_close over every flow costs O(flows), so it is done every so often.
  const std::uint64_t check_every = std::clamp<std::uint64_t>(options.packets / 64, 1, 1024);
  std::uint64_t next_check = 0;
  bool closing = false;
  while (!active.empty()) {
    if (!closing && writer.packets() >= next_check) {
      next_check = writer.packets() + check_every;
      std::uint64_t remaining = 0;
      for (const auto& flow : active) remaining += flow->remaining_to_close();
      if (writer.packets() + remaining >= options.packets) {
        closing = true;
        for (const auto& flow : active) flow->wind_down();
      }
    }
    const std::size_t i = rng.below(static_cast<std::uint32_t>(active.size()));
    if (!active[i]->done()) active[i]->step(emitter);
    if (active[i]->done()) {
      if (!closing) {
        active[i] = factory.next();
        ++emitter.stats().flows;
      } else {
        active[i] = std::move(active.back());
        active.pop_back();
      }
    }
  }
  if (!writer.close()) {
    fmt::print(stderr, "gen_capture: {}: {}\n", options.output, writer.error());
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const CaptureStats& s = emitter.stats();
  const std::string_view profile =
      options.profile == Profile::kEstablished ? "established" : "new-flows";
  const double packets = static_cast<double>(writer.packets());
  if (!options.quiet) {
    fmt::print(
        "gen_capture: wrote {} (profile {}, seed {})\n"
        "  {} packets, {} bytes ({:.1f} MB), {} flows ({} at a time)\n"
        "  tcp {}, udp {}, icmp {}; ipv6 {:.1f}%; syn {}, rst {}, fin {}; out-of-order pairs {}, "
        "retransmitted {}\n"
        "  {:.2f} s ({:.0f} packets/s)\n",
        options.output, profile, options.seed, writer.packets(), writer.bytes(),
        static_cast<double>(writer.bytes()) / 1e6, s.flows, concurrent, s.tcp, s.udp, s.icmp,
        100.0 * static_cast<double>(s.ipv6) / packets, s.syn, s.rst, s.fin, s.out_of_order,
        s.retransmitted, seconds, packets / seconds);
  }
  if (!options.stats.empty()) {
    std::FILE* file = std::fopen(options.stats.c_str(), "w");
    if (file == nullptr) {
      fmt::print(stderr, "gen_capture: {}: {}\n", options.stats, std::strerror(errno));
      return 1;
    }
    fmt::print(file,
               "{{\"profile\": \"{}\", \"seed\": {}, \"packets\": {}, "
               "\"bytes\": {}, \"flows\": {}, \"concurrent_flows\": {}, \"tcp\": {}, \"udp\": {}, "
               "\"icmp\": {}, \"ipv6\": {}, \"syn\": {}, \"rst\": {}, \"fin\": {}, "
               "\"out_of_order\": {}, \"retransmitted\": {}, \"seconds\": {:.3f}}}\n",
               profile, options.seed, writer.packets(), writer.bytes(), s.flows, concurrent, s.tcp,
               s.udp, s.icmp, s.ipv6, s.syn, s.rst, s.fin, s.out_of_order, s.retransmitted,
               seconds);
    std::fclose(file);
  }
  return 0;
}

}  // namespace
}  // namespace openfwp::bench

int main(int argc, char** argv) {
  openfwp::bench::Options options;
  if (const int status = openfwp::bench::parse_options(argc, argv, options); status != 0) {
    return status;
  }
  if (!options.check.empty()) return openfwp::bench::check_capture(options.check, options.quiet);
  return openfwp::bench::generate(options);
}
