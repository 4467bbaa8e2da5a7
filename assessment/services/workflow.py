"""The submission state machine: the one place a submission's state changes.

Role checks (who may do it) belong to the calling service; this module guards the order of
states, locks the row, and records the event.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError
from assessment.models import EventKind, Submission, SubmissionEvent, SubmissionState, User
from assessment.services.dashboard_cache import dashboard_cache_invalidate

S = SubmissionState
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    # basic: a submission left out of the province's spot-check sample is certified on its
    # self-assessment (or one that does not reach it) once the call closes.
    S.SUBMITTED: {S.IN_REVIEW, S.CERTIFIED, S.NOT_CERTIFIED, S.WITHDRAWN},
    S.IN_REVIEW: {
        S.REVISION_REQUESTED,
        S.CERTIFIED,
        S.RECOMMENDED,
        S.EXPERT_REVIEW,
        S.NOT_CERTIFIED,
    },
    S.REVISION_REQUESTED: {S.RESUBMITTED, S.WITHDRAWN},
    S.RESUBMITTED: {S.IN_REVIEW, S.REVISION_REQUESTED, S.CERTIFIED, S.WITHDRAWN},
    # leading and ecosystem: the ministry's formal check passes it to a panel or returns it.
    S.RECOMMENDED: {S.EXPERT_REVIEW, S.IN_REVIEW, S.NOT_CERTIFIED},
    # growth goes from its panel to the notice; leading and ecosystem to the on-site check.
    S.EXPERT_REVIEW: {S.SITE_CHECK, S.PUBLIC_NOTICE, S.IN_REVIEW, S.NOT_CERTIFIED},
    # a failed on-site check returns the submission to its panel with the findings.
    S.SITE_CHECK: {S.PUBLIC_NOTICE, S.EXPERT_REVIEW, S.NOT_CERTIFIED},
    # an upheld objection sends it back to review; otherwise it is published.
    S.PUBLIC_NOTICE: {S.CERTIFIED, S.IN_REVIEW, S.NOT_CERTIFIED},
    S.CERTIFIED: set(),
    S.NOT_CERTIFIED: set(),
    S.WITHDRAWN: set(),
}
# States in which the operator may change answers and evidence (all of them in a draft; only
# the reopened questions during a revision).
EDITABLE_STATES = {S.DRAFT, S.REVISION_REQUESTED}


def lock_submission(submission_id: int) -> Submission:
    """Re-read the submission under a row lock, for a write that depends on its state."""
    return Submission.objects.select_for_update().select_related("platform").get(pk=submission_id)


def record_event(
    *, submission: Submission, actor: User | None, kind: str, note: str = "", **fields
) -> SubmissionEvent:
    return SubmissionEvent.objects.create(
        submission=submission, actor=actor, kind=kind, note=note, **fields
    )


@transaction.atomic
def submission_transition(
    *, submission: Submission, to_state: str, actor: User, note: str = "", detail=None
) -> Submission:
    """Move a submission to `to_state` if the state machine allows it, recording the event."""
    locked = lock_submission(submission.pk)
    from_state = locked.state
    if to_state not in ALLOWED_TRANSITIONS[from_state]:
        raise ApplicationError(
            "invalid_transition",
            _("A submission that is “%(from)s” cannot become “%(to)s”.")
            % {"from": S(from_state).label, "to": S(to_state).label},
        )
    locked.state = to_state
    update_fields = ["state", "updated_at"]
    if to_state in (S.SUBMITTED, S.RESUBMITTED):
        locked.submitted_at = timezone.now()
        update_fields.append("submitted_at")
    locked.save(update_fields=update_fields)
    record_event(
        submission=locked,
        actor=actor,
        kind=EventKind.STATE_CHANGED,
        from_state=from_state,
        to_state=to_state,
        note=note,
        detail=detail or {},
    )
    dashboard_cache_invalidate()  # the review pipeline and certified counts move with states
    submission.state = locked.state
    submission.submitted_at = locked.submitted_at
    return locked
