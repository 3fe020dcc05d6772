// SPDX-License-Identifier: Apache-2.0
#include "io/yaml/yaml_input.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

namespace openfwp::io {
namespace {

// yaml-cpp parses recursively; a few thousand nested flow collections or block sequences
// ("- - - - …") exhaust the stack. Real policies nest five levels deep, so a generous fixed
// bound costs nothing and turns a crash on hostile input into an error.
constexpr int kMaxNesting = 64;

// Where the nesting first goes deeper than `limit` (depth 0 if it never does). Counts flow
// collections ([ and { outside quotes, comments and block scalars) plus the block-sequence dashes
// opening the line: an upper bound on yaml-cpp's recursion for that input. A block scalar (`|`
// or `>` after a key or dash, ending its line) is text: its lines, those indented more than
// the node that holds it, are skipped (an imported dump's verbatim XML may hold any brackets).
struct NestingProbe {
  int depth = 0;
  std::uint32_t line = 1;
  std::uint32_t column = 1;
};

NestingProbe first_too_deep(std::string_view text, int limit) {
  NestingProbe worst;
  int flow = 0;
  char quote = 0;
  bool comment = false;
  bool line_start = true;
  int dashes = 0;
  std::size_t node_indent = 0;              // column of this line's first key or scalar
  std::optional<std::size_t> block_indent;  // inside a block scalar held at this indent
  std::uint32_t line = 1;
  std::uint32_t column = 0;
  for (std::size_t i = 0; i < text.size() && worst.depth == 0; ++i) {
    if (column == 0 && block_indent && quote == 0) {
      const std::size_t end = std::min(text.find('\n', i), text.size());
      const std::size_t first = std::min(text.find_first_not_of(' ', i), end);
      if (first == end || first - i > *block_indent) {
        // A line of the block scalar, or a blank one: on to its line break.
        if (end == text.size()) break;
        i = end;
      } else {
        block_indent.reset();
      }
    }
    const char c = text[i];
    ++column;
    auto note = [&](int depth) {
      if (depth > limit && worst.depth == 0) worst = {depth, line, column};
    };
    if (c == '\n') {
      ++line;
      column = 0;
      comment = false;
      line_start = true;
      dashes = 0;
      continue;  // a quoted scalar may go on over several lines: `quote` stays set
    }
    if (comment) continue;
    if (quote != 0) {
      if (c == '\\' && quote == '"') {
        ++i;
        ++column;
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (line_start) {
      if (c == '-' && i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\t')) {
        note(++dashes + flow);
        continue;
      }
      if (c != ' ' && c != '\t') {
        line_start = false;
        node_indent = column - 1;
      }
    }
    switch (c) {
      case '#':
        comment = true;
        break;
      case '\'':
      case '"':
        quote = c;
        break;
      case '[':
      case '{':
        note(++flow + dashes);
        break;
      case ']':
      case '}':
        flow = std::max(0, flow - 1);
        break;
      case '|':
      case '>': {
        // A block scalar's indicator: after "key:" or "-" (or alone), then only chomping and
        // indentation indicators up to the end of the line or a comment.
        if (flow != 0) break;
        const std::size_t before = text.find_last_not_of(" \t", i == 0 ? 0 : i - 1);
        const bool after_key_or_dash = i == 0 || before == std::string_view::npos ||
                                       text[before] == ':' || text[before] == '-' ||
                                       text[before] == '\n';
        std::size_t k = i + 1;
        while (k < text.size() &&
               (text[k] == '-' || text[k] == '+' || (text[k] >= '0' && text[k] <= '9'))) {
          ++k;
        }
        while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) ++k;
        const bool ends_line = k == text.size() || text[k] == '\n' || text[k] == '#';
        if (after_key_or_dash && ends_line) block_indent = node_indent;
        break;
      }
      default:
        break;
    }
  }
  return worst;
}

}  // namespace

SourceLocation YamlSource::at(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {file, 0, 0};
  return {file, static_cast<std::uint32_t>(mark.line + 1),
          static_cast<std::uint32_t>(mark.column + 1)};
}

Result<std::string> read_text_file(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorCode::kIo, fmt::format("cannot read {}: {}", what, std::strerror(errno)),
                {path, 0, 0});
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    return fail(ErrorCode::kIo, fmt::format("error while reading {}", what), {path, 0, 0});
  return text.str();
}

YAML::Node member(const YAML::Node& map, std::string_view key) {
  if (!map.IsDefined() || !map.IsMap()) return YAML::Node();
  for (const auto& entry : map) {
    if (entry.first.IsScalar() && entry.first.Scalar() == key) return entry.second;
  }
  return YAML::Node();
}

bool present(const YAML::Node& node) { return node.IsDefined() && !node.IsNull(); }

Result<YAML::Node> load_yaml(std::string_view text, const YamlSource& source) {
  if (const auto probe = first_too_deep(text, kMaxNesting); probe.depth > 0) {
    return fail(
        ErrorCode::kParse,
        fmt::format("nested more than {} levels deep; not a policy or scenario file", kMaxNesting),
        {source.file, probe.line, probe.column});
  }
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    return fail(ErrorCode::kParse, fmt::format("malformed YAML: {}", e.msg),
                {source.file, static_cast<std::uint32_t>(e.mark.line + 1),
                 static_cast<std::uint32_t>(e.mark.column + 1)});
  } catch (const YAML::Exception& e) {
    return fail(ErrorCode::kParse, fmt::format("malformed YAML: {}", e.msg), {source.file, 0, 0});
  }
}

tl::unexpected<Error> fail_at(const YamlSource& source, const YAML::Node& node, std::string message,
                              ErrorCode code) {
  return fail(code, std::move(message), source.at(node));
}

Result<void> check_map(const YamlSource& source, const YAML::Node& node, std::string_view what,
                       std::initializer_list<std::string_view> allowed) {
  if (!node.IsMap()) {
    return fail_at(source, node, fmt::format("{}: expected a map (key: value, …)", what));
  }
  std::set<std::string, std::less<>> seen;
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) {
      return fail_at(source, entry.first, fmt::format("{}: keys must be plain names", what));
    }
    const std::string& key = entry.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string expected;
      for (auto name : allowed) expected += (expected.empty() ? "" : ", ") + std::string(name);
      return fail_at(
          source, entry.first,
          fmt::format("{}: unknown key \"{}\" (expected one of: {})", what, key, expected));
    }
    if (!seen.insert(key).second) {
      return fail_at(source, entry.first, fmt::format("{}: key \"{}\" given twice", what, key));
    }
  }
  return {};
}

Result<std::string> scalar_text(const YamlSource& source, const YAML::Node& node,
                                std::string_view what) {
  if (!node.IsScalar()) {
    return fail_at(source, node, fmt::format("{}: expected a single value", what));
  }
  return node.Scalar();
}

Result<std::string> required_scalar(const YamlSource& source, const YAML::Node& map,
                                    std::string_view key, std::string_view what) {
  const YAML::Node node = member(map, key);
  if (!present(node)) {
    return fail_at(source, map, fmt::format("{}: \"{}\" is required", what, key),
                   ErrorCode::kNullPointer);
  }
  return scalar_text(source, node, fmt::format("{} {}", what, key));
}

Result<std::uint64_t> unsigned_value(const YamlSource& source, const YAML::Node& node,
                                     std::string_view what, std::uint64_t max) {
  OPENFWP_TRY(const std::string text, scalar_text(source, node, what));
  std::string_view digits = text;
  int base = 10;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    digits.remove_prefix(2);
    base = 16;
  }
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (ec != std::errc{} || end != digits.data() + digits.size() || digits.empty()) {
    return fail_at(
        source, node,
        fmt::format("{}: expected an unsigned integer (0-{}), got \"{}\"", what, max, text));
  }
  if (value > max) {
    return fail_at(source, node, fmt::format("{}: {} is out of range (0-{})", what, text, max),
                   ErrorCode::kInvalidRange);
  }
  return value;
}

Result<void> check_sequence(const YamlSource& source, const YAML::Node& node,
                            std::string_view what) {
  if (!present(node) || node.IsSequence()) return {};
  return fail_at(source, node, fmt::format("{}: expected a list", what));
}

}  // namespace openfwp::io
