"""A revoked certification reads 已撤销 (Revoked) with its date and reason everywhere people
look: operator pages, the review desk and its queue filter, batch indexes and reports."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessment.models import Certification
from assessment.selectors.reports import report_submission_queryset
from assessment.services import reports, reviews
from tests.factories import admin, operator, reviewed_submission, reviewer

pytestmark = [pytest.mark.django_db, pytest.mark.once]
REASON = "证明材料系伪造"


@pytest.fixture
def revoked():
    submission = reviewed_submission(result="basic", certified=True)
    certification = Certification.objects.get(submission=submission)
    reviews.certification_revoke(actor=admin(), certification=certification, reason=REASON)
    return submission


def revoked_date(submission) -> str:
    from django.utils import timezone

    revoked_at = Certification.objects.get(submission=submission).revoked_at
    return timezone.localtime(revoked_at).date().isoformat()


def test_operator_home_and_submission_page_read_revoked_not_certified(client, revoked):
    client.force_login(operator(organisation=revoked.platform.organisation))
    for url in (
        reverse("operator_home"),
        reverse("operator_submission_view", kwargs={"submission_id": revoked.pk}),
    ):
        page = client.get(url).content.decode()
        assert "已撤销" in page, url
        assert revoked_date(revoked) in page
        assert REASON in page
        assert "state-revoked" in page
        assert ">已认定<" not in page


def test_review_desk_and_queue_filter_show_revoked(client, revoked):
    client.force_login(reviewer("440000", is_lead_reviewer=True))
    detail = client.get(reverse("review_detail", kwargs={"submission_id": revoked.pk}))
    assert "已撤销" in detail.content.decode()
    listed = client.get(reverse("review_queue"), {"state": "revoked"})
    rows = listed.context["queue"].page.object_list
    assert [row.pk for row in rows] == [revoked.pk]
    assert rows[0].state == "revoked" and REASON in rows[0].state_label
    certified = client.get(reverse("review_queue"), {"state": "certified"})
    assert revoked.pk not in [row.pk for row in certified.context["queue"].page.object_list]
    assert "已撤销" in listed.content.decode()


def test_evaluation_report_of_a_revoked_certification_says_so(revoked):
    submission = report_submission_queryset().get(pk=revoked.pk)
    report, pdf = reports.submission_report_pdf(
        submission=submission, language="zh-hans", user=None
    )
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert all("已撤销" in page for page in pages)  # the mark on every page
    assert "暂定" not in pages[0]
    text = "".join(pages).replace("\n", "")
    assert REASON in text
    assert report.canonical_data["certification"]["status"] == "revoked"
