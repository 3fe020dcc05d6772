// SPDX-License-Identifier: Apache-2.0
// IncomingValues: one slot per field of the layer, typed by the layer's incoming types; unset
// slots are FWP_EMPTY.
#include "model/incoming_values.h"

#include "support/catalog_search.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <variant>

namespace openfwp::model {
namespace {

TEST(IncomingValues, HasOneEmptySlotPerFieldOfTheLayer) {
  const IncomingValues in(LayerId::kAleAuthConnectV4);
  EXPECT_EQ(in.layer(), LayerId::kAleAuthConnectV4);
  ASSERT_EQ(in.size(), layer_info(LayerId::kAleAuthConnectV4).fields.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    EXPECT_TRUE(std::holds_alternative<std::monostate>(in.at(i))) << i;
  }
}

TEST(IncomingValues, SetStoresAValueOfTheFieldsIncomingType) {
  IncomingValues in(LayerId::kAleAuthConnectV4);
  ASSERT_TRUE(in.set(FieldId::kIpRemotePort, std::uint16_t{443}));
  const Value* port = in.get(FieldId::kIpRemotePort);
  ASSERT_NE(port, nullptr);
  EXPECT_EQ(*port, Value{std::uint16_t{443}});
  EXPECT_EQ(in.at(*field_index(LayerId::kAleAuthConnectV4, FieldId::kIpRemotePort)),
            Value{std::uint16_t{443}});
}

TEST(IncomingValues, UnsetFieldsReadAsEmpty) {
  IncomingValues in(LayerId::kAleAuthConnectV4);
  in.set(FieldId::kIpRemotePort, std::uint16_t{443});
  const Value* protocol = in.get(FieldId::kIpProtocol);
  ASSERT_NE(protocol, nullptr);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(*protocol));
}

TEST(IncomingValues, SetRejectsAValueOfAnotherTypeAndKeepsTheOldOne) {
  IncomingValues in(LayerId::kAleAuthConnectV4);
  ASSERT_TRUE(in.set(FieldId::kIpRemotePort, std::uint16_t{80}));
  EXPECT_FALSE(in.set(FieldId::kIpRemotePort, std::uint32_t{80}));
  EXPECT_FALSE(in.set(FieldId::kIpRemotePort, std::uint8_t{80}));
  EXPECT_FALSE(in.set(FieldId::kIpRemotePort, Value{}));
  EXPECT_EQ(*in.get(FieldId::kIpRemotePort), Value{std::uint16_t{80}});
}

TEST(IncomingValues, AddressIsUint32AtV4AndByteArray16AtV6) {
  IncomingValues v4(LayerId::kAleAuthConnectV4);
  EXPECT_TRUE(v4.set(FieldId::kIpRemoteAddress, std::uint32_t{0x0a000001}));
  EXPECT_FALSE(v4.set(FieldId::kIpRemoteAddress, ByteArray16{}));

  IncomingValues v6(LayerId::kAleAuthConnectV6);
  EXPECT_TRUE(v6.set(FieldId::kIpRemoteAddress, ByteArray16{0x20, 0x01}));
  EXPECT_FALSE(v6.set(FieldId::kIpRemoteAddress, std::uint32_t{0x0a000001}));
}

TEST(IncomingValues, UserIdentityIsSetAsTheUsersSid) {
  // value.h: "For the user-identity fields the incoming value is the user's Sid".
  IncomingValues in(LayerId::kAleAuthConnectV4);
  EXPECT_TRUE(in.set(FieldId::kAleUserId, Sid{"S-1-5-18"}));
  EXPECT_EQ(*in.get(FieldId::kAleUserId), Value{Sid{"S-1-5-18"}});
}

TEST(IncomingValues, FieldNotOnTheLayerCannotBeSetOrRead) {
  auto missing = openfwp::testing::find_field_missing_from_a_layer();
  if (!missing) {
    GTEST_SKIP() << "needs a layer that lacks a catalogued field (full catalog)";
  }
  IncomingValues in(missing->layer);
  EXPECT_EQ(in.get(missing->field), nullptr);
  EXPECT_FALSE(in.set(missing->field, std::uint16_t{1}));
}

}  // namespace
}  // namespace openfwp::model
