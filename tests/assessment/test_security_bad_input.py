"""Hole 6: bad input is a 400 naming the field, in the API's error format, never a 500."""

import pytest
from django.urls import reverse

from assessment.models import Answer, ReviewDecision
from tests import factories
from tests.assessment.api_support import open_cycle, token_client

pytestmark = pytest.mark.django_db

HUGE = "9" * 5000


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def submission():
    return factories.SubmissionFactory(
        cycle=open_cycle(), platform=factories.PlatformFactory(kind="industry")
    )


def _autosave(client, submission, value):
    url = reverse("operator_autosave", args=[submission.pk])
    return client.post(url, {"question": "D1.2", "q-D1.2": value, "v-D1.2": "0"})


@pytest.mark.parametrize(
    "value", [HUGE, "1e19", "1e308", "1e999999", "-" + HUGE, "NaN", "Infinity"]
)
def test_autosave_refuses_huge_numbers(client, submission, value):
    client.force_login(submission.created_by)
    response = _autosave(client, submission, value)
    assert response.status_code == 400
    assert response.json()["field"] == "D1.2"
    assert not Answer.objects.filter(submission=submission, question_code="D1.2").exists()


@pytest.mark.parametrize("value", [HUGE, "1e19", "1e308", 1e308])
def test_api_refuses_huge_numbers(submission, value):
    client = token_client(submission.created_by)
    body = {"answers": [{"question_code": "D1.2", "value": value, "version": 0}]}
    response = client.post(f"/api/v1/submissions/{submission.pk}/answers/", body, format="json")
    assert response.status_code == 400, response.content[:300]
    assert set(response.json()) >= {"code", "message", "field"}
    assert response.json()["field"] == "answers[0].value"


def test_api_refuses_a_5000_digit_json_number(submission):
    client = token_client(submission.created_by)
    raw = '{"answers": [{"question_code": "D1.2", "value": ' + HUGE + ', "version": 0}]}'
    response = client.post(
        f"/api/v1/submissions/{submission.pk}/answers/", raw, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"code", "message", "field"}


def test_an_unknown_questionnaire_action_is_a_400(client, submission):
    client.force_login(submission.created_by)
    url = reverse("operator_questionnaire", args=[submission.pk, "D1"])
    for action in ("explode:now", "remove:now", "confirm:" + "9" * 40, "frobnicate"):
        response = client.post(url, {"action": action})
        assert response.status_code == 400, action


@pytest.fixture
def in_review():
    submission = factories.answered_submission(state="in_review")
    desk = factories.reviewer("440000")
    type(submission).objects.filter(pk=submission.pk).update(assigned_reviewer=desk, review_round=1)
    submission.desk = desk
    return submission


@pytest.mark.parametrize("value", ["1e19", "1e308", HUGE])
def test_a_reviewer_correction_out_of_bounds_is_refused(client, in_review, value):
    code = next(
        a.question_code
        for a in in_review.answers.all()
        if isinstance(a.value, (int, float)) and a.question_code.startswith("D1.2")
    )
    client.force_login(in_review.desk)
    url = reverse("review_decide", args=[in_review.pk, code])
    response = client.post(url, {"decision": "corrected", "corrected_value": value, "note": "x"})
    assert response.status_code in (200, 302, 400)
    assert not ReviewDecision.objects.filter(submission=in_review, decision="corrected").exists()
    api = token_client(in_review.desk)
    response = api.post(
        f"/api/v1/submissions/{in_review.pk}/decisions/",
        {"question_code": code, "decision": "corrected", "corrected_value": value, "note": "x"},
        format="json",
    )
    assert response.status_code == 400, response.content[:300]
    assert response.json()["field"] in ("corrected_value", code)
