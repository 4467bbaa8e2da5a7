"""examples/api_client.py against a running server: draft, answers from the CSV, a file, submit."""

import importlib.util
import io
from pathlib import Path

import pytest

from assessment.models import Evidence, Submission
from assessment.services.tokens import api_token_create
from tests.assessment.api_support import open_cycle
from tests.factories import PlatformFactory, operator

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def load_example_client():
    spec = importlib.util.spec_from_file_location("api_client", EXAMPLES / "api_client.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db(transaction=True)
def test_the_example_client_submits_a_questionnaire_from_csv(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cycle = open_cycle()
    platform = PlatformFactory(kind="industry")
    key = api_token_create(user=operator(organisation=platform.organisation), name="ERP").key
    report = tmp_path / "device-report.pdf"
    report.write_bytes(PDF)
    output = io.StringIO()

    result = load_example_client().run(
        [
            "--base-url",
            live_server.url,
            "--token",
            key,
            "--platform",
            str(platform.pk),
            "--cycle",
            cycle.code,
            "--answers",
            str(EXAMPLES / "answers.csv"),
            "--file",
            f"D1.2={report}",
            "--submit",
            "--language",
            "en",
        ],
        out=output,
    )

    submission = Submission.objects.get(platform=platform, cycle=cycle)
    assert submission.state == "submitted", output.getvalue()
    assert result["completeness"]["complete"] is True
    assert submission.answers.count() == 50
    uploaded = Evidence.objects.get(submission=submission, original_name="device-report.pdf")
    assert uploaded.file.read() == PDF
    assert "provisional result" in output.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_example_client_reports_a_refusal(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    module = load_example_client()
    with pytest.raises(module.ApiError) as refused:
        module.run(
            [
                "--base-url",
                live_server.url,
                "--token",
                "pma_unknown",
                "--platform",
                "1",
                "--cycle",
                "2027",
                "--answers",
                str(EXAMPLES / "answers.csv"),
            ],
            out=io.StringIO(),
        )
    assert refused.value.status == 401
    assert refused.value.body["code"] == "invalid_token"
