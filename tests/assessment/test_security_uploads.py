"""Hole 5: hostile uploads, refused by the web form and the API alike (one service checks both):
zip bombs and programs inside Office files, legacy Office with macros or installer streams,
PDFs with JavaScript, launch actions or embedded files, HTML disguised as CSV; quotas per
submission and per minute; temporary files of a killed upload are removed."""

import io
import os
import struct
import time
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.errors import ApplicationError
from assessment.models import Evidence
from assessment.services.evidence_files import check_evidence_file
from tests import factories
from tests.assessment.api_support import open_cycle, token_client
from tests.factories import pdf_bytes, uploaded_file

pytestmark = pytest.mark.django_db


def zip_bytes(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx(extra: dict[str, bytes] | None = None) -> bytes:
    return zip_bytes(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>", **(extra or {})}
    )


def ole_file(storages: list[str], root_clsid: bytes = b"\0" * 16) -> bytes:
    """A minimal compound file (legacy Office container) holding empty storages."""
    end, free, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFF
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 0x1000, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108
    fat = struct.pack("<II", 0xFFFFFFFD, end) + struct.pack("<I", free) * 126

    def entry(name, kind, left=nostream, right=nostream, child=nostream, clsid=b"\0" * 16):
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", left, right, child)
            + clsid
            + b"\0" * 4
            + b"\0" * 16
            + struct.pack("<IQ", end if kind == 5 else 0, 0)
        )

    entries = [entry("Root Entry", 5, child=1 if storages else nostream, clsid=root_clsid)]
    for index, name in enumerate(storages, start=1):
        right = index + 1 if index < len(storages) else nostream
        entries.append(entry(name, 1, right=right))
    while len(entries) % 4:
        entries.append(entry("", 0))
    directory = b"".join(entries)
    assert len(directory) == 512, "keep to one directory sector"
    return header + fat + directory


MSI_CLSID = bytes.fromhex("84100C0000000000C000000000000046")


def pdf(body: bytes) -> bytes:
    return b"%PDF-1.4\n" + body + b"\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def refusal(content: bytes, name: str) -> str:
    with pytest.raises(ApplicationError) as refused:
        check_evidence_file(uploaded_file(content, name))
    assert refused.value.field == "file"
    return refused.value.code


HOSTILE = {
    "zip bomb in a docx": (docx({"word/media/fill.xml": b"\0" * (4 * 1024 * 1024)}), "a.docx"),
    "exe inside a docx": (docx({"word/embeddings/setup.exe": b"MZ" + b"\0" * 64}), "a.docx"),
    "jar inside a docx": (docx({"word/embeddings/app.jar": b"PK\x03\x04" + b"\0" * 30}), "a.docx"),
    "program under another name in an xlsx": (
        zip_bytes(
            {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>", "xl/x.dat": b"\x7fELF"}
        ),
        "a.xlsx",
    ),
    "legacy word with macros": (ole_file(["Macros", "WordDocument"]), "a.doc"),
    "legacy excel with a vba project": (ole_file(["_VBA_PROJECT_CUR"]), "a.xls"),
    "installer renamed to doc": (ole_file(["Data"], root_clsid=MSI_CLSID), "a.doc"),
    "pdf with javascript": (
        pdf(b"1 0 obj<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"),
        "a.pdf",
    ),
    "pdf with hex-escaped javascript": (
        pdf(b"1 0 obj<< /OpenAction << /S /J#61vaScript /J#53 (x) >> >>endobj"),
        "a.pdf",
    ),
    "pdf with a launch action": (pdf(b"1 0 obj<< /A << /S /Launch /F (cmd.exe) >> >>"), "a.pdf"),
    "pdf with an embedded file": (pdf(b"2 0 obj<< /Type /EmbeddedFile /Length 3 >>"), "a.pdf"),
    "pdf hiding javascript in an object stream": (
        pdf(
            b"3 0 obj<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n"
            + zlib.compress(b"1 0 << /S /JavaScript /JS (app.alert(1)) >>")
            + b"\nendstream endobj"
        ),
        "a.pdf",
    ),
    "html disguised as csv": (b"<!DOCTYPE html><html><body>x</body></html>", "a.csv"),
    "script inside a csv": (b"name,value\n<script>alert(1)</script>,1\n", "a.csv"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_each_hostile_class_is_refused(case):
    content, name = HOSTILE[case]
    assert refusal(content, name)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (docx({"word/media/image1.png": b"\x89PNG\r\n\x1a\n" + b"x" * 100}), "ok.docx"),
        (ole_file(["WordDocument", "ObjectPool"]), "ok.doc"),
        (pdf_bytes(), "ok.pdf"),
        ("名称,数量\n设备,3\n".encode(), "ok.csv"),
    ],
)
def test_ordinary_files_still_pass(content, name):
    assert check_evidence_file(uploaded_file(content, name)).size == len(content)


def test_the_unpacked_size_limit(settings):
    settings.EVIDENCE_MAX_UNPACKED_BYTES = 1000
    content = docx({"word/document2.xml": os.urandom(2000)})
    assert refusal(content, "a.docx") == "archive_bomb"


# --- Through the web form and the API ------------------------------------------------------------


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    os.makedirs(settings.FILE_UPLOAD_TEMP_DIR)


@pytest.fixture
def draft():
    return factories.SubmissionFactory(
        cycle=open_cycle(), platform=factories.PlatformFactory(kind="industry")
    )


def _api_upload(client, draft, content, name):
    return client.post(
        f"/api/v1/submissions/{draft.pk}/evidence/files/",
        {"question_code": "D1.1", "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


@pytest.mark.parametrize(
    "case", ["zip bomb in a docx", "legacy word with macros", "pdf with javascript"]
)
def test_the_api_refuses_hostile_files(draft, case):
    response = _api_upload(token_client(draft.created_by), draft, *HOSTILE[case])
    assert response.status_code == 400
    assert response.json()["field"] == "file"
    assert not Evidence.objects.filter(submission=draft).exists()


@pytest.mark.parametrize("case", ["exe inside a docx", "html disguised as csv"])
def test_the_web_form_refuses_hostile_files(client, draft, case):
    content, name = HOSTILE[case]
    client.force_login(draft.created_by)
    url = reverse("operator_questionnaire", args=[draft.pk, "D1"])
    response = client.post(
        url, {"action": "upload:D1.1", "file-D1.1": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 400
    assert not Evidence.objects.filter(submission=draft).exists()


def test_uploads_per_minute_are_limited(settings, draft):
    settings.EVIDENCE_UPLOADS_PER_MINUTE = 3
    client = token_client(draft.created_by)
    statuses = [_api_upload(client, draft, pdf_bytes(), f"{n}.pdf").status_code for n in range(4)]
    assert statuses == [201, 201, 201, 429]


def test_files_per_submission_are_limited(settings, draft):
    settings.EVIDENCE_MAX_FILES_PER_SUBMISSION = 2
    client = token_client(draft.created_by)
    statuses = [_api_upload(client, draft, pdf_bytes(), f"{n}.pdf").status_code for n in range(3)]
    assert statuses == [201, 201, 400]


def test_bytes_per_submission_are_limited(settings, draft):
    content = pdf_bytes()
    settings.EVIDENCE_MAX_BYTES_PER_SUBMISSION = len(content) * 2 + 10
    client = token_client(draft.created_by)
    statuses = [_api_upload(client, draft, content, f"{n}.pdf").status_code for n in range(3)]
    assert statuses == [201, 201, 400]
    assert _api_upload(client, draft, content, "x.pdf").json()["code"] == "submission_size_quota"


def test_temporary_files_of_a_killed_upload_are_removed(settings, draft):
    folder = settings.FILE_UPLOAD_TEMP_DIR
    stale, fresh = os.path.join(folder, "stale.upload"), os.path.join(folder, "fresh.upload")
    for path in (stale, fresh):
        with open(path, "wb") as handle:
            handle.write(b"partial")
    hours_ago = time.time() - 2 * 3600
    os.utime(stale, (hours_ago, hours_ago))
    assert (
        _api_upload(token_client(draft.created_by), draft, pdf_bytes(), "a.pdf").status_code == 201
    )
    assert not os.path.exists(stale)
    assert os.path.exists(fresh)


def test_a_large_upload_leaves_no_temporary_file(settings, draft):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # spool to the temporary folder
    content = pdf_bytes() + b"%" + b"0" * 50_000
    response = _api_upload(token_client(draft.created_by), draft, content, "big.pdf")
    assert response.status_code == 201
    assert os.listdir(settings.FILE_UPLOAD_TEMP_DIR) == []
