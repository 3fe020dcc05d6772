// SPDX-License-Identifier: Apache-2.0
// Policy text → Policy. Every error names the object, the key and what was expected, at the
// line and column of the offending node.
#include "common/strings.h"
#include "io/policy/policy.h"
#include "io/policy/policy_nodes.h"
#include "model/catalog.h"
#include "model/validation.h"
#include "model/value_text.h"
#include "model/well_known.h"

#include <fmt/format.h>

namespace openfwp::io::policy {
namespace {

using model::ActionType;
using model::Weight;

// Resolves a reference to an object of one kind: a GUID, or the name of one defined in the
// file. `builtin` lists WFP names of built-in objects of that kind.
Result<Guid> resolve_reference(const YamlSource& source, const YAML::Node& node,
                               std::string_view kind,
                               const std::map<std::string, std::optional<Guid>, std::less<>>& names,
                               ErrorCode not_found) {
  OPENFWP_TRY(const std::string text, scalar_text(source, node, kind));
  if (auto guid = Guid::parse(text)) return *guid;
  const auto it = names.find(text);
  if (it == names.end()) {
    // Windows' built-in objects by their WFP name (FWPM_SUBLAYER_MPSSVC_WF), as netsh writes them.
    const auto well_known_kind = kind == "provider"   ? model::WellKnownKind::kProvider
                                 : kind == "sublayer" ? model::WellKnownKind::kSublayer
                                                      : model::WellKnownKind::kCallout;
    if (auto key = model::find_well_known(well_known_kind, text)) return *key;
  }
  if (it == names.end()) {
    return fail_at(source, node,
                   fmt::format("{} \"{}\" is neither a GUID nor the name of a {} in this file",
                               kind, text, kind),
                   not_found);
  }
  if (!it->second) {
    return fail_at(source, node,
                   fmt::format("{} name \"{}\" is given to several {}s; refer to it by key", kind,
                               text, kind));
  }
  return *it->second;
}

Result<Guid> key_or_derived(const YamlSource& source, const YAML::Node& map, std::string_view kind,
                            std::string_view name) {
  const YAML::Node node = member(map, "key");
  if (!present(node)) {
    // Unnamed objects get a key derived from their kind and name, so output is stable.
    return Guid::derive(fmt::format("{}/{}", kind, name));
  }
  OPENFWP_TRY(const std::string text, scalar_text(source, node, fmt::format("{} key", kind)));
  auto guid = Guid::parse(text);
  if (!guid) {
    return fail_at(source, node,
                   fmt::format("{} \"{}\": key \"{}\" is not a GUID (expected "
                               "{{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}})",
                               kind, name, text));
  }
  return *guid;
}

Result<std::string> optional_text(const YamlSource& source, const YAML::Node& map,
                                  std::string_view key, std::string_view what) {
  const YAML::Node node = member(map, key);
  if (!present(node)) return std::string();
  return scalar_text(source, node, fmt::format("{} {}", what, key));
}

Result<std::optional<Guid>> optional_provider(const YamlSource& source, const YAML::Node& map,
                                              const ObjectNames& names) {
  const YAML::Node node = member(map, "provider");
  if (!present(node)) return std::optional<Guid>();
  OPENFWP_TRY(const Guid key, resolve_reference(source, node, "provider", names.providers,
                                                ErrorCode::kProviderNotFound));
  return std::optional<Guid>(key);
}

Result<Weight> parse_weight(const YamlSource& source, const YAML::Node& node,
                            std::string_view what) {
  if (!present(node)) return Weight{};
  if (node.IsMap()) {
    OPENFWP_TRY_VOID(check_map(source, node, fmt::format("{} weight", what), {"uint8", "uint64"}));
    if (node.size() != 1) {
      return fail_at(source, node, fmt::format("{} weight: give one of uint8 or uint64", what),
                     ErrorCode::kInvalidWeight);
    }
    if (present(member(node, "uint8"))) {
      OPENFWP_TRY(const auto value, unsigned_value(source, member(node, "uint8"),
                                                   fmt::format("{} weight uint8", what), 15));
      return Weight{Weight::Kind::kUint8, value};
    }
    OPENFWP_TRY(const auto value,
                unsigned_value(source, member(node, "uint64"),
                               fmt::format("{} weight uint64", what), ~std::uint64_t{0}));
    return Weight{Weight::Kind::kUint64, value};
  }
  auto value = unsigned_value(source, node, fmt::format("{} weight", what), ~std::uint64_t{0});
  if (!value || *value > 15) {
    const std::string text = node.IsScalar() ? node.Scalar() : std::string("?");
    return fail_at(source, node,
                   fmt::format("{}: weight \"{}\": a plain weight is an FWP_UINT8 range index "
                               "0-15; write {{uint64: {}}} for an exact 64-bit weight, or leave "
                               "it out for the automatic weight (FWP_EMPTY)",
                               what, text, text),
                   ErrorCode::kInvalidWeight);
  }
  return Weight{Weight::Kind::kUint8, *value};
}

std::string_view flag_owner(model::FlagKind kind) {
  switch (kind) {
    case model::FlagKind::kFilter:
      return "filter";
    case model::FlagKind::kProvider:
      return "provider";
    case model::FlagKind::kSublayer:
      return "sublayer";
    case model::FlagKind::kCallout:
      return "callout";
  }
  return "";
}

std::string_view flag_prefix(model::FlagKind kind) {
  switch (kind) {
    case model::FlagKind::kFilter:
      return "FWPM_FILTER_FLAG_* such as FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT";
    case model::FlagKind::kProvider:
      return "FWPM_PROVIDER_FLAG_*";
    case model::FlagKind::kSublayer:
      return "FWPM_SUBLAYER_FLAG_*";
    case model::FlagKind::kCallout:
      return "FWPM_CALLOUT_FLAG_*";
  }
  return "";
}

Result<std::uint32_t> parse_flags(const YamlSource& source, const YAML::Node& node,
                                  std::string_view what, model::FlagKind kind) {
  if (!present(node)) return 0U;
  std::uint32_t flags = 0;
  auto add = [&](const YAML::Node& item) -> Result<void> {
    OPENFWP_TRY(const std::string text, scalar_text(source, item, fmt::format("{} flags", what)));
    const auto bit = model::flag_from_text(kind, text);
    if (!bit) {
      return fail_at(source, item,
                     fmt::format("{}: unknown {} flag \"{}\" (expected {}, or an unnamed bit "
                                 "as 0x…; names without a known bit go in other_flags)",
                                 what, flag_owner(kind), text, flag_prefix(kind)),
                     ErrorCode::kInvalidFlags);
    }
    flags |= *bit;
    return {};
  };
  if (node.IsSequence()) {
    for (const auto& item : node) OPENFWP_TRY_VOID(add(item));
  } else {
    OPENFWP_TRY_VOID(add(node));
  }
  return flags;
}

Result<std::vector<std::string>> parse_text_list(const YamlSource& source, const YAML::Node& node,
                                                 std::string_view what) {
  std::vector<std::string> out;
  if (!present(node)) return out;
  if (!node.IsSequence()) {
    OPENFWP_TRY(auto text, scalar_text(source, node, what));
    out.push_back(std::move(text));
    return out;
  }
  for (const auto& item : node) {
    OPENFWP_TRY(auto text, scalar_text(source, item, what));
    out.push_back(std::move(text));
  }
  return out;
}

Result<std::vector<std::uint8_t>> parse_blob(const YamlSource& source, const YAML::Node& node,
                                             std::string_view what) {
  if (!present(node)) return std::vector<std::uint8_t>();
  OPENFWP_TRY(const std::string text, scalar_text(source, node, what));
  auto bytes = parse_hex(text);
  if (!bytes || text.size() < 2 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) {
    return fail_at(source, node,
                   fmt::format("{}: \"{}\" is not hex bytes (expected 0x followed by an even "
                               "number of hex digits)",
                               what, text));
  }
  return *bytes;
}

// The keys every kind of object may carry beside its own; `fwp import` fills them from a dump.
template <class Object>
Result<void> parse_extras(const YamlSource& source, const YAML::Node& node, std::string_view what,
                          model::FlagKind kind, Object& object) {
  OPENFWP_TRY(object.flags, parse_flags(source, member(node, "flags"), what, kind));
  OPENFWP_TRY(object.other_flags, parse_text_list(source, member(node, "other_flags"),
                                                  fmt::format("{} other_flags", what)));
  OPENFWP_TRY(object.provider_data, parse_blob(source, member(node, "provider_data"),
                                               fmt::format("{} provider_data", what)));
  return {};
}

Result<std::optional<Guid>> optional_guid(const YamlSource& source, const YAML::Node& map,
                                          std::string_view key, std::string_view what) {
  const YAML::Node node = member(map, key);
  if (!present(node)) return std::optional<Guid>();
  OPENFWP_TRY(const std::string text, scalar_text(source, node, fmt::format("{} {}", what, key)));
  auto guid = Guid::parse(text);
  if (!guid) {
    if (auto known = model::find_well_known(model::WellKnownKind::kProviderContext, text)) {
      return std::optional<Guid>(*known);
    }
    return fail_at(source, node, fmt::format("{}: {} \"{}\" is not a GUID", what, key, text));
  }
  return std::optional<Guid>(*guid);
}

Result<model::Condition> parse_condition(const YamlSource& source, const YAML::Node& node,
                                         model::LayerId layer, std::string_view what) {
  const std::string where = fmt::format("{} condition", what);
  OPENFWP_TRY_VOID(check_map(source, node, where, {"field", "match", "value"}));
  OPENFWP_TRY(const std::string field_text, required_scalar(source, node, "field", where));
  const auto field = model::find_field(field_text);
  if (!field) {
    return fail_at(source, member(node, "field"),
                   fmt::format("{}: {}", what, model::unknown_field_message(field_text)),
                   ErrorCode::kConditionNotFound);
  }
  const auto& layer_info = model::layer_info(layer);
  if (!layer_info.fields.empty() && !model::field_index(layer, *field)) {
    return fail_at(
        source, member(node, "field"),
        fmt::format("{}: field {} is not available at {} (see `fwp show fields {}`)", what,
                    model::field_info(*field).wfp_name, layer_info.wfp_name, layer_info.wfp_name),
        ErrorCode::kConditionNotFound);
  }
  const YAML::Node value_node = member(node, "value");
  if (!present(value_node)) {
    return fail_at(source, node, fmt::format("{}: \"value\" is required", where),
                   ErrorCode::kNullPointer);
  }
  std::vector<std::string> parts;
  if (value_node.IsSequence()) {
    for (const auto& item : value_node) {
      OPENFWP_TRY(auto text, scalar_text(source, item, fmt::format("{} value", where)));
      parts.push_back(std::move(text));
    }
    if (parts.size() != 2) {
      return fail_at(source, value_node,
                     fmt::format("{}: a list value is a range [low, high] of two values, got {}",
                                 where, parts.size()),
                     ErrorCode::kInvalidRange);
    }
  } else {
    OPENFWP_TRY(auto text, scalar_text(source, value_node, fmt::format("{} value", where)));
    parts.push_back(std::move(text));
  }

  model::Condition condition;
  condition.field = *field;
  if (const YAML::Node match_node = member(node, "match"); present(match_node)) {
    OPENFWP_TRY(const std::string text, scalar_text(source, match_node, where + " match"));
    const auto match = model::match_type_from_text(text);
    if (!match) {
      return fail_at(source, match_node,
                     fmt::format("{}: unknown match type \"{}\" (expected FWP_MATCH_* such as "
                                 "FWP_MATCH_EQUAL, FWP_MATCH_RANGE, FWP_MATCH_PREFIX)",
                                 where, text),
                     ErrorCode::kMatchTypeMismatch);
    }
    condition.match = *match;
  } else {
    // A two-element list without a match type can only mean a range.
    condition.match = parts.size() == 2 ? model::MatchType::kRange : model::MatchType::kEqual;
  }
  auto value = model::parse_condition_value(layer, *field, parts);
  if (!value) {
    return fail_at(source, value_node, fmt::format("{}: {}", what, value.error().message),
                   value.error().code);
  }
  condition.value = std::move(*value);
  if (auto valid = model::validate_condition(layer, condition); !valid) {
    return fail_at(source, node, fmt::format("{}: {}", what, valid.error().message),
                   valid.error().code);
  }
  return condition;
}

}  // namespace

Result<model::Provider> parse_provider_node(const YamlSource& source, const YAML::Node& node,
                                            const ObjectNames& /*names*/) {
  OPENFWP_TRY_VOID(check_map(
      source, node, "provider",
      {"key", "name", "description", "service_name", "flags", "other_flags", "provider_data"}));
  model::Provider provider;
  OPENFWP_TRY(provider.name, required_scalar(source, node, "name", "provider"));
  const std::string what = fmt::format("provider \"{}\"", provider.name);
  OPENFWP_TRY(provider.key, key_or_derived(source, node, "provider", provider.name));
  OPENFWP_TRY(provider.description, optional_text(source, node, "description", what));
  OPENFWP_TRY(provider.service_name, optional_text(source, node, "service_name", what));
  OPENFWP_TRY_VOID(parse_extras(source, node, what, model::FlagKind::kProvider, provider));
  return provider;
}

Result<model::Sublayer> parse_sublayer_node(const YamlSource& source, const YAML::Node& node,
                                            const ObjectNames& names) {
  OPENFWP_TRY_VOID(check_map(source, node, "sublayer",
                             {"key", "name", "description", "weight", "provider", "flags",
                              "other_flags", "provider_data"}));
  model::Sublayer sublayer;
  OPENFWP_TRY(sublayer.name, required_scalar(source, node, "name", "sublayer"));
  const std::string what = fmt::format("sublayer \"{}\"", sublayer.name);
  OPENFWP_TRY(sublayer.key, key_or_derived(source, node, "sublayer", sublayer.name));
  OPENFWP_TRY(sublayer.description, optional_text(source, node, "description", what));
  if (const YAML::Node weight = member(node, "weight"); present(weight)) {
    OPENFWP_TRY(const auto value, unsigned_value(source, weight, what + " weight", 0xffff));
    sublayer.weight = static_cast<std::uint16_t>(value);
  }
  OPENFWP_TRY(sublayer.provider, optional_provider(source, node, names));
  OPENFWP_TRY_VOID(parse_extras(source, node, what, model::FlagKind::kSublayer, sublayer));
  return sublayer;
}

Result<model::Callout> parse_callout_node(const YamlSource& source, const YAML::Node& node,
                                          const ObjectNames& names) {
  OPENFWP_TRY_VOID(check_map(source, node, "callout",
                             {"key", "name", "description", "layer", "provider", "id", "flags",
                              "other_flags", "provider_data"}));
  model::Callout callout;
  OPENFWP_TRY(callout.name, required_scalar(source, node, "name", "callout"));
  const std::string what = fmt::format("callout \"{}\"", callout.name);
  OPENFWP_TRY(callout.key, key_or_derived(source, node, "callout", callout.name));
  OPENFWP_TRY(callout.description, optional_text(source, node, "description", what));
  OPENFWP_TRY(const std::string layer_text, required_scalar(source, node, "layer", what));
  const auto layer = model::find_layer(layer_text);
  if (!layer) {
    return fail_at(source, member(node, "layer"),
                   fmt::format("{}: {}", what, model::unknown_layer_message(layer_text)),
                   ErrorCode::kLayerNotFound);
  }
  callout.applicable_layer = *layer;
  OPENFWP_TRY(callout.provider, optional_provider(source, node, names));
  if (const YAML::Node id = member(node, "id"); present(id)) {
    OPENFWP_TRY(const auto value, unsigned_value(source, id, what + " id", 0xffffffffU));
    callout.id = static_cast<std::uint32_t>(value);
  }
  OPENFWP_TRY_VOID(parse_extras(source, node, what, model::FlagKind::kCallout, callout));
  return callout;
}

Result<model::Filter> parse_filter_node(const YamlSource& source, const YAML::Node& node,
                                        const ObjectNames& names) {
  OPENFWP_TRY_VOID(
      check_map(source, node, "filter",
                {"name", "description", "key", "id", "layer", "sublayer", "provider", "weight",
                 "action", "callout", "flags", "conditions", "other_flags", "provider_data",
                 "provider_context", "raw_context", "recorded_effective_weight"}));
  model::Filter filter;
  OPENFWP_TRY(filter.name, required_scalar(source, node, "name", "filter"));
  const std::string what = fmt::format("filter \"{}\"", filter.name);
  OPENFWP_TRY(filter.description, optional_text(source, node, "description", what));
  if (const YAML::Node key = member(node, "key"); present(key)) {
    OPENFWP_TRY(filter.key, key_or_derived(source, node, "filter", filter.name));
  }
  if (const YAML::Node id = member(node, "id"); present(id)) {
    OPENFWP_TRY(filter.id, unsigned_value(source, id, what + " id", ~std::uint64_t{0}));
  }

  OPENFWP_TRY(const std::string layer_text, required_scalar(source, node, "layer", what));
  const auto layer = model::find_layer(layer_text);
  if (!layer) {
    return fail_at(source, member(node, "layer"),
                   fmt::format("{}: {}", what, model::unknown_layer_message(layer_text)),
                   ErrorCode::kLayerNotFound);
  }
  filter.layer = *layer;

  if (const YAML::Node sublayer = member(node, "sublayer"); present(sublayer)) {
    OPENFWP_TRY(filter.sublayer, resolve_reference(source, sublayer, "sublayer", names.sublayers,
                                                   ErrorCode::kSublayerNotFound));
    if (filter.sublayer == model::well_known::universal_sublayer()) filter.sublayer = Guid{};
  }
  OPENFWP_TRY(filter.provider, optional_provider(source, node, names));
  OPENFWP_TRY(filter.weight, parse_weight(source, member(node, "weight"), what));

  OPENFWP_TRY(const std::string action_text, required_scalar(source, node, "action", what));
  const auto action = model::action_type_from_text(action_text);
  if (!action) {
    return fail_at(source, member(node, "action"),
                   fmt::format("{}: unknown action \"{}\" (expected permit, block, "
                               "callout_terminating, callout_inspection or callout_unknown)",
                               what, action_text),
                   ErrorCode::kInvalidActionType);
  }
  filter.action = *action;
  if (const YAML::Node callout = member(node, "callout"); present(callout)) {
    if (!model::is_callout_action(filter.action)) {
      return fail_at(source, callout,
                     fmt::format("{}: a callout is only used with a callout action, not {}", what,
                                 model::action_type_name(filter.action)),
                     ErrorCode::kInvalidActionType);
    }
    OPENFWP_TRY(filter.callout, resolve_reference(source, callout, "callout", names.callouts,
                                                  ErrorCode::kCalloutNotFound));
  } else if (model::is_callout_action(filter.action)) {
    return fail_at(source, member(node, "action"),
                   fmt::format("{}: action {} needs a \"callout\" (its key or name)", what,
                               model::action_type_name(filter.action)),
                   ErrorCode::kNullPointer);
  }
  OPENFWP_TRY_VOID(parse_extras(source, node, what, model::FlagKind::kFilter, filter));
  OPENFWP_TRY(filter.provider_context, optional_guid(source, node, "provider_context", what));
  if (const YAML::Node raw = member(node, "raw_context"); present(raw)) {
    OPENFWP_TRY(filter.raw_context,
                unsigned_value(source, raw, what + " raw_context", ~std::uint64_t{0}));
  }
  if (const YAML::Node recorded = member(node, "recorded_effective_weight"); present(recorded)) {
    OPENFWP_TRY(
        filter.recorded_effective_weight,
        unsigned_value(source, recorded, what + " recorded_effective_weight", ~std::uint64_t{0}));
  }

  const YAML::Node conditions = member(node, "conditions");
  OPENFWP_TRY_VOID(check_sequence(source, conditions, what + " conditions"));
  if (conditions.IsSequence()) {
    for (const auto& item : conditions) {
      OPENFWP_TRY(auto condition, parse_condition(source, item, filter.layer, what));
      filter.conditions.push_back(std::move(condition));
    }
  }
  if (auto valid = model::validate_filter(filter); !valid) {
    return fail_at(source, node, valid.error().message, valid.error().code);
  }
  return filter;
}

namespace {

// Names of the objects of one kind, before their references are resolved.
Result<void> collect_names(const YamlSource& source, const YAML::Node& list, std::string_view kind,
                           std::map<std::string, std::optional<Guid>, std::less<>>& names) {
  if (!list.IsSequence()) return {};
  for (const auto& item : list) {
    if (!item.IsMap() || !member(item, "name").IsScalar()) continue;  // reported later
    const std::string name = member(item, "name").Scalar();
    auto key = key_or_derived(source, item, kind, name);
    if (!key) continue;  // reported when the object itself is parsed
    auto [it, inserted] = names.emplace(name, *key);
    if (!inserted && it->second != *key) it->second.reset();
  }
  return {};
}

// Objects an import could not load, kept verbatim (policy.h, UnsupportedObject).
Result<void> parse_unsupported(const YamlSource& source, const YAML::Node& list,
                               std::vector<UnsupportedObject>& out) {
  OPENFWP_TRY_VOID(check_sequence(source, list, "unsupported"));
  if (!list.IsSequence()) return {};
  for (const auto& item : list) {
    OPENFWP_TRY_VOID(check_map(source, item, "unsupported object",
                               {"kind", "key", "name", "reason", "source", "xml"}));
    UnsupportedObject object;
    OPENFWP_TRY(object.kind, required_scalar(source, item, "kind", "unsupported object"));
    OPENFWP_TRY(object.reason, required_scalar(source, item, "reason", "unsupported object"));
    OPENFWP_TRY(object.xml, required_scalar(source, item, "xml", "unsupported object"));
    OPENFWP_TRY(object.key, optional_text(source, item, "key", "unsupported object"));
    OPENFWP_TRY(object.name, optional_text(source, item, "name", "unsupported object"));
    OPENFWP_TRY(object.source, optional_text(source, item, "source", "unsupported object"));
    out.push_back(std::move(object));
  }
  return {};
}

template <class Object, class ParseFn>
Result<void> parse_list(const YamlSource& source, const YAML::Node& root, const char* key,
                        const ObjectNames& names, ParseFn parse, std::vector<Object>& objects,
                        std::vector<SourceLocation>& locations) {
  const YAML::Node list = member(root, key);
  OPENFWP_TRY_VOID(check_sequence(source, list, key));
  if (!list.IsSequence()) return {};
  for (const auto& item : list) {
    OPENFWP_TRY(auto object, parse(source, item, names));
    objects.push_back(std::move(object));
    locations.push_back(source.at(item));
  }
  return {};
}

}  // namespace

Result<Policy> parse_policy(std::string_view text, std::string_view file) {
  const YamlSource source{std::string(file)};
  OPENFWP_TRY(const YAML::Node root, load_yaml(text, source));
  Policy policy;
  if (!present(root)) return policy;  // an empty file is an empty policy
  OPENFWP_TRY_VOID(check_map(
      source, root, "policy",
      {"weight_profile", "providers", "sublayers", "callouts", "filters", "unsupported"}));
  if (const YAML::Node profile = member(root, "weight_profile"); present(profile)) {
    OPENFWP_TRY(const std::string profile_text, scalar_text(source, profile, "weight_profile"));
    policy.weight_profile = model::weight_profile_from_text(profile_text);
    if (!policy.weight_profile) {
      return fail_at(
          source, profile,
          fmt::format("weight_profile \"{}\": expected win11, win10 or vpnwin", profile_text));
    }
  }
  ObjectNames names;
  OPENFWP_TRY_VOID(collect_names(source, member(root, "providers"), "provider", names.providers));
  OPENFWP_TRY_VOID(collect_names(source, member(root, "sublayers"), "sublayer", names.sublayers));
  OPENFWP_TRY_VOID(collect_names(source, member(root, "callouts"), "callout", names.callouts));

  OPENFWP_TRY_VOID(parse_list(source, root, "providers", names, parse_provider_node,
                              policy.providers, policy.provider_locations));
  OPENFWP_TRY_VOID(parse_list(source, root, "sublayers", names, parse_sublayer_node,
                              policy.sublayers, policy.sublayer_locations));
  OPENFWP_TRY_VOID(parse_list(source, root, "callouts", names, parse_callout_node, policy.callouts,
                              policy.callout_locations));
  OPENFWP_TRY_VOID(parse_list(source, root, "filters", names, parse_filter_node, policy.filters,
                              policy.filter_locations));
  OPENFWP_TRY_VOID(parse_unsupported(source, member(root, "unsupported"), policy.unsupported));
  return policy;
}

Result<Policy> load_policy_file(const std::string& path) {
  OPENFWP_TRY(const std::string text, read_text_file(path, "policy file"));
  return parse_policy(text, path);
}

}  // namespace openfwp::io::policy
