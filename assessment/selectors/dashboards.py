"""Dashboard reads: the one selector behind the regulator's dashboards, their exports, the
`metrics` command and the regional PDF report.

`dashboard_data(user=…, region_code=…, filters=…)` returns plain dicts (documented in
docs/dashboards.md); every figure is aggregated in SQL from the stored score summaries, with a
fixed number of queries, and cached per (region, filter set, language) until a score changes.
The metrics themselves are defined in assessment.metrics.
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assessment import metrics
from assessment.errors import NotFound
from assessment.metrics import METRICS, MetricCode
from assessment.models import (
    AssessmentCycle,
    EventKind,
    Industry,
    Platform,
    Region,
    RegionLevel,
    Role,
    Submission,
    SubmissionEvent,
    SubmissionState,
    Target,
    User,
)
from assessment.permissions import region_codes_in_scope
from assessment.presentation import join_list
from assessment.services.dashboard_cache import dashboard_cached
from questionnaires.choices import TIER_ORDER, PlatformKind, Result, Tier
from questionnaires.selectors import rubric_of

FILTER_FIELDS = ("cycle", "kind", "industry", "tier")
# The review pipeline, in order (withdrawn submissions are not in it).
PIPELINE_STATES = [
    SubmissionState.DRAFT,
    SubmissionState.SUBMITTED,
    SubmissionState.IN_REVIEW,
    SubmissionState.REVISION_REQUESTED,
    SubmissionState.RESUBMITTED,
    # The programme's stages (docs/programme.md).
    SubmissionState.RECOMMENDED,
    SubmissionState.EXPERT_REVIEW,
    SubmissionState.SITE_CHECK,
    SubmissionState.PUBLIC_NOTICE,
    SubmissionState.CERTIFIED,
]
# What the tile map can be coloured by: a key of each child row, and its label.
MAP_METRICS = {
    "influential_platforms": MetricCode.INFLUENTIAL_PLATFORMS.label,
    "connected_devices": MetricCode.CONNECTED_DEVICES.label,
    "platform_penetration": MetricCode.PLATFORM_PENETRATION.label,
    "platforms": _("Platforms taking part"),
    "certified": _("Certified platforms"),
    "mean_progress_index": _("Mean progress index"),
}
DEFAULT_MAP_METRIC = "influential_platforms"
_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


@dataclass(frozen=True)
class DashboardFilters:
    """The filter set of a dashboard view; empty means "all" (cycle: the latest)."""

    cycle: str = ""
    kind: str = ""
    industry: str = ""
    tier: str = ""

    def as_params(self) -> dict[str, str]:
        return {name: value for name, value in asdict(self).items() if value}


def _language() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh-hans"


def _round(value, places: int) -> float | None:
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def _whole(value):
    """A float that is a whole number as an int, so exports say 450, not 450.0."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _days(duration: timedelta | None) -> float | None:
    if duration is None:
        return None
    return _round(Decimal(duration.total_seconds()) / 86400, 1)


def short_region_name(region_name_zh: str, region_name_en: str, language: str) -> str:
    """A province's name without its administrative suffix (广西壮族自治区 → 广西), for tiles."""
    if language == "en":
        return region_name_en
    for suffix in _PROVINCE_SUFFIXES:
        if region_name_zh.endswith(suffix) and len(region_name_zh) > len(suffix) + 1:
            return region_name_zh.removesuffix(suffix)
    return region_name_zh


# --- Filters --------------------------------------------------------------------------------------


def filter_options() -> dict:
    """The choices of each filter (cycles newest first), cached like the dashboards."""
    language = _language()

    def build() -> dict:
        cycles = AssessmentCycle.objects.order_by("-opens_on", "-code")
        industries = Industry.objects.order_by("code")
        name = "name_en" if language == "en" else "name_zh_hans"
        title = "title_en" if language == "en" else "title_zh_hans"
        return {
            "cycles": [
                {"code": code, "title": text} for code, text in cycles.values_list("code", title)
            ],
            "kinds": [{"code": kind.value, "title": str(kind.label)} for kind in PlatformKind],
            "industries": [
                {"code": code, "title": f"{code} {text}", "name": text}
                for code, text in industries.values_list("code", name)
            ],
            "tiers": [{"code": tier.value, "title": str(tier.label)} for tier in Tier],
        }

    return dashboard_cached(("filter_options", language), build)


def parse_filters(params: Mapping[str, str]) -> tuple[DashboardFilters, dict[str, str]]:
    """Filters from query parameters; an unknown value is dropped, with an error for its field."""
    options = filter_options()
    allowed = {
        "cycle": {cycle["code"] for cycle in options["cycles"]},
        "kind": {kind["code"] for kind in options["kinds"]},
        "industry": {industry["code"] for industry in options["industries"]},
        "tier": {tier["code"] for tier in options["tiers"]},
    }
    labels = {
        "cycle": _("cycle"),
        "kind": _("platform kind"),
        "industry": _("industry"),
        "tier": _("certified tier"),
    }
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in FILTER_FIELDS:
        raw = (params.get(name) or "").strip()
        if not raw:
            continue
        if raw in allowed[name]:
            values[name] = raw
        else:
            errors[name] = str(
                _("“%(value)s” is not a known %(field)s; the filter was left out.")
                % {"value": raw[:40], "field": labels[name]}
            )
    return DashboardFilters(**values), errors


# --- Scope ----------------------------------------------------------------------------------------


_UNSET = object()


def user_scope(user: User) -> set[str] | None:
    """`region_codes_in_scope(user)`, worked out once per user object (i.e. per request)."""
    scope = getattr(user, "_dashboard_scope", _UNSET)
    if scope is _UNSET:
        scope = region_codes_in_scope(user)
        user._dashboard_scope = scope
    return scope


def dashboard_region(*, user: User | None, region_code: str | None) -> Region | None:
    """The region whose dashboard is asked for (None: national), if the user may see it.

    `user=None` is a trusted caller (the `metrics` command, background tasks). Operators see no
    dashboard; reviewers, regulators and administrators see their regions (a province includes
    its cities) and the national dashboard only with national scope. Out of scope is NotFound.
    """
    missing = NotFound("not_found", _("That page does not exist or you may not see it."))
    if user is not None:
        if not user.is_authenticated or (user.role == Role.OPERATOR and not user.is_admin):
            raise missing
        codes = user_scope(user)
        if region_code is None:
            if codes is not None:
                raise missing
            return None
        if codes is not None and region_code not in codes:
            raise missing
    if region_code is None:
        return None
    region = Region.objects.select_related("parent").filter(code=region_code).first()
    if region is None:
        raise missing
    return region


def may_open_region(scope_codes: set[str] | None, region_code: str | None) -> bool:
    """Whether a dashboard link (breadcrumb, drill-down) would open for a user whose
    `region_codes_in_scope` are `scope_codes` (None: national scope)."""
    if scope_codes is None:
        return True
    return region_code is not None and region_code in scope_codes


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


_EVENT_TIMED_STATES = (SubmissionState.REVISION_REQUESTED, SubmissionState.CERTIFIED)


def _field_waiting_time(now: Value):
    """Days in the current state from the submission's own fields: a draft since it was
    started, other open states since (re)submission (NULL for the event-timed states)."""
    return Case(
        When(state__in=_EVENT_TIMED_STATES, then=Value(None)),
        When(state=SubmissionState.DRAFT, then=now - F("created_at")),
        default=ExpressionWrapper(
            now - Coalesce("submitted_at", "created_at"), output_field=DurationField()
        ),
        output_field=DurationField(),
    )


def _event_waits(in_cycle, now: Value) -> dict[str, dict]:
    """Waiting times timed by the state-change event that entered the current state: a revision
    request since it was made; certified: from submission to certification. One row per
    submission (its latest entry into the state, found by an anti-join), grouped by state."""
    later = SubmissionEvent.objects.filter(
        submission=OuterRef("submission"),
        kind=EventKind.STATE_CHANGED,
        to_state=OuterRef("to_state"),
    ).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), id__gt=OuterRef("id"))
    )
    wait = Case(
        When(
            to_state=SubmissionState.CERTIFIED,
            then=F("created_at") - Coalesce("submission__submitted_at", "submission__created_at"),
        ),
        default=ExpressionWrapper(now - F("created_at"), output_field=DurationField()),
        output_field=DurationField(),
    )
    entries = (
        SubmissionEvent.objects.filter(
            kind=EventKind.STATE_CHANGED,
            submission__in=in_cycle.filter(state__in=_EVENT_TIMED_STATES).values("id"),
            to_state=F("submission__state"),
        )
        .exclude(Exists(later))
        .values("to_state")
        .annotate(mean_wait=Avg(wait), max_wait=Max(wait))
        .order_by()
    )
    return {row["to_state"]: row for row in entries}


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
    key = ("dashboard", region.code if region else "national", *asdict(resolved).values(), language)
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
    }


# --- The filtered platform list -------------------------------------------------------------------


def dashboard_platforms(
    *, user: User | None, region_code: str | None = None, filters: DashboardFilters
) -> QuerySet:
    """The submissions of the dashboard's population in the selected cycle, one row (a dict) per
    platform, for the platform list and its export. Not cached; paginate it."""
    region = dashboard_region(user=user, region_code=region_code)
    options = filter_options()
    cycle_code = filters.cycle or (options["cycles"][0]["code"] if options["cycles"] else "")
    children_codes = []
    if region is not None and region.level == RegionLevel.PROVINCE:
        children_codes = list(
            Region.objects.filter(parent_id=region.code).values_list("code", flat=True)
        )
    language = _language()
    name_field = "name_en" if language == "en" else "name_zh_hans"
    return (
        _population(region, children_codes, filters)
        .filter(cycle__code=cycle_code)
        .values(
            "id",
            "state",
            "platform_kind",
            "platform_id",
            platform_name=F("platform__name"),
            organisation_name=F("platform__organisation__name"),
            region_code=F("platform__region_id"),
            region_name=F(f"platform__region__{name_field}"),
            certified_tier=Case(
                When(
                    certification__status=metrics.CERTIFIED_STATUS,
                    then=F("certification__tier"),
                ),
                default=Value(""),
            ),
            result=F("score_summary__result"),
            progress_index=F("score_summary__progress_index"),
            connected_devices=F("score_summary__connected_devices"),
            enterprises_served=F("score_summary__enterprises_served"),
        )
        .order_by("platform__region_id", "platform__name", "id")
    )


def platform_industries(platform_ids: list[int], *, labelled: bool = True) -> dict[int, list[str]]:
    """Industries per platform as "C 制造业" (code and name in the reader's language), or as bare
    codes for the API (`labelled=False`), one query."""
    english = (get_language() or "").startswith("en")
    industries: dict[int, list[str]] = {}
    for platform_id, code, name_zh, name_en in (
        Platform.industries.through.objects.filter(platform_id__in=platform_ids)
        .order_by("industry_id")
        .values_list("platform_id", "industry_id", "industry__name_zh_hans", "industry__name_en")
    ):
        label = f"{code} {name_en if english else name_zh}" if labelled else code
        industries.setdefault(platform_id, []).append(label)
    return industries


# --- Tables: the data behind each chart (page tables for screen readers, CSV and XLSX) ------------

# The charts of a dashboard, in page order; each has a table of the same name.
CHART_NAMES = ("targets", "map", "tiers", "kinds", "heatmap", "pipeline", "trend")


def _yes_no(value: bool | None) -> str | None:
    if value is None:
        return None
    return str(_("yes")) if value else str(_("no"))


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
    return tables


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
