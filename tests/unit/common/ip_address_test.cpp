// SPDX-License-Identifier: Apache-2.0
// IPv4/IPv6 addresses and prefixes: text forms (including netsh's dotted masks), host-bit
// masking, the contiguous-mask rule and containment at the /0 and full-length edges.
#include "common/ip_address.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace openfwp {
namespace {

Ipv6Address v6(std::string_view text) {
  auto address = parse_ipv6(text);
  EXPECT_TRUE(address) << text;
  return address.value_or(Ipv6Address{});
}

// ---- IPv4 addresses -------------------------------------------------------------------------

TEST(Ipv4Address, ParsesDottedQuadInHostOrder) {
  EXPECT_EQ(parse_ipv4("192.168.1.2"), std::optional<Ipv4Address>(0xc0a80102U));
  EXPECT_EQ(parse_ipv4("0.0.0.0"), std::optional<Ipv4Address>(0U));
  EXPECT_EQ(parse_ipv4("255.255.255.255"), std::optional<Ipv4Address>(0xffffffffU));
  EXPECT_EQ(parse_ipv4("198.18.0.1"), std::optional<Ipv4Address>(0xc6120001U));
}

TEST(Ipv4Address, RejectsMalformedText) {
  const std::vector<std::string_view> texts = {
      "",        "1.2.3",    "1.2.3.4.5", "256.1.1.1",          "1.2.3.-1",
      "a.b.c.d", " 1.2.3.4", "1.2.3.4 ",  "1.2.3.4/8",          "::1",
      "1..2.3",  "1.2.3.4.", "0x1.2.3.4", "1111.2222.3333.4444"};
  for (auto text : texts) {
    EXPECT_FALSE(parse_ipv4(text)) << '"' << text << '"';
  }
}

TEST(Ipv4Address, RejectsTextWithEmbeddedNul) {
  EXPECT_FALSE(parse_ipv4(std::string_view("1.2.3.4\0junk", 12)));
  EXPECT_FALSE(parse_ipv6(std::string_view("::1\0junk", 8)));
}

TEST(Ipv4Address, FormatsDottedQuadAndRoundTrips) {
  EXPECT_EQ(format_ipv4(0xc0a80102U), "192.168.1.2");
  EXPECT_EQ(format_ipv4(0U), "0.0.0.0");
  EXPECT_EQ(format_ipv4(0xffffffffU), "255.255.255.255");
  for (auto text : {"10.0.0.1", "198.18.255.254", "1.2.3.4"}) {
    auto address = parse_ipv4(text);
    ASSERT_TRUE(address);
    EXPECT_EQ(format_ipv4(*address), text);
  }
}

// ---- IPv6 addresses -------------------------------------------------------------------------

TEST(Ipv6Address, ParsesIntoNetworkOrderBytes) {
  const Ipv6Address expected{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};
  EXPECT_EQ(parse_ipv6("2001:db8::1"), std::optional<Ipv6Address>(expected));
  EXPECT_EQ(parse_ipv6("2001:0DB8:0:0:0:0:0:1"), std::optional<Ipv6Address>(expected));
  EXPECT_EQ(parse_ipv6("::"), std::optional<Ipv6Address>(Ipv6Address{}));
  const Ipv6Address mapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4};
  EXPECT_EQ(parse_ipv6("::ffff:1.2.3.4"), std::optional<Ipv6Address>(mapped));
}

TEST(Ipv6Address, RejectsMalformedText) {
  const std::vector<std::string_view> texts = {
      "",
      ":::",
      "2001:db8::g",
      "1.2.3.4",
      "2001:db8::1::2",
      "1:2:3:4:5:6:7:8:9",
      "2001:db8::/32",
      " ::1",
      "0000:0000:0000:0000:0000:0000:0000:0000:0000",  // too long for any address
  };
  for (auto text : texts) {
    EXPECT_FALSE(parse_ipv6(text)) << '"' << text << '"';
  }
}

TEST(Ipv6Address, FormatsCompressedLowerCase) {
  EXPECT_EQ(format_ipv6(v6("2001:0DB8:0000:0000:0000:0000:0000:0001")), "2001:db8::1");
  EXPECT_EQ(format_ipv6(Ipv6Address{}), "::");
  EXPECT_EQ(format_ipv6(v6("::1")), "::1");
}

// ---- IPv4 prefixes --------------------------------------------------------------------------

struct V4PrefixCase {
  std::string_view text;
  Ipv4Address address;
  std::uint8_t length;
};

TEST(Ipv4Prefix, ParsesLengthAndDottedMaskFormsAndMasksHostBits) {
  const std::vector<V4PrefixCase> cases = {
      {"10.0.0.0/8", 0x0a000000U, 8},
      {"10.1.2.3/8", 0x0a000000U, 8},  // host bits are dropped, as WFP does
      {"10.1.2.3", 0x0a010203U, 32},   // a bare address is a /32
      {"10.1.2.3/32", 0x0a010203U, 32},
      {"1.2.3.4/0", 0U, 0},
      {"255.255.255.255/1", 0x80000000U, 1},
      {"10.1.2.3/31", 0x0a010202U, 31},
      {"10.0.0.0/255.0.0.0", 0x0a000000U, 8},
      {"10.1.2.3/255.255.128.0", 0x0a010000U, 17},
      {"10.1.2.3/255.255.255.255", 0x0a010203U, 32},
      {"10.1.2.3/0.0.0.0", 0U, 0},
      {"10.1.2.3/08", 0x0a000000U, 8},
  };
  for (const auto& c : cases) {
    auto prefix = parse_ipv4_prefix(c.text);
    ASSERT_TRUE(prefix) << c.text;
    EXPECT_EQ(prefix->address, c.address) << c.text;
    EXPECT_EQ(prefix->length, c.length) << c.text;
  }
}

TEST(Ipv4Prefix, RejectsBadLengthsAndNonContiguousMasks) {
  const std::vector<std::string_view> texts = {"10.0.0.0/33",
                                               "10.0.0.0/",
                                               "10.0.0.0/-1",
                                               "10.0.0.0/+8",
                                               "10.0.0.0/8x",
                                               "10.0.0.0/8/8",
                                               "/8",
                                               "10.0.0/8",
                                               "10.0.0.0/ 8",
                                               "10.0.0.0/255.0.255.0",    // holes in the mask
                                               "10.0.0.0/0.255.255.255",  // inverted mask
                                               "10.0.0.0/255.255.255.254.0",
                                               "2001:db8::/32"};
  for (auto text : texts) {
    EXPECT_FALSE(parse_ipv4_prefix(text)) << '"' << text << '"';
  }
}

TEST(Ipv4Prefix, MaskToLengthAcceptsOnlyContiguousMasks) {
  EXPECT_EQ(ipv4_mask_to_length(0x00000000U), std::optional<std::uint8_t>(0));
  EXPECT_EQ(ipv4_mask_to_length(0x80000000U), std::optional<std::uint8_t>(1));
  EXPECT_EQ(ipv4_mask_to_length(0xff000000U), std::optional<std::uint8_t>(8));
  EXPECT_EQ(ipv4_mask_to_length(0xffff8000U), std::optional<std::uint8_t>(17));
  EXPECT_EQ(ipv4_mask_to_length(0xfffffffeU), std::optional<std::uint8_t>(31));
  EXPECT_EQ(ipv4_mask_to_length(0xffffffffU), std::optional<std::uint8_t>(32));
  for (Ipv4Address bad : {0xff00ff00U, 0x00ffffffU, 0x00000001U, 0x7fffffffU, 0xfffffffdU}) {
    EXPECT_FALSE(ipv4_mask_to_length(bad)) << std::hex << bad;
  }
}

TEST(Ipv4Prefix, ContainsAddressesInsideAndNotOutside) {
  const Ipv4Prefix ten{0x0a000000U, 8};
  EXPECT_TRUE(ten.contains(0x0a000000U));
  EXPECT_TRUE(ten.contains(0x0affffffU));
  EXPECT_FALSE(ten.contains(0x09ffffffU));
  EXPECT_FALSE(ten.contains(0x0b000000U));
}

TEST(Ipv4Prefix, SlashZeroContainsEverything) {
  const Ipv4Prefix all{0U, 0};
  for (Ipv4Address a : {0U, 1U, 0x7fffffffU, 0x80000000U, 0xffffffffU}) {
    EXPECT_TRUE(all.contains(a)) << a;
  }
}

TEST(Ipv4Prefix, SlashThirtyTwoContainsOnlyItself) {
  const Ipv4Prefix host{0x0a000001U, 32};
  EXPECT_TRUE(host.contains(0x0a000001U));
  EXPECT_FALSE(host.contains(0x0a000000U));
  EXPECT_FALSE(host.contains(0x0a000002U));
  EXPECT_FALSE(host.contains(0x8a000001U));
}

TEST(Ipv4Prefix, ContainsIgnoresHostBitsOfAHandBuiltPrefix) {
  const Ipv4Prefix unmasked{0x0a010203U, 8};
  EXPECT_TRUE(unmasked.contains(0x0a090909U));
  EXPECT_FALSE(unmasked.contains(0x0b010203U));
}

TEST(Ipv4Prefix, FormatsBareAddressForSingleHostElseSlashLength) {
  EXPECT_EQ(format_ipv4_prefix(Ipv4Prefix{0x0a000001U, 32}), "10.0.0.1");
  EXPECT_EQ(format_ipv4_prefix(Ipv4Prefix{0x0a000000U, 8}), "10.0.0.0/8");
  EXPECT_EQ(format_ipv4_prefix(Ipv4Prefix{0U, 0}), "0.0.0.0/0");
}

TEST(Ipv4Prefix, CanonicalTextRoundTrips) {
  for (auto text : {"10.0.0.0/8", "198.18.0.0/15", "0.0.0.0/0", "10.0.0.1", "10.1.2.2/31"}) {
    auto prefix = parse_ipv4_prefix(text);
    ASSERT_TRUE(prefix) << text;
    EXPECT_EQ(format_ipv4_prefix(*prefix), text);
    EXPECT_EQ(parse_ipv4_prefix(format_ipv4_prefix(*prefix)), prefix);
  }
}

// ---- IPv6 prefixes --------------------------------------------------------------------------

TEST(Ipv6Prefix, ParsesLengthAndMasksHostBits) {
  auto p = parse_ipv6_prefix("2001:db8::1/32");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->address, v6("2001:db8::"));
  EXPECT_EQ(p->length, 32);

  auto partial_byte = parse_ipv6_prefix("2001:db8:ffff::/33");
  ASSERT_TRUE(partial_byte);
  EXPECT_EQ(partial_byte->address, v6("2001:db8:8000::"));

  auto all = parse_ipv6_prefix("2001:db8::1/0");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->address, Ipv6Address{});
  EXPECT_EQ(all->length, 0);

  auto host = parse_ipv6_prefix("2001:db8::1/128");
  ASSERT_TRUE(host);
  EXPECT_EQ(host->address, v6("2001:db8::1"));
  EXPECT_EQ(host->length, 128);

  auto bare = parse_ipv6_prefix("2001:db8::1");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->length, 128);
}

TEST(Ipv6Prefix, RejectsBadLengths) {
  for (auto text : {"::1/129", "::1/", "::1/-1", "::1/ff", "::1/64x", "::1/ffff::", "/64",
                    "10.0.0.0/8", "2001:db8::/32/1"}) {
    EXPECT_FALSE(parse_ipv6_prefix(text)) << text;
  }
}

TEST(Ipv6Prefix, ContainsRespectsPartialByteBoundary) {
  const Ipv6Prefix p{v6("2001:db8:8000::"), 33};
  EXPECT_TRUE(p.contains(v6("2001:db8:8000::1")));
  EXPECT_TRUE(p.contains(v6("2001:db8:ffff:ffff::")));
  EXPECT_FALSE(p.contains(v6("2001:db8:7fff:ffff::")));
  EXPECT_FALSE(p.contains(v6("2001:db9:8000::")));
}

TEST(Ipv6Prefix, SlashZeroContainsEverythingAndSlash128OnlyItself) {
  const Ipv6Prefix all{Ipv6Address{}, 0};
  EXPECT_TRUE(all.contains(v6("::")));
  EXPECT_TRUE(all.contains(v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
  const Ipv6Prefix host{v6("2001:db8::1"), 128};
  EXPECT_TRUE(host.contains(v6("2001:db8::1")));
  EXPECT_FALSE(host.contains(v6("2001:db8::")));
  EXPECT_FALSE(host.contains(v6("2001:db8::1:1")));
}

TEST(Ipv6Prefix, FormatsBareAddressForSingleHostElseSlashLength) {
  EXPECT_EQ(format_ipv6_prefix(Ipv6Prefix{v6("2001:db8::1"), 128}), "2001:db8::1");
  EXPECT_EQ(format_ipv6_prefix(Ipv6Prefix{v6("2001:db8::"), 32}), "2001:db8::/32");
  EXPECT_EQ(format_ipv6_prefix(Ipv6Prefix{Ipv6Address{}, 0}), "::/0");
}

TEST(Ipv6Prefix, CanonicalTextRoundTrips) {
  for (auto text : {"2001:db8::/32", "::/0", "2001:db8::1", "fe80::/10", "2001:db8:8000::/33"}) {
    auto prefix = parse_ipv6_prefix(text);
    ASSERT_TRUE(prefix) << text;
    EXPECT_EQ(format_ipv6_prefix(*prefix), text);
  }
}

}  // namespace
}  // namespace openfwp
