// SPDX-License-Identifier: Apache-2.0
// Windows' built-in providers, sublayers, callouts and provider contexts by name: netsh prints
// these names (FWPM_SUBLAYER_MPSSVC_WF) instead of GUIDs in its dumps, and policy files may use
// them too. The rows are generated from fwpm_guids.txt (well_known.def); the built-in sublayer
// weights are Windows' own, read from `netsh wfp show state` dumps.
#pragma once

#include "common/guid.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace openfwp::model {

enum class WellKnownKind : std::uint8_t { kProvider, kSublayer, kCallout, kProviderContext };

/// The GUID of a built-in object named `name` (exact WFP spelling, case-insensitive), if `name`
/// is one of that kind.
std::optional<Guid> find_well_known(WellKnownKind kind, std::string_view name);

/// The WFP name of a built-in object's GUID, or empty if `key` is not one of that kind.
std::string_view well_known_name(WellKnownKind kind, const Guid& key);

/// The weight Windows gives a built-in sublayer (FWPM_SUBLAYER0::weight), or nullopt for a
/// sublayer whose weight no dump recorded. Thread-safe; immutable data.
std::optional<std::uint16_t> builtin_sublayer_weight(const Guid& key);

}  // namespace openfwp::model
