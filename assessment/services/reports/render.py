"""Rendering HTML to PDF/A with WeasyPrint, fetching only our own static files; the page furniture
(footer, page counter, QR code) every issued PDF shares."""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import re
from pathlib import Path

import segno
from django.contrib.staticfiles import finders
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# WeasyPrint logs every layout step at INFO; keep only its warnings (refused URLs, glyphs).
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

REPORT_LANGUAGES = ("zh-hans", "en")
# PDF/A-3u: archival, with a Unicode mapping for every glyph (searchable text). WeasyPrint
# writes the XMP identification, the sRGB output intent and embeds every font.
PDF_VARIANT = "pdf/a-3u"
STATIC_BASE_URL = "https://static.report.invalid/"

# --- Safe fetching -----------------------------------------------------------------------------


class StaticOnlyURLFetcher(URLFetcher):
    """Serves our own static files and data: URLs; refuses everything else (no network)."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith(STATIC_BASE_URL):
            raise ValueError(f"report rendering fetches no external resource: {url[:200]}")
        relative = url.removeprefix(STATIC_BASE_URL).split("?", 1)[0].split("#", 1)[0]
        if not relative or ".." in relative.split("/") or relative.startswith("/"):
            raise ValueError(f"not a static file: {url[:200]}")
        found = finders.find(relative)
        if not found:
            raise ValueError(f"no such static file: {relative}")
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, Path(found).read_bytes(), headers={"Content-Type": content_type}
        )


def css_string(text: str) -> SafeString:
    """A CSS string literal for any text (everything but plain letters is hex-escaped)."""
    escaped = "".join(
        character if character.isalnum() or character in " -_.:/·," else f"\\{ord(character):x} "
        for character in str(text)
    )
    return mark_safe(f'"{escaped}"')  # noqa: S308 -- every special character is escaped above


def render_pdf(html: str) -> bytes:
    document = HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=StaticOnlyURLFetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _qr_svg(url: str) -> SafeString:
    svg = segno.make(url, error="m").svg_inline(scale=3, border=2, dark="#1d2433")
    return mark_safe(svg)  # noqa: S308 -- segno's own SVG markup; the URL is ours


def _page_counter_css() -> str:
    """ "Page x of y" in the active language, as CSS content with page counters."""
    template = gettext("Page %(page)s of %(pages)s")
    parts = []
    for part in re.split(r"(%\(pages?\)s)", template):
        if part == "%(page)s":
            parts.append("counter(page)")
        elif part == "%(pages)s":
            parts.append("counter(pages)")
        elif part:
            parts.append(css_string(part))
    return " ".join(parts)


def _footer_css(reference: str, header: str) -> SafeString:
    return mark_safe(  # noqa: S308 -- built from css_string() values and counters only
        f"@page {{ @bottom-left {{ content: {css_string(reference)}; }} "
        f"@bottom-right {{ content: {_page_counter_css()}; }} "
        f"@top-left {{ content: {css_string(header)}; }} }}"
    )
