"""The zh-hans and en catalogues are complete: every interface string translated, none fuzzy."""

import re
from pathlib import Path

import polib
import pytest

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\{.*?\}\}|\{\w*\}|<[^>]+>")
LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_catalogue_has_a_translation_for_every_string(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


def test_chinese_catalogue_is_actually_chinese():
    catalogue = polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    # Every translated sentence with letters in it must contain Chinese (catches copied English).
    english_only = [
        entry.msgid
        for entry in catalogue.translated_entries()
        if any(char.isalpha() for char in PLACEHOLDER.sub("", entry.msgid))
        and entry.msgid.strip() not in {"API", "CSV", "XLSX", "PDF", "SHA-256", "URL", "ID", "QR"}
        and not any(
            "\u4e00" <= char <= "\u9fff"
            for char in entry.msgstr + "".join(entry.msgstr_plural.values())
        )
    ]
    assert not english_only, f"{len(english_only)} not translated to Chinese: {english_only[:5]}"
