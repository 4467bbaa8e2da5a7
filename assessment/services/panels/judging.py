"""What a panel judges and who may sit on it: the judged tier and indicators, avoidance and
the reproducible draw."""

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessment.models import (
    ConflictDeclaration,
    EventKind,
    ExpertDecision,
    ExpertProfile,
    PanelLevel,
    ReviewDecision,
    Role,
    Submission,
    SubmissionEvent,
    SubmissionState,
    User,
)
from questionnaires.choices import Tier
from questionnaires.rubric import Indicator, Rubric

S = SubmissionState
MIN_PANEL_SIZE = 3
MAX_PANEL_SIZE = 15
MAX_PANEL_SUBMISSIONS = 50

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
