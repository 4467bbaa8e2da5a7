"""The figures of one dashboard (national, a province, a city): sums per cycle and child region,
platforms by kind and industry, the dimension heatmap, the pipeline, targets, and the annual
monitoring section; `dashboard_data` caches them."""

from collections.abc import Mapping
from dataclasses import asdict
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    F,
    Max,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment import metrics
from assessment.metrics import METRICS, MetricCode
from assessment.models import (
    AssessmentCycle,
    Region,
    RegionLevel,
    Submission,
    SubmissionState,
    Target,
    User,
)
from assessment.selectors.dashboards.filters import (
    PIPELINE_STATES,
    DashboardFilters,
    _days,
    _language,
    _round,
    filter_options,
    short_region_name,
)
from assessment.selectors.dashboards.monitoring import monitoring_section
from assessment.selectors.dashboards.pipeline import _event_waits, _field_waiting_time
from assessment.selectors.dashboards.scope import dashboard_region
from assessment.services.dashboard_cache import dashboard_cached
from questionnaires.choices import TIER_ORDER, PlatformKind
from questionnaires.selectors import rubric_of

# --- Building the figures -------------------------------------------------------------------------


def _population(region: Region | None, children_codes: list[str], filters: DashboardFilters):
    """The submissions counted, before the cycle filter: not withdrawn, in the region, filtered."""
    submissions = Submission.objects.exclude(state=SubmissionState.WITHDRAWN)
    if region is not None:
        submissions = submissions.filter(platform__region_id__in=[region.code, *children_codes])
    if filters.kind:
        submissions = submissions.filter(platform_kind=filters.kind)
    if filters.industry:
        submissions = submissions.filter(platform__industries=filters.industry)
    if filters.tier:
        submissions = submissions.filter(
            certification__status=metrics.CERTIFIED_STATUS, certification__tier=filters.tier
        )
    return submissions


def _child_expression(region: Region | None):
    """Groups submissions by the next level down: province (by code prefix) or city."""
    if region is None:
        return Substr("platform__region_id", 1, 2)
    return F("platform__region_id")


def _child_key(region: Region | None, code: str) -> str:
    return f"{code}0000" if region is None else code


def _children(region: Region | None) -> list[dict]:
    """The rows of the level below (provinces, or a province's cities); a city's only row is
    the city itself."""
    regions = Region.objects.order_by("code")
    if region is None:
        regions = regions.filter(level=RegionLevel.PROVINCE)
    elif region.level == RegionLevel.CITY:
        regions = regions.filter(code=region.code)
    else:
        regions = regions.filter(parent_id=region.code)
    regions = regions.annotate(
        children_count=Count("children"),
        children_known=Count("children__industrial_enterprises"),
        children_enterprises=Sum("children__industrial_enterprises"),
    )
    children = []
    for row in regions.values(
        "code",
        "name_zh_hans",
        "name_en",
        "tile_row",
        "tile_col",
        "industrial_enterprises",
        "children_count",
        "children_known",
        "children_enterprises",
    ):
        own = row["industrial_enterprises"]
        if own is None and row["children_count"] and row["children_known"] == row["children_count"]:
            own = row["children_enterprises"]
        children.append({**row, "denominator": own})
    return children


def _region_denominator(region: Region | None, children: list[dict]) -> int | None:
    if region is not None and region.level == RegionLevel.CITY:
        return region.industrial_enterprises
    own = region.industrial_enterprises if region is not None else None
    return metrics.region_denominator(own, [child["denominator"] for child in children])


def _figures_of(sums: Mapping, denominator: int | None) -> dict:
    values = metrics.metric_values(sums, denominator)
    certified = metrics.certified_by_tier(sums)
    return {
        "platforms": int(sums.get("platforms") or 0),
        "certified": sum(certified.values()),
        "certified_by_tier": certified,
        "influential_platforms": values[MetricCode.INFLUENTIAL_PLATFORMS],
        "connected_devices": values[MetricCode.CONNECTED_DEVICES],
        "platform_penetration": values[MetricCode.PLATFORM_PENETRATION],
        "enterprises_served": int(sums.get("enterprises_served") or 0),
        "industrial_enterprises": denominator,
        "mean_progress_index": metrics.mean_progress_index(sums),
    }


def _targets(region: Region | None) -> list[Target]:
    """The targets that apply to the region: per metric, those of the most specific scope (the
    region, its province, national). A count target (platforms, devices) applies to its own
    region only: a province's target is not a city's, nor the nation's a province's."""
    scopes = [None] if region is None else [region.code, region.parent_id, None]
    found = list(
        Target.objects.filter(Q(region__isnull=True) | Q(region_id__in=[s for s in scopes if s]))
    )
    chosen: list[Target] = []
    for metric_code in MetricCode:
        for scope in scopes:
            own = region.code if region is not None else None
            if scope != own and not METRICS[metric_code].applies_to_regions:
                continue
            matching = [t for t in found if t.metric == metric_code and t.region_id == scope]
            if matching:
                chosen.extend(sorted(matching, key=lambda target: target.deadline))
                break
    return chosen


def _build(region: Region | None, filters: DashboardFilters, language: str) -> dict:
    cycles = list(AssessmentCycle.objects.select_related("rubric_version").order_by("opens_on"))
    cycle = next((c for c in cycles if c.code == filters.cycle), cycles[-1] if cycles else None)
    children = _children(region)
    children_codes = [child["code"] for child in children]
    denominator = _region_denominator(region, children)
    population = _population(region, children_codes, filters)
    child = _child_expression(region)

    # 1. Additive sums per cycle and child region: the totals, the children and the trend.
    per_cycle = {c.pk: metrics.empty_sums() for c in cycles}
    per_child = {code: metrics.empty_sums() for code in children_codes}
    for row in population.values("cycle_id", child_code=child).annotate(
        **metrics.submission_sums()
    ):
        metrics.add_sums(per_cycle[row["cycle_id"]], row)
        key = _child_key(region, row["child_code"])
        if cycle is not None and row["cycle_id"] == cycle.pk and key in per_child:
            metrics.add_sums(per_child[key], row)
    totals_sums = per_cycle[cycle.pk] if cycle else metrics.empty_sums()
    totals = _figures_of(totals_sums, denominator)
    trend = [
        {"cycle": c.code, "title": c.title, **_figures_of(per_cycle[c.pk], denominator)}
        for c in cycles
    ]

    children_rows = []
    for row in children:
        name = row["name_en"] if language == "en" else row["name_zh_hans"]
        children_rows.append(
            {
                "code": row["code"],
                "name": name,
                "short_name": short_region_name(row["name_zh_hans"], row["name_en"], language),
                "tile_row": row["tile_row"],
                "tile_col": row["tile_col"],
                **_figures_of(per_child[row["code"]], row["denominator"]),
            }
        )

    in_cycle = population.filter(cycle=cycle) if cycle else population.none()
    monitoring = monitoring_section(
        region,
        [{key: row[key] for key in ("code", "name", "short_name")} for row in children_rows],
        children_codes,
        filters,
        lambda code: _child_key(region, code),
    )

    # 2. Platforms by kind and industry (a platform serving two industries counts in both).
    kinds_by_industry = []
    industry_names = {option["code"]: option["name"] for option in filter_options()["industries"]}
    for row in (
        in_cycle.values("platform_kind", industry=F("platform__industries"))
        .annotate(platforms=Count("id"))
        .order_by("industry", "platform_kind")
    ):
        if row["industry"] is None:
            continue
        kinds_by_industry.append(
            {
                "industry": row["industry"],
                "industry_name": industry_names.get(row["industry"], row["industry"]),
                "kind": row["platform_kind"],
                "kind_label": str(PlatformKind(row["platform_kind"]).label),
                "platforms": row["platforms"],
            }
        )

    # 3. Dimension heatmap: mean dimension score at the tier in reach, per child region.
    dimensions = []
    if cycle is not None:
        rubric = rubric_of(cycle.rubric_version)
        dimensions = [
            {"code": dimension.code, "title": dimension.title.get(language)}
            for dimension in rubric.dimensions
        ]
    means: dict[str, dict[str, float | None]] = {code: {} for code in children_codes}
    region_means: dict[str, float | None] = {}
    counts: dict[str, int] = {}
    heat_rows = (
        in_cycle.filter(state__in=metrics.ASSESSED_STATES)
        .values(child_code=child, dimension=F("dimension_scores__dimension_code"))
        .annotate(mean_sum=Sum("dimension_scores__mean"), scored=Count("dimension_scores__id"))
        .order_by()
    )
    region_sums: dict[str, list] = {}
    for row in heat_rows:
        if row["dimension"] is None:
            continue
        key = _child_key(region, row["child_code"])
        if key in means:
            means[key][row["dimension"]] = _round(Decimal(row["mean_sum"]) / row["scored"], 4)
            counts[key] = max(counts.get(key, 0), row["scored"])
        running = region_sums.setdefault(row["dimension"], [Decimal(0), 0])
        running[0] += Decimal(row["mean_sum"])
        running[1] += row["scored"]
    for code, (total, scored) in region_sums.items():
        region_means[code] = _round(total / scored, 4) if scored else None
    heatmap = {
        "dimensions": dimensions,
        "rows": [
            {
                "code": row["code"],
                "name": row["name"],
                "submissions": counts.get(row["code"], 0),
                "means": {d["code"]: means[row["code"]].get(d["code"]) for d in dimensions},
            }
            for row in children_rows
        ],
        "overall": {d["code"]: region_means.get(d["code"]) for d in dimensions},
    }

    # 4. Review pipeline with waiting times.
    now = Value(timezone.now())
    by_state = {
        row["state"]: row
        for row in in_cycle.values("state")
        .annotate(
            submissions=Count("id"),
            mean_wait=Avg(_field_waiting_time(now)),
            max_wait=Max(_field_waiting_time(now)),
        )
        .order_by()
    }
    for state, waits in _event_waits(in_cycle, now).items():
        if state in by_state:
            by_state[state] |= {"mean_wait": waits["mean_wait"], "max_wait": waits["max_wait"]}
    pipeline = [
        {
            "state": state.value,
            "label": str(state.label),
            "submissions": by_state.get(state, {}).get("submissions", 0),
            "mean_wait_days": _days(by_state.get(state, {}).get("mean_wait")),
            "max_wait_days": _days(by_state.get(state, {}).get("max_wait")),
        }
        for state in PIPELINE_STATES
    ]

    # 5. Targets, with their trend per cycle.
    targets = []
    for target in _targets(region):
        metric = METRICS[target.metric]
        value = totals[target.metric]
        targets.append(
            {
                "id": target.pk,
                "name": target.name_en if language == "en" else target.name_zh_hans,
                "metric": target.metric,
                "metric_label": str(metric.label),
                "definition": str(metric.definition),
                "unit": metric.unit,
                "comparison": target.comparison,
                "target": _round(target.target_value, 2),
                "deadline": target.deadline.isoformat(),
                "scope": target.region_id,
                "value": value,
                "gap": metrics.target_gap(value, target.target_value),
                "met": metrics.target_met(value, target.comparison, target.target_value),
                "trend": [
                    {"cycle": point["cycle"], "value": point[target.metric]} for point in trend
                ],
            }
        )

    breadcrumbs = [{"code": None, "name": str(_("National")), "level": "national"}]
    if region is not None:
        if region.parent is not None:
            parent = region.parent
            breadcrumbs.append(
                {
                    "code": parent.code,
                    "name": parent.name_en if language == "en" else parent.name_zh_hans,
                    "level": parent.level,
                }
            )
        breadcrumbs.append(
            {
                "code": region.code,
                "name": region.name_en if language == "en" else region.name_zh_hans,
                "level": region.level,
            }
        )
    return {
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "language": language,
        "region": breadcrumbs[-1] if region is not None else None,
        "breadcrumbs": breadcrumbs,
        "children_level": (
            RegionLevel.PROVINCE.value
            if region is None
            else (RegionLevel.CITY.value if region.level == RegionLevel.PROVINCE else None)
        ),
        "filters": {**asdict(filters), "cycle": cycle.code if cycle else ""},
        "cycle": {"code": cycle.code, "title": cycle.title} if cycle else None,
        "tiers": list(TIER_ORDER),
        "totals": totals,
        "targets": targets,
        "children": children_rows,
        "kinds_by_industry": kinds_by_industry,
        "heatmap": heatmap,
        "pipeline": pipeline,
        "trend": trend,
        "monitoring": monitoring,
    }


def dashboard_data(
    *, user: User | None, region_code: str | None = None, filters: DashboardFilters
) -> dict:
    """Everything a dashboard shows, as plain dicts (see docs/dashboards.md for the shape).

    Raises NotFound when the user may not see that region (see `dashboard_region`).
    """
    region = dashboard_region(user=user, region_code=region_code)
    language = _language()
    options = filter_options()
    cycle = filters.cycle or (options["cycles"][0]["code"] if options["cycles"] else "")
    resolved = DashboardFilters(
        cycle=cycle, kind=filters.kind, industry=filters.industry, tier=filters.tier
    )
    # The day is part of the key: certifications leave the figures on their expiry date.
    key = (
        "dashboard",
        region.code if region else "national",
        *asdict(resolved).values(),
        language,
        timezone.localdate().isoformat(),
    )
    return dashboard_cached(key, lambda: _build(region, resolved, language))


def metrics_summary(data: Mapping) -> dict:
    """The figures the `metrics` command prints, taken from a `dashboard_data` result."""
    totals = data["totals"]
    return {
        "region": data["region"]["code"] if data["region"] else None,
        "filters": data["filters"],
        "platforms": totals["platforms"],
        "tiers": totals["certified_by_tier"],
        "metrics": {code.value: totals[code.value] for code in MetricCode},
        "targets": [
            {
                "name": target["name"],
                "metric": target["metric"],
                "comparison": target["comparison"],
                "target": target["target"],
                "deadline": target["deadline"],
                "value": target["value"],
                "gap": target["gap"],
                "met": target["met"],
            }
            for target in data["targets"]
        ],
        "monitoring": _monitoring_summary(data["monitoring"]),
    }


def _monitoring_summary(monitoring: Mapping) -> dict:
    """The monitoring figures without the display names (codes only, as elsewhere in JSON)."""
    figures = ("due", "filed", "filed_share", "missing", "flagged", "decisions")
    window = monitoring["window"]
    return {
        "year": window["year"] if window else None,
        "totals": {key: monitoring["totals"][key] for key in figures},
        "regions": [
            {"code": row["code"], **{key: row[key] for key in figures}}
            for row in monitoring["children"]
        ],
        "per_year": monitoring["per_year"],
    }
