"""Leading and ecosystem: the province's ranked recommendation within its quota, signed by a
provincial lead, and the ministry's formal check (pass to the expert panel, or return)."""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, PermissionDenied
from assessment.models import (
    CallForApplications,
    EventKind,
    FormalCheck,
    Recommendation,
    RecommendationEntry,
    Route,
    Submission,
    SubmissionState,
    User,
)
from assessment.models.programme import QUOTA_TIERS
from assessment.permissions import is_ministry_official, provincial_lead_for
from assessment.services.programme.calls import proposal_withdraw, quota_of
from assessment.services.programme.common import (
    call_for_submission,
    programme_proposal,
    province_of,
    require_not_proposer,
    require_state,
    required_text,
)
from assessment.services.workflow import record_event, submission_transition
from questionnaires.choices import Tier

S = SubmissionState


def quota_used(call: CallForApplications, *, province_code: str, tier: str) -> int:
    """Recommended platforms that count against the quota (those returned by the formal check
    do not)."""
    return RecommendationEntry.objects.filter(
        recommendation__call=call,
        recommendation__region_id=province_code,
        recommendation__tier=tier,
        returned_at__isnull=True,
    ).count()


def recommendation_candidates(call: CallForApplications, *, province_code: str, tier: str):
    """Submissions of the province whose review proposes `tier` and that await the province's
    recommendation."""
    return (
        Submission.objects.filter(
            cycle_id=call.cycle_id,
            state=S.IN_REVIEW,
            proposed_tier=tier,
            platform__organisation__is_central=False,
            platform__region__code__startswith=province_code[:2],
            certification__status="in_programme",
        )
        .exclude(
            Exists(
                RecommendationEntry.objects.filter(
                    submission=OuterRef("pk"), returned_at__isnull=True
                )
            )
        )
        .select_related("platform__organisation", "platform__region", "score_summary")
        .order_by("-score_summary__progress_index", "id")
    )


@transaction.atomic
def recommendation_sign(
    *,
    actor: User,
    call: CallForApplications,
    province_code: str,
    tier: str,
    entries: list[tuple[Submission, str]],
) -> Recommendation:
    """Sign the province's recommendation: `entries` in rank order, each with its opinion.
    Every submission moves to “recommended”; the list must fit the province's quota."""
    if not provincial_lead_for(actor, province_code):
        raise PermissionDenied(
            "not_provincial_lead",
            _("Only a lead reviewer or regulator of the province signs its recommendation."),
        )
    if tier not in QUOTA_TIERS or call.route_for(tier) != Route.MINISTRY:
        raise ApplicationError(
            "tier_not_recommended",
            _("This call does not take the %(tier)s tier by recommendation.")
            % {"tier": Tier(tier).label if tier in Tier.values else tier},
            field="tier",
        )
    if not entries:
        raise ApplicationError("required", _("Recommend at least one platform."), field="entries")
    ids = [submission.pk for submission, _opinion in entries]
    if len(set(ids)) != len(ids):
        raise ApplicationError(
            "duplicate", _("Each platform appears once in the list."), field="entries"
        )
    locked = {
        submission.pk: submission
        for submission in Submission.objects.select_for_update()
        .filter(pk__in=ids)
        .select_related("platform__organisation", "platform__region")
    }
    quota = quota_of(call, province_code=province_code, tier=tier)
    used = quota_used(call, province_code=province_code, tier=tier)
    if used + len(ids) > quota:
        raise ApplicationError(
            "over_quota",
            _(
                "The quota for %(tier)s is %(quota)d platforms per province; %(used)d are "
                "recommended already, so at most %(left)d more."
            )
            % {
                "tier": Tier(tier).label,
                "quota": quota,
                "used": used,
                "left": max(quota - used, 0),
            },
            field="entries",
        )
    candidates = set(
        recommendation_candidates(call, province_code=province_code, tier=tier).values_list(
            "pk", flat=True
        )
    )
    cleaned = []
    for index, (submission, opinion) in enumerate(entries):
        current = locked.get(submission.pk)
        if current is None or current.pk not in candidates or call_for_submission(current) != call:
            raise ApplicationError(
                "not_candidate",
                _("%(platform)s does not await this province's recommendation for this tier.")
                % {"platform": submission.platform},
                field=f"entries.{index}",
            )
        require_not_proposer(actor, current)
        text = required_text(
            opinion,
            field=f"entries.{index}.opinion",
            message=_("Write the recommendation opinion for %(platform)s.")
            % {"platform": current.platform},
        )
        cleaned.append((current, text))
    recommendation = Recommendation.objects.create(
        call=call, region_id=province_code, tier=tier, signed_by=actor
    )
    for rank, (submission, opinion) in enumerate(cleaned, start=1):
        RecommendationEntry.objects.create(
            recommendation=recommendation, submission=submission, rank=rank, opinion=opinion
        )
        submission_transition(submission=submission, to_state=S.RECOMMENDED, actor=actor)
        record_event(
            submission=submission,
            actor=actor,
            kind=EventKind.RECOMMENDED,
            note=opinion,
            detail={"recommendation": recommendation.pk, "rank": rank, "tier": tier},
        )
    return recommendation


@transaction.atomic
def formal_check_decide(
    *, actor: User, submission: Submission, complete: bool, eligible: bool, reason: str = ""
) -> FormalCheck:
    """The ministry's formal check: complete and eligible passes it to the expert panel;
    otherwise it returns to the province with the reason."""
    if not is_ministry_official(actor):
        raise PermissionDenied(
            "not_ministry", _("Only a ministry official carries out the formal check.")
        )
    locked = (
        Submission.objects.select_for_update()
        .select_related("platform__organisation", "platform__region")
        .get(pk=submission.pk)
    )
    require_state(locked, S.RECOMMENDED, action=_("carry out the formal check"))
    require_not_proposer(actor, locked)
    entry = (
        RecommendationEntry.objects.select_for_update()
        .filter(submission=locked, returned_at__isnull=True)
        .first()
    )
    if province_of(locked) is not None and entry is None:
        # A national step never bypasses the province for a non-central applicant.
        raise PermissionDenied(
            "not_recommended",
            _("The province has not recommended this platform; the ministry cannot check it."),
        )
    passed = bool(complete) and bool(eligible)
    reason = (reason or "").strip()
    if not passed:
        reason = required_text(
            reason, field="reason", message=_("Give the province the reason for returning it.")
        )
    check = FormalCheck.objects.create(
        submission=locked,
        complete=bool(complete),
        eligible=bool(eligible),
        passed=passed,
        reason=reason,
        checked_by=actor,
    )
    record_event(
        submission=locked,
        actor=actor,
        kind=EventKind.FORMAL_CHECK,
        note=reason,
        detail={"passed": passed, "complete": bool(complete), "eligible": bool(eligible)},
    )
    if passed:
        submission_transition(submission=locked, to_state=S.EXPERT_REVIEW, actor=actor)
    else:
        from django.utils import timezone

        if entry is not None:
            entry.returned_at = timezone.now()
            entry.save(update_fields=["returned_at"])
        programme_proposal(locked, lock=True)
        proposal_withdraw(submission=locked)
        submission_transition(submission=locked, to_state=S.IN_REVIEW, actor=actor, note=reason)
    submission.state = locked.state
    return check
