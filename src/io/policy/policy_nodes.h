// SPDX-License-Identifier: Apache-2.0
// The per-object parsers behind parse_policy, for other io/ readers that embed policy objects
// (a scenario's `add_filter` step, an inline policy map). Internal to io/.
#pragma once

#include "common/guid.h"
#include "io/yaml/yaml_input.h"
#include "model/filter.h"

#include <map>
#include <string>

namespace openfwp::io::policy {

/// Names a file gave its objects, so that references may use them instead of keys. A name
/// given to two objects of a kind maps to no key (a reference by it is ambiguous).
struct ObjectNames {
  std::map<std::string, std::optional<Guid>, std::less<>> providers;
  std::map<std::string, std::optional<Guid>, std::less<>> sublayers;
  std::map<std::string, std::optional<Guid>, std::less<>> callouts;
};

Result<model::Provider> parse_provider_node(const YamlSource& source, const YAML::Node& node,
                                            const ObjectNames& names);
Result<model::Sublayer> parse_sublayer_node(const YamlSource& source, const YAML::Node& node,
                                            const ObjectNames& names);
Result<model::Callout> parse_callout_node(const YamlSource& source, const YAML::Node& node,
                                          const ObjectNames& names);
Result<model::Filter> parse_filter_node(const YamlSource& source, const YAML::Node& node,
                                        const ObjectNames& names);

}  // namespace openfwp::io::policy
