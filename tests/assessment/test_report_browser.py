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
    assert page.locator(".verify-outcome .verdict-good").first.is_visible()
    assert "✓" in page.locator(".verify-outcome").inner_text()  # the signature is valid

    # A changed file: the red verdict is the first thing on the page, and no green one.
    tampered = bytearray(pdf)
    tampered[len(pdf) // 2] ^= 0x01
    pdf_path.write_bytes(bytes(tampered))
    page.set_input_files("input[type=file]", str(pdf_path))
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    verdicts = page.locator(".verify-verdict")
    assert "verdict-bad" in verdicts.first.get_attribute("class")
    assert page.locator(".verdict-good").count() == 0
    first_box = verdicts.first.bounding_box()
    assert first_box["y"] < page.locator(".card").first.bounding_box()["y"]
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(tmp_path / f"verify-mismatch-{width}.png"), full_page=True)
        assert verdicts.first.bounding_box()["x"] >= 0
        assert verdicts.first.bounding_box()["width"] <= width
    assert page.console_errors == []


def test_regulator_requests_a_batch_and_sees_it_queued(page, live_server):
    submission = reviewed_submission(result="basic", certified=True)
    user = regulator("440000")
    sign_in(page, live_server, user.email, PASSWORD)
    page.goto(f"{live_server.url}/reports/batches/")
    # Django 6.1's empty choice had no Chinese in Django's catalogue (issue 12, defect 10).
    options = page.locator("select option").all_inner_texts()
    assert "- 请选择 -" in options
    assert not [option for option in options if "Select" in option]
    page.select_option("#id_cycle", submission.cycle.code)
    page.select_option("#id_region", "440000")
    page.locator("main form[method=post] button.primary").click()
    page.wait_for_load_state("networkidle")
    row = page.locator("table.report-batches tbody tr").first
    assert row.is_visible()
    assert "0 / 1" in row.inner_text()
    assert page.console_errors == []
