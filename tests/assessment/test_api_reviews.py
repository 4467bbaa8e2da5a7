"""The review desk over the API, end to end, through the same services as the web."""

import pytest

from assessment.models import Certification, Submission
from assessment.models.reviews import CertificationStatus
from questionnaires.selectors import rubric_of
from tests.assessment.api_support import open_cycle, token_client
from tests.factories import PlatformFactory, answered_submission, region, reviewer

pytestmark = pytest.mark.django_db


def reviewed_by_api(tier: str):
    """A submitted questionnaire reaching `tier`, reviewed through the API by a Guangdong lead
    reviewer who verifies every answered indicator. Returns (submission, reviewer client)."""
    submission = answered_submission(
        tier=tier, cycle=open_cycle(), platform=PlatformFactory(region=region("440300"))
    )
    lead = reviewer("440000", is_lead_reviewer=True)
    client = token_client(lead)
    base = f"/api/v1/submissions/{submission.pk}/"
    assert client.post(base + "assign/", {}, format="json").status_code == 200
    started = client.post(base + "start-review/", format="json")
    assert started.json()["state"] == "in_review"
    rubric = rubric_of(submission.rubric_version)
    for code in submission.answers.values_list("question_code", flat=True):
        if rubric.has_indicator(code):
            decided = client.post(
                base + "decisions/",
                {"question_code": code, "decision": "verified"},
                format="json",
            )
            assert decided.status_code == 201, decided.json()
    return submission, client


def test_a_basic_tier_is_certified_by_the_provincial_reviewer():
    submission, client = reviewed_by_api("basic")
    response = client.post(f"/api/v1/submissions/{submission.pk}/certify/", format="json")
    assert response.status_code == 201
    assert response.json()["tier"] == "basic"
    assert response.json()["status"] == "certified"
    assert Submission.objects.get(pk=submission.pk).state == "certified"


def test_the_certified_score_is_the_frozen_snapshot_with_its_explanation():
    submission, client = reviewed_by_api("basic")
    client.post(f"/api/v1/submissions/{submission.pk}/certify/", format="json")
    score = client.get(f"/api/v1/submissions/{submission.pk}/score/").json()
    assert score["certification"]["tier"] == "basic"
    assert score["certification"]["snapshot"]["result"] == "basic"
    assert score["certification"]["snapshot"]["decision"]


def test_a_leading_tier_waits_for_a_national_sign_off():
    submission, client = reviewed_by_api("leading")
    proposed = client.post(f"/api/v1/submissions/{submission.pk}/certify/", format="json")
    assert proposed.json()["status"] == "awaiting_sign_off"
    certification_id = proposed.json()["id"]
    national = token_client(reviewer(is_national=True))
    signed = national.post(f"/api/v1/certifications/{certification_id}/sign-off/", format="json")
    assert signed.status_code == 200
    assert signed.json()["status"] == "certified"
    assert signed.json()["signed_off_by"] is not None


def test_the_proposer_cannot_sign_off_their_own_proposal():
    submission, client = reviewed_by_api("leading")
    certification_id = client.post(
        f"/api/v1/submissions/{submission.pk}/certify/", format="json"
    ).json()["id"]
    response = client.post(f"/api/v1/certifications/{certification_id}/sign-off/", format="json")
    assert response.status_code == 403
    assert Certification.objects.get(pk=certification_id).status == "awaiting_sign_off"


def test_a_declined_sign_off_needs_a_reason_and_withdraws_the_proposal():
    submission, client = reviewed_by_api("leading")
    certification_id = client.post(
        f"/api/v1/submissions/{submission.pk}/certify/", format="json"
    ).json()["id"]
    national = token_client(reviewer(is_national=True))
    path = f"/api/v1/certifications/{certification_id}/decline/"
    refused = national.post(path, {"reason": " "}, format="json")
    assert refused.status_code == 400
    assert refused.json()["field"] == "reason"
    declined = national.post(path, {"reason": "抽查材料不足"}, format="json")
    assert declined.status_code == 204
    assert not Certification.objects.filter(pk=certification_id).exists()


def test_a_lead_reviewer_revokes_a_certification_with_a_reason():
    submission, client = reviewed_by_api("basic")
    certification_id = client.post(
        f"/api/v1/submissions/{submission.pk}/certify/", format="json"
    ).json()["id"]
    response = client.post(
        f"/api/v1/certifications/{certification_id}/revoke/",
        {"reason": "发现数据不实"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == CertificationStatus.REVOKED


def test_a_rejection_needs_a_reason():
    submission, client = reviewed_by_api("basic")
    response = client.post(
        f"/api/v1/submissions/{submission.pk}/decisions/",
        {"question_code": "D1.1", "decision": "rejected"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "reason"


def test_a_corrected_value_is_checked_against_the_question():
    submission, client = reviewed_by_api("basic")
    response = client.post(
        f"/api/v1/submissions/{submission.pk}/decisions/",
        {"question_code": "D1.2", "decision": "corrected", "corrected_value": "many"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "not_a_number"
    assert response.json()["field"] == "corrected_value"


def test_a_revision_goes_back_to_the_operator_who_resubmits_over_the_api():
    submission, client = reviewed_by_api("basic")
    base = f"/api/v1/submissions/{submission.pk}/"
    sent_back = client.post(
        base + "request-revision/",
        {"question_codes": ["D1.2"], "message": "请提供设备接入清单"},
        format="json",
    )
    assert sent_back.json()["state"] == "revision_requested"
    operator_client = token_client(submission.created_by)
    answers = {a["question_code"]: a for a in operator_client.get(base + "answers/").json()}
    assert answers["D1.2"]["reopened"] is True
    changed = operator_client.post(
        base + "answers/",
        {
            "answers": [
                {
                    "question_code": "D1.2",
                    "value": answers["D1.2"]["value"] + 1,
                    "version": answers["D1.2"]["version"],
                }
            ]
        },
        format="json",
    )
    assert changed.status_code == 200
    closed = operator_client.post(
        base + "answers/",
        {"answers": [{"question_code": "D1.1", "value": 1, "version": 1}]},
        format="json",
    )
    assert closed.json()["code"] == "question_not_reopened"
    resubmitted = operator_client.post(base + "resubmit/", {"note": "已补充"}, format="json")
    assert resubmitted.json()["state"] == "resubmitted"


def test_the_current_decisions_are_listed():
    submission, client = reviewed_by_api("basic")
    decisions = client.get(f"/api/v1/submissions/{submission.pk}/decisions/").json()
    assert decisions
    assert {decision["decision"] for decision in decisions} == {"verified"}


def test_a_lead_reviewer_assigns_someone_else_but_not_an_ineligible_reviewer():
    submission = answered_submission(cycle=open_cycle(), platform=PlatformFactory())
    lead = token_client(reviewer("440000", is_lead_reviewer=True))
    colleague = reviewer("440000")
    outsider = reviewer("330000")
    path = f"/api/v1/submissions/{submission.pk}/assign/"
    refused = lead.post(path, {"reviewer": outsider.pk}, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "reviewer_not_eligible"
    assigned = lead.post(path, {"reviewer": colleague.pk}, format="json")
    assert assigned.status_code == 200
    assert assigned.json()["assigned_reviewer"]["id"] == colleague.pk


def test_the_assigned_reviewer_is_shown_to_officials_only():
    submission, _client = reviewed_by_api("basic")
    seen = token_client(submission.created_by).get(f"/api/v1/submissions/{submission.pk}/")
    assert seen.json()["assigned_reviewer"] is None
