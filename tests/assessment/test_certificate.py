"""The certificate (证书): one signed page per certification in force, verifiable by number."""

import io
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessment.models import Certification
from tests.factories import operator, reviewed_submission

pytestmark = pytest.mark.django_db


def certificate_url(submission, language="zh-hans"):
    return reverse("submission_certificate", kwargs={"submission_id": submission.pk}) + (
        f"?lang={language}"
    )


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize(("language", "words"), [("zh-hans", "证书"), ("en", "CERTIFICATE")])
def test_certificate_is_one_signed_page_with_number_tier_validity_and_qr(
    client, tmp_path, language, words
):
    submission = reviewed_submission(result="growth", certified=True)
    client.force_login(operator(organisation=submission.platform.organisation))
    response = client.get(certificate_url(submission, language))
    assert response.status_code == 200
    pdf = response.content
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = re.sub(r"\s+", "", text_of(pdf))
    number = re.search(r"IIP-[0-9]+(?:-[0-9A-Z]{4}){4}", text).group(0)
    assert words.replace(" ", "") in text.upper() or words in text
    assert re.sub(r"\s+", "", submission.platform.name) in text
    assert ("成长级" if language == "zh-hans" else "Growth") in text
    valid_until = Certification.objects.get(submission=submission).valid_until
    if language == "en":
        assert valid_until.isoformat() in text
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    run = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)  # noqa: S603, S607
    assert "Signature is Valid." in run.stdout
    # The QR's number verifies as a certificate.
    page = client.get(reverse("verify_report_detail", kwargs={"number": number}))
    assert page.context["verification"]["document"] == "certificate"
    assert page.context["verification"]["outcome"] == "genuine"


def test_no_certificate_without_a_certification_in_force(client):
    provisional = reviewed_submission(result="growth")
    client.force_login(operator(organisation=provisional.platform.organisation))
    assert client.get(certificate_url(provisional)).status_code == 400
    revoked = reviewed_submission(result="growth", certified=True)
    Certification.objects.filter(submission=revoked).update(
        status="revoked", revoked_at=timezone.now(), revoke_reason="test"
    )
    client.force_login(operator(organisation=revoked.platform.organisation))
    assert client.get(certificate_url(revoked)).status_code == 400


def test_certificate_of_another_organisation_is_not_found(client):
    submission = reviewed_submission(result="basic", certified=True)
    client.force_login(operator())
    assert client.get(certificate_url(submission)).status_code == 404


def test_revoking_makes_an_issued_certificate_show_revoked(client):
    submission = reviewed_submission(result="basic", certified=True)
    client.force_login(operator(organisation=submission.platform.organisation))
    pdf = client.get(certificate_url(submission, "en")).content
    number = re.search(r"IIP-[0-9]+(?:-[0-9A-Z]{4}){4}", re.sub(r"\s+", "", text_of(pdf))).group(0)
    Certification.objects.filter(submission=submission).update(
        status="revoked", revoked_at=timezone.now(), revoke_reason="test"
    )
    page = client.get(reverse("verify_report_detail", kwargs={"number": number}))
    assert page.context["verification"]["outcome"] == "revoked"
