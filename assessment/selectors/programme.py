"""Reads for the programme's pages: the pipeline by stage with waiting times, the quota view
per province, what an official may act on in a call, the public notices and publications."""

from dataclasses import dataclass, field
from datetime import datetime
from statistics import median

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from assessment.models import (
    CallForApplications,
    EventKind,
    FormalCheck,
    NoticeEntry,
    Objection,
    ObjectionStatus,
    ProvinceQuota,
    Publication,
    PublicNotice,
    RecommendationEntry,
    Region,
    Submission,
    SubmissionEvent,
    SubmissionState,
    User,
)
from assessment.models.programme import QUOTA_TIERS
from assessment.permissions import region_codes_in_scope, visible_submissions

S = SubmissionState
#: The programme's stages after submission, in route order.
PIPELINE_STAGES = (
    S.SUBMITTED,
    S.IN_REVIEW,
    S.RECOMMENDED,
    S.EXPERT_REVIEW,
    S.SITE_CHECK,
    S.PUBLIC_NOTICE,
    S.CERTIFIED,
    S.NOT_CERTIFIED,
)


@dataclass
class Stage:
    state: str
    label: str
    count: int = 0
    median_days: float | None = None
    longest_days: float | None = None


def pipeline(user: User, *, cycle_id: int | None = None, now: datetime | None = None) -> list:
    """How many submissions in the user's scope wait in each stage, and for how long since
    they entered it (two queries)."""
    now = now or timezone.now()
    entered = (
        SubmissionEvent.objects.filter(
            submission_id=OuterRef("pk"), kind=EventKind.STATE_CHANGED, to_state=OuterRef("state")
        )
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    submissions = visible_submissions(user).filter(state__in=PIPELINE_STAGES)
    if cycle_id is not None:
        submissions = submissions.filter(cycle_id=cycle_id)
    waits: dict[str, list[float]] = {state: [] for state in PIPELINE_STAGES}
    for state, since in submissions.annotate(entered_at=Subquery(entered)).values_list(
        "state", "entered_at"
    ):
        waits[state].append((now - since).total_seconds() / 86400 if since else 0.0)
    stages = []
    for state in PIPELINE_STAGES:
        days = waits[state]
        final = state in (S.CERTIFIED, S.NOT_CERTIFIED)
        stages.append(
            Stage(
                state=state,
                label=S(state).label,
                count=len(days),
                median_days=None if final or not days else round(median(days), 1),
                longest_days=None if final or not days else round(max(days), 1),
            )
        )
    return stages


@dataclass
class QuotaRow:
    province: Region
    cells: list = field(default_factory=list)  # (tier, quota, used, left) per quota tier


def quota_view(call: CallForApplications, user: User) -> list[QuotaRow]:
    """Each province in the user's scope: the quota for leading and ecosystem, how many are
    recommended (returned ones do not count) and how many are left (three queries)."""
    provinces = Region.objects.filter(level="province").order_by("code")
    codes = region_codes_in_scope(user)
    if codes is not None:
        provinces = provinces.filter(code__in=codes)
    overrides = {
        (quota.region_id, quota.tier): quota.quota
        for quota in ProvinceQuota.objects.filter(call=call)
    }
    used = {
        (row["recommendation__region_id"], row["recommendation__tier"]): row["count"]
        for row in RecommendationEntry.objects.filter(
            recommendation__call=call, returned_at__isnull=True
        )
        .values("recommendation__region_id", "recommendation__tier")
        .annotate(count=Count("id"))
    }
    defaults = {"leading": call.quota_leading, "ecosystem": call.quota_ecosystem}
    rows = []
    for province in provinces:
        row = QuotaRow(province=province)
        for tier in QUOTA_TIERS:
            quota = overrides.get((province.code, tier), defaults[tier])
            taken = used.get((province.code, tier), 0)
            row.cells.append((tier, quota, taken, max(quota - taken, 0)))
        rows.append(row)
    return rows


def provinces_of(user: User) -> list[str]:
    """The provinces a provincial official acts for (their assigned regions' provinces)."""
    if not user.is_authenticated or user.is_national:
        return []
    return sorted({region.province_code for region in user.regions.all()})


def calls_for(user: User) -> QuerySet[CallForApplications]:
    calls = CallForApplications.objects.select_related("cycle", "region").order_by("-opens_at")
    codes = region_codes_in_scope(user)
    if codes is None:
        return calls
    return calls.filter(Q(region__isnull=True) | Q(region_id__in=codes))


def formal_check_queue(user: User, call: CallForApplications) -> QuerySet[Submission]:
    return (
        visible_submissions(user)
        .filter(cycle_id=call.cycle_id, state=S.RECOMMENDED)
        .select_related("platform__organisation", "platform__region")
        .prefetch_related("recommendation_entries__recommendation")
        .order_by("id")
    )


def formal_checks_of(submission: Submission) -> QuerySet[FormalCheck]:
    return submission.formal_checks.select_related("checked_by")


def notices_of(call: CallForApplications) -> QuerySet[PublicNotice]:
    return (
        PublicNotice.objects.filter(call=call)
        .select_related("region", "publication")
        .annotate(listed=Count("entries"))
        .order_by("-published_at")
    )


# --- Public pages --------------------------------------------------------------------------------


def public_notices() -> QuerySet[PublicNotice]:
    return (
        PublicNotice.objects.select_related("call", "region", "publication")
        .annotate(listed=Count("entries", filter=Q(entries__withdrawn_at__isnull=True)))
        .order_by("-starts_on", "-id")
    )


def notice_entries(notice: PublicNotice) -> list[NoticeEntry]:
    """The listed platforms with their objections and answers (contact details stay private)."""
    return list(
        notice.entries.select_related(
            "submission__platform__organisation", "submission__platform__region"
        )
        .prefetch_related("objections")
        .order_by("id")
    )


def open_objections(notice: PublicNotice) -> int:
    return Objection.objects.filter(entry__notice=notice, status=ObjectionStatus.OPEN).count()


def publication_entries(publication: Publication) -> list[NoticeEntry]:
    return list(
        publication.notice.entries.filter(withdrawn_at__isnull=True, submission__state=S.CERTIFIED)
        .select_related(
            "submission__platform__organisation",
            "submission__platform__region",
            "submission__certification",
        )
        .order_by("id")
    )


def publications() -> QuerySet[Publication]:
    return Publication.objects.select_related("notice__call", "notice__region").order_by(
        "-published_at"
    )
