"""Waiting times of the review pipeline: from the submissions' own fields, or from the
state-change event that entered the current state."""

from django.db.models import (
    Avg,
    Case,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from assessment.models import (
    EventKind,
    SubmissionEvent,
    SubmissionState,
)

_EVENT_TIMED_STATES = (SubmissionState.REVISION_REQUESTED, SubmissionState.CERTIFIED)


def _field_waiting_time(now: Value):
    """Days in the current state from the submission's own fields: a draft since it was
    started, other open states since (re)submission (NULL for the event-timed states)."""
    return Case(
        When(state__in=_EVENT_TIMED_STATES, then=Value(None)),
        When(state=SubmissionState.DRAFT, then=now - F("created_at")),
        default=ExpressionWrapper(
            now - Coalesce("submitted_at", "created_at"), output_field=DurationField()
        ),
        output_field=DurationField(),
    )


def _event_waits(in_cycle, now: Value) -> dict[str, dict]:
    """Waiting times timed by the state-change event that entered the current state: a revision
    request since it was made; certified: from submission to certification. One row per
    submission (its latest entry into the state, found by an anti-join), grouped by state."""
    later = SubmissionEvent.objects.filter(
        submission=OuterRef("submission"),
        kind=EventKind.STATE_CHANGED,
        to_state=OuterRef("to_state"),
    ).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), id__gt=OuterRef("id"))
    )
    wait = Case(
        When(
            to_state=SubmissionState.CERTIFIED,
            then=F("created_at") - Coalesce("submission__submitted_at", "submission__created_at"),
        ),
        default=ExpressionWrapper(now - F("created_at"), output_field=DurationField()),
        output_field=DurationField(),
    )
    entries = (
        SubmissionEvent.objects.filter(
            kind=EventKind.STATE_CHANGED,
            submission__in=in_cycle.filter(state__in=_EVENT_TIMED_STATES).values("id"),
            to_state=F("submission__state"),
        )
        .exclude(Exists(later))
        .values("to_state")
        .annotate(mean_wait=Avg(wait), max_wait=Max(wait))
        .order_by()
    )
    return {row["to_state"]: row for row in entries}
