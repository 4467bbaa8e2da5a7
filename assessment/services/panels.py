"""Expert panels (专家评审): the draw, blind scoring, the per-indicator majority, the panel's
opinion, defence sessions and the conclusion that moves each submission on.

The draw is reproducible: the eligible experts, ordered by id, are sampled with
``random.Random(seed)``; the seed, the pool, who was excluded and why, and the order drawn are
recorded on the panel. The panel's result is the scoring engine run on the per-indicator
majority of the experts' decisions (a tie takes the stricter decision), so it is explained line
by line like any other score. See docs/programme_panels.md.
"""

import json
import random
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from assessment.models import (
    ConflictDeclaration,
    DefenceSession,
    EventKind,
    ExpertDecision,
    ExpertProfile,
    ExpertScore,
    Panel,
    PanelLevel,
    PanelMember,
    PanelState,
    PanelSubmission,
    ReviewDecision,
    Role,
    Submission,
    SubmissionEvent,
    SubmissionState,
    User,
)
from assessment.permissions import visible_submissions
from assessment.services import notifications
from assessment.services.scoring import build_score_inputs, load_score_inputs
from assessment.services.workflow import lock_submission, record_event, submission_transition
from questionnaires.choices import Result, Tier
from questionnaires.rubric import AnswerError, EvidenceStatus, Indicator, Rubric, validate_answer
from questionnaires.scoring import AnswerInput, ScoreResult, score
from questionnaires.selectors import rubric_of

S = SubmissionState
MIN_PANEL_SIZE = 3
MAX_PANEL_SIZE = 15
MAX_PANEL_SUBMISSIONS = 50
TEXT_MAX_LENGTH = 4000
#: Tiers whose panels the province forms; the others go to a ministry panel.
PROVINCIAL_PANEL_TIERS = (Tier.GROWTH,)
NATIONAL_PANEL_TIERS = (Tier.LEADING, Tier.ECOSYSTEM)
#: After the panel: growth goes to the public notice, leading and ecosystem to the site check.
NEXT_STATE = {
    Tier.GROWTH: S.PUBLIC_NOTICE,
    Tier.LEADING: S.SITE_CHECK,
    Tier.ECOSYSTEM: S.SITE_CHECK,
}
#: Of decisions with equal votes and equal effect on the score, the stricter comes first.
STRICTNESS_ORDER = (ExpertDecision.REJECTED, ExpertDecision.CORRECTED, ExpertDecision.AGREE)


# --- What a panel judges -------------------------------------------------------------------------


def judged_tier(submission: Submission) -> str:
    """The tier whose indicators the experts decide: the tier applied for, else the claimed one."""
    if submission.tier_applied:
        return submission.tier_applied
    return submission.claimed_result if submission.claimed_result in Tier.values else ""


def judged_indicators(rubric: Rubric, kind: str, tier: str) -> list[Indicator]:
    """The indicators that apply to `kind` and have a criterion at `tier`, in rubric order."""
    return [
        indicator
        for indicator in rubric.indicators
        if indicator.applies_to(kind) and indicator.criterion(tier) is not None
    ]


def proposers_of(submission_ids: Iterable[int]) -> set[int]:
    """Users who proposed a tier for these submissions (the reviewers who reviewed them, who
    proposed certification, recommended them or sent them from review to a panel): they never
    sit on the panel or check the tier on site. The ministry's formal check proposes nothing."""
    submission_ids = list(submission_ids)
    ids = set(
        Submission.objects.filter(
            pk__in=submission_ids, assigned_reviewer__isnull=False
        ).values_list("assigned_reviewer_id", flat=True)
    )
    ids |= set(
        ReviewDecision.objects.filter(submission_id__in=submission_ids)
        .values_list("reviewer_id", flat=True)
        .distinct()
    )
    ids |= set(
        SubmissionEvent.objects.filter(submission_id__in=submission_ids, actor__isnull=False)
        .filter(
            Q(kind=EventKind.CERTIFICATION_PROPOSED)
            | Q(kind=EventKind.STATE_CHANGED, to_state=S.RECOMMENDED)
            | Q(kind=EventKind.STATE_CHANGED, from_state=S.IN_REVIEW, to_state=S.EXPERT_REVIEW)
        )
        .values_list("actor_id", flat=True)
        .distinct()
    )
    return ids


# --- The draw (pure) -----------------------------------------------------------------------------


def draw_experts(eligible_ids: Sequence[int], size: int, seed: int) -> list[int]:
    """Draw `size` experts from `eligible_ids`: the same ids and seed always give the same panel."""
    return random.Random(seed).sample(sorted(eligible_ids), size)  # noqa: S311 (not a secret)


@dataclass(frozen=True)
class Eligibility:
    eligible: list[int]
    excluded: dict[int, list[str]]  # expert id → reasons


def expert_eligibility(
    *, level: str, province_code: str, submissions: Sequence[Submission], formed_by: User
) -> Eligibility:
    """Who in the pool may sit on a panel for `submissions`, and why the others may not.

    Avoidance: the applicant's organisation, a declared conflict with it, having proposed the
    tier (or forming the panel), and for a ministry panel the applicant's province. A provincial
    panel draws from the province's experts.
    """
    profiles = ExpertProfile.objects.filter(
        in_pool=True, user__is_active=True, user__role=Role.EXPERT
    ).values_list("user_id", "home_province_id", "user__organisation_id")
    organisation_ids = {submission.platform.organisation_id for submission in submissions}
    applicant_provinces = {submission.platform.region.province_code for submission in submissions}
    conflicted = set(
        ConflictDeclaration.objects.filter(organisation_id__in=organisation_ids).values_list(
            "reviewer_id", flat=True
        )
    )
    proposers = proposers_of(submission.pk for submission in submissions) | {formed_by.pk}
    eligible, excluded = [], {}
    for user_id, home_province, organisation_id in profiles:
        reasons = []
        if level == PanelLevel.PROVINCIAL and home_province != province_code:
            reasons.append("other_province")
        if organisation_id is not None and organisation_id in organisation_ids:
            reasons.append("own_organisation")
        if user_id in conflicted:
            reasons.append("declared_conflict")
        if user_id in proposers:
            reasons.append("proposed_tier")
        if level == PanelLevel.NATIONAL and home_province in applicant_provinces:
            reasons.append("applicant_province")
        if reasons:
            excluded[user_id] = reasons
        else:
            eligible.append(user_id)
    return Eligibility(eligible=sorted(eligible), excluded=excluded)


AVOIDANCE_REASONS = {
    "other_province": _("not in the province's pool"),
    "own_organisation": _("works for the applicant"),
    "declared_conflict": _("declared a conflict of interest with the applicant"),
    "proposed_tier": _("proposed the tier under review or forms the panel"),
    "applicant_province": _("from the applicant's province"),
    "not_expert": _("not an expert in the pool"),
}


# --- Forming a panel -----------------------------------------------------------------------------


def _text(value: str, *, field: str, required_message=None) -> str:
    text = (value or "").strip()
    if required_message is not None and not text:
        raise ApplicationError("required", required_message, field=field)
    if len(text) > TEXT_MAX_LENGTH:
        raise ApplicationError(
            "too_long",
            _("Keep it under %(count)d characters.") % {"count": TEXT_MAX_LENGTH},
            field=field,
        )
    return text


def _panel_level(actor: User, tiers: set[str]) -> str:
    if tiers <= set(PROVINCIAL_PANEL_TIERS):
        level = PanelLevel.PROVINCIAL
    elif tiers <= set(NATIONAL_PANEL_TIERS):
        level = PanelLevel.NATIONAL
    else:
        raise ApplicationError(
            "mixed_levels",
            _(
                "A panel judges either growth applications (a provincial panel) or leading and "
                "ecosystem applications (a ministry panel), not both."
            ),
            field="submissions",
        )
    if actor.role != Role.REVIEWER or (level == PanelLevel.NATIONAL) != actor.is_national:
        raise PermissionDenied(
            "not_panel_official",
            _(
                "Provincial reviewers form the panels for growth applications; national "
                "reviewers form the ministry panels for leading and ecosystem applications."
            ),
        )
    return level


def _check_size(size: Any) -> int:
    if isinstance(size, str) and size.strip().isdigit():
        size = int(size.strip())
    if isinstance(size, bool) or not isinstance(size, int):
        raise ApplicationError("panel_size", _("Enter the number of experts."), field="size")
    if size < MIN_PANEL_SIZE or size > MAX_PANEL_SIZE:
        raise ApplicationError(
            "panel_size",
            _("A panel has between %(min)d and %(max)d experts.")
            % {"min": MIN_PANEL_SIZE, "max": MAX_PANEL_SIZE},
            field="size",
        )
    if size % 2 == 0:
        raise ApplicationError(
            "panel_size_even",
            _("A panel has an odd number of experts, so that every indicator has a majority."),
            field="size",
        )
    return size


def _check_seed(seed: Any) -> int:
    if seed in (None, ""):
        return secrets.randbits(62)
    if isinstance(seed, str) and seed.strip().isdigit():
        seed = int(seed.strip())
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**62:
        raise ApplicationError(
            "bad_seed", _("The seed is a whole number from 0 to 2⁶²−1."), field="seed"
        )
    return seed


@transaction.atomic
def panel_form(
    *,
    actor: User,
    submissions: Sequence[Submission],
    size: int,
    seed: int | None = None,
    named_experts: Sequence[User] = (),
    email: bool = True,
) -> Panel:
    """Form a panel of `size` experts for `submissions` (all in expert review, all growth or all
    leading/ecosystem). `named_experts` are seated first (each checked against the avoidance
    rules); the other seats are drawn at random with `seed` (a new random seed if none). The
    first expert seated leads the panel."""
    size = _check_size(size)
    seed = _check_seed(seed)
    ids = sorted({submission.pk for submission in submissions})
    if not ids:
        raise ApplicationError(
            "no_submissions", _("Choose at least one submission."), field="submissions"
        )
    if len(ids) > MAX_PANEL_SUBMISSIONS:
        raise ApplicationError(
            "too_many_submissions",
            _("A panel judges at most %(count)d submissions.") % {"count": MAX_PANEL_SUBMISSIONS},
            field="submissions",
        )
    locked = list(
        Submission.objects.select_for_update()
        .filter(pk__in=ids)
        .select_related("platform__region", "platform__organisation", "rubric_version")
        .order_by("pk")
    )
    in_scope = set(visible_submissions(actor).filter(pk__in=ids).values_list("pk", flat=True))
    if len(locked) != len(ids) or in_scope != set(ids):
        raise NotFound("not_found", _("That page does not exist or you may not see it."))
    tiers = {}
    for submission in locked:
        if submission.state != S.EXPERT_REVIEW:
            raise ApplicationError(
                "wrong_state",
                _("%(platform)s is not waiting for an expert panel.")
                % {"platform": submission.platform},
                field="submissions",
            )
        tier = judged_tier(submission)
        if not tier or tier == Tier.BASIC:
            raise ApplicationError(
                "no_tier_to_judge",
                _("%(platform)s applies for no tier an expert panel judges.")
                % {"platform": submission.platform},
                field="submissions",
            )
        tiers[submission.pk] = tier
    level = _panel_level(actor, set(tiers.values()))
    provinces = {submission.platform.region.province_code for submission in locked}
    province_code = ""
    if level == PanelLevel.PROVINCIAL:
        if len(provinces) != 1:
            raise ApplicationError(
                "mixed_provinces",
                _("A provincial panel judges the applications of one province."),
                field="submissions",
            )
        province_code = provinces.pop()
    busy = PanelSubmission.objects.filter(
        submission_id__in=ids, panel__state=PanelState.SCORING
    ).select_related("submission__platform")
    for entry in busy:
        raise Conflict(
            "already_on_panel",
            _("%(platform)s is already before a panel.") % {"platform": entry.submission.platform},
            field="submissions",
        )
    eligibility = expert_eligibility(
        level=level, province_code=province_code, submissions=locked, formed_by=actor
    )
    named_ids = []
    for expert in named_experts:
        if expert.pk in named_ids:
            continue
        reasons = eligibility.excluded.get(expert.pk)
        if reasons is None and expert.pk not in eligibility.eligible:
            reasons = ["not_expert"]
        if reasons:
            raise ApplicationError(
                "expert_not_eligible",
                _("%(expert)s may not sit on this panel: %(reasons)s.")
                % {
                    "expert": expert,
                    "reasons": "; ".join(str(AVOIDANCE_REASONS[r]) for r in reasons),
                },
                field="named_experts",
            )
        named_ids.append(expert.pk)
    if len(named_ids) > size:
        raise ApplicationError(
            "too_many_named",
            _("More experts are named than the panel has seats."),
            field="named_experts",
        )
    remaining = [pk for pk in eligibility.eligible if pk not in named_ids]
    if len(remaining) < size - len(named_ids):
        raise ApplicationError(
            "pool_too_small",
            _(
                "Only %(count)d experts in the pool may sit on this panel; "
                "choose a smaller panel or add experts to the pool."
            )
            % {"count": len(eligibility.eligible)},
            field="size",
        )
    drawn = draw_experts(remaining, size - len(named_ids), seed)
    members = named_ids + drawn
    now = timezone.now()
    panel = Panel.objects.create(
        level=level,
        province_id=province_code or None,
        size=size,
        seed=seed,
        draw={
            "method": "random.Random(seed).sample(sorted(eligible), size - len(named))",
            "eligible": remaining,
            "named": named_ids,
            "drawn": drawn,
            "excluded": {str(pk): reasons for pk, reasons in sorted(eligibility.excluded.items())},
        },
        formed_by=actor,
        formed_at=now,
        lead_id=members[0],
    )
    PanelMember.objects.bulk_create(
        PanelMember(panel=panel, expert_id=expert_id, draw_order=order)
        for order, expert_id in enumerate(members, start=1)
    )
    PanelSubmission.objects.bulk_create(
        PanelSubmission(panel=panel, submission=submission, tier=tiers[submission.pk])
        for submission in locked
    )
    for submission in locked:
        record_event(
            submission=submission,
            actor=actor,
            kind=EventKind.PANEL,
            detail={"action": "formed", "panel": panel.pk, "seed": seed, "size": size},
        )
    notifications.notification_send(
        email=email,
        recipients=User.objects.filter(pk__in=members),
        submission=None,
        kind="panel_drawn",
        subject=_("You sit on expert panel %(number)s"),
        message=_(
            "You were drawn for expert panel %(number)s (%(level)s, %(count)s submissions). "
            "Score each submission on your own under My panels."
        ),
        params={"number": panel.pk, "level": PanelLevel(level).label, "count": len(locked)},
    )
    return panel


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
        reason = _text(given.get("reason") or "", field=field)
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
    comment = _text(comment, field="comment")
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


# --- Opinion, defence, conclusion ----------------------------------------------------------------


def _all_submitted(panel: Panel) -> bool:
    expected = panel.size * panel.entries.count()
    return (
        ExpertScore.objects.filter(entry__panel=panel, submitted_at__isnull=False).count()
        == expected
    )


def _require_all_submitted(panel: Panel) -> None:
    if not _all_submitted(panel):
        raise ApplicationError(
            "scores_missing",
            _("Not every expert has submitted scores for every submission yet."),
        )


def _lock_panel(panel: Panel) -> Panel:
    return Panel.objects.select_for_update().get(pk=panel.pk)


@transaction.atomic
def panel_write_opinion(*, actor: User, panel: Panel, opinion: str) -> Panel:
    """The panel lead writes the panel opinion (专家组意见) once every expert has submitted."""
    locked = _lock_panel(panel)
    _member_or_404(actor, locked)
    if locked.lead_id != actor.pk:
        raise PermissionDenied("not_panel_lead", _("Only the panel lead writes the panel opinion."))
    _require_scoring(locked)
    _require_all_submitted(locked)
    locked.opinion = _text(
        opinion, field="opinion", required_message=_("Write the panel's opinion.")
    )
    locked.opinion_at = timezone.now()
    locked.save(update_fields=["opinion", "opinion_at"])
    for entry in locked.entries.select_related("submission"):
        record_event(
            submission=entry.submission,
            actor=actor,
            kind=EventKind.PANEL,
            detail={"action": "opinion", "panel": locked.pk},
        )
    return locked


def _require_panel_official(actor: User, panel: Panel) -> None:
    """The official who formed the panel, or another official of the same level and scope."""
    if actor.pk == panel.formed_by_id:
        return
    same_level = actor.role == Role.REVIEWER and actor.is_national == (
        panel.level == PanelLevel.NATIONAL
    )
    ids = list(panel.entries.values_list("submission_id", flat=True))
    if not same_level or visible_submissions(actor).filter(pk__in=ids).count() != len(ids):
        raise PermissionDenied(
            "not_panel_official", _("Only the officials who run this panel may do that.")
        )
    if PanelMember.objects.filter(panel=panel, expert=actor).exists():
        raise PermissionDenied(
            "panel_member", _("A member of the panel cannot run it as an official.")
        )


@transaction.atomic
def defence_record(
    *,
    actor: User,
    panel: Panel,
    submission: Submission,
    held_on: date | None,
    attendees: str,
    notes: str,
) -> DefenceSession:
    """Record a defence session (答辩) of one applicant before the panel."""
    locked = _lock_panel(panel)
    if actor.pk != locked.lead_id:
        _require_panel_official(actor, locked)
    _require_scoring(locked)
    if not locked.entries.filter(submission=submission).exists():
        raise NotFound("not_found", _("That page does not exist or you may not see it."))
    if not isinstance(held_on, date):
        raise ApplicationError("required", _("Enter the date of the defence."), field="held_on")
    if held_on > timezone.localdate():
        raise ApplicationError(
            "future_date", _("A defence is recorded after it was held."), field="held_on"
        )
    attendees = _text(attendees, field="attendees", required_message=_("List who attended."))
    notes = _text(notes, field="notes", required_message=_("Write the notes of the defence."))
    defence = DefenceSession.objects.create(
        panel=locked,
        submission=submission,
        held_on=held_on,
        attendees=attendees,
        notes=notes,
        recorded_by=actor,
    )
    record_event(
        submission=submission,
        actor=actor,
        kind=EventKind.PANEL,
        detail={"action": "defence", "panel": locked.pk, "held_on": held_on.isoformat()},
    )
    return defence


@transaction.atomic
def panel_conclude(*, actor: User, panel: Panel) -> Panel:
    """Conclude the panel: every submission gets the engine's result on the majority as its
    proposed tier and moves on (growth → public notice, leading/ecosystem → on-site check,
    no tier reached → not certified)."""
    locked = _lock_panel(panel)
    _require_panel_official(actor, locked)
    _require_scoring(locked)
    _require_all_submitted(locked)
    if not locked.opinion:
        raise ApplicationError(
            "opinion_missing", _("The panel lead has not written the panel opinion yet.")
        )
    entries = list(
        locked.entries.select_related("submission__rubric_version", "submission__platform")
    )
    loaded = load_score_inputs([entry.submission_id for entry in entries])
    now = timezone.now()
    for entry in entries:
        _store_entry_result(entry, loaded)  # the same inputs as at the last submission
        submission = lock_submission(entry.submission_id)
        if submission.state != S.EXPERT_REVIEW:
            raise ApplicationError(
                "wrong_state",
                _("%(platform)s is no longer waiting for its expert panel.")
                % {"platform": submission.platform},
            )
        submission.proposed_tier = entry.result
        submission.save(update_fields=["proposed_tier", "updated_at"])
        to_state = NEXT_STATE[entry.tier] if entry.result in Tier.values else S.NOT_CERTIFIED
        submission_transition(
            submission=submission,
            to_state=to_state,
            actor=actor,
            note=str(_("Expert panel concluded")),
            detail={"panel": locked.pk, "result": entry.result},
        )
        record_event(
            submission=submission,
            actor=actor,
            kind=EventKind.PANEL,
            detail={"action": "concluded", "panel": locked.pk, "result": entry.result},
        )
    locked.state = PanelState.CONCLUDED
    locked.concluded_by = actor
    locked.concluded_at = now
    locked.save(update_fields=["state", "concluded_by", "concluded_at"])
    return locked


# --- The pool ------------------------------------------------------------------------------------


@transaction.atomic
def expert_conflict_declare(*, expert: User, organisation, reason: str) -> ConflictDeclaration:
    """An expert declares a conflict of interest: no panel for that organisation draws them."""
    if expert.role != Role.EXPERT:
        raise PermissionDenied("not_expert", _("Only experts declare conflicts here."))
    reason = _text(reason, field="reason", required_message=_("Describe the conflict of interest."))
    declaration, created = ConflictDeclaration.objects.get_or_create(
        reviewer=expert, organisation=organisation, defaults={"reason": reason}
    )
    if not created:
        raise Conflict(
            "already_declared",
            _("You already declared a conflict of interest with %(organisation)s.")
            % {"organisation": organisation},
        )
    return declaration


__all__ = [
    "defence_record",
    "draw_experts",
    "entry_result",
    "expert_conflict_declare",
    "expert_eligibility",
    "expert_score_save",
    "judged_indicators",
    "judged_tier",
    "majority_decision",
    "panel_conclude",
    "panel_form",
    "panel_write_opinion",
]
