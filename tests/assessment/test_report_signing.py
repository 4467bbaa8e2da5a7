"""Issued PDFs carry a PAdES signature that poppler's pdfsig accepts; one byte changed breaks it."""

import subprocess

import pytest
from django.db import transaction

from assessment.selectors.reports import report_submission_queryset
from assessment.services import reports, signing
from tests.factories import reviewed_submission

pytestmark = [pytest.mark.django_db, pytest.mark.once]


def pdfsig(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    run = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)  # noqa: S603, S607
    return run.stdout + run.stderr


@pytest.fixture(scope="module")
def signed_report(django_db_setup, django_db_blocker):
    # Only the PDFs are kept: the rows made for them are rolled back, so that nothing reaches the
    # tests this worker runs next (they expect an empty database).
    with django_db_blocker.unblock(), transaction.atomic():
        submission = reviewed_submission(result="growth", certified=True)
        submission = report_submission_queryset().get(pk=submission.pk)
        _report, pdf = reports.submission_report_pdf(
            submission=submission, language="zh-hans", user=None
        )
        transaction.set_rollback(True)
    return pdf


def test_evaluation_report_signature_is_valid_for_pdfsig(signed_report, tmp_path):
    output = pdfsig(signed_report, tmp_path)
    assert "Signature is Valid." in output
    assert "ETSI.CAdES.detached" in output  # PAdES
    assert "Total document signed" in output


def test_one_changed_byte_breaks_the_signature(signed_report, tmp_path):
    tampered = bytearray(signed_report)
    tampered[len(tampered) // 3] ^= 0x01
    output = pdfsig(bytes(tampered), tmp_path)
    assert "Signature is Valid." not in output
    assert signing.pdf_signature_check(bytes(tampered)).valid is False


def test_signature_check_tells_intact_appended_and_unsigned(signed_report):
    check = signing.pdf_signature_check(signed_report)
    assert check.valid and check.ours and check.intact and check.covers_whole_file
    appended = signing.pdf_signature_check(signed_report + b"\n%% appended\n")
    assert appended.signed and not appended.covers_whole_file and not appended.valid
    assert signing.pdf_signature_check(b"%PDF-1.7 not really").signed is False


def test_a_pdf_signed_with_another_key_is_not_ours(tmp_path, settings):
    unsigned = reports.render_pdf("<p>证书 certificate</p>")
    signing._generate_demo_pkcs12(tmp_path / "other.p12", "other")
    settings.SIGNING_PKCS12_PATH = str(tmp_path / "other.p12")
    settings.SIGNING_PKCS12_PASSWORD = "other"  # noqa: S105
    foreign = signing.pdf_sign(unsigned)
    settings.SIGNING_PKCS12_PATH = ""
    assert signing.pdf_signature_check(signing.pdf_sign(unsigned)).valid
    check = signing.pdf_signature_check(foreign)
    assert check.signed and check.intact and not check.ours and not check.valid


def test_regional_report_is_signed(tmp_path):
    submission = reviewed_submission(result="basic", certified=True)
    pdf = reports.regional_report_pdf(cycle=submission.cycle, region=None, language="en")
    assert "Signature is Valid." in pdfsig(pdf, tmp_path)


def test_production_never_signs_with_a_generated_demo_key(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.PRODUCTION = True
    settings.SIGNING_PKCS12_PATH = ""
    with pytest.raises(ImproperlyConfigured, match="SIGNING_PKCS12_PATH"):
        signing.pdf_sign(reports.render_pdf("<p>x</p>"))


def test_signing_works_inside_a_running_event_loop():
    """pyHanko's sync API calls asyncio.run(): an async caller (ASGI, Playwright) must work."""
    import asyncio

    unsigned = reports.render_pdf("<p>x</p>")

    async def inside():
        signed = signing.pdf_sign(unsigned)
        return signed, signing.pdf_signature_check(signed)

    signed, check = asyncio.run(inside())
    assert check.valid and signed.startswith(unsigned[:8])
