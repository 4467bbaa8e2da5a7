"""Reading a filled workbook back: every check of the web form, all or nothing."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from assessment.errors import ApplicationError, Conflict, PermissionDenied
from assessment.forms_questionnaire import answer_error_message
from assessment.models import Answer, Submission, User
from assessment.permissions import can_edit_submission
from assessment.services.offline_filing.cells import (
    COLUMNS,
    COVER_CELLS,
    FIRST_ROW,
    MAX_FILE_BYTES,
    Row,
    S,
    Structure,
    canonical,
    raw_answer,
    sections_of,
)
from assessment.services.submissions import AnswerChange, answers_save, normalise_answer
from questionnaires.rubric import AnswerError
from questionnaires.selectors import rubric_of

# --- Import --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    cell: str  # "D1!E7", or "" for the file as a whole
    message: str

    def __str__(self) -> str:
        return f"{self.cell}: {self.message}" if self.cell else self.message


@dataclass(frozen=True)
class ImportedChange:
    cell: str
    question_code: str
    old_value: Any
    new_value: Any


@dataclass
class ImportResult:
    changes: list[ImportedChange]


class ImportRefused(ApplicationError):
    """The file was refused as a whole; ``params["problems"]`` lists every problem."""

    def __init__(self, code: str, message, problems: list[ImportProblem], status: int = 400):
        super().__init__(
            code,
            message,
            params={"problems": [{"cell": p.cell, "message": p.message} for p in problems]},
        )
        self.problems = problems
        self.status = status
        # The API lists them as its "errors" (assessment.api.exceptions).
        self.errors = [{"code": code, "message": p.message, "field": p.cell} for p in problems]


def _refuse(code: str, message: str) -> ImportRefused:
    return ImportRefused(code, message, [ImportProblem("", message)])


def _read_workbook(content: bytes):
    if len(content) > MAX_FILE_BYTES:
        raise _refuse("file_too_large", _("The file is larger than 10 MB."))
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError, TypeError) as error:
        raise _refuse(
            "not_xlsx", _("The file is not an XLSX workbook downloaded from this product.")
        ) from error
    except Exception as error:  # zipfile.BadZipFile and the XML parser's errors
        raise _refuse(
            "not_xlsx", _("The file is not an XLSX workbook downloaded from this product.")
        ) from error


def _cover_values(workbook) -> dict[str, Any]:
    cover = workbook.worksheets[0]
    wanted = {int(address[1:]): key for key, address in COVER_CELLS.items()}
    values: dict[str, Any] = {}
    for row_number, row in enumerate(cover.iter_rows(min_row=1, max_row=10, max_col=2), 1):
        if row_number in wanted and len(row) >= 2:
            values[wanted[row_number]] = row[1].value
    return values


def _as_int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def questionnaire_import(
    *, actor: User, submission: Submission, content: bytes, dry_run: bool = False
) -> ImportResult:
    """Store the answers of a filled workbook, all or nothing.

    Raises ImportRefused listing every problem (by sheet and cell) when anything is wrong: a file
    for another submission or rubric version, a tampered structure, an invalid value, a question
    that may not be changed now, or an answer changed on the web since the download (Conflict,
    status 409). Unchanged cells are not changes.
    """
    if not can_edit_submission(actor, submission):
        raise PermissionDenied(
            "not_operator", _("Only the platform's operators may change this submission.")
        )
    workbook = _read_workbook(content)
    try:
        return _import(actor, submission, workbook, dry_run)
    finally:
        workbook.close()


def _import(actor: User, submission: Submission, workbook, dry_run: bool) -> ImportResult:
    rubric = rubric_of(submission.rubric_version)
    cover = _cover_values(workbook)
    if _as_int(cover.get("submission")) is None or cover.get("checksum") in (None, ""):
        raise _refuse(
            "not_questionnaire",
            _("The file is not a questionnaire downloaded from this product (no cover sheet)."),
        )
    if _as_int(cover.get("submission")) != submission.pk:
        raise _refuse(
            "wrong_submission",
            _(
                "This file belongs to submission %(file)s, not to submission %(submission)s. "
                "Download the questionnaire of this submission and fill that one."
            )
            % {"file": cover.get("submission"), "submission": submission.pk},
        )
    if str(cover.get("rubric")) != rubric.label:
        raise _refuse(
            "wrong_rubric",
            _(
                "This file was made for rubric %(file)s; the submission is assessed under "
                "%(rubric)s. Download the questionnaire again."
            )
            % {"file": cover.get("rubric"), "rubric": rubric.label},
        )
    tampered = _refuse(
        "tampered_structure",
        _(
            "The structure of the file was changed (sheets, rows, codes or versions were "
            "added, removed or edited), so its answers cannot be matched safely. Download the "
            "questionnaire again and fill in only the column “Your answer”."
        ),
    )
    kind = submission.platform_kind
    structure = Structure(submission.pk, rubric.label, rubric.fingerprint(), kind)
    cells: dict[str, tuple[str, Any]] = {}  # code -> (cell address, raw cell value)
    downloaded: dict[str, tuple[int, str]] = {}
    sheet_names = set(workbook.sheetnames)
    for section, codes in sections_of(rubric, submission.platform_kind).items():
        if section not in sheet_names:
            raise tampered
        sheet = workbook[section]
        rows = list(
            sheet.iter_rows(
                min_row=FIRST_ROW, max_row=FIRST_ROW + len(codes) - 1, max_col=12, values_only=True
            )
        )
        if len(rows) != len(codes):
            raise tampered
        for offset, (code, row) in enumerate(zip(codes, rows, strict=True)):
            row = tuple(row) + (None,) * (12 - len(row))
            number = FIRST_ROW + offset
            version = _as_int(row[5])
            if row[0] != code or version is None:
                raise tampered
            structure.rows.append(Row(section, number, code, version, str(row[11])))
            cells[code] = (f"{section}!{COLUMNS['value']}{number}", row[4])
            downloaded[code] = (version, str(row[11]))
    if structure.checksum() != str(cover.get("checksum")):
        raise tampered
    return _apply(actor, submission, rubric, cells, downloaded, dry_run)


def _apply(actor, submission, rubric, cells, downloaded, dry_run) -> ImportResult:
    problems: list[ImportProblem] = []
    wanted: dict[str, tuple[str, Any, Any, int]] = {}  # code -> (cell, raw, value, version)
    for code, (address, cell) in cells.items():
        raw = raw_answer(rubric, code, cell)
        try:
            value = normalise_answer(rubric, code, raw)
        except AnswerError as error:
            problems.append(ImportProblem(address, answer_error_message(error.code)))
            continue
        version, was = downloaded[code]
        if canonical(value) == was:
            continue  # left as downloaded
        wanted[code] = (address, raw, value, version)
    stored = {
        answer.question_code: answer
        for answer in Answer.objects.filter(submission=submission, question_code__in=list(wanted))
    }
    state = Submission.objects.values_list("state", flat=True).get(pk=submission.pk)
    if wanted and state not in (S.DRAFT, S.REVISION_REQUESTED):
        raise _refuse(
            "submission_not_editable",
            _("This submission is “%(state)s”; its answers can no longer be changed.")
            % {"state": S(state).label},
        )
    conflicts: list[ImportProblem] = []
    changes: list[AnswerChange] = []
    result: list[ImportedChange] = []
    for code, (address, raw, value, version) in wanted.items():
        answer = stored.get(code)
        current_version = answer.version if answer is not None else 0
        current_value = answer.value if answer is not None else None
        if canonical(current_value) == canonical(value) and (
            answer is None or not answer.needs_reconfirmation
        ):
            continue  # the web already holds this value
        if state == S.REVISION_REQUESTED and (answer is None or not answer.reopened):
            problems.append(ImportProblem(address, answer_error_message("not_reopened")))
            continue
        if current_version != version:
            conflicts.append(
                ImportProblem(
                    address,
                    _(
                        "%(code)s was changed on the web since the download (now %(value)s, "
                        "by %(who)s); the file's value %(file)s was not stored."
                    )
                    % {
                        "code": code,
                        "value": _display(current_value),
                        "who": answer.updated_by if answer is not None else "-",
                        "file": _display(value),
                    },
                )
            )
            continue
        changes.append(AnswerChange(question_code=code, value=raw, version=version))
        result.append(ImportedChange(address, code, current_value, value))
    if problems or conflicts:
        all_problems = problems + conflicts
        if problems:
            message = _("The file has %(count)d problem(s); nothing was stored.") % {
                "count": len(all_problems)
            }
            raise ImportRefused("import_invalid", message, all_problems)
        message = _(
            "%(count)d answer(s) were changed on the web since the download; nothing was stored."
        ) % {"count": len(conflicts)}
        raise ImportRefused("import_conflict", message, all_problems, status=Conflict.status)
    if changes and not dry_run:
        try:
            answers_save(actor=actor, submission=submission, changes=changes)
        except Conflict as error:  # a web save landed between the check and the store
            raise ImportRefused(
                "import_conflict", error.message, [ImportProblem("", str(error.message))], 409
            ) from error
    return ImportResult(changes=result)


def _display(value: Any) -> str:
    if value is None:
        return "—"
    return canonical(value) if isinstance(value, list | dict) else str(value)
