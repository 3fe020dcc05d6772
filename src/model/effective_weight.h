// SPDX-License-Identifier: Apache-2.0
// Effective filter weight: the 64-bit number that orders filters inside a sublayer, computed
// as the BFE does (FWPM_FILTER0::effectiveWeight). The algorithm and the evidence for it are in
// docs/decisions/0002-automatic-filter-weight.md; tools/weight_reference.py is the executable
// oracle, and this code must agree with it bit for bit.
//
// WFP: Filter Weight Assignment — FWP_UINT64 is used as is; FWP_EMPTY lets the BFE generate a
// weight in [0, 2^60) from the conditions; FWP_UINT8 k puts weight range k in the top four bits
// above that same generated part.
//
// The generated part (0002 §2–§5). Each layer cuts its 60 automatic bits into slots, and a slot
// is fed by one condition field or by a small group of them (local and remote address share
// one). A condition is worth its specificity in bits: the field's width for EQUAL, the prefix
// length for a mask, width − log2(span) for a range, and 1 for any condition on a one-bit field
// (blobs, SIDs, flags, ids). A field's OR'ed conditions add up, capped at its width, and three or
// more count as the full width. A slot's total T is scaled to its k bits against its capacity C
// (the widths of the members the layer has), rounded half up, raised to 1 if T > 0 and clamped
// to 2^k − 1. Where each slot sits is data (model/weight_slots.def): measured from real dumps,
// different between Windows builds (WeightProfile), and known only for the (layer, field)
// pairs those dumps used.
//
// Thread-safety: the slot tables are resolved against the catalog once, on first use, and are
// immutable afterwards; every function here may be called from any thread.
#pragma once

#include "model/catalog.h"
#include "model/filter.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace openfwp::model {

/// Which Windows build's slot tables to use (0002 §6). The builds differ in where the slots of
/// a layer sit, not in the rules.
enum class WeightProfile : std::uint8_t {
  /// Builds whose ALE layers carry FWPM_CONDITION_RESERVED0…3 and ALE_PACKAGE_FAMILY_NAME
  /// (Windows 11 era; 8 of the 13 dumps). The default.
  kWin11,
  /// Builds without those fields (Windows 10 era); most low slots sit one bit lower.
  kWin10,
  /// The build of vpnwindows_filters.xml (build unknown): ALE_AUTH_CONNECT and
  /// ALE_RESOURCE_ASSIGNMENT differ again; no data for the other ALE layers.
  kVpnWin,
};

/// "win11", "win10" or "vpnwin" (case-insensitive), the names weight_reference.py and the test
/// vectors use; nullopt for anything else.
std::optional<WeightProfile> weight_profile_from_text(std::string_view text);
/// The lower-case name above.
std::string_view weight_profile_name(WeightProfile profile);

/// The generated part of a weight, with what it could not place.
struct AutomaticWeight {
  /// The low 60 bits (0x07ffffffffffffff at the *_FAST layers, which have no fields).
  std::uint64_t value = 0;
  /// Condition fields whose slot at this layer is unknown in this profile, each once, in the
  /// order the conditions name them. They contribute nothing to `value`: 0002 says report,
  /// never guess. Empty when the weight is exactly what Windows would compute.
  std::vector<FieldId> fields_without_slot;
};

/// The 60 bits the BFE generates for `conditions` at `layer` (the part FWP_EMPTY and FWP_UINT8
/// weights share). Conditions need not be validated; values of the wrong type count as an exact
/// match. Never fails.
AutomaticWeight automatic_weight(LayerId layer, std::span<const Condition> conditions,
                                 WeightProfile profile = WeightProfile::kWin11);

/// The effective weight of `filter` under `profile` (ignores filter.effective_weight). A field
/// without a known slot adds nothing; call automatic_weight to learn which ones did.
/// Precondition: the filter passed validate_filter (an FWP_UINT8 weight is 0–15).
std::uint64_t effective_weight(const Filter& filter, WeightProfile profile);
/// The same under the default profile, kWin11. This is what the engine stores on add.
std::uint64_t effective_weight(const Filter& filter);

}  // namespace openfwp::model
