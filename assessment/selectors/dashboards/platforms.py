"""The filtered platform list of a dashboard (the city dashboard's table and its export)."""

from django.db.models import (
    Case,
    F,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import get_language

from assessment import metrics
from assessment.models import (
    Platform,
    Region,
    RegionLevel,
    User,
)
from assessment.selectors.dashboards.filters import DashboardFilters, _language, filter_options
from assessment.selectors.dashboards.regional import _population
from assessment.selectors.dashboards.scope import dashboard_region

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
