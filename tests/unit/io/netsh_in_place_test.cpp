// SPDX-License-Identifier: Apache-2.0
// The import parses the dump in place (pugixml writes terminators and unescaped text into it)
// and takes the file's bytes without copying: line numbers must still be the source's, with
// CRLF line ends, entities and CDATA before the line in question, and the owning decoder must
// agree with the copying one.
#include "io/netsh/netsh_import.h"
#include "io/netsh/text_decoding.h"
#include "io/policy/policy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace openfwp::io::netsh {
namespace {

// A show-filters dump of two filters; the first one's name and description hold entities and
// CDATA (which the in-place parse rewrites shorter), the second is where errors go.
std::string dump(std::string_view second_filter_id, std::string_view line_end) {
  std::string text =
      "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<wfpdiag>\n"
      "\t<filters numItems=\"2\">\n";
  for (const std::string_view id : {std::string_view("70001"), second_filter_id}) {
    text +=
        "\t\t<item>\n"
        "\t\t\t<filterKey>{2d68f302-3473-400e-9a0f-ac1ce00d96" +
        std::string(id.substr(id.size() - 2)) +
        "}</filterKey>\n"
        "\t\t\t<displayData>\n"
        "\t\t\t\t<name>Block &amp; log &lt;telnet&gt;</name>\n"
        "\t\t\t\t<description><![CDATA[a <b> & c]]></description>\n"
        "\t\t\t</displayData>\n"
        "\t\t\t<flags/>\n"
        "\t\t\t<providerKey/>\n"
        "\t\t\t<providerData/>\n"
        "\t\t\t<layerKey>FWPM_LAYER_ALE_AUTH_CONNECT_V4</layerKey>\n"
        "\t\t\t<subLayerKey>FWPM_SUBLAYER_UNIVERSAL</subLayerKey>\n"
        "\t\t\t<weight>\n"
        "\t\t\t\t<type>FWP_UINT64</type>\n"
        "\t\t\t\t<uint64>7</uint64>\n"
        "\t\t\t</weight>\n"
        "\t\t\t<filterCondition/>\n"
        "\t\t\t<action>\n"
        "\t\t\t\t<type>FWP_ACTION_BLOCK</type>\n"
        "\t\t\t\t<filterType/>\n"
        "\t\t\t</action>\n"
        "\t\t\t<rawContext>0</rawContext>\n"
        "\t\t\t<reserved/>\n"
        "\t\t\t<filterId>" +
        std::string(id) +
        "</filterId>\n"
        "\t\t\t<effectiveWeight>\n"
        "\t\t\t\t<type>FWP_UINT64</type>\n"
        "\t\t\t\t<uint64>7</uint64>\n"
        "\t\t\t</effectiveWeight>\n"
        "\t\t</item>\n";
  }
  text += "\t</filters>\n\t<providers/>\n</wfpdiag>\n";
  std::string out;
  for (const char c : text) {
    if (c == '\n') {
      out += line_end;
    } else {
      out += c;
    }
  }
  return out;
}

// 1-based line of the last occurrence of `needle`.
std::uint32_t line_of_last(const std::string& text, std::string_view needle) {
  const auto at = text.rfind(needle);
  return static_cast<std::uint32_t>(
      1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

TEST(NetshInPlace, ErrorLinesAreTheSourcesAfterEntitiesCdataAndCrlf) {
  for (const std::string_view line_end : {"\n", "\r\n"}) {
    const std::string text = dump("x70002", line_end);
    auto result = import_netsh(text, "crlf.xml");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().where.line, line_of_last(text, "<filterId>"))
        << result.error().to_string();
    EXPECT_NE(result.error().message.find("x70002"), std::string::npos)
        << result.error().to_string();
  }
}

TEST(NetshInPlace, TextWithEntitiesAndCdataIsKept) {
  auto result = import_netsh(dump("70002", "\r\n"), "crlf.xml");
  ASSERT_TRUE(result) << result.error().to_string();
  ASSERT_EQ(result->policy.filters.size(), 2U);
  for (const auto& f : result->policy.filters) {
    EXPECT_EQ(f.name, "Block & log <telnet>");
    EXPECT_EQ(f.description, "a <b> & c");
  }
}

TEST(NetshInPlace, FileImportEqualsImportOfTheBytes) {
  const std::string text = dump("70002", "\n");
  const auto path = std::filesystem::temp_directory_path() /
                    ("openfwp_netsh_in_place_" +
                     std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + ".xml");
  std::ofstream(path, std::ios::binary) << text;
  auto from_file = import_netsh_file(path.string());
  auto from_bytes = import_netsh(text, path.string());
  std::filesystem::remove(path);
  ASSERT_TRUE(from_file) << from_file.error().to_string();
  ASSERT_TRUE(from_bytes) << from_bytes.error().to_string();
  EXPECT_EQ(from_file->report.encoding, TextEncoding::kUtf8Bom);
  EXPECT_EQ(policy::print_policy(from_file->policy), policy::print_policy(from_bytes->policy));
}

TEST(DecodeDumpTextOwned, AgreesWithTheCopyingDecoder) {
  for (const std::string& bytes :
       {std::string("\xef\xbb\xbf<a>\xc3\xa9</a>"), std::string("<a/>"),
        std::string("\xff\xfe<\0/\0>\0", 8), std::string("0123456789abcdef\n01234\xff")}) {
    auto copied = decode_dump_text(bytes, "f");
    auto owned = decode_dump_text_owned(bytes, "f");
    ASSERT_EQ(copied.has_value(), owned.has_value());
    if (copied) {
      EXPECT_EQ(copied->utf8, owned->utf8);
      EXPECT_EQ(copied->encoding, owned->encoding);
    } else {
      EXPECT_EQ(copied.error().to_string(), owned.error().to_string());
    }
  }
}

TEST(DecodeDumpText, FindsInvalidUtf8PastLongAsciiRunsWithTheLine) {
  // The check skips ASCII eight bytes at a time; the bad byte is at each offset of a chunk.
  for (std::size_t prefix = 16; prefix < 25; ++prefix) {
    const std::string bytes = std::string(prefix, 'a') + "\n\n" + std::string(prefix, 'b') + "\xc3";
    auto text = decode_dump_text(bytes, "u.xml");
    ASSERT_FALSE(text) << prefix;
    EXPECT_EQ(text.error().where.line, 3U) << text.error().to_string();
  }
}

// Found by netsh_fuzz: the verbatim XML of an unsupported object is printed as a YAML block
// scalar, and brackets in it must not count as nesting when the policy is read back.
TEST(NetshInPlace, UnsupportedXmlWithManyBracketsRoundTrips) {
  std::string text = dump("70002", "\n");
  const std::string layer = "<layerKey>FWPM_LAYER_ALE_AUTH_CONNECT_V4</layerKey>";
  text.replace(text.rfind(layer), layer.size(),
               "<layerKey>{29243af8-0000-4b2d-9d6a-000000000001}</layerKey>");
  text.replace(text.rfind("a <b> & c"), 1, std::string(200, '['));
  auto result = import_netsh(text, "brackets.xml");
  ASSERT_TRUE(result) << result.error().to_string();
  ASSERT_EQ(result->policy.unsupported.size(), 1U);
  const std::string printed = policy::print_policy(result->policy);
  auto reparsed = policy::parse_policy(printed, "printed.yaml");
  ASSERT_TRUE(reparsed) << reparsed.error().to_string();
  EXPECT_EQ(policy::print_policy(*reparsed), printed);
}

TEST(NetshInPlace, NestingAfterABlockScalarIsStillBounded) {
  const std::string deep = "b: " + std::string(100, '[') + std::string(100, ']') + "\n";
  for (const std::string& text : {"a: |\n  [[[[ text\n" + deep, "- x: >-\n    [[[\n" + deep}) {
    auto parsed = policy::parse_policy(text, "deep.yaml");
    ASSERT_FALSE(parsed) << text;
    EXPECT_NE(parsed.error().message.find("levels deep"), std::string::npos)
        << parsed.error().to_string();
  }
}

}  // namespace
}  // namespace openfwp::io::netsh
