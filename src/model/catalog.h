// SPDX-License-Identifier: Apache-2.0
// The catalog: the one table of WFP layers and filtering-condition fields, with Microsoft's
// GUIDs and the fields available at each layer in run-time (FWPS_FIELDS_*) order. The rows are
// data in fields.def / layers.def / layer_fields.def (format: catalog_format.md); code names
// layers and fields by LayerId / FieldId and looks WFP's spellings up here.
#pragma once

#include "common/guid.h"
#include "model/data_type.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace openfwp::model {

/// Every filtering-condition field the catalog knows (FWPM_CONDITION_*).
enum class FieldId : std::uint16_t {
#define OPENFWP_FIELD(id, name, guid, type) id,
#include "model/fields.def"
#undef OPENFWP_FIELD
  kCount
};

/// Every filtering layer the catalog knows (FWPM_LAYER_*).
enum class LayerId : std::uint16_t {
#define OPENFWP_LAYER(id, name, guid, family, is_discard, runtime_id) id,
#include "model/layers.def"
#undef OPENFWP_LAYER
  kCount
};

inline constexpr std::size_t kFieldCount = static_cast<std::size_t>(FieldId::kCount);
inline constexpr std::size_t kLayerCount = static_cast<std::size_t>(LayerId::kCount);

/// How a field's values are typed; kIpAddress resolves per layer family.
enum class FieldType : std::uint8_t {
  kUint8,
  kUint16,
  kUint32,
  kUint64,
  kIpAddress,  ///< FWP_UINT32 at V4 layers, FWP_BYTE_ARRAY16_TYPE at V6 layers
  kMacAddress,
  kByteArray16,
  kByteBlob,
  kAppId,
  kSid,
  kSecurityDescriptor,  ///< conditions hold an SD; incoming value is the user's token (SID)
  kUnicodeString,
  kTokenInformation,
};

enum class Family : std::uint8_t { kV4, kV6, kNone };

struct FieldInfo {
  FieldId id;
  std::string_view wfp_name;  ///< "FWPM_CONDITION_IP_REMOTE_PORT"
  std::string alias;          ///< "ip_remote_port"
  Guid key;
  FieldType type;
};

struct LayerInfo {
  LayerId id;
  std::string_view wfp_name;  ///< "FWPM_LAYER_ALE_AUTH_CONNECT_V4"
  std::string alias;          ///< "ale_auth_connect_v4"
  Guid key;
  Family family;
  bool is_discard;
  std::uint16_t runtime_id;         ///< FWPS_BUILTIN_LAYERS value (FWPM_LAYER0.layerId, net events)
  std::span<const FieldId> fields;  ///< in FWPS_FIELDS_* order; empty if not modelled
};

/// Catalog lookups. All are thread-safe (the tables are built once, on first use, and are
/// immutable afterwards) and return references valid for the life of the program.
const LayerInfo& layer_info(LayerId id);
const FieldInfo& field_info(FieldId id);
std::span<const LayerInfo> all_layers();
std::span<const FieldInfo> all_fields();

/// Accepts the WFP name, the lower-case alias (name without the FWPM_LAYER_/FWPM_CONDITION_
/// prefix) or the "{GUID}". Case-insensitive for names.
std::optional<LayerId> find_layer(std::string_view text);
std::optional<FieldId> find_field(std::string_view text);

/// Messages for a name that find_layer / find_field did not know, with the closest catalogued
/// name as a suggestion when one is near: unknown layer "X" (did you mean …?; see `fwp show
/// layers`).
std::string unknown_layer_message(std::string_view text);
std::string unknown_field_message(std::string_view text);

/// The layer whose run-time id (FWPS_BUILTIN_LAYERS; the LayerId of audit events 5152/5157 and
/// of FWPM_NET_EVENT) is `runtime_id`.
std::optional<LayerId> find_layer_by_runtime_id(std::uint16_t runtime_id);

/// Position of `field` among the layer's incoming values, or nullopt if the layer has no such
/// field (WFP: FWP_E_CONDITION_NOT_FOUND when a filter names it).
std::optional<std::size_t> field_index(LayerId layer, FieldId field);

/// The FWP type of the incoming value of `field` at `layer` (kIpAddress resolved by family).
DataType incoming_type(LayerId layer, FieldId field);

/// The *_DISCARD twin of a layer, if Windows defines one; and the reverse.
std::optional<LayerId> discard_layer_of(LayerId layer);
std::optional<LayerId> non_discard_layer_of(LayerId discard_layer);

std::string_view field_type_name(FieldType type);

}  // namespace openfwp::model
