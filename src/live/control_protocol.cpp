// SPDX-License-Identifier: Apache-2.0
// Parsing and printing of control requests and responses (control_protocol.h).
#include "live/control_protocol.h"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace openfwp::live {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<ControlVerb, std::string_view>, 7> kVerbNames{{
    {ControlVerb::kFilterAdd, "filter add"},
    {ControlVerb::kFilterDelete, "filter delete"},
    {ControlVerb::kFilterList, "filter list"},
    {ControlVerb::kFlows, "flows"},
    {ControlVerb::kEvents, "events"},
    {ControlVerb::kReload, "reload"},
    {ControlVerb::kStats, "stats"},
}};

tl::unexpected<Error> parse_error(std::string message) {
  return fail(ErrorCode::kParse, "control request: " + std::move(message));
}

// Never throws: invalid UTF-8 (only possible in a request built in code, since the parser
// rejects it) is replaced rather than aborting a daemon that formats it.
std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// "[json.exception.out_of_range.406] number overflow ..." → "number overflow ...".
std::string_view without_exception_tag(std::string_view what) {
  const std::size_t end = what.find("] ");
  return end == std::string_view::npos ? what : what.substr(end + 2);
}

// The members each verb takes besides "verb".
bool member_applies(ControlVerb verb, std::string_view member) {
  if (member == "policy") return verb == ControlVerb::kFilterAdd;
  if (member == "id" || member == "key") return verb == ControlVerb::kFilterDelete;
  return false;
}

}  // namespace

std::string_view control_verb_name(ControlVerb verb) {
  for (const auto& [v, name] : kVerbNames) {
    if (v == verb) return name;
  }
  return "unknown";
}

Result<ControlRequest> parse_control_request(std::string_view line) {
  if (line.size() > kMaxControlLine) {
    return parse_error(fmt::format("line of {} bytes is longer than the limit of {} bytes (1 MiB)",
                                   line.size(), kMaxControlLine));
  }
  json doc;
  try {
    doc = json::parse(line);
  } catch (const json::parse_error& e) {
    // e.what() carries nlohmann's "[json.exception.parse_error.101]" prefix; the byte is enough.
    return parse_error(fmt::format("not JSON: syntax error at byte {}", e.byte));
  } catch (const json::exception& e) {
    // A number too large for a double ("1E666") is out_of_range, not a parse_error.
    return parse_error(fmt::format("not JSON: {}", without_exception_tag(e.what())));
  }
  if (!doc.is_object()) {
    return parse_error(fmt::format("expected a JSON object, got {}", doc.type_name()));
  }
  const auto verb_it = doc.find("verb");
  if (verb_it == doc.end()) return parse_error("member \"verb\" is missing");
  if (!verb_it->is_string()) {
    return parse_error(
        fmt::format("member \"verb\" must be a string, got {}", verb_it->type_name()));
  }
  const auto& verb_text = verb_it->get_ref<const std::string&>();
  ControlRequest request;
  bool known = false;
  for (const auto& [v, name] : kVerbNames) {
    if (name == verb_text) {
      request.verb = v;
      known = true;
    }
  }
  if (!known) {
    return parse_error(fmt::format(
        "member \"verb\": unknown verb {} (expected filter add, filter delete, filter list, flows, "
        "events, reload or stats)",
        dump(*verb_it)));
  }
  const std::string_view verb_name = control_verb_name(request.verb);
  for (const auto& [member, value] : doc.items()) {
    if (member == "verb") continue;
    if (!member_applies(request.verb, member)) {
      return parse_error(
          fmt::format("unknown member {} for verb \"{}\"", dump(json(member)), verb_name));
    }
    if (member == "policy") {
      if (!value.is_string()) {
        return parse_error(
            fmt::format("member \"policy\" must be a string, got {}", value.type_name()));
      }
      request.policy = value.get<std::string>();
    } else if (member == "id") {
      if (!value.is_number_unsigned()) {
        return parse_error(
            fmt::format("member \"id\" must be an unsigned integer, got {}", dump(value)));
      }
      request.filter_id = value.get<std::uint64_t>();
    } else if (member == "key") {
      if (!value.is_string()) {
        return parse_error(
            fmt::format("member \"key\" must be a string, got {}", value.type_name()));
      }
      request.filter_key = value.get<std::string>();
      if (request.filter_key.empty()) return parse_error("member \"key\" must not be empty");
    }
  }
  if (request.verb == ControlVerb::kFilterAdd && !doc.contains("policy")) {
    return parse_error("member \"policy\" is missing (filter add needs a policy fragment)");
  }
  if (request.verb == ControlVerb::kFilterDelete) {
    const bool has_id = doc.contains("id");
    const bool has_key = doc.contains("key");
    if (has_id && has_key) {
      return parse_error("members \"id\" and \"key\" are both given; filter delete takes one");
    }
    if (!has_id && !has_key) {
      return parse_error("member \"id\" or \"key\" is missing (filter delete needs one)");
    }
  }
  return request;
}

std::string format_control_request(const ControlRequest& request) {
  json doc = json::object();
  doc["verb"] = control_verb_name(request.verb);
  switch (request.verb) {
    case ControlVerb::kFilterAdd:
      doc["policy"] = request.policy;
      break;
    case ControlVerb::kFilterDelete:
      if (request.filter_id) {
        doc["id"] = *request.filter_id;
      } else {
        doc["key"] = request.filter_key;
      }
      break;
    case ControlVerb::kFilterList:
    case ControlVerb::kFlows:
    case ControlVerb::kEvents:
    case ControlVerb::kReload:
    case ControlVerb::kStats:
      break;
  }
  return dump(doc);
}

std::string ok_response(const nlohmann::json& body) {
  json doc = json::object();
  if (body.is_object()) {
    doc = body;
  } else if (!body.is_null()) {
    doc["result"] = body;
  }
  doc["ok"] = true;
  return dump(doc);
}

std::string error_response(const Error& error) {
  json doc = json::object();
  doc["ok"] = false;
  doc["error"] = {{"code", error_code_name(error.code)}, {"message", error.to_string()}};
  return dump(doc);
}

}  // namespace openfwp::live
