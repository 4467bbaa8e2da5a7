"""The evidence file checks: real type from the content, size limit, executables, zip slip."""

import hashlib
import io
import zipfile

import pytest
from PIL import Image

from assessment.errors import ApplicationError
from assessment.services.evidence_files import check_evidence_file, clean_original_name
from tests.factories import pdf_bytes, uploaded_file


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    return zip_bytes(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>", **(extra or {})}
    )


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


def refusal(content: bytes, name: str) -> str:
    with pytest.raises(ApplicationError) as refused:
        check_evidence_file(uploaded_file(content, name))
    assert refused.value.field == "file"
    return refused.value.code


def test_a_pdf_is_accepted_with_its_sha256():
    content = pdf_bytes()
    checked = check_evidence_file(uploaded_file(content, "营业执照.pdf"))
    assert checked.content_type == "application/pdf"
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.inline


def test_the_type_comes_from_the_content_not_the_name():
    checked = check_evidence_file(uploaded_file(png_bytes(), "screenshot.pdf"))
    assert checked.content_type == "image/png"


def test_a_word_document_is_accepted_as_docx_and_downloaded():
    checked = check_evidence_file(uploaded_file(docx_bytes(), "说明.docx"))
    assert checked.content_type.endswith("wordprocessingml.document")
    assert not checked.inline


def test_a_csv_in_gb18030_is_accepted():
    content = "企业名称,设备数\n深圳某厂,120\n".encode("gb18030")
    assert check_evidence_file(uploaded_file(content, "清单.csv")).content_type == "text/csv"


def test_a_windows_executable_renamed_to_pdf_is_refused():
    assert refusal(b"MZ\x90\x00\x03" + b"\x00" * 500, "report.pdf") == "file_executable"


def test_a_linux_executable_is_refused():
    assert refusal(b"\x7fELF\x02\x01\x01" + b"\x00" * 500, "data.csv") == "file_executable"


def test_a_shell_script_is_refused():
    assert refusal(b"#!/bin/sh\nrm -rf /\n", "list.csv") == "file_executable"


def test_a_file_named_exe_is_refused_whatever_its_content():
    assert refusal(pdf_bytes(), "setup.exe") == "file_executable"


def test_a_zip_with_an_entry_outside_the_archive_is_refused():
    content = zip_bytes({"../../etc/cron.d/evil": b"* * * * * root sh"})
    assert refusal(content, "evidence.zip") == "archive_unsafe_path"


def test_an_office_file_with_an_absolute_path_entry_is_refused():
    assert refusal(docx_bytes({"/var/evil": b"x"}), "report.docx") == "archive_unsafe_path"


def test_an_office_file_with_macros_is_refused():
    assert refusal(docx_bytes({"word/vbaProject.bin": b"x"}), "report.docm") == "file_has_macros"


def test_a_plain_zip_archive_is_refused():
    assert refusal(zip_bytes({"a.pdf": pdf_bytes()}), "all.zip") == "file_archive"


def test_html_is_refused_even_named_pdf():
    assert refusal(b"<html><script>alert(1)</script></html>", "x.pdf") == "file_type_not_allowed"


def test_an_svg_image_is_refused():
    assert refusal(b'<svg xmlns="http://www.w3.org/2000/svg"/>', "logo.svg") == (
        "file_type_not_allowed"
    )


def test_a_file_over_the_limit_is_refused_with_both_sizes_in_the_message(settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ApplicationError) as refused:
        check_evidence_file(uploaded_file(pdf_bytes() + b"\n" * 2000, "big.pdf"))
    assert refused.value.code == "file_too_large"
    assert "1.0" in str(refused.value.message)


def test_an_empty_file_is_refused():
    assert refusal(b"", "empty.pdf") == "file_empty"


def test_the_original_name_keeps_chinese_and_drops_the_path():
    assert clean_original_name("C:\\Users\\张三\\设备清单.pdf") == "设备清单.pdf"
    assert clean_original_name("../../etc/passwd") == "passwd"
