"""The regulator's dashboards (national → province → city), their exports, and the operator's
peer benchmark.

Thin views: scope and figures come from assessment.selectors.dashboards (out of scope = 404),
charts from assessment.views.dashboard_figures. Pages work without JavaScript (every chart has
its table); static/js/dashboards.js draws the charts with the vendored plotly.js.
"""

import csv
import io
from collections.abc import Mapping
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.errors import NotFound
from assessment.models import Role
from assessment.permissions import region_codes_in_scope, visible_submissions
from assessment.selectors import dashboards as selectors
from assessment.selectors.benchmarks import K_ANONYMITY, platform_benchmark
from assessment.views.dashboard_figures import benchmark_figure, dashboard_figures
from questionnaires.choices import TIER_COLOURS, TIER_ORDER

PLATFORMS_PER_PAGE = 50
EXPORT_FORMATS = ("csv", "xlsx")


def _query(filters: selectors.DashboardFilters, map_metric: str = "") -> str:
    params = filters.as_params()
    if map_metric and map_metric != selectors.DEFAULT_MAP_METRIC:
        params["map"] = map_metric
    return f"?{urlencode(params)}" if params else ""


def _region_url(code: str | None) -> str:
    if code is None:
        return reverse("dashboard_national")
    return reverse("dashboard_region", args=[code])


def _display(value) -> str:
    """A table cell as shown on the page (exports carry the raw value)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    return str(value)


def _display_table(
    table: Mapping,
    links: Mapping[str, str | None] | None = None,
    row_links: list[str | None] | None = None,
) -> dict:
    """A table for the page: each cell's text and whether it is a number; the region name of a
    row (its header cell) links to that region's dashboard where `links` has its code, or the
    row's header links to `row_links[index]` (the platform list)."""
    links = links or {}
    header = table.get("header", 0)
    return {
        **table,
        "display_rows": [
            {
                "cells": [
                    {
                        "text": _display(cell),
                        "num": isinstance(cell, int | float) and not isinstance(cell, bool),
                        "header": index == header,
                    }
                    for index, cell in enumerate(row)
                ],
                "link": row_links[number]
                if row_links is not None
                else (links.get(row[0]) if row and isinstance(row[0], str) else None),
            }
            for number, row in enumerate(table["rows"])
        ],
    }


def _platform_links(user, rows) -> list[str | None]:
    """Where each platform row of the city dashboard leads, for a user who may open it: the
    review screen for the review desk, the submission's evaluation report for a regulator.
    Drafts lead nowhere (nothing to review or report yet). One query."""
    ids = [row["id"] for row in rows]
    openable = set(
        visible_submissions(user)
        .filter(pk__in=ids)
        .exclude(state="draft")
        .values_list("pk", flat=True)
    )
    desk = user.role == Role.REVIEWER or user.is_admin
    name = "review_detail" if desk else "submission_report"
    return [reverse(name, args=[row["id"]]) if row["id"] in openable else None for row in rows]


def _province_ranking(children: list[Mapping], links: Mapping[str, str | None]) -> list[dict]:
    """Provinces against each other: by certified platforms, then mean progress index; equal
    figures share a rank (1, 2, 2, 4)."""

    def key(child):
        return (-child["certified"], -(child["mean_progress_index"] or 0))

    ordered = sorted(children, key=lambda child: (*key(child), child["code"]))
    ranking, previous, rank = [], None, 0
    for position, child in enumerate(ordered, start=1):
        if key(child) != previous:
            rank, previous = position, key(child)
        ranking.append(
            {
                "rank": rank,
                "code": child["code"],
                "name": child["name"],
                "link": links.get(child["code"]),
                "certified": child["certified"],
                "leading_or_above": child["certified_by_tier"].get("leading", 0)
                + child["certified_by_tier"].get("ecosystem", 0),
                "mean_progress_index": _display(child["mean_progress_index"]),
                "platform_penetration": _display(child["platform_penetration"]),
            }
        )
    return ranking


def _target_cards(targets: list[Mapping], figures: Mapping[str, dict]) -> list[dict]:
    signs = {"gt": ">", "gte": "≥"}
    return [
        {
            **target,
            "figure": figures.get(f"target-{target['id']}"),
            "script_id": f"chart-target-{target['id']}",
            "sign": signs.get(target["comparison"], ""),
            "value_text": _display(target["value"]),
            "target_text": _display(target["target"]),
            "gap_text": _display(target["gap"]),
            "suffix": " %" if target["unit"] == "percent" else "",
        }
        for target in targets
    ]


# --- Dashboards -----------------------------------------------------------------------------------


@login_required
def dashboard_national(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role != Role.OPERATOR and region_codes_in_scope(user) is not None:
        # A regional official's dashboard is that of its own province (or city).
        own = user.regions.order_by("code").values_list("code", flat=True).first()
        if own is None:
            raise Http404
        return redirect(_region_url(own) + ("?" + request.GET.urlencode() if request.GET else ""))
    return _dashboard(request, None)


@login_required
def dashboard_region(request: HttpRequest, code: str) -> HttpResponse:
    return _dashboard(request, code)


def _dashboard(request: HttpRequest, code: str | None) -> HttpResponse:
    filters, filter_errors = selectors.parse_filters(request.GET)
    map_metric = request.GET.get("map", "")
    if map_metric not in selectors.MAP_METRICS:
        map_metric = selectors.DEFAULT_MAP_METRIC
    try:
        data = selectors.dashboard_data(user=request.user, region_code=code, filters=filters)
    except NotFound as error:
        raise Http404(error.message) from error
    query = _query(filters, map_metric)
    current = data["region"]["code"] if data["region"] else None

    def drill_down(child_code: str) -> str | None:
        return None if child_code == current else _region_url(child_code) + query

    child_links = {row["code"]: drill_down(row["code"]) for row in data["children"]}
    tables = {
        name: _display_table(table, child_links if name in ("map", "tiers", "heatmap") else None)
        for name, table in selectors.dashboard_tables(data).items()
    }
    figures = dashboard_figures(data, map_metric=map_metric, url=drill_down)
    scope = selectors.user_scope(request.user)
    breadcrumbs = [
        {
            **crumb,
            "url": _region_url(crumb["code"]) + query
            if selectors.may_open_region(scope, crumb["code"])
            else None,
        }
        for crumb in data["breadcrumbs"]
    ]
    platforms_page = None
    if data["region"] is not None and data["region"]["level"] == "city":
        rows = selectors.dashboard_platforms(user=request.user, region_code=code, filters=filters)
        platforms_page = Paginator(rows, PLATFORMS_PER_PAGE).get_page(request.GET.get("page"))
        industries = selectors.platform_industries([row["platform_id"] for row in platforms_page])
        tables["platforms"] = _display_table(
            selectors.platform_table(platforms_page.object_list, industries),
            row_links=_platform_links(request.user, platforms_page.object_list),
        )
    query_without_map = _query(filters)

    def export_url(chart: str, fmt: str) -> str:
        if current is None:
            return reverse("dashboard_export", args=[chart, fmt]) + query_without_map
        return reverse("dashboard_region_export", args=[current, chart, fmt]) + query_without_map

    exports = {
        name: {"csv": export_url(name, "csv"), "xlsx": export_url(name, "xlsx")}
        for name in [*selectors.CHART_NAMES, "platforms"]
    }
    exports["all"] = {"xlsx": export_url("all", "xlsx")}
    return render(
        request,
        "assessment/dashboards/dashboard.html",
        {
            "data": data,
            "target_cards": _target_cards(data["targets"], figures),
            "tables": tables,
            "figures": figures,
            "breadcrumbs": breadcrumbs,
            "filter_options": selectors.filter_options(),
            "filter_errors": filter_errors,
            "map_metric": map_metric,
            "map_metrics": selectors.MAP_METRICS,
            "exports": exports,
            "platforms_page": platforms_page,
            "ranking": _province_ranking(data["children"], child_links) if current is None else [],
            "page_query": query,
            "tier_colours": TIER_COLOURS,
            "tier_order": TIER_ORDER,
        },
    )


# --- Exports --------------------------------------------------------------------------------------


def _preamble(data: Mapping, title: str) -> list[list[str]]:
    """The lines above an exported table: what it is, for which filters, exported when."""
    options = selectors.filter_options()
    names = {
        field: {option["code"]: option["title"] for option in options[plural]}
        for field, plural in (
            ("cycle", "cycles"),
            ("kind", "kinds"),
            ("industry", "industries"),
            ("tier", "tiers"),
        )
    }
    filters = data["filters"]
    everything = _("All")
    exported_at = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S %Z")
    return [
        [title],
        [_("Region"), data["region"]["name"] if data["region"] else _("National")],
        [_("Cycle"), names["cycle"].get(filters["cycle"], filters["cycle"])],
        [_("Platform kind"), names["kind"].get(filters["kind"], everything)],
        [_("Industry"), names["industry"].get(filters["industry"], everything)],
        [_("Certified tier"), names["tier"].get(filters["tier"], everything)],
        [_("Exported at"), exported_at],
        [],
    ]


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value):
    """A text that a spreadsheet would run as a formula (a platform named "=HYPERLINK(…)")
    is exported with a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _safe_rows(rows) -> list[list]:
    return [[_safe_cell(cell) for cell in row] for row in rows]


def _csv_response(preamble: list, table: Mapping, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so that spreadsheet programs read UTF-8 (Chinese) correctly
    writer = csv.writer(buffer)
    writer.writerows(preamble)
    writer.writerow(table["columns"])
    writer.writerows(
        [["" if cell is None else cell for cell in row] for row in _safe_rows(table["rows"])]
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


_SHEET_FORBIDDEN = str.maketrans("", "", "[]:*?/\\")


def _sheet_title(title: str, taken: set[str]) -> str:
    """The table's title as a worksheet name (at most 31 characters, no [ ] : * ? / or backslash,
    unique)."""
    name = str(title).translate(_SHEET_FORBIDDEN).strip()[:31] or "Sheet"
    candidate, number = name, 2
    while candidate in taken:
        suffix = f" ({number})"
        candidate, number = name[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate)
    return candidate


def _xlsx_response(data: Mapping, tables: Mapping[str, Mapping], filename: str) -> HttpResponse:
    """One sheet per table, named and headed by the table's own title."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    for table in tables.values():
        sheet = workbook.create_sheet(title=_sheet_title(table["title"], taken))
        for line in _preamble(data, table["title"]):
            sheet.append(line)
        sheet.append(table["columns"])
        for row in _safe_rows(table["rows"]):
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@login_required
def dashboard_export(request: HttpRequest, chart: str, fmt: str, code: str | None = None):
    if fmt not in EXPORT_FORMATS or chart not in (*selectors.CHART_NAMES, "platforms", "all"):
        raise Http404
    if chart == "all" and fmt != "xlsx":
        raise Http404
    filters, _errors = selectors.parse_filters(request.GET)
    try:
        data = selectors.dashboard_data(user=request.user, region_code=code, filters=filters)
    except NotFound as error:
        raise Http404(error.message) from error
    tables = selectors.dashboard_tables(data)
    if chart in ("platforms", "all"):
        rows = list(
            selectors.dashboard_platforms(user=request.user, region_code=code, filters=filters)
        )
        industries = selectors.platform_industries([row["platform_id"] for row in rows])
        tables["platforms"] = selectors.platform_table(rows, industries)
    filename = f"dashboard-{code or 'national'}-{data['filters']['cycle']}-{chart}"
    if chart == "all":
        return _xlsx_response(data, tables, filename)
    table = tables[chart]
    if fmt == "csv":
        return _csv_response(_preamble(data, table["title"]), table, filename)
    return _xlsx_response(data, {chart: table}, filename)


# --- Operator benchmark ---------------------------------------------------------------------------


@login_required
def benchmark(request: HttpRequest) -> HttpResponse:
    if request.user.role != Role.OPERATOR:
        raise Http404
    submissions = list(
        visible_submissions(request.user)
        .exclude(state="withdrawn")
        .select_related("platform__organisation", "cycle", "rubric_version")
        .defer("rubric_version__definition")  # parsed once per process by rubric_of
        .order_by("platform__name", "-cycle__opens_on")
    )
    chosen = None
    wanted = request.GET.get("submission", "")
    if wanted.isdigit():
        chosen = next((s for s in submissions if s.pk == int(wanted)), None)
        if chosen is None:
            raise Http404
    elif submissions:
        chosen = submissions[0]
    result = platform_benchmark(submission=chosen) if chosen else None
    table = None
    if result and result["scored"]:
        table = {
            "columns": [
                _("Dimension"),
                _("Your platform"),
                _("Peers: lower quartile"),
                _("Peers: median"),
                _("Peers: upper quartile"),
            ],
            "rows": [
                [
                    f"{row['code']} {row['title']}",
                    row["own"],
                    row.get("q1"),
                    row.get("median"),
                    row.get("q3"),
                ]
                for row in result["dimensions"]
            ],
        }
        table = _display_table(table)
    return render(
        request,
        "assessment/dashboards/benchmark.html",
        {
            "submissions": submissions,
            "chosen": chosen,
            "benchmark": result,
            "table": table,
            "radar": benchmark_figure(result) if result and result["scored"] else None,
            "k_anonymity": K_ANONYMITY,
        },
    )
