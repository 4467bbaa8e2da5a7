"""Hole 8: link evidence shows where it leads before leaving the site; never a redirect."""

import pytest

from assessment.models import Submission
from tests import factories

pytestmark = pytest.mark.django_db


def test_link_evidence_shows_an_interstitial_with_the_target(client):
    submission = factories.answered_submission(state="submitted")
    link = submission.evidence.exclude(url="").order_by("id").first()
    Submission.objects.filter(pk=submission.pk).update(state="submitted")
    client.force_login(factories.reviewer("440000"))
    response = client.get(f"/evidence/{link.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert link.url in page
    assert 'rel="noopener noreferrer nofollow"' in page
    assert "Location" not in response.headers


def test_an_operator_opening_evidence_is_on_the_security_audit_trail(client):
    from assessment.models import AuditEvent, AuditKind

    submission = factories.answered_submission()
    link = submission.evidence.order_by("id").first()
    client.force_login(submission.created_by)
    client.get(f"/evidence/{link.pk}/")
    event = AuditEvent.objects.get(kind=AuditKind.EVIDENCE_OPENED)
    assert event.actor == submission.created_by
    assert event.subject == f"evidence:{link.pk}"
