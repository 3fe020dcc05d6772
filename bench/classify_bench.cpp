// SPDX-License-Identifier: Apache-2.0
// The classification benchmark (issue #6): LinearMatcher (the reference), IndexedMatcher, the
// whole Engine::classify path and DPDK's rte_acl, on the same ClassBench-style rule sets (acl,
// fw, ipc; 1k, 10k, 100k rules) and the same trace, in one run. Every classifier's answers are
// checked against the trace's expected rules before it is timed; a wrong answer fails the run.
// After the benchmarks a summary prints the ratios. See bench/README.md "classification".
#include "classify/indexed_matcher.h"
#include "classify/linear_matcher.h"
#include "engine/engine.h"

#include "classbench_openfwp.h"
#include "classbench_rules.h"
#include "classbench_trace.h"
#include "rte_acl_peer.h"
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <malloc.h>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace openfwp::bench {
namespace {

using classify::LayerMatcher;

constexpr std::uint64_t kSeed = 1;
constexpr std::size_t kTracePackets = 10000;
// The "hot" lookups cycle over this many packets, so their incoming values stay in cache: what
// the stack sees, which classifies values it has just filled. The streamed lookups read each
// packet's values from memory (an openfwp IncomingValues is ~40 bytes per field, spread over a
// heap block; an rte_acl key is 13 packed bytes), so they measure that layout as well.
constexpr std::size_t kHotPackets = 64;
constexpr std::size_t kBurst = 64;
// LinearMatcher at 100k rules costs about a millisecond a packet: check a prefix of the trace.
constexpr std::size_t kLinearCheckPacketsAt100k = 300;

bool g_failed = false;
std::optional<std::string> g_dpdk_error;

double milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

std::size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0;
  std::size_t resident = 0;
  statm >> pages >> resident;
  return resident * 4096;
}

double per_filter(std::size_t bytes, std::size_t filters) {
  return static_cast<double>(bytes) / static_cast<double>(filters);
}

std::string size_label(std::size_t size) {
  return size % 1000 == 0 ? fmt::format("{}k", size / 1000) : fmt::to_string(size);
}

// --- One rule set, its trace, and every classifier over it. Built on first use; only one is
// alive at a time (the benchmarks of one rule set are registered together), so 100k-rule
// engines of different shapes do not pile up.

struct Workload {
  RuleShape shape;
  std::size_t size;
  std::vector<ClassBenchRule> rules;
  std::vector<TracePacket> trace;
  std::vector<model::IncomingValues> values;  // trace[i] as incoming values
  std::vector<RteAclKey> keys;                // trace[i] in rte_acl's layout
  std::unique_ptr<MatcherPolicy> policy;
  std::unique_ptr<LayerMatcher> linear;
  std::unique_ptr<LayerMatcher> indexed;
  std::unique_ptr<engine::Engine> engine;
  std::vector<std::uint64_t> engine_filter_of_rule;
  std::unordered_map<std::uint64_t, std::uint32_t> rule_of_engine_filter;
  std::unique_ptr<RteAclClassifier> rte_acl;
  std::string rte_acl_error;
  std::map<std::string, std::string> check_errors;  // by classifier; "" = checked and right
};

/// Facts measured once per (shape, size) outside Google Benchmark, for the summary.
struct SetupFacts {
  double engine_build_ms = 0;
  double engine_first_update_ms = 0;  // the first delete+add after the bulk commit
  double rte_acl_build_ms = 0;
  double engine_rss_bytes_per_filter = 0;
  double linear_bytes_per_filter = 0;
  double indexed_bytes_per_filter = 0;
  double rte_acl_bytes_per_filter = 0;
  double rte_acl_runtime_bytes_per_filter = 0;
  std::size_t indexed_tuples = 0;
  std::size_t unmatched_packets = 0;
  std::size_t linear_checked_packets = 0;
  std::string rte_acl_algorithm;
};
std::map<std::pair<RuleShape, std::size_t>, SetupFacts> g_facts;

std::unique_ptr<Workload> g_workload;

Workload& workload(RuleShape shape, std::size_t size) {
  if (g_workload && g_workload->shape == shape && g_workload->size == size) return *g_workload;
  g_workload.reset();
  malloc_trim(0);
  auto w = std::make_unique<Workload>();
  w->shape = shape;
  w->size = size;
  w->rules = generate_rules(shape, size, kSeed);
  w->trace = generate_trace(w->rules, kTracePackets, kSeed);
  SetupFacts& facts = g_facts[{shape, size}];
  for (const TracePacket& packet : w->trace) {
    w->values.push_back(to_incoming_values(packet.header));
    w->keys.push_back(make_rte_acl_key(packet.header));
    facts.unmatched_packets += packet.expected_rule ? 0U : 1U;
  }
  w->policy = std::make_unique<MatcherPolicy>(w->rules);
  w->linear = classify::LinearMatcher::make(kClassBenchLayer, w->policy->entries());
  w->indexed = classify::IndexedMatcher::make(kClassBenchLayer, w->policy->entries());
  facts.linear_bytes_per_filter = per_filter(w->linear->memory_bytes(), size);
  facts.indexed_bytes_per_filter = per_filter(w->indexed->memory_bytes(), size);
  facts.indexed_tuples = dynamic_cast<const classify::IndexedMatcher&>(*w->indexed).tuple_count();

  // The engine as a policy loader fills it: one transaction, filters in rule order.
  malloc_trim(0);
  const std::size_t rss_before = resident_bytes();
  const auto start = std::chrono::steady_clock::now();
  w->engine = std::make_unique<engine::Engine>(&classify::IndexedMatcher::make);
  if (!w->engine->begin()) std::abort();
  for (std::size_t i = 0; i < size; ++i) {
    auto id = w->engine->add_filter(to_filter(w->rules[i], i, size));
    if (!id) {
      std::fprintf(stderr, "classify_bench: add_filter: %s\n", id.error().message.c_str());
      std::exit(3);
    }
    w->engine_filter_of_rule.push_back(*id);
    w->rule_of_engine_filter[*id] = static_cast<std::uint32_t>(i);
  }
  if (!w->engine->commit()) std::abort();
  facts.engine_build_ms = milliseconds_since(start);
  // The first change after a bulk commit also brings the other replica up to date (it replays
  // the whole transaction): do it here, timed apart, so update/engine measures steady state.
  {
    const auto update_start = std::chrono::steady_clock::now();
    const std::size_t rule = size - 1;
    if (!w->engine->delete_filter(w->engine_filter_of_rule[rule])) std::abort();
    auto id = w->engine->add_filter(to_filter(w->rules[rule], rule, size));
    if (!id) std::abort();
    w->rule_of_engine_filter.erase(w->engine_filter_of_rule[rule]);
    w->rule_of_engine_filter[*id] = static_cast<std::uint32_t>(rule);
    w->engine_filter_of_rule[rule] = *id;
    facts.engine_first_update_ms = milliseconds_since(update_start);
  }
  facts.engine_rss_bytes_per_filter =
      per_filter(resident_bytes() - std::min(resident_bytes(), rss_before), size);

  if (!g_dpdk_error) {
    w->rte_acl = RteAclClassifier::build(w->rules, w->rte_acl_error);
    if (w->rte_acl) {
      facts.rte_acl_bytes_per_filter = per_filter(w->rte_acl->memory_bytes(), size);
      facts.rte_acl_runtime_bytes_per_filter =
          per_filter(w->rte_acl->memory_bytes() - w->rte_acl->rule_copy_bytes(), size);
      facts.rte_acl_algorithm = w->rte_acl->algorithm();
      facts.rte_acl_build_ms = w->rte_acl->build_milliseconds();
    }
  } else {
    w->rte_acl_error = "DPDK is not available: " + *g_dpdk_error;
  }
  g_workload = std::move(w);
  return *g_workload;
}

std::string describe(const std::optional<std::uint32_t>& rule) {
  return rule ? fmt::format("rule {}", *rule) : "none";
}

// Compares `classify(i)` with the trace for the first `limit` packets; "" when all agree.
template <class Classify>
std::string check_answers(const Workload& w, std::string_view who, std::size_t limit,
                          Classify classify) {
  limit = std::min(limit, w.trace.size());
  for (std::size_t i = 0; i < limit; ++i) {
    const std::optional<std::uint32_t> got = classify(i);
    if (got != w.trace[i].expected_rule) {
      return fmt::format("{} {}/{}: packet {} expected {}, got {}", who, rule_shape_name(w.shape),
                         size_label(w.size), i, describe(w.trace[i].expected_rule), describe(got));
    }
  }
  return "";
}

// The check of one classifier, run once per workload; false (and the benchmark failed loudly)
// when an answer is wrong.
template <class Classify>
bool checked(benchmark::State& state, Workload& w, const std::string& who, std::size_t limit,
             Classify classify) {
  auto [slot, first_time] = w.check_errors.try_emplace(who);
  if (first_time) slot->second = check_answers(w, who, limit, classify);
  if (slot->second.empty()) return true;
  std::fprintf(stderr, "classify_bench: WRONG ANSWER: %s\n", slot->second.c_str());
  state.SkipWithError(slot->second.c_str());
  g_failed = true;
  return false;
}

bool have_rte_acl(benchmark::State& state, const Workload& w) {
  if (w.rte_acl) return true;
  std::fprintf(stderr, "classify_bench: rte_acl unavailable: %s\n", w.rte_acl_error.c_str());
  state.SkipWithError(w.rte_acl_error.c_str());
  g_failed = true;
  return false;
}

// --- Lookups: one packet per iteration, cycling through the trace.

void lookup_matcher(benchmark::State& state, RuleShape shape, std::size_t size, bool indexed,
                    bool hot = false) {
  Workload& w = workload(shape, size);
  const LayerMatcher& matcher = indexed ? *w.indexed : *w.linear;
  const std::size_t limit = !indexed && size >= 100000 ? kLinearCheckPacketsAt100k : w.trace.size();
  if (!indexed) g_facts[{shape, size}].linear_checked_packets = std::min(limit, w.trace.size());
  if (!checked(state, w, std::string(matcher.name()), limit,
               [&](std::size_t i) { return first_match(matcher, w.values[i]); })) {
    return;
  }
  std::size_t i = 0;
  for (auto _ : state) {
    const classify::MatchEntry* first = nullptr;
    matcher.for_each_match(w.values[i], [&first](const classify::MatchEntry& entry) {
      first = &entry;
      return classify::VisitNext::kStop;
    });
    benchmark::DoNotOptimize(first);
    i = i + 1 == (hot ? kHotPackets : w.values.size()) ? 0 : i + 1;
  }
  state.SetItemsProcessed(state.iterations());
}

void lookup_engine(benchmark::State& state, RuleShape shape, std::size_t size) {
  Workload& w = workload(shape, size);
  const auto rule_of = [&w](const engine::Decision& decision) -> std::optional<std::uint32_t> {
    if (!decision.filter_id) return std::nullopt;
    return w.rule_of_engine_filter.at(*decision.filter_id);
  };
  if (!checked(state, w, "engine", w.trace.size(),
               [&](std::size_t i) { return rule_of(w.engine->classify(w.values[i])); })) {
    return;
  }
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(w.engine->classify(w.values[i]));
    i = i + 1 == w.values.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(state.iterations());
}

void lookup_rte_acl(benchmark::State& state, RuleShape shape, std::size_t size, bool hot = false) {
  Workload& w = workload(shape, size);
  if (!have_rte_acl(state, w) || !checked(state, w, "rte_acl", w.trace.size(), [&](std::size_t i) {
        return w.rte_acl->classify(w.keys[i]);
      })) {
    return;
  }
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(w.rte_acl->classify(w.keys[i]));
    i = i + 1 == (hot ? kHotPackets : w.keys.size()) ? 0 : i + 1;
  }
  state.SetItemsProcessed(state.iterations());
}

void lookup_rte_acl_burst(benchmark::State& state, RuleShape shape, std::size_t size) {
  Workload& w = workload(shape, size);
  if (!have_rte_acl(state, w)) return;
  std::vector<const std::uint8_t*> pointers;
  for (const RteAclKey& key : w.keys) pointers.push_back(key.bytes.data());
  const std::size_t bursts = pointers.size() / kBurst;
  std::vector<std::uint32_t> results(bursts * kBurst);
  for (std::size_t b = 0; b < bursts; ++b) {
    w.rte_acl->classify_burst(std::span(pointers).subspan(b * kBurst, kBurst),
                              std::span(results).subspan(b * kBurst, kBurst));
  }
  if (!checked(state, w, "rte_acl burst", bursts * kBurst, [&](std::size_t i) {
        return results[i] == 0 ? std::nullopt : std::optional<std::uint32_t>(results[i] - 1);
      })) {
    return;
  }
  std::size_t b = 0;
  for (auto _ : state) {
    w.rte_acl->classify_burst(std::span(pointers).subspan(b * kBurst, kBurst),
                              std::span(results).first(kBurst));
    benchmark::DoNotOptimize(results.data());
    b = b + 1 == bursts ? 0 : b + 1;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kBurst));
}

// --- Updates. Rules are visited in a scattered order (a fixed stride coprime with the size),
// not front to back, which would favour the linear matcher's vector.

std::size_t scattered(std::size_t k, std::size_t size) { return (k * 7919U + 13U) % size; }

void update_matcher(benchmark::State& state, RuleShape shape, std::size_t size, bool indexed) {
  Workload& w = workload(shape, size);
  LayerMatcher& matcher = indexed ? *w.indexed : *w.linear;
  std::size_t k = 0;
  for (auto _ : state) {
    const classify::MatchEntry entry = w.policy->entry(scattered(k++, size));
    if (!matcher.erase(entry)) {
      state.SkipWithError("erase did not find the filter");
      g_failed = true;
      break;
    }
    matcher.insert(entry);
  }
  state.SetItemsProcessed(state.iterations() * 2);
}

void update_engine(benchmark::State& state, RuleShape shape, std::size_t size) {
  Workload& w = workload(shape, size);
  std::size_t k = 0;
  for (auto _ : state) {
    const std::size_t rule = scattered(k++, size);
    const std::uint64_t old_id = w.engine_filter_of_rule[rule];
    auto deleted = w.engine->delete_filter(old_id);
    auto added = w.engine->add_filter(to_filter(w.rules[rule], rule, size));
    if (!deleted || !added) {
      state.SkipWithError("engine delete_filter/add_filter failed");
      g_failed = true;
      break;
    }
    w.rule_of_engine_filter.erase(old_id);
    w.rule_of_engine_filter[*added] = static_cast<std::uint32_t>(rule);
    w.engine_filter_of_rule[rule] = *added;
  }
  state.SetItemsProcessed(state.iterations() * 2);
}

// --- Builds from a rule set already in memory (no rule generation or parsing).

void build_matcher(benchmark::State& state, RuleShape shape, std::size_t size, bool indexed) {
  Workload& w = workload(shape, size);
  const classify::MatcherFactory make =
      indexed ? &classify::IndexedMatcher::make : &classify::LinearMatcher::make;
  for (auto _ : state) benchmark::DoNotOptimize(make(kClassBenchLayer, w.policy->entries()));
  state.SetItemsProcessed(state.iterations());
}

// --- Registration and the summary.

struct Row {
  RuleShape shape;
  std::size_t size;
};
std::vector<Row> g_rows;

std::string benchmark_name(std::string_view what, RuleShape shape, std::size_t size,
                           std::string_view who) {
  return fmt::format("{}/{}/{}/{}", what, rule_shape_name(shape), size_label(size), who);
}

void register_benchmarks(const std::vector<RuleShape>& shapes,
                         const std::vector<std::size_t>& sizes) {
  for (const RuleShape shape : shapes) {
    for (const std::size_t size : sizes) {
      g_rows.push_back({shape, size});
      const auto name = [&](std::string_view what, std::string_view who) {
        return benchmark_name(what, shape, size, who);
      };
      const double linear_time = size >= 100000 ? 0.5 : 0.2;
      benchmark::RegisterBenchmark(name("lookup", "linear").c_str(), [=](benchmark::State& state) {
        lookup_matcher(state, shape, size, false);
      })->MinTime(linear_time);
      benchmark::RegisterBenchmark(name("lookup", "indexed").c_str(), [=](benchmark::State& state) {
        lookup_matcher(state, shape, size, true);
      })->MinTime(0.2);
      benchmark::RegisterBenchmark(
          name("lookup", "indexed_hot").c_str(),
          [=](benchmark::State& state) { lookup_matcher(state, shape, size, true, true); })
          ->MinTime(0.2);
      benchmark::RegisterBenchmark(name("lookup", "engine").c_str(), [=](benchmark::State& state) {
        lookup_engine(state, shape, size);
      })->MinTime(0.2);
      benchmark::RegisterBenchmark(name("lookup", "rte_acl").c_str(), [=](benchmark::State& state) {
        lookup_rte_acl(state, shape, size);
      })->MinTime(0.2);
      benchmark::RegisterBenchmark(
          name("lookup", "rte_acl_hot").c_str(),
          [=](benchmark::State& state) { lookup_rte_acl(state, shape, size, true); })
          ->MinTime(0.2);
      benchmark::RegisterBenchmark(
          name("lookup", "rte_acl_burst64").c_str(),
          [=](benchmark::State& state) { lookup_rte_acl_burst(state, shape, size); })
          ->MinTime(0.2);
      benchmark::RegisterBenchmark(name("update", "linear").c_str(), [=](benchmark::State& state) {
        update_matcher(state, shape, size, false);
      })->MinTime(0.2);
      benchmark::RegisterBenchmark(name("update", "indexed").c_str(), [=](benchmark::State& state) {
        update_matcher(state, shape, size, true);
      })->MinTime(0.2);
      benchmark::RegisterBenchmark(name("update", "engine").c_str(), [=](benchmark::State& state) {
        update_engine(state, shape, size);
      })->MinTime(0.2);
      benchmark::RegisterBenchmark(
          name("build", "linear").c_str(),
          [=](benchmark::State& state) { build_matcher(state, shape, size, false); })
          ->MinTime(0.2)
          ->Unit(benchmark::kMillisecond);
      benchmark::RegisterBenchmark(
          name("build", "indexed").c_str(),
          [=](benchmark::State& state) { build_matcher(state, shape, size, true); })
          ->MinTime(0.2)
          ->Unit(benchmark::kMillisecond);
    }
  }
}

/// The console output, plus the nanoseconds per item (CPU time: items_per_second) of every
/// run that succeeded, by benchmark name, for the summary.
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  // Colours only on a terminal (Google Benchmark applies --benchmark_color to its own
  // reporter, not to one it is given).
  SummaryReporter() : ConsoleReporter(isatty(STDOUT_FILENO) != 0 ? OO_ColorTabular : OO_Tabular) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred || run.run_type != Run::RT_Iteration) continue;
      const auto rate = run.counters.find("items_per_second");
      if (rate != run.counters.end() && rate->second.value > 0) {
        ns_per_item_[run.run_name.function_name] = 1e9 / rate->second.value;
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  /// nullopt when the benchmark did not run or failed.
  std::optional<double> ns(const std::string& name) const {
    const auto it = ns_per_item_.find(name);
    if (it == ns_per_item_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, double> ns_per_item_;
};

std::string cell(std::optional<double> value, const char* format = "{:.1f}") {
  return value ? fmt::format(fmt::runtime(format), *value) : "-";
}
std::optional<double> ratio(std::optional<double> a, std::optional<double> b) {
  if (!a || !b || *b == 0) return std::nullopt;
  return *a / *b;
}
std::optional<double> per_second(std::optional<double> ns) {
  if (!ns || *ns == 0) return std::nullopt;
  return 1e9 / *ns;
}

void print_summary(const SummaryReporter& reporter) {
  std::printf("\n== Lookups: ns per classification (CPU time, one thread) ==\n");
  std::printf("%-4s %6s | %11s %9s %9s %9s %11s | %14s %13s %13s\n", "set", "rules", "linear",
              "indexed", "engine", "rte_acl", "rte_acl/64", "linear/indexed", "indexed/rte",
              "Mclass/s idx");
  for (const Row& row : g_rows) {
    const auto ns = [&](std::string_view who) {
      return reporter.ns(benchmark_name("lookup", row.shape, row.size, who));
    };
    const auto linear = ns("linear");
    const auto indexed = ns("indexed");
    const auto rte_acl = ns("rte_acl");
    const auto rate = per_second(indexed);
    std::printf("%-4s %6s | %11s %9s %9s %9s %11s | %13sx %12sx %13s\n",
                std::string(rule_shape_name(row.shape)).c_str(), size_label(row.size).c_str(),
                cell(linear).c_str(), cell(indexed).c_str(), cell(ns("engine")).c_str(),
                cell(rte_acl).c_str(), cell(ns("rte_acl_burst64")).c_str(),
                cell(ratio(linear, indexed)).c_str(),
                cell(ratio(indexed, rte_acl), "{:.2f}").c_str(),
                cell(rate ? std::optional<double>(*rate / 1e6) : std::nullopt, "{:.2f}").c_str());
  }

  std::printf(
      "\n== Hot lookups: the same %zu packets over and over (incoming values in cache) ==\n",
      kHotPackets);
  std::printf("%-4s %6s | %11s %11s | %13s\n", "set", "rules", "indexed", "rte_acl", "indexed/rte");
  for (const Row& row : g_rows) {
    const auto ns = [&](std::string_view who) {
      return reporter.ns(benchmark_name("lookup", row.shape, row.size, who));
    };
    std::printf("%-4s %6s | %11s %11s | %12sx\n", std::string(rule_shape_name(row.shape)).c_str(),
                size_label(row.size).c_str(), cell(ns("indexed_hot")).c_str(),
                cell(ns("rte_acl_hot")).c_str(),
                cell(ratio(ns("indexed_hot"), ns("rte_acl_hot")), "{:.2f}").c_str());
  }

  std::printf("\n== Build, memory and updates ==\n");
  std::printf("%-4s %6s | %9s %9s %9s %9s | %7s %8s %8s %8s %8s | %10s %10s %10s | %s\n", "set",
              "rules", "build lin", "build idx", "build rte", "engine", "B/f lin", "B/f idx",
              "B/f rte", "rte rt", "B/f eng", "upd/s lin", "upd/s idx", "upd/s eng", "notes");
  for (const Row& row : g_rows) {
    const auto ns = [&](std::string_view what, std::string_view who) {
      return reporter.ns(benchmark_name(what, row.shape, row.size, who));
    };
    const auto ms = [&](std::string_view who) {
      const auto value = ns("build", who);
      return value ? std::optional<double>(*value / 1e6) : std::nullopt;
    };
    const SetupFacts& facts = g_facts[{row.shape, row.size}];
    std::printf(
        "%-4s %6s | %7sms %7sms %7sms %7sms | %7.0f %8.0f %8.0f %8.0f %8.0f | %10s %10s %10s | "
        "%zu tuples, %zu/%zu unmatched, linear checked on %zu, rte_acl %s, engine first update "
        "%.0f ms\n",
        std::string(rule_shape_name(row.shape)).c_str(), size_label(row.size).c_str(),
        cell(ms("linear"), "{:.2f}").c_str(), cell(ms("indexed"), "{:.2f}").c_str(),
        cell(facts.rte_acl_build_ms, "{:.1f}").c_str(),
        cell(facts.engine_build_ms, "{:.0f}").c_str(), facts.linear_bytes_per_filter,
        facts.indexed_bytes_per_filter, facts.rte_acl_bytes_per_filter,
        facts.rte_acl_runtime_bytes_per_filter, facts.engine_rss_bytes_per_filter,
        cell(per_second(ns("update", "linear")), "{:.3g}").c_str(),
        cell(per_second(ns("update", "indexed")), "{:.3g}").c_str(),
        cell(per_second(ns("update", "engine")), "{:.3g}").c_str(), facts.indexed_tuples,
        facts.unmatched_packets, kTracePackets, facts.linear_checked_packets,
        facts.rte_acl_algorithm.c_str(), facts.engine_first_update_ms);
  }
  std::printf(
      "\nlinear/indexed: speedup of IndexedMatcher over LinearMatcher; indexed/rte: IndexedMatcher "
      "time over rte_acl's single-packet time (1.00 = as fast). rte_acl/64: per packet in bursts "
      "of 64. engine: Engine::classify with IndexedMatcher (arbitration included).\n"
      "build: matcher from entries in memory; rte = rte_acl create+add+build, timed once, which "
      "is also its cost for any update (no incremental update). engine: begin + N add_filter + "
      "commit.\n"
      "B/f: bytes per filter; lin/idx = LayerMatcher::memory_bytes(); rte = DPDK heap bytes after "
      "build (rules copy included), rt = without the rules copy; eng = engine RSS growth (two "
      "replicas, the filter objects, both matchers).\n"
      "upd/s: erase+insert (matchers) or delete_filter+add_filter outside a transaction (engine), "
      "operations per second.\n");
}

// Splits "a,b,c".
std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> parts;
  while (!text.empty()) {
    const auto comma = text.find(',');
    parts.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return parts;
}

}  // namespace
}  // namespace openfwp::bench

int main(int argc, char** argv) {
  using namespace openfwp::bench;
  std::vector<RuleShape> shapes = {RuleShape::kAcl, RuleShape::kFw, RuleShape::kIpc};
  std::vector<std::size_t> sizes = {1000, 10000, 100000};
  unsigned max_simd_bitwidth = 0;
  // Our own options (before Google Benchmark's, which it parses from what is left).
  std::vector<char*> rest = {argv[0]};
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--shapes=")) {
      shapes.clear();
      for (const auto& name : split(arg.substr(9))) {
        const auto shape = rule_shape_from_text(name);
        if (!shape) {
          std::fprintf(stderr, "classify_bench: unknown shape %s\n", name.c_str());
          return 2;
        }
        shapes.push_back(*shape);
      }
    } else if (arg.starts_with("--sizes=")) {
      sizes.clear();
      for (const auto& size : split(arg.substr(8))) sizes.push_back(std::stoul(size));
    } else if (arg.starts_with("--rte-acl-max-simd=")) {
      max_simd_bitwidth = static_cast<unsigned>(std::stoul(std::string(arg.substr(19))));
    } else {
      rest.push_back(argv[i]);
    }
  }
  g_dpdk_error = start_dpdk(max_simd_bitwidth);
  if (g_dpdk_error) std::fprintf(stderr, "classify_bench: %s\n", g_dpdk_error->c_str());
  register_benchmarks(shapes, sizes);
  int rest_count = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_count, rest.data());
  if (benchmark::ReportUnrecognizedArguments(rest_count, rest.data())) return 2;
  SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  print_summary(reporter);
  g_workload.reset();
  if (g_failed) std::fprintf(stderr, "classify_bench: FAILED (see the errors above)\n");
  return g_failed ? 1 : 0;
}
