"""Forming a panel: the level, the size, the seed, the draw recorded on the panel."""

import secrets
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from assessment.models import (
    EventKind,
    Panel,
    PanelLevel,
    PanelMember,
    PanelState,
    PanelSubmission,
    Role,
    Submission,
    User,
)
from assessment.permissions import visible_submissions
from assessment.services import notifications
from assessment.services.panels.judging import (
    AVOIDANCE_REASONS,
    MAX_PANEL_SIZE,
    MAX_PANEL_SUBMISSIONS,
    MIN_PANEL_SIZE,
    NATIONAL_PANEL_TIERS,
    PROVINCIAL_PANEL_TIERS,
    S,
    draw_experts,
    expert_eligibility,
    judged_tier,
)
from assessment.services.workflow import record_event
from questionnaires.choices import Tier

# --- Forming a panel -----------------------------------------------------------------------------


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
