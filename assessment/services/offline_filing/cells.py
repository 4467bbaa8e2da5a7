"""The workbook's layout, what its cells hold and the checksum of its structure."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.signing import salted_hmac
from django.utils import translation
from django.utils.translation import gettext as _

from assessment.models import SubmissionState
from assessment.selectors.submissions import questions_by_section
from questionnaires.rubric import TIERS, Indicator, QuestionType, Rubric, Text

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


def text_in(text: Text | None, language: str) -> str:
    return text.get(language) if text is not None else ""


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# --- Cell values ---------------------------------------------------------------------------------


def _yes_no(language: str) -> tuple[str, str]:
    with translation.override(language):
        return _("Yes"), _("No")


def _anchor_cell(indicator: Indicator, index: int, language: str) -> str:
    return f"{index} · {text_in(indicator.anchors[index].label, language)}"


def _option_cell(indicator: Indicator, code: str, language: str) -> str:
    option = indicator.option(code)
    label = text_in(option.label, language) if option is not None else ""
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
                text_in(option.label, language): option.code
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


def criteria_text(indicator: Indicator, tier: str, kind: str, language: str) -> str:
    criterion = indicator.criterion(tier)
    if criterion is None:
        return ""
    text = text_in(criterion.text, language)
    if not text and criterion.target_for(kind) is not None:
        unit = text_in(indicator.unit, language)
        text = f"≥ {criterion.target_for(kind)} {unit}".strip()
    if criterion.gate:
        with translation.override(language):
            text = f"{text} ({_('gate')})" if text else _("gate")
    return text


def accepted_values(indicator: Indicator | None, language: str) -> list[str]:
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
        payload = canonical(
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


def sections_of(rubric: Rubric, kind: str) -> dict[str, list[str]]:
    return questions_by_section(rubric, kind)
