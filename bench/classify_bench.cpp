// SPDX-License-Identifier: Apache-2.0
// ns per classify against policy size for the reference (linear) matcher: the baseline every
// faster matcher (issue #6) is compared with. Policies mix exact, prefix and range conditions;
// the generator is seeded, so runs are comparable.
#include "engine/engine.h"

#include <benchmark/benchmark.h>

#include <random>

namespace openfwp {
namespace {

using model::FieldId;
using model::LayerId;
using model::MatchType;

constexpr LayerId kLayer = LayerId::kAleAuthConnectV4;

model::Filter random_filter(std::mt19937_64& rng, std::size_t index) {
  model::Filter f;
  f.name = "f" + std::to_string(index);
  f.layer = kLayer;
  f.action = (rng() % 4 == 0) ? model::ActionType::kPermit : model::ActionType::kBlock;
  f.weight = {model::Weight::Kind::kUint64, rng() % 1000000};
  // A /24 … /32 destination prefix, a remote port or port range, sometimes a protocol.
  const auto address = static_cast<std::uint32_t>(0xC6120000U | (rng() & 0x1ffffU));
  const auto length = static_cast<std::uint8_t>(24 + rng() % 9);
  f.conditions.push_back(
      {FieldId::kIpRemoteAddress, MatchType::kEqual,
       Ipv4Prefix{address & (length == 0 ? 0U : ~0U << (32U - length)), length}});
  if (rng() % 2 == 0) {
    f.conditions.push_back(
        {FieldId::kIpRemotePort, MatchType::kEqual, static_cast<std::uint16_t>(rng() % 65536)});
  } else {
    const auto low = static_cast<std::uint16_t>(rng() % 60000);
    f.conditions.push_back({FieldId::kIpRemotePort, MatchType::kRange,
                            model::Range{low, static_cast<std::uint16_t>(low + rng() % 5000)}});
  }
  if (rng() % 3 == 0) {
    f.conditions.push_back({FieldId::kIpProtocol, MatchType::kEqual, std::uint8_t{6}});
  }
  return f;
}

void BM_LinearClassify(benchmark::State& state) {
  const auto filters = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(42);
  engine::Engine engine;
  (void)engine.begin();
  for (std::size_t i = 0; i < filters; ++i) (void)engine.add_filter(random_filter(rng, i));
  (void)engine.commit();

  std::vector<model::IncomingValues> packets;
  for (int i = 0; i < 256; ++i) {
    model::IncomingValues in(kLayer);
    in.set(FieldId::kIpRemoteAddress, static_cast<std::uint32_t>(0xC6120000U | (rng() & 0x1ffffU)));
    in.set(FieldId::kIpRemotePort, static_cast<std::uint16_t>(rng() % 65536));
    in.set(FieldId::kIpProtocol, std::uint8_t{6});
    packets.push_back(std::move(in));
  }
  std::size_t i = 0;
  std::size_t blocked = 0;
  for (auto _ : state) {
    const auto decision = engine.classify(packets[i++ % packets.size()]);
    blocked += decision.action == engine::Outcome::kBlock ? 1U : 0U;
  }
  benchmark::DoNotOptimize(blocked);
  state.SetItemsProcessed(state.iterations());
  state.counters["filters"] = static_cast<double>(filters);
}
BENCHMARK(BM_LinearClassify)->RangeMultiplier(10)->Range(10, 10000);

}  // namespace
}  // namespace openfwp

BENCHMARK_MAIN();
