"""Main journeys in a real browser: verifying a report in public, a regulator's batch page."""

import pytest

from assessment.selectors.reports import report_submission_queryset
from assessment.services import reports
from tests.browser import sign_in
from tests.factories import PASSWORD, regulator, reviewed_submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_verification_of_a_report_number_and_its_pdf(page, live_server, tmp_path):
    submission = reviewed_submission(result="growth", certified=True)
    report, pdf = reports.submission_report_pdf(
        submission=report_submission_queryset().get(pk=submission.pk), language="en", user=None
    )
    pdf_path = tmp_path / "report.pdf"
    pdf_path.write_bytes(pdf)

    page.goto(f"{live_server.url}/verify/")
    page.fill("#id_number", report.number.lower())
    page.locator("form[method=get] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/v/{report.number}/")
    assert page.get_by_text(submission.platform.name).first.is_visible()
    assert page.locator(".verify-verdict.verdict-good").is_visible()

    page.set_input_files("input[type=file]", str(pdf_path))
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".card .verdict-good").is_visible()
    assert page.console_errors == []


def test_regulator_requests_a_batch_and_sees_it_queued(page, live_server):
    submission = reviewed_submission(result="basic", certified=True)
    user = regulator("440000")
    sign_in(page, live_server, user.email, PASSWORD)
    page.goto(f"{live_server.url}/reports/batches/")
    page.select_option("#id_cycle", submission.cycle.code)
    page.select_option("#id_region", "440000")
    page.locator("main form[method=post] button.primary").click()
    page.wait_for_load_state("networkidle")
    row = page.locator("table.report-batches tbody tr").first
    assert row.is_visible()
    assert "0 / 1" in row.inner_text()
    assert page.console_errors == []
