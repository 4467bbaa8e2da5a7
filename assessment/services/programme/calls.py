"""The call for applications, the tier applied for, the basic tier's spot-check draw, and what
the provincial review's proposal leads to on each route."""

import math
import random
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, PermissionDenied
from assessment.models import (
    AssessmentCycle,
    CallForApplications,
    Certification,
    EventKind,
    ProvinceQuota,
    Region,
    Route,
    SpotCheckDraw,
    Submission,
    SubmissionState,
    User,
)
from assessment.models.programme import DEFAULT_ROUTES, QUOTA_TIERS
from assessment.models.reviews import CertificationStatus
from assessment.permissions import (
    can_edit_submission,
    is_ministry_official,
    provincial_official_for,
)
from assessment.services.programme.common import (
    call_for_submission,
    calls_by_tier,
    cap_tier,
    province_of,
    require_state,
)
from assessment.services.workflow import lock_submission, record_event, submission_transition
from questionnaires.choices import Tier

S = SubmissionState
PROVINCIAL_CALL_TIERS = (Tier.BASIC, Tier.GROWTH)


@transaction.atomic
def call_publish(
    *,
    actor: User,
    cycle: AssessmentCycle,
    title_zh_hans: str,
    title_en: str,
    opens_at: datetime,
    closes_at: datetime,
    tiers: list[str],
    region: Region | None = None,
    routes: dict[str, str] | None = None,
    attachments_zh_hans: str = "",
    attachments_en: str = "",
    quota_leading: int = 3,
    quota_ecosystem: int = 1,
    quotas: dict[tuple[str, str], int] | None = None,
    spot_check_percent: int = 20,
    notice_working_days: int = 5,
    decision_number_pattern: str = "",
) -> CallForApplications:
    """Publish a cycle's call: the ministry's (no region), or a province's for basic/growth."""
    if region is None:
        if not is_ministry_official(actor):
            raise PermissionDenied(
                "not_ministry", _("Only a ministry official may publish the ministry's call.")
            )
    elif not provincial_official_for(actor, region.code):
        raise PermissionDenied(
            "not_provincial",
            _("Only an official of %(province)s may publish its call.") % {"province": region},
        )
    title_zh_hans, title_en = (title_zh_hans or "").strip(), (title_en or "").strip()
    if not title_zh_hans or not title_en:
        raise ApplicationError(
            "required", _("Give the call a title in Chinese and in English."), field="title_zh_hans"
        )
    if closes_at <= opens_at:
        raise ApplicationError(
            "closes_before_opens", _("The call must close after it opens."), field="closes_at"
        )
    tiers = [tier for tier in Tier.values if tier in set(tiers or [])]
    if not tiers:
        raise ApplicationError("required", _("Open the call to at least one tier."), field="tiers")
    if region is not None and set(tiers) - set(PROVINCIAL_CALL_TIERS):
        raise ApplicationError(
            "tier_not_provincial",
            _("A province's call is open to the basic and growth tiers only."),
            field="tiers",
        )
    chosen_routes = {str(tier): str(route) for tier, route in DEFAULT_ROUTES.items()}
    for tier, route in (routes or {}).items():
        if tier not in Tier.values or route not in Route.values:
            raise ApplicationError(
                "unknown_route", _("Choose one of the listed routes."), field="routes"
            )
        chosen_routes[tier] = route
    if not 0 <= spot_check_percent <= 100:
        raise ApplicationError(
            "out_of_range",
            _("Enter a spot-check share between 0 and 100 %."),
            field="spot_check_percent",
        )
    if not 1 <= notice_working_days <= 30:
        raise ApplicationError(
            "out_of_range",
            _("Enter a notice period between 1 and 30 working days."),
            field="notice_working_days",
        )
    pattern = (decision_number_pattern or "").strip() or CallForApplications._meta.get_field(
        "decision_number_pattern"
    ).default
    if "{number}" not in pattern:
        raise ApplicationError(
            "pattern_without_number",
            _("The decision number pattern must contain {number}."),
            field="decision_number_pattern",
        )
    try:
        pattern.format(year=2026, number=1)
    except (KeyError, IndexError, ValueError) as error:
        raise ApplicationError(
            "bad_pattern",
            _("Use only {year} and {number} in the decision number pattern."),
            field="decision_number_pattern",
        ) from error
    exists = CallForApplications.objects.filter(cycle=cycle, region=region).exists()
    if exists:
        raise ApplicationError(
            "call_exists", _("This cycle already has a call at this level."), field="cycle"
        )
    call = CallForApplications.objects.create(
        cycle=cycle,
        region=region,
        title_zh_hans=title_zh_hans,
        title_en=title_en,
        opens_at=opens_at,
        closes_at=closes_at,
        tiers=tiers,
        routes=chosen_routes,
        attachments_zh_hans=attachments_zh_hans.strip(),
        attachments_en=attachments_en.strip(),
        quota_leading=quota_leading,
        quota_ecosystem=quota_ecosystem,
        spot_check_percent=spot_check_percent,
        notice_working_days=notice_working_days,
        decision_number_pattern=pattern,
        created_by=actor,
    )
    for (province_code, tier), quota in (quotas or {}).items():
        if tier not in QUOTA_TIERS:
            raise ApplicationError(
                "tier_without_quota",
                _("Quotas are set for the leading and ecosystem tiers only."),
                field="quotas",
            )
        ProvinceQuota.objects.create(call=call, region_id=province_code, tier=tier, quota=quota)
    return call


def quota_of(call: CallForApplications, *, province_code: str, tier: str) -> int:
    override = call.quotas.filter(region_id=province_code, tier=tier).first()
    if override is not None:
        return override.quota
    return {Tier.LEADING: call.quota_leading, Tier.ECOSYSTEM: call.quota_ecosystem}.get(tier, 0)


# --- The operator's application ------------------------------------------------------------------


@transaction.atomic
def tier_apply(*, actor: User, submission: Submission, tier: str) -> Submission:
    """The operator states the tier applied for (申报等级), within the call's tiers."""
    if not can_edit_submission(actor, submission):
        raise PermissionDenied(
            "not_editor", _("Only the platform's own operators may apply for a tier.")
        )
    locked = lock_submission(submission.pk)
    require_state(locked, S.DRAFT, action=_("change the tier applied for"))
    governing = calls_by_tier(locked)
    if not governing:
        raise ApplicationError(
            "no_call", _("There is no call for applications in this cycle yet."), field="tier"
        )
    call = governing.get(tier)
    if call is None:
        raise ApplicationError(
            "tier_not_open", _("Choose one of the tiers this call is open to."), field="tier"
        )
    before = locked.tier_applied
    if before == tier:
        return locked
    locked.tier_applied = tier
    locked.save(update_fields=["tier_applied", "updated_at"])
    record_event(
        submission=locked,
        actor=actor,
        kind=EventKind.TIER_APPLIED,
        detail={"before": before, "after": tier, "call": call.pk},
    )
    submission.tier_applied = tier
    return locked


def application_check(submission: Submission, *, now: datetime | None = None) -> None:
    """Refuse a submission under a call when no tier is applied for or the window is shut.
    Called by submission_submit."""
    call = call_for_submission(submission)
    if call is None:
        return
    if not submission.tier_applied or submission.tier_applied not in call.tiers:
        raise ApplicationError(
            "tier_not_applied",
            _("Choose the tier you apply for before you submit."),
            field="tier_applied",
        )
    now = now or timezone.now()
    if now < call.opens_at:
        raise ApplicationError("call_not_open", _("The call for applications is not open yet."))
    if now > call.closes_at:
        raise ApplicationError(
            "call_closed", _("The call for applications closed; submissions are no longer taken.")
        )


# --- Basic: the spot-check draw ------------------------------------------------------------------


def draw_sample(population: list[int], *, percent: int, seed: str) -> list[int]:
    """The reproducible sample: `percent` of the population rounded up, drawn with `seed`."""
    population = sorted(population)
    size = min(len(population), math.ceil(len(population) * percent / 100))
    return sorted(random.Random(seed).sample(population, size))  # noqa: S311 - not secret


@transaction.atomic
def spot_check_draw(
    *, actor: User, call: CallForApplications, province_code: str | None, now=None
) -> SpotCheckDraw:
    """Once the call has closed, draw the basic applicants to be checked; certify the others
    on their self-assessment (or record that it does not reach the basic tier)."""
    now = now or timezone.now()
    if province_code is None:
        allowed = is_ministry_official(actor)
    else:
        allowed = provincial_official_for(actor, province_code)
    if not allowed:
        raise PermissionDenied(
            "not_provincial", _("Only the province's officials may draw its spot check.")
        )
    if call.route_for(Tier.BASIC) != Route.SPOT_CHECK:
        raise ApplicationError(
            "no_spot_check", _("This call does not take the basic tier by spot check.")
        )
    if now <= call.closes_at:
        raise ApplicationError(
            "call_still_open",
            _("The call closes on %(date)s; draw the spot check after it has closed.")
            % {"date": timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M")},
        )
    if SpotCheckDraw.objects.filter(call=call, region_id=province_code).exists():
        raise ApplicationError("already_drawn", _("The spot check is already drawn."))
    candidates = Submission.objects.select_for_update().filter(
        cycle_id=call.cycle_id, tier_applied=Tier.BASIC, state=S.SUBMITTED
    )
    if province_code is None:
        candidates = candidates.filter(platform__organisation__is_central=True)
    else:
        candidates = candidates.filter(
            platform__organisation__is_central=False,
            platform__region__code__startswith=province_code[:2],
        )
    by_id = {
        submission.pk: submission
        for submission in candidates.select_related("platform__organisation", "platform__region")
        if call_for_submission(submission) == call
    }
    # Named by what the draw is of, not by row ids, so the same programme draws the same sample
    # in any database (there is one ministry call per cycle, and one call per province).
    issuer = call.region_id or "ministry"
    seed = f"{call.cycle.code}:{issuer}:{province_code or 'central'}"
    sample = draw_sample(sorted(by_id), percent=call.spot_check_percent, seed=seed)
    draw = SpotCheckDraw.objects.create(
        call=call,
        region_id=province_code,
        seed=seed,
        percent=call.spot_check_percent,
        population=sorted(by_id),
        sample=sample,
        drawn_by=actor,
    )
    chosen = set(sample)
    for submission_id, submission in sorted(by_id.items()):
        record_event(
            submission=submission,
            actor=actor,
            kind=EventKind.SPOT_CHECK,
            detail={"draw": draw.pk, "seed": seed, "sampled": submission_id in chosen},
        )
        if submission_id not in chosen:
            _certify_on_self_assessment(actor=actor, submission=submission, now=now)
    return draw


def _certify_on_self_assessment(*, actor: User, submission: Submission, now) -> None:
    from assessment.services.reviews import _certify

    if submission.claimed_result not in Tier.values:
        submission_transition(
            submission=submission,
            to_state=S.NOT_CERTIFIED,
            actor=actor,
            note=str(_("The self-assessment does not reach the basic tier.")),
        )
        return
    summary = getattr(submission, "score_summary", None)
    submission.proposed_tier = Tier.BASIC
    submission.save(update_fields=["proposed_tier", "updated_at"])
    certification = Certification.objects.create(
        submission=submission,
        tier=Tier.BASIC,
        status=CertificationStatus.IN_PROGRAMME,
        rubric_label=submission.rubric_version.label,
        snapshot=summary.breakdown if summary is not None else {},
        proposed_by=submission.created_by,
        proposed_at=submission.submitted_at or now,
        signed_off_by=actor,
        signed_off_at=now,
    )
    _certify(certification, actor=actor, locked=submission, now=now)


# --- What the provincial review's proposal leads to ----------------------------------------------


def provincial_review_complete(
    *, actor: User, submission: Submission, result, call: CallForApplications
) -> Certification:
    """The reviewer's proposal on a programme submission (called by certification_propose,
    inside its transaction, with the submission locked). The tier proposed is the engine's,
    no higher than the tier applied for; its route decides what follows."""
    from assessment.services.reviews import _certify

    province = province_of(submission)
    if province is None and not actor.is_national:
        raise PermissionDenied(
            "central_enterprise",
            _(
                "A central enterprise applies directly to the ministry; "
                "a national reviewer reviews it."
            ),
        )
    tier = cap_tier(result.result, submission.tier_applied)
    route = call.route_for(tier)
    now = timezone.now()
    certification = Certification.objects.create(
        submission=submission,
        tier=tier,
        status=CertificationStatus.IN_PROGRAMME,
        rubric_label=submission.rubric_version.label,
        snapshot=result.to_dict(),
        proposed_by=actor,
        proposed_at=now,
    )
    submission.proposed_tier = tier
    submission.save(update_fields=["proposed_tier", "updated_at"])
    record_event(
        submission=submission,
        actor=actor,
        kind=EventKind.CERTIFICATION_PROPOSED,
        detail={
            "tier": tier,
            "engine_result": result.result,
            "tier_applied": submission.tier_applied,
            "route": route,
            "progress_index": certification.snapshot.get("progress_index"),
            "needs_sign_off": route != Route.SPOT_CHECK,
        },
    )
    if route == Route.SPOT_CHECK:
        _certify(certification, actor=actor, locked=submission, now=now)
    elif route == Route.PROVINCIAL:
        submission_transition(
            submission=submission,
            to_state=S.EXPERT_REVIEW,
            actor=actor,
            note=str(_("Provincial review done; to the provincial expert panel.")),
        )
    elif province is None:
        submission_transition(
            submission=submission,
            to_state=S.RECOMMENDED,
            actor=actor,
            note=str(_("A central enterprise: directly to the ministry's formal check.")),
            detail={"central": True},
        )
    return certification


def proposal_withdraw(*, submission: Submission) -> None:
    """Take back the programme proposal (formal check returned it, or an objection was upheld),
    so the province reviews again."""
    Certification.objects.filter(
        submission=submission, status=CertificationStatus.IN_PROGRAMME
    ).delete()
    submission.proposed_tier = ""
    submission.save(update_fields=["proposed_tier", "updated_at"])
