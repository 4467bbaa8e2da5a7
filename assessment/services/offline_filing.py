"""Filing offline with Excel or WPS: the questionnaire as an XLSX workbook and back.

The workbook (docs/offline_filing.md) has a cover sheet, one sheet for the preconditions (P) and
one per dimension (D1 … D8). On each question sheet, row 1 holds the headings and every question
one row below: the code (column A, locked), question, help, unit, the value (column E, the only
unlocked column, with data validation), the answer's version when downloaded (F), the criteria per
tier (G–J) and the accepted values (K). Column L (hidden) holds the value as downloaded, so a cell
left alone is never taken for a change. The cover holds the platform, cycle, submission, rubric,
language and a checksum (an HMAC under the site's secret key) of the structure: the sheets, their
codes, the downloaded values and versions. A file whose structure no longer matches is refused.

Importing checks every value with the rules of the web form (assessment.services.submissions
.normalise_answer) and reports every problem at once by sheet and cell (``D1!E7: …``) in the
reader's language; nothing is stored unless the whole file is valid. An answer changed on the
web since the download is a conflict, listed and never overwritten. The store itself goes
through answers_save, so events, versions and rescoring are those of the web form.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.signing import salted_hmac
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from assessment.errors import ApplicationError, Conflict, PermissionDenied
from assessment.forms_questionnaire import answer_error_message
from assessment.models import Answer, Submission, SubmissionState, User
from assessment.permissions import can_edit_submission
from assessment.selectors.submissions import PRECONDITIONS, questions_by_section
from assessment.services.submissions import AnswerChange, answers_save, normalise_answer
from questionnaires.choices import Tier
from questionnaires.rubric import TIERS, AnswerError, Indicator, QuestionType, Rubric, Text
from questionnaires.selectors import rubric_of

S = SubmissionState
FORMAT_VERSION = "1"
COVER = "Cover"  # the cover sheet is always the first; its name is translated on export
LISTS = "_lists"  # hidden sheet holding the data-validation lists
FIRST_ROW = 2
COLUMNS = {
    "code": "A",
    "question": "B",
    "help": "C",
    "unit": "D",
    "value": "E",
    "version": "F",
    "accepted": "K",
    "downloaded": "L",
}
TIER_COLUMNS = dict(zip(TIERS, ("G", "H", "I", "J"), strict=True))
COVER_CELLS = {
    "platform": "B2",
    "organisation": "B3",
    "cycle": "B4",
    "submission": "B5",
    "rubric": "B6",
    "language": "B7",
    "exported_at": "B8",
    "format": "B9",
    "checksum": "B10",
}
YES_WORDS = {"true", "yes", "y", "是", "1", "对", "有"}
NO_WORDS = {"false", "no", "n", "否", "0", "无", "没有"}
OPTION_CODE = re.compile(r"\[([a-z0-9-]+)\]")
MAX_FILE_BYTES = 10 * 1024 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(text: Text | None, language: str) -> str:
    return text.get(language) if text is not None else ""


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# --- Cell values ---------------------------------------------------------------------------------


def _yes_no(language: str) -> tuple[str, str]:
    with translation.override(language):
        return _("Yes"), _("No")


def _anchor_cell(indicator: Indicator, index: int, language: str) -> str:
    return f"{index} · {_text(indicator.anchors[index].label, language)}"


def _option_cell(indicator: Indicator, code: str, language: str) -> str:
    option = indicator.option(code)
    label = _text(option.label, language) if option is not None else ""
    return f"[{code}] {label}".strip()


def cell_value(rubric: Rubric, code: str, value: Any, language: str) -> Any:
    """A stored answer as the value cell shows it (what data validation offers)."""
    if value is None or value == [] or value == "":
        return None
    if not rubric.has_indicator(code) or rubric.indicator(code).type == QuestionType.BOOLEAN:
        yes, no = _yes_no(language)
        return yes if value is True else no if value is False else str(value)
    indicator = rubric.indicator(code)
    if indicator.type == QuestionType.ORDINAL:
        return _anchor_cell(indicator, int(value), language)
    if indicator.type == QuestionType.CHOICE:
        chosen = value if isinstance(value, list) else [value]
        return "; ".join(_option_cell(indicator, option, language) for option in chosen)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def raw_answer(rubric: Rubric, code: str, cell: Any) -> Any:
    """What the user typed, turned into the raw value the web form would post."""
    if cell is None:
        return None
    if isinstance(cell, str):
        cell = cell.strip()
        if cell == "":
            return None
    is_boolean = not rubric.has_indicator(code) or (
        rubric.indicator(code).type == QuestionType.BOOLEAN
    )
    if is_boolean:
        if isinstance(cell, bool):
            return cell
        word = str(cell).strip().lower()
        if word in YES_WORDS or word in {_yes_no(lang)[0].lower() for lang in ("zh-hans", "en")}:
            return True
        if word in NO_WORDS or word in {_yes_no(lang)[1].lower() for lang in ("zh-hans", "en")}:
            return False
        return str(cell)
    indicator = rubric.indicator(code)
    if indicator.type == QuestionType.ORDINAL:
        if isinstance(cell, bool):
            return str(cell)
        if isinstance(cell, int | float):
            return int(cell) if float(cell).is_integer() else str(cell)
        match = re.match(r"^\s*(\d+)", str(cell))
        return int(match.group(1)) if match else str(cell)
    if indicator.type == QuestionType.CHOICE:
        text = str(cell)
        codes = OPTION_CODE.findall(text)
        if not codes:
            codes = [part.strip() for part in re.split(r"[;,；，、\n]", text) if part.strip()]
            by_label = {
                _text(option.label, language): option.code
                for option in indicator.options
                for language in ("zh-hans", "en")
            }
            codes = [by_label.get(part, part) for part in codes]
        if indicator.multiple:
            return codes
        return codes[0] if len(codes) == 1 else codes
    # numeric and percentage
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, float):
        return Decimal(repr(cell))
    if isinstance(cell, str):
        return cell.replace(",", "").replace("，", "").replace(" ", "")
    return cell


def _criteria_text(indicator: Indicator, tier: str, kind: str, language: str) -> str:
    criterion = indicator.criterion(tier)
    if criterion is None:
        return ""
    text = _text(criterion.text, language)
    if not text and criterion.target_for(kind) is not None:
        unit = _text(indicator.unit, language)
        text = f"≥ {criterion.target_for(kind)} {unit}".strip()
    if criterion.gate:
        with translation.override(language):
            text = f"{text} ({_('gate')})" if text else _("gate")
    return text


def _accepted_values(indicator: Indicator | None, language: str) -> list[str]:
    if indicator is None or indicator.type == QuestionType.BOOLEAN:
        return list(_yes_no(language))
    if indicator.type == QuestionType.ORDINAL:
        return [_anchor_cell(indicator, index, language) for index in range(len(indicator.anchors))]
    if indicator.type == QuestionType.CHOICE:
        return [_option_cell(indicator, option.code, language) for option in indicator.options]
    return []


# --- The structure and its checksum --------------------------------------------------------------


@dataclass
class Row:
    sheet: str
    row: int
    code: str
    version: int
    downloaded: str  # canonical JSON of the stored value when downloaded


@dataclass
class Structure:
    submission_id: int
    rubric_label: str
    fingerprint: str
    kind: str
    rows: list[Row] = field(default_factory=list)

    def checksum(self) -> str:
        payload = _canonical(
            {
                "format": FORMAT_VERSION,
                "submission": self.submission_id,
                "rubric": self.rubric_label,
                "fingerprint": self.fingerprint,
                "kind": self.kind,
                "rows": [[r.sheet, r.row, r.code, r.version, r.downloaded] for r in self.rows],
            }
        )
        return salted_hmac("assessment.offline_filing", payload, algorithm="sha256").hexdigest()


def _sections(rubric: Rubric, kind: str) -> dict[str, list[str]]:
    return questions_by_section(rubric, kind)


# --- Export --------------------------------------------------------------------------------------

COLUMN_WIDTHS = (7, 26, 46, 9, 26, 7, 18, 18, 18, 18, 30)
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
VALUE_FILL = PatternFill("solid", fgColor="FFF7D6")
WRAP = Alignment(wrap_text=True, vertical="top")


def _headings(language: str) -> list[str]:
    with translation.override(language):
        return [
            _("Code"),
            _("Question"),
            _("Help"),
            _("Unit"),
            _("Your answer"),
            _("Version"),
            *[str(Tier(tier).label) for tier in TIERS],
            _("Accepted values"),
            "downloaded",
        ]


def questionnaire_xlsx(*, submission: Submission, language: str = "zh-hans") -> bytes:
    """The submission's questionnaire as an XLSX workbook, in `language` (zh-hans or en)."""
    language = "en" if language.lower().startswith("en") else "zh-hans"
    rubric = rubric_of(submission.rubric_version)
    kind = submission.platform_kind
    answers = {
        code: (value, version)
        for code, value, version in Answer.objects.filter(submission=submission).values_list(
            "question_code", "value", "version"
        )
    }
    structure = Structure(submission.pk, rubric.label, rubric.fingerprint(), kind)
    workbook = Workbook()
    cover = workbook.active
    lists = workbook.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    list_column = 0
    with translation.override(language):
        cover.title = _("Cover")
        for section, codes in _sections(rubric, kind).items():
            sheet = workbook.create_sheet(section, index=len(workbook.sheetnames) - 1)
            sheet.append(_headings(language))
            for cell in sheet[1]:
                cell.font = Font(bold=True)
                cell.fill = HEADER_FILL
                cell.alignment = WRAP
            sheet.freeze_panes = "B2"
            for letter, width in zip("ABCDEFGHIJK", COLUMN_WIDTHS, strict=True):
                sheet.column_dimensions[letter].width = width
            sheet.column_dimensions["L"].hidden = True
            for offset, code in enumerate(codes):
                row = FIRST_ROW + offset
                indicator = rubric.indicator(code) if section != PRECONDITIONS else None
                value, version = answers.get(code, (None, 0))
                downloaded = _canonical(value)
                structure.rows.append(Row(section, row, code, version, downloaded))
                if indicator is None:
                    precondition = next(p for p in rubric.preconditions if p.code == code)
                    title, help_text, unit = precondition.text, precondition.help, None
                else:
                    title, help_text, unit = indicator.title, indicator.help, indicator.unit
                accepted = _accepted_values(indicator, language)
                values = [
                    code,
                    _text(title, language),
                    _text(help_text, language),
                    _text(unit, language),
                    cell_value(rubric, code, value, language),
                    version,
                    *[
                        _criteria_text(indicator, tier, kind, language) if indicator else ""
                        for tier in TIERS
                    ],
                    "\n".join(accepted) if indicator is not None else " / ".join(accepted),
                    downloaded,
                ]
                for column, cell_content in enumerate(values, start=1):
                    cell = sheet.cell(row=row, column=column, value=cell_content)
                    cell.alignment = WRAP
                sheet.row_dimensions[row].height = _row_height(values[:11])
                value_cell = sheet[f"{COLUMNS['value']}{row}"]
                value_cell.protection = Protection(locked=False)
                value_cell.fill = VALUE_FILL
                validation = _validation(indicator, accepted, lists, list_column)
                if accepted and (indicator is None or not indicator.multiple):
                    list_column += 1
                if validation is not None:
                    sheet.add_data_validation(validation)
                    validation.add(value_cell)
            sheet.protection.sheet = True
            sheet.protection.formatRows = False
            sheet.protection.formatColumns = False
            _print_setup(sheet)
            sheet.print_title_rows = "1:1"
        cover.column_dimensions["A"].width = 22
        cover.column_dimensions["B"].width = 60
        cover["A1"] = _("Offline questionnaire")
        cover["A1"].font = Font(bold=True, size=14)
        labels = {
            "platform": _("Platform"),
            "organisation": _("Organisation"),
            "cycle": _("Cycle"),
            "submission": _("Submission"),
            "rubric": _("Rubric version"),
            "language": _("Language"),
            "exported_at": _("Downloaded at"),
            "format": _("File format"),
            "checksum": _("Structure checksum"),
        }
        platform = submission.platform
        cover_values = {
            "platform": platform.name,
            "organisation": platform.organisation.name,
            "cycle": f"{submission.cycle.code} · {submission.cycle.title}",
            "submission": submission.pk,
            "rubric": rubric.label,
            "language": language,
            "exported_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "format": FORMAT_VERSION,
            "checksum": structure.checksum(),
        }
        for key, address in COVER_CELLS.items():
            row = int(address[1:])
            cover[f"A{row}"] = labels[key]
            cover[f"A{row}"].font = Font(bold=True)
            cover[address] = cover_values[key]
            cover[address].alignment = Alignment(horizontal="left")
        cover["A12"] = _(
            "Fill in the yellow column “Your answer” on each sheet. Do not add, remove, rename "
            "or move sheets, rows or codes: the file is checked when it is uploaded. Answers "
            "changed on the web after this download are not overwritten."
        )
        cover["A12"].alignment = WRAP
        cover.merge_cells("A12:B14")
        cover.row_dimensions[12].height = 48
        cover.protection.sheet = True
        _print_setup(cover)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _display_width(text: str) -> int:
    return sum(2 if ord(character) > 0x2E80 else 1 for character in text)


def _row_height(values: list) -> float:
    """Points for a row of wrapped cells (Excel and WPS grow rows, LibreOffice's export not)."""
    lines = 1
    for width, value in zip(COLUMN_WIDTHS, values, strict=True):
        for paragraph in str(value if value is not None else "").split("\n"):
            lines = max(lines, -(-_display_width(paragraph) // max(width - 1, 1)))
    return min(15.0 * lines, 400.0)


def _print_setup(sheet) -> None:
    """Landscape A4, as wide as one page, however many pages long."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _validation(
    indicator: Indicator | None, accepted: list[str], lists, list_column: int
) -> DataValidation | None:
    if indicator is not None and indicator.type in (QuestionType.NUMERIC, QuestionType.PERCENTAGE):
        maximum = "100" if indicator.type == QuestionType.PERCENTAGE else "1000000000000000"
        validation = DataValidation(
            type="decimal", operator="between", formula1="0", formula2=maximum, allow_blank=True
        )
        validation.error = _("Enter a number between 0 and %(max)s.") % {"max": maximum}
        validation.showErrorMessage = True
        return validation
    if not accepted or (indicator is not None and indicator.multiple):
        return None  # several options: typed as "[a]; [b]", checked on upload
    letter = _column_letter(list_column + 1)
    for index, text in enumerate(accepted, start=1):
        lists.cell(row=index, column=list_column + 1, value=text)
    validation = DataValidation(
        type="list",
        formula1=f"{LISTS}!${letter}$1:${letter}${len(accepted)}",
        allow_blank=True,
    )
    validation.error = _("Choose one of the values in the list.")
    validation.showErrorMessage = True
    return validation


def _column_letter(number: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(number)


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
    for section, codes in _sections(rubric, submission.platform_kind).items():
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
        if _canonical(value) == was:
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
        if _canonical(current_value) == _canonical(value) and (
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
    return _canonical(value) if isinstance(value, list | dict) else str(value)


def xlsx_filename(submission: Submission) -> str:
    digest = hashlib.sha256(str(submission.pk).encode()).hexdigest()[:6]
    return f"questionnaire-{submission.pk}-{submission.cycle.code}-{digest}.xlsx"


__all__ = [
    "ImportProblem",
    "ImportRefused",
    "ImportResult",
    "ImportedChange",
    "XLSX_CONTENT_TYPE",
    "questionnaire_import",
    "questionnaire_xlsx",
    "xlsx_filename",
]
