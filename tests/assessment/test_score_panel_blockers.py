"""The operator's score panel: a failed precondition is a blocker, not a plan step, and the
progress index is explained against the 0.8 bar."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_failed_precondition_is_named_as_a_blocker_and_not_as_a_step(client):
    submission = factories.SubmissionFactory()
    client.force_login(submission.created_by)
    client.cookies["django_language"] = "en"
    url = reverse("operator_questionnaire", args=[submission.pk, "P"])

    client.post(url, {"q-P1": "false", "v-P1": "0", "q-P2": "true", "v-P2": "0"})
    page = client.get(reverse("operator_questionnaire", args=[submission.pk, "D1"])).text

    assert "Not changeable by a better answer now: P1" in page
    assert "Meet the precondition" not in page
    assert "where T is compared with the bar of 0.80" in page
