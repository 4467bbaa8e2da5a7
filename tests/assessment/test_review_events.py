"""The audit trail: events are append-only everywhere, viewable per submission, and exportable
as CSV by administrators only."""

import csv
import io

import pytest
from django.contrib.admin.sites import site
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from assessment.models import EventKind, SubmissionEvent
from assessment.services import reviews
from tests.factories import admin, answered_submission, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed():
    submission = answered_submission()
    desk = reviewer("440000")
    reviews.review_assign(actor=desk, submission=submission, reviewer=desk)
    reviews.review_start(actor=desk, submission=submission)
    reviews.review_decide(
        actor=desk,
        submission=submission,
        question_code="D1.1",
        decision="rejected",
        reason='=HYPERLINK("http://evil")',
    )
    return submission


def test_an_event_cannot_be_updated(reviewed):
    event = SubmissionEvent.objects.filter(submission=reviewed).first()
    event.note = "rewritten"
    with pytest.raises(PermissionError):
        event.save()


def test_events_cannot_be_updated_in_bulk(reviewed):
    with pytest.raises(PermissionError):
        SubmissionEvent.objects.filter(submission=reviewed).update(note="rewritten")
    events = list(SubmissionEvent.objects.filter(submission=reviewed))
    for event in events:
        event.note = "rewritten"
    with pytest.raises(PermissionError), transaction.atomic():
        SubmissionEvent.objects.bulk_update(events, ["note"])
    assert not SubmissionEvent.objects.filter(note="rewritten").exists()


def test_events_cannot_be_deleted(reviewed):
    count = SubmissionEvent.objects.filter(submission=reviewed).count()
    with pytest.raises(PermissionError):
        SubmissionEvent.objects.filter(submission=reviewed).first().delete()
    with pytest.raises(PermissionError):
        SubmissionEvent.objects.filter(submission=reviewed).delete()
    assert SubmissionEvent.objects.filter(submission=reviewed).count() == count


def test_the_admin_offers_no_change_or_delete_for_events():
    model_admin = site._registry[SubmissionEvent]
    request = RequestFactory().get("/admin/")
    request.user = admin()
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_add_permission(request)


def test_every_review_action_is_an_event(reviewed):
    kinds = list(SubmissionEvent.objects.filter(submission=reviewed).values_list("kind", flat=True))
    assert kinds == [EventKind.ASSIGNED, EventKind.STATE_CHANGED, EventKind.DECISION]


def test_reviewer_in_scope_sees_the_audit_trail(client, reviewed):
    client.force_login(reviewed.assigned_reviewer)
    response = client.get(reverse("submission_events", args=[reviewed.pk]))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 3


def test_reviewer_cannot_export_events(client, reviewed):
    client.force_login(reviewed.assigned_reviewer)
    assert client.get(reverse("submission_events_csv", args=[reviewed.pk])).status_code == 404


def test_administrator_exports_events_as_csv(client, reviewed):
    client.force_login(admin())
    response = client.get(reverse("submission_events_csv", args=[reviewed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["kind"] for row in rows] == ["assigned", "state_changed", "decision"]
    decision = rows[2]
    assert decision["question_code"] == "D1.1"
    assert decision["actor_email"] == reviewed.assigned_reviewer.email
    assert '"before": null' in decision["detail"]
    # A note that a spreadsheet would run as a formula is neutralised.
    assert decision["note"].startswith("'=")
