"""Charts for PDF reports, drawn in-process by matplotlib as SVG (no browser involved).

Text is kept as SVG <text> (``svg.fonttype = none``) so WeasyPrint sets it in the report's own
embedded CJK font: the words stay searchable and copyable in the PDF. Tier colours are
questionnaires.choices.TIER_COLOURS, as on the dashboards.
"""

from __future__ import annotations

import base64
import io
import math
import re
from collections.abc import Sequence
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")

import matplotlib.cm  # noqa: E402
import matplotlib.colors  # noqa: E402
import matplotlib.patches  # noqa: E402
import matplotlib.ticker  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from questionnaires.choices import TIER_COLOURS, TIER_ORDER  # noqa: E402

FONT_FAMILY = ["Noto Sans CJK SC", "DejaVu Sans"]
INK = "#1d2433"
INK_SOFT = "#4a5468"
LINE = "#d9dee7"
BAR = 0.8

plt.rcParams.update(
    {
        "svg.fonttype": "none",
        "svg.hashsalt": "iip-report",  # stable ids: the same data gives the same SVG
        "font.family": "sans-serif",
        "font.sans-serif": FONT_FAMILY,
        "font.size": 9,
        "axes.edgecolor": LINE,
        "axes.labelcolor": INK,
        "xtick.color": INK_SOFT,
        "ytick.color": INK_SOFT,
        "text.color": INK,
        "axes.unicode_minus": False,
    }
)

_XML_DECLARATION = re.compile(r"^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)


_ID = re.compile(r'\bid="([^"]+)"')


def _svg(figure: Figure, prefix: str) -> str:
    """The figure as an inline <svg> element (no XML prolog, no creation-date metadata).

    Element ids get ``prefix`` so that several charts in one HTML document never clash.
    """
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    svg = _METADATA.sub("", _XML_DECLARATION.sub("", buffer.getvalue()))
    ids = set(_ID.findall(svg))
    if not ids:
        return svg
    pattern = re.compile(
        r'(id="|url\(#|href="#)(' + "|".join(re.escape(name) for name in ids) + r')(?=[")])'
    )
    return pattern.sub(lambda match: f"{match.group(1)}{prefix}-{match.group(2)}", svg)


def as_image(svg: str, alt: str) -> str:
    """An <img> element with the SVG as a data: URL (WeasyPrint renders it; no fetching)."""
    from django.utils.html import format_html

    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return format_html('<img src="data:image/svg+xml;base64,{}" alt="{}">', encoded, alt)


def radar_angles(count: int) -> list[float]:
    """The angle of each dimension, in [0, 2π): matplotlib clips polar axes to the data range,
    so negative angles (the old ``π/2 - …``) dropped the last sector's grid and data. Where the
    first dimension sits and which way they run is the axes' offset and direction."""
    return [2 * math.pi * index / count for index in range(count)]


def radar_figure(
    labels: Sequence[str],
    values: Sequence[Decimal | float],
    *,
    colour: str,
    series_label: str,
    peer_values: Sequence[Decimal | float] | None = None,
    peer_label: str = "",
) -> Figure:
    """The radar as a matplotlib figure (tests rasterise it; reports use :func:`radar_chart`)."""
    count = len(labels)
    angles = radar_angles(count)
    closed = [*angles, angles[0]]
    figure = plt.figure(figsize=(5.6, 4.8))
    # Room around the circle for the dimension labels and the legend, inside the figure.
    axes = figure.add_axes((0.23, 0.16, 0.54, 0.72), projection="polar")
    axes.set_theta_offset(math.pi / 2)  # the first dimension at the top
    axes.set_theta_direction(-1)  # clockwise
    axes.set_thetalim(0, 2 * math.pi)
    axes.set_ylim(0, 1)
    axes.set_yticks([0.25, 0.5, 0.8, 1.0])
    axes.set_yticklabels(["0.25", "0.5", "0.8", "1"], fontsize=7)
    axes.set_rlabel_position(180 / count)  # the scale between the first two dimensions
    axes.set_xticks(angles)
    axes.set_xticklabels(labels, fontsize=8)
    axes.tick_params(axis="x", pad=12)
    for label, angle in zip(axes.get_xticklabels(), angles, strict=True):
        # Labels lean away from the plot: left of the axis on the left side, right on the right.
        sine = math.sin(angle)
        label.set_horizontalalignment(
            "left" if sine > 0.1 else "right" if sine < -0.1 else "center"
        )
    axes.grid(color=LINE, linewidth=0.6)
    axes.spines["polar"].set_color(LINE)
    own = [float(value) for value in values]
    axes.plot(closed, [*own, own[0]], color=colour, linewidth=2, label=series_label)
    axes.fill(closed, [*own, own[0]], color=colour, alpha=0.18)
    if peer_values:
        peers = [float(value) for value in peer_values]
        axes.plot(
            closed,
            [*peers, peers[0]],
            color=INK_SOFT,
            linewidth=1.2,
            linestyle="--",
            label=peer_label,
        )
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False, fontsize=8)
    return figure


def radar_chart(labels: Sequence[str], values: Sequence[Decimal | float], **options) -> str:
    """Dimension means (0…1) on a radar, optionally against the peer median, as SVG."""
    return _svg(radar_figure(labels, values, **options), "radar")


def figure_png(figure: Figure, *, dpi: int = 100) -> bytes:
    """A figure as PNG, with the figure's own extent (pixel positions follow its transforms)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    plt.close(figure)
    return buffer.getvalue()


def tier_score_bars(labels: Sequence[str], scores: Sequence[Decimal | float], bar_label: str):
    """T(k) per tier as bars in the tier colours, against the 0.8 bar, as SVG."""
    return _svg(tier_bars_figure(labels, scores, bar_label), "tier-bars")


def tier_bars_figure(
    labels: Sequence[str], scores: Sequence[Decimal | float], bar_label: str
) -> Figure:
    """T(k) per tier as bars in the tier colours, against the 0.8 bar."""
    figure, axes = plt.subplots(figsize=(3.6, 3.0))
    values = [float(score) for score in scores]
    positions = range(len(values))
    axes.bar(
        positions,
        values,
        color=[TIER_COLOURS[tier] for tier in TIER_ORDER],
        width=0.62,
        edgecolor="none",
    )
    axes.axhline(BAR, color="#b3261e", linewidth=1, linestyle="--")
    axes.text(len(values) - 0.5, BAR + 0.02, bar_label, color="#b3261e", ha="right", fontsize=8)
    for position, value in zip(positions, values, strict=True):
        axes.text(position, value + 0.02, f"{value:.2f}", ha="center", fontsize=8, color=INK)
    axes.set_xticks(list(positions))
    axes.set_xticklabels(labels)
    axes.set_ylim(0, 1.1)
    axes.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return figure


def tier_distribution_bars(
    area_names: Sequence[str], counts: Sequence[Sequence[int]], tier_labels: Sequence[str]
) -> str:
    """Certified platforms per area, stacked by tier (horizontal bars)."""
    height = max(1.8, 0.24 * len(area_names) + 0.9)
    figure, axes = plt.subplots(figsize=(6.4, height))
    lefts = [0] * len(area_names)
    positions = list(range(len(area_names)))
    for tier_index, tier in enumerate(TIER_ORDER):
        widths = [row[tier_index] for row in counts]
        axes.barh(
            positions,
            widths,
            left=lefts,
            color=TIER_COLOURS[tier],
            label=tier_labels[tier_index],
            height=0.7,
        )
        lefts = [left + width for left, width in zip(lefts, widths, strict=True)]
    axes.set_yticks(positions)
    axes.set_yticklabels(area_names, fontsize=7.5)
    axes.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    axes.invert_yaxis()
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(ncol=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=8)
    return _svg(figure, "areas")


def progress_histogram(
    values: Sequence[float], label: str, results: Sequence[str] | None = None
) -> str:
    """The distribution of the progress index S (0…4), coloured by the tier each bin lies in.

    With ``results`` (each value's result), the bars are stacked by result instead, so that a
    not-rated submission is never coloured as a tier (its S may be 1.00: T(basic) = 1 with a
    precondition failed)."""
    figure, axes = plt.subplots(figsize=(6.4, 2.2))
    bins = [step / 4 for step in range(17)]
    if results is not None:
        order = ["not_rated", *TIER_ORDER]
        groups = [[v for v, r in zip(values, results, strict=True) if r == o] for o in order]
        shown = [(o, g) for o, g in zip(order, groups, strict=True) if g]
        axes.hist(
            [g for _o, g in shown],
            bins=bins,
            stacked=True,
            edgecolor="white",
            color=[TIER_COLOURS[o] for o, _g in shown],
        )
        return _progress_axes(figure, axes, label)
    counts, edges, patches = axes.hist(values, bins=bins, edgecolor="white")
    for left, patch in zip(edges, patches, strict=False):
        # S in [k, k+1) means k tiers achieved: the colour of the k-th tier.
        tier = TIER_ORDER[min(int(left), 4) - 1] if left >= 1 else "not_rated"
        patch.set_facecolor(TIER_COLOURS[tier])
    return _progress_axes(figure, axes, label)


def _progress_axes(figure, axes, label: str) -> str:
    axes.set_xlim(0, 4)
    axes.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    axes.set_xlabel(label)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure, "progress")


def tile_map(tiles: Sequence[tuple[str, int, int, int]], legend_label: str) -> str:
    """The provinces as a tile grid, as SVG (see :func:`tile_map_figure`)."""
    return _svg(tile_map_figure(tiles, legend_label), "map")


def tile_map_figure(tiles: Sequence[tuple[str, int, int, int]], legend_label: str) -> Figure:
    """The provinces as a tile grid (name, row, column, count), shaded by count, with the
    colour scale as its legend."""
    figure, axes = plt.subplots(figsize=(6.4, 4.6))
    top = max((count for _name, _row, _col, count in tiles), default=0) or 1
    colour_map = matplotlib.colormaps["viridis_r"]
    for name, row, column, count in tiles:
        share = count / top
        colour = colour_map(0.08 + 0.8 * share) if count else "#eef1f6"
        axes.add_patch(
            matplotlib.patches.Rectangle(
                (column, -row), 0.94, 0.94, facecolor=colour, edgecolor="white"
            )
        )
        text_colour = "white" if count and share > 0.45 else INK
        axes.text(
            column + 0.47, -row + 0.6, name, ha="center", va="center",
            fontsize=6.5 if len(name) <= 4 else 5, color=text_colour,
        )  # fmt: skip
        axes.text(
            column + 0.47, -row + 0.28, str(count), ha="center", va="center", fontsize=7,
            color=text_colour, fontweight="bold",
        )  # fmt: skip
    if tiles:
        columns = [column for _n, _r, column, _c in tiles]
        rows = [row for _n, row, _col, _c in tiles]
        axes.set_xlim(min(columns) - 0.1, max(columns) + 1.05)
        axes.set_ylim(-max(rows) - 0.1, -min(rows) + 1.05)
    axes.set_aspect("equal")
    axes.axis("off")
    axes.set_title(legend_label, fontsize=8, color=INK_SOFT, loc="left")
    # The legend: the colour scale from 0 to the largest count (grey: none).
    scale = matplotlib.cm.ScalarMappable(
        norm=matplotlib.colors.Normalize(vmin=0, vmax=top),
        cmap=matplotlib.colors.ListedColormap(
            [colour_map(0.08 + 0.8 * i / 255) for i in range(256)]
        ),
    )
    bar = figure.colorbar(scale, ax=axes, orientation="horizontal", fraction=0.04, pad=0.02)
    bar.ax.tick_params(labelsize=7)
    bar.set_label(legend_label, fontsize=7)
    bar.ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    return figure
