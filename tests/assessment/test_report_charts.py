"""The report charts, rasterised and checked by their pixels (not by their SVG source)."""

import io
import math
from itertools import combinations

import pytest
from PIL import Image

from assessment.services import report_charts
from questionnaires.choices import TIER_COLOURS, TIER_ORDER

LABELS = [f"D{index} 维度名称{index}" for index in range(1, 9)]
GREEN = "#2e7d32"


def rgb(hex_colour: str) -> tuple[int, int, int]:
    hex_colour = hex_colour.lstrip("#")
    return tuple(int(hex_colour[index : index + 2], 16) for index in (0, 2, 4))


def near(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def is_white(pixel) -> bool:
    return all(channel >= 250 for channel in pixel[:3])


def raster(figure):
    """The PNG and a function from data coordinates to pixel positions in it."""
    axes = figure.axes[0]
    height = figure.bbox.height
    transform = axes.transData
    png = report_charts.figure_png(figure)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (round(figure.bbox.width), round(height))

    def at(x, y):
        px, py = transform.transform((x, y))
        return image.getpixel((int(px), int(height - py)))

    def around(x, y, reach=3):
        px, py = transform.transform((x, y))
        column, row = int(px), int(height - py)
        return [
            image.getpixel((column + dx, row + dy))
            for dx in range(-reach, reach + 1)
            for dy in range(-reach, reach + 1)
        ]

    at.around = around
    return image, at


def radar(values, **options):
    return report_charts.radar_figure(
        LABELS, values, colour=GREEN, series_label="This platform", **options
    )


@pytest.mark.parametrize(
    "values",
    [
        [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.9, 1.0],
        [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        [0.6, 0.2, 0.9, 0.4, 0.8, 0.3, 0.7, 0.5],
    ],
)
def test_radar_has_ink_in_every_sector_that_has_a_value(values):
    """The D8→D1 wedge was clipped away (negative angles): no grid and no data there."""
    figure = radar(values)
    angles = report_charts.radar_angles(len(values))
    _image, at = raster(figure)
    fill = rgb(GREEN)
    for index, angle in enumerate(angles):
        following = (index + 1) % len(values)
        middle = angle + math.pi / len(values)
        radius = 0.4 * min(values[index], values[following])
        pixel = at(middle, radius)
        assert not is_white(pixel), f"no fill between {LABELS[index]} and {LABELS[following]}"
        # The outline passes through each dimension's own value.
        hits = at.around(angle, values[index])
        assert any(near(hit, fill, 30) for hit in hits), f"no outline at {LABELS[index]}"


def test_radar_draws_the_grid_in_the_last_sector():
    figure = radar([0.0] * 8)  # nothing filled: only the grid can be there
    _image, at = raster(figure)
    last = report_charts.radar_angles(8)[-1] + math.pi / 8
    # The outer circle at r = 1 in the D8→D1 wedge.
    assert any(not is_white(at(last, radius)) for radius in (0.99, 1.0, 1.01))


def test_radar_first_dimension_is_at_the_top_and_runs_clockwise():
    figure = radar([1.0, 0, 0, 0, 0, 0, 0, 0])
    image, at = raster(figure)
    axes = figure.axes[0]
    centre_x, centre_y = axes.transData.transform((0, 0))
    top_x, top_y = axes.transData.transform((0, 1.0))
    assert abs(top_x - centre_x) < 1 and top_y > centre_y
    second_x, _second_y = axes.transData.transform((report_charts.radar_angles(8)[1], 1.0))
    assert second_x > centre_x  # D2 to the right of D1: clockwise


def test_radar_labels_are_inside_the_image_apart_and_off_the_plot():
    figure = radar([0.9] * 8, peer_values=[0.5] * 8, peer_label="Median of 5 certified peers")
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    axes = figure.axes[0]
    boxes = [label.get_window_extent(renderer) for label in axes.get_xticklabels()]
    legend = axes.get_legend().get_window_extent(renderer)
    width, height = figure.bbox.width, figure.bbox.height
    centre = axes.transData.transform((0, 0))
    edge = axes.transData.transform((0, 1.0))
    radius = math.dist(centre, edge)
    for box in [*boxes, legend]:
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width and box.y1 <= height
    for box in boxes:
        nearest_x = min(max(centre[0], box.x0), box.x1)
        nearest_y = min(max(centre[1], box.y0), box.y1)
        assert math.dist(centre, (nearest_x, nearest_y)) > radius
    for first, second in combinations([*boxes, legend], 2):
        assert not first.overlaps(second)


def test_tier_bars_draw_one_bar_per_tier_in_its_colour():
    scores = [0.95, 0.83, 0.7, 0.3]
    labels = ["基础级", "成长级", "引领级", "生态级"]
    figure = report_charts.tier_bars_figure(labels, scores, "bar 0.8")
    axes = figure.axes[0]
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    tick_boxes = [label.get_window_extent(renderer) for label in axes.get_xticklabels()]
    image, at = raster(figure)
    for position, (tier, score) in enumerate(zip(TIER_ORDER, scores, strict=True)):
        assert near(at(position, score / 2), rgb(TIER_COLOURS[tier]), 12)
        assert is_white(at(position + 0.45, score / 2))  # a gap between bars
    # Along a row through every bar: exactly four coloured runs.
    _px, row_y = axes.transData.transform((0, 0.15))
    row = [image.getpixel((x, int(figure.bbox.height - row_y))) for x in range(image.size[0])]
    runs, inside = 0, False
    for pixel in row:
        coloured = any(near(pixel, rgb(TIER_COLOURS[tier]), 12) for tier in TIER_ORDER)
        if coloured and not inside:
            runs += 1
        inside = coloured
    assert runs == 4
    for box in tick_boxes:
        assert box.x0 >= 0 and box.x1 <= figure.bbox.width and box.y0 >= 0
    for first, second in combinations(tick_boxes, 2):
        assert not first.overlaps(second)
