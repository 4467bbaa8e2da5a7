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
