"""Reads for evaluation reports, regional reports, report batches and verification.

Everything a report prints comes from here, in a fixed number of queries; the service layer
(assessment.services.reports) turns it into HTML and PDF.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import get_language, gettext

from assessment import presentation
from assessment.models import (
    Answer,
    AssessmentCycle,
    Certification,
    Evidence,
    IssuedReport,
    Region,
    ReportBatch,
    ReviewDecision,
    ScoreSummary,
    Submission,
    SubmissionState,
    Target,
    User,
)
from assessment.models.reviews import CertificationStatus
from assessment.permissions import region_codes_in_scope, sees_everything
from assessment.selectors.benchmarks import platform_benchmark
from assessment.selectors.dashboards import DashboardFilters, dashboard_data
from questionnaires.choices import TIER_COLOURS, TIER_ORDER
from questionnaires.rubric import Rubric
from questionnaires.selectors import rubric_of

PASS_BAR = Decimal("0.8")
# Submissions that have a report in a batch: everything handed in (drafts and withdrawn not).
REPORTABLE_STATES = [
    SubmissionState.SUBMITTED,
    SubmissionState.IN_REVIEW,
    SubmissionState.REVISION_REQUESTED,
    SubmissionState.RESUBMITTED,
    SubmissionState.CERTIFIED,
]


# --- Submission report -----------------------------------------------------------------------


def report_submission_queryset() -> QuerySet[Submission]:
    return Submission.objects.select_related(
        "platform__organisation",
        "platform__region__parent",
        "cycle",
        "rubric_version",
        "score_summary",
        "certification__proposed_by",
        "certification__signed_off_by",
        "assigned_reviewer",
    ).defer("rubric_version__definition")  # parsed once per process by rubric_of


def is_certified(submission: Submission) -> bool:
    certification = getattr(submission, "certification", None)
    return (
        submission.state == SubmissionState.CERTIFIED
        and certification is not None
        and certification.status == CertificationStatus.CERTIFIED
    )


def certification_of(submission: Submission):
    try:
        return submission.certification
    except Submission.certification.RelatedObjectDoesNotExist:
        return None


def score_breakdown(submission: Submission) -> dict[str, Any]:
    """The authoritative score: the certification's frozen snapshot when certified, else the
    stored score summary (scored afresh, without storing, if there is none yet)."""
    certification = certification_of(submission)
    if certification is not None and certification.status not in (
        CertificationStatus.AWAITING_SIGN_OFF,
        CertificationStatus.IN_PROGRAMME,
    ):
        return certification.snapshot
    try:
        return submission.score_summary.breakdown
    except ScoreSummary.DoesNotExist:
        from assessment.services.scoring import submission_score

        return submission_score(submission).to_dict()


def next_tier_of(breakdown: dict) -> str | None:
    for tier in TIER_ORDER:
        if not breakdown["tiers"][tier]["achieved"]:
            return tier
    return None


def region_path(region: Region) -> str:
    parent = region.parent
    if parent is None or parent.code == region.code:
        return region.name
    return f"{parent.name} · {region.name}"


@dataclass
class IndicatorFinding:
    code: str
    title: str
    answer: str
    original_answer: str  # when a reviewer corrected it
    evidence_status: str
    evidence_label: str
    evidence_count: int
    evidence_items: list[str]
    decision: str
    decision_label: str
    decision_reason: str
    decision_by: str
    decision_at: Any
    criteria: list[dict] = field(default_factory=list)


@dataclass
class DimensionFinding:
    code: str
    title: str
    weight: int
    means: list[dict]
    indicators: list[IndicatorFinding]


def _evidence_status(code: str, evidenced: dict[str, int], decision) -> str:
    if decision is not None:
        return decision.decision
    return "uploaded" if evidenced.get(code) else "none"


def submission_report_data(submission: Submission, *, with_peers: bool = True) -> dict[str, Any]:
    """Everything an evaluation report prints, in the active language (fixed query count)."""
    rubric: Rubric = rubric_of(submission.rubric_version)
    breakdown = score_breakdown(submission)
    certification = certification_of(submission)
    certified = is_certified(submission)
    kind = submission.platform_kind

    answers = dict(
        Answer.objects.filter(submission=submission).values_list("question_code", "value")
    )
    evidence_items: dict[str, list[str]] = {}
    evidence_annex: list[dict[str, Any]] = []
    for code, name, url, sha256, size in (
        Evidence.objects.filter(submission=submission, is_current=True, removed_at__isnull=True)
        .order_by("question_code", "id")
        .values_list("question_code", "original_name", "url", "sha256", "size")
    ):
        # Operators' links are printed as text, never fetched.
        evidence_items.setdefault(code, []).append(name or url)
        evidence_annex.append(
            {"code": code, "name": name or url, "sha256": sha256, "size": size, "link": not name}
        )
    evidenced = {code: len(items) for code, items in evidence_items.items()}
    decisions = {}
    reviewers: dict[int, dict] = {}
    for decision in (
        ReviewDecision.objects.filter(submission=submission)
        .select_related("reviewer")
        .order_by("created_at", "id")
    ):
        entry = reviewers.setdefault(
            decision.reviewer_id,
            {"name": str(decision.reviewer), "decisions": 0, "first": decision.created_at},
        )
        entry["decisions"] += 1
        entry["last"] = decision.created_at
        if decision.is_current:
            decisions[decision.question_code] = decision

    next_tier = next_tier_of(breakdown)
    profile_tier = next_tier or "ecosystem"
    criteria_by_indicator: dict[str, list[dict]] = {}
    for criterion in breakdown["criteria"]:
        criteria_by_indicator.setdefault(criterion["indicator"], []).append(criterion)

    dimensions: list[DimensionFinding] = []
    for dimension in rubric.dimensions:
        means = breakdown["dimensions"].get(dimension.code, {})
        findings = []
        for indicator in dimension.indicators:
            if not indicator.applies_to(kind):
                continue
            decision = decisions.get(indicator.code)
            value = answers.get(indicator.code)
            original = ""
            if decision is not None and decision.decision == "corrected":
                original = presentation.answer_text(indicator, value)
                value = decision.corrected_value
            status = _evidence_status(indicator.code, evidenced, decision)
            criteria = [
                {
                    "tier": criterion["tier"],
                    "tier_label": presentation.tier_label(criterion["tier"]),
                    "gate": criterion["gate"],
                    "s": criterion["s"],
                    "v": criterion["v"],
                    "e": criterion["e"],
                    "met": Decimal(criterion["e"]) == 1,
                    "text": _criterion_text(indicator, criterion["tier"]),
                    "reason": presentation.reason_text(
                        criterion["reason_code"], criterion["reason_params"], indicator, brief=True
                    ),
                }
                for criterion in criteria_by_indicator.get(indicator.code, [])
            ]
            findings.append(
                IndicatorFinding(
                    code=indicator.code,
                    title=indicator.title.get(presentation.language()),
                    answer=presentation.answer_text(indicator, value),
                    original_answer=original,
                    evidence_status=status,
                    evidence_label=presentation.evidence_label(status),
                    evidence_count=evidenced.get(indicator.code, 0),
                    evidence_items=evidence_items.get(indicator.code, []),
                    decision=decision.decision if decision else "",
                    decision_label=decision.get_decision_display() if decision else "",
                    decision_reason=decision.reason if decision else "",
                    decision_by=str(decision.reviewer) if decision else "",
                    decision_at=decision.created_at if decision else None,
                    criteria=criteria,
                )
            )
        dimensions.append(
            DimensionFinding(
                code=dimension.code,
                title=dimension.title.get(presentation.language()),
                weight=dimension.weight(kind),
                means=[
                    {
                        "tier": tier,
                        "tier_label": presentation.tier_label(tier),
                        "mean": means[tier],
                        "below_floor": Decimal(means[tier]) < Decimal("0.5"),
                    }
                    for tier in TIER_ORDER
                    if tier in means
                ],
                indicators=findings,
            )
        )

    tiers = [
        {
            "code": tier,
            "label": presentation.tier_label(tier),
            "colour": TIER_COLOURS[tier],
            "score": breakdown["tiers"][tier]["score"],
            "achieved": breakdown["tiers"][tier]["achieved"],
            "meets_bar": Decimal(breakdown["tiers"][tier]["score"]) >= PASS_BAR,
            "failed_rules": gettext("; ").join(
                presentation.failed_rule_text(rule, rubric)
                for rule in breakdown["tiers"][tier]["failed_rules"]
            ),
        }
        for tier in TIER_ORDER
    ]
    preconditions = [
        {
            "code": precondition.code,
            "text": precondition.text.get(presentation.language()),
            "met": answers.get(precondition.code) is True,
        }
        for precondition in rubric.preconditions
    ]
    plan = [
        {
            "text": presentation.plan_step_text(
                step, rubric, answers.get(step.get("indicator", ""))
            ),
            "code": step.get("indicator") or step.get("precondition"),
            "gain": step.get("gain"),
        }
        for step in breakdown.get("next_tier_plan", [])
    ]
    profile = {
        dimension.code: Decimal(breakdown["dimensions"][dimension.code][profile_tier])
        for dimension in rubric.dimensions
        if profile_tier in breakdown["dimensions"].get(dimension.code, {})
    }
    # Strengths of a platform that achieves a tier are judged at that tier (a certified
    # platform's strengths are those of its certified tier); gaps at the tier in reach.
    strength_tier = breakdown["result"] if breakdown["result"] in TIER_ORDER else profile_tier
    strength_profile = {
        dimension.code: Decimal(breakdown["dimensions"][dimension.code][strength_tier])
        for dimension in rubric.dimensions
        if strength_tier in breakdown["dimensions"].get(dimension.code, {})
    }
    strengths, _unused = _strengths_and_gaps(rubric, strength_profile, breakdown, next_tier)
    _unused, gaps = _strengths_and_gaps(rubric, profile, breakdown, next_tier)
    peers = (
        peer_dimension_medians(submission, profile_tier)
        if with_peers
        else {"count": 0, "medians": {}}
    )

    return {
        "submission": submission,
        "platform": submission.platform,
        "organisation": submission.platform.organisation,
        "region_path": region_path(submission.platform.region),
        "kind_label": submission.get_platform_kind_display(),
        "cycle": submission.cycle,
        "rubric": rubric,
        "rubric_label": certification.rubric_label
        if certification is not None
        else submission.rubric_version.label,
        "rubric_title": rubric.title.get(presentation.language()),
        "certified": certified,
        "certification": certification,
        "result": breakdown["result"],
        "result_label": presentation.tier_label(breakdown["result"]),
        "result_colour": TIER_COLOURS.get(breakdown["result"], TIER_COLOURS["not_rated"]),
        "progress_index": breakdown["progress_index"],
        "next_tier": next_tier,
        "next_tier_label": presentation.tier_label(next_tier) if next_tier else "",
        "profile_tier": profile_tier,
        "profile_tier_label": presentation.tier_label(profile_tier),
        "decision_text": presentation.tier_decision_text(
            breakdown["result"], next_tier, breakdown["tiers"], rubric
        ),
        "tiers": tiers,
        "preconditions": preconditions,
        "dimensions": dimensions,
        "profile": profile,
        "dimension_titles": {
            dimension.code: dimension.title.get(presentation.language())
            for dimension in rubric.dimensions
        },
        "peers": peers,
        "strengths": strengths,
        "strength_tier": strength_tier,
        "strength_tier_label": presentation.tier_label(strength_tier),
        "gaps": gaps,
        "evidence_annex": evidence_annex,
        "plan": plan,
        "reviewers": list(reviewers.values()),
        "breakdown": breakdown,
    }


def _criterion_text(indicator, tier: str) -> str:
    criterion = indicator.criterion(tier)
    if criterion is None or criterion.text is None:
        return ""
    return criterion.text.get(presentation.language())


def _strengths_and_gaps(rubric, profile, breakdown, next_tier):
    titles = {d.code: d.title.get(presentation.language()) for d in rubric.dimensions}
    ordered = sorted(profile.items(), key=lambda item: (-item[1], item[0]))
    strengths = [
        {"code": code, "title": titles[code], "mean": mean}
        for code, mean in ordered
        if mean >= PASS_BAR
    ][:3]
    gaps = [
        {"code": code, "title": titles[code], "mean": mean}
        for code, mean in reversed(ordered)
        if mean < PASS_BAR
    ][:3]
    gap_rules = []
    if next_tier:
        gap_rules = [
            presentation.failed_rule_text(rule, rubric)
            for rule in breakdown["tiers"][next_tier]["failed_rules"]
            if rule != "lower_tier_not_achieved"
        ]
    return strengths, {"dimensions": gaps, "rules": gap_rules}


def peer_dimension_medians(submission: Submission, tier: str) -> dict[str, Any]:
    """The peer median per dimension from the dashboards' benchmark selector (certified peers
    of the same kind and cycle, other organisations, shown only with k >= 5 peers)."""
    benchmark = platform_benchmark(submission=submission)
    if not benchmark.get("available") or benchmark.get("tier") != tier:
        return {"count": benchmark.get("peer_count", 0), "medians": {}}
    return {
        "count": benchmark["peer_count"],
        "medians": {
            row["code"]: Decimal(str(row["median"]))
            for row in benchmark["dimensions"]
            if row.get("median") is not None
        },
    }


# --- Verification ----------------------------------------------------------------------------


def issued_report_by_number(number: str) -> IssuedReport | None:
    return (
        IssuedReport.objects.select_related(
            "submission__platform__organisation",
            "submission__platform__region__parent",
            "submission__cycle",
            "submission__rubric_version",
            "submission__score_summary",
            "submission__certification",
        )
        .defer("submission__rubric_version__definition")
        .filter(number=number.strip().upper())
        .first()
    )


# --- Regional report -------------------------------------------------------------------------


def regional_scope_regions(region: Region | None) -> list[str] | None:
    """Region codes a regional report covers (None = the whole nation)."""
    if region is None:
        return None
    return [region.code, *Region.objects.filter(parent=region).values_list("code", flat=True)]


def national_targets() -> list[Target]:
    """The Action Plan's national targets (every regional report sets its figures beside them)."""
    return list(Target.objects.filter(region__isnull=True).order_by("metric", "deadline"))


def regional_report_data(cycle: AssessmentCycle, region: Region | None) -> dict[str, Any]:
    """A province's (or the nation's) summary for a cycle, from the dashboards' own selector
    (assessment.selectors.dashboards.dashboard_data: the same figures, targets and areas as the
    dashboard), plus the tier-by-kind table and the distribution of S for the charts."""
    dashboard = dashboard_data(
        user=None,
        region_code=region.code if region is not None else None,
        filters=DashboardFilters(cycle=cycle.code),
    )
    totals = dashboard["totals"]
    codes = regional_scope_regions(region)
    submissions = Submission.objects.filter(cycle=cycle)
    if codes is not None:
        submissions = submissions.filter(platform__region_id__in=codes)
    by_kind_tier: dict[str, dict[str, int]] = {}
    for kind, tier, count in (
        submissions.filter(certification__status=CertificationStatus.CERTIFIED)
        .values("platform_kind", "certification__tier")
        .annotate(count=Count("id"))
        .values_list("platform_kind", "certification__tier", "count")
    ):
        by_kind_tier.setdefault(kind, {})[tier] = count
    progress_rows = sorted(
        submissions.filter(score_summary__isnull=False)
        .exclude(state__in=[SubmissionState.DRAFT, SubmissionState.WITHDRAWN])
        .values_list("score_summary__progress_index", "score_summary__result")
    )
    progress_values = [value for value, _result in progress_rows]
    handed_in = submissions.exclude(state__in=[SubmissionState.DRAFT, SubmissionState.WITHDRAWN])
    participating = handed_in.values("platform_id").distinct().count()
    certified_list = [
        {
            # Called inside the report's language (translation.override).
            "platform": certification.submission.platform.display_name(get_language()),
            "organisation": certification.submission.platform.organisation.name,
            "region": certification.submission.platform.region.name,
            "kind": certification.submission.get_platform_kind_display(),
            "tier": certification.tier,
            "tier_label": presentation.tier_label(certification.tier),
            "valid_until": certification.valid_until,
        }
        for certification in Certification.objects.filter(
            submission__in=submissions, status=CertificationStatus.CERTIFIED
        )
        .select_related("submission__platform__organisation", "submission__platform__region")
        .order_by("-tier", "submission__platform__name")[:500]
    ]
    tier_rank = {tier: index for index, tier in enumerate(TIER_ORDER)}
    certified_list.sort(key=lambda row: (-tier_rank.get(row["tier"], -1), row["platform"]))
    areas = [
        {
            "code": child["code"],
            "name": child["name"],
            "short_name": child["short_name"],
            "tile": (child["tile_row"], child["tile_col"]),
            "counts": [child["certified_by_tier"][tier] for tier in TIER_ORDER],
            "total": child["certified"],
        }
        for child in dashboard["children"]
    ]
    targets = [
        {
            "label": target["name"] or target["metric_label"],
            "goal": target["target"],
            "value": target["value"],
            "unit": target["unit"],
            "deadline": target["deadline"],
            "met": target["met"],
            "metric": target["metric"],
            "scope": target["scope"],
        }
        for target in dashboard["targets"]
    ]
    return {
        "cycle": cycle,
        "region": region,
        "states": [
            {"code": row["state"], "label": row["label"], "count": row["submissions"]}
            for row in dashboard["pipeline"]
        ],
        "submissions": sum(row["submissions"] for row in dashboard["pipeline"]),
        "platforms": totals["platforms"],
        "certified": totals["certified"],
        "influential_platforms": totals["influential_platforms"],
        "tiers": [
            {
                "code": tier,
                "label": presentation.tier_label(tier),
                "colour": TIER_COLOURS[tier],
                "count": totals["certified_by_tier"][tier],
            }
            for tier in TIER_ORDER
        ],
        "areas": areas,
        "kinds": [
            {
                "code": kind,
                "label": label,
                "counts": [by_kind_tier.get(kind, {}).get(tier, 0) for tier in TIER_ORDER],
            }
            for kind, label in Submission._meta.get_field("platform_kind").choices
        ],
        "targets": targets,
        "national_targets": national_targets(),
        "connected_devices": totals["connected_devices"],
        "enterprises_served": totals["enterprises_served"],
        "industrial_enterprises": totals["industrial_enterprises"],
        "penetration": totals["platform_penetration"],
        "participating_platforms": participating,
        "certified_list": certified_list,
        "ranking": sorted(
            (area for area in areas if area["total"]),
            key=lambda area: (-area["total"], -area["counts"][-1], area["code"]),
        ),
        "progress_values": [float(value) for value in progress_values],
        "progress_results": [result for _value, result in progress_rows],
        "progress_median": statistics.median(progress_values) if progress_values else None,
    }


def regional_submissions(cycle: AssessmentCycle, region: Region) -> QuerySet[Submission]:
    """The submissions whose reports a batch for this region and cycle contains."""
    codes = regional_scope_regions(region)
    return (
        Submission.objects.filter(
            cycle=cycle, platform__region_id__in=codes, state__in=REPORTABLE_STATES
        )
        .select_related("platform")
        .order_by("platform__name", "id")
    )


# --- Batches ---------------------------------------------------------------------------------


def can_request_regional_reports(user: User) -> bool:
    return user.is_authenticated and (user.is_admin or user.is_regulator)


def batch_regions(user: User) -> QuerySet[Region]:
    """The provinces and cities a regulator may request batches (and regional reports) for."""
    regions = Region.objects.all().order_by("code")
    if not can_request_regional_reports(user):
        return regions.none()
    codes = region_codes_in_scope(user)
    return regions if codes is None else regions.filter(code__in=codes)


def can_see_nation(user: User) -> bool:
    return user.is_authenticated and sees_everything(user)


def visible_batches(user: User) -> QuerySet[ReportBatch]:
    batches = ReportBatch.objects.select_related("region", "cycle", "requested_by")
    if not can_request_regional_reports(user):
        return batches.none()
    codes = region_codes_in_scope(user)
    return batches if codes is None else batches.filter(region_id__in=codes)
