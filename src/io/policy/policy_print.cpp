// SPDX-License-Identifier: Apache-2.0
// Policy → canonical YAML, and an engine's store → Policy.
#include "common/strings.h"
#include "engine/store.h"
#include "io/policy/policy.h"
#include "model/catalog.h"
#include "model/value_text.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <map>

namespace openfwp::io::policy {
namespace {

// Display names of the policy's objects, written as comments next to key references so that
// the canonical form (keys only, never ambiguous) stays readable.
struct KeyNames {
  std::map<Guid, std::string> names;
  void comment(YAML::Emitter& out, const Guid& key) const {
    if (auto it = names.find(key); it != names.end() && !it->second.empty()) {
      out << YAML::Comment(it->second);
    }
  }
};

void emit_key(YAML::Emitter& out, std::string_view key, const std::string& value) {
  out << YAML::Key << std::string(key) << YAML::Value << value;
}

void emit_text_list(YAML::Emitter& out, std::string_view key,
                    const std::vector<std::string>& texts) {
  if (texts.empty()) return;
  out << YAML::Key << std::string(key) << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const auto& text : texts) out << text;
  out << YAML::EndSeq;
}

// The keys every kind of object may carry beside its own (policy_parse.cpp, parse_extras).
template <class Object>
void emit_extras(YAML::Emitter& out, model::FlagKind kind, const Object& object) {
  emit_text_list(out, "flags", model::flag_names(kind, object.flags));
  emit_text_list(out, "other_flags", object.other_flags);
  if (!object.provider_data.empty()) {
    emit_key(out, "provider_data",
             "0x" + hex_text(object.provider_data.data(), object.provider_data.size()));
  }
}

void emit_provider(YAML::Emitter& out, const model::Provider& provider) {
  out << YAML::Flow << YAML::BeginMap;
  emit_key(out, "key", provider.key.to_string());
  emit_key(out, "name", provider.name);
  if (!provider.description.empty()) emit_key(out, "description", provider.description);
  if (!provider.service_name.empty()) emit_key(out, "service_name", provider.service_name);
  emit_extras(out, model::FlagKind::kProvider, provider);
  out << YAML::EndMap;
}

void emit_sublayer(YAML::Emitter& out, const model::Sublayer& sublayer) {
  out << YAML::Flow << YAML::BeginMap;
  emit_key(out, "key", sublayer.key.to_string());
  emit_key(out, "name", sublayer.name);
  if (!sublayer.description.empty()) emit_key(out, "description", sublayer.description);
  emit_key(out, "weight", fmt::format("{:#06x}", sublayer.weight));
  if (sublayer.provider) emit_key(out, "provider", sublayer.provider->to_string());
  emit_extras(out, model::FlagKind::kSublayer, sublayer);
  out << YAML::EndMap;
}

void emit_callout(YAML::Emitter& out, const model::Callout& callout) {
  out << YAML::Flow << YAML::BeginMap;
  emit_key(out, "key", callout.key.to_string());
  emit_key(out, "name", callout.name);
  if (!callout.description.empty()) emit_key(out, "description", callout.description);
  emit_key(out, "layer", std::string(model::layer_info(callout.applicable_layer).wfp_name));
  if (callout.provider) emit_key(out, "provider", callout.provider->to_string());
  if (callout.id != 0) out << YAML::Key << "id" << YAML::Value << callout.id;
  emit_extras(out, model::FlagKind::kCallout, callout);
  out << YAML::EndMap;
}

void emit_condition(YAML::Emitter& out, const model::Condition& condition) {
  out << YAML::Flow << YAML::BeginMap;
  emit_key(out, "field", std::string(model::field_info(condition.field).wfp_name));
  emit_key(out, "match", std::string(model::match_type_name(condition.match)));
  const auto parts = model::format_condition_value(condition.field, condition.value);
  out << YAML::Key << "value" << YAML::Value;
  if (parts.size() == 1) {
    out << parts.front();
  } else {
    out << YAML::Flow << YAML::BeginSeq;
    for (const auto& part : parts) out << part;
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
}

void emit_filter(YAML::Emitter& out, const model::Filter& filter, const KeyNames& names) {
  out << YAML::BeginMap;
  emit_key(out, "name", filter.name);
  if (!filter.description.empty()) emit_key(out, "description", filter.description);
  if (!filter.key.is_null()) emit_key(out, "key", filter.key.to_string());
  if (filter.id != 0) out << YAML::Key << "id" << YAML::Value << filter.id;
  emit_key(out, "layer", std::string(model::layer_info(filter.layer).wfp_name));
  if (!filter.sublayer.is_null() && filter.sublayer != model::well_known::universal_sublayer()) {
    emit_key(out, "sublayer", filter.sublayer.to_string());
    names.comment(out, filter.sublayer);
  }
  if (filter.provider) {
    emit_key(out, "provider", filter.provider->to_string());
    names.comment(out, *filter.provider);
  }
  switch (filter.weight.kind) {
    case model::Weight::Kind::kEmpty:
      break;
    case model::Weight::Kind::kUint8:
      out << YAML::Key << "weight" << YAML::Value << filter.weight.value;
      break;
    case model::Weight::Kind::kUint64:
      out << YAML::Key << "weight" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
          << "uint64" << YAML::Value << filter.weight.value << YAML::EndMap;
      break;
  }
  emit_key(out, "action", std::string(model::action_type_name(filter.action)));
  if (filter.effective_weight != 0) {
    out << YAML::Comment(fmt::format("effective weight {:#018x}", filter.effective_weight));
  }
  if (filter.callout) {
    emit_key(out, "callout", filter.callout->to_string());
    names.comment(out, *filter.callout);
  }
  emit_extras(out, model::FlagKind::kFilter, filter);
  if (filter.provider_context)
    emit_key(out, "provider_context", filter.provider_context->to_string());
  if (filter.raw_context != 0)
    out << YAML::Key << "raw_context" << YAML::Value << filter.raw_context;
  if (filter.recorded_effective_weight) {
    emit_key(out, "recorded_effective_weight",
             fmt::format("{:#018x}", *filter.recorded_effective_weight));
  }
  if (!filter.conditions.empty()) {
    out << YAML::Key << "conditions" << YAML::Value << YAML::BeginSeq;
    for (const auto& condition : filter.conditions) emit_condition(out, condition);
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
}

void emit_unsupported(YAML::Emitter& out, const UnsupportedObject& object) {
  out << YAML::BeginMap;
  emit_key(out, "kind", object.kind);
  if (!object.key.empty()) emit_key(out, "key", object.key);
  if (!object.name.empty()) emit_key(out, "name", object.name);
  emit_key(out, "reason", object.reason);
  if (!object.source.empty()) emit_key(out, "source", object.source);
  out << YAML::Key << "xml" << YAML::Value << YAML::Literal << object.xml;
  out << YAML::EndMap;
}

template <class Object, class EmitFn>
void emit_list(YAML::Emitter& out, const char* key, const std::vector<Object>& objects,
               EmitFn emit) {
  if (objects.empty()) return;
  out << YAML::Key << key << YAML::Value << YAML::BeginSeq;
  for (const auto& object : objects) emit(out, object);
  out << YAML::EndSeq;
}

}  // namespace

std::string print_policy(const Policy& policy) {
  KeyNames names;
  for (const auto& p : policy.providers) names.names.emplace(p.key, p.name);
  for (const auto& s : policy.sublayers) names.names.emplace(s.key, s.name);
  for (const auto& c : policy.callouts) names.names.emplace(c.key, c.name);

  YAML::Emitter out;
  out.SetIndent(2);
  out << YAML::BeginMap;
  if (policy.weight_profile) {
    emit_key(out, "weight_profile",
             std::string(model::weight_profile_name(*policy.weight_profile)));
  }
  emit_list(out, "providers", policy.providers, emit_provider);
  emit_list(out, "sublayers", policy.sublayers, emit_sublayer);
  emit_list(out, "callouts", policy.callouts, emit_callout);
  emit_list(out, "filters", policy.filters,
            [&names](YAML::Emitter& o, const model::Filter& f) { emit_filter(o, f, names); });
  emit_list(out, "unsupported", policy.unsupported, emit_unsupported);
  out << YAML::EndMap;
  std::string text = out.c_str();
  if (text == "{}") text.clear();  // an empty policy prints as an empty document
  return text.empty() ? text : text + "\n";
}

Policy policy_from_store(const engine::Store& store) {
  Policy policy;
  if (store.weight_profile() != model::WeightProfile::kWin11) {
    policy.weight_profile = store.weight_profile();
  }
  for (const auto& [key, provider] : store.providers()) policy.providers.push_back(provider);
  for (const auto& [key, sublayer] : store.sublayers()) {
    if (key == model::well_known::universal_sublayer()) continue;  // built in
    policy.sublayers.push_back(sublayer);
  }
  for (const auto& [key, callout] : store.callouts()) policy.callouts.push_back(callout);
  for (const auto& [id, filter] : store.filters()) {
    policy.filters.push_back(*filter);
    // A policy writes "the universal sublayer" as no sublayer, as parse_policy reads it.
    if (filter->sublayer == model::well_known::universal_sublayer()) {
      policy.filters.back().sublayer = Guid{};
    }
  }
  return policy;
}

}  // namespace openfwp::io::policy
