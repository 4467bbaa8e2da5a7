"""Tables: the data behind each chart (page tables for screen readers, CSV and XLSX)."""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from assessment.metrics import METRICS, MetricCode
from assessment.models import (
    SubmissionState,
)
from assessment.presentation import join_list
from assessment.selectors.dashboards.filters import MAP_METRICS, _round, _whole
from questionnaires.choices import TIER_ORDER, PlatformKind, Result, Tier

# --- Tables: the data behind each chart (page tables for screen readers, CSV and XLSX) ------------

# The charts of a dashboard, in page order; each has a table of the same name.
CHART_NAMES = (
    "targets",
    "map",
    "tiers",
    "kinds",
    "heatmap",
    "pipeline",
    "trend",
    "monitoring",
    "exits",
)
# The decision kinds as column headings, in MonitoringDecisionKind order.
DECISION_COLUMNS = {
    "keep": _("Kept"),
    "warning": _("Warnings"),
    "downgrade": _("Downgrades"),
    "revoke": _("Revocations"),
}


def _yes_no(value: bool | None) -> str | None:
    if value is None:
        return None
    return str(_("Yes")) if value else str(_("No"))


def _table(title, columns, rows, *, header: int = 0) -> dict:
    """`header`: the column naming each row (the region or industry after a code column)."""
    return {
        "title": str(title),
        "columns": [str(column) for column in columns],
        "rows": rows,
        "header": header,
    }


def dashboard_tables(data: Mapping) -> dict[str, dict]:
    """Each chart's data as {"title", "columns", "rows"} (rows of plain values, None = no data).

    The page, the CSV and the XLSX exports all show these rows, so their numbers agree.
    """
    tier_labels = [str(Tier(tier).label) for tier in TIER_ORDER]
    level_label = _("Province") if data["children_level"] == "province" else _("City")
    tables: dict[str, dict] = {}
    tables["targets"] = _table(
        _("Progress against the targets"),
        [
            _("Target"),
            _("Metric"),
            _("Value"),
            _("Target value"),
            _("Gap"),
            _("Met"),
            _("Deadline"),
        ],
        [
            [
                target["name"],
                target["metric_label"],
                _whole(target["value"]),
                _whole(target["target"]),
                _whole(target["gap"]),
                _yes_no(target["met"]),
                target["deadline"],
            ]
            for target in data["targets"]
        ],
    )
    map_columns = list(MAP_METRICS)
    tables["map"] = _table(
        _("Figures by region"),
        [_("Code"), level_label, *[MAP_METRICS[key] for key in map_columns]],
        [
            [child["code"], child["name"], *[child[key] for key in map_columns]]
            for child in data["children"]
        ],
        header=1,
    )
    tables["tiers"] = _table(
        _("Certified platforms by tier"),
        [_("Code"), level_label, *tier_labels, _("Certified platforms")],
        [
            [
                child["code"],
                child["name"],
                *[child["certified_by_tier"][tier] for tier in TIER_ORDER],
                child["certified"],
            ]
            for child in data["children"]
        ],
        header=1,
    )
    kinds = list(PlatformKind)
    pivot: dict[str, dict] = {}
    for row in data["kinds_by_industry"]:
        entry = pivot.setdefault(row["industry"], {"name": row["industry_name"]})
        entry[row["kind"]] = row["platforms"]
    tables["kinds"] = _table(
        _("Platforms by kind and industry"),
        [_("Industry code"), _("Industry"), *[kind.label for kind in kinds]],
        [
            [code, entry["name"], *[entry.get(kind.value, 0) for kind in kinds]]
            for code, entry in sorted(pivot.items())
        ],
        header=1,
    )
    dimensions = data["heatmap"]["dimensions"]
    tables["heatmap"] = _table(
        _("Mean dimension score at the tier in reach"),
        [
            _("Code"),
            level_label,
            _("Assessed submissions"),
            *[f"{d['code']} {d['title']}" for d in dimensions],
        ],
        [
            [
                row["code"],
                row["name"],
                row["submissions"],
                *[_round(row["means"][d["code"]], 2) for d in dimensions],
            ]
            for row in data["heatmap"]["rows"]
        ],
        header=1,
    )
    tables["pipeline"] = _table(
        _("Review pipeline"),
        [_("State"), _("Submissions"), _("Mean days waiting"), _("Longest wait (days)")],
        [
            [row["label"], row["submissions"], row["mean_wait_days"], row["max_wait_days"]]
            for row in data["pipeline"]
        ],
    )
    tables["trend"] = _table(
        _("Trend across cycles"),
        [
            _("Cycle"),
            _("Platforms taking part"),
            *tier_labels,
            *[METRICS[code].label for code in MetricCode],
            _("Mean progress index"),
        ],
        [
            [
                point["cycle"],
                point["platforms"],
                *[point["certified_by_tier"][tier] for tier in TIER_ORDER],
                *[point[code.value] for code in MetricCode],
                point["mean_progress_index"],
            ]
            for point in data["trend"]
        ],
    )
    tables.update(monitoring_tables(data, level_label))
    return tables


def monitoring_tables(data: Mapping, level_label) -> dict[str, dict]:
    """Monitoring compliance per child region with the region's own total (the latest
    monitoring year), and the downgrades and exits per monitoring year."""
    monitoring = data["monitoring"]

    def counts(row: Mapping) -> list:
        return [
            row["due"],
            row["filed"],
            row["filed_share"],
            row["missing"],
            row["flagged"],
            *[row["decisions"][kind] for kind in DECISION_COLUMNS],
        ]

    window = monitoring["window"]
    rows = [[child["code"], child["name"], *counts(child)] for child in monitoring["children"]]
    if window is not None:
        region = data["region"]
        rows.append(
            [
                region["code"] if region else "",
                str(
                    _("Total: %(region)s") % {"region": region["name"] if region else _("National")}
                ),
                *counts(monitoring["totals"]),
            ]
        )
    else:
        rows = []
    title = (
        _("Monitoring compliance %(year)s") % {"year": window["year"]}
        if window is not None
        else _("Monitoring compliance")
    )
    return {
        "monitoring": _table(
            title,
            [
                _("Code"),
                level_label,
                _("Returns due"),
                _("Filed"),
                _("Filed share (%)"),
                _("Missing"),
                _("Flagged"),
                *DECISION_COLUMNS.values(),
            ],
            rows,
            header=1,
        ),
        "exits": _table(
            _("Downgrades and exits per monitoring year"),
            [_("Year"), _("Downgrades"), _("Revocations"), _("Expiries"), _("Exits")],
            [
                [
                    str(point["year"]),
                    point["downgrades"],
                    point["revocations"],
                    point["expiries"],
                    point["revocations"] + point["expiries"],
                ]
                for point in monitoring["per_year"]
            ],
        ),
    }


def platform_table(rows, industries: Mapping[int, list[str]]) -> dict:
    """The filtered platform list as a table (rows from `dashboard_platforms`)."""
    states = dict(SubmissionState.choices)
    kinds = dict(PlatformKind.choices)
    tiers = dict(Tier.choices)
    results = dict(Result.choices)
    return _table(
        _("Platforms"),
        [
            _("Platform"),
            _("Organisation"),
            _("Region code"),
            _("Region"),
            _("Platform kind"),
            _("Industries"),
            _("State"),
            _("Certified tier"),
            _("Score result"),
            _("Progress index"),
            _("Connected devices (verified)"),
            _("Enterprises served (verified)"),
        ],
        [
            [
                row["platform_name"],
                row["organisation_name"],
                row["region_code"],
                row["region_name"],
                str(kinds.get(row["platform_kind"], row["platform_kind"])),
                join_list(industries.get(row["platform_id"], [])),
                str(states.get(row["state"], row["state"])),
                str(tiers[row["certified_tier"]]) if row["certified_tier"] else "",
                str(results[row["result"]]) if row["result"] else "",
                _round(row["progress_index"], 2),
                row["connected_devices"],
                row["enterprises_served"],
            ]
            for row in rows
        ],
    )
