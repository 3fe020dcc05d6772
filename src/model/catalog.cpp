// SPDX-License-Identifier: Apache-2.0
// Builds the catalog tables from the .def rows once, and answers lookups.
#include "model/catalog.h"

#include "common/assert.h"
#include "common/strings.h"

#include <algorithm>
#include <array>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace openfwp::model {
namespace {

// The per-layer field lists, one static array per layer row in layer_fields.def.
namespace layer_fields {
#define OPENFWP_LAYER_FIELDS(layer, ...) constexpr FieldId layer[] = {__VA_ARGS__};
using enum FieldId;
#include "model/layer_fields.def"
#undef OPENFWP_LAYER_FIELDS
}  // namespace layer_fields

struct LayerFieldsRow {
  LayerId layer;
  std::span<const FieldId> fields;
};

constexpr LayerFieldsRow kLayerFieldRows[] = {
#define OPENFWP_LAYER_FIELDS(layer, ...) {LayerId::layer, layer_fields::layer},
#include "model/layer_fields.def"
#undef OPENFWP_LAYER_FIELDS
};

Guid parse_catalog_guid(std::string_view text) {
  auto guid = Guid::parse(text);
  OPENFWP_CHECK(guid.has_value(), "catalog .def row has a malformed GUID");
  return *guid;
}

// Lets the maps below be searched with a string_view (no key string built per lookup).
struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};
template <class Value>
using TextMap = std::unordered_map<std::string, Value, TextHash, std::equal_to<>>;

struct Tables {
  std::vector<FieldInfo> fields;
  std::vector<LayerInfo> layers;
  TextMap<FieldId> field_by_text;  // upper-case name/alias, guid text
  TextMap<LayerId> layer_by_text;
  // index_of[layer][field] = position + 1, or 0 when the layer has no such field.
  std::vector<std::array<std::uint8_t, kFieldCount>> index_of;
  std::array<std::optional<LayerId>, kLayerCount> discard_of{};
  std::array<std::optional<LayerId>, kLayerCount> undiscard_of{};

  Tables() {
    fields = {
#define OPENFWP_FIELD(id, name, guid, type)                                                     \
  {FieldId::id, name, ascii_lower(std::string_view(name).substr(15)), parse_catalog_guid(guid), \
   FieldType::type},
#include "model/fields.def"
#undef OPENFWP_FIELD
    };
    layers = {
#define OPENFWP_LAYER(id, name, guid, fam, discard, runtime_id) \
  {LayerId::id,                                                 \
   name,                                                        \
   ascii_lower(std::string_view(name).substr(11)),              \
   parse_catalog_guid(guid),                                    \
   Family::fam,                                                 \
   discard,                                                     \
   runtime_id,                                                  \
   {}},
#include "model/layers.def"
#undef OPENFWP_LAYER
    };
    for (const auto& row : kLayerFieldRows) {
      layers[static_cast<std::size_t>(row.layer)].fields = row.fields;
    }
    index_of.resize(kLayerCount);
    for (const auto& layer : layers) {
      auto& slots = index_of[static_cast<std::size_t>(layer.id)];
      slots.fill(0);
      for (std::size_t i = 0; i < layer.fields.size(); ++i) {
        OPENFWP_CHECK(i < 255, "a layer has more than 254 fields");
        slots[static_cast<std::size_t>(layer.fields[i])] = static_cast<std::uint8_t>(i + 1);
      }
    }
    for (const auto& f : fields) {
      field_by_text.emplace(std::string(f.wfp_name), f.id);
      field_by_text.emplace(ascii_upper(f.alias), f.id);
      field_by_text.emplace(ascii_upper(f.key.to_string()), f.id);
    }
    for (const auto& l : layers) {
      layer_by_text.emplace(std::string(l.wfp_name), l.id);
      layer_by_text.emplace(ascii_upper(l.alias), l.id);
      layer_by_text.emplace(ascii_upper(l.key.to_string()), l.id);
    }
    for (const auto& l : layers) {
      if (!l.is_discard) continue;
      constexpr std::string_view kSuffix = "_DISCARD";
      const std::string twin(l.wfp_name.substr(0, l.wfp_name.size() - kSuffix.size()));
      if (auto it = layer_by_text.find(twin); it != layer_by_text.end()) {
        discard_of[static_cast<std::size_t>(it->second)] = l.id;
        undiscard_of[static_cast<std::size_t>(l.id)] = it->second;
      }
    }
  }
};

const Tables& tables() {
  static const Tables kTables;
  return kTables;
}

std::string lookup_key(std::string_view text) {
  if (!text.empty() && text.front() != '{' && Guid::parse(text)) {
    return ascii_upper("{" + std::string(text) + "}");
  }
  return ascii_upper(text);
}

// map.find(lookup_key(text)), without building the key when `text` already is one (the usual
// case: dumps and policies spell names in upper case).
template <class Map>
auto find_text(const Map& map, std::string_view text) {
  const bool is_key =
      std::none_of(text.begin(), text.end(), [](char c) { return c >= 'a' && c <= 'z'; }) &&
      (text.empty() || text.front() == '{' || !Guid::parse(text));
  return is_key ? map.find(text) : map.find(lookup_key(text));
}

}  // namespace

const LayerInfo& layer_info(LayerId id) {
  OPENFWP_ASSERT(id < LayerId::kCount, "layer id out of range");
  return tables().layers[static_cast<std::size_t>(id)];
}

const FieldInfo& field_info(FieldId id) {
  OPENFWP_ASSERT(id < FieldId::kCount, "field id out of range");
  return tables().fields[static_cast<std::size_t>(id)];
}

std::span<const LayerInfo> all_layers() { return tables().layers; }
std::span<const FieldInfo> all_fields() { return tables().fields; }

std::optional<LayerId> find_layer(std::string_view text) {
  const auto& map = tables().layer_by_text;
  if (auto it = find_text(map, text); it != map.end()) return it->second;
  return std::nullopt;
}

std::optional<FieldId> find_field(std::string_view text) {
  const auto& map = tables().field_by_text;
  if (auto it = find_text(map, text); it != map.end()) return it->second;
  return std::nullopt;
}

namespace {

// The catalogued name (or alias) nearest to `text`, if it is a plausible typo of it.
template <class Infos>
std::optional<std::string_view> nearest_name(const Infos& infos, std::string_view text,
                                             std::size_t prefix_length) {
  std::optional<std::string_view> best;
  std::size_t best_distance = 0;
  const bool has_prefix = text.size() > prefix_length && text.find('_') != std::string_view::npos &&
                          ascii_iequals(text.substr(0, 5), "FWPM_");
  for (const auto& info : infos) {
    const std::string_view candidate =
        has_prefix ? info.wfp_name : info.wfp_name.substr(prefix_length);
    const std::size_t distance = edit_distance(text, candidate);
    if (!best || distance < best_distance) {
      best = info.wfp_name;
      best_distance = distance;
    }
  }
  // A suggestion more than a third different from what was typed is noise.
  if (best && best_distance * 3 <= text.size() && best_distance > 0) return best;
  return std::nullopt;
}

}  // namespace

std::string unknown_layer_message(std::string_view text) {
  const auto near = nearest_name(tables().layers, text, 11);
  return "unknown layer \"" + std::string(text) + "\" (" +
         (near ? "did you mean " + std::string(*near) + "? " : std::string()) +
         "see `fwp show layers`)";
}

std::string unknown_field_message(std::string_view text) {
  const auto near = nearest_name(tables().fields, text, 15);
  return "unknown field \"" + std::string(text) + "\" (" +
         (near ? "did you mean " + std::string(*near) + "? " : std::string()) +
         "see `fwp show fields LAYER`)";
}

std::optional<LayerId> find_layer_by_runtime_id(std::uint16_t runtime_id) {
  for (const auto& layer : tables().layers) {
    if (layer.runtime_id == runtime_id) return layer.id;
  }
  return std::nullopt;
}

std::optional<std::size_t> field_index(LayerId layer, FieldId field) {
  const auto slot =
      tables().index_of[static_cast<std::size_t>(layer)][static_cast<std::size_t>(field)];
  if (slot == 0) return std::nullopt;
  return static_cast<std::size_t>(slot - 1);
}

DataType incoming_type(LayerId layer, FieldId field) {
  switch (field_info(field).type) {
    case FieldType::kUint8:
      return DataType::kUint8;
    case FieldType::kUint16:
      return DataType::kUint16;
    case FieldType::kUint32:
      return DataType::kUint32;
    case FieldType::kUint64:
      return DataType::kUint64;
    case FieldType::kIpAddress:
      return layer_info(layer).family == Family::kV6 ? DataType::kByteArray16 : DataType::kUint32;
    case FieldType::kMacAddress:
      return DataType::kByteArray6;
    case FieldType::kByteArray16:
      return DataType::kByteArray16;
    case FieldType::kByteBlob:
    case FieldType::kAppId:
      return DataType::kByteBlob;
    case FieldType::kSid:
      return DataType::kSid;
    case FieldType::kSecurityDescriptor:
      return DataType::kTokenAccessInformation;
    case FieldType::kTokenInformation:
      return DataType::kTokenInformation;
    case FieldType::kUnicodeString:
      return DataType::kUnicodeString;
  }
  OPENFWP_UNREACHABLE("unhandled FieldType");
}

std::optional<LayerId> discard_layer_of(LayerId layer) {
  return tables().discard_of[static_cast<std::size_t>(layer)];
}

std::optional<LayerId> non_discard_layer_of(LayerId discard_layer) {
  return tables().undiscard_of[static_cast<std::size_t>(discard_layer)];
}

std::string_view field_type_name(FieldType type) {
  switch (type) {
    case FieldType::kUint8:
      return "FWP_UINT8";
    case FieldType::kUint16:
      return "FWP_UINT16";
    case FieldType::kUint32:
      return "FWP_UINT32";
    case FieldType::kUint64:
      return "FWP_UINT64";
    case FieldType::kIpAddress:
      return "FWP_UINT32 (V4) / FWP_BYTE_ARRAY16_TYPE (V6)";
    case FieldType::kMacAddress:
      return "FWP_BYTE_ARRAY6_TYPE";
    case FieldType::kByteArray16:
      return "FWP_BYTE_ARRAY16_TYPE";
    case FieldType::kByteBlob:
      return "FWP_BYTE_BLOB_TYPE";
    case FieldType::kAppId:
      return "FWP_BYTE_BLOB_TYPE (application id)";
    case FieldType::kSid:
      return "FWP_SID";
    case FieldType::kSecurityDescriptor:
      return "FWP_SECURITY_DESCRIPTOR_TYPE";
    case FieldType::kUnicodeString:
      return "FWP_UNICODE_STRING_TYPE";
    case FieldType::kTokenInformation:
      return "FWP_TOKEN_INFORMATION_TYPE";
  }
  return "?";
}

}  // namespace openfwp::model
