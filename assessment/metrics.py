"""The Action Plan's 2028 metrics, defined once. Every chart, export, CLI and report uses these.

Who counts:
- A cycle's figures come from that cycle's submissions (one per platform); withdrawn submissions
  never count. A platform certified last cycle and not assessed this cycle counts in last
  cycle's figures only.
- "Certified" means a `Certification` with status certified (not awaiting sign-off, not revoked);
  its tier is the certified tier.
- Answers feeding a metric count only when a reviewer verified (or corrected) them: the scoring
  service stores them in `ScoreSummary.connected_devices` / `enterprises_served` only then.

The metrics:
- influential platforms: platforms certified at `INFLUENTIAL_PLATFORM_MIN_TIER` (default growth)
  or above;
- connected industrial devices: the sum of the verified connected-device answers;
- platform penetration: enterprises served by certified platforms ÷ industrial enterprises of the
  region (the denominator entered by administrators), in per cent.

The SQL side (`submission_sums`) gives additive sums per group, so a region's figures are the sum
of its children's; the Python side (`metric_values`, `penetration`, …) turns sums into metric
values with plain data in and out.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from questionnaires.choices import TIER_ORDER

# The indicator whose verified answer feeds each metric input, by rubric code.
METRIC_INDICATORS = {
    "iip-2026": {"connected_devices": "D1.2", "enterprises_served": "D5.1"},
}


class MetricCode(models.TextChoices):
    INFLUENTIAL_PLATFORMS = "influential_platforms", _("Influential platforms")
    CONNECTED_DEVICES = "connected_devices", _("Connected industrial devices")
    PLATFORM_PENETRATION = "platform_penetration", _("Platform penetration")


class Comparison(models.TextChoices):
    GREATER = "gt", _("more than")
    AT_LEAST = "gte", _("at least")


@dataclass(frozen=True)
class Metric:
    code: str
    label: str | Promise
    unit: str  # "count" or "percent"
    definition: str | Promise
    # A ratio means the same in every region, so a national target applies to each region too;
    # a count does not (a province is not expected to reach the national count).
    applies_to_regions: bool


METRICS: dict[str, Metric] = {
    MetricCode.INFLUENTIAL_PLATFORMS: Metric(
        code=MetricCode.INFLUENTIAL_PLATFORMS,
        label=MetricCode.INFLUENTIAL_PLATFORMS.label,
        unit="count",
        definition=_("Platforms certified at growth tier or above in the cycle."),
        applies_to_regions=False,
    ),
    MetricCode.CONNECTED_DEVICES: Metric(
        code=MetricCode.CONNECTED_DEVICES,
        label=MetricCode.CONNECTED_DEVICES.label,
        unit="count",
        definition=_("Sum of the connected-device answers verified by reviewers."),
        applies_to_regions=False,
    ),
    MetricCode.PLATFORM_PENETRATION: Metric(
        code=MetricCode.PLATFORM_PENETRATION,
        label=MetricCode.PLATFORM_PENETRATION.label,
        unit="percent",
        definition=_(
            "Enterprises served by certified platforms as a share of the region's industrial "
            "enterprises."
        ),
        applies_to_regions=True,
    ),
}

# States whose submission takes part in a cycle's figures, and those whose scores are claims
# (a draft's partial answers are left out of score averages).
WITHDRAWN_STATE = "withdrawn"
ASSESSED_STATES = ("submitted", "in_review", "revision_requested", "resubmitted", "certified")
CERTIFIED_STATUS = "certified"


def influential_tiers() -> tuple[str, ...]:
    """The certified tiers that make a platform influential (the setting's tier and above)."""
    minimum = getattr(settings, "INFLUENTIAL_PLATFORM_MIN_TIER", "growth")
    return tuple(TIER_ORDER[TIER_ORDER.index(minimum) :])


# --- SQL: additive sums per group of submissions ------------------------------------------------


def certified_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}certification__status": CERTIFIED_STATUS})


def submission_sums(prefix: str = "") -> dict[str, models.Aggregate]:
    """Aggregates over Submission rows (or rows reaching a submission through `prefix`).

    Every value is additive: the figures of a region are the sums of its children's.
    """
    certified = certified_q(prefix)
    sums: dict[str, models.Aggregate] = {"platforms": Count(f"{prefix}id")}
    for tier in TIER_ORDER:
        sums[f"certified_{tier}"] = Count(
            f"{prefix}id", filter=certified & Q(**{f"{prefix}certification__tier": tier})
        )
    assessed = Q(**{f"{prefix}state__in": ASSESSED_STATES})
    sums["assessed"] = Count(f"{prefix}id", filter=assessed)
    sums["progress_sum"] = Sum(f"{prefix}score_summary__progress_index", filter=assessed)
    sums["connected_devices"] = Sum(f"{prefix}score_summary__connected_devices")
    sums["enterprises_served"] = Sum(f"{prefix}score_summary__enterprises_served", filter=certified)
    return sums


def empty_sums() -> dict[str, int | Decimal]:
    sums: dict[str, int | Decimal] = {"platforms": 0, "assessed": 0, "progress_sum": Decimal(0)}
    sums |= {f"certified_{tier}": 0 for tier in TIER_ORDER}
    sums |= {"connected_devices": 0, "enterprises_served": 0}
    return sums


def add_sums(total: dict, row: Mapping) -> dict:
    """Add one group's sums into `total` (None, SQL's empty sum, counts as 0)."""
    for key in total:
        total[key] += row.get(key) or 0
    return total


# --- Python: metric values from sums (plain data in and out) ------------------------------------


def _round(value: Decimal, places: int) -> float:
    return float(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def certified_by_tier(sums: Mapping) -> dict[str, int]:
    return {tier: int(sums.get(f"certified_{tier}") or 0) for tier in TIER_ORDER}


def influential_platforms(sums: Mapping) -> int:
    return sum(int(sums.get(f"certified_{tier}") or 0) for tier in influential_tiers())


def penetration(enterprises_served: int | None, industrial_enterprises: int | None) -> float | None:
    """Per cent, two decimals; None when the region's denominator is unknown or zero."""
    if not industrial_enterprises:
        return None
    served = Decimal(enterprises_served or 0)
    return _round(served * 100 / Decimal(industrial_enterprises), 2)


def mean_progress_index(sums: Mapping) -> float | None:
    assessed = int(sums.get("assessed") or 0)
    if not assessed:
        return None
    return _round(Decimal(sums.get("progress_sum") or 0) / assessed, 2)


def region_denominator(own: int | None, children: Iterable[int | None]) -> int | None:
    """A region's industrial enterprises: its own figure, else the sum of its children's when
    every child has one (a partial sum would overstate penetration), else unknown."""
    if own is not None:
        return own
    values = list(children)
    if not values or any(value is None for value in values):
        return None
    return sum(values)


def metric_values(
    sums: Mapping, industrial_enterprises: int | None
) -> dict[str, int | float | None]:
    """The three metrics of one group (a region, a cycle) from its sums."""
    return {
        MetricCode.INFLUENTIAL_PLATFORMS: influential_platforms(sums),
        MetricCode.CONNECTED_DEVICES: int(sums.get("connected_devices") or 0),
        MetricCode.PLATFORM_PENETRATION: penetration(
            sums.get("enterprises_served"), industrial_enterprises
        ),
    }


def target_met(value: float | int | None, comparison: str, target: Decimal | float) -> bool | None:
    if value is None:
        return None
    if comparison == Comparison.GREATER:
        return Decimal(str(value)) > Decimal(str(target))
    return Decimal(str(value)) >= Decimal(str(target))


def target_gap(value: float | int | None, target: Decimal | float) -> float | int | None:
    """How far the value is from the target (positive: still to go; zero or less: reached)."""
    if value is None:
        return None
    gap = Decimal(str(target)) - Decimal(str(value))
    return int(gap) if gap == gap.to_integral_value() else _round(gap, 2)
