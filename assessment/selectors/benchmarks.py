"""An operator's peer benchmark: its platform's dimension scores against the quartiles of
certified peers of the same kind, and its percentile — only where at least K_ANONYMITY peers
exist, so that no peer can be singled out.

Peers: submissions of the same cycle and platform kind whose certification is certified, other
than the operator organisation's own. Everyone is compared at the platform's tier in reach (the
tier it is aiming for): a peer's dimension means at that tier come from its stored score
breakdown, so the comparison is like for like. The percentile is that of the progress index S
(share of peers below, ties counted half).
"""

import statistics
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils.translation import get_language

from assessment.metrics import CERTIFIED_STATUS
from assessment.models import ScoreSummary, Submission
from assessment.services.dashboard_cache import dashboard_cached
from questionnaires.choices import Tier
from questionnaires.selectors import rubric_of

K_ANONYMITY = 5


def _number(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value))


def _round(value: Decimal | float | None, places: int = 4) -> float | None:
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def _quartiles(values: list[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    first, median, third = statistics.quantiles(values, n=4, method="inclusive")
    return first, median, third


def peer_submissions(submission: Submission):
    return Submission.objects.filter(
        cycle_id=submission.cycle_id,
        platform_kind=submission.platform_kind,
        certification__status=CERTIFIED_STATUS,
    ).exclude(platform__organisation_id=submission.platform.organisation_id)


def _build(submission: Submission, language: str) -> dict:
    summary = ScoreSummary.objects.filter(submission=submission).first()
    rubric = rubric_of(submission.rubric_version)
    base = {
        "submission": submission.pk,
        "platform": submission.platform.name,
        "cycle": submission.cycle.code,
        "kind": submission.platform_kind,
        "k_anonymity": K_ANONYMITY,
    }
    if summary is None:
        return {**base, "available": False, "peer_count": 0, "scored": False}
    tier = summary.tier_in_reach or Tier.ECOSYSTEM
    own_means = summary.breakdown.get("dimensions", {})
    dimensions = [
        dimension for dimension in rubric.dimensions if tier in own_means.get(dimension.code, {})
    ]
    peers = ScoreSummary.objects.filter(submission__in=peer_submissions(submission))
    progress = summary.progress_index
    counted = peers.aggregate(
        peers=Count("id"),
        organisations=Count("submission__platform__organisation", distinct=True),
        below=Count("id", filter=Q(progress_index__lt=progress)),
        equal=Count("id", filter=Q(progress_index=progress)),
    )
    peer_count = counted["peers"]
    # k-anonymity counts organisations: five submissions of two organisations are two peers.
    organisation_count = counted["organisations"]
    base |= {
        "scored": True,
        "tier": tier,
        "tier_label": str(Tier(tier).label),
        "progress_index": _round(progress, 2),
        "peer_count": peer_count,
        "peer_organisations": organisation_count,
        "available": organisation_count >= K_ANONYMITY,
    }
    own = {
        dimension.code: _round(_number(own_means[dimension.code][tier])) for dimension in dimensions
    }
    rows = [
        {"code": dimension.code, "title": dimension.title.get(language), "own": own[dimension.code]}
        for dimension in dimensions
    ]
    if not base["available"]:
        # Too few peers: nothing about them is shown, not even partial figures.
        return {**base, "percentile": None, "dimensions": rows}

    # One JSON path per peer (each path would read the whole stored breakdown again).
    columns: list[list[Decimal]] = [[] for _ in dimensions]
    owners: list[set[int]] = [set() for _ in dimensions]
    for organisation_id, peer_means in peers.values_list(
        "submission__platform__organisation_id", "breakdown__dimensions"
    ):
        for index, dimension in enumerate(dimensions):
            value = (peer_means or {}).get(dimension.code, {}).get(tier)
            if value is not None:
                columns[index].append(_number(value))
                owners[index].add(organisation_id)
    for row, values, organisations in zip(rows, columns, owners, strict=True):
        row["peers"] = len(values)
        if len(organisations) >= K_ANONYMITY:
            first, median, third = _quartiles(values)
            row |= {"q1": _round(first), "median": _round(median), "q3": _round(third)}
        else:
            row |= {"q1": None, "median": None, "q3": None}
    share = (Decimal(counted["below"]) + Decimal(counted["equal"]) / 2) / peer_count * 100
    return {**base, "percentile": _round(share, 0), "dimensions": rows}


def platform_benchmark(*, submission: Submission) -> dict:
    """The benchmark of one submission (the caller has checked that the user may see it).

    Returns {"available", "peer_count", "k_anonymity", "tier", "progress_index", "percentile",
    "dimensions": [{"code", "title", "own", "q1", "median", "q3", "peers"}], …}; with fewer than
    K_ANONYMITY peers "available" is False and no peer figure is given.
    """
    language = "en" if (get_language() or "").startswith("en") else "zh-hans"
    return dashboard_cached(
        ("benchmark", submission.pk, language), lambda: _build(submission, language)
    )
