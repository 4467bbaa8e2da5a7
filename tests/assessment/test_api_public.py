"""Public endpoints: the register of certified platforms and report verification, no sign-in."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from assessment.models import Certification, Submission
from assessment.services.reports import report_issue
from tests.assessment.api_support import World

pytestmark = pytest.mark.django_db


def certify(submission, world):
    Submission.objects.filter(pk=submission.pk).update(state="certified")
    now = timezone.now()
    return Certification.objects.create(
        submission=submission,
        tier="growth",
        status="certified",
        rubric_label=submission.rubric_version.label,
        snapshot=submission.score_summary.breakdown,
        proposed_by=world.users["reviewer"],
        proposed_at=now,
        certified_at=now,
        valid_until=now.date().replace(year=now.year + 3),
    )


def issue(submission):
    return report_issue(
        submission=Submission.objects.get(pk=submission.pk), language="en", user=None
    )


@pytest.fixture
def world():
    return World()


def test_the_register_lists_certified_platforms_without_sign_in(world):
    certify(world.sz, world)
    body = APIClient().get("/api/v1/public/register/").json()
    assert body["count"] == 1
    entry = body["results"][0]
    assert entry["platform"] == world.sz.platform.name
    assert entry["tier"] == "growth"
    assert entry["province"] == "440000"


def test_the_register_ignores_credentials(world):
    certify(world.sz, world)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer pma_not-a-real-token")
    assert client.get("/api/v1/public/register/").status_code == 200


def test_the_register_filters_like_the_web(world):
    certify(world.sz, world)
    certify(world.hz, world)
    body = APIClient().get("/api/v1/public/register/?province=330000").json()
    assert [entry["region"] for entry in body["results"]] == ["330100"]


def test_the_register_leaves_out_revoked_certifications(world):
    certification = certify(world.sz, world)
    certification.status = "revoked"
    certification.save(update_fields=["status"])
    assert APIClient().get("/api/v1/public/register/").json()["count"] == 0


def test_a_report_number_verifies_without_sign_in(world):
    certify(world.sz, world)
    report = issue(world.sz)
    body = APIClient().get(f"/api/v1/public/verify/{report.number}/").json()
    assert body["number"] == report.number
    assert body["facts_match"] is True
    assert body["tier"] == "growth"


def test_a_report_hash_is_checked(world):
    certify(world.sz, world)
    report = issue(world.sz)
    good = (
        APIClient()
        .get(f"/api/v1/public/verify/{report.number}/?sha256={report.canonical_sha256}")
        .json()
    )
    bad = APIClient().get(f"/api/v1/public/verify/{report.number}/?sha256={'0' * 64}").json()
    assert good["hash_match"] is True
    assert bad["hash_match"] is False


def test_a_malformed_hash_is_a_400():
    response = APIClient().get("/api/v1/public/verify/IIP-2027-000001-ABCD/?sha256=xyz")
    assert response.status_code == 400
    assert response.json()["field"] == "sha256"


def test_an_unknown_report_number_is_a_404():
    response = APIClient().get("/api/v1/public/verify/IIP-2027-999999-ABCD/")
    assert response.status_code == 404
    assert response.json()["code"] == "report_not_found"
