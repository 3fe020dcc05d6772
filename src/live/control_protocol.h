// SPDX-License-Identifier: Apache-2.0
// The wire form of `fwp serve`'s management socket (decision 0006, "Management"): one JSON
// request per line in, one JSON response per line out. Shared by the daemon and the CLI client.
#pragma once

#include "common/result.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace openfwp::live {

/// What a client asks the daemon to do. The wire spelling is in control_verb_name.
enum class ControlVerb : std::uint8_t {
  kFilterAdd,     ///< "filter add": add the filters of a policy fragment
  kFilterDelete,  ///< "filter delete": by id or by key
  kFilterList,    ///< "filter list"
  kFlows,         ///< "flows": the flow table
  kEvents,        ///< "events": keep the connection open and stream net events
  kReload,        ///< "reload": re-read the --policy file
  kStats,         ///< "stats": daemon counters
};

/// One request. Members that do not apply to `verb` are empty.
struct ControlRequest {
  ControlVerb verb = ControlVerb::kStats;
  /// kFilterAdd: a policy-file fragment (YAML text, e.g. "filters:\n - {...}"). The daemon
  /// parses it with the policy parser, so its errors name the policy field.
  std::string policy;
  /// kFilterDelete: by id ... (exactly one of filter_id and filter_key is set)
  std::optional<std::uint64_t> filter_id;
  /// ... or by GUID or name text.
  std::string filter_key;

  friend bool operator==(const ControlRequest&, const ControlRequest&) = default;
};

/// Longest request line accepted, without its '\n'. A policy fragment is small; this bounds
/// what one client can make the daemon buffer.
inline constexpr std::size_t kMaxControlLine = std::size_t{1} << 20;

/// "filter add", "filter delete", ... (the wire spelling).
std::string_view control_verb_name(ControlVerb verb);

/// Parses one request line (without its '\n'). Strict: anything that is not exactly one of the
/// documented forms is a kParse error that names the offending member.
Result<ControlRequest> parse_control_request(std::string_view line);

/// The wire form of `request`: one line, no '\n'; parse_control_request gives it back.
std::string format_control_request(const ControlRequest& request);

/// {"ok":true, ...members of body}. A body that is not an object goes under "result".
std::string ok_response(const nlohmann::json& body = nlohmann::json::object());

/// {"ok":false,"error":{"code":"FWP_E_...","message":"..."}}; code is error_code_name.
std::string error_response(const Error& error);

}  // namespace openfwp::live
