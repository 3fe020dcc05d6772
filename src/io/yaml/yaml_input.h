// SPDX-License-Identifier: Apache-2.0
// Reading typed values out of yaml-cpp nodes with errors that say where and what was expected.
// Shared by the io/ parsers (policy files, scenarios).
#pragma once

#include "common/result.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace openfwp::io {

/// The source a node came from, for locations.
struct YamlSource {
  std::string file;
  SourceLocation at(const YAML::Node& node) const;
};

/// A whole input file; `what` names it in the error ("policy file"), which carries the path.
Result<std::string> read_text_file(const std::string& path, std::string_view what);

/// The member `key` of a map, or a null node if there is none. (yaml-cpp's operator[] on a
/// const node returns an "invalid" node that throws on most uses.)
YAML::Node member(const YAML::Node& map, std::string_view key);

/// True if `node` holds something (not absent, not an explicit null).
bool present(const YAML::Node& node);

/// Parses a whole document (YAML 1.2; JSON is accepted as YAML flow style). Rejects input
/// nested deeper than yaml-cpp's recursive parser can take safely.
Result<YAML::Node> load_yaml(std::string_view text, const YamlSource& source);

/// An error at `node`: kParse unless another code is given.
tl::unexpected<Error> fail_at(const YamlSource& source, const YAML::Node& node, std::string message,
                              ErrorCode code = ErrorCode::kParse);

/// Requires `node` to be a map whose keys are all among `allowed` (no duplicates). `what`
/// names the object in messages ("filter", "condition").
Result<void> check_map(const YamlSource& source, const YAML::Node& node, std::string_view what,
                       std::initializer_list<std::string_view> allowed);

/// A required scalar member of a map.
Result<std::string> required_scalar(const YamlSource& source, const YAML::Node& map,
                                    std::string_view key, std::string_view what);

/// The scalar text of `node` (an error if it is a map or sequence).
Result<std::string> scalar_text(const YamlSource& source, const YAML::Node& node,
                                std::string_view what);

/// An unsigned integer no larger than `max`, decimal or 0x-hex.
Result<std::uint64_t> unsigned_value(const YamlSource& source, const YAML::Node& node,
                                     std::string_view what, std::uint64_t max);

/// A sequence (an absent or null node is an empty sequence).
Result<void> check_sequence(const YamlSource& source, const YAML::Node& node,
                            std::string_view what);

}  // namespace openfwp::io
