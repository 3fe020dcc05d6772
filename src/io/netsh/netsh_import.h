// SPDX-License-Identifier: Apache-2.0
// `netsh wfp show filters` and `netsh wfp show state` XML dumps → Policy, losslessly.
//
// What is kept: every provider, sublayer, callout and filter with every element netsh wrote for
// it (keys, ids, names and descriptions, flags, provider data and contexts, raw context, the
// weight as written, Windows' effectiveWeight, the action and its callout, every condition with
// its match type and typed value). Netsh prints built-in objects by name
// (FWPM_SUBLAYER_MPSSVC_WF) and others by GUID; both resolve to the object's GUID.
//
// What cannot be loaded is kept and reported, never dropped: an object at a layer, or with a
// condition field, match type or value type, that openfwp's catalog does not know goes to
// Policy::unsupported verbatim (its XML, where it was, and why), and ImportReport says so.
// `show filters` dumps list no sublayers and no callouts; the sublayers and callouts their
// filters name are created (built-in sublayers with Windows' own weights) and reported as
// synthesized. Sections that are not policy (sessions, statistics, SAs, endpoints) are counted
// in the report.
//
// Errors (malformed XML, a missing required element, a value that is not of its type) name the
// file, the line and column, and what was expected. Text in UTF-8 or UTF-16, with or without a
// BOM (text_decoding.h).
#pragma once

#include "common/result.h"
#include "io/netsh/text_decoding.h"
#include "io/policy/policy.h"
#include "model/catalog.h"
#include "model/effective_weight.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace openfwp::io::netsh {

enum class DumpKind : std::uint8_t {
  kShowFilters,  ///< `netsh wfp show filters`: <wfpdiag> with filters and providers
  kShowState,    ///< `netsh wfp show state`: <wfpstate> with layers, callouts, sublayers, …
};

std::string_view dump_kind_name(DumpKind kind);

struct ImportOptions {
  /// The Windows build whose weight tables to use; nullopt = detect (show-state dumps name
  /// their build's fields per layer; show-filters dumps do not, so the profile that reproduces
  /// the most recorded weights is taken, and the report says so).
  std::optional<model::WeightProfile> profile;
  /// Called now and then with (filters done, filters in the dump), for a progress bar.
  std::function<void(std::size_t, std::size_t)> progress;
};

/// A filter whose effective weight, as openfwp computes it, differs from Windows' record.
struct WeightMismatch {
  std::uint64_t filter_id = 0;
  std::string name;
  model::LayerId layer{};
  std::uint64_t recorded = 0;
  std::uint64_t computed = 0;
  /// Condition fields without a known weight slot at this layer (often the cause).
  std::vector<model::FieldId> fields_without_slot;
  SourceLocation where;
};

/// An object the import created because filters name it and the dump does not describe it.
struct SynthesizedObject {
  std::string kind;  ///< "sublayer", "callout", "provider"
  Guid key;
  std::string name;
  std::size_t referenced_by = 0;  ///< number of filters naming it
  std::string note;               ///< e.g. "weight 2: Windows' built-in weight"
};

struct ImportReport {
  DumpKind kind = DumpKind::kShowFilters;
  TextEncoding encoding = TextEncoding::kUtf8;
  model::WeightProfile profile = model::WeightProfile::kWin11;
  std::string profile_reason;  ///< "--profile", "layer list", "best fit to recorded weights"
  std::size_t filters_in_dump = 0;
  std::size_t weights_checked = 0;  ///< filters with a recorded effectiveWeight
  std::vector<WeightMismatch> weight_mismatches;
  std::vector<SynthesizedObject> synthesized;
  /// Non-fatal findings, each "file:line: message" (unsupported objects, lossy values, …).
  std::vector<std::string> warnings;
  /// Sections of the dump that are not policy, with their item counts ("sessions", 14).
  std::vector<std::pair<std::string, std::size_t>> sections_not_imported;
};

struct ImportResult {
  policy::Policy policy;
  ImportReport report;
};

/// Imports a dump held in memory (`bytes` in any supported encoding). `file` names it in
/// locations. Fails only on input that is not a readable dump; see the header comment.
Result<ImportResult> import_netsh(std::string_view bytes, std::string_view file,
                                  const ImportOptions& options = {});

/// Reads and imports a file (kIo if it cannot be read).
Result<ImportResult> import_netsh_file(const std::string& path, const ImportOptions& options = {});

/// True if `bytes` look like XML (after a BOM and white space, a '<'; or UTF-16 text): how the
/// verbs that take a policy tell a netsh dump from a policy file (YAML or JSON).
bool looks_like_xml(std::string_view bytes);

}  // namespace openfwp::io::netsh
