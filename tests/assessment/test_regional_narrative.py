"""The regional report tells its story from the data: situation, problems, recommendations,
what its counts count, the certified platforms and the province ranking; the map has a legend."""

import io
import re

import pytest
from PIL import Image
from pypdf import PdfReader

from assessment.services import report_charts, reports
from tests.factories import reviewed_submission

pytestmark = pytest.mark.django_db


def test_national_report_has_narrative_counts_list_and_ranking():
    first = reviewed_submission(result="growth", certified=True)
    reviewed_submission(result="basic", certified=True, cycle=first.cycle)
    pdf = reports.regional_report_pdf(cycle=first.cycle, region=None, language="en")
    text = re.sub(r"\s+", " ", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    for heading in (
        "1. Situation",
        "2. Problems",
        "3. Recommendations",
        "7. Certified platforms",
        "Province ranking by certified platforms",
        "Platforms taking part this cycle",
        "an upper bound",
    ):
        assert heading in text, heading
    assert re.search(r"2 of the \d+ platforms registered", text)
    assert "2 are certified: 1 basic, 1 growth" in text
    assert first.platform.name.replace(" ", "") in text.replace(" ", "")
    assert not re.search(r"\d %", text)


def test_chinese_regional_report_writes_large_numbers_with_wan():
    from django.utils import translation

    from assessment.services import report_formal

    with translation.override("zh-hans"):
        assert report_formal.large_number(1_234_567) == "123.46万"
        assert report_formal.large_number(230_000_000) == "2.3亿"
        assert report_formal.large_number(9_999) == "9,999"
        assert report_formal.percent(0.55) == "55.0%"
    with translation.override("en"):
        assert report_formal.large_number(1_234_567) == "1,234,567"


def test_tile_map_has_a_legend_inside_the_image():
    tiles = [("广东", 5, 8, 12), ("江苏", 3, 9, 4), ("西藏", 4, 2, 0)]
    figure = report_charts.tile_map_figure(tiles, "Certified platforms")
    assert len(figure.axes) == 2  # the map and its colour-scale legend
    figure.canvas.draw()
    legend = figure.axes[1].get_tightbbox(figure.canvas.get_renderer())
    assert legend.x0 >= 0 and legend.y0 >= 0
    assert legend.x1 <= figure.bbox.width and legend.y1 <= figure.bbox.height
    image = Image.open(io.BytesIO(report_charts.figure_png(figure))).convert("RGB")
    # The scale's middle is coloured (not white): the legend is drawn.
    middle = figure.axes[1].get_window_extent()
    pixel = image.getpixel(
        (int((middle.x0 + middle.x1) / 2), int(figure.bbox.height - (middle.y0 + middle.y1) / 2))
    )
    assert pixel != (255, 255, 255)
