// SPDX-License-Identifier: Apache-2.0
// The catalog: lookups by WFP name, alias and GUID; per-layer field positions; incoming types by
// layer family; discard twins. The "every row" tests check the .def data itself, whichever
// catalog is built in.
#include "model/catalog.h"

#include "support/catalog_search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <string>
#include <string_view>

namespace openfwp::model {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

// ---- Known rows -----------------------------------------------------------------------------

TEST(Catalog, AleAuthConnectV4RowHasMicrosoftsNameGuidAndFamily) {
  const LayerInfo& info = layer_info(LayerId::kAleAuthConnectV4);
  EXPECT_EQ(info.id, LayerId::kAleAuthConnectV4);
  EXPECT_EQ(info.wfp_name, "FWPM_LAYER_ALE_AUTH_CONNECT_V4");
  EXPECT_EQ(info.alias, "ale_auth_connect_v4");
  EXPECT_EQ(info.key.to_string(), "{c38d57d1-05a7-4c33-904f-7fbceee60e82}");
  EXPECT_EQ(info.family, Family::kV4);
  EXPECT_FALSE(info.is_discard);
  EXPECT_FALSE(info.fields.empty());
}

TEST(Catalog, AleAuthConnectV6IsAV6Layer) {
  const LayerInfo& info = layer_info(LayerId::kAleAuthConnectV6);
  EXPECT_EQ(info.wfp_name, "FWPM_LAYER_ALE_AUTH_CONNECT_V6");
  EXPECT_EQ(info.key.to_string(), "{4a72393b-319f-44bc-84c3-ba54dcb3b6b4}");
  EXPECT_EQ(info.family, Family::kV6);
}

TEST(Catalog, RemotePortRowHasMicrosoftsNameGuidAndType) {
  const FieldInfo& info = field_info(FieldId::kIpRemotePort);
  EXPECT_EQ(info.id, FieldId::kIpRemotePort);
  EXPECT_EQ(info.wfp_name, "FWPM_CONDITION_IP_REMOTE_PORT");
  EXPECT_EQ(info.alias, "ip_remote_port");
  EXPECT_EQ(info.key.to_string(), "{c35a604d-d22b-4e1a-91b4-68f674ee674b}");
  EXPECT_EQ(info.type, FieldType::kUint16);
}

TEST(Catalog, CoreFieldsHaveTheirWfpTypes) {
  EXPECT_EQ(field_info(FieldId::kIpProtocol).type, FieldType::kUint8);
  EXPECT_EQ(field_info(FieldId::kIpLocalAddress).type, FieldType::kIpAddress);
  EXPECT_EQ(field_info(FieldId::kIpRemoteAddress).type, FieldType::kIpAddress);
  EXPECT_EQ(field_info(FieldId::kIpLocalPort).type, FieldType::kUint16);
  EXPECT_EQ(field_info(FieldId::kAleAppId).type, FieldType::kAppId);
  EXPECT_EQ(field_info(FieldId::kAleUserId).type, FieldType::kSecurityDescriptor);
  EXPECT_EQ(field_info(FieldId::kFlags).type, FieldType::kUint32);
}

// ---- Lookups --------------------------------------------------------------------------------

TEST(FindLayer, AcceptsWfpNameAliasAndGuidInAnyCase) {
  const auto want = std::optional<LayerId>(LayerId::kAleAuthConnectV4);
  EXPECT_EQ(find_layer("FWPM_LAYER_ALE_AUTH_CONNECT_V4"), want);
  EXPECT_EQ(find_layer("fwpm_layer_ale_auth_connect_v4"), want);
  EXPECT_EQ(find_layer("ale_auth_connect_v4"), want);
  EXPECT_EQ(find_layer("ALE_AUTH_CONNECT_V4"), want);
  EXPECT_EQ(find_layer("Ale_Auth_Connect_V4"), want);
  EXPECT_EQ(find_layer("{c38d57d1-05a7-4c33-904f-7fbceee60e82}"), want);
  EXPECT_EQ(find_layer("{C38D57D1-05A7-4C33-904F-7FBCEEE60E82}"), want);
  EXPECT_EQ(find_layer("c38d57d1-05a7-4c33-904f-7fbceee60e82"), want);
  EXPECT_EQ(find_layer("C38D57D1-05A7-4C33-904F-7FBCEEE60E82"), want);
}

TEST(FindLayer, RejectsUnknownAndPartialNames) {
  for (auto text : {"", "FWPM_LAYER_ALE_AUTH_CONNECT", "ALE_AUTH_CONNECT_V4 ", "connect_v4",
                    "FWPM_LAYER_NO_SUCH_LAYER", "{00000000-0000-0000-0000-000000000000}",
                    "FWPM_CONDITION_IP_REMOTE_PORT", "ip_remote_port"}) {
    EXPECT_FALSE(find_layer(text)) << '"' << text << '"';
  }
}

TEST(FindField, AcceptsWfpNameAliasAndGuidInAnyCase) {
  const auto want = std::optional<FieldId>(FieldId::kIpRemotePort);
  EXPECT_EQ(find_field("FWPM_CONDITION_IP_REMOTE_PORT"), want);
  EXPECT_EQ(find_field("fwpm_condition_ip_remote_port"), want);
  EXPECT_EQ(find_field("ip_remote_port"), want);
  EXPECT_EQ(find_field("IP_REMOTE_PORT"), want);
  EXPECT_EQ(find_field("Ip_Remote_Port"), want);
  EXPECT_EQ(find_field("{c35a604d-d22b-4e1a-91b4-68f674ee674b}"), want);
  EXPECT_EQ(find_field("{C35A604D-D22B-4E1A-91B4-68F674EE674B}"), want);
  EXPECT_EQ(find_field("c35a604d-d22b-4e1a-91b4-68f674ee674b"), want);
}

TEST(FindField, RejectsUnknownNamesAndLayerNames) {
  for (auto text : {"", "FWPM_CONDITION_IP_REMOTE", "remote_port", "FWPM_CONDITION_NO_SUCH",
                    "FWPM_LAYER_ALE_AUTH_CONNECT_V4", "{c38d57d1-05a7-4c33-904f-7fbceee60e82}"}) {
    EXPECT_FALSE(find_field(text)) << '"' << text << '"';
  }
}

// ---- Every row ------------------------------------------------------------------------------

TEST(CatalogRows, LayerIdsAreTheirPositions) {
  ASSERT_EQ(all_layers().size(), kLayerCount);
  for (std::size_t i = 0; i < all_layers().size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(all_layers()[i].id), i);
    EXPECT_EQ(&layer_info(static_cast<LayerId>(i)), &all_layers()[i]);
  }
}

TEST(CatalogRows, FieldIdsAreTheirPositions) {
  ASSERT_EQ(all_fields().size(), kFieldCount);
  for (std::size_t i = 0; i < all_fields().size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(all_fields()[i].id), i);
    EXPECT_EQ(&field_info(static_cast<FieldId>(i)), &all_fields()[i]);
  }
}

TEST(CatalogRows, EveryLayerIsFoundByNameAliasAndGuid) {
  for (const auto& layer : all_layers()) {
    SCOPED_TRACE(layer.wfp_name);
    EXPECT_TRUE(layer.wfp_name.starts_with("FWPM_LAYER_"));
    EXPECT_EQ(layer.alias, lower(layer.wfp_name.substr(11)));
    EXPECT_EQ(find_layer(layer.wfp_name), layer.id);
    EXPECT_EQ(find_layer(layer.alias), layer.id);
    EXPECT_EQ(find_layer(upper(layer.alias)), layer.id);
    EXPECT_EQ(find_layer(layer.key.to_string()), layer.id);
    EXPECT_FALSE(layer.key.is_null());
  }
}

TEST(CatalogRows, EveryFieldIsFoundByNameAliasAndGuid) {
  for (const auto& field : all_fields()) {
    SCOPED_TRACE(field.wfp_name);
    EXPECT_TRUE(field.wfp_name.starts_with("FWPM_CONDITION_"));
    EXPECT_EQ(field.alias, lower(field.wfp_name.substr(15)));
    EXPECT_EQ(find_field(field.wfp_name), field.id);
    EXPECT_EQ(find_field(field.alias), field.id);
    EXPECT_EQ(find_field(field.key.to_string()), field.id);
    EXPECT_FALSE(field.key.is_null());
  }
}

TEST(CatalogRows, NamesAndGuidsAreUnique) {
  std::set<std::string_view> names;
  std::set<Guid> keys;
  for (const auto& layer : all_layers()) {
    EXPECT_TRUE(names.insert(layer.wfp_name).second) << "duplicate " << layer.wfp_name;
    EXPECT_TRUE(keys.insert(layer.key).second) << "duplicate GUID of " << layer.wfp_name;
  }
  for (const auto& field : all_fields()) {
    EXPECT_TRUE(names.insert(field.wfp_name).second) << "duplicate " << field.wfp_name;
    EXPECT_TRUE(keys.insert(field.key).second) << "duplicate GUID of " << field.wfp_name;
  }
}

TEST(CatalogRows, LayerFieldListsHaveNoDuplicates) {
  for (const auto& layer : all_layers()) {
    std::set<FieldId> seen(layer.fields.begin(), layer.fields.end());
    EXPECT_EQ(seen.size(), layer.fields.size()) << layer.wfp_name;
  }
}

TEST(CatalogRows, IpLayersHaveAFamilyAndDiscardLayersAreNamedSo) {
  for (const auto& layer : all_layers()) {
    SCOPED_TRACE(layer.wfp_name);
    EXPECT_EQ(layer.is_discard, layer.wfp_name.ends_with("_DISCARD"));
    if (layer.wfp_name.find("_V4") != std::string_view::npos) {
      EXPECT_EQ(layer.family, Family::kV4);
    }
    if (layer.wfp_name.find("_V6") != std::string_view::npos) {
      EXPECT_EQ(layer.family, Family::kV6);
    }
  }
}

// ---- Field positions ------------------------------------------------------------------------

TEST(FieldIndex, IsThePositionInTheLayersFieldList) {
  for (const auto& layer : all_layers()) {
    for (std::size_t i = 0; i < layer.fields.size(); ++i) {
      EXPECT_EQ(field_index(layer.id, layer.fields[i]), std::optional<std::size_t>(i))
          << layer.wfp_name << " " << field_info(layer.fields[i]).wfp_name;
    }
  }
}

TEST(FieldIndex, IsEmptyExactlyForFieldsNotOnTheLayer) {
  for (const auto& layer : all_layers()) {
    for (const auto& field : all_fields()) {
      const bool listed =
          std::find(layer.fields.begin(), layer.fields.end(), field.id) != layer.fields.end();
      EXPECT_EQ(field_index(layer.id, field.id).has_value(), listed)
          << layer.wfp_name << " " << field.wfp_name;
    }
  }
}

TEST(FieldIndex, AleAuthConnectCarriesTheFiveTupleAppUserAndFlags) {
  for (auto layer : {LayerId::kAleAuthConnectV4, LayerId::kAleAuthConnectV4Discard,
                     LayerId::kAleAuthConnectV6}) {
    for (auto field : {FieldId::kIpProtocol, FieldId::kIpLocalAddress, FieldId::kIpRemoteAddress,
                       FieldId::kIpLocalPort, FieldId::kIpRemotePort, FieldId::kAleAppId,
                       FieldId::kAleUserId, FieldId::kFlags}) {
      EXPECT_TRUE(field_index(layer, field))
          << layer_info(layer).wfp_name << " " << field_info(field).wfp_name;
    }
  }
}

// ---- Incoming types -------------------------------------------------------------------------

TEST(IncomingType, IpAddressIsUint32AtV4LayersAndByteArray16AtV6Layers) {
  for (auto field : {FieldId::kIpLocalAddress, FieldId::kIpRemoteAddress}) {
    EXPECT_EQ(incoming_type(LayerId::kAleAuthConnectV4, field), DataType::kUint32);
    EXPECT_EQ(incoming_type(LayerId::kAleAuthConnectV4Discard, field), DataType::kUint32);
    EXPECT_EQ(incoming_type(LayerId::kAleAuthConnectV6, field), DataType::kByteArray16);
  }
}

TEST(IncomingType, NonAddressFieldsHaveTheSameTypeAtEveryFamily) {
  for (auto layer : {LayerId::kAleAuthConnectV4, LayerId::kAleAuthConnectV6}) {
    EXPECT_EQ(incoming_type(layer, FieldId::kIpProtocol), DataType::kUint8);
    EXPECT_EQ(incoming_type(layer, FieldId::kIpRemotePort), DataType::kUint16);
    EXPECT_EQ(incoming_type(layer, FieldId::kIpLocalPort), DataType::kUint16);
    EXPECT_EQ(incoming_type(layer, FieldId::kFlags), DataType::kUint32);
    EXPECT_EQ(incoming_type(layer, FieldId::kAleAppId), DataType::kByteBlob);
    // The user's identity arrives as a token; conditions carry a security descriptor.
    EXPECT_EQ(incoming_type(layer, FieldId::kAleUserId), DataType::kTokenAccessInformation);
  }
}

TEST(IncomingType, EveryFieldTypeMapsToItsFwpType) {
  struct Expectation {
    FieldType type;
    DataType incoming;
  };
  const std::array<Expectation, 12> expectations = {{
      {FieldType::kUint8, DataType::kUint8},
      {FieldType::kUint16, DataType::kUint16},
      {FieldType::kUint32, DataType::kUint32},
      {FieldType::kUint64, DataType::kUint64},
      {FieldType::kMacAddress, DataType::kByteArray6},
      {FieldType::kByteArray16, DataType::kByteArray16},
      {FieldType::kByteBlob, DataType::kByteBlob},
      {FieldType::kAppId, DataType::kByteBlob},
      {FieldType::kSid, DataType::kSid},
      {FieldType::kSecurityDescriptor, DataType::kTokenAccessInformation},
      {FieldType::kTokenInformation, DataType::kTokenInformation},
      {FieldType::kUnicodeString, DataType::kUnicodeString},
  }};
  for (const auto& e : expectations) {
    auto place = testing::find_field_of_type(e.type);
    if (!place) {
      continue;  // the built-in catalog has no field of this type
    }
    EXPECT_EQ(incoming_type(place->layer, place->field), e.incoming)
        << field_info(place->field).wfp_name;
  }
}

TEST(FieldTypeName, NamesEveryFieldType) {
  EXPECT_EQ(field_type_name(FieldType::kUint8), "FWP_UINT8");
  EXPECT_EQ(field_type_name(FieldType::kUint16), "FWP_UINT16");
  EXPECT_EQ(field_type_name(FieldType::kUint32), "FWP_UINT32");
  EXPECT_EQ(field_type_name(FieldType::kUint64), "FWP_UINT64");
  EXPECT_EQ(field_type_name(FieldType::kIpAddress), "FWP_UINT32 (V4) / FWP_BYTE_ARRAY16_TYPE (V6)");
  EXPECT_EQ(field_type_name(FieldType::kMacAddress), "FWP_BYTE_ARRAY6_TYPE");
  EXPECT_EQ(field_type_name(FieldType::kByteArray16), "FWP_BYTE_ARRAY16_TYPE");
  EXPECT_EQ(field_type_name(FieldType::kByteBlob), "FWP_BYTE_BLOB_TYPE");
  EXPECT_EQ(field_type_name(FieldType::kAppId), "FWP_BYTE_BLOB_TYPE (application id)");
  EXPECT_EQ(field_type_name(FieldType::kSid), "FWP_SID");
  EXPECT_EQ(field_type_name(FieldType::kSecurityDescriptor), "FWP_SECURITY_DESCRIPTOR_TYPE");
  EXPECT_EQ(field_type_name(FieldType::kUnicodeString), "FWP_UNICODE_STRING_TYPE");
  EXPECT_EQ(field_type_name(FieldType::kTokenInformation), "FWP_TOKEN_INFORMATION_TYPE");
}

// ---- Discard twins --------------------------------------------------------------------------

TEST(DiscardLayer, AleAuthConnectV4AndItsDiscardLayerAreTwins) {
  EXPECT_EQ(discard_layer_of(LayerId::kAleAuthConnectV4),
            std::optional<LayerId>(LayerId::kAleAuthConnectV4Discard));
  EXPECT_EQ(non_discard_layer_of(LayerId::kAleAuthConnectV4Discard),
            std::optional<LayerId>(LayerId::kAleAuthConnectV4));
  EXPECT_TRUE(layer_info(LayerId::kAleAuthConnectV4Discard).is_discard);
  EXPECT_EQ(layer_info(LayerId::kAleAuthConnectV4Discard).family, Family::kV4);
}

TEST(DiscardLayer, ADiscardLayerHasNoDiscardTwinAndANormalLayerNoNormalTwin) {
  EXPECT_FALSE(discard_layer_of(LayerId::kAleAuthConnectV4Discard));
  EXPECT_FALSE(non_discard_layer_of(LayerId::kAleAuthConnectV4));
  EXPECT_FALSE(non_discard_layer_of(LayerId::kAleAuthConnectV6));
}

std::vector<std::string_view> without_reserved(std::span<const FieldId> fields) {
  std::vector<std::string_view> names;
  for (const FieldId field : fields) {
    const std::string_view name = field_info(field).wfp_name;
    if (!name.starts_with("FWPM_CONDITION_RESERVED")) names.push_back(name);
  }
  return names;
}

TEST(DiscardLayer, EveryTwinPairIsConsistentAndSharesItsFieldList) {
  for (const auto& layer : all_layers()) {
    SCOPED_TRACE(layer.wfp_name);
    if (auto discard = discard_layer_of(layer.id)) {
      const LayerInfo& twin = layer_info(*discard);
      EXPECT_FALSE(layer.is_discard);
      EXPECT_TRUE(twin.is_discard);
      EXPECT_EQ(twin.wfp_name, std::string(layer.wfp_name) + "_DISCARD");
      EXPECT_EQ(non_discard_layer_of(*discard), layer.id);
      EXPECT_EQ(twin.family, layer.family);
      // Same fields in the same order, except that Windows leaves the FWPM_CONDITION_RESERVED*
      // fields off some discard layers (ALE_AUTH_RECV_ACCEPT_V6_DISCARD has none of them).
      EXPECT_EQ(without_reserved(twin.fields), without_reserved(layer.fields));
    }
    if (auto normal = non_discard_layer_of(layer.id)) {
      EXPECT_TRUE(layer.is_discard);
      EXPECT_EQ(discard_layer_of(*normal), layer.id);
    }
  }
}

}  // namespace
}  // namespace openfwp::model
