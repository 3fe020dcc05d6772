// SPDX-License-Identifier: Apache-2.0
// The walk over a netsh dump: one function per element kind, each taking exactly the child
// elements netsh writes for it (an element it does not know makes the object unsupported, so
// nothing is silently dropped), then synthesis of what show-filters dumps leave out, the weight
// profile and the effective-weight check.
#include "io/netsh/netsh_import.h"

#include "common/strings.h"
#include "io/netsh/internal/xml_values.h"
#include "io/yaml/yaml_input.h"
#include "model/validation.h"
#include "model/well_known.h"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <set>
#include <sstream>
#include <unordered_set>

namespace openfwp::io::netsh {
namespace {

using internal::Converted;
using internal::Unsupported;

// The child elements each object may have, as netsh writes them.
// A filter's, in slots: filter() finds them all in one pass over its children (node.child(name)
// for each would rescan them ~20 times per filter).
enum FilterChild : std::uint8_t {
  kFilterKey,
  kDisplayData,
  kFlags,
  kProviderKey,
  kProviderData,
  kLayerKey,
  kSubLayerKey,
  kWeight,
  kFilterCondition,
  kAction,
  kRawContext,
  kReserved,
  kFilterId,
  kEffectiveWeight,
  kProviderContextKey,
  kFilterChildCount,
};
constexpr std::array<std::string_view, kFilterChildCount> kFilterChildren = {
    "filterKey",  "displayData", "flags",    "providerKey",     "providerData",
    "layerKey",   "subLayerKey", "weight",   "filterCondition", "action",
    "rawContext", "reserved",    "filterId", "effectiveWeight", "providerContextKey"};
const std::set<std::string_view> kProviderChildren = {"providerKey", "displayData", "flags",
                                                      "providerData", "serviceName"};
const std::set<std::string_view> kSublayerChildren = {"subLayerKey", "displayData",  "flags",
                                                      "providerKey", "providerData", "weight"};
const std::set<std::string_view> kCalloutChildren = {
    "calloutKey",   "displayData",     "flags",    "providerKey",
    "providerData", "applicableLayer", "calloutId"};

// The element children of `node` named in `names`, the first of each name, and the first
// element that is not named there.
template <std::size_t N>
struct Children {
  std::array<pugi::xml_node, N> nodes{};
  const char* unknown = nullptr;
  const pugi::xml_node& operator[](std::size_t i) const { return nodes[i]; }
};

template <std::size_t N>
Children<N> children_of(const pugi::xml_node& node, const std::array<std::string_view, N>& names) {
  Children<N> out;
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view name = child.name();
    std::size_t i = 0;
    while (i < N && names[i] != name) ++i;
    if (i == N) {
      if (out.unknown == nullptr) out.unknown = child.name();
    } else if (!out.nodes[i]) {
      out.nodes[i] = child;
    }
  }
  return out;
}

// What an error is about ("filter 42" and "weight"), joined only when one is reported, so that
// the happy path formats no strings.
class What {
 public:
  What(const char* what) : what_(what) {}                    // NOLINT(google-explicit-constructor)
  What(std::string_view what, std::string_view detail = {})  // NOLINT(google-explicit-constructor)
      : what_(what), detail_(detail) {}
  What(const std::string& what) : what_(what) {}  // NOLINT(google-explicit-constructor)
  std::string str() const {
    return detail_.empty() ? std::string(what_) : fmt::format("{} {}", what_, detail_);
  }

 private:
  std::string_view what_;
  std::string_view detail_;
};

// A decimal number, or nullopt (internal::decimal words the error).
std::optional<std::uint64_t> quick_decimal(std::string_view text, std::uint64_t max) {
  text = trim(text);
  std::uint64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value > max) return std::nullopt;
  return value;
}

// The canonical order of policy files (policy.h, print_policy): objects by key, filters by id, so
// that `fwp policy print` of an imported file gives it back unchanged and two dumps of one
// machine diff cleanly whatever order netsh enumerated them in.
void sort_canonically(policy::Policy& policy) {
  auto by_key = [](const auto& a, const auto& b) { return a.key < b.key; };
  std::sort(policy.providers.begin(), policy.providers.end(), by_key);
  std::sort(policy.sublayers.begin(), policy.sublayers.end(), by_key);
  std::sort(policy.callouts.begin(), policy.callouts.end(), by_key);
  std::sort(policy.filters.begin(), policy.filters.end(),
            [](const model::Filter& a, const model::Filter& b) { return a.id < b.id; });
}

class Importer {
 public:
  Importer(std::string_view file, const LineIndex& lines, const ImportOptions& options)
      : file_(file), lines_(lines), options_(options) {}

  Result<ImportResult> run(const pugi::xml_document& doc);

 private:
  static std::size_t node_offset(const pugi::xml_node& node) {
    return node.offset_debug() < 0 ? 0 : static_cast<std::size_t>(node.offset_debug());
  }
  SourceLocation at(const pugi::xml_node& node) const {
    return lines_.locate(file_, node_offset(node));
  }
  std::string where(const pugi::xml_node& node) const {
    const auto loc = at(node);
    return fmt::format("{}:{}", loc.file, loc.line);
  }
  tl::unexpected<Error> fail(const pugi::xml_node& node, std::string message) const {
    return tl::unexpected(Error{ErrorCode::kParse, std::move(message), at(node)});
  }
  // An error from a helper without a location, placed at `node`.
  Error located(Error error, const pugi::xml_node& node, std::string_view what) const {
    error.where = at(node);
    error.message = fmt::format("{}: {}", what, error.message);
    return error;
  }
  void warn(const pugi::xml_node& node, std::string message) {
    result_.report.warnings.push_back(fmt::format("{}: {}", where(node), message));
  }

  Result<std::string_view> required(const pugi::xml_node& node, const pugi::xml_node& element,
                                    const char* child, const What& what) const {
    if (!element) return fail(node, fmt::format("{}: missing <{}>", what.str(), child));
    return trim(element.child_value());
  }
  Result<std::string_view> required(const pugi::xml_node& node, const char* child,
                                    const What& what) const {
    return required(node, node.child(child), child, what);
  }
  // A decimal number no larger than `max`, worded as internal::decimal on error.
  Result<std::uint64_t> number(std::string_view text, std::uint64_t max, const What& what) const {
    if (auto value = quick_decimal(text, max)) return *value;
    return internal::decimal(text, max, what.str());
  }
  // A key written as a GUID or as the WFP name of a built-in object of `kind`. A name openfwp
  // does not know (netsh knows more built-in names than fwpmu.h lists, e.g.
  // FWPM_CALLOUT_BUILT_IN_RESERVED_1) cannot become a GUID: the object that carries it is kept
  // as unsupported, with `problem` saying why.
  std::optional<Guid> key(std::string_view text, model::WellKnownKind kind, std::string_view what,
                          std::optional<std::string>& problem) const {
    if (auto guid = Guid::parse(text)) return *guid;
    if (auto known = model::find_well_known(kind, text)) return *known;
    if (!problem)
      problem = fmt::format("{} \"{}\" is neither a GUID nor a WFP name openfwp knows", what, text);
    return std::nullopt;
  }
  std::optional<Guid> optional_key(const pugi::xml_node& node, const char* child,
                                   model::WellKnownKind kind, std::string_view what,
                                   std::optional<std::string>& problem) const {
    return optional_key(node.child(child), kind, what, problem);
  }
  std::optional<Guid> optional_key(const pugi::xml_node& element, model::WellKnownKind kind,
                                   std::string_view what,
                                   std::optional<std::string>& problem) const {
    const std::string_view text = trim(element.child_value());
    if (text.empty()) return std::nullopt;
    return key(text, kind, what, problem);
  }
  Result<std::vector<std::uint8_t>> provider_data(const pugi::xml_node& node,
                                                  std::string_view what) const {
    return provider_data_element(node.child("providerData"), what);
  }
  Result<std::vector<std::uint8_t>> provider_data_element(const pugi::xml_node& element,
                                                          std::string_view what) const {
    const std::string_view text = trim(element.child_value("data"));
    auto bytes = parse_hex(text);
    if (!bytes)
      return fail(element, fmt::format("{}: <providerData><data> is not hex bytes", what));
    return *bytes;
  }
  template <class Object>
  void flags(const pugi::xml_node& node, model::FlagKind kind, Object& object) const {
    flag_items(node.child("flags"), kind, object);
  }
  template <class Object>
  void flag_items(const pugi::xml_node& element, model::FlagKind kind, Object& object) const {
    for (const auto& item : element.children("item")) {
      const std::string_view name = trim(item.child_value());
      if (auto bit = model::flag_from_text(kind, name)) {
        object.flags |= *bit;
      } else {
        object.other_flags.emplace_back(name);
      }
    }
  }
  std::optional<std::string> unknown_child(const pugi::xml_node& node,
                                           const std::set<std::string_view>& known) const {
    for (const auto& child : node.children()) {
      if (child.type() == pugi::node_element && !known.contains(child.name())) {
        return fmt::format("element <{}> is not understood", child.name());
      }
    }
    return std::nullopt;
  }
  void keep_unsupported(const pugi::xml_node& node, std::string kind, std::string key_text,
                        std::string name, std::string reason) {
    std::ostringstream xml;
    node.print(xml, "\t", pugi::format_default, pugi::encoding_utf8);
    warn(node, fmt::format("{} {} \"{}\" not loaded: {} (kept under `unsupported`)", kind, key_text,
                           name, reason));
    result_.policy.unsupported.push_back(
        policy::UnsupportedObject{std::move(kind), std::move(key_text), std::move(name),
                                  std::move(reason), where(node), xml.str()});
  }

  Result<void> provider(const pugi::xml_node& node);
  Result<void> sublayer(const pugi::xml_node& node);
  Result<void> callout(const pugi::xml_node& node);
  Result<void> filter(const pugi::xml_node& node);
  Result<Converted<model::Condition>> condition(const pugi::xml_node& node, model::LayerId layer,
                                                const What& what);
  void state_layer_fields(const pugi::xml_node& layer);
  void synthesize();
  void choose_profile();
  void check_weights();

  std::string_view file_;
  const LineIndex& lines_;
  const ImportOptions& options_;
  ImportResult result_;
  std::vector<std::size_t> filter_where_;    // offsets, parallel to policy.filters
  std::optional<bool> has_reserved_fields_;  // show state: ALE layers list RESERVED0
  std::unordered_set<std::uint64_t> filter_ids_;
  std::unordered_set<Guid> filter_keys_;
  std::size_t filters_done_ = 0;
};

Result<void> Importer::provider(const pugi::xml_node& node) {
  model::Provider p;
  std::optional<std::string> problem;
  OPENFWP_TRY(const std::string_view key_text, required(node, "providerKey", "provider"));
  p.key = key(key_text, model::WellKnownKind::kProvider, "provider key", problem).value_or(Guid{});
  p.name = node.child("displayData").child_value("name");
  p.description = node.child("displayData").child_value("description");
  p.service_name = node.child_value("serviceName");
  flags(node, model::FlagKind::kProvider, p);
  OPENFWP_TRY(p.provider_data, provider_data(node, "provider"));
  if (!problem) problem = unknown_child(node, kProviderChildren);
  if (problem) {
    keep_unsupported(node, "provider", std::string(key_text), p.name, *problem);
    return {};
  }
  result_.policy.providers.push_back(std::move(p));
  return {};
}

Result<void> Importer::sublayer(const pugi::xml_node& node) {
  model::Sublayer s;
  std::optional<std::string> problem;
  OPENFWP_TRY(const std::string_view key_text, required(node, "subLayerKey", "sublayer"));
  s.key = key(key_text, model::WellKnownKind::kSublayer, "sublayer key", problem).value_or(Guid{});
  s.name = node.child("displayData").child_value("name");
  s.description = node.child("displayData").child_value("description");
  flags(node, model::FlagKind::kSublayer, s);
  s.provider = optional_key(node, "providerKey", model::WellKnownKind::kProvider,
                            "sublayer provider", problem);
  OPENFWP_TRY(s.provider_data, provider_data(node, "sublayer"));
  OPENFWP_TRY(const std::string_view weight_text, required(node, "weight", "sublayer"));
  auto weight = internal::decimal(weight_text, 0xffff, "sublayer weight");
  if (!weight) return tl::unexpected(located(weight.error(), node.child("weight"), "sublayer"));
  s.weight = static_cast<std::uint16_t>(*weight);
  if (!problem) problem = unknown_child(node, kSublayerChildren);
  if (problem) {
    keep_unsupported(node, "sublayer", std::string(key_text), s.name, *problem);
    return {};
  }
  result_.policy.sublayers.push_back(std::move(s));
  return {};
}

Result<void> Importer::callout(const pugi::xml_node& node) {
  model::Callout c;
  std::optional<std::string> problem;
  OPENFWP_TRY(const std::string_view key_text, required(node, "calloutKey", "callout"));
  c.key = key(key_text, model::WellKnownKind::kCallout, "callout key", problem).value_or(Guid{});
  c.name = node.child("displayData").child_value("name");
  c.description = node.child("displayData").child_value("description");
  flags(node, model::FlagKind::kCallout, c);
  c.provider = optional_key(node, "providerKey", model::WellKnownKind::kProvider,
                            "callout provider", problem);
  OPENFWP_TRY(c.provider_data, provider_data(node, "callout"));
  if (const auto id_text = trim(node.child_value("calloutId")); !id_text.empty()) {
    auto id = internal::decimal(id_text, 0xffffffffU, "calloutId");
    if (!id) return tl::unexpected(located(id.error(), node.child("calloutId"), "callout"));
    c.id = static_cast<std::uint32_t>(*id);
  }
  OPENFWP_TRY(const std::string_view layer_text, required(node, "applicableLayer", "callout"));
  if (!problem) problem = unknown_child(node, kCalloutChildren);
  if (const auto layer = model::find_layer(layer_text)) {
    c.applicable_layer = *layer;
  } else if (!problem) {
    problem = fmt::format("unknown layer {}", layer_text);
  }
  if (problem) {
    keep_unsupported(node, "callout", std::string(key_text), c.name, *problem);
    return {};
  }
  result_.policy.callouts.push_back(std::move(c));
  return {};
}

Result<Converted<model::Condition>> Importer::condition(const pugi::xml_node& node,
                                                        model::LayerId layer, const What& what) {
  OPENFWP_TRY(const std::string_view field_text, required(node, "fieldKey", what));
  OPENFWP_TRY(const std::string_view match_text, required(node, "matchType", what));
  const pugi::xml_node value_node = node.child("conditionValue");
  if (!value_node) return fail(node, fmt::format("{}: missing <conditionValue>", what.str()));
  const auto field = model::find_field(field_text);
  if (!field) {
    return Converted<model::Condition>{
        Unsupported{fmt::format("unknown condition field {}", field_text)}};
  }
  const auto& layer_info = model::layer_info(layer);
  if (!layer_info.fields.empty() && !model::field_index(layer, *field)) {
    return Converted<model::Condition>{Unsupported{
        fmt::format("field {} is not catalogued at {}", field_text, layer_info.wfp_name)}};
  }
  const auto match = model::match_type_from_text(match_text);
  if (!match) {
    return Converted<model::Condition>{
        Unsupported{fmt::format("unknown match type {}", match_text)}};
  }
  std::string lossy;
  auto value = internal::condition_value(value_node, layer, *field, lossy);
  if (!value) return tl::unexpected(located(value.error(), value_node, what.str()));
  if (auto* u = std::get_if<Unsupported>(&*value)) {
    return Converted<model::Condition>{Unsupported{fmt::format("{}: {}", field_text, u->reason)}};
  }
  if (!lossy.empty()) warn(value_node, fmt::format("{}: {}", what.str(), lossy));
  return Converted<model::Condition>{
      model::Condition{*field, *match, std::get<model::ConditionValue>(std::move(*value))}};
}

Result<void> Importer::filter(const pugi::xml_node& node) {
  if (options_.progress && (++filters_done_ % 1024) == 0) {
    options_.progress(filters_done_, result_.report.filters_in_dump);
  }
  const auto c = children_of(node, kFilterChildren);
  model::Filter f;
  OPENFWP_TRY(const std::string_view key_text,
              required(node, c[kFilterKey], "filterKey", "filter"));
  auto parsed_key = Guid::parse(key_text);
  if (!parsed_key)
    return fail(c[kFilterKey], fmt::format("filter key \"{}\" is not a GUID", key_text));
  f.key = *parsed_key;
  OPENFWP_TRY(const std::string_view id_text,
              required(node, c[kFilterId], "filterId", What("filter", key_text)));
  auto id = number(id_text, ~std::uint64_t{0}, "filterId");
  if (!id) return tl::unexpected(located(id.error(), c[kFilterId], "filter"));
  f.id = *id;
  const std::string what = fmt::format("filter {}", f.id);
  if (!c[kDisplayData]) return fail(node, what + ": missing <displayData>");
  f.name = c[kDisplayData].child_value("name");
  f.description = c[kDisplayData].child_value("description");
  flag_items(c[kFlags], model::FlagKind::kFilter, f);
  std::optional<std::string> problem;
  f.provider = optional_key(c[kProviderKey], model::WellKnownKind::kProvider, "provider", problem);
  OPENFWP_TRY(f.provider_data, provider_data_element(c[kProviderData], what));
  f.provider_context = optional_key(c[kProviderContextKey], model::WellKnownKind::kProviderContext,
                                    "provider context", problem);
  if (const auto raw = trim(c[kRawContext].child_value()); !raw.empty()) {
    auto value = number(raw, ~std::uint64_t{0}, "rawContext");
    if (!value) return tl::unexpected(located(value.error(), c[kRawContext], what));
    f.raw_context = *value;
  }
  OPENFWP_TRY(const std::string_view sublayer_text,
              required(node, c[kSubLayerKey], "subLayerKey", what));
  if (!sublayer_text.empty()) {
    f.sublayer =
        key(sublayer_text, model::WellKnownKind::kSublayer, "sublayer", problem).value_or(Guid{});
    if (f.sublayer == model::well_known::universal_sublayer()) f.sublayer = Guid{};
  }

  // Weight as written.
  const pugi::xml_node weight = c[kWeight];
  if (!weight) return fail(node, what + ": missing <weight>");
  const std::string_view weight_type = trim(weight.child_value("type"));
  if (weight_type == "FWP_EMPTY") {
    f.weight = {};
  } else if (weight_type == "FWP_UINT8" || weight_type == "FWP_UINT64") {
    const bool small = weight_type == "FWP_UINT8";
    auto value = number(weight.child_value(small ? "uint8" : "uint64"),
                        small ? 0xff : ~std::uint64_t{0}, What(what, "weight"));
    if (!value) return tl::unexpected(located(value.error(), weight, what));
    f.weight = {small ? model::Weight::Kind::kUint8 : model::Weight::Kind::kUint64, *value};
  } else {
    problem =
        fmt::format("weight type \"{}\" is not FWP_EMPTY, FWP_UINT8 or FWP_UINT64", weight_type);
  }
  if (const pugi::xml_node recorded = c[kEffectiveWeight]) {
    auto value =
        number(recorded.child_value("uint64"), ~std::uint64_t{0}, What(what, "effectiveWeight"));
    if (!value) return tl::unexpected(located(value.error(), recorded, what));
    f.recorded_effective_weight = *value;
  }

  // Action; netsh names the union member filterType whatever the action.
  const pugi::xml_node action = c[kAction];
  if (!action) return fail(node, what + ": missing <action>");
  OPENFWP_TRY(const std::string_view action_text, required(action, "type", What(what, "action")));
  if (auto type = model::action_type_from_text(action_text)) {
    f.action = *type;
  } else if (!problem) {
    problem = fmt::format("unknown action {}", action_text);
  }
  std::string_view callout_text = trim(action.child_value("filterType"));
  if (callout_text.empty()) callout_text = trim(action.child_value("calloutKey"));
  if (!callout_text.empty()) {
    if (!model::is_callout_action(f.action) && !problem) {
      problem = fmt::format("{} names a filter type {}, which openfwp does not model", action_text,
                            callout_text);
    }
    f.callout = key(callout_text, model::WellKnownKind::kCallout, "callout", problem);
  }
  if (!trim(c[kReserved].child_value()).empty() ||
      c[kReserved].first_child().type() == pugi::node_element) {
    if (!problem) problem = "<reserved> is not empty";
  }

  // Layer and conditions.
  OPENFWP_TRY(const std::string_view layer_text, required(node, c[kLayerKey], "layerKey", what));
  if (const auto layer = model::find_layer(layer_text)) {
    f.layer = *layer;
  } else if (!problem) {
    problem = fmt::format("unknown layer {}", layer_text);
  }
  if (!problem && c.unknown != nullptr) {
    problem = fmt::format("element <{}> is not understood", c.unknown);
  }
  if (!problem) {
    for (const auto& item : c[kFilterCondition].children("item")) {
      OPENFWP_TRY(auto converted, condition(item, f.layer, What(what, "condition")));
      if (auto* u = std::get_if<Unsupported>(&converted)) {
        problem = u->reason;
        break;
      }
      f.conditions.push_back(std::get<model::Condition>(std::move(converted)));
    }
  }
  if (!problem) {
    if (auto valid = model::validate_filter(f); !valid) problem = valid.error().message;
  }
  if (!problem && !filter_ids_.insert(f.id).second) problem = "duplicate filterId";
  if (!problem && !filter_keys_.insert(f.key).second) problem = "duplicate filterKey";
  if (problem) {
    keep_unsupported(node, "filter", std::string(key_text), f.name, *problem);
    return {};
  }
  filter_where_.push_back(node_offset(node));
  result_.policy.filters.push_back(std::move(f));
  return {};
}

void Importer::state_layer_fields(const pugi::xml_node& layer) {
  // The ALE auth layers list FWPM_CONDITION_RESERVED0 on Windows 11 era builds only.
  if (!std::string_view(trim(layer.child_value("layerKey"))).starts_with("FWPM_LAYER_ALE_AUTH_")) {
    return;
  }
  bool reserved = false;
  for (const auto& field : layer.child("field").children("item")) {
    if (trim(field.child_value("fieldKey")) == "FWPM_CONDITION_RESERVED0") reserved = true;
  }
  has_reserved_fields_ = reserved;
}

std::size_t count_items(const pugi::xml_node& node) {
  return static_cast<std::size_t>(
      std::distance(node.children("item").begin(), node.children("item").end()));
}

Result<ImportResult> Importer::run(const pugi::xml_document& doc) {
  auto& report = result_.report;
  pugi::xml_node root;
  for (const auto& top : doc.children()) {
    if (top.type() != pugi::node_element) continue;
    const std::string_view name = top.name();
    if (name == "wfpdiag" || name == "wfpstate") {
      if (root) return fail(top, fmt::format("a second <{}> element: one dump per file", name));
      root = top;
    } else if (name == "firewallState") {
      for (const auto& section : top.children()) {
        if (section.type() == pugi::node_element) {
          report.sections_not_imported.emplace_back(fmt::format("firewallState/{}", section.name()),
                                                    count_items(section));
        }
      }
    } else {
      return fail(top, fmt::format("<{}> is not a netsh wfp dump (expected <wfpdiag> from `netsh "
                                   "wfp show filters` or <wfpstate> from `netsh wfp show state`)",
                                   name));
    }
  }
  if (!root) {
    return tl::unexpected(Error{ErrorCode::kParse,
                                "no <wfpdiag> or <wfpstate> element: not a `netsh wfp show "
                                "filters` or `show state` dump",
                                lines_.locate(file_, 0)});
  }
  report.kind =
      std::string_view(root.name()) == "wfpstate" ? DumpKind::kShowState : DumpKind::kShowFilters;
  // Count first, for the progress bar.
  if (report.kind == DumpKind::kShowFilters) {
    report.filters_in_dump = count_items(root.child("filters"));
  } else {
    for (const auto& layer : root.child("layers").children("item")) {
      report.filters_in_dump += count_items(layer.child("filters"));
    }
  }
  for (const auto& section : root.children()) {
    if (section.type() != pugi::node_element) continue;
    const std::string_view name = section.name();
    if (name == "providers") {
      for (const auto& item : section.children("item")) OPENFWP_TRY_VOID(provider(item));
    } else if (name == "subLayers") {
      for (const auto& item : section.children("item")) OPENFWP_TRY_VOID(sublayer(item));
    } else if (name == "filters") {
      for (const auto& item : section.children("item")) OPENFWP_TRY_VOID(filter(item));
    } else if (name == "layers") {
      for (const auto& layer : section.children("item")) {
        state_layer_fields(layer.child("layer"));
        for (const auto& item : layer.child("callouts").children("item")) {
          OPENFWP_TRY_VOID(callout(item));
        }
        for (const auto& item : layer.child("filters").children("item")) {
          OPENFWP_TRY_VOID(filter(item));
        }
      }
    } else if (name == "timeStamp") {
      continue;
    } else {
      report.sections_not_imported.emplace_back(std::string(name), count_items(section));
    }
  }
  if (options_.progress) options_.progress(report.filters_in_dump, report.filters_in_dump);
  synthesize();
  choose_profile();
  check_weights();
  result_.policy.weight_profile = report.profile;
  sort_canonically(result_.policy);
  return std::move(result_);
}

// Show-filters dumps carry no sublayers and callouts, and any dump may name a provider it does
// not list: create what the filters name, so the policy loads, and say so.
void Importer::synthesize() {
  auto& policy = result_.policy;
  std::map<Guid, std::size_t> sublayer_refs, callout_refs, provider_refs;
  std::map<Guid, model::LayerId> callout_layer;
  for (const auto& f : policy.filters) {
    if (!f.sublayer.is_null()) ++sublayer_refs[f.sublayer];
    if (f.callout) {
      ++callout_refs[*f.callout];
      callout_layer.emplace(*f.callout, f.layer);
    }
    if (f.provider) ++provider_refs[*f.provider];
  }
  for (const auto& s : policy.sublayers) {
    sublayer_refs.erase(s.key);
    if (s.provider) ++provider_refs[*s.provider];
  }
  for (const auto& c : policy.callouts) {
    callout_refs.erase(c.key);
    if (c.provider) ++provider_refs[*c.provider];
  }
  for (const auto& p : policy.providers) provider_refs.erase(p.key);

  auto name_of = [](model::WellKnownKind kind, const Guid& key, std::string_view what) {
    const std::string_view known = model::well_known_name(kind, key);
    return known.empty() ? fmt::format("{} {}", what, key.to_string()) : std::string(known);
  };
  for (const auto& [key, refs] : sublayer_refs) {
    model::Sublayer s;
    s.key = key;
    s.name = name_of(model::WellKnownKind::kSublayer, key, "sublayer");
    std::string note;
    if (auto weight = model::builtin_sublayer_weight(key)) {
      s.weight = *weight;
      note = fmt::format("weight {}: Windows' built-in weight", *weight);
    } else {
      note =
          "weight unknown, 0 assumed: the order against other sublayers is a guess (a `netsh "
          "wfp show state` dump has the real weight)";
    }
    s.description = "synthesized by fwp import: " + note;
    policy.sublayers.push_back(s);
    result_.report.synthesized.push_back({"sublayer", key, s.name, refs, note});
  }
  for (const auto& [key, refs] : callout_refs) {
    model::Callout c;
    c.key = key;
    c.name = name_of(model::WellKnownKind::kCallout, key, "callout");
    c.applicable_layer = callout_layer.at(key);
    c.description = "synthesized by fwp import: the dump does not describe this callout";
    policy.callouts.push_back(c);
    result_.report.synthesized.push_back(
        {"callout", key, c.name, refs,
         fmt::format("at {}; not registered, so its filters act as WFP does for unregistered "
                     "callouts",
                     model::layer_info(c.applicable_layer).wfp_name)});
  }
  for (const auto& [key, refs] : provider_refs) {
    model::Provider p;
    p.key = key;
    p.name = name_of(model::WellKnownKind::kProvider, key, "provider");
    p.description = "synthesized by fwp import: the dump does not describe this provider";
    policy.providers.push_back(p);
    result_.report.synthesized.push_back({"provider", key, p.name, refs, "not in the dump"});
  }
}

void Importer::choose_profile() {
  auto& report = result_.report;
  if (options_.profile) {
    report.profile = *options_.profile;
    report.profile_reason = "given with --profile";
    return;
  }
  if (has_reserved_fields_) {
    report.profile =
        *has_reserved_fields_ ? model::WeightProfile::kWin11 : model::WeightProfile::kWin10;
    report.profile_reason = *has_reserved_fields_
                                ? "from the dump's layer list: the ALE auth layers have "
                                  "FWPM_CONDITION_RESERVED0 (Windows 11 era)"
                                : "from the dump's layer list: the ALE auth layers have no "
                                  "FWPM_CONDITION_RESERVED0 (Windows 10 era)";
    return;
  }
  // A show-filters dump names no build: take the profile that reproduces the most recorded
  // weights (win11 on a tie, the default).
  std::size_t best = 0;
  bool first = true;
  const auto recorded = static_cast<std::size_t>(std::count_if(
      result_.policy.filters.begin(), result_.policy.filters.end(),
      [](const model::Filter& f) { return f.recorded_effective_weight.has_value(); }));
  for (const auto profile : {model::WeightProfile::kWin11, model::WeightProfile::kWin10,
                             model::WeightProfile::kVpnWin}) {
    std::size_t matches = 0;
    for (const auto& f : result_.policy.filters) {
      if (f.recorded_effective_weight &&
          *f.recorded_effective_weight == model::effective_weight(f, profile)) {
        ++matches;
      }
    }
    if (first || matches > best) {
      best = matches;
      report.profile = profile;
      first = false;
    }
    // No later profile can reproduce more than all of them (and ties keep the earlier one).
    if (best == recorded) break;
  }
  report.profile_reason =
      "best fit to the recorded effective weights: the dump does not say which Windows build it "
      "comes from";
}

void Importer::check_weights() {
  auto& report = result_.report;
  for (std::size_t i = 0; i < result_.policy.filters.size(); ++i) {
    const auto& f = result_.policy.filters[i];
    if (!f.recorded_effective_weight) continue;
    ++report.weights_checked;
    const std::uint64_t computed = model::effective_weight(f, report.profile);
    if (computed == *f.recorded_effective_weight) continue;
    WeightMismatch mismatch{
        f.id,
        f.name,
        f.layer,
        *f.recorded_effective_weight,
        computed,
        model::automatic_weight(f.layer, f.conditions, report.profile).fields_without_slot,
        lines_.locate(file_, filter_where_[i])};
    report.weight_mismatches.push_back(std::move(mismatch));
  }
}

}  // namespace

std::string_view dump_kind_name(DumpKind kind) {
  return kind == DumpKind::kShowState ? "netsh wfp show state" : "netsh wfp show filters";
}

namespace {

Result<ImportResult> import_decoded(DecodedText text, std::string_view file,
                                    const ImportOptions& options) {
  // Before parsing: the in-place parse below writes into the text (terminators, unescaped
  // entities), and line numbers must be the source's.
  const LineIndex lines(text.utf8);
  pugi::xml_document doc;
  // parse_fragment: a show-state dump has two top-level elements (wfpstate, firewallState).
  // parse_embed_pcdata: the text of a leaf element is its value, not a child node, which halves
  // the nodes of a dump (child_value, text() and print are the same either way).
  const unsigned parse_options =
      pugi::parse_default | pugi::parse_fragment | pugi::parse_embed_pcdata;
  // In place: the document points into `text`, which outlives it (declared before `doc`).
  const pugi::xml_parse_result parsed = doc.load_buffer_inplace(text.utf8.data(), text.utf8.size(),
                                                                parse_options, pugi::encoding_utf8);
  if (!parsed) {
    const auto offset = static_cast<std::size_t>(std::max<std::ptrdiff_t>(parsed.offset, 0));
    std::string message = fmt::format("malformed XML: {}", parsed.description());
    if (offset + 2 >= text.utf8.size()) message += " (the file ends early: is it truncated?)";
    return tl::unexpected(Error{ErrorCode::kParse, message, lines.locate(file, offset)});
  }
  Importer importer(file, lines, options);
  OPENFWP_TRY(ImportResult result, importer.run(doc));
  result.report.encoding = text.encoding;
  return result;
}

}  // namespace

Result<ImportResult> import_netsh(std::string_view bytes, std::string_view file,
                                  const ImportOptions& options) {
  OPENFWP_TRY(DecodedText text, decode_dump_text(bytes, file));
  return import_decoded(std::move(text), file, options);
}

Result<ImportResult> import_netsh_file(const std::string& path, const ImportOptions& options) {
  OPENFWP_TRY(std::string bytes, read_text_file(path, "dump"));
  // The file's bytes become the text that is parsed in place: a dump is held once, not thrice.
  OPENFWP_TRY(DecodedText text, decode_dump_text_owned(std::move(bytes), path));
  return import_decoded(std::move(text), path, options);
}

bool looks_like_xml(std::string_view bytes) {
  if (bytes.starts_with("\xff\xfe") || bytes.starts_with("\xfe\xff")) return true;
  if (bytes.starts_with("\xef\xbb\xbf")) bytes.remove_prefix(3);
  const auto first = bytes.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && bytes[first] == '<';
}

}  // namespace openfwp::io::netsh
