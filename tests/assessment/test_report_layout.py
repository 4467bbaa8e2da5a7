"""Sample reports read back as a reader sees them: pdftotext's bounding boxes (text inside the
page, no overlapping words), pdftoppm's pixels (margins clear), and the formal sections."""

import re
import subprocess
from itertools import combinations
from xml.etree import ElementTree

import pytest
from django.db import transaction
from PIL import Image

from assessment.selectors.reports import report_submission_queryset
from assessment.services import certificates, reports
from tests.factories import reviewed_submission

pytestmark = [pytest.mark.django_db, pytest.mark.once]

HEADINGS = {
    "zh-hans": [
        "一、评估依据",
        "二、评估方法",
        "三、评估结论",
        "四、分项评估",
        "五、问题与改进建议",
        "六、评审情况",
        "附件：证明材料清单",
        "目录",
    ],
    "en": [
        "1. Basis of the assessment",
        "2. Method",
        "3. Conclusion",
        "4. Assessment by dimension",
        "5. Problems and recommendations",
        "6. Review",
        "Annex: evidence list",
        "Contents",
    ],
}


@pytest.fixture(scope="module")
def samples(django_db_setup, django_db_blocker, tmp_path_factory):
    """A certified report in each language and a certificate, as files."""
    folder = tmp_path_factory.mktemp("samples")
    paths = {}
    # Only the PDFs are kept: the rows made for them are rolled back, so that nothing reaches the
    # tests this worker runs next (they expect an empty database).
    with django_db_blocker.unblock(), transaction.atomic():
        submission = reviewed_submission(result="growth", certified=True)
        submission = report_submission_queryset().get(pk=submission.pk)
        for language in ("zh-hans", "en"):
            _report, pdf = reports.submission_report_pdf(
                submission=submission, language=language, user=None
            )
            paths[language] = folder / f"report-{language}.pdf"
            paths[language].write_bytes(pdf)
        _report, pdf = certificates.certificate_pdf(
            submission=submission, language="zh-hans", user=None
        )
        paths["certificate"] = folder / "certificate.pdf"
        paths["certificate"].write_bytes(pdf)
        transaction.set_rollback(True)
    return paths


def run(*command) -> bytes:
    return subprocess.run(command, capture_output=True, check=True).stdout  # noqa: S603


def bbox_pages(path):
    xml = run("pdftotext", "-bbox", str(path), "-").decode()
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml)
    root = ElementTree.fromstring(xml)  # noqa: S314 -- our own PDF's text, via poppler
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    for page in root.iterfind(".//x:page", namespace):
        width, height = float(page.get("width")), float(page.get("height"))
        words = [
            (
                float(word.get("xMin")),
                float(word.get("yMin")),
                float(word.get("xMax")),
                float(word.get("yMax")),
                word.text or "",
            )
            for word in page.iterfind("x:word", namespace)
        ]
        yield width, height, words


@pytest.mark.parametrize("document", ["zh-hans", "en", "certificate"])
def test_every_word_lies_inside_the_page_and_none_overlap(samples, document):
    pages = list(bbox_pages(samples[document]))
    assert pages
    for number, (width, height, words) in enumerate(pages, start=1):
        assert words, f"page {number} has no text"
        for x0, y0, x1, y1, text in words:
            assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height, (number, text)
        shrink = 0.6  # poppler's boxes of adjacent glyphs touch; overlap means real ink on ink
        boxes = [
            (x0 + shrink, y0 + shrink, x1 - shrink, y1 - shrink, t) for x0, y0, x1, y1, t in words
        ]
        for first, second in combinations(boxes, 2):
            overlap = (
                first[0] < second[2]
                and second[0] < first[2]
                and first[1] < second[3]
                and second[1] < first[3]
            )
            assert not overlap, f"page {number}: {first[4]!r} overlaps {second[4]!r}"


@pytest.mark.parametrize("document", ["zh-hans", "certificate"])
def test_rendered_pages_keep_the_edges_clear(samples, document, tmp_path):
    page = tmp_path / "page"
    run("pdftoppm", "-r", "40", "-png", "-l", "1", "-singlefile", str(samples[document]), str(page))
    image = Image.open(tmp_path / "page.png").convert("L")
    width, height = image.size
    edge = 4  # about 2.5 mm at 40 dpi: nothing is drawn into the paper's edge
    for x in range(width):
        for y in (*range(edge), *range(height - edge, height)):
            assert image.getpixel((x, y)) > 245
    inked = sum(image.histogram()[:128])  # pixels darker than mid-grey
    assert inked > 500  # the page is not blank


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_report_has_each_numbered_section_in_order(samples, language):
    text = re.sub(r"[ \t]+", " ", run("pdftotext", str(samples[language]), "-").decode())
    flat = re.sub(r"\s+", "", text)
    positions = []
    for heading in HEADINGS[language]:
        key = re.sub(r"\s+", "", heading)
        assert key in flat, heading
        positions.append(flat.index(key))
    # The contents list them first; the sections follow in their numbered order.
    body = [flat.rindex(re.sub(r"\s+", "", heading)) for heading in HEADINGS[language][:7]]
    assert body == sorted(body)
    assert positions[-1] < body[0]


def test_chinese_report_uses_the_serif_body_and_sans_headings_as_subsets(samples):
    fonts = run("pdffonts", str(samples["zh-hans"])).decode()
    serif = [line for line in fonts.splitlines() if "Noto-Serif-CJK-SC" in line]
    sans = [line for line in fonts.splitlines() if "Noto-Sans-CJK-SC" in line]
    assert serif and sans
    for line in serif + sans:
        assert re.search(r"\byes\s+yes\s+yes\b", line), line  # embedded, subset, unicode
        assert re.match(r"[A-Z]{6}\+", line)  # the subset tag


def test_chinese_report_writes_numbers_the_chinese_way(samples):
    text = run("pdftotext", str(samples["zh-hans"]), "-").decode()
    assert "二〇" in text  # the date of the closing block
    assert not re.search(r"\d %", text)  # percentages without a space
    assert "（" in text  # full-width brackets in Chinese
