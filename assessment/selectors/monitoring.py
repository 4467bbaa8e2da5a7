"""Reads for annual monitoring: the official's screen (per platform: each monitored value
against last year's and the tier's criteria, the flags, the decisions), monitoring compliance
per province, the operator's returns and certifications with the renewal each may have. Each in
a fixed number of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from assessment.models import (
    Certification,
    MonitoringDecision,
    MonitoringDecisionKind,
    MonitoringReturn,
    MonitoringWindow,
    Renewal,
    Role,
    Submission,
    User,
)
from assessment.models.reviews import CertificationStatus
from assessment.permissions import visible_monitoring_returns, visible_platforms
from assessment.services.monitoring.renewal import (
    ENDED_WITHOUT_CERTIFICATION,
    RenewalOffer,
    choose_cycle,
    open_cycles,
    renewal_opens_on,
    renewal_refusal,
)
from questionnaires.choices import Tier
from questionnaires.rubric import QuestionType, Rubric
from questionnaires.selectors import rubric_of


def _language() -> str:
    return get_language() or "zh-hans"


def is_monitoring_official(user: User) -> bool:
    return user.is_authenticated and (user.is_admin or user.role in (Role.REVIEWER, Role.REGULATOR))


def monitoring_windows() -> list[MonitoringWindow]:
    return list(MonitoringWindow.objects.order_by("-year"))


def _returns(user: User, window: MonitoringWindow) -> QuerySet[MonitoringReturn]:
    return (
        visible_monitoring_returns(user)
        .filter(window=window)
        .select_related(
            "window",
            "certification__submission__platform__organisation",
            "certification__submission__platform__region__parent",
            "certification__submission__rubric_version",
            "certification__submission__cycle",
        )
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=MonitoringDecision.objects.select_related("decided_by").order_by(
                    "decided_at", "id"
                ),
            )
        )
        .order_by("certification__submission__platform__name", "id")
    )


@dataclass
class ValueLine:
    code: str
    title: str
    value: Any
    previous: Any
    criterion: str
    change: str  # "-40 %" etc., "" when not a number
    flagged: bool


@dataclass
class ScreenRow:
    monitoring_return: MonitoringReturn
    platform: str
    organisation: str
    province: str
    tier_at_opening: str
    certified_tier: str
    certification_status: str
    lines: list[ValueLine] = field(default_factory=list)
    decisions: list[MonitoringDecision] = field(default_factory=list)

    @property
    def flags(self) -> list[str]:
        return self.monitoring_return.flag_codes

    @property
    def last_decision(self) -> MonitoringDecision | None:
        return self.decisions[-1] if self.decisions else None


def _display(rubric: Rubric, code: str, value: Any) -> Any:
    if value is None:
        return "—"
    indicator = rubric.indicator(code)
    language = _language()
    if indicator.type == QuestionType.BOOLEAN:
        from django.utils.translation import gettext as _

        return _("Yes") if value is True else _("No")
    if indicator.type == QuestionType.CHOICE:
        chosen = value if isinstance(value, list) else [value]
        return ", ".join(
            option.label.get(language) for option in indicator.options if option.code in chosen
        )
    if indicator.type == QuestionType.ORDINAL:
        return indicator.anchors[int(value)].label.get(language)
    return value


def _criterion(rubric: Rubric, code: str, tier: str, kind: str) -> str:
    indicator = rubric.indicator(code)
    criterion = indicator.criterion(tier)
    if criterion is None:
        return ""
    text = criterion.text.get(_language()) if criterion.text else ""
    if not text and criterion.target_for(kind) is not None:
        unit = indicator.unit.get(_language()) if indicator.unit else ""
        text = f"≥ {criterion.target_for(kind)} {unit}".strip()
    return text


def _change(previous: Any, value: Any) -> str:
    if isinstance(previous, bool) or isinstance(value, bool):
        return ""
    if not isinstance(previous, int | float) or not isinstance(value, int | float):
        return ""
    if previous == 0:
        return ""
    share = (Decimal(str(value)) - Decimal(str(previous))) / Decimal(str(previous)) * 100
    return f"{share:+.0f} %"


def monitoring_screen(user: User, window: MonitoringWindow) -> list[ScreenRow]:
    """One row per platform in the user's scope (2 queries, whatever the number)."""
    rows = []
    for monitoring_return in _returns(user, window):
        certification = monitoring_return.certification
        submission = certification.submission
        platform = submission.platform
        rubric = rubric_of(submission.rubric_version)
        region = platform.region
        province = region.parent if region.parent_id else region
        flagged_codes = {flag.get("code") for flag in monitoring_return.flags}
        lines = []
        for code in sorted(
            set(monitoring_return.previous_values) | set(monitoring_return.values),
            key=lambda c: [int(part) for part in c[1:].split(".")],
        ):
            if not rubric.has_indicator(code):
                continue
            value = monitoring_return.values.get(code)
            previous = monitoring_return.previous_values.get(code)
            lines.append(
                ValueLine(
                    code=code,
                    title=rubric.indicator(code).title.get(_language()),
                    value=_display(rubric, code, value),
                    previous=_display(rubric, code, previous),
                    criterion=_criterion(
                        rubric, code, monitoring_return.tier_at_opening, submission.platform_kind
                    ),
                    change=_change(previous, value),
                    flagged=code in flagged_codes,
                )
            )
        rows.append(
            ScreenRow(
                monitoring_return=monitoring_return,
                platform=platform.name,
                organisation=platform.organisation.name,
                province=province.name,
                tier_at_opening=monitoring_return.tier_at_opening,
                certified_tier=certification.tier,
                certification_status=certification.status,
                lines=lines,
                decisions=list(monitoring_return.decisions.all()),
            )
        )
    return rows


@dataclass
class ComplianceRow:
    province: str
    returns: int = 0
    filed: int = 0
    missing: int = 0
    flagged: int = 0
    decisions: Counter = field(default_factory=Counter)

    @property
    def decision_counts(self) -> list[int]:
        """The number of each decision kind, in MonitoringDecisionKind order."""
        return [self.decisions[kind] for kind in MonitoringDecisionKind.values]

    @property
    def filed_share(self) -> str:
        return f"{self.filed * 100 // self.returns} %" if self.returns else "—"


def monitoring_compliance(user: User, window: MonitoringWindow) -> list[ComplianceRow]:
    """Per province: returns expected, filed, missing, flagged, and decisions by kind."""
    by_province: dict[str, ComplianceRow] = {}
    for row in monitoring_screen(user, window):
        compliance = by_province.setdefault(row.province, ComplianceRow(province=row.province))
        compliance.returns += 1
        state = row.monitoring_return.state
        compliance.filed += state == "filed"
        compliance.missing += state == "missing"
        compliance.flagged += bool(row.flags)
        if row.last_decision is not None:
            compliance.decisions[row.last_decision.kind] += 1
    return sorted(by_province.values(), key=lambda row: row.province)


def downgrades_and_exits_per_cycle(user: User) -> list[dict[str, Any]]:
    """Per certification cycle: how many certifications were downgraded or revoked (1 query)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    decisions = MonitoringDecision.objects.filter(
        monitoring_return__in=visible_monitoring_returns(user),
        kind__in=["downgrade", "revoke"],
    ).values_list("monitoring_return__certification__submission__cycle__code", "kind")
    for cycle_code, kind in decisions:
        counts[cycle_code][kind] += 1
    return [
        {"cycle": code, "downgrades": c["downgrade"], "exits": c["revoke"]}
        for code, c in sorted(counts.items())
    ]


def operator_returns(user: User) -> list[MonitoringReturn]:
    return list(
        visible_monitoring_returns(user)
        .select_related("window", "certification__submission__platform")
        .order_by("-window__year", "certification__submission__platform__name")
    )


def tier_label(tier: str) -> str:
    return str(Tier(tier).label) if tier in Tier.values else ""


def monitoring_history(certification_id: int) -> list[MonitoringDecision]:
    """A certification's monitoring decisions, oldest first (for reports printed later)."""
    return list(
        MonitoringDecision.objects.filter(monitoring_return__certification_id=certification_id)
        .select_related("monitoring_return__window", "decided_by")
        .order_by("decided_at", "id")
    )


# --- Renewal (the operator's side) ---------------------------------------------------------


@dataclass
class CertificationRow:
    """A certification of one of the operator's platforms, as its pages show it."""

    certification: Certification
    offer: RenewalOffer | None
    renewal: Submission | None  # the renewal under way, if one was applied for
    opens_on: date  # the first day a renewal may be applied for
    in_window: bool


def operator_certifications(user: User, today: date | None = None) -> list[CertificationRow]:
    """The certifications in force of the user's platforms, with the renewal each may have."""
    today = today or timezone.localdate()
    certifications = (
        Certification.objects.filter(
            submission__platform__in=visible_platforms(user),
            status=CertificationStatus.CERTIFIED,
            valid_until__gte=today,
        )
        .select_related("submission__platform", "submission__cycle")
        .prefetch_related(
            Prefetch(
                "renewals",
                queryset=Renewal.objects.select_related("submission__cycle")
                .exclude(submission__state__in=ENDED_WITHOUT_CERTIFICATION)
                .order_by("-id"),
            )
        )
        .order_by("valid_until", "submission__platform__name", "id")
    )
    certifications = list(certifications)
    cycles = open_cycles(today) if certifications else []
    taken = set(
        Submission.objects.filter(
            platform_id__in={c.submission.platform_id for c in certifications}, cycle__in=cycles
        ).values_list("platform_id", "cycle_id")
        if cycles
        else ()
    )
    rows = []
    for certification in certifications:
        under_way = list(certification.renewals.all())
        offer = None
        if renewal_refusal(certification, today, under_way=bool(under_way)) is None:
            cycle = choose_cycle(certification, cycles, taken)
            if cycle is not None:
                offer = RenewalOffer(
                    certification=certification,
                    cycle=cycle,
                    opens_on=renewal_opens_on(certification),
                )
        rows.append(
            CertificationRow(
                certification=certification,
                offer=offer,
                renewal=under_way[0].submission if under_way else None,
                opens_on=renewal_opens_on(certification),
                in_window=renewal_opens_on(certification) <= today,
            )
        )
    return rows


def operator_certification(user: User, certification_id: int) -> Certification | None:
    """One certification of the user's platforms (None when missing or out of scope)."""
    return (
        Certification.objects.filter(submission__platform__in=visible_platforms(user))
        .select_related("submission__platform", "submission__cycle")
        .filter(pk=certification_id)
        .first()
    )
