"""The programme over the API: the same services, rules and permissions as the web."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from assessment.models import Objection, PublicNotice, Submission
from assessment.services import programme
from tests.assessment.api_support import token_client
from tests.assessment.programme_fixtures import PROVINCE, proposed, recommended, to_notice
from tests.factories import (
    call_for_applications,
    ministry_official,
    operator,
    pdf_bytes,
    provincial_lead,
    reviewer,
    uploaded_file,
)

pytestmark = pytest.mark.django_db


def _recommend(client, call, submissions):
    return client.post(
        f"/api/v1/programme/calls/{call.pk}/recommendations/",
        {
            "province": PROVINCE,
            "tier": "leading",
            "entries": [{"submission": s.pk, "opinion": "推荐"} for s in submissions],
        },
        format="json",
    )


def test_recommendation_and_quota_over_the_api():
    call = call_for_applications(quota_leading=1)
    first, second = proposed(call, 2)
    client = token_client(provincial_lead(PROVINCE))
    over = _recommend(client, call, [first, second])
    assert over.status_code == 400
    assert over.json()["code"] == "over_quota"
    assert set(Submission.objects.values_list("state", flat=True)) == {"in_review"}
    created = _recommend(client, call, [first])
    assert created.status_code == 201
    assert created.json()["entries"][0]["rank"] == 1
    quotas = client.get(f"/api/v1/programme/calls/{call.pk}/quotas/").json()
    assert {"province": PROVINCE, "tier": "leading", "quota": 1, "recommended": 1, "left": 0} in (
        quotas
    )


def test_a_province_lists_its_own_recommendations_and_the_ministry_every_province_s():
    call = call_for_applications()
    (submission,) = proposed(call)
    assert (
        _recommend(token_client(provincial_lead(PROVINCE)), call, [submission]).status_code == 201
    )
    listed = f"/api/v1/programme/calls/{call.pk}/recommendations/"

    def provinces(user):
        return [row["region"] for row in token_client(user).get(listed).json()]

    assert provinces(reviewer(PROVINCE)) == [PROVINCE]
    assert provinces(reviewer("330000")) == []  # Zhejiang's officials do not see Guangdong's
    assert provinces(ministry_official()) == [PROVINCE]


def test_plain_reviewer_cannot_sign_over_the_api():
    call = call_for_applications()
    (submission,) = proposed(call)
    response = _recommend(token_client(reviewer(PROVINCE)), call, [submission])
    assert response.status_code == 403
    assert response.json()["code"] == "not_provincial_lead"


def test_formal_check_over_the_api_and_operators_are_refused():
    call = call_for_applications()
    (submission,) = proposed(call)
    _recommend(token_client(provincial_lead(PROVINCE)), call, [submission])
    own = operator(organisation=submission.platform.organisation)
    refused = token_client(own).post(
        f"/api/v1/submissions/{submission.pk}/formal-check/",
        {"complete": True, "eligible": True},
        format="json",
    )
    assert refused.status_code == 403
    assert (
        token_client(operator())
        .post(
            f"/api/v1/submissions/{submission.pk}/formal-check/",
            {"complete": True, "eligible": True},
            format="json",
        )
        .status_code
        == 404
    )
    passed = token_client(ministry_official()).post(
        f"/api/v1/submissions/{submission.pk}/formal-check/",
        {"complete": True, "eligible": True},
        format="json",
    )
    assert passed.status_code == 201
    assert Submission.objects.get(pk=submission.pk).state == "expert_review"


def _on_notice():
    call = call_for_applications()
    submissions = recommended(call)
    to_notice(submissions)
    (submission,) = submissions
    response = token_client(ministry_official()).post(
        f"/api/v1/programme/calls/{call.pk}/notices/", {}, format="json"
    )
    assert response.status_code == 201
    return PublicNotice.objects.get(pk=response.json()["id"]), submission


def test_anyone_objects_over_the_api_and_contact_details_stay_private():
    notice, _submission = _on_notice()
    entry = notice.entries.get()
    response = APIClient().post(
        f"/api/v1/public/notice-entries/{entry.pk}/objections/",
        {
            "name": "王五",
            "phone": "13700000000",
            "text": "材料不实",
            "file": uploaded_file(pdf_bytes()),
        },
        format="multipart",
    )
    assert response.status_code == 201
    assert Objection.objects.get().attachments.count() == 1
    public = APIClient().get(f"/api/v1/public/notices/{notice.pk}/").json()
    assert "13700000000" not in str(public)
    assert public["entries"][0]["objections"][0]["status"] == "open"


def test_objection_after_the_period_is_refused_over_the_api():
    notice, _submission = _on_notice()
    today = timezone.localdate()
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=today - timedelta(days=9), ends_on=today - timedelta(days=2)
    )
    response = APIClient().post(
        f"/api/v1/public/notice-entries/{notice.entries.get().pk}/objections/",
        {"name": "王五", "phone": "13700000000", "text": "材料不实"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "notice_closed"
    assert not Objection.objects.exists()


def test_answer_and_publication_over_the_api():
    notice, submission = _on_notice()
    objection = programme.objection_file(
        entry=notice.entries.get(), name="王五", phone="137", text="异议"
    )
    official = token_client(ministry_official())
    answered = official.post(
        f"/api/v1/programme/objections/{objection.pk}/answer/",
        {"upheld": False, "answer": "经核实不成立"},
        format="json",
    )
    assert answered.status_code == 200
    assert answered.json()["status"] == "dismissed"
    early = official.post(f"/api/v1/programme/notices/{notice.pk}/publication/")
    assert early.status_code == 400 and early.json()["code"] == "notice_running"
    today = timezone.localdate()
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=today - timedelta(days=9), ends_on=today - timedelta(days=2)
    )
    published = official.post(f"/api/v1/programme/notices/{notice.pk}/publication/")
    assert published.status_code == 201
    body = published.json()
    assert body["decision_number"].startswith("工信部信发〔")
    assert body["certified"][0]["submission"] == submission.pk
    listed = APIClient().get("/api/v1/public/publications/").json()
    assert listed[0]["decision_number"] == body["decision_number"]


def test_pipeline_over_the_api():
    call = call_for_applications()
    proposed(call, 2)
    stages = (
        token_client(ministry_official()).get(f"/api/v1/programme/calls/{call.pk}/pipeline/").json()
    )
    assert {stage["state"]: stage["count"] for stage in stages}["in_review"] == 2


def test_operators_do_not_see_the_calls_list():
    call_for_applications()
    assert token_client(operator()).get("/api/v1/programme/calls/").status_code == 404
