"""The review pipeline's waiting times, against hand-computed days."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessment.models import SubmissionEvent
from assessment.selectors.dashboards import DashboardFilters, dashboard_data
from tests.factories import CycleFactory, backdate_event, scored_submission

pytestmark = pytest.mark.django_db


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def entered(submission, state: str, days: float, from_state: str = "in_review"):
    event = SubmissionEvent.objects.create(
        submission=submission, kind="state_changed", from_state=from_state, to_state=state
    )
    backdate_event(event.pk, days_ago(days))


@pytest.fixture
def cycle():
    return CycleFactory(code="2027")


def pipeline():
    data = dashboard_data(user=None, filters=DashboardFilters(cycle="2027"))
    return {row["state"]: row for row in data["pipeline"]}


def test_submitted_waits_since_submission(cycle):
    for days in (2, 4):
        submission = scored_submission(region_code="440300", cycle=cycle, state="submitted")
        submission.submitted_at = days_ago(days)
        submission.save(update_fields=["submitted_at"])
    row = pipeline()["submitted"]
    assert (row["submissions"], row["mean_wait_days"], row["max_wait_days"]) == (2, 3.0, 4.0)


def test_revision_request_waits_since_its_latest_request(cycle):
    submission = scored_submission(region_code="440300", cycle=cycle, state="revision_requested")
    entered(submission, "revision_requested", 10)
    entered(submission, "revision_requested", 3)  # a second round: this one counts
    other = scored_submission(region_code="440300", cycle=cycle, state="revision_requested")
    entered(other, "revision_requested", 5)
    row = pipeline()["revision_requested"]
    assert (row["submissions"], row["mean_wait_days"], row["max_wait_days"]) == (2, 4.0, 5.0)


def test_certified_shows_days_from_submission_to_certification(cycle):
    submission = scored_submission(
        region_code="440300", cycle=cycle, state="certified", certified_tier="basic"
    )
    submission.submitted_at = days_ago(30)
    submission.save(update_fields=["submitted_at"])
    entered(submission, "certified", 9)
    row = pipeline()["certified"]
    assert (row["mean_wait_days"], row["max_wait_days"]) == (21.0, 21.0)
