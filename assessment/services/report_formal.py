"""What makes a document formal: the issuing authority, its seal, Chinese number styles.

The issuing authority and the seal image are configured per deployment (``REPORT_ISSUER_ZH``,
``REPORT_ISSUER_EN``, ``REPORT_SEAL_IMAGE``); the seal is inlined as a data: URL so WeasyPrint
fetches nothing.
"""

from __future__ import annotations

import base64
import mimetypes
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import get_language

CHINESE_NUMERALS = "〇一二三四五六七八九"
SECTION_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]


def is_chinese(language: str | None = None) -> bool:
    return (language or get_language() or "").startswith("zh")


def issuer_name(language: str | None = None) -> str:
    return settings.REPORT_ISSUER_ZH if is_chinese(language) else settings.REPORT_ISSUER_EN


def seal_data_url() -> str:
    """The configured seal image as a data: URL ('' when none is configured or readable)."""
    if not settings.REPORT_SEAL_IMAGE:
        return ""
    path = Path(settings.REPORT_SEAL_IMAGE)
    try:
        content = path.read_bytes()
    except OSError:
        return ""
    mime = mimetypes.guess_type(path.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def chinese_date(value) -> str:
    """A date as officials write it on a 落款: 二〇二七年六月三十日 (Chinese) or 2027-06-30."""
    if value is None:
        return ""
    if not is_chinese():
        return value.isoformat()
    year = "".join(CHINESE_NUMERALS[int(digit)] for digit in str(value.year))
    return f"{year}年{_small_number(value.month)}月{_small_number(value.day)}日"


def _small_number(number: int) -> str:
    if number < 10:
        return CHINESE_NUMERALS[number]
    tens, units = divmod(number, 10)
    prefix = "" if tens == 1 else CHINESE_NUMERALS[tens]
    return f"{prefix}十{CHINESE_NUMERALS[units] if units else ''}"


def large_number(value: int | float | Decimal | None) -> str:
    """Counts in the reader's style: 万/亿 in Chinese where large, thousands separators else."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    if is_chinese():
        if abs(number) >= 100_000_000:
            return f"{_trim(number / 100_000_000)}亿"
        if abs(number) >= 10_000:
            return f"{_trim(number / 10_000)}万"
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,.2f}"


def _trim(number: Decimal) -> str:
    text = f"{number:,.2f}".rstrip("0").rstrip(".")
    return text


def percent(value: float | Decimal | None, digits: int = 1) -> str:
    """A share 0…1 as a percentage without a space: 55.0%."""
    if value is None:
        return "—"
    return f"{Decimal(str(value)) * 100:.{digits}f}%"


def score(value) -> str:
    """Scores with two decimals."""
    return f"{Decimal(str(value)):.2f}"


def section_number(index: int) -> str:
    """一、二、… for Chinese section headings; 1. 2. … in English."""
    if is_chinese():
        return f"{SECTION_NUMERALS[index - 1]}、"
    return f"{index}. "


def subsection_number(index: int) -> str:
    """（一）（二）… in Chinese (full-width brackets); (1) (2) … in English."""
    if is_chinese():
        return f"（{SECTION_NUMERALS[index - 1]}）"
    return f"({index}) "


def seal_html(alt: str) -> SafeString | str:
    from django.utils.html import format_html

    url = seal_data_url()
    return format_html('<img class="seal" src="{}" alt="{}">', url, alt) if url else ""
