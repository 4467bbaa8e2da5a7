"""The dashboards' annual-monitoring section (issue #15): monitoring compliance per child region
(returns due, filed, filed share, flagged, decisions by kind) for the latest monitoring year,
and the downgrades and exits (revocations, expiries) per monitoring year.

Counted in SQL with a fixed number of queries whatever the number of platforms: the latest
window, returns per region, each return's latest decision per region and kind, decisions per
year, expiries per year. The dashboard's kind and industry filters apply (to the certified
submission); the tier filter means the tier certified when the window opened (a return), before
the decision (a decision) or at expiry; the cycle filter does not apply, since a year's
monitoring covers the certifications of every earlier cycle.
"""

from collections.abc import Mapping

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import ExtractYear, Substr
from django.utils import timezone

from assessment.models import (
    Certification,
    MonitoringDecision,
    MonitoringDecisionKind,
    MonitoringReturn,
    MonitoringReturnState,
    MonitoringWindow,
    Region,
)
from assessment.models.reviews import CertificationStatus

DECISION_KINDS = tuple(MonitoringDecisionKind.values)


def _share(part: int, whole: int) -> float | None:
    """Per cent, one decimal; None when nothing was due."""
    if not whole:
        return None
    return round(part * 100 / whole, 1)


def _row(due=0, filed=0, missing=0, flagged=0, decisions=None) -> dict:
    decisions = {kind: 0 for kind in DECISION_KINDS} | dict(decisions or {})
    return {
        "due": due,
        "filed": filed,
        "filed_share": _share(filed, due),
        "missing": missing,
        "flagged": flagged,
        "decisions": decisions,
    }


def _add(total: dict, row: Mapping) -> None:
    for key in ("due", "filed", "missing", "flagged"):
        total[key] += row[key]
    for kind in DECISION_KINDS:
        total["decisions"][kind] += row["decisions"][kind]
    total["filed_share"] = _share(total["filed"], total["due"])


def _child(field: str, region: Region | None):
    """Groups by the next level down, like the rest of the dashboard: province (by code
    prefix) on the national dashboard, else the platform's own region (a city)."""
    return Substr(field, 1, 2) if region is None else F(field)


def _scoped(queryset, prefix: str, region: Region | None, children_codes: list[str], filters):
    """`queryset` limited to the region and the filters, reaching the certified submission
    through `prefix` (e.g. "certification__submission__")."""
    if region is not None:
        queryset = queryset.filter(
            **{f"{prefix}platform__region_id__in": [region.code, *children_codes]}
        )
    if filters.kind:
        queryset = queryset.filter(**{f"{prefix}platform_kind": filters.kind})
    if filters.industry:
        queryset = queryset.filter(**{f"{prefix}platform__industries": filters.industry})
    return queryset


def monitoring_section(
    region: Region | None, children: list[dict], children_codes: list[str], filters, child_key
) -> dict:
    """The monitoring figures of a dashboard (shape in docs/dashboards.md).

    `children` are the dashboard's child rows (code, name, short_name); `child_key(code)` maps
    the grouping value (a province prefix or a city code) to a child's code."""
    region_field = "certification__submission__platform__region_id"
    window = MonitoringWindow.objects.order_by("-year").first()
    per_child = {code: _row() for code in children_codes}
    totals = _row()
    if window is not None:
        returns = _scoped(
            MonitoringReturn.objects.filter(window=window),
            "certification__submission__",
            region,
            children_codes,
            filters,
        )
        if filters.tier:
            returns = returns.filter(tier_at_opening=filters.tier)
        grouped = returns.values(child_code=_child(region_field, region))
        for row in grouped.annotate(
            due=Count("id"),
            filed=Count("id", filter=Q(state=MonitoringReturnState.FILED)),
            missing=Count("id", filter=Q(state=MonitoringReturnState.MISSING)),
            flagged=Count("id", filter=~Q(flags=[])),
        ).order_by():
            counts = _row(row["due"], row["filed"], row["missing"], row["flagged"])
            _add(totals, counts)
            key = child_key(row["child_code"])
            if key in per_child:
                _add(per_child[key], counts)
        # A return's latest decision is the one in force (a warning later followed by a
        # downgrade counts as a downgrade), as on the monitoring page.
        later = MonitoringDecision.objects.filter(
            monitoring_return=OuterRef("monitoring_return")
        ).filter(
            Q(decided_at__gt=OuterRef("decided_at"))
            | Q(decided_at=OuterRef("decided_at"), id__gt=OuterRef("id"))
        )
        latest = (
            MonitoringDecision.objects.filter(monitoring_return__in=returns.values("id"))
            .exclude(Exists(later))
            .values(
                "kind",
                child_code=_child(f"monitoring_return__{region_field}", region),
            )
            .annotate(decided=Count("id"))
            .order_by()
        )
        for row in latest:
            if row["kind"] not in totals["decisions"]:
                continue
            totals["decisions"][row["kind"]] += row["decided"]
            key = child_key(row["child_code"])
            if key in per_child:
                per_child[key]["decisions"][row["kind"]] += row["decided"]
    rows = [{**child_row, **per_child[child_row["code"]]} for child_row in children]
    return {
        "window": {
            "year": window.year,
            "opens_on": window.opens_on.isoformat(),
            "closes_on": window.closes_on.isoformat(),
        }
        if window is not None
        else None,
        "totals": totals,
        "children": rows,
        "per_year": _per_year(region, children_codes, filters),
    }


def _per_year(region: Region | None, children_codes: list[str], filters) -> list[dict]:
    """Per year: downgrades and revocations decided in that year's monitoring, and
    certifications that expired in that year (ran past `valid_until` still certified; one
    revoked or downgraded earlier counts once, as what it was)."""
    decisions = _scoped(
        MonitoringDecision.objects.filter(
            kind__in=[MonitoringDecisionKind.DOWNGRADE, MonitoringDecisionKind.REVOKE]
        ),
        "monitoring_return__certification__submission__",
        region,
        children_codes,
        filters,
    )
    if filters.tier:
        decisions = decisions.filter(tier_before=filters.tier)
    years: dict[int, dict] = {}

    def year_row(year: int) -> dict:
        return years.setdefault(
            year, {"year": year, "downgrades": 0, "revocations": 0, "expiries": 0}
        )

    for row in (
        decisions.values("kind", year=F("monitoring_return__window__year"))
        .annotate(decided=Count("id"))
        .order_by()
    ):
        key = "downgrades" if row["kind"] == MonitoringDecisionKind.DOWNGRADE else "revocations"
        year_row(row["year"])[key] += row["decided"]
    expired = _scoped(
        Certification.objects.filter(
            status=CertificationStatus.CERTIFIED,
            valid_until__lt=timezone.localdate(),
        ),
        "submission__",
        region,
        children_codes,
        filters,
    )
    if filters.tier:
        expired = expired.filter(tier=filters.tier)
    for row in (
        expired.values(year=ExtractYear("valid_until")).annotate(expired=Count("id")).order_by()
    ):
        year_row(row["year"])["expiries"] += row["expired"]
    return [years[year] for year in sorted(years)]
