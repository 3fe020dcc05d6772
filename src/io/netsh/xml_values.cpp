// SPDX-License-Identifier: Apache-2.0
// How netsh prints each FWP type (observed in real dumps): integers in decimal, V4 addresses
// of FWP_UINT32 fields as plain numbers, address masks as <addr>+<mask> / <addr>+<prefixLength>,
// blobs as hex <data> with an <asString> rendering, byte arrays of 16 as IPv6 text, SIDs and
// security descriptors as their string forms, ranges as <valueLow>/<valueHigh> FWP_VALUEs.
#include "io/netsh/internal/xml_values.h"

#include "common/ip_address.h"
#include "common/strings.h"
#include "io/netsh/text_decoding.h"
#include "model/value_text.h"

#include <fmt/format.h>

#include <charconv>
#include <limits>

namespace openfwp::io::netsh::internal {
namespace {

using model::ConditionValue;
using model::Value;

tl::unexpected<Error> value_error(std::string message) {
  return tl::unexpected(Error{ErrorCode::kParse, std::move(message), {}});
}

// The text of the one child that holds the value (<uint16>, <sd>, …); an error if absent.
Result<std::string_view> payload(const pugi::xml_node& node, const char* child,
                                 std::string_view type) {
  const pugi::xml_node element = node.child(child);
  if (!element) {
    return value_error(fmt::format("value of type {} has no <{}> element", type, child));
  }
  return trim(element.child_value());
}

// UTF-16LE bytes of an application id → its path text; nullopt if not valid UTF-16LE.
std::optional<std::string> utf16le_path(const std::vector<std::uint8_t>& bytes) {
  if (bytes.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
    const auto unit = static_cast<std::uint32_t>(bytes[i] | (bytes[i + 1] << 8));
    if (unit == 0) break;                                       // the terminating NUL
    if (unit >= 0xd800 && unit <= 0xdfff) return std::nullopt;  // paths are BMP in practice
    append_utf8(out, unit);
  }
  return out;
}

std::vector<std::uint8_t> utf16le_with_nul(std::string_view ascii_or_utf8) {
  // Application ids are re-encoded only to check the round trip; non-ASCII paths simply fail
  // that check and are reported as lossy, which is the safe direction.
  std::vector<std::uint8_t> out;
  for (char c : ascii_or_utf8) {
    out.push_back(static_cast<std::uint8_t>(c));
    out.push_back(0);
  }
  out.push_back(0);
  out.push_back(0);
  return out;
}

// An FWP_VALUE (the ends of a range, or the scalar kinds of a condition value).
Result<Converted<Value>> plain_value(const pugi::xml_node& node, model::FieldId field,
                                     bool v6_layer) {
  const std::string_view type = trim(node.child_value("type"));
  auto integer = [&](const char* child, std::uint64_t max) -> Result<std::uint64_t> {
    OPENFWP_TRY(const std::string_view text, payload(node, child, type));
    return decimal(text, max, type);
  };
  if (type == "FWP_UINT8") {
    OPENFWP_TRY(const auto v, integer("uint8", 0xff));
    return Converted<Value>{Value{static_cast<std::uint8_t>(v)}};
  }
  if (type == "FWP_UINT16") {
    OPENFWP_TRY(const auto v, integer("uint16", 0xffff));
    return Converted<Value>{Value{static_cast<std::uint16_t>(v)}};
  }
  if (type == "FWP_UINT32") {
    // IPv4 addresses of FWP_UINT32 fields are printed dotted ("0.0.0.0"), other numbers plain.
    if (model::field_info(field).type == model::FieldType::kIpAddress) {
      OPENFWP_TRY(const std::string_view text, payload(node, "uint32", type));
      if (auto address = parse_ipv4(text)) return Converted<Value>{Value{std::uint32_t{*address}}};
    }
    OPENFWP_TRY(const auto v, integer("uint32", 0xffffffffULL));
    return Converted<Value>{Value{static_cast<std::uint32_t>(v)}};
  }
  if (type == "FWP_UINT64") {
    OPENFWP_TRY(const auto v, integer("uint64", std::numeric_limits<std::uint64_t>::max()));
    return Converted<Value>{Value{v}};
  }
  if (type == "FWP_BYTE_ARRAY16_TYPE") {
    OPENFWP_TRY(const std::string_view text, payload(node, "byteArray16", type));
    if (auto address = parse_ipv6(text))
      return Converted<Value>{Value{model::ByteArray16(*address)}};
    if (auto bytes = parse_hex(text, 16)) {
      model::ByteArray16 array{};
      std::copy(bytes->begin(), bytes->end(), array.begin());
      return Converted<Value>{Value{array}};
    }
    return value_error(
        fmt::format("FWP_BYTE_ARRAY16_TYPE \"{}\" is neither an IPv6 address nor "
                    "16 hex bytes",
                    text));
  }
  if (type == "FWP_BYTE_ARRAY6_TYPE") {
    OPENFWP_TRY(const std::string_view text, payload(node, "byteArray6", type));
    auto bytes = parse_hex(text, 6);
    if (!bytes)
      return value_error(fmt::format("FWP_BYTE_ARRAY6_TYPE \"{}\" is not 6 hex bytes", text));
    model::ByteArray6 array{};
    std::copy(bytes->begin(), bytes->end(), array.begin());
    return Converted<Value>{Value{array}};
  }
  if (type == "FWP_BYTE_BLOB_TYPE") {
    const pugi::xml_node blob = node.child("byteBlob");
    if (!blob) return value_error("value of type FWP_BYTE_BLOB_TYPE has no <byteBlob> element");
    const std::string_view text = trim(blob.child_value("data"));
    auto bytes = parse_hex(text);
    if (!bytes) {
      return value_error(
          fmt::format("FWP_BYTE_BLOB_TYPE <data> \"{}\" is not hex bytes", text.substr(0, 64)));
    }
    return Converted<Value>{Value{model::ByteBlob{std::move(*bytes)}}};
  }
  if (type == "FWP_SID") {
    OPENFWP_TRY(const std::string_view text, payload(node, "sid", type));
    return Converted<Value>{Value{model::Sid{std::string(text)}}};
  }
  if (type == "FWP_UNICODE_STRING_TYPE") {
    OPENFWP_TRY(const std::string_view text, payload(node, "unicodeString", type));
    return Converted<Value>{Value{model::UnicodeString{std::string(text)}}};
  }
  (void)field;
  (void)v6_layer;
  if (type.empty()) return value_error("value has no <type>");
  return Converted<Value>{Unsupported{fmt::format("value type {} is not modelled", type)}};
}

}  // namespace

Result<std::uint64_t> decimal(std::string_view text, std::uint64_t max, std::string_view what) {
  text = trim(text);
  std::uint64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value > max) {
    return value_error(
        fmt::format("{}: \"{}\" is not a decimal number from 0 to {}", what, text, max));
  }
  return value;
}

Result<Converted<ConditionValue>> condition_value(const pugi::xml_node& node, model::LayerId layer,
                                                  model::FieldId field, std::string& lossy) {
  const std::string_view type = trim(node.child_value("type"));
  const bool v6_layer = model::layer_info(layer).family == model::Family::kV6;
  if (type == "FWP_V4_ADDR_MASK") {
    const pugi::xml_node mask = node.child("v4AddrMask");
    if (!mask) return value_error("value of type FWP_V4_ADDR_MASK has no <v4AddrMask> element");
    const std::string_view addr_text = trim(mask.child_value("addr"));
    const std::string_view mask_text = trim(mask.child_value("mask"));
    const auto addr = parse_ipv4(addr_text);
    const auto bits = parse_ipv4(mask_text);
    if (!addr || !bits) {
      return value_error(
          fmt::format("FWP_V4_ADDR_MASK: \"{}\" / \"{}\" is not an IPv4 address "
                      "and mask",
                      addr_text, mask_text));
    }
    const auto length = ipv4_mask_to_length(*bits);
    if (!length) {
      return Converted<ConditionValue>{
          Unsupported{fmt::format("non-contiguous IPv4 mask {} is not modelled", mask_text)}};
    }
    Ipv4Prefix prefix{*addr, *length};
    if (auto p = parse_ipv4_prefix(fmt::format("{}/{}", addr_text, *length)); p) prefix = *p;
    if (prefix.address != *addr) {
      lossy = fmt::format(
          "address {} has host bits outside /{}; WFP masks them, and so does the "
          "import",
          addr_text, *length);
    }
    return Converted<ConditionValue>{ConditionValue{prefix}};
  }
  if (type == "FWP_V6_ADDR_MASK") {
    const pugi::xml_node mask = node.child("v6AddrMask");
    if (!mask) return value_error("value of type FWP_V6_ADDR_MASK has no <v6AddrMask> element");
    const std::string_view addr_text = trim(mask.child_value("addr"));
    OPENFWP_TRY(const auto length,
                decimal(mask.child_value("prefixLength"), 128, "FWP_V6_ADDR_MASK prefixLength"));
    const auto prefix = parse_ipv6_prefix(fmt::format("{}/{}", addr_text, length));
    if (!prefix) {
      return value_error(fmt::format("FWP_V6_ADDR_MASK: \"{}\" is not an IPv6 address", addr_text));
    }
    if (prefix->address != *parse_ipv6(addr_text)) {
      lossy = fmt::format(
          "address {} has host bits outside /{}; WFP masks them, and so does the "
          "import",
          addr_text, length);
    }
    return Converted<ConditionValue>{ConditionValue{*prefix}};
  }
  if (type == "FWP_RANGE_TYPE") {
    const pugi::xml_node range = node.child("rangeValue");
    if (!range) return value_error("value of type FWP_RANGE_TYPE has no <rangeValue> element");
    const pugi::xml_node low_node = range.child("valueLow");
    const pugi::xml_node high_node = range.child("valueHigh");
    if (!low_node || !high_node) {
      return value_error("FWP_RANGE_TYPE needs both <valueLow> and <valueHigh>");
    }
    OPENFWP_TRY(auto low, plain_value(low_node, field, v6_layer));
    OPENFWP_TRY(auto high, plain_value(high_node, field, v6_layer));
    if (auto* u = std::get_if<Unsupported>(&low)) return Converted<ConditionValue>{*u};
    if (auto* u = std::get_if<Unsupported>(&high)) return Converted<ConditionValue>{*u};
    return Converted<ConditionValue>{ConditionValue{
        model::Range{std::get<Value>(std::move(low)), std::get<Value>(std::move(high))}}};
  }
  if (type == "FWP_SECURITY_DESCRIPTOR_TYPE") {
    OPENFWP_TRY(const std::string_view text, payload(node, "sd", type));
    return Converted<ConditionValue>{ConditionValue{model::SecurityDescriptor{std::string(text)}}};
  }
  OPENFWP_TRY(auto plain, plain_value(node, field, v6_layer));
  if (auto* u = std::get_if<Unsupported>(&plain)) return Converted<ConditionValue>{*u};
  Value value = std::get<Value>(std::move(plain));
  if (model::field_info(field).type == model::FieldType::kAppId) {
    // openfwp keeps application ids as their lower-cased path text (model/value_text.h).
    if (const auto* blob = std::get_if<model::ByteBlob>(&value)) {
      const auto path = utf16le_path(blob->bytes);
      if (!path) {
        return Converted<ConditionValue>{Unsupported{"application id is not a UTF-16LE path"}};
      }
      OPENFWP_TRY(auto parsed, model::parse_condition_value(layer, field, {*path}));
      const auto* kept = std::get_if<model::ByteBlob>(&parsed);
      if (kept == nullptr || utf16le_with_nul({reinterpret_cast<const char*>(kept->bytes.data()),
                                               kept->bytes.size()}) != blob->bytes) {
        lossy = fmt::format(
            "application id \"{}\" is kept as its lower-cased path text; its "
            "bytes differ from the usual NUL-terminated UTF-16LE form",
            *path);
      }
      return Converted<ConditionValue>{std::move(parsed)};
    }
  }
  return Converted<ConditionValue>{model::to_condition_value(value)};
}

}  // namespace openfwp::io::netsh::internal
