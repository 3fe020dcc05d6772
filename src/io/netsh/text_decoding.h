// SPDX-License-Identifier: Apache-2.0
// The encodings netsh writes its XML dumps in (UTF-8 with a BOM from `netsh wfp show …`, UTF-16
// with a BOM when the output was redirected by PowerShell or saved by Notepad), turned into one
// UTF-8 text, and line numbers for byte offsets into it, so that every error names a line.
#pragma once

#include "common/result.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace openfwp::io::netsh {

enum class TextEncoding { kUtf8, kUtf8Bom, kUtf16LeBom, kUtf16BeBom, kUtf16Le, kUtf16Be };

/// "UTF-8", "UTF-8 with BOM", "UTF-16LE with BOM", …
std::string_view encoding_name(TextEncoding encoding);

struct DecodedText {
  std::string utf8;  ///< without the BOM
  TextEncoding encoding = TextEncoding::kUtf8;
};

/// Detects the encoding from the BOM (or, without one, from a leading '<' in UTF-16) and
/// decodes to UTF-8. Errors (kParse) name `file`, the line and what is wrong: an odd byte count
/// in UTF-16, an unpaired surrogate, a byte sequence that is not UTF-8. Line breaks are kept,
/// so line numbers in the result are the source's line numbers.
Result<DecodedText> decode_dump_text(std::string_view bytes, std::string_view file);
/// The same, taking the bytes: UTF-8 input becomes the result without a copy.
Result<DecodedText> decode_dump_text_owned(std::string bytes, std::string_view file);

/// Appends `code_point` (a Unicode scalar value, not a surrogate) to `out` as UTF-8.
void append_utf8(std::string& out, std::uint32_t code_point);

/// Line and column (1-based; the column counts bytes) of byte offsets into one text.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  /// For an offset past the end, the position just after the last byte.
  SourceLocation locate(std::string_view file, std::size_t offset) const;
  std::size_t line_count() const { return line_starts_.size(); }

 private:
  std::vector<std::size_t> line_starts_;  // offset of the first byte of each line
};

}  // namespace openfwp::io::netsh
