"""Checks on an uploaded evidence file: its real type from the content, its size, its hash.

The name a browser sends is never trusted: the type comes from the bytes (puremagic's signature
tables, refined here for ZIP-based Office files, OLE compound files and CSV). Executables,
archives with entries that would land outside their folder ("zip slip"), macro-carrying Office
files, unknown types and files over ``settings.EVIDENCE_MAX_BYTES`` are refused with a message
the operator can act on.
"""

import hashlib
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import puremagic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError
from assessment.services.evidence_content import check_container, check_csv, check_ole, check_pdf

HEAD_BYTES = 8192
CHUNK_BYTES = 64 * 1024

# Content types we accept, with the extensions a download may keep.
PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
PPT = "application/vnd.ms-powerpoint"
CSV = "text/csv"

ALLOWED_TYPES = {PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, ODT, ODS, ODP, DOC, XLS, PPT, CSV}
# Shown in the browser (Content-Disposition: inline); everything else is downloaded.
INLINE_TYPES = {PDF, PNG, JPEG, GIF, WEBP}
# The <input accept=…> hint; the server decides from the content whatever the browser sends.
ACCEPT_ATTRIBUTE = (
    ".pdf,.png,.jpg,.jpeg,.gif,.webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.csv"
)

_SIGNATURES = [  # checked before puremagic, whose tables rank some of these ambiguously
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
]
_EXECUTABLE_SIGNATURES = [
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",  # Linux and most Unix
    b"\xfe\xed\xfa\xce",  # Mach-O 32
    b"\xfe\xed\xfa\xcf",  # Mach-O 64
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"#!",  # scripts with an interpreter line
    b"\x00asm",  # WebAssembly
]
_EXECUTABLE_EXTENSIONS = {
    ".exe", ".dll", ".com", ".scr", ".msi", ".msp", ".bat", ".cmd", ".ps1", ".vbs", ".vbe",
    ".js", ".jse", ".wsf", ".wsh", ".hta", ".cpl", ".jar", ".sh", ".bin", ".run", ".app",
    ".elf", ".so", ".dylib", ".apk", ".deb", ".rpm", ".lnk", ".reg", ".pif", ".py", ".pl",
}  # fmt: skip
_OLE_TYPES_BY_EXTENSION = {".doc": DOC, ".xls": XLS, ".ppt": PPT}
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODF_TYPES = {ODT, ODS, ODP}
_OOXML_PARTS = [("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX)]
_CSV_EXTENSIONS = {".csv"}


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    sha256: str
    size: int
    original_name: str

    @property
    def inline(self) -> bool:
        return self.content_type in INLINE_TYPES


def _refuse(code: str, message, **params) -> ApplicationError:
    return ApplicationError(code, message % params if params else message, field="file")


def clean_original_name(name: str) -> str:
    """The name to keep for downloads: the last path part, without control characters."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?')
    return base.strip()[:200] or "evidence"


def _extension(name: str) -> str:
    return PurePosixPath(name.lower()).suffix


def _is_executable(head: bytes, extension: str, candidates) -> bool:
    if extension in _EXECUTABLE_EXTENSIONS:
        return True
    if any(head.startswith(signature) for signature in _EXECUTABLE_SIGNATURES):
        return True
    return any(
        "executable" in candidate.name.lower()
        or candidate.mime_type in ("application/vnd.microsoft.portable-executable",)
        for candidate in candidates
    )


def _unsafe_member(name: str) -> bool:
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":"):
        return True
    return posixpath.normpath(normalised).split("/", 1)[0] == ".."


def _zip_type(uploaded_file: UploadedFile) -> str | None:
    """The Office type of a ZIP-based file; refuses zip slip and macros; None for other ZIPs."""
    uploaded_file.seek(0)
    try:
        archive = zipfile.ZipFile(uploaded_file)
        names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _refuse(
            "file_damaged", _("The file is damaged or incomplete; please export it again.")
        ) from error
    if any(_unsafe_member(name) for name in names):
        raise _refuse(
            "archive_unsafe_path",
            _(
                "The archive contains entries that point outside it (for example “../”). "
                "Such files are refused for safety."
            ),
        )
    check_container(archive)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise _refuse(
            "file_has_macros",
            _("Office files with macros are not accepted; please save the file without macros."),
        )
    if names and names[0] == "mimetype":
        mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
        return mimetype if mimetype in _ODF_TYPES else None
    if "[Content_Types].xml" in names:
        for prefix, content_type in _OOXML_PARTS:
            if any(name.startswith(prefix) for name in names):
                return content_type
    return None


def _looks_like_csv(uploaded_file: UploadedFile) -> bool:
    uploaded_file.seek(0)
    sample = uploaded_file.read(HEAD_BYTES)
    if b"\x00" in sample:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            # A multi-byte character cut at the end of the sample is still text.
            try:
                text = sample[:-3].decode(encoding)
            except UnicodeDecodeError:
                continue
        return all(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return False


def sniff_content_type(uploaded_file: UploadedFile, original_name: str) -> str:
    """The accepted content type of the file, from its bytes; raises ApplicationError."""
    uploaded_file.seek(0)
    head = uploaded_file.read(HEAD_BYTES)
    extension = _extension(original_name)
    try:
        candidates = puremagic.magic_string(head) if head else []
    except puremagic.PureError:
        candidates = []
    if _is_executable(head, extension, candidates):
        raise _refuse("file_executable", _("Programs and scripts cannot be uploaded as evidence."))
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            if content_type == PDF:
                check_pdf(uploaded_file)
            return content_type
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        content_type = _zip_type(uploaded_file)
        if content_type is None:
            raise _refuse(
                "file_archive",
                _("Archives are not accepted; please upload the documents one by one."),
            )
        return content_type
    if head.startswith(_OLE_SIGNATURE):
        if extension in _OLE_TYPES_BY_EXTENSION:
            check_ole(uploaded_file)
            return _OLE_TYPES_BY_EXTENSION[extension]
    elif extension in _CSV_EXTENSIONS and _looks_like_csv(uploaded_file):
        check_csv(head)
        return CSV
    raise _refuse(
        "file_type_not_allowed",
        _(
            "This kind of file is not accepted. Upload PDF, images (PNG, JPEG, GIF, WebP), "
            "Office documents or CSV."
        ),
    )


def file_sha256(uploaded_file: UploadedFile) -> str:
    uploaded_file.seek(0)
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks(CHUNK_BYTES):
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


def check_evidence_file(uploaded_file: UploadedFile) -> CheckedFile:
    """Check an uploaded file completely; raise ApplicationError(field="file") if refused."""
    max_bytes = settings.EVIDENCE_MAX_BYTES
    size = uploaded_file.size or 0
    if size > max_bytes:
        raise _refuse(
            "file_too_large",
            _("The file is %(size)s; the limit is %(limit)s. Please upload a smaller file."),
            size=filesizeformat(size),
            limit=filesizeformat(max_bytes),
        )
    if size == 0:
        raise _refuse("file_empty", _("The file is empty."))
    original_name = clean_original_name(uploaded_file.name or "")
    content_type = sniff_content_type(uploaded_file, original_name)
    return CheckedFile(
        content_type=content_type,
        sha256=file_sha256(uploaded_file),
        size=size,
        original_name=original_name,
    )


def in_memory_file(content: bytes, name: str) -> UploadedFile:
    """An UploadedFile over bytes (seeding, tests of the service)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


__all__ = [
    "ACCEPT_ATTRIBUTE",
    "ALLOWED_TYPES",
    "INLINE_TYPES",
    "CheckedFile",
    "check_evidence_file",
    "clean_original_name",
    "in_memory_file",
]


# --- Quotas and temporary files --------------------------------------------------------------


def check_upload_quota(*, actor, submission, size: int) -> None:
    """Files and bytes per submission, uploads per user and minute (counted in the database,
    so every server process sees the same counts)."""
    from datetime import timedelta

    from django.db.models import Count, Sum
    from django.utils import timezone

    from assessment.errors import TooManyRequests
    from assessment.models import Evidence

    since = timezone.now() - timedelta(minutes=1)
    recent = (
        Evidence.objects.filter(uploaded_by=actor, uploaded_at__gte=since).exclude(file="").count()
    )
    if recent >= settings.EVIDENCE_UPLOADS_PER_MINUTE:
        raise TooManyRequests(
            "upload_rate",
            _("You uploaded %(count)d files in the last minute; please wait a moment.")
            % {"count": recent},
            field="file",
        )
    held = (
        Evidence.objects.filter(submission=submission, removed_at__isnull=True, is_current=True)
        .exclude(file="")
        .aggregate(files=Count("id"), size=Sum("size"))
    )
    if held["files"] >= settings.EVIDENCE_MAX_FILES_PER_SUBMISSION:
        raise _refuse(
            "submission_file_quota",
            _("This submission already has %(count)d files, the most allowed."),
            count=held["files"],
        )
    if (held["size"] or 0) + size > settings.EVIDENCE_MAX_BYTES_PER_SUBMISSION:
        raise _refuse(
            "submission_size_quota",
            _("The files of this submission would exceed %(limit)s in all."),
            limit=filesizeformat(settings.EVIDENCE_MAX_BYTES_PER_SUBMISSION),
        )


STALE_TEMP_SECONDS = 3600


def remove_stale_upload_files() -> int:
    """Remove spooled uploads older than an hour (left behind by a killed upload or worker)."""
    import os
    import time
    from pathlib import Path

    folder = Path(settings.FILE_UPLOAD_TEMP_DIR or "")
    if not settings.FILE_UPLOAD_TEMP_DIR or not folder.is_dir():
        return 0
    cutoff, removed = time.time() - STALE_TEMP_SECONDS, 0
    for entry in os.scandir(folder):
        try:
            if entry.is_file() and entry.stat().st_mtime < cutoff:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed
