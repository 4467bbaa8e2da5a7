"""The regional report: a province's or the nation's summary of a cycle as a signed PDF."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessment import metrics
from assessment.errors import NotFound, PermissionDenied
from assessment.metrics import METRICS, MetricCode
from assessment.models import (
    AssessmentCycle,
    Region,
    User,
)
from assessment.selectors import reports as report_selectors
from assessment.services import (
    report_charts,
    report_formal,
    report_narrative,
    signing,
)
from assessment.services.reports.facts import _check_language
from assessment.services.reports.render import _footer_css, render_pdf

# --- Regional report ---------------------------------------------------------------------------

# The figure of each metric in regional_report_data.
_METRIC_VALUE_KEYS = {
    MetricCode.INFLUENTIAL_PLATFORMS: "influential_platforms",
    MetricCode.CONNECTED_DEVICES: "connected_devices",
    MetricCode.PLATFORM_PENETRATION: "penetration",
}


def national_target_rows(data: dict[str, Any], region: Region | None) -> list[dict[str, Any]]:
    """Each national target beside the region's own figure of its metric, and the region's own
    target of that metric where one is entered. A count's share is the region's part of the
    national goal (a province is not expected to reach it alone); a ratio has no share, its
    national goal applies to every region as it stands."""
    if region is None:
        return []
    own_targets: dict[str, list[dict[str, Any]]] = {}
    for target in data["targets"]:
        if target["scope"] == region.code:
            own_targets.setdefault(target["metric"], []).append(target)
    order = list(MetricCode)
    language = translation.get_language()
    rows = []
    for target in sorted(data["national_targets"], key=lambda t: order.index(t.metric)):
        metric = METRICS[target.metric]
        value = data[_METRIC_VALUE_KEYS[target.metric]]
        goal = target.target_value
        share = None
        if metric.unit == "count":
            if value is not None and goal:
                share = round(Decimal(value) * 100 / goal, 1)
            goal_text = report_formal.large_number(goal)
            value_text = report_formal.large_number(value)
        else:
            goal_text = f"{report_formal.large_number(goal)}%"
            # Penetration is an upper bound (an enterprise is counted once per platform).
            value_text = "—" if value is None else f"≤ {value:.2f}%"
        rows.append(
            {
                "label": target.name_en if language == "en" else target.name_zh_hans,
                "metric": target.metric,
                "unit": metric.unit,
                "goal": goal,
                "goal_text": f"{target.get_comparison_display()} {goal_text}",
                "value": value,
                "value_text": value_text,
                "share": share,
                "met": metrics.target_met(value, target.comparison, goal)
                if metric.unit == "percent"
                else None,
                "own_targets": own_targets.get(target.metric, []),
            }
        )
    return rows


def _regional_charts(data: dict[str, Any]) -> dict[str, SafeString]:
    tier_labels = [tier["label"] for tier in data["tiers"]]
    charts: dict[str, SafeString] = {}
    areas = [area for area in data["areas"] if area["total"]] or data["areas"]
    if areas:
        charts["areas"] = report_charts.as_image(
            report_charts.tier_distribution_bars(
                [area["name"] for area in areas], [area["counts"] for area in areas], tier_labels
            ),
            gettext("Certified platforms by area and tier"),
        )
    if data["region"] is None:
        tiles = [
            (area["short_name"],
             area["tile"][0], area["tile"][1], area["total"])
            for area in data["areas"]
            if area["tile"][0] is not None
        ]  # fmt: skip
        charts["map"] = report_charts.as_image(
            report_charts.tile_map(tiles, gettext("Certified platforms by province")),
            gettext("Map of certified platforms by province"),
        )
    if data["progress_values"]:
        charts["progress"] = report_charts.as_image(
            report_charts.progress_histogram(
                data["progress_values"],
                gettext("Progress index S (0–4)"),
                data.get("progress_results"),
            ),
            gettext("Distribution of the progress index S"),
        )
    return charts


def regional_report_pdf(*, cycle: AssessmentCycle, region: Region | None, language: str) -> bytes:
    language = _check_language(language)
    with translation.override(language):
        data = report_selectors.regional_report_data(cycle, region)
        scope = region.name if region is not None else gettext("Nation")
        reference = f"IIP-R-{cycle.code}-{region.code if region else '000000'}"
        generated = timezone.localtime()
        context = {
            **data,
            "scope": scope,
            "reference": reference,
            "generated_at": generated,
            "charts": _regional_charts(data),
            "national_target_rows": national_target_rows(data, region),
            "narrative": report_narrative.regional_narrative(data, scope),
            "language_code": language,
            "footer_css": _footer_css(
                gettext("Regional report %(reference)s") % {"reference": reference},
                gettext("Regional report · %(scope)s · %(cycle)s")
                % {"scope": scope, "cycle": cycle.code},
            ),
        }
        html = render_to_string("reports/regional.html", context)
    return signing.pdf_sign(render_pdf(html))


def regional_report_region(*, user: User, region_code: str) -> Region | None:
    """The region a user may get a regional report for ('' = the nation); 404 otherwise."""
    if not report_selectors.can_request_regional_reports(user):
        raise NotFound("not_found", _("That page does not exist or you may not see it."))
    if not region_code:
        if report_selectors.can_see_nation(user):
            return None
        raise PermissionDenied(
            "nation_out_of_scope", _("Choose one of your regions."), field="region"
        )
    region = report_selectors.batch_regions(user).filter(code=region_code).first()
    if region is None:
        raise NotFound("not_found", _("That page does not exist or you may not see it."))
    return region
