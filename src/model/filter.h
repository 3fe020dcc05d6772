// SPDX-License-Identifier: Apache-2.0
// The WFP management objects as plain data: Filter (with Condition, Weight, action, flags),
// Sublayer, Provider, Callout. No behaviour here; validation is model/validation.h and
// matching is classify/.
#pragma once

#include "common/guid.h"
#include "model/catalog.h"
#include "model/value.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace openfwp::model {

/// FWP_MATCH_TYPE.
enum class MatchType : std::uint8_t {
  kEqual,                 ///< FWP_MATCH_EQUAL
  kGreater,               ///< FWP_MATCH_GREATER
  kLess,                  ///< FWP_MATCH_LESS
  kGreaterOrEqual,        ///< FWP_MATCH_GREATER_OR_EQUAL
  kLessOrEqual,           ///< FWP_MATCH_LESS_OR_EQUAL
  kRange,                 ///< FWP_MATCH_RANGE
  kFlagsAllSet,           ///< FWP_MATCH_FLAGS_ALL_SET
  kFlagsAnySet,           ///< FWP_MATCH_FLAGS_ANY_SET
  kFlagsNoneSet,          ///< FWP_MATCH_FLAGS_NONE_SET
  kEqualCaseInsensitive,  ///< FWP_MATCH_EQUAL_CASE_INSENSITIVE
  kNotEqual,              ///< FWP_MATCH_NOT_EQUAL
  kPrefix,                ///< FWP_MATCH_PREFIX
  kNotPrefix,             ///< FWP_MATCH_NOT_PREFIX
};
inline constexpr std::size_t kMatchTypeCount = 13;

/// FWP_ACTION_TYPE.
enum class ActionType : std::uint8_t {
  kBlock,               ///< FWP_ACTION_BLOCK
  kPermit,              ///< FWP_ACTION_PERMIT
  kCalloutTerminating,  ///< FWP_ACTION_CALLOUT_TERMINATING
  kCalloutInspection,   ///< FWP_ACTION_CALLOUT_INSPECTION
  kCalloutUnknown,      ///< FWP_ACTION_CALLOUT_UNKNOWN
};

/// FWPM_FILTER_FLAG_* bit values (fwpmtypes.h).
namespace filter_flag {
inline constexpr std::uint32_t kPersistent = 0x1;
inline constexpr std::uint32_t kBoottime = 0x2;
inline constexpr std::uint32_t kHasProviderContext = 0x4;
inline constexpr std::uint32_t kClearActionRight = 0x8;
inline constexpr std::uint32_t kPermitIfCalloutUnregistered = 0x10;
inline constexpr std::uint32_t kDisabled = 0x20;
inline constexpr std::uint32_t kIndexed = 0x40;
inline constexpr std::uint32_t kHasSecurityRealmProviderContext = 0x80;
inline constexpr std::uint32_t kSystemOsOnly = 0x100;
inline constexpr std::uint32_t kGameOsOnly = 0x200;
inline constexpr std::uint32_t kSilentMode = 0x400;
inline constexpr std::uint32_t kIpsecNoAcquireInitiate = 0x800;
}  // namespace filter_flag

/// A filter's weight as written (FWPM_FILTER0::weight).
struct Weight {
  enum class Kind : std::uint8_t { kEmpty, kUint8, kUint64 };
  Kind kind = Kind::kEmpty;
  std::uint64_t value = 0;  ///< range index 0-15 for kUint8, the weight for kUint64
  friend bool operator==(const Weight&, const Weight&) = default;
};

/// FWPM_FILTER_CONDITION0. Conditions on the same field are OR'ed, different fields AND'ed.
struct Condition {
  FieldId field{};
  MatchType match = MatchType::kEqual;
  ConditionValue value;
  friend bool operator==(const Condition&, const Condition&) = default;
};

/// FWPM_FILTER0.
struct Filter {
  Guid key;                 ///< filterKey
  std::uint64_t id = 0;     ///< filterId (run-time LUID); 0 = assign on add
  std::string name;         ///< displayData.name (required)
  std::string description;  ///< displayData.description
  LayerId layer{};
  Guid sublayer;  ///< null = FWPM_SUBLAYER_UNIVERSAL
  std::optional<Guid> provider;
  Weight weight;
  ActionType action = ActionType::kBlock;
  std::optional<Guid> callout;  ///< FWPM_ACTION0::calloutKey, for callout actions
  std::uint32_t flags = 0;      ///< FWPM_FILTER_FLAG_*
  std::vector<Condition> conditions;
  std::uint64_t raw_context = 0;
  /// FWPM_FILTER0::providerContextKey (meaningful with FWPM_FILTER_FLAG_HAS_PROVIDER_CONTEXT).
  std::optional<Guid> provider_context;
  /// FWPM_FILTER0::providerData: opaque to the engine, kept so imported dumps lose nothing.
  std::vector<std::uint8_t> provider_data;
  /// Flag names a dump carried for which openfwp knows no bit (netsh prints e.g.
  /// FWPM_FILTER_FLAG_HAS_FILTER_ORIGIN). They have no effect; they are kept, not dropped.
  std::vector<std::string> other_flags;
  /// effectiveWeight as Windows recorded it in an imported dump; `fwp import` compares it
  /// with effective_weight. Never used for ordering.
  std::optional<std::uint64_t> recorded_effective_weight;
  /// Computed when the filter is added (model/effective_weight.h); read-only for users.
  std::uint64_t effective_weight = 0;
};

/// FWPM_SUBLAYER0.
struct Sublayer {
  Guid key;
  std::string name;
  std::string description;
  std::uint16_t weight = 0;
  std::optional<Guid> provider;
  std::uint32_t flags = 0;
  std::vector<std::uint8_t> provider_data;  ///< providerData, opaque
  std::vector<std::string> other_flags;     ///< flag names without a known bit (see Filter)
};

/// FWPM_PROVIDER0.
struct Provider {
  Guid key;
  std::string name;
  std::string description;
  std::uint32_t flags = 0;
  std::string service_name;
  std::vector<std::uint8_t> provider_data;  ///< providerData, opaque
  std::vector<std::string> other_flags;     ///< flag names without a known bit (see Filter)
};

/// FWPM_CALLOUT0: the management-side record of a callout; the behaviour is a registered
/// engine::CalloutDriver.
struct Callout {
  Guid key;
  std::string name;
  std::string description;
  LayerId applicable_layer{};
  std::optional<Guid> provider;
  std::uint32_t flags = 0;
  std::uint32_t id = 0;                     ///< run-time calloutId
  std::vector<std::uint8_t> provider_data;  ///< providerData, opaque
  std::vector<std::string> other_flags;     ///< flag names without a known bit (see Filter)
};

/// WFP spellings and lower-case aliases of the enums above ("FWP_MATCH_RANGE" / "range").
std::string_view match_type_name(MatchType type);
std::string_view match_type_alias(MatchType type);
std::optional<MatchType> match_type_from_text(std::string_view text);
std::string_view action_type_name(ActionType type);
std::string_view action_type_alias(ActionType type);
std::optional<ActionType> action_type_from_text(std::string_view text);
bool is_callout_action(ActionType type);
/// Whose flags: each object kind has its own FWPM_*_FLAG_* bits (fwpmtypes.h).
enum class FlagKind : std::uint8_t { kFilter, kProvider, kSublayer, kCallout };
/// The flag named `text` ("FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT", "clear_action_right", or a
/// single bit written "0x…", which is how names() prints bits without a name).
std::optional<std::uint32_t> flag_from_text(FlagKind kind, std::string_view text);
/// Names of the set bits, in bit order; bits without a name as "0x…".
std::vector<std::string> flag_names(FlagKind kind, std::uint32_t flags);
/// The same for filters.
std::optional<std::uint32_t> filter_flag_from_text(std::string_view text);
std::vector<std::string> filter_flag_names(std::uint32_t flags);

/// Well-known objects.
namespace well_known {
/// FWPM_SUBLAYER_UNIVERSAL: where filters without a sublayer go.
Guid universal_sublayer();
}  // namespace well_known

}  // namespace openfwp::model
