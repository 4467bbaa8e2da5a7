"""Cost of the security controls (issue 17).

1. The upload check of a 20 MB file (type from the content, active-content scan of a PDF,
   quota query excluded) against SHA-256 hashing the same bytes, which every upload did
   before; for a PDF (scanned in full) and for an XLSX of the same size (container checks).
2. Signing in with password + TOTP against signing in with the password only (test client,
   lock-out and audit trail included), on the benchmark database.

Run: .venv/bin/python -m benchmarks bench_security
"""

import io
import os
import zipfile

from benchmarks.common import measure, report

SIZE = 20 * 1024 * 1024 - 64 * 1024  # just under the 20 MB limit, headers included


def _pdf(size: int) -> bytes:
    # A plausible PDF: a page and a long content stream of drawing operators.
    body = b"q 1 0 0 1 72 720 cm BT /F1 12 Tf (Line of evidence text) Tj ET Q\n"
    head = b"%PDF-1.7\n1 0 obj<< /Type /Catalog /Pages 2 0 R >>endobj\n"
    stream = body * (size // len(body))
    return (
        head + b"4 0 obj<< /Length %d >>stream\n" % len(stream) + stream + b"\nendstream\n%%EOF\n"
    )


def _xlsx(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/media/image1.png", b"\x89PNG\r\n\x1a\n" + os.urandom(size))
    return buffer.getvalue()


def _upload_check() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessment.services.evidence_files import check_evidence_file, file_sha256

    for label, content, name in (
        ("PDF", _pdf(SIZE), "evidence.pdf"),
        ("XLSX", _xlsx(SIZE), "evidence.xlsx"),
    ):
        upload = SimpleUploadedFile(name, content)
        hashing = measure(lambda upload=upload: file_sha256(upload), repeat=15)
        checking = measure(lambda upload=upload: check_evidence_file(upload), repeat=15)
        report(f"SHA-256 of a 20 MB {label} (baseline)", hashing)
        report(f"full upload check of a 20 MB {label}", checking, hashing)


def _sign_in() -> None:
    from django.contrib.auth.hashers import make_password
    from django.test import Client
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from assessment.models import Organisation, Role, User

    password = "Bench-Mark-2026"  # noqa: S105
    organisation = Organisation.objects.order_by("id").first()
    plain, _ = User.objects.get_or_create(
        email="bench.plain@bench.demo.cn",
        defaults={"role": Role.OPERATOR, "organisation": organisation},
    )
    second, _ = User.objects.get_or_create(
        email="bench.totp@bench.demo.cn",
        defaults={"role": Role.OPERATOR, "organisation": organisation},
    )
    for user in (plain, second):
        User.objects.filter(pk=user.pk).update(password=make_password(password))
    TOTPDevice.objects.filter(user=second).delete()
    device = TOTPDevice.objects.create(user=second, name="bench", confirmed=True, tolerance=100)

    def password_only():
        client = Client()
        response = client.post("/accounts/login/", {"username": plain.email, "password": password})
        assert response.status_code == 302, response.status_code
        assert client.get("/operator/").status_code == 200

    def with_totp():
        client = Client()
        client.post("/accounts/login/", {"username": second.email, "password": password})
        fresh = TOTPDevice.objects.get(pk=device.pk)
        fresh.last_t = -1
        fresh.throttling_failure_count = 0
        fresh.save(update_fields=["last_t", "throttling_failure_count"])
        code = f"{totp(fresh.bin_key, step=fresh.step, digits=fresh.digits):06d}"
        response = client.post("/accounts/two-factor/verify/", {"code": code, "next": "/operator/"})
        assert response.status_code == 302, response.status_code
        assert client.get("/operator/").status_code == 200

    baseline = measure(password_only, repeat=10)
    report("sign in with the password only (baseline)", baseline)
    report("sign in with password + TOTP", measure(with_totp, repeat=10), baseline)


def run() -> None:
    _upload_check()
    _sign_in()
