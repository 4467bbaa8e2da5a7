"""Plotly figure specifications (plain dicts: data, layout, links) built from `dashboard_data`.

The page carries them as JSON data blocks; static/js/dashboards.js hands them to plotly.js.
Texts are translated here, so the charts read in the user's language. Tier colours come from
questionnaires.choices.TIER_COLOURS (the same in badges, PDFs and every chart); platform kinds
use Okabe–Ito colours, the dimension heatmap and the map the viridis scale: all colour-blind safe.
"""

from collections.abc import Callable, Mapping

from django.utils.translation import gettext as _

from assessment.selectors.dashboards import MAP_METRICS
from questionnaires.choices import TIER_COLOURS, TIER_ORDER, PlatformKind, Tier

KIND_COLOURS = {
    PlatformKind.SPECIALIZED: "#E69F00",
    PlatformKind.INDUSTRY: "#56B4E9",
    PlatformKind.COLLABORATIVE: "#CC79A7",
}
# GB/T 2260's alphabetic province codes: tile labels in English (full names do not fit a tile).
PROVINCE_LETTERS = {
    "11": "BJ", "12": "TJ", "13": "HE", "14": "SX", "15": "NM", "21": "LN", "22": "JL",
    "23": "HL", "31": "SH", "32": "JS", "33": "ZJ", "34": "AH", "35": "FJ", "36": "JX",
    "37": "SD", "41": "HA", "42": "HB", "43": "HN", "44": "GD", "45": "GX", "46": "HI",
    "50": "CQ", "51": "SC", "52": "GZ", "53": "YN", "54": "XZ", "61": "SN", "62": "GS",
    "63": "QH", "64": "NX", "65": "XJ",
}  # fmt: skip
ACCENT = "#1f5f8b"
FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
}


_TOP_LEGEND = {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"}


def _count_axis(values, **extra) -> dict:
    """An axis of whole numbers: no 0.2 steps when counts are small."""
    largest = max((value for value in values if value is not None), default=0)
    axis = {"rangemode": "tozero", "tickformat": ",d"}
    if largest <= 5:
        axis["dtick"] = 1
    axis.update(extra)
    return axis


def _layout(height: int = 360, **extra) -> dict:
    layout = {
        "height": height,
        "margin": {"l": 56, "r": 16, "t": 16, "b": 56},
        "font": {"family": FONT, "size": 13, "color": "#1d2433"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "y": -0.2},
        "separators": ".,",
        "hoverlabel": {"font": {"family": FONT}},
    }
    layout.update(extra)
    return layout


def _figure(data: list, layout: dict, links: Mapping | None = None) -> dict:
    return {"data": data, "layout": layout, "config": CONFIG, "links": dict(links or {})}


def target_figure(target: Mapping) -> dict:
    cycles = [point["cycle"] for point in target["trend"]]
    values = [point["value"] for point in target["trend"]]
    percent = target["unit"] == "percent"
    return _figure(
        [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": cycles,
                "y": values,
                "name": _("Value"),
                "line": {"color": ACCENT, "width": 3},
                "hovertemplate": "%{x}: %{y:,}" + (" %" if percent else "") + "<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "lines",
                "x": cycles,
                "y": [target["target"]] * len(cycles),
                "name": _("Target"),
                "line": {"color": "#b3261e", "dash": "dash", "width": 2},
                "hovertemplate": _("Target") + ": %{y:,}<extra></extra>",
            },
        ],
        _layout(
            height=200,
            margin={"l": 64, "r": 8, "t": 8, "b": 32},
            showlegend=False,
            xaxis={"type": "category"},
            yaxis={"rangemode": "tozero", "ticksuffix": " %" if percent else ""},
        ),
    )


def map_figure(
    children: list[Mapping], metric: str, url: Callable[[str], str | None], language: str = ""
) -> dict:
    """The tile-grid map: one square per province at its place on an 8 × 8 grid."""
    rows = max((child["tile_row"] or 0 for child in children), default=0)
    cols = max((child["tile_col"] or 0 for child in children), default=0)
    z = [[None] * cols for _ in range(rows)]
    text = [[""] * cols for _ in range(rows)]
    hover = [[""] * cols for _ in range(rows)]
    links = {}
    label = str(MAP_METRICS[metric])
    for child in children:
        if not child["tile_row"] or not child["tile_col"]:
            continue
        row, col = child["tile_row"] - 1, child["tile_col"] - 1
        value = child[metric]
        z[row][col] = value
        shown = "—" if value is None else f"{value:,}"
        label_text = child["short_name"]
        if language == "en":
            label_text = PROVINCE_LETTERS.get(child["code"][:2], label_text)
        text[row][col] = f"{label_text}<br>{shown}"
        hover[row][col] = f"{child['name']}<br>{label}: {shown}"
        target = url(child["code"])
        if target:
            links[f"{row},{col}"] = target
    return _figure(
        [
            {
                "type": "heatmap",
                "z": z,
                "text": text,
                "hovertext": hover,
                "texttemplate": "%{text}",
                "hovertemplate": "%{hovertext}<extra></extra>",
                "colorscale": "Viridis",
                "reversescale": True,
                "xgap": 3,
                "ygap": 3,
                "colorbar": {"title": {"text": label, "side": "right"}, "thickness": 12},
                "hoverongaps": False,
            }
        ],
        _layout(
            height=520,
            margin={"l": 8, "r": 8, "t": 8, "b": 8},
            xaxis={"visible": False, "constrain": "domain"},
            yaxis={"visible": False, "autorange": "reversed", "scaleanchor": "x"},
        ),
        links,
    )


def tiers_figure(children: list[Mapping], url: Callable[[str], str | None]) -> dict:
    """Certified platforms per child region, stacked by tier (regions with most at the top)."""
    ordered = sorted(children, key=lambda child: (-child["certified"], child["code"]))
    names = [child["short_name"] for child in ordered]
    links = {child["short_name"]: url(child["code"]) for child in ordered if url(child["code"])}
    return _figure(
        [
            {
                "type": "bar",
                "orientation": "h",
                "name": str(Tier(tier).label),
                "y": names,
                "x": [child["certified_by_tier"][tier] for child in ordered],
                "marker": {"color": TIER_COLOURS[tier]},
                "hovertemplate": "%{y} · " + str(Tier(tier).label) + ": %{x}<extra></extra>",
            }
            for tier in TIER_ORDER
        ],
        _layout(
            height=max(240, 18 * len(ordered) + 110),
            barmode="stack",
            margin={"l": 90, "r": 16, "t": 40, "b": 48},
            legend=_TOP_LEGEND,
            yaxis={"type": "category", "autorange": "reversed", "automargin": True},
            xaxis=_count_axis(
                [child["certified"] for child in ordered],
                title={"text": _("Certified platforms")},
            ),
        ),
        links,
    )


def kinds_figure(kinds_by_industry: list[Mapping]) -> dict:
    industries: dict[str, str] = {}
    counts: dict[tuple[str, str], int] = {}
    for row in kinds_by_industry:
        industries[row["industry"]] = row["industry_name"]
        counts[(row["industry"], row["kind"])] = row["platforms"]
    codes = sorted(industries)
    labels = [f"{code} {_shorten(industries[code], 14)}" for code in codes]
    return _figure(
        [
            {
                "type": "bar",
                "orientation": "h",
                "name": str(kind.label),
                "y": labels,
                "x": [counts.get((code, kind.value), 0) for code in codes],
                "marker": {"color": KIND_COLOURS[kind]},
                "hovertemplate": "%{y} · " + str(kind.label) + ": %{x}<extra></extra>",
            }
            for kind in PlatformKind
        ],
        _layout(
            height=max(260, 60 * len(codes) + 110),
            barmode="group",
            margin={"l": 160, "r": 16, "t": 40, "b": 48},
            legend=_TOP_LEGEND,
            yaxis={"type": "category", "autorange": "reversed", "automargin": True},
            xaxis=_count_axis(counts.values(), title={"text": _("Platforms")}),
        ),
    )


def _shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def heatmap_figure(heatmap: Mapping, url: Callable[[str], str | None]) -> dict:
    dimensions = heatmap["dimensions"]
    rows = heatmap["rows"]
    names = [row["name"] for row in rows]
    z = [[row["means"][d["code"]] for d in dimensions] for row in rows]
    text = [["" if value is None else f"{value:.2f}" for value in values] for values in z]
    links = {row["name"]: url(row["code"]) for row in rows if url(row["code"])}
    return _figure(
        [
            {
                "type": "heatmap",
                "x": [d["code"] for d in dimensions],
                "y": names,
                "z": z,
                "zmin": 0,
                "zmax": 1,
                "text": text,
                "texttemplate": "%{text}",
                "customdata": [[d["title"] for d in dimensions] for _row in rows],
                "hovertemplate": "%{y} · %{x} %{customdata}: %{z:.2f}<extra></extra>",
                "colorscale": "Viridis",
                "xgap": 1,
                "ygap": 1,
                "hoverongaps": False,
                "colorbar": {"thickness": 12},
            }
        ],
        _layout(
            height=max(260, 26 * len(rows) + 80),
            margin={"l": 140, "r": 16, "t": 36, "b": 16},
            xaxis={"side": "top", "type": "category"},
            yaxis={"autorange": "reversed", "type": "category", "automargin": True},
        ),
        links,
    )


def pipeline_figure(pipeline: list[Mapping]) -> dict:
    return _figure(
        [
            {
                "type": "bar",
                "x": [row["label"] for row in pipeline],
                "y": [row["submissions"] for row in pipeline],
                "text": [str(row["submissions"]) for row in pipeline],
                "textposition": "auto",
                "customdata": [
                    "—" if row["mean_wait_days"] is None else row["mean_wait_days"]
                    for row in pipeline
                ],
                "marker": {"color": ACCENT},
                "hovertemplate": "%{x}: %{y}<br>"
                + _("Mean days waiting")
                + ": %{customdata}<extra></extra>",
            }
        ],
        _layout(
            height=320,
            showlegend=False,
            xaxis={"type": "category"},
            yaxis=_count_axis(
                [row["submissions"] for row in pipeline], title={"text": _("Submissions")}
            ),
        ),
    )


def trend_figure(trend: list[Mapping]) -> dict:
    cycles = [point["cycle"] for point in trend]
    data = [
        {
            "type": "bar",
            "name": str(Tier(tier).label),
            "x": cycles,
            "y": [point["certified_by_tier"][tier] for point in trend],
            "marker": {"color": TIER_COLOURS[tier]},
            "hovertemplate": "%{x} · " + str(Tier(tier).label) + ": %{y}<extra></extra>",
        }
        for tier in TIER_ORDER
    ]
    data.append(
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": _("Platforms taking part"),
            "x": cycles,
            "y": [point["platforms"] for point in trend],
            "line": {"color": "#1d2433", "width": 2},
            "hovertemplate": "%{x} · " + _("Platforms taking part") + ": %{y}<extra></extra>",
        }
    )
    return _figure(
        data,
        _layout(
            height=340,
            barmode="stack",
            xaxis={"type": "category"},
            yaxis=_count_axis(
                [point["platforms"] for point in trend], title={"text": _("Platforms")}
            ),
        ),
    )


# Okabe–Ito colours, told apart without colour vision too (each bar is labelled in the legend).
EXIT_COLOURS = {"downgrades": "#E69F00", "revocations": "#D55E00", "expiries": "#0072B2"}


def exits_figure(per_year: list[Mapping]) -> dict:
    """Downgrades, revocations and expiries per monitoring year, side by side."""
    years = [str(point["year"]) for point in per_year]
    names = {
        "downgrades": _("Downgrades"),
        "revocations": _("Revocations"),
        "expiries": _("Expiries"),
    }
    return _figure(
        [
            {
                "type": "bar",
                "name": str(name),
                "x": years,
                "y": [point[key] for point in per_year],
                "marker": {"color": EXIT_COLOURS[key]},
                "hovertemplate": "%{x} · " + str(name) + ": %{y}<extra></extra>",
            }
            for key, name in names.items()
        ],
        _layout(
            height=320,
            barmode="group",
            legend=_TOP_LEGEND,
            margin={"l": 56, "r": 16, "t": 40, "b": 40},
            xaxis={"type": "category"},
            yaxis=_count_axis(
                [point[key] for point in per_year for key in names],
                title={"text": _("Certifications")},
            ),
        ),
    )


def benchmark_figure(benchmark: Mapping) -> dict:
    """The operator's radar: its dimension means against the peers' quartiles."""
    dimensions = benchmark["dimensions"]
    theta = [f"{row['code']} {row['title']}" for row in dimensions]
    closed = [*theta, theta[0]] if theta else []

    def trace(name: str, key: str, colour: str, **extra) -> dict:
        values = [row.get(key) for row in dimensions]
        return {
            "type": "scatterpolar",
            "name": name,
            "r": [*values, values[0]] if values else [],
            "theta": closed,
            "line": {"color": colour},
            "hovertemplate": "%{theta}: %{r:.2f}<extra>" + name + "</extra>",
            **extra,
        }

    data = []
    if benchmark["available"]:
        data += [
            trace(_("Peers: upper quartile"), "q3", "#9ab8d0", mode="lines", line_dash="dot"),
            trace(_("Peers: median"), "median", "#2a788e", mode="lines+markers"),
            trace(_("Peers: lower quartile"), "q1", "#9ab8d0", mode="lines"),
        ]
    data.append(
        trace(
            _("Your platform"),
            "own",
            "#E69F00",
            mode="lines+markers",
            fill="toself",
            fillcolor="rgba(230, 159, 0, 0.25)",
        )
    )
    for item in data:
        dash = item.pop("line_dash", None)
        if dash:
            item["line"]["dash"] = dash
    figure = _figure(
        data,
        _layout(
            height=460,
            margin={"l": 80, "r": 80, "t": 24, "b": 24},
            polar={"radialaxis": {"range": [0, 1], "tickformat": ".1f"}},
            legend={"orientation": "h", "y": -0.1},
        ),
    )
    return figure


def dashboard_figures(
    data: Mapping, *, map_metric: str, url: Callable[[str], str | None]
) -> dict[str, dict]:
    """Every chart of a dashboard, keyed like the tables of `dashboard_tables`.

    `url(code)` gives the drill-down link of a child region (None: no link).
    """
    figures: dict[str, dict] = {}
    for target in data["targets"]:
        figures[f"target-{target['id']}"] = target_figure(target)
    if data["children_level"] == "province":
        figures["map"] = map_figure(data["children"], map_metric, url, data["language"])
    if data["children"]:
        figures["tiers"] = tiers_figure(data["children"], url)
    if any(value is not None for value in data["heatmap"]["overall"].values()):
        figures["heatmap"] = heatmap_figure(data["heatmap"], url)
    figures["kinds"] = kinds_figure(data["kinds_by_industry"])
    figures["pipeline"] = pipeline_figure(data["pipeline"])
    figures["trend"] = trend_figure(data["trend"])
    if data["monitoring"]["per_year"]:
        figures["exits"] = exits_figure(data["monitoring"]["per_year"])
    return figures
