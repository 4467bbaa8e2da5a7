"""Report pages over role × scope, and the public verification page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessment.models import Certification
from assessment.selectors.reports import report_submission_queryset
from assessment.services import reports
from tests.factories import CycleFactory, admin, operator, regulator, reviewed_submission, reviewer

pytestmark = [pytest.mark.django_db, pytest.mark.once]


@pytest.fixture
def certified_submission():
    # The factory's organisations and platforms are in Shenzhen (Guangdong, 440000).
    return reviewed_submission(result="growth", certified=True)


def issue(submission, language="en"):
    submission = report_submission_queryset().get(pk=submission.pk)
    return reports.submission_report_pdf(submission=submission, language=language, user=None)


def report_url(submission, language="en"):
    return reverse("submission_report", kwargs={"submission_id": submission.pk}) + (
        f"?lang={language}"
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("own_operator", 200),
        ("other_operator", 404),
        ("reviewer_in_province", 200),
        ("reviewer_other_province", 404),
        ("regulator_in_province", 200),
        ("regulator_other_province", 404),
        ("national_regulator", 200),
        ("admin", 200),
    ],
)
def test_report_download_by_role_and_scope(client, certified_submission, who, status):
    users = {
        "own_operator": lambda: operator(organisation=certified_submission.platform.organisation),
        "other_operator": lambda: operator(),
        "reviewer_in_province": lambda: reviewer("440000"),
        "reviewer_other_province": lambda: reviewer("320000"),
        "regulator_in_province": lambda: regulator("440000"),
        "regulator_other_province": lambda: regulator("320000"),
        "national_regulator": lambda: regulator(is_national=True),
        "admin": admin,
    }
    client.force_login(users[who]())
    response = client.get(report_url(certified_submission))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")


def test_report_download_needs_sign_in(client, certified_submission):
    response = client.get(report_url(certified_submission))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_unknown_language_is_refused_with_a_message(client, certified_submission):
    client.force_login(operator(organisation=certified_submission.platform.organisation))
    response = client.get(report_url(certified_submission, language="fr"))
    assert response.status_code == 400
    assert b"zh-hans" in response.content


def test_verification_page_is_public_and_shows_the_authoritative_facts(
    client, certified_submission, django_assert_max_num_queries
):
    report, _pdf = issue(certified_submission)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("verify_report_detail", kwargs={"number": report.number}))
    assert response.status_code == 200
    page = response.content.decode()
    assert certified_submission.platform.name in page
    assert certified_submission.cycle.code in page
    assert report.canonical_sha256 in page
    assert "verdict-good" in page


def test_verification_page_shows_no_more_than_it_should(client, certified_submission):
    report, _pdf = issue(certified_submission)
    page = client.get(reverse("verify_report_detail", kwargs={"number": report.number}))
    text = page.content.decode()
    assert certified_submission.platform.organisation.credit_code not in text
    assert certified_submission.assigned_reviewer.full_name not in text
    assert report.canonical_data["progress_index"] not in text
    assert "D1.1" not in text


def test_provisional_report_verification_hides_the_tier(client):
    submission = reviewed_submission(result="growth")
    report, _pdf = issue(submission)
    text = client.get(
        reverse("verify_report_detail", kwargs={"number": report.number})
    ).content.decode()
    assert "verdict-warn" in text
    assert "tier-growth" not in text


def test_uploaded_pdf_matches_byte_for_byte(client, certified_submission):
    report, pdf = issue(certified_submission)
    response = client.post(
        reverse("verify_report_detail", kwargs={"number": report.number}),
        {"pdf": SimpleUploadedFile("report.pdf", pdf, content_type="application/pdf")},
    )
    assert response.context["verification"]["hash_match"] is True
    assert response.context["verification"]["matched"] == "pdf"


def test_pasted_data_hash_matches_the_printed_one(client, certified_submission):
    report, _pdf = issue(certified_submission)
    response = client.post(
        reverse("verify_report_detail", kwargs={"number": report.number}),
        {"sha256": report.canonical_sha256.upper()},
    )
    assert response.context["verification"]["hash_match"] is True
    assert response.context["verification"]["matched"] == "data"


def test_altered_pdf_does_not_match(client, certified_submission):
    report, pdf = issue(certified_submission)
    response = client.post(
        reverse("verify_report_detail", kwargs={"number": report.number}),
        {"pdf": SimpleUploadedFile("report.pdf", pdf + b"%tampered\n")},
    )
    assert response.context["verification"]["hash_match"] is False
    assert "verdict-bad" in response.content.decode()


def test_malformed_hash_is_refused_beside_the_field(client, certified_submission):
    report, _pdf = issue(certified_submission)
    response = client.post(
        reverse("verify_report_detail", kwargs={"number": report.number}),
        {"sha256": "not-a-hash"},
    )
    assert response.status_code == 200
    assert "64" in response.content.decode()
    assert response.context["verification"]["hash_match"] is None


def test_revoked_certification_shows_revoked_and_no_longer_matches(client, certified_submission):
    report, _pdf = issue(certified_submission)
    Certification.objects.filter(submission=certified_submission).update(
        status="revoked", revoked_at=timezone.now()
    )
    response = client.get(reverse("verify_report_detail", kwargs={"number": report.number}))
    verification = response.context["verification"]
    assert verification["revoked"] is True
    assert verification["facts_match"] is False
    assert verification["current_sha256"] != report.canonical_sha256


def test_unknown_report_number_is_not_found(client):
    response = client.get(
        reverse("verify_report_detail", kwargs={"number": "IIP-2027-999999-ABCD"})
    )
    assert response.status_code == 404


def test_number_form_redirects_to_the_record(client, certified_submission):
    report, _pdf = issue(certified_submission)
    response = client.get(reverse("verify_report"), {"number": f" {report.number.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("verify_report_detail", kwargs={"number": report.number})


def test_a_cycle_code_in_lower_case_still_gives_a_verifiable_number(client):
    from assessment.models import AssessmentCycle

    submission = reviewed_submission(result="growth", certified=True)
    AssessmentCycle.objects.filter(pk=submission.cycle_id).update(code="2027-pilot")
    report, _pdf = issue(submission)
    assert report.number.startswith("IIP-2027-PILOT-")
    response = client.get(reverse("verify_report"), {"number": report.number.lower()})
    assert response["Location"] == reverse("verify_report_detail", kwargs={"number": report.number})


def test_number_form_refuses_a_malformed_number(client):
    response = client.get(reverse("verify_report"), {"number": "hello"})
    assert response.status_code == 200
    assert response.context["form"].errors["number"]


@pytest.mark.parametrize(
    ("who", "region", "status"),
    [
        ("regulator_gd", "440000", 200),
        ("regulator_gd", "320000", 404),
        ("regulator_gd", "", 403),
        ("national_regulator", "", 200),
        ("operator", "440000", 404),
        ("reviewer_gd", "440000", 404),
    ],
)
def test_regional_report_by_role_and_scope(client, who, region, status):
    cycle = CycleFactory()
    users = {
        "regulator_gd": lambda: regulator("440000"),
        "national_regulator": lambda: regulator(is_national=True),
        "operator": operator,
        "reviewer_gd": lambda: reviewer("440000"),
    }
    client.force_login(users[who]())
    response = client.get(
        reverse("regional_report"), {"cycle": cycle.code, "region": region, "lang": "en"}
    )
    assert response.status_code == status
    if status == 200:
        assert response.content.startswith(b"%PDF-")


def test_regional_report_reads_back_tiers_and_footer(client, certified_submission):
    client.force_login(regulator("440000"))
    response = client.get(
        reverse("regional_report"),
        {"cycle": certified_submission.cycle.code, "region": "440000", "lang": "en"},
    )
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    assert "Guangdong" in pages[0]
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert f"IIP-R-{certified_submission.cycle.code}-440000" in page


def test_report_download_runs_a_fixed_number_of_queries(
    client, certified_submission, django_assert_max_num_queries
):
    client.force_login(operator(organisation=certified_submission.platform.organisation))
    client.get(report_url(certified_submission))  # warms the benchmark cache
    with django_assert_max_num_queries(16):
        response = client.get(report_url(certified_submission))
    assert response.status_code == 200


def test_hash_printed_in_the_pdf_is_the_one_the_verification_page_shows(
    client, certified_submission
):
    import re

    from pypdf import PdfReader

    client.force_login(operator(organisation=certified_submission.platform.organisation))
    pdf = client.get(report_url(certified_submission)).content
    last_page = re.sub(r"\s+", "", PdfReader(io.BytesIO(pdf)).pages[-1].extract_text())
    printed_number = re.search(r"IIP-[0-9]+(?:-[0-9A-Z]{4}){4}", last_page).group(0)
    printed_hash = re.search(r"[0-9a-f]{64}", last_page).group(0)
    client.logout()
    page = client.get(reverse("verify_report_detail", kwargs={"number": printed_number}))
    verification = page.context["verification"]
    assert verification["issued_sha256"] == printed_hash
    assert verification["current_sha256"] == printed_hash
    assert printed_hash in page.content.decode()


def test_operator_and_reviewer_pages_link_to_the_report(client, certified_submission):
    link = reverse("submission_report", kwargs={"submission_id": certified_submission.pk})
    client.force_login(operator(organisation=certified_submission.platform.organisation))
    page = client.get(reverse("operator_submission_view", args=[certified_submission.pk]))
    assert f'href="{link}?lang=zh-hans"' in page.content.decode()
    client.force_login(reviewer("440000"))
    page = client.get(reverse("review_detail", args=[certified_submission.pk]))
    assert f'href="{link}?lang=en"' in page.content.decode()
