// SPDX-License-Identifier: Apache-2.0
// The arbitration rules of arbitration.h, applied to the matches of one layer.
#include "engine/arbitration.h"

#include <fmt/format.h>

namespace openfwp::engine {
namespace {

using model::ActionType;
using model::Filter;

// The result of evaluating one matching filter.
struct Evaluation {
  Outcome outcome = Outcome::kContinue;
  bool hard = false;
  bool from_callout = false;
  bool absorb = false;
  std::string note;  // only filled when explaining
};

Evaluation evaluate_static(const Filter& filter) {
  Evaluation e;
  if (filter.action == ActionType::kPermit) {
    e.outcome = Outcome::kPermit;
    e.hard = (filter.flags & model::filter_flag::kClearActionRight) != 0;
  } else {
    // WFP: Filter Arbitration — "Filter block: Hard block".
    e.outcome = Outcome::kBlock;
    e.hard = true;
  }
  return e;
}

Evaluation evaluate_callout(const Filter& filter, const ArbitrationRequest& request,
                            bool action_right) {
  Evaluation e;
  e.from_callout = true;
  CalloutDriver* driver = request.callouts(*filter.callout);
  if (driver == nullptr) {
    if (filter.action == ActionType::kCalloutInspection) {
      if (request.explain) e.note = "callout not registered: inspection skipped";
      return e;
    }
    // WFP: FWPM_FILTER0 flags — an unregistered callout's filter is treated as a block filter,
    // or as a permit filter with FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED.
    const bool permit = (filter.flags & model::filter_flag::kPermitIfCalloutUnregistered) != 0;
    e.from_callout = false;
    e.outcome = permit ? Outcome::kPermit : Outcome::kBlock;
    e.hard = !permit || (filter.flags & model::filter_flag::kClearActionRight) != 0;
    if (request.explain) {
      e.note = permit ? "callout not registered: treated as permit "
                        "(FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED)"
                      : "callout not registered: treated as block";
    }
    return e;
  }
  const CalloutClassifyArgs args{request.in, request.metadata, filter, action_right,
                                 request.metadata.flow_context};
  const ClassifyOut out = driver->classify(args);
  if (filter.action == ActionType::kCalloutInspection) {
    if (out.action != ClassifyOut::Action::kContinue && request.explain) {
      e.note = "inspection callout returned a terminating action; ignored";
    }
    return e;
  }
  switch (out.action) {
    case ClassifyOut::Action::kContinue:
      if (request.explain) e.note = "callout returned continue";
      return e;
    case ClassifyOut::Action::kPermit:
      e.outcome = Outcome::kPermit;
      break;
    case ClassifyOut::Action::kBlock:
      e.outcome = Outcome::kBlock;
      e.absorb = out.absorb;
      break;
  }
  // WFP: callout permits and blocks are soft unless the right is cleared.
  e.hard = out.clear_action_right || (filter.flags & model::filter_flag::kClearActionRight) != 0;
  return e;
}

std::string describe(const Filter& filter) {
  return fmt::format("filter {} \"{}\"", filter.id, filter.name);
}

std::string strength(Outcome outcome, bool hard) {
  return fmt::format("{} {}", hard ? "hard" : "soft", outcome_name(outcome));
}

class Arbiter {
 public:
  explicit Arbiter(const ArbitrationRequest& request) : request_(request) {
    if (request.explain) {
      for (const auto* sublayer : request.layer.sublayers) {
        SublayerStep step;
        step.key = sublayer->key;
        step.name = sublayer->name;
        step.weight = sublayer->weight;
        decision_.sublayers.push_back(std::move(step));
      }
    }
  }

  Decision run() {
    if (request_.layer.matcher) {
      request_.layer.matcher->for_each_match(
          request_.in, [this](const classify::MatchEntry& entry) { return visit(entry); });
    }
    finish_sublayer();
    if (!decided_) {
      decision_.action = Outcome::kPermit;
      summarize(
          [&] { return std::string("no filter decided; the layer default (permit) applies"); });
    }
    return std::move(decision_);
  }

 private:
  classify::VisitNext visit(const classify::MatchEntry& entry) {
    if (!current_rank_ || *current_rank_ != entry.sublayer_rank) {
      finish_sublayer();
      current_rank_ = entry.sublayer_rank;
    }
    const Filter& filter = *entry.filter;
    if (sublayer_result_) {
      // Only reached when explaining: the sublayer already decided, WFP skips this filter.
      record(filter, Evaluation{Outcome::kNotEvaluated, false, false, false,
                                "not evaluated: a higher-weight filter in this sublayer decided"});
      return classify::VisitNext::kContinue;
    }
    const Evaluation e = model::is_callout_action(filter.action)
                             ? evaluate_callout(filter, request_, action_right_)
                             : evaluate_static(filter);
    if (request_.explain) record(filter, e);
    if (e.outcome == Outcome::kPermit || e.outcome == Outcome::kBlock) {
      sublayer_result_ = e;
      sublayer_filter_ = &filter;
      return request_.explain ? classify::VisitNext::kContinue : classify::VisitNext::kNextSublayer;
    }
    return classify::VisitNext::kContinue;
  }

  void record(const Filter& filter, const Evaluation& e) {
    FilterStep step;
    step.filter_id = filter.id;
    step.name = filter.name;
    step.effective_weight = filter.effective_weight;
    step.action = filter.action;
    step.outcome = e.outcome;
    step.hard = e.hard;
    step.note = e.note;
    decision_.sublayers[*current_rank_].filters.push_back(std::move(step));
  }

  // Applies rule 3/4 of arbitration.h to the finished sublayer's result.
  void finish_sublayer() {
    if (!current_rank_ || !sublayer_result_) {
      sublayer_result_.reset();
      return;
    }
    const Evaluation& r = *sublayer_result_;
    const Filter& filter = *sublayer_filter_;
    Effect effect = Effect::kNone;
    if (!decided_) {
      effect = Effect::kDecided;
      decision_.reason = r.hard ? Reason::kHard : Reason::kSoft;
      summarize([&] {
        return fmt::format("{} by {} in sublayer \"{}\": {}",
                           r.outcome == Outcome::kPermit ? "permitted" : "blocked",
                           describe(filter), sublayer_name(), strength(r.outcome, r.hard));
      });
      take(r, filter);
    } else if (action_right_) {
      effect = Effect::kOverrode;
      decision_.reason = r.hard ? Reason::kHard : Reason::kOverride;
      decision_.superseded_filter = decision_.filter_id;
      if (r.outcome != decision_.action) {
        summarize([&] {
          return fmt::format(
              "{} by {} in sublayer \"{}\": it overrides the soft {} decided earlier",
              r.outcome == Outcome::kPermit ? "permitted" : "blocked", describe(filter),
              sublayer_name(), outcome_name(decision_.action));
        });
      } else {
        summarize([&] {
          return fmt::format("{} by {} in sublayer \"{}\": {} (restates the soft {})",
                             r.outcome == Outcome::kPermit ? "permitted" : "blocked",
                             describe(filter), sublayer_name(), strength(r.outcome, r.hard),
                             outcome_name(decision_.action));
        });
      }
      take(r, filter);
    } else if (decision_.action == Outcome::kPermit && r.outcome == Outcome::kBlock &&
               r.from_callout) {
      // WFP: a Block returned by a callout when the action right was already cleared is a
      // Veto: it overrides a hard permit, and WFP audits the conflict.
      effect = Effect::kVeto;
      decision_.reason = Reason::kVeto;
      decision_.superseded_filter = decision_.filter_id;
      decision_.from_callout = true;
      name_decider(filter);
      summarize([&] {
        return fmt::format(
            "blocked by a callout veto of {} in sublayer \"{}\" over the hard permit of filter {}",
            describe(filter), sublayer_name(), decision_.filter_id.value_or(0));
      });
      decision_.action = Outcome::kBlock;
      decision_.filter_id = filter.id;
      decision_.veto = true;
      decision_.absorb = r.absorb;
    } else {
      effect = Effect::kIgnoredHard;
    }
    if (request_.explain) {
      SublayerStep& step = decision_.sublayers[*current_rank_];
      step.result = r.outcome;
      step.deciding = filter.id;
      step.effect = effect;
    }
    sublayer_result_.reset();
    sublayer_filter_ = nullptr;
  }

  void take(const Evaluation& r, const Filter& filter) {
    decided_ = true;
    decision_.action = r.outcome;
    decision_.hard = r.hard;
    decision_.filter_id = filter.id;
    decision_.absorb = r.absorb;
    decision_.from_callout = r.from_callout;
    name_decider(filter);
    if (r.hard) action_right_ = false;
  }

  // The summary sentence costs as much as the rest of a classification: it is written only
  // when explaining.
  template <class Sentence>
  void summarize(Sentence&& sentence) {
    if (request_.explain) decision_.summary = sentence();
  }

  void name_decider(const Filter& filter) {
    const model::Sublayer* sublayer = request_.layer.sublayers[*current_rank_];
    decision_.filter_name = filter.name;
    decision_.sublayer_name = sublayer->name;
    decision_.sublayer_weight = sublayer->weight;
  }

  std::string sublayer_name() const { return request_.layer.sublayers[*current_rank_]->name; }

  const ArbitrationRequest& request_;
  Decision decision_;
  bool decided_ = false;
  bool action_right_ = true;  // FWPS_RIGHT_ACTION_WRITE across sublayers
  std::optional<std::uint32_t> current_rank_;
  std::optional<Evaluation> sublayer_result_;
  const Filter* sublayer_filter_ = nullptr;
};

}  // namespace

Decision arbitrate(const ArbitrationRequest& request) { return Arbiter(request).run(); }

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPermit:
      return "permit";
    case Outcome::kBlock:
      return "block";
    case Outcome::kContinue:
      return "continue";
    case Outcome::kNotEvaluated:
      return "not evaluated";
  }
  return "?";
}

std::string_view reason_name(Reason reason) {
  switch (reason) {
    case Reason::kLayerDefault:
      return "layer_default";
    case Reason::kHard:
      return "hard";
    case Reason::kSoft:
      return "soft";
    case Reason::kOverride:
      return "override";
    case Reason::kVeto:
      return "veto";
  }
  return "?";
}

std::string_view effect_name(Effect effect) {
  switch (effect) {
    case Effect::kNone:
      return "none";
    case Effect::kDecided:
      return "decided";
    case Effect::kOverrode:
      return "overrode";
    case Effect::kIgnoredHard:
      return "ignored: the decision so far is hard";
    case Effect::kVeto:
      return "veto";
  }
  return "?";
}

}  // namespace openfwp::engine
