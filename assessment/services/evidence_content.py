"""Active and hostile content inside accepted file types (GB/T 22239-2019 8.1.4.4, intrusion
prevention): zip bombs and programs inside Office/ODF containers, macros and installer streams
in legacy Office files, JavaScript, launch actions and embedded files in PDFs, and HTML or
scripts disguised as CSV. Called by evidence_files.sniff_content_type for the types it names.
"""

import re
import zipfile
import zlib

import olefile
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError

# A container's members together may unpack to at most this much, and no member may have
# been compressed more than this ratio (a zip bomb is thousands to one; Office XML ~10:1).
MAX_MEMBERS = 5000
MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024  # small members compress as they like
_PROGRAM_HEADS = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe")
_PROGRAM_MEMBERS = re.compile(
    r"\.(exe|dll|com|scr|msi|bat|cmd|ps1|vbs|js|jar|class|sh|elf|so|dylib|apk|lnk|hta|wsf|zip|rar|7z)$",
    re.IGNORECASE,
)
_OFFICE_NESTED = re.compile(r"\.(xlsx|docx|pptx|xlsm|vsdx|emf|wmf|png|jpe?g|gif|bin)$", re.I)


def _refuse(code: str, message) -> ApplicationError:
    return ApplicationError(code, message, field="file")


def _active_content():
    return _refuse(
        "file_active_content",
        _(
            "The file contains programs, scripts or embedded files, which are not accepted as "
            "evidence. Please save or print it again as a plain document."
        ),
    )


def check_container(archive: zipfile.ZipFile) -> None:
    """Refuse zip bombs and programs inside an Office or ODF (ZIP) file."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise _refuse("archive_too_many_members", _("The file has too many parts to be checked."))
    total = 0
    limit = settings.EVIDENCE_MAX_UNPACKED_BYTES
    for member in members:
        total += member.file_size
        ratio_too_high = member.file_size > _RATIO_FLOOR and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        )
        if total > limit or ratio_too_high:
            raise _refuse(
                "archive_bomb",
                _("The file unpacks to far more than its size (a “zip bomb”) and is refused."),
            )
        name = member.filename
        if _PROGRAM_MEMBERS.search(name):
            raise _active_content()
        if member.file_size == 0 or member.is_dir():
            continue
        if not _OFFICE_NESTED.search(name) and not name.lower().endswith((".xml", ".rels")):
            # Other parts: look at their first bytes for a program or a nested archive.
            with archive.open(member) as stream:
                head = stream.read(8)
            if head.startswith(_PROGRAM_HEADS) or head.startswith(b"PK\x03\x04"):
                raise _active_content()
        elif name.lower().endswith(".bin"):
            with archive.open(member) as stream:
                head = stream.read(8)
                if head.startswith(_PROGRAM_HEADS):
                    raise _active_content()
                if head.startswith(b"\xd0\xcf\x11\xe0") and _ole_is_active(stream, head):
                    raise _active_content()
        elif name.lower().endswith((".xlsx", ".docx", ".pptx", ".xlsm")):
            with archive.open(member) as stream:
                if stream.read(4) != b"PK\x03\x04":
                    raise _active_content()


def _ole_is_active(stream, head: bytes) -> bool:
    """An OLE object embedded in an Office file: a "Package" (any file) or macros."""
    data = head + stream.read(settings.EVIDENCE_MAX_UNPACKED_BYTES)
    try:
        ole = olefile.OleFileIO(data)
    except OSError:
        return True
    try:
        return _ole_streams_active(ole)
    finally:
        ole.close()


# Storage and stream names that carry code: VBA macros, Excel 4 macro sheets, embedded
# packages (any file), and Windows Installer databases.
_ACTIVE_STREAMS = {"vba", "_vba_project", "macros", "_vba_project_cur", "ole10native", "xlm"}
_INSTALLER_CLSIDS = {
    "000C1084-0000-0000-C000-000000000046",  # MSI
    "000C1086-0000-0000-C000-000000000046",  # MSP patch
    "000C1082-0000-0000-C000-000000000046",  # MST transform
}


def _ole_streams_active(ole) -> bool:
    if (ole.root.clsid or "").upper() in _INSTALLER_CLSIDS:
        return True
    for path in ole.listdir(streams=True, storages=True):
        for part in path:
            lowered = part.lower().lstrip("\x01\x03\x05")
            if lowered in _ACTIVE_STREAMS or lowered.startswith("_vba"):
                return True
    return False


def check_ole(uploaded_file) -> None:
    """Legacy Office (.doc/.xls/.ppt): refuse macros, embedded packages, installer files."""
    uploaded_file.seek(0)
    try:
        ole = olefile.OleFileIO(uploaded_file)
    except OSError as error:
        raise _refuse(
            "file_damaged", _("The file is damaged or incomplete; please export it again.")
        ) from error
    try:
        if _ole_streams_active(ole):
            raise _refuse(
                "file_has_macros",
                _(
                    "Office files with macros, embedded programs or installers are not "
                    "accepted; please save the file without macros."
                ),
            )
    finally:
        ole.close()
        uploaded_file.seek(0)


# PDF names that run or carry something: scripts, launching programs, embedded files,
# forms that submit or import data, rich media.
_PDF_ACTIVE = re.compile(
    rb"/(JavaScript|JS|Launch|EmbeddedFile|EmbeddedFiles|RichMedia|SubmitForm|ImportData|XFA"
    rb"|GoToE)(?![A-Za-z0-9])"
)
_PDF_HEX_NAME = re.compile(rb"/[^\s/<>\[\]()%]*#[0-9A-Fa-f]{2}[^\s/<>\[\]()%]*")
_PDF_STREAM = re.compile(rb"<<(?:(?!>>).){0,400}?/ObjStm.{0,400}?>>\s*stream\r?\n", re.S)
_CHUNK = 1024 * 1024


def _decode_names(data: bytes) -> bytes:
    """PDF names may spell letters as #xx (/J#61vaScript); decode them before matching."""
    return _PDF_HEX_NAME.sub(
        lambda match: re.sub(
            rb"#([0-9A-Fa-f]{2})", lambda h: bytes([int(h.group(1), 16)]), match.group(0)
        ),
        data,
    )


def _pdf_text_active(data: bytes) -> bool:
    return bool(
        _PDF_ACTIVE.search(data) or (b"#" in data and _PDF_ACTIVE.search(_decode_names(data)))
    )


def check_pdf(uploaded_file) -> None:
    """Refuse PDFs with JavaScript, launch actions, embedded files or data-submitting forms,
    also when those dictionaries are hidden in compressed object streams."""
    uploaded_file.seek(0)
    overlap = b""
    compressed_objects = False
    for chunk in uploaded_file.chunks(_CHUNK):
        window = overlap + chunk
        if _pdf_text_active(window):
            raise _active_content()
        compressed_objects = compressed_objects or b"/ObjStm" in window
        overlap = window[-64:]
    if compressed_objects:
        uploaded_file.seek(0)
        data = uploaded_file.read()
        for match in _PDF_STREAM.finditer(data):
            start = match.end()
            end = data.find(b"endstream", start)
            try:
                inflated = zlib.decompressobj().decompress(
                    data[start:end], settings.EVIDENCE_MAX_UNPACKED_BYTES
                )
            except zlib.error:
                continue
            if _pdf_text_active(inflated):
                raise _active_content()
    uploaded_file.seek(0)


_MARKUP = re.compile(
    rb"<\s*(!doctype|html|head|body|script|iframe|svg|object|embed|meta|link|style|img|a\s)",
    re.IGNORECASE,
)


def check_csv(sample: bytes) -> None:
    """A CSV is text: HTML, SVG or script markup disguised as one is refused."""
    if _MARKUP.search(sample) or sample.lstrip().startswith(b"<"):
        raise _refuse(
            "file_not_csv",
            _("This file is a web page or markup, not CSV; export the table as CSV again."),
        )
