// SPDX-License-Identifier: Apache-2.0
// Parsing and printing of values by field type; see value_text.h for the accepted forms.
#include "model/value_text.h"

#include "common/strings.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>

namespace openfwp::model {
namespace {

struct NamedNumber {
  std::string_view name;
  std::uint32_t value;
};

// IANA protocol numbers users write by name.
constexpr std::array<NamedNumber, 9> kProtocols{{{"icmp", 1},
                                                 {"igmp", 2},
                                                 {"tcp", 6},
                                                 {"udp", 17},
                                                 {"gre", 47},
                                                 {"esp", 50},
                                                 {"ah", 51},
                                                 {"icmpv6", 58},
                                                 {"sctp", 132}}};

// FWP_CONDITION_FLAG_* (fwpmtypes.h).
constexpr std::array<NamedNumber, 21> kConditionFlags{{
    {"FWP_CONDITION_FLAG_IS_LOOPBACK", 0x1},
    {"FWP_CONDITION_FLAG_IS_IPSEC_SECURED", 0x2},
    {"FWP_CONDITION_FLAG_IS_REAUTHORIZE", 0x4},
    {"FWP_CONDITION_FLAG_IS_WILDCARD_BIND", 0x8},
    {"FWP_CONDITION_FLAG_IS_RAW_ENDPOINT", 0x10},
    {"FWP_CONDITION_FLAG_IS_FRAGMENT", 0x20},
    {"FWP_CONDITION_FLAG_IS_FRAGMENT_GROUP", 0x40},
    {"FWP_CONDITION_FLAG_IS_IPSEC_NATT_RECLASSIFY", 0x80},
    {"FWP_CONDITION_FLAG_REQUIRES_ALE_CLASSIFY", 0x100},
    {"FWP_CONDITION_FLAG_IS_IMPLICIT_BIND", 0x200},
    {"FWP_CONDITION_FLAG_IS_REASSEMBLED", 0x400},
    {"FWP_CONDITION_FLAG_IS_NAME_APP_SPECIFIED", 0x4000},
    {"FWP_CONDITION_FLAG_IS_PROMISCUOUS", 0x8000},
    {"FWP_CONDITION_FLAG_IS_AUTH_FW", 0x10000},
    {"FWP_CONDITION_FLAG_IS_RECLASSIFY", 0x20000},
    {"FWP_CONDITION_FLAG_IS_OUTBOUND_PASS_THRU", 0x40000},
    {"FWP_CONDITION_FLAG_IS_INBOUND_PASS_THRU", 0x80000},
    {"FWP_CONDITION_FLAG_IS_CONNECTION_REDIRECTED", 0x100000},
    {"FWP_CONDITION_FLAG_IS_PROXY_CONNECTION", 0x200000},
    {"FWP_CONDITION_FLAG_IS_APPCONTAINER_LOOPBACK", 0x400000},
    {"FWP_CONDITION_FLAG_IS_NON_APPCONTAINER_LOOPBACK", 0x800000},
}};

bool is_flags_field(FieldId field) { return field_info(field).wfp_name == "FWPM_CONDITION_FLAGS"; }
bool is_protocol_field(FieldId field) {
  return field_info(field).wfp_name == "FWPM_CONDITION_IP_PROTOCOL";
}

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
  text = trim(text);
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value, base);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> parse_number_for(FieldId field, std::string_view text) {
  if (auto v = parse_unsigned(text)) return v;
  const std::string key = ascii_lower(trim(text));
  if (is_protocol_field(field)) {
    for (const auto& p : kProtocols) {
      if (p.name == key) return p.value;
    }
  }
  if (is_flags_field(field)) return condition_flag_from_text(text);
  return std::nullopt;
}

bool looks_like_sid(std::string_view text) {
  if (text.size() < 5 || (text.substr(0, 2) != "S-" && text.substr(0, 2) != "s-")) return false;
  return std::all_of(text.begin() + 2, text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '-';
  });
}

Error type_error(LayerId layer, FieldId field, std::string_view text) {
  return Error{ErrorCode::kTypeMismatch,
               fmt::format("field {} expects {}, got \"{}\"", field_info(field).wfp_name,
                           expected_type_text(layer, field), text),
               {}};
}

// Parses a scalar of the field's incoming type; address fields also accept a prefix when
// `allow_prefix` (conditions only).
Result<ConditionValue> parse_scalar(LayerId layer, FieldId field, std::string_view raw,
                                    bool allow_prefix) {
  const std::string_view text = trim(raw);
  const FieldInfo& info = field_info(field);
  auto number_in = [&](std::uint64_t max) -> std::optional<std::uint64_t> {
    auto v = parse_number_for(field, text);
    if (!v || *v > max) return std::nullopt;
    return v;
  };
  switch (info.type) {
    case FieldType::kUint8:
      if (auto v = number_in(0xff)) return ConditionValue{static_cast<std::uint8_t>(*v)};
      break;
    case FieldType::kUint16:
      if (auto v = number_in(0xffff)) return ConditionValue{static_cast<std::uint16_t>(*v)};
      break;
    case FieldType::kUint32:
      if (auto v = number_in(0xffffffffULL)) return ConditionValue{static_cast<std::uint32_t>(*v)};
      break;
    case FieldType::kUint64:
      if (auto v = number_in(std::numeric_limits<std::uint64_t>::max())) return ConditionValue{*v};
      break;
    case FieldType::kIpAddress: {
      const bool v6 = layer_info(layer).family == Family::kV6;
      const bool has_slash = text.find('/') != std::string_view::npos;
      if (has_slash && !allow_prefix) break;
      if (v6) {
        if (has_slash) {
          if (auto p = parse_ipv6_prefix(text)) return ConditionValue{*p};
          return tl::unexpected(
              Error{ErrorCode::kInvalidNetMask,
                    fmt::format("field {}: \"{}\" is not a valid IPv6 prefix", info.wfp_name, text),
                    {}});
        }
        if (auto a = parse_ipv6(text)) return ConditionValue{ByteArray16(*a)};
      } else {
        if (has_slash) {
          if (auto p = parse_ipv4_prefix(text)) return ConditionValue{*p};
          return tl::unexpected(
              Error{ErrorCode::kInvalidNetMask,
                    fmt::format("field {}: \"{}\" is not a valid IPv4 prefix", info.wfp_name, text),
                    {}});
        }
        if (auto a = parse_ipv4(text)) return ConditionValue{std::uint32_t{*a}};
        // Netsh and some tools print V4 addresses as plain FWP_UINT32 numbers.
        if (auto v = parse_unsigned(text); v && *v <= 0xffffffffULL) {
          return ConditionValue{static_cast<std::uint32_t>(*v)};
        }
      }
      break;
    }
    case FieldType::kMacAddress:
      if (auto bytes = parse_hex(text, 6)) {
        ByteArray6 mac{};
        std::copy(bytes->begin(), bytes->end(), mac.begin());
        return ConditionValue{mac};
      }
      break;
    case FieldType::kByteArray16:
      if (auto bytes = parse_hex(text, 16)) {
        ByteArray16 array{};
        std::copy(bytes->begin(), bytes->end(), array.begin());
        return ConditionValue{array};
      }
      break;
    case FieldType::kAppId: {
      if (text.empty()) break;
      const std::string path = ascii_lower(text);
      return ConditionValue{ByteBlob{{path.begin(), path.end()}}};
    }
    case FieldType::kByteBlob: {
      // "0x…" is hex; "0x" alone is the empty blob (format_value writes both so).
      if (text == "0x" || text == "0X") return ConditionValue{ByteBlob{}};
      if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        if (auto bytes = parse_hex(text, 0)) return ConditionValue{ByteBlob{*bytes}};
        break;
      }
      return ConditionValue{ByteBlob{{text.begin(), text.end()}}};
    }
    case FieldType::kSid:
      if (looks_like_sid(text)) return ConditionValue{Sid{std::string(text)}};
      break;
    case FieldType::kSecurityDescriptor:
    case FieldType::kTokenInformation:
      // A condition holds an SD; an incoming value (allow_prefix == false) is the user's SID.
      if (allow_prefix) {
        if (text.find("D:") != std::string_view::npos || text.find("O:") == 0) {
          return ConditionValue{SecurityDescriptor{std::string(text)}};
        }
        // A bare SID is shorthand for "this user": D:(A;;CC;;;SID).
        if (looks_like_sid(text)) {
          return ConditionValue{SecurityDescriptor{fmt::format("D:(A;;CC;;;{})", text)}};
        }
      } else if (looks_like_sid(text)) {
        return ConditionValue{Sid{std::string(text)}};
      }
      break;
    case FieldType::kUnicodeString:
      return ConditionValue{UnicodeString{std::string(text)}};
  }
  return tl::unexpected(type_error(layer, field, text));
}

bool range_ordered(const ConditionValue& low, const ConditionValue& high) {
  return std::visit(
      [](const auto& a, const auto& b) -> bool {
        using A = std::decay_t<decltype(a)>;
        using B = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<A, B> && std::is_arithmetic_v<A>) {
          return a <= b;
        } else if constexpr (std::is_same_v<A, B> && std::is_same_v<A, ByteArray16>) {
          return a <= b;
        } else {
          return false;
        }
      },
      low, high);
}

Value to_value(const ConditionValue& cv) {
  return std::visit(
      [](const auto& v) -> Value {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_constructible_v<Value, T> && !std::is_same_v<T, Ipv4Prefix> &&
                      !std::is_same_v<T, Ipv6Prefix> && !std::is_same_v<T, Range> &&
                      !std::is_same_v<T, SecurityDescriptor>) {
          return v;
        } else {
          return std::monostate{};
        }
      },
      cv);
}

}  // namespace

std::optional<std::uint32_t> condition_flag_from_text(std::string_view text) {
  std::uint32_t result = 0;
  std::size_t start = 0;
  const std::string upper_text = ascii_upper(text);
  while (start <= upper_text.size()) {
    const auto bar = upper_text.find('|', start);
    const std::string_view part = trim(
        std::string_view(upper_text).substr(start, bar == std::string::npos ? bar : bar - start));
    bool found = false;
    for (const auto& f : kConditionFlags) {
      if (part == f.name || part == f.name.substr(19)) {  // "IS_LOOPBACK" short form
        result |= f.value;
        found = true;
      }
    }
    if (!found) {
      auto v = parse_unsigned(part);
      if (!v || *v > 0xffffffffULL) return std::nullopt;
      result |= static_cast<std::uint32_t>(*v);
    }
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  return result;
}

std::string condition_flags_to_text(std::uint32_t flags) {
  std::string out;
  std::uint32_t rest = flags;
  for (const auto& f : kConditionFlags) {
    if ((flags & f.value) == 0) continue;
    if (!out.empty()) out += '|';
    out += f.name;
    rest &= ~f.value;
  }
  if (rest != 0 || out.empty()) {
    if (!out.empty()) out += '|';
    out += fmt::format("0x{:x}", rest);
  }
  return out;
}

std::string expected_type_text(LayerId layer, FieldId field) {
  const FieldInfo& info = field_info(field);
  switch (info.type) {
    case FieldType::kIpAddress:
      return layer_info(layer).family == Family::kV6
                 ? "an IPv6 address or prefix (FWP_BYTE_ARRAY16_TYPE / FWP_V6_ADDR_MASK)"
                 : "an IPv4 address or prefix (FWP_UINT32 / FWP_V4_ADDR_MASK)";
    case FieldType::kMacAddress:
      return "a MAC address (FWP_BYTE_ARRAY6_TYPE)";
    case FieldType::kAppId:
      return "an application path (FWP_BYTE_BLOB_TYPE)";
    case FieldType::kSid:
      return "a SID such as S-1-5-18 (FWP_SID)";
    case FieldType::kSecurityDescriptor:
    case FieldType::kTokenInformation:
      return "an SDDL security descriptor or a SID (FWP_SECURITY_DESCRIPTOR_TYPE)";
    default:
      return std::string(data_type_name(incoming_type(layer, field)));
  }
}

Result<ConditionValue> parse_condition_value(LayerId layer, FieldId field,
                                             const std::vector<std::string>& parts) {
  if (parts.size() == 1) return parse_scalar(layer, field, parts[0], /*allow_prefix=*/true);
  if (parts.size() != 2) {
    return tl::unexpected(Error{ErrorCode::kTypeMismatch,
                                fmt::format("field {}: a range needs exactly two values "
                                            "[low, high], got {}",
                                            field_info(field).wfp_name, parts.size()),
                                {}});
  }
  OPENFWP_TRY(auto low, parse_scalar(layer, field, parts[0], /*allow_prefix=*/false));
  OPENFWP_TRY(auto high, parse_scalar(layer, field, parts[1], /*allow_prefix=*/false));
  if (!range_ordered(low, high)) {
    return tl::unexpected(
        Error{ErrorCode::kInvalidRange,
              fmt::format("field {}: range [{}, {}] is empty or not ordered (FWP_E_INVALID_RANGE)",
                          field_info(field).wfp_name, parts[0], parts[1]),
              {}});
  }
  return ConditionValue{Range{to_value(low), to_value(high)}};
}

Result<Value> parse_incoming_value(LayerId layer, FieldId field, std::string_view text) {
  OPENFWP_TRY(auto cv, parse_scalar(layer, field, text, /*allow_prefix=*/false));
  return to_value(cv);
}

std::string format_value(FieldId field, const Value& value) {
  const FieldInfo& info = field_info(field);
  return std::visit(
      [&](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return "";
        } else if constexpr (std::is_same_v<T, std::uint32_t>) {
          if (info.type == FieldType::kIpAddress) return format_ipv4(v);
          if (is_flags_field(field)) return condition_flags_to_text(v);
          return std::to_string(v);
        } else if constexpr (std::is_arithmetic_v<T>) {
          return std::to_string(v);
        } else if constexpr (std::is_same_v<T, ByteArray16>) {
          if (info.type == FieldType::kIpAddress) return format_ipv6(v);
          return hex_text(v.data(), v.size(), 0);
        } else if constexpr (std::is_same_v<T, ByteArray6>) {
          return hex_text(v.data(), v.size(), ':');
        } else if constexpr (std::is_same_v<T, ByteBlob>) {
          if (info.type == FieldType::kAppId) return std::string(v.bytes.begin(), v.bytes.end());
          // Printable text prints as itself unless it would read back as hex.
          const bool looks_hex =
              v.bytes.size() >= 2 && v.bytes[0] == '0' && (v.bytes[1] == 'x' || v.bytes[1] == 'X');
          const bool printable = !v.bytes.empty() && !looks_hex &&
                                 std::all_of(v.bytes.begin(), v.bytes.end(),
                                             [](std::uint8_t c) { return c >= 0x20 && c < 0x7f; });
          if (printable) return std::string(v.bytes.begin(), v.bytes.end());
          return "0x" + hex_text(v.bytes.data(), v.bytes.size(), 0);
        } else if constexpr (std::is_same_v<T, Sid>) {
          return v.text;
        } else {
          static_assert(std::is_same_v<T, UnicodeString>);
          return v.text;
        }
      },
      value);
}

std::vector<std::string> format_condition_value(FieldId field, const ConditionValue& value) {
  return std::visit(
      [&](const auto& v) -> std::vector<std::string> {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Ipv4Prefix>) {
          // Always with the length: "10.0.0.1/32" is FWP_V4_ADDR_MASK, "10.0.0.1" FWP_UINT32.
          // They match the same packets, but a policy must read back as the type it was.
          return {fmt::format("{}/{}", format_ipv4(v.address), v.length)};
        } else if constexpr (std::is_same_v<T, Ipv6Prefix>) {
          return {fmt::format("{}/{}", format_ipv6(v.address), v.length)};
        } else if constexpr (std::is_same_v<T, Range>) {
          return {format_value(field, v.low), format_value(field, v.high)};
        } else if constexpr (std::is_same_v<T, SecurityDescriptor>) {
          return {v.sddl};
        } else {
          return {format_value(field, Value{v})};
        }
      },
      value);
}

}  // namespace openfwp::model
