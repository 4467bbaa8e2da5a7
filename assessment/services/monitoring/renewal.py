"""Renewal: a new submission copied from the certified one, marked as the certification's renewal.

An operator may apply from the day of the 6-month expiry reminder until the last day of
validity, once per certification (a renewal withdrawn or not certified may be applied for again),
into the latest open cycle in which the platform has no submission yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, Conflict, NotFound
from assessment.models import (
    AssessmentCycle,
    Certification,
    EventKind,
    Renewal,
    Submission,
    SubmissionState,
    User,
)
from assessment.models.reviews import CertificationStatus
from assessment.services.monitoring.common import EXPIRY_REMINDERS
from assessment.services.submissions import submission_copy_from_previous
from assessment.services.workflow import record_event

# The renewal window opens with the 6-month expiry reminder, so the reminder's invitation to
# renew always finds the button.
RENEWAL_WINDOW_DAYS = dict(EXPIRY_REMINDERS)["6m"]
# A renewal in these states is over without a certification: another may be applied for.
ENDED_WITHOUT_CERTIFICATION = (SubmissionState.WITHDRAWN, SubmissionState.NOT_CERTIFIED)


@dataclass(frozen=True)
class RenewalOffer:
    certification: Certification
    cycle: AssessmentCycle
    opens_on: date  # the first day a renewal may be applied for


def renewal_opens_on(certification: Certification) -> date | None:
    if certification.valid_until is None:
        return None
    return certification.valid_until - timedelta(days=RENEWAL_WINDOW_DAYS)


def open_cycles(today: date) -> list[AssessmentCycle]:
    return list(
        AssessmentCycle.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by(
            "-opens_on", "-id"
        )
    )


def choose_cycle(
    certification: Certification,
    cycles: list[AssessmentCycle],
    taken: set[tuple[int, int]],
) -> AssessmentCycle | None:
    """The latest of the open `cycles` after the certified one in which the platform has no
    submission (`taken` holds (platform id, cycle id) pairs); pure, so a page can decide for
    many certifications with the same two queries."""
    certified = certification.submission
    for cycle in cycles:  # latest first
        if cycle.opens_on <= certified.cycle.opens_on:
            return None
        if (certified.platform_id, cycle.pk) not in taken:
            return cycle
    return None


def renewal_cycle(certification: Certification, today: date) -> AssessmentCycle | None:
    cycles = open_cycles(today)
    taken = set(
        Submission.objects.filter(
            platform_id=certification.submission.platform_id, cycle__in=cycles
        ).values_list("platform_id", "cycle_id")
    )
    return choose_cycle(certification, cycles, taken)


def renewal_refusal(
    certification: Certification, today: date, *, under_way: bool | None = None
) -> ApplicationError | None:
    """Why `certification` cannot be renewed today, or None when it can (no cycle check).
    `under_way`: whether a renewal is under way, when the caller already knows."""
    if certification.status != CertificationStatus.CERTIFIED or certification.valid_until is None:
        return ApplicationError("not_certified", _("Only a certification in force can be renewed."))
    if certification.valid_until < today:
        return ApplicationError(
            "expired",
            _(
                "The certification expired after %(date)s; it can no longer be renewed. "
                "Start a new submission instead."
            )
            % {"date": certification.valid_until.isoformat()},
        )
    opens_on = renewal_opens_on(certification)
    if today < opens_on:
        return ApplicationError(
            "renewal_not_yet",
            _(
                "A renewal can be applied for from %(date)s, six months before the "
                "certification expires."
            )
            % {"date": opens_on.isoformat()},
        )
    if under_way is None:
        under_way = (
            Renewal.objects.filter(renews=certification)
            .exclude(submission__state__in=ENDED_WITHOUT_CERTIFICATION)
            .exists()
        )
    if under_way:
        return Conflict(
            "renewal_open", _("A renewal of this certification has already been applied for.")
        )
    return None


def renewal_offer(certification: Certification, today: date) -> RenewalOffer | None:
    """What the operator's pages offer: a renewal into a cycle, or nothing."""
    if renewal_refusal(certification, today) is not None:
        return None
    cycle = renewal_cycle(certification, today)
    if cycle is None:
        return None
    return RenewalOffer(
        certification=certification, cycle=cycle, opens_on=renewal_opens_on(certification)
    )


@transaction.atomic
def renewal_start(
    *,
    actor: User,
    certification: Certification,
    cycle: AssessmentCycle | None = None,
    today: date | None = None,
) -> Submission:
    """A renewal: a new draft copied from the certified submission, marked so (docs/monitoring.md).

    `cycle` defaults to the one the pages offer. Refused, changing nothing, outside the renewal
    window, after expiry, or while another renewal of the certification is under way.
    """
    today = today or timezone.localdate()
    # Locked so that two clicks (or two colleagues) cannot open two renewals.
    certification = (
        Certification.objects.select_for_update()
        .select_related("submission__platform", "submission__cycle")
        .get(pk=certification.pk)
    )
    certified = certification.submission
    if not (actor.is_authenticated and actor.is_operator) or (
        certified.platform.organisation_id != actor.organisation_id
    ):
        raise NotFound("not_found", _("That page does not exist or you may not see it."))
    refusal = renewal_refusal(certification, today)
    if refusal is not None:
        raise refusal
    cycle = cycle or renewal_cycle(certification, today)
    if cycle is None:
        raise ApplicationError(
            "no_open_cycle",
            _(
                "No assessment cycle is open for a renewal of %(platform)s at the moment "
                "(or the platform already has a submission in the open cycle)."
            )
            % {"platform": certified.platform.name},
        )
    submission = submission_copy_from_previous(
        actor=actor, platform=certified.platform, cycle=cycle, source=certified
    )
    Renewal.objects.create(submission=submission, renews=certification)
    record_event(
        submission=submission,
        actor=actor,
        kind=EventKind.COPIED,
        note="renewal",
        detail={
            "renewal_of": certification.pk,
            "tier": certification.tier,
            "valid_until": certification.valid_until.isoformat(),
        },
    )
    return submission
