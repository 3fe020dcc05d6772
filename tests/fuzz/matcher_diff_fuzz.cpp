// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the input drives the random-policy generator of the differential tests
// (tests/support/random_policy.h) in place of a seeded PRNG → a policy, packets and inserts /
// erases for LinearMatcher and IndexedMatcher, then adds, deletes, transactions and held
// snapshots for two engines built on each.
//
//   byte 0      bit 0: also run the engine case; bits 1-2: the layer (0 ALE_AUTH_CONNECT_V4,
//               1 and 3 ALE_AUTH_CONNECT_V6, 2 OUTBOUND_IPPACKET_V6: IPv6 addresses are 128-bit
//               FWP_BYTE_ARRAY16 values; inputs written before the layer choice had these bits
//               clear and keep their meaning); bits 3-7: the number of filters (0-31; small
//               cases keep the fuzzer fast, and mismatches need few filters to show)
//   the rest    every choice the generator makes, little endian, as many bytes as the choice
//               needs (tests/support/random_policy.h, ByteChoices); exhausted input reads as 0
//
// Property checked beyond "no crash": identical visit sequences under every visitor policy,
// identical erase results and sizes, identical decisions and explanations, unchanged decisions
// of held snapshots (tests/support/matcher_differential.h, engine_differential.h). A mismatch
// prints what differed and aborts. ByteChoices rather than FuzzedDataProvider: the dev build
// (GCC) replays the corpus through the same entry point and has no <fuzzer/> headers, and a
// corpus file must mean the same case in both builds.
#include "support/candidate_matcher.h"
#include "support/engine_differential.h"
#include "support/matcher_differential.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

namespace {

using openfwp::model::LayerId;
using openfwp::testing::ByteChoices;
using openfwp::testing::CandidateMatcher;
using openfwp::testing::EngineDifferential;
using openfwp::testing::MatcherDifferential;

constexpr std::array kLayers = {LayerId::kAleAuthConnectV4, LayerId::kAleAuthConnectV6,
                                LayerId::kOutboundIppacketV6, LayerId::kAleAuthConnectV6};

void require_no_mismatch(const std::optional<std::string>& mismatch, const char* what) {
  if (!mismatch) return;
  std::fprintf(stderr, "matcher_diff_fuzz: %s: %s\n", what, mismatch->c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t filters = data[0] >> 3U;
  const bool engines = (data[0] & 1U) != 0;
  const LayerId layer = kLayers[(data[0] >> 1U) & 3U];
  const std::span<const std::uint8_t> rest(data + 1, size - 1);
  {
    ByteChoices choices(rest);
    MatcherDifferential differential(choices, &openfwp::classify::LinearMatcher::make,
                                     &CandidateMatcher::make, layer);
    require_no_mismatch(differential.run(filters, 4, 16), "matchers");
  }
  if (engines) {
    ByteChoices choices(rest);
    EngineDifferential differential(choices, &openfwp::classify::LinearMatcher::make,
                                    &CandidateMatcher::make, layer);
    require_no_mismatch(differential.run(filters / 2, 4, 2), "engines");
  }
  return 0;
}
