// SPDX-License-Identifier: Apache-2.0
// Policy files (../shared/spec/interfaces.md, "Policy file"): YAML or JSON in, canonical YAML
// out. A Policy is the management objects of a file, resolved against the catalog (names,
// GUIDs, typed condition values) but not yet added to an engine; apply_policy adds them in one
// transaction, so a policy either loads whole or not at all.
#pragma once

#include "common/result.h"
#include "model/effective_weight.h"
#include "model/filter.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace openfwp::engine {
class Engine;
class Store;
}  // namespace openfwp::engine

namespace openfwp::io::policy {

/// An object of an imported dump that openfwp cannot load (a layer, field or value type it does
/// not know): kept verbatim so that nothing is lost, reported, and never applied to an engine.
struct UnsupportedObject {
  std::string kind;    ///< "filter", "callout", "provider", "sublayer"
  std::string key;     ///< its key as the dump wrote it
  std::string name;    ///< its display name, if any
  std::string reason;  ///< why it was not loaded ("unknown layer {29243af8-…}")
  std::string source;  ///< where the dump had it ("dump.xml:1234")
  std::string xml;     ///< the element as written in the dump
  friend bool operator==(const UnsupportedObject&, const UnsupportedObject&) = default;
};

struct Policy {
  /// The Windows build whose automatic-weight tables apply (model/effective_weight.h); unset =
  /// the engine's default. `fwp import` sets it from the dump.
  std::optional<model::WeightProfile> weight_profile;
  std::vector<model::Provider> providers;
  std::vector<model::Sublayer> sublayers;
  std::vector<model::Callout> callouts;
  std::vector<model::Filter> filters;
  std::vector<UnsupportedObject> unsupported;
  // Where each object was written (parallel to the vectors above; empty for built policies),
  // so that errors found later (in the engine) still point into the file.
  std::vector<SourceLocation> provider_locations;
  std::vector<SourceLocation> sublayer_locations;
  std::vector<SourceLocation> callout_locations;
  std::vector<SourceLocation> filter_locations;
};

/// Parses policy text. `file` only names the source in error locations ("<stdin>" is fine).
/// Errors carry file:line:column and say what was expected.
Result<Policy> parse_policy(std::string_view text, std::string_view file);

/// Reads and parses a policy file (kIo if it cannot be read).
Result<Policy> load_policy_file(const std::string& path);

/// Canonical YAML: objects in a fixed order (providers, sublayers, callouts by key; filters by
/// id), every key written out, WFP spellings, one flow map per condition. parse_policy of this
/// text gives back an equal Policy.
std::string print_policy(const Policy& policy);

/// What an engine holds, as a Policy (built-in objects such as FWPM_SUBLAYER_UNIVERSAL left
/// out), e.g. for `fwp policy print` after ids and keys were assigned.
Policy policy_from_store(const engine::Store& store);

/// Adds every object to `engine` in one transaction (weight profile, providers, sublayers,
/// callouts, filters; `unsupported` objects are not applied).
/// On failure nothing is added and the error names the object and where the file wrote it.
Result<void> apply_policy(const Policy& policy, engine::Engine& engine);

/// Replaces what `engine` holds by `policy`, in one transaction: every filter, and every
/// provider, sublayer and callout not in `base` (the built-in objects, e.g. the engine's store
/// before the first policy), is deleted, then `policy` is added. The policy epoch advances, so
/// ALE flows are reauthorized (what `fwp replay --policy-change` does mid-capture).
Result<void> replace_policy(const Policy& policy, engine::Engine& engine,
                            const engine::Store& base);

}  // namespace openfwp::io::policy
