// SPDX-License-Identifier: Apache-2.0
// BOM detection, UTF-16 → UTF-8, UTF-8 validation, and the line index.
#include "io/netsh/text_decoding.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace openfwp::io::netsh {
namespace {

Error decode_error(std::string_view file, std::uint32_t line, std::string message) {
  return Error{ErrorCode::kParse, std::move(message), SourceLocation{std::string(file), line, 0}};
}

Result<std::string> utf16_to_utf8(std::string_view bytes, bool big_endian, std::string_view file) {
  if (bytes.size() % 2 != 0) {
    return tl::unexpected(decode_error(
        file, 0,
        fmt::format("UTF-16 text has an odd number of bytes ({}): the file is truncated or "
                    "not UTF-16",
                    bytes.size())));
  }
  std::string out;
  out.reserve(bytes.size() / 2);
  std::uint32_t line = 1;
  auto unit_at = [&](std::size_t i) -> std::uint32_t {
    const auto a = static_cast<std::uint8_t>(bytes[i]);
    const auto b = static_cast<std::uint8_t>(bytes[i + 1]);
    return big_endian ? (std::uint32_t{a} << 8) | b : (std::uint32_t{b} << 8) | a;
  };
  for (std::size_t i = 0; i < bytes.size(); i += 2) {
    std::uint32_t unit = unit_at(i);
    if (unit == '\n') ++line;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      if (i + 2 >= bytes.size()) {
        return tl::unexpected(decode_error(file, line, "UTF-16 text ends inside a surrogate pair"));
      }
      const std::uint32_t low = unit_at(i + 2);
      if (low < 0xdc00 || low > 0xdfff) {
        return tl::unexpected(decode_error(
            file, line,
            fmt::format("UTF-16 high surrogate {:#06x} is not followed by a low one", unit)));
      }
      unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
      i += 2;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return tl::unexpected(
          decode_error(file, line, fmt::format("unpaired UTF-16 low surrogate {:#06x}", unit)));
    }
    append_utf8(out, unit);
  }
  return out;
}

// Length of the UTF-8 sequence starting at `text[i]`, or 0 if it is not well-formed.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto lead = static_cast<std::uint8_t>(text[i]);
  std::size_t length = 0;
  std::uint32_t min = 0;
  if (lead < 0x80) return 1;
  if ((lead & 0xe0) == 0xc0) {
    length = 2;
    min = 0x80;
  } else if ((lead & 0xf0) == 0xe0) {
    length = 3;
    min = 0x800;
  } else if ((lead & 0xf8) == 0xf0) {
    length = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  std::uint32_t code_point = lead & (0x7fU >> length);
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<std::uint8_t>(text[i + k]);
    if ((next & 0xc0) != 0x80) return 0;
    code_point = (code_point << 6) | (next & 0x3fU);
  }
  if (code_point < min || code_point > 0x10ffff || (code_point >= 0xd800 && code_point <= 0xdfff)) {
    return 0;
  }
  return length;
}

std::uint32_t line_of(std::string_view text, std::size_t offset) {
  return static_cast<std::uint32_t>(
      1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

Result<void> check_utf8(std::string_view text, std::string_view file) {
  // Dumps are almost all ASCII: skip eight ASCII bytes at a time, decode only the rest. The
  // line is counted only for the error.
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  for (std::size_t i = 0; i < text.size();) {
    if (i + 8 <= text.size()) {
      std::uint64_t chunk = 0;
      std::memcpy(&chunk, text.data() + i, sizeof chunk);
      if ((chunk & kHighBits) == 0) {
        i += 8;
        continue;
      }
    }
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      return tl::unexpected(decode_error(
          file, line_of(text, i),
          fmt::format("byte {:#04x} at offset {} is not valid UTF-8 (netsh writes UTF-8 or "
                      "UTF-16 with a byte order mark)",
                      static_cast<std::uint8_t>(text[i]), i)));
    }
    i += length;
  }
  return {};
}

}  // namespace

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xc0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3f));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xe0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (code_point & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (code_point & 0x3f));
  }
}

std::string_view encoding_name(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kUtf8:
      return "UTF-8";
    case TextEncoding::kUtf8Bom:
      return "UTF-8 with BOM";
    case TextEncoding::kUtf16LeBom:
      return "UTF-16LE with BOM";
    case TextEncoding::kUtf16BeBom:
      return "UTF-16BE with BOM";
    case TextEncoding::kUtf16Le:
      return "UTF-16LE";
    case TextEncoding::kUtf16Be:
      return "UTF-16BE";
  }
  return "?";
}

Result<DecodedText> decode_dump_text(std::string_view bytes, std::string_view file) {
  return decode_dump_text_owned(std::string(bytes), file);
}

Result<DecodedText> decode_dump_text_owned(std::string bytes, std::string_view file) {
  DecodedText decoded;
  const std::string_view view(bytes);
  auto starts_with = [&](std::string_view prefix) {
    return view.substr(0, prefix.size()) == prefix;
  };
  if (starts_with("\xef\xbb\xbf")) {
    decoded.encoding = TextEncoding::kUtf8Bom;
    bytes.erase(0, 3);
    decoded.utf8 = std::move(bytes);
  } else if (starts_with("\xff\xfe")) {
    decoded.encoding = TextEncoding::kUtf16LeBom;
    OPENFWP_TRY(decoded.utf8, utf16_to_utf8(view.substr(2), false, file));
  } else if (starts_with("\xfe\xff")) {
    decoded.encoding = TextEncoding::kUtf16BeBom;
    OPENFWP_TRY(decoded.utf8, utf16_to_utf8(view.substr(2), true, file));
  } else if (starts_with(std::string_view("<\0", 2))) {
    decoded.encoding = TextEncoding::kUtf16Le;
    OPENFWP_TRY(decoded.utf8, utf16_to_utf8(view, false, file));
  } else if (starts_with(std::string_view("\0<", 2))) {
    decoded.encoding = TextEncoding::kUtf16Be;
    OPENFWP_TRY(decoded.utf8, utf16_to_utf8(view, true, file));
  } else {
    decoded.encoding = TextEncoding::kUtf8;
    decoded.utf8 = std::move(bytes);
  }
  if (decoded.encoding == TextEncoding::kUtf8 || decoded.encoding == TextEncoding::kUtf8Bom) {
    OPENFWP_TRY_VOID(check_utf8(decoded.utf8, file));
  }
  return decoded;
}

LineIndex::LineIndex(std::string_view text) {
  line_starts_.reserve(text.size() / 32 + 1);  // netsh lines are ~40 bytes
  line_starts_.push_back(0);
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  for (const char* p = begin; p != end;) {
    const auto* newline =
        static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (newline == nullptr) break;
    line_starts_.push_back(static_cast<std::size_t>(newline - begin) + 1);
    p = newline + 1;
  }
}

SourceLocation LineIndex::locate(std::string_view file, std::size_t offset) const {
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<std::size_t>(it - line_starts_.begin());  // >= 1
  const std::size_t column = offset - line_starts_[line - 1] + 1;
  return SourceLocation{std::string(file), static_cast<std::uint32_t>(line),
                        static_cast<std::uint32_t>(column)};
}

}  // namespace openfwp::io::netsh
