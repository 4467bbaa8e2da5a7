"""PAdES signatures for every PDF the product issues (reports, certificates, forms).

:func:`pdf_sign` signs PDF bytes with the deployment's key and certificate, a PKCS#12 file
named by ``SIGNING_PKCS12_PATH`` (password ``SIGNING_PKCS12_PASSWORD``). Outside production,
with no path set, a self-signed demo certificate is generated on first use under
``VAR_DIR/signing/``. :func:`pdf_signature_check` reads an uploaded PDF's signatures back for
the public verification page.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import functools
import io
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

DEMO_PASSWORD = "demo-signing"  # noqa: S105 -- the generated demo key only
FIELD_NAME = "IssuerSignature"
_lock = threading.Lock()


def demo_pkcs12_path() -> Path:
    return Path(settings.VAR_DIR) / "signing" / "demo-signing.p12"


def _generate_demo_pkcs12(path: Path, password: str) -> None:
    """A self-signed RSA-2048 certificate for document signing (demo only), valid 10 years."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.REPORT_ISSUER_EN),
            x509.NameAttribute(NameOID.COMMON_NAME, "Platform Maturity Assessment (demo signer)"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    blob = pkcs12.serialize_key_and_certificates(
        b"demo-signer",
        key,
        certificate,
        None,
        serialization.BestAvailableEncryption(password.encode()),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(blob)
    temporary.chmod(0o600)
    temporary.replace(path)  # atomic: parallel first uses never see half a file
    logger.warning("generated a self-signed demo signing certificate at %s", path)


def signing_source() -> tuple[Path, str]:
    """The PKCS#12 file and its password (generating the demo one when none is configured)."""
    if settings.SIGNING_PKCS12_PATH:
        return Path(settings.SIGNING_PKCS12_PATH), settings.SIGNING_PKCS12_PASSWORD
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "PRODUCTION=true signs issued PDFs only with a real key: set SIGNING_PKCS12_PATH "
            "and SIGNING_PKCS12_PASSWORD."
        )
    path = demo_pkcs12_path()
    with _lock:
        if not path.exists():
            _generate_demo_pkcs12(path, DEMO_PASSWORD)
    return path, DEMO_PASSWORD


# Room for the CMS signature in the PDF: set, so pyHanko need not sign a dry run to size it.
SIGNATURE_BYTES_RESERVED = 16 * 1024


def _cached_key_signer_class():
    """pyHanko's SimpleSigner parses the private key again for every signature (about as long
    as the RSA signature itself); this one keeps the parsed RSA key for the process."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash

    class CachedKeySigner(signers.SimpleSigner):
        _parsed_key = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            if mechanism.signature_algo != "rsassa_pkcs1v15":
                return super().sign_raw(data, digest_algorithm)
            if self._parsed_key is None:
                self._parsed_key = serialization.load_der_private_key(
                    self.signing_key.dump(), password=None
                )
            return self._parsed_key.sign(
                data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm)
            )

    return CachedKeySigner


@functools.cache
def _signer_for(path: str, password: str, modified: float):
    from pyhanko.sign import signers

    loaded = signers.SimpleSigner.load_pkcs12(path, passphrase=password.encode() or None)
    if loaded is None:
        raise RuntimeError(f"cannot read the signing key {path} (wrong password?)")
    cached_class = _cached_key_signer_class()
    signer = cached_class.__new__(cached_class)
    signer.__dict__.update(loaded.__dict__)
    return signer


def signer():
    path, password = signing_source()
    return _signer_for(str(path), password, path.stat().st_mtime)


def signing_certificate_sha256() -> str:
    """The SHA-256 fingerprint of the deployment's signing certificate (printed, checked)."""
    return signer().signing_cert.sha256.hex()


def _outside_event_loop(function, *args):
    """pyHanko's synchronous API calls asyncio.run(), which refuses to run inside a running
    event loop (an async view, an ASGI server's thread, Playwright's sync API): there, run it
    in a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def pdf_sign(pdf_bytes: bytes) -> bytes:
    """The PDF with a PAdES (ETSI.CAdES.detached) signature of the whole file appended."""
    return _outside_event_loop(_pdf_sign, pdf_bytes)


def _pdf_sign(pdf_bytes: bytes) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="Issued by the Platform Maturity Assessment system",
        location=settings.SITE_URL,
    )
    output = signers.sign_pdf(
        writer,
        metadata,
        signer=signer(),
        new_field_spec=fields.SigFieldSpec(sig_field_name=FIELD_NAME),
        bytes_reserved=SIGNATURE_BYTES_RESERVED,
    )
    return output.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    """What an uploaded PDF's signatures say."""

    signed: bool  # carries at least one signature
    intact: bool  # the signed bytes are unchanged and the signature is mathematically valid
    covers_whole_file: bool  # nothing was appended after the signature
    ours: bool  # signed with this deployment's certificate
    signer: str  # the signer's name as in its certificate
    signed_at: datetime.datetime | None

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.covers_whole_file and self.ours


NOT_SIGNED = SignatureCheck(False, False, False, False, "", None)


def pdf_signature_check(pdf_bytes: bytes) -> SignatureCheck:
    """Check the last signature of a PDF against this deployment's signing certificate."""
    return _outside_event_loop(_pdf_signature_check, pdf_bytes)


def _pdf_signature_check(pdf_bytes: bytes) -> SignatureCheck:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 -- any unreadable upload simply carries no signature
        return NOT_SIGNED
    if not signatures:
        return NOT_SIGNED
    embedded = signatures[-1]
    own = signer().signing_cert
    try:
        status = validate_pdf_signature(
            embedded, ValidationContext(trust_roots=[own], allow_fetching=False)
        )
    except Exception:  # noqa: BLE001 -- a malformed signature is a broken one
        return SignatureCheck(True, False, False, False, "", None)
    certificate = status.signing_cert
    coverage = getattr(status, "coverage", None)
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    return SignatureCheck(
        signed=True,
        intact=bool(status.intact and status.valid),
        covers_whole_file=coverage == SignatureCoverageLevel.ENTIRE_FILE,
        ours=certificate is not None and certificate.sha256 == own.sha256,
        signer=certificate.subject.human_friendly if certificate is not None else "",
        signed_at=status.signer_reported_dt,
    )
