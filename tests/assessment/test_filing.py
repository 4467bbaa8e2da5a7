"""The application form (申报书) PDF and the commitment letter (承诺书) requirement."""

import io
import subprocess

import pytest
from pypdf import PdfReader

from assessment.errors import ApplicationError
from assessment.models import ApplicationForm, CommitmentLetter, CycleRequirement
from assessment.services.filing import (
    application_form_pdf,
    commitment_letter_text,
    commitment_letter_upload,
)
from assessment.services.submissions import submission_submit
from tests.factories import (
    EvidenceLinkFactory,
    answered_submission,
    operator,
    pdf_bytes,
    reviewer,
    uploaded_file,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _draft():
    submission = answered_submission(tier="basic", state="draft", platform__kind="industry")
    return submission, submission.created_by


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_application_form_holds_the_applicant_every_answer_and_the_evidence_hashes(
    tmp_path,
):
    submission, actor = _draft()
    EvidenceLinkFactory(submission=submission, question_code="D1.2")
    submission.evidence.filter(question_code="D1.2").update(sha256="ab" * 32)
    submission_submit(actor=actor, submission=submission)
    pdf = application_form_pdf(submission)
    (tmp_path / "application-form.pdf").write_bytes(pdf)
    text = _text(pdf)
    assert "申报书" in text.replace(" ", "")
    assert submission.platform.organisation.credit_code in text
    assert submission.platform.name in text
    for code in ("P1", "P2", "D1.1", "D1.2", "D8.7"):
        assert code in text
    assert "ab" * 16 in text.replace("\n", "")
    # Signed like every issued PDF (PAdES, the deployment's key).
    run = subprocess.run(  # noqa: S603
        ["/usr/bin/pdfsig", str(tmp_path / "application-form.pdf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Signature is Valid." in run.stdout


def test_the_form_is_stored_on_submission_and_downloadable_by_operator_and_reviewer(client):
    submission, actor = _draft()
    submission_submit(actor=actor, submission=submission)
    url = f"/submissions/{submission.pk}/application-form.pdf"
    client.force_login(actor)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert ApplicationForm.objects.filter(submission=submission).count() == 1
    client.force_login(reviewer(submission.platform.region.province_code))
    assert client.get(url).status_code == 200
    assert ApplicationForm.objects.filter(submission=submission).count() == 1  # stored once
    client.force_login(operator())
    assert client.get(url).status_code == 404
    client.force_login(reviewer("330000"))
    assert client.get(url).status_code == 404


def test_submitting_queues_the_form_after_commit(django_capture_on_commit_callbacks):
    submission, actor = _draft()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission_submit(actor=actor, submission=submission)
    assert callbacks  # the application form task (and mail) are queued on commit


def test_a_cycle_requiring_the_letter_refuses_submission_without_it():
    submission, actor = _draft()
    CycleRequirement.objects.create(cycle=submission.cycle, commitment_letter_required=True)
    with pytest.raises(ApplicationError) as refused:
        submission_submit(actor=actor, submission=submission)
    assert refused.value.code == "commitment_letter_missing"
    submission.refresh_from_db()
    assert submission.state == "draft"
    commitment_letter_upload(
        actor=actor, submission=submission, uploaded_file=uploaded_file(pdf_bytes(), "承诺书.pdf")
    )
    submission_submit(actor=actor, submission=submission)
    submission.refresh_from_db()
    assert submission.state == "submitted"


def test_the_letter_must_be_a_pdf_or_an_image():
    submission, actor = _draft()
    with pytest.raises(ApplicationError) as refused:
        commitment_letter_upload(
            actor=actor,
            submission=submission,
            uploaded_file=uploaded_file(b"a,b\n1,2\n", "letter.csv"),
        )
    assert refused.value.code == "letter_type"
    assert not CommitmentLetter.objects.exists()


def test_a_new_letter_replaces_the_current_one():
    submission, actor = _draft()
    for title in ("一", "二"):
        commitment_letter_upload(
            actor=actor, submission=submission, uploaded_file=uploaded_file(pdf_bytes(title))
        )
    assert submission.commitment_letters.filter(is_current=True).count() == 1
    assert submission.commitment_letters.count() == 2


def test_only_the_platforms_operators_upload_the_letter():
    submission, _actor = _draft()
    with pytest.raises(ApplicationError):
        commitment_letter_upload(
            actor=operator(), submission=submission, uploaded_file=uploaded_file(pdf_bytes())
        )


def test_the_letter_text_names_the_organisation_and_platform_in_both_languages():
    submission, _actor = _draft()
    for language, word in (("zh-hans", "承诺"), ("en", "commit")):
        letter = commitment_letter_text(submission, language)
        joined = " ".join(letter["paragraphs"])
        assert submission.platform.organisation.name in joined
        assert submission.platform.name in joined
        assert word in (letter["title"] + joined).lower()


def test_the_letter_page_shows_the_text_and_takes_the_upload(client):
    submission, actor = _draft()
    CycleRequirement.objects.create(cycle=submission.cycle, commitment_letter_required=True)
    client.force_login(actor)
    url = f"/operator/submissions/{submission.pk}/commitment-letter/"
    page = client.get(url)
    assert b'data-testid="letter-required"' in page.content
    assert submission.platform.name in page.content.decode()
    response = client.post(url, {"file": uploaded_file(pdf_bytes(), "scan.pdf")})
    assert response.status_code == 302
    assert CommitmentLetter.objects.get().original_name == "scan.pdf"
    download = client.get(f"/submissions/{submission.pk}/commitment-letter/file")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
