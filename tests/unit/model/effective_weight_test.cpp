// SPDX-License-Identifier: Apache-2.0
// Effective weight (docs/decisions/0002-automatic-filter-weight.md): the frame, each rule of the
// automatic part on its own, the worked examples of §8, and every test vector of
// tests/data/weights/vectors.jsonl (real filters from 13 netsh dumps, the same file
// tools/weight_reference.py --vectors checks) bit for bit.
//
// Layers and fields are named by their WFP spellings and looked up in the catalog, so these
// tests do not depend on the catalog's enumerator names.
#include "model/effective_weight.h"

#include "common/ip_address.h"
#include "model/catalog.h"
#include "model/filter.h"
#include "model/value.h"
#include "model/value_text.h"
#include "support/filter_builder.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace openfwp::model {
namespace {

using openfwp::testing::FilterBuilder;

constexpr std::uint64_t kFastLayerWeight = 0x07ffffffffffffffULL;

LayerId layer_named(std::string_view name) {
  const auto id = find_layer(name);
  EXPECT_TRUE(id.has_value()) << "the catalog has no layer " << name;
  return id.value_or(LayerId{});
}

FieldId field_named(std::string_view name) {
  const auto id = find_field(name);
  EXPECT_TRUE(id.has_value()) << "the catalog has no field " << name;
  return id.value_or(FieldId{});
}

std::uint64_t auto_value(const Filter& filter, WeightProfile profile = WeightProfile::kWin11) {
  const AutomaticWeight weight = automatic_weight(filter.layer, filter.conditions, profile);
  EXPECT_TRUE(weight.fields_without_slot.empty())
      << "filter \"" << filter.name << "\" has a field without a known slot";
  return weight.value;
}

// --- The frame (WFP: Filter Weight Assignment) ----------------------------------------------

TEST(EffectiveWeight, Uint64WeightIsUsedAsWritten) {
  for (const std::uint64_t w : {0ULL, 1ULL, 42ULL, 0x0fffffffffffffffULL, ~0ULL}) {
    const Filter filter = FilterBuilder("f")
                              .layer("FWPM_LAYER_ALE_AUTH_CONNECT_V4")
                              .weight_uint64(w)
                              .condition("FWPM_CONDITION_IP_REMOTE_PORT", "FWP_MATCH_EQUAL", "80")
                              .build();
    EXPECT_EQ(effective_weight(filter), w);
    EXPECT_EQ(effective_weight(filter, WeightProfile::kWin10), w);
  }
}

TEST(EffectiveWeight, Uint8WeightPutsTheRangeInTheTopFourBitsAboveTheAutomaticPart) {
  for (std::uint64_t k = 0; k <= 15; ++k) {
    const Filter filter = FilterBuilder("f")
                              .layer("FWPM_LAYER_ALE_AUTH_CONNECT_V4")
                              .weight_uint8(k)
                              .condition("FWPM_CONDITION_IP_REMOTE_PORT", "FWP_MATCH_EQUAL", "80")
                              .build();
    EXPECT_EQ(effective_weight(filter), (k << 60U) | auto_value(filter));
    EXPECT_EQ(effective_weight(filter) >> 60U, k);
  }
}

TEST(EffectiveWeight, EmptyWeightIsTheAutomaticPart) {
  const Filter filter = FilterBuilder("f")
                            .layer("FWPM_LAYER_ALE_AUTH_CONNECT_V4")
                            .condition("FWPM_CONDITION_IP_REMOTE_PORT", "FWP_MATCH_EQUAL", "80")
                            .condition("FWPM_CONDITION_IP_PROTOCOL", "FWP_MATCH_EQUAL", "tcp")
                            .build();
  EXPECT_EQ(effective_weight(filter), auto_value(filter));
  EXPECT_LT(effective_weight(filter), 1ULL << 60U);
}

TEST(EffectiveWeight, IgnoresAPreviouslyStoredEffectiveWeight) {
  Filter filter =
      FilterBuilder("f").layer("FWPM_LAYER_ALE_AUTH_CONNECT_V4").weight_uint64(7).build();
  filter.effective_weight = 99;
  EXPECT_EQ(effective_weight(filter), 7U);
}

// --- The automatic part, rule by rule (0002 §2–§5) ------------------------------------------

TEST(AutomaticWeight, NoConditionsGiveZero) {
  for (const auto* layer : {"FWPM_LAYER_ALE_AUTH_CONNECT_V4", "FWPM_LAYER_ALE_AUTH_LISTEN_V6",
                            "FWPM_LAYER_IPFORWARD_V4"}) {
    EXPECT_EQ(automatic_weight(layer_named(layer), {}).value, 0U) << layer;
  }
}

TEST(AutomaticWeight, LayersWithoutFieldsGiveTwoToTheFiftyNineMinusOne) {
  for (const auto* layer :
       {"FWPM_LAYER_INBOUND_TRANSPORT_FAST", "FWPM_LAYER_OUTBOUND_TRANSPORT_FAST",
        "FWPM_LAYER_INBOUND_MAC_FRAME_NATIVE_FAST", "FWPM_LAYER_OUTBOUND_MAC_FRAME_NATIVE_FAST"}) {
    for (const auto profile :
         {WeightProfile::kWin11, WeightProfile::kWin10, WeightProfile::kVpnWin}) {
      const AutomaticWeight weight = automatic_weight(layer_named(layer), {}, profile);
      EXPECT_EQ(weight.value, kFastLayerWeight) << layer;
      EXPECT_TRUE(weight.fields_without_slot.empty());
    }
  }
  Filter filter =
      FilterBuilder("f").layer("FWPM_LAYER_INBOUND_TRANSPORT_FAST").weight_uint8(2).build();
  EXPECT_EQ(effective_weight(filter), (2ULL << 60U) | kFastLayerWeight);
}

TEST(AutomaticWeight, EqualOnOneMemberOfATwoMemberSlotGivesTheUpperHalf) {
  // ADDR at ALE_AUTH_CONNECT_V4: bits 52..58, C = 32 + 32; 32/64 · 127 = 63.5 → 64 = 1 << 6.
  const Filter filter =
      FilterBuilder("f")
          .layer("FWPM_LAYER_ALE_AUTH_CONNECT_V4")
          .condition("FWPM_CONDITION_IP_REMOTE_ADDRESS", "FWP_MATCH_EQUAL", "10.0.0.1")
          .build();
  EXPECT_EQ(auto_value(filter), 1ULL << 58U);
}

TEST(AutomaticWeight, EqualOnASingleMemberSlotFillsIt) {
  // RPORT at ALE_AUTH_CONNECT_V4: win11 39/3, win10 38/3.
  const Filter filter = FilterBuilder("f")
                            .layer("FWPM_LAYER_ALE_AUTH_CONNECT_V4")
                            .condition("FWPM_CONDITION_IP_REMOTE_PORT", "FWP_MATCH_EQUAL", "443")
                            .build();
  EXPECT_EQ(auto_value(filter), 0x7ULL << 39U);
  EXPECT_EQ(auto_value(filter, WeightProfile::kWin10), 0x7ULL << 38U);
}

TEST(AutomaticWeight, AnyConditionOnAOneBitFieldCountsFully) {
  // FLAGS at ALE_AUTH_CONNECT_V4 (36/1), whatever the match type.
  for (const auto* match :
       {"FWP_MATCH_FLAGS_ALL_SET", "FWP_MATCH_FLAGS_NONE_SET", "FWP_MATCH_FLAGS_ANY_SET"}) {
    const Filter filter = FilterBuilder("f")
                              .layer("FWPM_LAYER_ALE_AUTH_CONNECT_V4")
                              .condition("FWPM_CONDITION_FLAGS", match, "1")
                              .build();
    EXPECT_EQ(auto_value(filter), 1ULL << 36U) << match;
  }
}

TEST(AutomaticWeight, AFieldWithoutAKnownSlotIsReportedAndAddsNothing) {
  // No dump used IP_LOCAL_ADDRESS at ALE_AUTH_LISTEN_V4 (0002 open point 2). Two conditions
  // on it report it once; the port keeps its own bits.
  const FieldId local_address = field_named("FWPM_CONDITION_IP_LOCAL_ADDRESS");
  const Filter filter =
      FilterBuilder("f")
          .layer("FWPM_LAYER_ALE_AUTH_LISTEN_V4")
          .condition("FWPM_CONDITION_IP_LOCAL_ADDRESS", "FWP_MATCH_EQUAL", "10.0.0.1")
          .condition("FWPM_CONDITION_IP_LOCAL_PORT", "FWP_MATCH_EQUAL", "80")
          .condition("FWPM_CONDITION_IP_LOCAL_ADDRESS", "FWP_MATCH_EQUAL", "10.0.0.2")
          .build();
  const AutomaticWeight weight = automatic_weight(filter.layer, filter.conditions);
  EXPECT_EQ(weight.fields_without_slot, std::vector<FieldId>{local_address});
  EXPECT_EQ(weight.value, ((1ULL << 22U) - 1) << 8U);
  EXPECT_EQ(effective_weight(filter), weight.value);
}

TEST(AutomaticWeight, ASlotUnknownInOneProfileIsReportedOnlyThere) {
  // IFACE at ALE_AUTH_CONNECT_V4: 51/1 in win11, "–" in win10.
  const FieldId interface_field = field_named("FWPM_CONDITION_IP_LOCAL_INTERFACE");
  const std::vector<Condition> conditions = {
      Condition{interface_field, MatchType::kEqual, ConditionValue{std::uint64_t{7}}}};
  const LayerId layer = layer_named("FWPM_LAYER_ALE_AUTH_CONNECT_V4");
  const AutomaticWeight win11 = automatic_weight(layer, conditions, WeightProfile::kWin11);
  EXPECT_EQ(win11.value, 1ULL << 51U);
  EXPECT_TRUE(win11.fields_without_slot.empty());
  const AutomaticWeight win10 = automatic_weight(layer, conditions, WeightProfile::kWin10);
  EXPECT_EQ(win10.value, 0U);
  EXPECT_EQ(win10.fields_without_slot, std::vector<FieldId>{interface_field});
}

TEST(AutomaticWeight, TwoOredConditionsAddUpThreeCountAsExact) {
  // RPORT at ALE_AUTH_CONNECT_V4 (39/3, C = 16). [0, 4095] is 4 bits; two of them 8 bits,
  // 8/16 · 7 = 3.5 → 4; three are an exact match: 7.
  auto ranges = [](int count) {
    FilterBuilder builder("f");
    builder.layer("FWPM_LAYER_ALE_AUTH_CONNECT_V4");
    for (int i = 0; i < count; ++i) {
      builder.condition("FWPM_CONDITION_IP_REMOTE_PORT", "FWP_MATCH_RANGE", {"0", "4095"});
    }
    return builder.build();
  };
  EXPECT_EQ(auto_value(ranges(1)), 2ULL << 39U);  // 4/16 · 7 = 1.75 → 2
  EXPECT_EQ(auto_value(ranges(2)), 4ULL << 39U);
  EXPECT_EQ(auto_value(ranges(3)), 7ULL << 39U);
}

TEST(AutomaticWeight, IPv6RangesUseAllOneHundredTwentyEightBits) {
  // ADDR at ALE_AUTH_CONNECT_V6: 49/10, C = 256.
  auto remote_range = [](const char* low, const char* high) {
    return FilterBuilder("f")
        .layer("FWPM_LAYER_ALE_AUTH_CONNECT_V6")
        .condition("FWPM_CONDITION_IP_REMOTE_ADDRESS", "FWP_MATCH_RANGE", {low, high})
        .build();
  };
  // The whole space: span 2^128, s = 0, so the slot stays empty (no minimum without a T > 0).
  EXPECT_EQ(auto_value(remote_range("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")), 0U);
  // Half of it: s = 1; 1/256 · 1023 = 3.996 → 4.
  EXPECT_EQ(auto_value(remote_range("::", "7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")), 4ULL << 49U);
  // A /64's worth: s = 64; 64/256 · 1023 = 255.75 → 256.
  EXPECT_EQ(auto_value(remote_range("2001:db8::", "2001:db8::ffff:ffff:ffff:ffff")), 256ULL << 49U);
}

// --- The worked examples of 0002 §8 (win11) -------------------------------------------------

TEST(AutomaticWeightExamples, ListenPortRange) {
  FilterBuilder builder("f");
  builder.layer("FWPM_LAYER_ALE_AUTH_LISTEN_V4")
      .condition("FWPM_CONDITION_IP_LOCAL_PORT", "FWP_MATCH_RANGE", {"8554", "8558"});
  EXPECT_EQ(auto_value(builder.build()), 0x36B65800U);
  builder.condition("FWPM_CONDITION_ALE_APP_ID", "FWP_MATCH_EQUAL", "c:\\tools\\server.exe")
      .condition("FWPM_CONDITION_ALE_USER_ID", "FWP_MATCH_EQUAL", "D:(A;;CC;;;S-1-5-18)");
  EXPECT_EQ(auto_value(builder.build()), 0x36B658C0U);
}

TEST(AutomaticWeightExamples, RecvAcceptTwoOredMasks) {
  const Filter filter =
      FilterBuilder("f")
          .layer("FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4")
          .condition("FWPM_CONDITION_IP_REMOTE_ADDRESS", "FWP_MATCH_EQUAL", "192.168.0.0/24")
          .condition("FWPM_CONDITION_IP_REMOTE_ADDRESS", "FWP_MATCH_EQUAL", "224.0.0.0/4")
          .build();
  EXPECT_EQ(auto_value(filter), 0x0700000000000000U);
}

TEST(AutomaticWeightExamples, FullPortRangeStillCountsOneUnit) {
  const Filter filter =
      FilterBuilder("f")
          .layer("FWPM_LAYER_ALE_AUTH_CONNECT_V4")
          .condition("FWPM_CONDITION_IP_REMOTE_PORT", "FWP_MATCH_RANGE", {"1", "65535"})
          .build();
  EXPECT_EQ(auto_value(filter), 0x8000000000U);
}

TEST(AutomaticWeightExamples, ConnectV6AddressesAddUpAcrossLocalAndRemote) {
  const Filter filter =
      FilterBuilder("f")
          .layer("FWPM_LAYER_ALE_AUTH_CONNECT_V6")
          .condition("FWPM_CONDITION_IP_REMOTE_ADDRESS", "FWP_MATCH_EQUAL", "ff02::1:2")
          .condition("FWPM_CONDITION_IP_REMOTE_ADDRESS", "FWP_MATCH_EQUAL", "ff05::1:3")
          .condition("FWPM_CONDITION_IP_LOCAL_ADDRESS", "FWP_MATCH_EQUAL", "fe80::/10")
          .build();
  EXPECT_EQ(auto_value(filter), 0x044E000000000000U);
}

TEST(AutomaticWeightExamples, Uint8WeightAtResourceAssignment) {
  const Filter filter =
      FilterBuilder("f")
          .layer("FWPM_LAYER_ALE_RESOURCE_ASSIGNMENT_V4")
          .weight_uint8(9)
          .condition("FWPM_CONDITION_ALE_APP_ID", "FWP_MATCH_EQUAL", "c:\\tools\\server.exe")
          .condition("FWPM_CONDITION_ALE_USER_ID", "FWP_MATCH_EQUAL", "D:(A;;CC;;;S-1-5-18)")
          .condition("FWPM_CONDITION_IP_LOCAL_PORT", "FWP_MATCH_EQUAL", "7235")
          .condition("FWPM_CONDITION_IP_PROTOCOL", "FWP_MATCH_EQUAL", "17")
          .build();
  EXPECT_EQ(effective_weight(filter), 0x9FFF3FF000000000U);
}

// --- Profiles --------------------------------------------------------------------------------

TEST(WeightProfile, NamesRoundTrip) {
  for (const auto profile :
       {WeightProfile::kWin11, WeightProfile::kWin10, WeightProfile::kVpnWin}) {
    EXPECT_EQ(weight_profile_from_text(weight_profile_name(profile)), profile);
  }
  EXPECT_EQ(weight_profile_name(WeightProfile::kVpnWin), "vpnwin");
  EXPECT_EQ(weight_profile_from_text("WIN10"), WeightProfile::kWin10);
  EXPECT_EQ(weight_profile_from_text("win12"), std::nullopt);
  EXPECT_EQ(weight_profile_from_text(""), std::nullopt);
}

// --- The test vectors ------------------------------------------------------------------------

std::string json_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_unsigned()) return std::to_string(value.get<std::uint64_t>());
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  return value.dump();
}

// A range end or a scalar as the vector's FWP type spells it, for values the policy-text parser
// does not take (e.g. blob data as hex): numbers, dotted IPv4 and textual IPv6.
std::optional<Value> value_of_type(std::string_view type, const nlohmann::json& json) {
  const std::string text = json_text(json);
  if (type == "FWP_BYTE_ARRAY16_TYPE" || text.find(':') != std::string::npos) {
    if (auto a = parse_ipv6(text)) return Value{ByteArray16(*a)};
    return std::nullopt;
  }
  std::uint64_t number = 0;
  if (json.is_number()) {
    number = json.get<std::uint64_t>();
  } else if (auto a = parse_ipv4(text)) {
    number = *a;
  } else {
    return std::nullopt;
  }
  if (type == "FWP_UINT8") return Value{static_cast<std::uint8_t>(number)};
  if (type == "FWP_UINT16") return Value{static_cast<std::uint16_t>(number)};
  if (type == "FWP_UINT32") return Value{static_cast<std::uint32_t>(number)};
  return Value{number};
}

std::optional<ConditionValue> condition_value_of_type(const nlohmann::json& condition) {
  const auto type = condition.at("type").get<std::string>();
  const nlohmann::json& value = condition.at("value");
  const std::string text = json_text(value);
  if (type == "FWP_RANGE_TYPE") {
    const auto low = value_of_type("", value.at(0));
    const auto high = value_of_type("", value.at(1));
    if (!low || !high) return std::nullopt;
    return ConditionValue{Range{*low, *high}};
  }
  if (type == "FWP_V4_ADDR_MASK") {
    if (auto p = parse_ipv4_prefix(text)) return ConditionValue{*p};
    return std::nullopt;
  }
  if (type == "FWP_V6_ADDR_MASK") {
    if (auto p = parse_ipv6_prefix(text)) return ConditionValue{*p};
    return std::nullopt;
  }
  if (type == "FWP_BYTE_BLOB_TYPE") return ConditionValue{ByteBlob{{text.begin(), text.end()}}};
  if (type == "FWP_SID") return ConditionValue{Sid{text}};
  if (type == "FWP_SECURITY_DESCRIPTOR_TYPE") return ConditionValue{SecurityDescriptor{text}};
  if (auto v = value_of_type(type, value)) return to_condition_value(*v);
  return std::nullopt;
}

struct ProfileCounts {
  int vectors = 0;
  int matches = 0;
};

TEST(EffectiveWeightVectors, EveryVectorMatchesWindowsBitForBit) {
  const std::string path = std::string(OPENFWP_SOURCE_DIR) + "/tests/data/weights/vectors.jsonl";
  std::ifstream in(path);
  ASSERT_TRUE(in.is_open()) << "cannot read " << path;

  std::map<std::string, ProfileCounts> counts;
  std::vector<std::string> failures;  // the first few, spelled out
  int failure_count = 0;
  int values_built_from_type = 0;
  auto fail = [&](const nlohmann::json& v, const std::string& why) {
    ++failure_count;
    if (failures.size() < 10) {
      failures.push_back(v.value("dump", "?") + ":" +
                         json_text(v.value("filter_id", nlohmann::json())) + " " +
                         v.value("layer", "?") + ": " + why);
    }
  };

  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty()) continue;
    const auto v = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(v.is_discarded()) << path << ":" << line_number << ": not JSON";
    const auto profile_name = v.value("profile", "win11");
    ProfileCounts& count = counts[profile_name];
    ++count.vectors;

    const auto profile = weight_profile_from_text(profile_name);
    const auto layer = find_layer(v.at("layer").get<std::string>());
    if (!profile || !layer) {
      fail(v,
           !profile ? "unknown profile " + profile_name : std::string("layer not in the catalog"));
      continue;
    }
    Filter filter;
    filter.name = "vector";
    filter.layer = *layer;
    const auto weight_type = v.at("weight").at("type").get<std::string>();
    if (weight_type == "FWP_UINT64") {
      filter.weight =
          Weight{Weight::Kind::kUint64, v.at("weight").at("value").get<std::uint64_t>()};
    } else if (weight_type == "FWP_UINT8") {
      filter.weight = Weight{Weight::Kind::kUint8, v.at("weight").at("value").get<std::uint64_t>()};
    }

    std::string problem;
    for (const auto& c : v.at("conditions")) {
      const auto field_name = c.at("field").get<std::string>();
      const auto field = find_field(field_name);
      const auto match = match_type_from_text(c.at("match").get<std::string>());
      if (!field || !match) {
        problem = (field ? "unknown match type " + c.at("match").get<std::string>()
                         : field_name + " not in the catalog");
        break;
      }
      std::vector<std::string> parts;
      if (c.at("value").is_array()) {
        for (const auto& end : c.at("value")) parts.push_back(json_text(end));
      } else {
        parts.push_back(json_text(c.at("value")));
      }
      auto parsed = parse_condition_value(*layer, *field, parts);
      std::optional<ConditionValue> value;
      if (parsed) {
        value = std::move(*parsed);
      } else {
        value = condition_value_of_type(c);
        ++values_built_from_type;
      }
      if (!value) {
        problem = "cannot build the value of " + field_name + ": " + c.at("value").dump();
        break;
      }
      filter.conditions.push_back(Condition{*field, *match, std::move(*value)});
    }
    if (!problem.empty()) {
      fail(v, problem);
      continue;
    }

    const auto expected = std::stoull(v.at("effective_weight").get<std::string>(), nullptr, 16);
    const std::uint64_t got = effective_weight(filter, *profile);
    std::vector<FieldId> without_slot;
    if (filter.weight.kind != Weight::Kind::kUint64) {
      without_slot =
          automatic_weight(filter.layer, filter.conditions, *profile).fields_without_slot;
    }
    if (got != expected || !without_slot.empty()) {
      std::ostringstream why;
      why << profile_name << " expected 0x" << std::hex << expected << " got 0x" << got;
      for (const FieldId f : without_slot) why << "; no slot for " << field_info(f).wfp_name;
      fail(v, why.str());
      continue;
    }
    ++count.matches;
  }

  std::ostringstream summary;
  int total = 0;
  for (const auto& [name, count] : counts) {
    summary << name << " " << count.matches << "/" << count.vectors << "  ";
    RecordProperty(name + "_vectors", count.vectors);
    RecordProperty(name + "_matches", count.matches);
    total += count.vectors;
  }
  std::cout << "[ vectors  ] " << summary.str() << "(" << values_built_from_type
            << " condition values built from the vector's type)\n";
  EXPECT_EQ(total, 1019) << "tests/data/weights/vectors.jsonl changed size";
  EXPECT_EQ(failure_count, 0) << failure_count << " vectors fail; the first ones:\n  " << [&] {
    std::string all;
    for (const auto& f : failures) all += f + "\n  ";
    return all;
  }();
}

}  // namespace
}  // namespace openfwp::model
