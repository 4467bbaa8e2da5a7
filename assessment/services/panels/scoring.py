"""Blind expert scoring, the per-indicator majority and the results it gives."""

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, Conflict, NotFound
from assessment.models import (
    EventKind,
    ExpertDecision,
    ExpertScore,
    Panel,
    PanelMember,
    PanelState,
    PanelSubmission,
    Submission,
    User,
)
from assessment.services.inputs import clean_text
from assessment.services.panels.judging import STRICTNESS_ORDER, judged_indicators
from assessment.services.scoring import build_score_inputs, load_score_inputs
from assessment.services.workflow import record_event
from questionnaires.choices import Result
from questionnaires.rubric import AnswerError, EvidenceStatus, Rubric, validate_answer
from questionnaires.scoring import AnswerInput, ScoreResult, score
from questionnaires.selectors import rubric_of

# --- Scoring -------------------------------------------------------------------------------------


def _member_or_404(user: User, panel: Panel) -> None:
    if not PanelMember.objects.filter(panel=panel, expert=user).exists():
        raise NotFound("not_found", _("That page does not exist or you may not see it."))


def _require_scoring(panel: Panel) -> None:
    if panel.state != PanelState.SCORING:
        raise ApplicationError(
            "panel_concluded", _("The panel has concluded; nothing can change any more.")
        )


def _storable(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def clean_decisions(
    rubric: Rubric, kind: str, tier: str, decisions: Any, *, complete: bool
) -> dict[str, dict]:
    """Validate an expert's decisions against the judged indicators (every one when `complete`)."""
    if not isinstance(decisions, dict):
        raise ApplicationError(
            "bad_decisions", _("Decisions are given per indicator code."), field="decisions"
        )
    indicators = {indicator.code: indicator for indicator in judged_indicators(rubric, kind, tier)}
    cleaned: dict[str, dict] = {}
    for code, given in decisions.items():
        field = f"decisions.{code}"
        if code not in indicators:
            raise ApplicationError(
                "unknown_indicator",
                _("%(code)s is not an indicator of the tier under review.") % {"code": code},
                field=field,
            )
        if isinstance(given, str):
            given = {"decision": given}
        if not isinstance(given, dict):
            raise ApplicationError(
                "unknown_decision", _("Choose agree, reject or a corrected value."), field=field
            )
        decision = given.get("decision") or ""
        reason = clean_text(given.get("reason") or "", field=field)
        if decision == ExpertDecision.AGREE:
            cleaned[code] = {"decision": decision, "reason": reason}
        elif decision == ExpertDecision.REJECTED:
            cleaned[code] = {"decision": decision, "reason": reason}
        elif decision == ExpertDecision.CORRECTED:
            try:
                value = _storable(validate_answer(indicators[code], given.get("value")))
            except AnswerError as error:
                raise ApplicationError(
                    "bad_corrected_value",
                    _("%(code)s: this value is not valid for the indicator.") % {"code": code},
                    field=field,
                    params=error.message_params,
                ) from error
            cleaned[code] = {"decision": decision, "value": value, "reason": reason}
        elif decision == "" and not complete:
            continue
        else:
            raise ApplicationError(
                "unknown_decision", _("Choose agree, reject or a corrected value."), field=field
            )
    if complete:
        missing = [code for code in indicators if code not in cleaned]
        if missing:
            raise ApplicationError(
                "decisions_missing",
                _("Decide every indicator before submitting; still open: %(codes)s.")
                % {"codes": ", ".join(missing)},
                field="decisions",
                params={"missing": missing},
            )
    return cleaned


@transaction.atomic
def expert_score_save(
    *,
    actor: User,
    entry: PanelSubmission,
    decisions: dict,
    recommended_tier: str = "",
    comment: str = "",
    submit: bool = False,
) -> ExpertScore:
    """Save an expert's scoring of one submission on their panel; with `submit` it is final
    (every indicator decided, a recommended tier) and can no longer change."""
    panel = Panel.objects.select_for_update().get(pk=entry.panel_id)
    _member_or_404(actor, panel)
    _require_scoring(panel)
    submission = entry.submission
    rubric = rubric_of(submission.rubric_version)
    cleaned = clean_decisions(
        rubric, submission.platform_kind, entry.tier, decisions, complete=submit
    )
    if recommended_tier and recommended_tier not in Result.values:
        raise ApplicationError(
            "bad_tier", _("Choose one of the tiers or not rated."), field="recommended_tier"
        )
    if submit and not recommended_tier:
        raise ApplicationError(
            "required", _("Choose the tier you recommend."), field="recommended_tier"
        )
    comment = clean_text(comment, field="comment")
    expert_score, _created = ExpertScore.objects.select_for_update().get_or_create(
        entry=entry, expert=actor
    )
    if expert_score.submitted_at is not None:
        raise Conflict(
            "already_submitted", _("You already submitted your scores for this submission.")
        )
    expert_score.decisions = cleaned
    expert_score.recommended_tier = recommended_tier
    expert_score.comment = comment
    if submit:
        own = expert_results(entry, [expert_score])[actor.pk]
        expert_score.result = own.result
        expert_score.progress_index = own.to_dict()["progress_index"]
        expert_score.submitted_at = timezone.now()
        record_event(
            submission=submission,
            actor=actor,
            kind=EventKind.PANEL,
            detail={"action": "scored", "panel": panel.pk},
        )
    expert_score.save()
    if submit and entry.scores.filter(submitted_at__isnull=False).count() == panel.size:
        # The last expert submitted: the panel's result is fixed from now on (the submission's
        # inputs cannot change while it is before the panel), so it is computed once, here.
        _store_entry_result(entry)
    return expert_score


def _store_entry_result(entry: PanelSubmission, loaded=None) -> "EntryResult":
    scores = list(entry.scores.filter(submitted_at__isnull=False).order_by("expert_id"))
    outcome = entry_result(entry, scores, loaded, with_experts=False)
    entry.majority = outcome.majority
    entry.breakdown = outcome.result.to_dict()
    entry.result = outcome.result.result
    entry.save(update_fields=["majority", "breakdown", "result"])
    return outcome


# --- The majority (pure) -------------------------------------------------------------------------


def _option_key(decision: dict) -> tuple:
    if decision["decision"] == ExpertDecision.CORRECTED:
        return (decision["decision"], json.dumps(decision.get("value"), sort_keys=True))
    return (decision["decision"],)


def majority_decision(
    votes: Sequence[dict], effective: Callable[[dict], Fraction]
) -> tuple[dict, dict]:
    """The panel's decision on one indicator from the experts' `votes`, and how it was reached.

    The decision (agree, reject, corrected) with the most votes wins; among corrected values,
    the value with the most votes. Where several have the most votes, the stricter wins: the
    one whose effective score `effective(decision)` is lower, then reject before corrected
    before agree.
    """

    def stricter(candidates: list[dict]) -> dict:
        if len(candidates) == 1:
            return candidates[0]
        return min(
            candidates,
            key=lambda d: (
                effective(d),
                STRICTNESS_ORDER.index(d["decision"]),
                json.dumps(d.get("value"), sort_keys=True),
            ),
        )

    kind_votes = Counter(vote["decision"] for vote in votes)
    top = max(kind_votes.values())
    tied_kinds = sorted(kind for kind, count in kind_votes.items() if count == top)
    representatives = []
    value_tie = False
    for kind in tied_kinds:
        if kind != ExpertDecision.CORRECTED:
            representatives.append({"decision": kind})
            continue
        corrected = [vote for vote in votes if vote["decision"] == kind]
        value_votes = Counter(_option_key(vote) for vote in corrected)
        top_value = max(value_votes.values())
        tied_values = [
            {"decision": kind, "value": vote["value"]}
            for key, vote in {_option_key(v): v for v in corrected}.items()
            if value_votes[key] == top_value
        ]
        value_tie = value_tie or len(tied_values) > 1
        representatives.append(stricter(tied_values))
    chosen = stricter(representatives)
    how = {
        "votes": dict(sorted(kind_votes.items())),
        "tie": len(tied_kinds) > 1 or value_tie,
    }
    return chosen, how


# --- Results -------------------------------------------------------------------------------------


def _base_inputs(submission: Submission, rubric: Rubric, loaded=None):
    answers, evidenced, decisions = (loaded or load_score_inputs([submission.pk]))[submission.pk]
    return build_score_inputs(rubric, answers, evidenced, decisions)


def apply_decision(inputs: dict[str, AnswerInput], code: str, decision: dict) -> None:
    """Engine input for `code` after an expert's (or the panel's) decision on it."""
    if decision["decision"] == ExpertDecision.AGREE:
        return
    current = inputs.get(code)
    if decision["decision"] == ExpertDecision.REJECTED:
        inputs[code] = AnswerInput(
            value=current.value if current else None, evidence=EvidenceStatus.REJECTED
        )
    else:
        inputs[code] = AnswerInput(value=decision["value"], evidence=EvidenceStatus.CORRECTED)


def score_with_decisions(
    rubric: Rubric, kind: str, preconditions, base: dict[str, AnswerInput], decisions: dict
) -> ScoreResult:
    inputs = dict(base)
    for code, decision in decisions.items():
        apply_decision(inputs, code, decision)
    return score(rubric, kind, preconditions, inputs)


@dataclass(frozen=True)
class EntryResult:
    majority: dict[str, dict]  # code → {"decision", "value"?, "votes", "tie"}
    result: ScoreResult
    expert_results: dict[int, ScoreResult]  # expert id → engine on that expert's decisions


def entry_result(
    entry: PanelSubmission, scores: Sequence[ExpertScore], loaded=None, *, with_experts=True
) -> EntryResult:
    """The panel's result for one submission: the engine on the per-indicator majority."""
    submission = entry.submission
    rubric = rubric_of(submission.rubric_version)
    kind = submission.platform_kind
    preconditions, base = _base_inputs(submission, rubric, loaded)

    def effective_for(code: str) -> Callable[[dict], Fraction]:
        def effective(decision: dict) -> Fraction:
            trial = score_with_decisions(rubric, kind, preconditions, base, {code: decision})
            return sum(
                (c.e for c in trial.criteria if c.indicator == code and c.tier == entry.tier),
                Fraction(0),
            )

        return effective

    majority: dict[str, dict] = {}
    for indicator in judged_indicators(rubric, kind, entry.tier):
        votes = [s.decisions[indicator.code] for s in scores if indicator.code in s.decisions]
        if not votes:
            continue
        kinds = {_option_key(vote) for vote in votes}
        if len(kinds) == 1:  # unanimous: no trial scoring needed
            chosen = {k: v for k, v in votes[0].items() if k in ("decision", "value")}
            how = {"votes": {votes[0]["decision"]: len(votes)}, "tie": False}
        else:
            chosen, how = majority_decision(votes, effective_for(indicator.code))
        majority[indicator.code] = {**chosen, **how}
    result = score_with_decisions(rubric, kind, preconditions, base, majority)
    return EntryResult(
        majority=majority,
        result=result,
        expert_results=_expert_results(rubric, kind, preconditions, base, scores)
        if with_experts
        else {},
    )


def _decisions_key(decisions: dict) -> str:
    return json.dumps(
        {code: [d["decision"], d.get("value")] for code, d in decisions.items()}, sort_keys=True
    )


def _expert_results(rubric, kind, preconditions, base, scores) -> dict[int, ScoreResult]:
    """The engine on each expert's decisions (experts who decided alike share one run)."""
    by_key: dict[str, ScoreResult] = {}
    results = {}
    for expert_score in scores:
        key = _decisions_key(expert_score.decisions)
        if key not in by_key:
            by_key[key] = score_with_decisions(
                rubric, kind, preconditions, base, expert_score.decisions
            )
        results[expert_score.expert_id] = by_key[key]
    return results


def expert_results(
    entry: PanelSubmission, scores: Sequence[ExpertScore], loaded=None
) -> dict[int, ScoreResult]:
    """Each expert's own result for one submission (the engine on their decisions)."""
    submission = entry.submission
    rubric = rubric_of(submission.rubric_version)
    preconditions, base = _base_inputs(submission, rubric, loaded)
    return _expert_results(rubric, submission.platform_kind, preconditions, base, scores)
