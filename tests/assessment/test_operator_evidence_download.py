"""Who may open an evidence file, and how it is served."""

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessment.models import EventKind, SubmissionEvent
from assessment.services import submissions as services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def evidence():
    submission = factories.SubmissionFactory()  # a Shenzhen (440300) organisation
    added = services.evidence_add_file(
        actor=submission.created_by,
        submission=submission,
        question_code="D1.2",
        uploaded_file=factories.uploaded_file(factories.pdf_bytes("设备清单"), "设备接入清单.pdf"),
    )
    # Submitted: reviewers never see drafts (tests/assessment/test_desk_rule_everywhere.py).
    type(submission).objects.filter(pk=submission.pk).update(state="submitted")
    return added


def url(evidence):
    return reverse("evidence_download", args=[evidence.pk])


VIEWERS = {
    "own operator": lambda evidence: evidence.submission.created_by,
    "colleague": lambda evidence: factories.operator(
        organisation=evidence.submission.platform.organisation
    ),
    "provincial reviewer": lambda evidence: factories.reviewer("440000"),
    "city reviewer": lambda evidence: factories.reviewer("440300"),
    "national reviewer": lambda evidence: factories.reviewer(is_national=True),
    "provincial regulator": lambda evidence: factories.regulator("440000"),
    "national regulator": lambda evidence: factories.regulator(is_national=True),
    "admin": lambda evidence: factories.admin(),
}
REFUSED = {
    "operator of another organisation": lambda evidence: factories.operator(),
    "reviewer of another region": lambda evidence: factories.reviewer("320000"),
    "regulator of another region": lambda evidence: factories.regulator("110000"),
}


@pytest.mark.parametrize("role", VIEWERS)
def test_evidence_opens_for_those_who_may_see_the_submission(client, evidence, role):
    client.force_login(VIEWERS[role](evidence))
    response = client.get(url(evidence))
    assert response.status_code == 200
    pdf = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert pdf.metadata.title == "设备清单"


@pytest.mark.parametrize("role", REFUSED)
def test_evidence_is_404_for_those_out_of_scope(client, evidence, role):
    client.force_login(REFUSED[role](evidence))
    assert client.get(url(evidence)).status_code == 404


def test_evidence_sends_an_anonymous_visitor_to_sign_in(client, evidence):
    response = client.get(url(evidence))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_a_pdf_is_served_inline_with_its_chinese_name_rfc5987_encoded(client, evidence):
    client.force_login(evidence.submission.created_by)
    response = client.get(url(evidence))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline")
    assert f"filename*=utf-8''{quote('设备接入清单.pdf')}" in disposition
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_spreadsheet_is_served_as_an_attachment(client, evidence):
    type(evidence.submission).objects.filter(pk=evidence.submission_id).update(state="draft")
    csv = services.evidence_add_file(
        actor=evidence.submission.created_by,
        submission=evidence.submission,
        question_code="D1.2",
        uploaded_file=factories.uploaded_file("设备,数量\n机床,3\n".encode(), "清单.csv"),
    )
    client.force_login(evidence.submission.created_by)
    response = client.get(url(csv))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "text/csv"


def test_a_reviewer_opening_evidence_is_recorded(client, evidence):
    reviewer = factories.reviewer("440000")
    client.force_login(reviewer)
    client.get(url(evidence))
    event = SubmissionEvent.objects.get(kind=EventKind.EVIDENCE_ACCESSED)
    assert (event.actor, event.question_code, event.detail) == (
        reviewer,
        "D1.2",
        {"evidence": evidence.pk},
    )


def test_the_operator_opening_evidence_is_not_recorded_as_a_review_access(client, evidence):
    client.force_login(evidence.submission.created_by)
    client.get(url(evidence))
    assert not SubmissionEvent.objects.filter(kind=EventKind.EVIDENCE_ACCESSED).exists()


def test_a_replaced_file_stays_downloadable_for_the_audit_trail(client, evidence):
    submissions = type(evidence.submission).objects.filter(pk=evidence.submission_id)
    submissions.update(state="draft")
    services.evidence_replace(
        actor=evidence.submission.created_by,
        evidence=evidence,
        uploaded_file=factories.uploaded_file(factories.pdf_bytes("新版"), "新版.pdf"),
    )
    submissions.update(state="submitted")
    client.force_login(factories.reviewer("440000"))
    assert client.get(url(evidence)).status_code == 200
