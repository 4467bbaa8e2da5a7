"""The dashboards' filters (cycle, platform kind, industry, certified tier), their choices, and
the small helpers every part of the dashboards shares."""

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assessment.metrics import MetricCode
from assessment.models import (
    AssessmentCycle,
    Industry,
    SubmissionState,
)
from assessment.services.dashboard_cache import dashboard_cached
from questionnaires.choices import PlatformKind, Tier

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
