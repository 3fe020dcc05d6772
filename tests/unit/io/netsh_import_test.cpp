// SPDX-License-Identifier: Apache-2.0
// The netsh importer on real Windows dumps (tests/data/netsh, and shared/data/netsh-dumps when it
// is beside the clone): nothing lost, nothing unsupported, every effective weight equal to
// Windows' own, the policy round-trips through its YAML form and loads into an engine; and the
// malformed-input cases, each with a located message.
#include "io/netsh/netsh_import.h"

#include "common/strings.h"
#include "engine/engine.h"
#include "io/policy/policy.h"
#include "io/yaml/yaml_input.h"
#include "model/value_text.h"
#include "model/well_known.h"

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace openfwp::io::netsh {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> real_dumps() {
  std::vector<fs::path> dumps;
  for (const fs::path& dir : {fs::path(OPENFWP_SOURCE_DIR) / "tests/data/netsh",
                              fs::path(OPENFWP_SOURCE_DIR) / "../shared/data/netsh-dumps"}) {
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() == ".xml") dumps.push_back(entry.path());
    }
  }
  std::sort(dumps.begin(), dumps.end());
  return dumps;
}

std::string read(const fs::path& path) {
  auto text = read_text_file(path.string(), "dump");
  EXPECT_TRUE(text) << path;
  return text ? *text : std::string();
}

std::size_t count(std::string_view text, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string_view::npos;
       pos = text.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

class RealDump : public ::testing::TestWithParam<fs::path> {};

TEST_P(RealDump, ImportsEveryFilterWithWindowsEffectiveWeight) {
  const std::string bytes = read(GetParam());
  auto result = import_netsh(bytes, GetParam().filename().string());
  ASSERT_TRUE(result) << result.error().to_string();
  const auto& policy = result->policy;
  const auto& report = result->report;
  // Every filter of the dump, counted independently of the XML walk.
  EXPECT_EQ(report.filters_in_dump, count(bytes, "<filterId>"));
  EXPECT_EQ(policy.filters.size(), report.filters_in_dump);
  // Only what openfwp cannot know is left out: the callouts of the two layers that neither
  // netsh nor fwpmu.h names (run-time ids 83 and 84; see docs/decisions/0001).
  for (const auto& u : policy.unsupported) {
    EXPECT_EQ(u.kind, "callout") << u.source << ": " << u.reason;
    EXPECT_TRUE(u.reason == "unknown layer {29243af8-ecaf-4436-a44e-f9fb7070aa04}" ||
                u.reason == "unknown layer {c9809347-218f-4b7f-a742-b281a3f631b4}")
        << u.source << ": " << u.reason;
  }
  EXPECT_EQ(report.weights_checked, policy.filters.size());
  for (const auto& m : report.weight_mismatches) {
    ADD_FAILURE() << m.where.file << ":" << m.where.line << ": filter " << m.filter_id
                  << ": Windows " << m.recorded << ", openfwp " << m.computed;
  }
  // Every provider the dump lists is imported; the others were synthesized for references.
  std::size_t synthesized_providers = 0;
  for (const auto& s : report.synthesized) synthesized_providers += s.kind == "provider" ? 1 : 0;
  const auto begin = bytes.find("<providers");
  const auto end = bytes.find("</providers>");
  ASSERT_NE(begin, std::string::npos);
  EXPECT_EQ(policy.providers.size() - synthesized_providers,
            count(std::string_view(bytes).substr(begin, end - begin), "<providerKey>"));
}

// An independent walk over the dump's filter elements (not the importer's code path): every
// element netsh wrote for a filter is found again, unchanged, in the imported Filter.
TEST_P(RealDump, EveryFilterElementReachesThePolicy) {
  const std::string bytes = read(GetParam());
  auto result = import_netsh(bytes, GetParam().filename().string());
  ASSERT_TRUE(result) << result.error().to_string();
  std::map<std::uint64_t, const model::Filter*> by_id;
  for (const auto& f : result->policy.filters) by_id.emplace(f.id, &f);

  pugi::xml_document doc;
  const std::string_view body = std::string_view(bytes).substr(bytes.rfind("<?xml", 8));
  ASSERT_TRUE(
      doc.load_buffer(body.data(), body.size(), pugi::parse_default | pugi::parse_fragment));
  std::size_t seen = 0;
  for (const auto& found : doc.select_nodes("//item[filterId]")) {
    const pugi::xml_node item = found.node();
    const auto id = std::stoull(item.child_value("filterId"));
    const auto it = by_id.find(id);
    ASSERT_NE(it, by_id.end()) << "filter " << id << " missing";
    const model::Filter& f = *it->second;
    ++seen;
    SCOPED_TRACE("filter " + std::to_string(id));
    EXPECT_EQ(f.key.to_string(), item.child_value("filterKey"));
    EXPECT_EQ(f.name, item.child("displayData").child_value("name"));
    EXPECT_EQ(f.description, item.child("displayData").child_value("description"));
    const auto layer = model::find_layer(item.child_value("layerKey"));
    ASSERT_TRUE(layer);
    EXPECT_EQ(f.layer, *layer);
    std::vector<std::string> flags;
    for (const auto& flag : item.child("flags").children("item"))
      flags.emplace_back(flag.child_value());
    std::vector<std::string> imported_flags = model::filter_flag_names(f.flags);
    imported_flags.insert(imported_flags.end(), f.other_flags.begin(), f.other_flags.end());
    std::sort(flags.begin(), flags.end());
    std::sort(imported_flags.begin(), imported_flags.end());
    EXPECT_EQ(imported_flags, flags);
    EXPECT_EQ(hex_text(f.provider_data.data(), f.provider_data.size()),
              std::string(item.child("providerData").child_value("data")));
    EXPECT_EQ(std::to_string(f.raw_context),
              item.child("rawContext") ? item.child_value("rawContext") : "0");
    EXPECT_EQ(f.provider_context.has_value(),
              !std::string_view(item.child_value("providerContextKey")).empty());
    EXPECT_EQ(f.provider.has_value(), !std::string_view(item.child_value("providerKey")).empty());
    EXPECT_EQ(model::action_type_name(f.action), item.child("action").child_value("type"));
    EXPECT_EQ(f.callout.has_value(),
              !std::string_view(item.child("action").child_value("filterType")).empty());
    const std::string_view weight_type = item.child("weight").child_value("type");
    EXPECT_EQ(f.weight.kind == model::Weight::Kind::kEmpty, weight_type == "FWP_EMPTY");
    if (weight_type != "FWP_EMPTY") {
      EXPECT_EQ(std::to_string(f.weight.value),
                item.child("weight").child_value(weight_type == "FWP_UINT8" ? "uint8" : "uint64"));
    }
    EXPECT_EQ(std::to_string(*f.recorded_effective_weight),
              item.child("effectiveWeight").child_value("uint64"));
    std::size_t c = 0;
    for (const auto& condition : item.child("filterCondition").children("item")) {
      ASSERT_LT(c, f.conditions.size());
      const auto field = model::find_field(condition.child_value("fieldKey"));
      ASSERT_TRUE(field);
      EXPECT_EQ(f.conditions[c].field, *field);
      EXPECT_EQ(model::match_type_name(f.conditions[c].match), condition.child_value("matchType"));
      const std::string_view type = condition.child("conditionValue").child_value("type");
      const model::DataType imported = model::data_type_of(f.conditions[c].value);
      // The FWP type of the value is kept (a range keeps the type of its ends).
      EXPECT_EQ(model::data_type_name(imported), type);
      ++c;
    }
    EXPECT_EQ(c, f.conditions.size());
  }
  EXPECT_EQ(seen, result->policy.filters.size());
}

// The same for the other objects: providers, sublayers (show state) and callouts (show state).
TEST_P(RealDump, EveryProviderSublayerAndCalloutElementReachesThePolicy) {
  const std::string bytes = read(GetParam());
  auto result = import_netsh(bytes, GetParam().filename().string());
  ASSERT_TRUE(result) << result.error().to_string();
  const auto& policy = result->policy;
  pugi::xml_document doc;
  const std::string_view body = std::string_view(bytes).substr(bytes.rfind("<?xml", 8));
  ASSERT_TRUE(
      doc.load_buffer(body.data(), body.size(), pugi::parse_default | pugi::parse_fragment));
  auto count_flags = [](const pugi::xml_node& item) {
    const auto items = item.child("flags").children("item");
    return static_cast<std::size_t>(std::distance(items.begin(), items.end()));
  };
  auto key_of = [](std::string_view text, model::WellKnownKind kind) {
    auto guid = Guid::parse(text);
    return guid ? *guid : model::find_well_known(kind, text).value_or(Guid{});
  };
  for (const auto& found : doc.select_nodes("/wfpdiag/providers/item | /wfpstate/providers/item")) {
    const pugi::xml_node item = found.node();
    const Guid key = key_of(item.child_value("providerKey"), model::WellKnownKind::kProvider);
    const auto it = std::find_if(policy.providers.begin(), policy.providers.end(),
                                 [&](const model::Provider& p) { return p.key == key; });
    ASSERT_NE(it, policy.providers.end()) << item.child_value("providerKey");
    EXPECT_EQ(it->name, item.child("displayData").child_value("name"));
    EXPECT_EQ(it->description, item.child("displayData").child_value("description"));
    EXPECT_EQ(it->service_name, item.child_value("serviceName"));
    EXPECT_EQ(
        model::flag_names(model::FlagKind::kProvider, it->flags).size() + it->other_flags.size(),
        count_flags(item));
    EXPECT_EQ(hex_text(it->provider_data.data(), it->provider_data.size()),
              std::string(item.child("providerData").child_value("data")));
  }
  for (const auto& found : doc.select_nodes("/wfpstate/subLayers/item")) {
    const pugi::xml_node item = found.node();
    const Guid key = key_of(item.child_value("subLayerKey"), model::WellKnownKind::kSublayer);
    const auto it = std::find_if(policy.sublayers.begin(), policy.sublayers.end(),
                                 [&](const model::Sublayer& s) { return s.key == key; });
    ASSERT_NE(it, policy.sublayers.end()) << item.child_value("subLayerKey");
    EXPECT_EQ(it->name, item.child("displayData").child_value("name"));
    EXPECT_EQ(std::to_string(it->weight), item.child_value("weight"));
    EXPECT_EQ(it->provider.has_value(), !std::string_view(item.child_value("providerKey")).empty());
    EXPECT_EQ(
        model::flag_names(model::FlagKind::kSublayer, it->flags).size() + it->other_flags.size(),
        count_flags(item));
  }
  std::size_t callouts = 0;
  for (const auto& found : doc.select_nodes("/wfpstate/layers/item/callouts/item")) {
    const pugi::xml_node item = found.node();
    ++callouts;
    const Guid key = key_of(item.child_value("calloutKey"), model::WellKnownKind::kCallout);
    const auto it = std::find_if(policy.callouts.begin(), policy.callouts.end(),
                                 [&](const model::Callout& c) { return c.key == key; });
    if (it == policy.callouts.end()) {
      // Kept verbatim instead (an uncatalogued layer; see the test above).
      EXPECT_TRUE(
          std::any_of(policy.unsupported.begin(), policy.unsupported.end(),
                      [&](const auto& u) { return u.key == item.child_value("calloutKey"); }))
          << item.child_value("calloutKey");
      continue;
    }
    EXPECT_EQ(it->name, item.child("displayData").child_value("name"));
    EXPECT_EQ(std::to_string(it->id), item.child_value("calloutId"));
    EXPECT_EQ(model::layer_info(it->applicable_layer).wfp_name,
              item.child_value("applicableLayer"));
    EXPECT_EQ(
        model::flag_names(model::FlagKind::kCallout, it->flags).size() + it->other_flags.size(),
        count_flags(item));
  }
  if (result->report.kind == DumpKind::kShowState) {
    EXPECT_GT(callouts, 0U);
  }
}

TEST_P(RealDump, EngineComputesTheRecordedEffectiveWeights) {
  auto result = import_netsh(read(GetParam()), GetParam().filename().string());
  ASSERT_TRUE(result) << result.error().to_string();
  engine::Engine engine;
  ASSERT_TRUE(policy::apply_policy(result->policy, engine));
  const auto snapshot = engine.snapshot();
  std::size_t checked = 0;
  for (const auto& [id, filter] : snapshot->store().filters()) {
    ASSERT_TRUE(filter->recorded_effective_weight);
    EXPECT_EQ(filter->effective_weight, *filter->recorded_effective_weight)
        << "filter " << id << " \"" << filter->name << "\"";
    ++checked;
  }
  EXPECT_EQ(checked, result->policy.filters.size());
}

TEST_P(RealDump, PolicyRoundTripsThroughYaml) {
  auto result = import_netsh(read(GetParam()), GetParam().filename().string());
  ASSERT_TRUE(result) << result.error().to_string();
  const std::string printed = policy::print_policy(result->policy);
  auto reparsed = policy::parse_policy(printed, "imported.yaml");
  ASSERT_TRUE(reparsed) << reparsed.error().to_string();
  EXPECT_EQ(policy::print_policy(*reparsed), printed);
  ASSERT_EQ(reparsed->filters.size(), result->policy.filters.size());
  for (std::size_t i = 0; i < reparsed->filters.size(); ++i) {
    const auto& a = result->policy.filters[i];
    const auto& b = reparsed->filters[i];
    EXPECT_EQ(a.key, b.key);
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.description, b.description);
    EXPECT_EQ(a.layer, b.layer);
    EXPECT_EQ(a.sublayer, b.sublayer);
    EXPECT_EQ(a.provider, b.provider);
    EXPECT_EQ(a.weight, b.weight);
    EXPECT_EQ(a.action, b.action);
    EXPECT_EQ(a.callout, b.callout);
    EXPECT_EQ(a.flags, b.flags);
    EXPECT_EQ(a.other_flags, b.other_flags);
    ASSERT_EQ(a.conditions.size(), b.conditions.size());
    for (std::size_t c = 0; c < a.conditions.size(); ++c) {
      EXPECT_EQ(a.conditions[c], b.conditions[c])
          << "filter " << a.id << " condition " << c << " on "
          << model::field_info(a.conditions[c].field).wfp_name << ": imported "
          << model::format_condition_value(a.conditions[c].field, a.conditions[c].value).front()
          << " (type " << model::data_type_name(model::data_type_of(a.conditions[c].value))
          << "), reparsed type "
          << model::data_type_name(model::data_type_of(b.conditions[c].value));
    }
    EXPECT_EQ(a.raw_context, b.raw_context);
    EXPECT_EQ(a.provider_context, b.provider_context);
    EXPECT_EQ(a.provider_data, b.provider_data);
    EXPECT_EQ(a.recorded_effective_weight, b.recorded_effective_weight);
  }
  EXPECT_EQ(reparsed->weight_profile, result->policy.weight_profile);
  EXPECT_EQ(reparsed->sublayers.size(), result->policy.sublayers.size());
  EXPECT_EQ(reparsed->callouts.size(), result->policy.callouts.size());
  EXPECT_EQ(reparsed->providers.size(), result->policy.providers.size());
}

INSTANTIATE_TEST_SUITE_P(Dumps, RealDump, ::testing::ValuesIn(real_dumps()),
                         [](const auto& param_info) {
                           std::string name = param_info.param.stem().string();
                           for (char& c : name) {
                             if (std::isalnum(static_cast<unsigned char>(c)) == 0) c = '_';
                           }
                           return name + "_" + std::to_string(param_info.index);
                         });

// UTF-16LE with a BOM, as PowerShell's `>` writes netsh's output.
std::string to_utf16le_with_bom(std::string_view utf8_ascii) {
  std::string out = "\xff\xfe";
  for (char c : utf8_ascii) {
    out += c;
    out += '\0';
  }
  return out;
}

const char* const kSmallDump = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<wfpdiag>
	<filters>
		<item>
			<filterKey>{2d68f302-3473-400e-9a0f-ac1ce00d9639}</filterKey>
			<displayData>
				<name>Block telnet</name>
				<description>test</description>
			</displayData>
			<flags>
				<item>FWPM_FILTER_FLAG_PERSISTENT</item>
				<item>FWPM_FILTER_FLAG_HAS_FILTER_ORIGIN</item>
			</flags>
			<providerKey>FWPM_PROVIDER_MPSSVC_WF</providerKey>
			<providerData>
				<data>ffffffffffffffff</data>
				<asString>........</asString>
			</providerData>
			<layerKey>FWPM_LAYER_ALE_AUTH_CONNECT_V4</layerKey>
			<subLayerKey>FWPM_SUBLAYER_MPSSVC_WF</subLayerKey>
			<weight>
				<type>FWP_UINT8</type>
				<uint8>10</uint8>
			</weight>
			<filterCondition>
				<item>
					<fieldKey>FWPM_CONDITION_IP_REMOTE_PORT</fieldKey>
					<matchType>FWP_MATCH_EQUAL</matchType>
					<conditionValue>
						<type>FWP_UINT16</type>
						<uint16>23</uint16>
					</conditionValue>
				</item>
			</filterCondition>
			<action>
				<type>FWP_ACTION_BLOCK</type>
				<filterType/>
			</action>
			<rawContext>0</rawContext>
			<reserved/>
			<filterId>70001</filterId>
			<effectiveWeight>
				<type>FWP_UINT64</type>
				<uint64>12105675798371893248</uint64>
			</effectiveWeight>
		</item>
	</filters>
	<providers>
		<item>
			<providerKey>FWPM_PROVIDER_MPSSVC_WF</providerKey>
			<displayData>
				<name>Microsoft Corporation</name>
				<description>Microsoft Windows WFP Built-in MPSSVC WF provider</description>
			</displayData>
			<flags/>
			<providerData/>
			<serviceName>mpssvc</serviceName>
		</item>
	</providers>
</wfpdiag>
)";

TEST(NetshImport, Utf16WithBomImportsLikeUtf8) {
  auto utf8 = import_netsh(kSmallDump, "small.xml");
  auto utf16 = import_netsh(to_utf16le_with_bom(kSmallDump), "small.xml");
  ASSERT_TRUE(utf8) << utf8.error().to_string();
  ASSERT_TRUE(utf16) << utf16.error().to_string();
  EXPECT_EQ(utf16->report.encoding, TextEncoding::kUtf16LeBom);
  EXPECT_EQ(policy::print_policy(utf16->policy), policy::print_policy(utf8->policy));
}

TEST(NetshImport, KeepsEveryElementOfAFilter) {
  auto result = import_netsh(kSmallDump, "small.xml");
  ASSERT_TRUE(result) << result.error().to_string();
  ASSERT_EQ(result->policy.filters.size(), 1U);
  const auto& f = result->policy.filters.front();
  EXPECT_EQ(f.id, 70001U);
  EXPECT_EQ(f.name, "Block telnet");
  EXPECT_EQ(f.description, "test");
  EXPECT_EQ(f.flags, model::filter_flag::kPersistent);
  EXPECT_EQ(f.other_flags, std::vector<std::string>{"FWPM_FILTER_FLAG_HAS_FILTER_ORIGIN"});
  EXPECT_EQ(f.provider_data, std::vector<std::uint8_t>(8, 0xff));
  EXPECT_EQ(f.weight, (model::Weight{model::Weight::Kind::kUint8, 10}));
  EXPECT_EQ(f.recorded_effective_weight, 12105675798371893248ULL);
  ASSERT_EQ(f.conditions.size(), 1U);
  EXPECT_EQ(f.conditions[0].value, model::ConditionValue{std::uint16_t{23}});
  // The sublayer a show-filters dump only names is synthesized with Windows' built-in weight.
  ASSERT_EQ(result->policy.sublayers.size(), 1U);
  EXPECT_EQ(result->policy.sublayers[0].name, "FWPM_SUBLAYER_MPSSVC_WF");
  EXPECT_EQ(result->policy.sublayers[0].weight, 2);
  ASSERT_EQ(result->report.synthesized.size(), 1U);
  EXPECT_EQ(result->report.synthesized[0].referenced_by, 1U);
}

std::string replace(std::string text, std::string_view from, std::string_view to) {
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

TEST(NetshImport, UnknownLayerIsKeptVerbatimAndReported) {
  const std::string dump = replace(kSmallDump, "FWPM_LAYER_ALE_AUTH_CONNECT_V4",
                                   "{29243af8-ecaf-4436-a44e-f9fb7070aa04}");
  auto result = import_netsh(dump, "small.xml");
  ASSERT_TRUE(result) << result.error().to_string();
  EXPECT_TRUE(result->policy.filters.empty());
  ASSERT_EQ(result->policy.unsupported.size(), 1U);
  const auto& u = result->policy.unsupported[0];
  EXPECT_EQ(u.kind, "filter");
  EXPECT_EQ(u.key, "{2d68f302-3473-400e-9a0f-ac1ce00d9639}");
  EXPECT_NE(u.reason.find("unknown layer {29243af8-ecaf-4436-a44e-f9fb7070aa04}"),
            std::string::npos);
  EXPECT_EQ(u.source, "small.xml:4");
  EXPECT_NE(u.xml.find("<uint16>23</uint16>"), std::string::npos);
  ASSERT_EQ(result->report.warnings.size(), 1U);
  // It survives the YAML round trip.
  auto reparsed = policy::parse_policy(policy::print_policy(result->policy), "p.yaml");
  ASSERT_TRUE(reparsed) << reparsed.error().to_string();
  EXPECT_EQ(reparsed->unsupported, result->policy.unsupported);
}

TEST(NetshImport, UnknownFieldAndUnknownElementAreKeptAndReported) {
  for (const auto& [from, to, reason] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"FWPM_CONDITION_IP_REMOTE_PORT", "{00000000-1111-2222-3333-444444444444}",
            "unknown condition field"},
           {"<reserved/>", "<reserved/><futureElement>1</futureElement>",
            "element <futureElement> is not understood"},
           {"<type>FWP_UINT16</type>", "<type>FWP_FUTURE_TYPE</type>", "not modelled"},
           {"<subLayerKey>FWPM_SUBLAYER_MPSSVC_WF</subLayerKey>",
            "<subLayerKey>FWPM_SUBLAYER_FUTURE</subLayerKey>",
            "sublayer \"FWPM_SUBLAYER_FUTURE\" is neither a GUID nor a WFP name openfwp knows"},
       }) {
    auto result = import_netsh(replace(kSmallDump, from, to), "small.xml");
    ASSERT_TRUE(result) << result.error().to_string();
    ASSERT_EQ(result->policy.unsupported.size(), 1U) << from;
    EXPECT_NE(result->policy.unsupported[0].reason.find(reason), std::string::npos)
        << result->policy.unsupported[0].reason;
  }
}

struct BadDump {
  std::string name;
  std::string text;
  std::uint32_t line;
  std::string message_part;
  friend void PrintTo(const BadDump& bad, std::ostream* out) { *out << bad.name; }
};

class MalformedDump : public ::testing::TestWithParam<BadDump> {};

TEST_P(MalformedDump, FailsWithALocatedMessage) {
  const auto& bad = GetParam();
  auto result = import_netsh(bad.text, "bad.xml");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().where.file, "bad.xml");
  EXPECT_EQ(result.error().where.line, bad.line) << result.error().to_string();
  EXPECT_NE(result.error().message.find(bad.message_part), std::string::npos)
      << result.error().to_string();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedDump,
    ::testing::Values(
        BadDump{"Truncated", std::string(kSmallDump).substr(0, 1200), 44, "truncated"},
        BadDump{"MismatchedTag", replace(kSmallDump, "</displayData>", "</display>"), 9,
                "malformed XML"},
        BadDump{"MissingFilterId", replace(kSmallDump, "<filterId>70001</filterId>", ""), 4,
                "missing <filterId>"},
        BadDump{"BadNumber", replace(kSmallDump, "<uint16>23</uint16>", "<uint16>x23</uint16>"), 29,
                "\"x23\" is not a decimal number"},
        BadDump{"NumberOutOfRange",
                replace(kSmallDump, "<uint16>23</uint16>", "<uint16>70000</uint16>"), 29,
                "from 0 to 65535"},
        BadDump{"NotADump", "<?xml version=\"1.0\"?>\n<html><body/></html>\n", 2,
                "is not a netsh wfp dump"},
        BadDump{"Empty", "", 1, "no <wfpdiag> or <wfpstate>"},
        BadDump{"NotUtf8", replace(kSmallDump, "Block telnet", "Block \xff telnet"), 7,
                "not valid UTF-8"},
        BadDump{"OddUtf16", "\xff\xfe<\0w\0x", 0, "odd number of bytes"}),
    [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace openfwp::io::netsh
