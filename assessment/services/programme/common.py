"""What the programme's services share: the call that governs a submission, its province,
who proposed its tier, text checks, working days."""

from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, PermissionDenied
from assessment.models import (
    CallForApplications,
    Certification,
    Submission,
    SubmissionState,
    User,
)
from assessment.models.reviews import CertificationStatus
from assessment.services.inputs import clean_text
from questionnaires.choices import Tier

S = SubmissionState
TEXT_MAX_LENGTH = 2000
TIER_ORDER = list(Tier.values)


def province_of(submission: Submission) -> str | None:
    """The province whose officials act for the submission; None for a central enterprise
    (it applies directly to the ministry)."""
    if submission.platform.organisation.is_central:
        return None
    return submission.platform.region.province_code


def call_for_submission(submission: Submission) -> CallForApplications | None:
    """The call that governs `submission`: its province's call of the cycle when that call is
    open to the tier applied for, otherwise the ministry's call; None outside the programme."""
    return call_for_tier(submission, submission.tier_applied)


def calls_by_tier(submission: Submission) -> dict[str, CallForApplications]:
    """For each tier some call of the submission's cycle is open to, the call that would
    govern an application for it."""
    governing = {}
    for tier in Tier.values:
        call = call_for_tier(submission, tier)
        if call is not None and tier in call.tiers:
            governing[tier] = call
    return governing


def call_for_tier(submission: Submission, tier: str) -> CallForApplications | None:
    calls = list(
        CallForApplications.objects.filter(cycle_id=submission.cycle_id).select_related("region")
    )
    province = province_of(submission)
    for call in calls:
        if call.region_id and call.region_id == province and tier in call.tiers:
            return call
    return next((call for call in calls if call.region_id is None), None)


def programme_proposal(submission: Submission, *, lock: bool = False) -> Certification | None:
    certifications = Certification.objects.filter(
        submission=submission, status=CertificationStatus.IN_PROGRAMME
    )
    if lock:
        certifications = certifications.select_for_update()
    return certifications.first()


def proposer_ids(submission: Submission) -> set[int]:
    """Who proposed the submission's tier: the reviewer of the proposal and the assigned
    reviewer. None of them may sign it off."""
    ids = {submission.assigned_reviewer_id} - {None}
    ids |= set(
        Certification.objects.filter(submission=submission).values_list("proposed_by_id", flat=True)
    )
    return ids


def require_not_proposer(actor: User, submission: Submission) -> None:
    if actor.pk in proposer_ids(submission):
        raise PermissionDenied(
            "proposer_cannot_sign",
            _("You proposed the tier of %(platform)s; another official must take this step.")
            % {"platform": submission.platform},
        )


def required_text(value: str, *, field: str, message, max_length: int = TEXT_MAX_LENGTH) -> str:
    return clean_text(value, field=field, required_message=message, max_length=max_length)


def require_state(submission: Submission, *states: str, action) -> None:
    if submission.state not in states:
        raise ApplicationError(
            "wrong_state",
            _("You cannot %(action)s while the submission is “%(state)s”.")
            % {"action": action, "state": S(submission.state).label},
        )


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def next_working_day(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def notice_period(starts: date, working_days: int) -> tuple[date, date]:
    """The first and last day of a notice of `working_days` working days starting on `starts`
    (or the next working day); Saturdays and Sundays are skipped."""
    first = next_working_day(starts)
    last, counted = first, 1
    while counted < working_days:
        last += timedelta(days=1)
        if is_working_day(last):
            counted += 1
    return first, last


def cap_tier(result: str, tier_applied: str) -> str:
    """The engine's result, no higher than the tier applied for."""
    if not tier_applied or tier_applied not in TIER_ORDER:
        return result
    return TIER_ORDER[min(TIER_ORDER.index(result), TIER_ORDER.index(tier_applied))]
