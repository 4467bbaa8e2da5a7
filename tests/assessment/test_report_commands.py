"""The render_report and render_regional_report commands (the same service as the web)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from assessment.models import IssuedReport
from tests.factories import reviewed_submission

pytestmark = [pytest.mark.django_db, pytest.mark.once]


def test_render_report_writes_the_issued_pdf(tmp_path):
    submission = reviewed_submission(result="basic", certified=True)
    output = tmp_path / "report.pdf"
    stdout = StringIO()
    call_command(
        "render_report",
        "--submission",
        str(submission.pk),
        "--lang",
        "zh-hans",
        "--output",
        str(output),
        stdout=stdout,
    )
    report = IssuedReport.objects.get(submission=submission)
    assert report.number in stdout.getvalue()
    first_page = PdfReader(output).pages[0].extract_text()
    assert report.number in first_page


def test_render_report_refuses_an_unknown_submission(tmp_path):
    with pytest.raises(CommandError, match="No submission"):
        call_command("render_report", "--submission", "999999", "--output", str(tmp_path / "x"))


def test_render_regional_report_for_a_province(tmp_path):
    submission = reviewed_submission(result="basic", certified=True)
    output = tmp_path / "regional.pdf"
    call_command(
        "render_regional_report",
        "--cycle",
        submission.cycle.code,
        "--region",
        "440000",
        "--lang",
        "en",
        "--output",
        str(output),
        stdout=StringIO(),
    )
    text = "".join(page.extract_text() for page in PdfReader(output).pages)
    assert "Regional report" in text
    assert "Guangdong" in text


def test_render_regional_report_refuses_an_unknown_cycle(tmp_path):
    with pytest.raises(CommandError, match="No cycle"):
        call_command("render_regional_report", "--cycle", "1999", "--output", str(tmp_path / "x"))
