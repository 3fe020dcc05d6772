// SPDX-License-Identifier: Apache-2.0
// Decision: what classification at one layer concluded, which filter decided, and (on request)
// the full explanation — every sublayer in order, every matching filter in order, what each
// did and why the winner won. Values, not references: a Decision outlives the snapshot.
#pragma once

#include "common/guid.h"
#include "model/filter.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace openfwp::engine {

/// The outcome of one filter or one sublayer.
enum class Outcome : std::uint8_t {
  kPermit,
  kBlock,
  kContinue,      ///< matched but did not decide (inspection callout, or callout said continue)
  kNotEvaluated,  ///< matched, but a higher-weight filter of the sublayer had already decided
};

std::string_view outcome_name(Outcome outcome);

/// One matching filter, as arbitration saw it.
struct FilterStep {
  std::uint64_t filter_id = 0;
  std::string name;
  std::uint64_t effective_weight = 0;
  model::ActionType action = model::ActionType::kBlock;
  Outcome outcome = Outcome::kContinue;
  bool hard = false;  ///< its permit/block cleared the action right
  std::string note;   ///< e.g. "callout not registered: treated as block"
};

/// How a sublayer's result combined with the decision so far.
enum class Effect : std::uint8_t {
  kNone,         ///< no filter of the sublayer decided
  kDecided,      ///< first decision of the layer
  kOverrode,     ///< replaced an overridable (soft) decision
  kIgnoredHard,  ///< the decision so far was hard; this result had no effect
  kVeto,         ///< callout block overriding a hard permit
};

std::string_view effect_name(Effect effect);

struct SublayerStep {
  Guid key;
  std::string name;
  std::uint16_t weight = 0;
  std::vector<FilterStep> filters;        ///< matching filters, in arbitration order
  Outcome result = Outcome::kContinue;    ///< the sublayer's own result
  std::optional<std::uint64_t> deciding;  ///< the filter that produced `result`
  Effect effect = Effect::kNone;
};

/// Why the final action stands; the verdict line of an explanation is written from it.
enum class Reason : std::uint8_t {
  kLayerDefault,  ///< no filter decided; the layer default applied
  kHard,          ///< the deciding filter cleared the action right (hard permit / block)
  kSoft,          ///< a soft decision that no lower sublayer replaced
  kOverride,      ///< a lower sublayer replaced an earlier soft decision (right still set)
  kVeto,          ///< a callout block over a hard permit
};

std::string_view reason_name(Reason reason);

struct Decision {
  /// Final action: kPermit or kBlock (a layer with no deciding filter applies its default).
  Outcome action = Outcome::kPermit;
  /// The action right was cleared (hard permit / hard block).
  bool hard = false;
  /// Decided by a callout veto (a block overriding a hard permit): WFP audits this.
  bool veto = false;
  /// Absorbed by a callout: dropped silently, no discard-layer indication.
  bool absorb = false;
  /// The filter whose action stands; nullopt when the layer default applied.
  std::optional<std::uint64_t> filter_id;
  /// Why `action` stands (always filled).
  Reason reason = Reason::kLayerDefault;
  /// The deciding result came from a callout's classify (not a static filter action).
  bool from_callout = false;
  /// The deciding filter's name and its sublayer (name and weight); empty with the default.
  std::string filter_name;
  std::string sublayer_name;
  std::uint16_t sublayer_weight = 0;
  /// kOverride: the filter whose soft decision was replaced; kVeto: the vetoed hard permit.
  std::optional<std::uint64_t> superseded_filter;
  /// Filled only when explanation was requested.
  std::vector<SublayerStep> sublayers;
  /// One sentence: why this action. Filled only when explaining (ClassifyOptions::explain):
  /// formatting it was half the cost of a classification; renderers of unexplained decisions
  /// use reason and the names above.
  std::string summary;
};

}  // namespace openfwp::engine
