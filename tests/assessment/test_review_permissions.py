"""Who may use the review desk: role × region for the queue, the review screen and decisions,
and conflicts of interest (membership or a declared conflict)."""

import pytest
from django.urls import reverse

from assessment.errors import ApplicationError, PermissionDenied
from assessment.models import ConflictDeclaration, EventKind, ReviewDecision, SubmissionEvent
from assessment.services import reviews
from tests.factories import (
    OrganisationFactory,
    PlatformFactory,
    admin,
    answered_submission,
    operator,
    region,
    regulator,
    reviewer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shenzhen_submission():
    """A Shenzhen (Guangdong) submission in review by a Guangdong reviewer."""
    platform = PlatformFactory(organisation=OrganisationFactory(region=region("440300")))
    submission = answered_submission(platform=platform)
    desk = reviewer("440000")
    reviews.review_assign(actor=desk, submission=submission, reviewer=desk)
    reviews.review_start(actor=desk, submission=submission)
    submission.desk = desk
    return submission


USERS = {
    "assigned reviewer": lambda submission: submission.desk,
    "other Guangdong reviewer": lambda submission: reviewer("440000"),
    "Shenzhen city reviewer": lambda submission: reviewer("440300"),
    "Zhejiang reviewer": lambda submission: reviewer("330000"),
    "national reviewer": lambda submission: reviewer(is_national=True),
    "its operator": lambda submission: operator(organisation=submission.platform.organisation),
    "other operator": lambda submission: operator(),
    "Guangdong regulator": lambda submission: regulator("440000"),
    "administrator": lambda submission: admin(),
}

# Review screen: reviewers of the region (and national ones) and administrators; others 404.
SCREEN_STATUS = {
    "assigned reviewer": 200,
    "other Guangdong reviewer": 200,
    "Shenzhen city reviewer": 200,
    "Zhejiang reviewer": 404,
    "national reviewer": 200,
    "its operator": 404,
    "other operator": 404,
    "Guangdong regulator": 404,
    "administrator": 200,
}

# A decision: only the assigned reviewer; in scope but not assigned is refused (403); out of
# scope looks like missing (404).
DECIDE_STATUS = {
    "assigned reviewer": 302,
    "other Guangdong reviewer": 403,
    "Shenzhen city reviewer": 403,
    "Zhejiang reviewer": 404,
    "national reviewer": 403,
    "its operator": 404,
    "other operator": 404,
    "Guangdong regulator": 404,
    "administrator": 403,
}


@pytest.mark.parametrize("who", list(USERS))
def test_review_screen_by_role_and_region(client, shenzhen_submission, who):
    client.force_login(USERS[who](shenzhen_submission))
    response = client.get(reverse("review_detail", args=[shenzhen_submission.pk]))
    assert response.status_code == SCREEN_STATUS[who]


@pytest.mark.parametrize("who", list(USERS))
def test_decision_by_role_and_region(client, shenzhen_submission, who):
    client.force_login(USERS[who](shenzhen_submission))
    response = client.post(
        reverse("review_decide", args=[shenzhen_submission.pk, "D1.1"]), {"decision": "verified"}
    )
    assert response.status_code == DECIDE_STATUS[who]
    decided = ReviewDecision.objects.filter(submission=shenzhen_submission).exists()
    assert decided == (DECIDE_STATUS[who] == 302)


@pytest.mark.parametrize(
    ("who", "listed"),
    [
        ("assigned reviewer", True),
        ("Shenzhen city reviewer", True),
        ("Zhejiang reviewer", False),
        ("national reviewer", True),
        ("administrator", True),
    ],
)
def test_queue_lists_submissions_of_the_users_regions(client, shenzhen_submission, who, listed):
    client.force_login(USERS[who](shenzhen_submission))
    response = client.get(reverse("review_queue"))
    assert response.status_code == 200
    ids = [submission.pk for submission in response.context["page"].object_list]
    assert (shenzhen_submission.pk in ids) == listed


@pytest.mark.parametrize("who", ["its operator", "Guangdong regulator"])
def test_queue_is_not_for_operators_or_regulators(client, shenzhen_submission, who):
    client.force_login(USERS[who](shenzhen_submission))
    assert client.get(reverse("review_queue")).status_code == 404


def test_queue_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("review_queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Conflicts of interest -----------------------------------------------------------------------


def test_reviewer_with_a_declared_conflict_cannot_take_the_submission(shenzhen_submission):
    colleague = reviewer("440000", is_lead_reviewer=True)
    ConflictDeclaration.objects.create(
        reviewer=colleague, organisation=shenzhen_submission.platform.organisation, reason="亲属"
    )
    with pytest.raises(PermissionDenied) as refused:
        reviews.review_assign(actor=colleague, submission=shenzhen_submission, reviewer=colleague)
    assert refused.value.code == "conflict_of_interest"


def test_reviewer_of_the_platforms_own_organisation_is_refused(shenzhen_submission):
    insider = reviewer("440000", organisation=shenzhen_submission.platform.organisation)
    with pytest.raises(PermissionDenied) as refused:
        reviews.review_assign(actor=insider, submission=shenzhen_submission, reviewer=insider)
    assert refused.value.code == "own_organisation"


def test_lead_cannot_assign_a_reviewer_with_a_conflict(shenzhen_submission):
    lead = reviewer("440000", is_lead_reviewer=True)
    conflicted = reviewer("440000")
    ConflictDeclaration.objects.create(
        reviewer=conflicted, organisation=shenzhen_submission.platform.organisation, reason="持股"
    )
    with pytest.raises(ApplicationError) as refused:
        reviews.review_assign(actor=lead, submission=shenzhen_submission, reviewer=conflicted)
    assert refused.value.code == "reviewer_not_eligible"


def test_declaring_a_conflict_takes_the_reviewer_off_and_blocks_decisions(shenzhen_submission):
    desk = shenzhen_submission.desk
    reviews.conflict_declare(
        reviewer=desk, organisation=shenzhen_submission.platform.organisation, reason="曾任顾问"
    )
    shenzhen_submission.refresh_from_db()
    assert shenzhen_submission.assigned_reviewer is None
    event = SubmissionEvent.objects.filter(
        submission=shenzhen_submission, kind=EventKind.ASSIGNED
    ).last()
    assert (event.detail["before"]["id"], event.detail["after"]) == (desk.pk, None)
    with pytest.raises(PermissionDenied) as refused:
        reviews.review_decide(
            actor=desk, submission=shenzhen_submission, question_code="D1.1", decision="verified"
        )
    assert refused.value.code == "conflict_of_interest"


def test_conflicted_reviewer_no_longer_sees_the_submission(client, shenzhen_submission):
    desk = shenzhen_submission.desk
    client.force_login(desk)
    response = client.post(
        reverse("conflict_declare", args=[shenzhen_submission.pk]), {"reason": "曾任顾问"}
    )
    assert response.status_code == 302
    assert ConflictDeclaration.objects.filter(reviewer=desk).count() == 1
    assert client.get(reverse("review_detail", args=[shenzhen_submission.pk])).status_code == 404
    queue = client.get(reverse("review_queue"), {"state": "all"})
    assert shenzhen_submission.pk not in [s.pk for s in queue.context["page"].object_list]


def test_conflict_declaration_needs_a_reason(client, shenzhen_submission):
    client.force_login(shenzhen_submission.desk)
    response = client.post(
        reverse("conflict_declare", args=[shenzhen_submission.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    assert not ConflictDeclaration.objects.exists()
