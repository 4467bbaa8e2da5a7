"""Writing the questionnaire as an XLSX workbook."""

from __future__ import annotations

import hashlib
import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from assessment.models import Answer, Submission
from assessment.selectors.submissions import PRECONDITIONS
from assessment.services.offline_filing.cells import (
    COLUMNS,
    COVER_CELLS,
    FIRST_ROW,
    FORMAT_VERSION,
    LISTS,
    Row,
    Structure,
    accepted_values,
    canonical,
    cell_value,
    criteria_text,
    sections_of,
    text_in,
)
from questionnaires.choices import Tier
from questionnaires.rubric import TIERS, Indicator, QuestionType
from questionnaires.selectors import rubric_of

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
        for section, codes in sections_of(rubric, kind).items():
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
                downloaded = canonical(value)
                structure.rows.append(Row(section, row, code, version, downloaded))
                if indicator is None:
                    precondition = next(p for p in rubric.preconditions if p.code == code)
                    title, help_text, unit = precondition.text, precondition.help, None
                else:
                    title, help_text, unit = indicator.title, indicator.help, indicator.unit
                accepted = accepted_values(indicator, language)
                values = [
                    code,
                    text_in(title, language),
                    text_in(help_text, language),
                    text_in(unit, language),
                    cell_value(rubric, code, value, language),
                    version,
                    *[
                        criteria_text(indicator, tier, kind, language) if indicator else ""
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


def xlsx_filename(submission: Submission) -> str:
    digest = hashlib.sha256(str(submission.pk).encode()).hexdigest()[:6]
    return f"questionnaire-{submission.pk}-{submission.cycle.code}-{digest}.xlsx"
