// SPDX-License-Identifier: Apache-2.0
// Encodings netsh dumps come in, and line numbers of offsets.
#include "io/netsh/text_decoding.h"

#include <gtest/gtest.h>

namespace openfwp::io::netsh {
namespace {

TEST(DecodeDumpText, StripsTheUtf8Bom) {
  auto text = decode_dump_text("\xef\xbb\xbf<a/>", "f");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->utf8, "<a/>");
  EXPECT_EQ(text->encoding, TextEncoding::kUtf8Bom);
}

TEST(DecodeDumpText, DecodesUtf16BothByteOrdersWithAndWithoutBom) {
  const std::string le("\xff\xfe<\0\xe9\0/\0>\0", 10);
  const std::string be("\xfe\xff\0<\0\xe9\0/\0>", 10);
  const std::string le_no_bom("<\0\xe9\0/\0>\0", 8);
  for (const auto& [bytes, encoding] :
       {std::pair{le, TextEncoding::kUtf16LeBom}, std::pair{be, TextEncoding::kUtf16BeBom},
        std::pair{le_no_bom, TextEncoding::kUtf16Le}}) {
    auto text = decode_dump_text(bytes, "f");
    ASSERT_TRUE(text) << text.error().to_string();
    EXPECT_EQ(text->utf8, "<\xc3\xa9/>");  // U+00E9 in UTF-8
    EXPECT_EQ(text->encoding, encoding);
  }
}

TEST(DecodeDumpText, DecodesSurrogatePairs) {
  // U+1F600 = D83D DE00.
  auto text = decode_dump_text(std::string("\xff\xfe<\0\x3d\xd8\x00\xde", 8), "f");
  ASSERT_TRUE(text) << text.error().to_string();
  EXPECT_EQ(text->utf8, "<\xf0\x9f\x98\x80");
}

TEST(DecodeDumpText, RejectsBrokenUtf16WithTheLine) {
  auto unpaired = decode_dump_text(std::string("\xff\xfe<\0\n\0\x00\xde", 8), "f.xml");
  ASSERT_FALSE(unpaired);
  EXPECT_EQ(unpaired.error().where.line, 2U);
  EXPECT_NE(unpaired.error().message.find("unpaired UTF-16 low surrogate"), std::string::npos);
  auto odd = decode_dump_text(std::string("\xff\xfe<", 3), "f.xml");
  ASSERT_FALSE(odd);
  EXPECT_NE(odd.error().message.find("odd number of bytes"), std::string::npos);
}

TEST(DecodeDumpText, RejectsInvalidUtf8WithTheLine) {
  for (const std::string bad : {"a\n\n\xc0\xaf", "a\n\n\xed\xa0\x80", "a\n\n\xe2\x82"}) {
    auto text = decode_dump_text(bad, "f.xml");
    ASSERT_FALSE(text) << bad;
    EXPECT_EQ(text.error().where.line, 3U);
    EXPECT_NE(text.error().message.find("not valid UTF-8"), std::string::npos);
  }
}

TEST(LineIndex, LocatesOffsets) {
  const LineIndex index("ab\ncd\n\nef");
  EXPECT_EQ(index.locate("f", 0).line, 1U);
  EXPECT_EQ(index.locate("f", 1).column, 2U);
  EXPECT_EQ(index.locate("f", 3).line, 2U);
  EXPECT_EQ(index.locate("f", 6).line, 3U);
  EXPECT_EQ(index.locate("f", 7).line, 4U);
  EXPECT_EQ(index.locate("f", 7).column, 1U);
  EXPECT_EQ(index.locate("f", 100).line, 4U);
}

}  // namespace
}  // namespace openfwp::io::netsh
