// SPDX-License-Identifier: Apache-2.0
// Issue #4 at scale: a `netsh wfp show filters` / `show state` dump of 1k, 10k and 100k filters
// (bench/gen_netsh_dump.py, generated once per size into OPENFWP_BENCH_DATA_DIR) is
//   (a) imported from bytes already in memory (decode, XML parse, walk, weight check),
//   (b) applied to a fresh Engine (the "build": store, effective weights, snapshot),
//   (c) printed as canonical policy YAML.
// Counters: filters/s, MB/s (of dump for import, of YAML for print), peak RSS during the timed
// part and the peak extra bytes per filter (VmHWM after a reset through /proc/self/clear_refs,
// minus the RSS before). The benchmark verifies itself: every filter of the dump must import and
// every recorded effectiveWeight must equal openfwp's, else it fails with SkipWithError.
#include "engine/engine.h"
#include "io/netsh/netsh_import.h"
#include "io/policy/policy.h"

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <malloc.h>
#include <memory>
#include <optional>
#include <string>

namespace openfwp {
namespace {

namespace netsh = io::netsh;

// ---- memory: VmRSS / VmHWM of this process, in bytes -------------------------------------

std::size_t status_kb(std::string_view key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(key)) return std::strtoull(line.c_str() + key.size(), nullptr, 10);
  }
  return 0;
}

// Resets VmHWM to the current RSS (Linux >= 4.0); false if the kernel refuses, in which case
// the peak counters cover the whole process life so far.
bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

class PeakRss {
 public:
  // Freed heap that malloc kept (an earlier, larger dump) is given back first, so that the
  // baseline is what is live and the peak is what this benchmark adds.
  PeakRss() : reset_((malloc_trim(0), reset_peak_rss())), before_(status_kb("VmRSS:") * 1024) {}
  void report(benchmark::State& state, std::size_t filters) const {
    const std::size_t peak = status_kb("VmHWM:") * 1024;
    state.counters["peak_rss_MB"] = static_cast<double>(peak) / 1e6;
    const std::size_t extra = peak > before_ ? peak - before_ : 0;
    state.counters["peak_extra_B_per_filter"] =
        static_cast<double>(extra) / static_cast<double>(std::max<std::size_t>(filters, 1));
    if (!reset_) state.SetLabel("VmHWM not resettable: peak is the process's");
  }

 private:
  bool reset_;
  std::size_t before_;
};

// ---- dumps ----------------------------------------------------------------------------------

const char* format_name(int format) { return format == 0 ? "filters" : "state"; }

// The dump of `filters` filters in `format`; one is held at a time (a 100k dump is 260 MB).
struct Dump {
  int format = -1;
  std::size_t filters = 0;
  std::string bytes;
  std::optional<netsh::ImportResult> imported;  // for the build and print benchmarks
};

Dump& dump_for(std::size_t filters, int format) {
  static Dump dump;
  if (dump.format == format && dump.filters == filters) return dump;
  dump = Dump{};
  const std::filesystem::path dir = OPENFWP_BENCH_DATA_DIR;
  const auto path = dir / fmt::format("{}{}.xml", format_name(format), filters);
  if (!std::filesystem::exists(path)) {
    std::filesystem::create_directories(dir);
    const auto partial = path.string() + ".partial";
    const std::string command = fmt::format(
        "python3 '{}/bench/gen_netsh_dump.py' --filters {} --seed 1 --format {} -o '{}'",
        OPENFWP_SOURCE_DIR, filters, format_name(format), partial);
    if (std::system(command.c_str()) != 0) return dump;  // bytes empty: the caller reports it
    std::filesystem::rename(partial, path);
  }
  std::ifstream in(path, std::ios::binary);
  dump.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  dump.format = format;
  dump.filters = filters;
  return dump;
}

// An error text if the import lost a filter or a weight, else empty.
std::string verify(const netsh::ImportResult& result, std::size_t expected_filters) {
  for (const auto& u : result.policy.unsupported) {
    if (u.kind == "filter") return fmt::format("filter {} unsupported: {}", u.key, u.reason);
  }
  if (!result.report.weight_mismatches.empty()) {
    const auto& m = result.report.weight_mismatches.front();
    return fmt::format("{} effective-weight mismatches (first: filter {})",
                       result.report.weight_mismatches.size(), m.filter_id);
  }
  if (result.policy.filters.size() != expected_filters) {
    return fmt::format("{} filters imported, {} generated", result.policy.filters.size(),
                       expected_filters);
  }
  if (result.report.weights_checked != expected_filters) {
    return fmt::format("{} weights checked, {} filters", result.report.weights_checked,
                       expected_filters);
  }
  return {};
}

// Imports once (outside the timed part) for the build and print benchmarks.
const netsh::ImportResult* imported_for(benchmark::State& state, std::size_t filters, int format) {
  Dump& dump = dump_for(filters, format);
  if (dump.bytes.empty()) {
    state.SkipWithError("could not generate the dump (python3 bench/gen_netsh_dump.py)");
    return nullptr;
  }
  if (!dump.imported) {
    auto result = netsh::import_netsh(dump.bytes, "bench.xml");
    if (!result) {
      state.SkipWithError(result.error().to_string().c_str());
      return nullptr;
    }
    if (const auto problem = verify(*result, dump.filters); !problem.empty()) {
      state.SkipWithError(problem.c_str());
      return nullptr;
    }
    dump.imported = std::move(*result);
  }
  return &*dump.imported;
}

void set_rates(benchmark::State& state, std::size_t filters, std::size_t bytes) {
  state.counters["filters_per_s"] =
      benchmark::Counter(static_cast<double>(filters) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  if (bytes != 0) state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
}

// ---- the three benchmarks -------------------------------------------------------------------

void BM_Import(benchmark::State& state, std::size_t filters, int format) {
  Dump& dump = dump_for(filters, format);
  if (dump.bytes.empty()) {
    state.SkipWithError("could not generate the dump (python3 bench/gen_netsh_dump.py)");
    return;
  }
  dump.imported.reset();
  const PeakRss peak;
  for (auto _ : state) {
    auto result = netsh::import_netsh(dump.bytes, "bench.xml");
    if (!result) {
      state.SkipWithError(result.error().to_string().c_str());
      return;
    }
    state.PauseTiming();
    const auto problem = verify(*result, dump.filters);
    result = {};  // free it untimed
    state.ResumeTiming();
    if (!problem.empty()) {
      state.SkipWithError(problem.c_str());
      return;
    }
  }
  peak.report(state, dump.filters);
  set_rates(state, dump.filters, dump.bytes.size());
}

void BM_Build(benchmark::State& state, std::size_t filters, int format) {
  const netsh::ImportResult* imported = imported_for(state, filters, format);
  if (imported == nullptr) return;
  const PeakRss peak;
  for (auto _ : state) {
    auto engine = std::make_unique<engine::Engine>();
    if (auto applied = io::policy::apply_policy(imported->policy, *engine); !applied) {
      state.SkipWithError(applied.error().to_string().c_str());
      return;
    }
    state.PauseTiming();
    engine.reset();  // tearing down is not the build
    state.ResumeTiming();
  }
  peak.report(state, imported->policy.filters.size());
  set_rates(state, imported->policy.filters.size(), 0);  // no bytes: filters/s only
}

void BM_Print(benchmark::State& state, std::size_t filters, int format) {
  const netsh::ImportResult* imported = imported_for(state, filters, format);
  if (imported == nullptr) return;
  const PeakRss peak;
  std::size_t printed_bytes = 0;
  for (auto _ : state) {
    const std::string printed = io::policy::print_policy(imported->policy);
    printed_bytes = printed.size();
    benchmark::DoNotOptimize(printed.data());
  }
  peak.report(state, imported->policy.filters.size());
  set_rates(state, imported->policy.filters.size(), printed_bytes);
}

// Grouped by dump so that each is generated, read and imported once.
void register_all() {
  for (const int format : {0, 1}) {
    for (const std::size_t filters : {1000U, 10000U, 100000U}) {
      const auto suffix = fmt::format("{}/{}", format_name(format), filters);
      for (const auto& [name, fn] :
           {std::pair{"BM_Import", &BM_Import}, {"BM_Build", &BM_Build}, {"BM_Print", &BM_Print}}) {
        benchmark::RegisterBenchmark(fmt::format("{}/{}", name, suffix).c_str(), fn, filters,
                                     format)
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
      }
    }
  }
}

}  // namespace
}  // namespace openfwp

int main(int argc, char** argv) {
  openfwp::register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
