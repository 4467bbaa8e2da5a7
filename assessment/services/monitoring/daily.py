"""The daily run: reminders, missing returns, passed deadlines to rectify, expiries (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.models import (
    Certification,
    EventKind,
    MonitoringDecision,
    MonitoringFlag,
    MonitoringReturn,
    MonitoringWindow,
)
from assessment.models.reviews import CertificationStatus
from assessment.services import notifications
from assessment.services.dashboard_cache import dashboard_cache_invalidate
from assessment.services.monitoring.common import (
    EXPIRY_REMINDERS,
    REMINDER_DAYS_BEFORE_CLOSE,
    REMINDER_DAYS_BEFORE_DEADLINE,
    D,
    Kind,
    R,
    notify_operators,
    remind_once,
)
from assessment.services.monitoring.returns import send_window_reminders
from assessment.services.workflow import record_event
from questionnaires.choices import Tier

# --- The daily run -------------------------------------------------------------------------------


@dataclass
class DailyRun:
    window_reminders: int = 0
    missing_returns: int = 0
    expiry_reminders: int = 0
    expired: int = 0
    deadline_reminders: int = 0
    deadlines_passed: int = 0


@transaction.atomic
def monitoring_daily(*, today: date | None = None, email: bool = True) -> DailyRun:
    """Everything that happens on a date: idempotent, so running it twice changes nothing."""
    today = today or timezone.localdate()
    run = DailyRun()
    for window in MonitoringWindow.objects.filter(opens_on__lte=today):
        if window.closes_on >= today:
            run.window_reminders += send_window_reminders(window, key="open", email=email)
            days_left = (window.closes_on - today).days
            for days in REMINDER_DAYS_BEFORE_CLOSE:
                if days_left <= days:
                    run.window_reminders += send_window_reminders(
                        window, key=f"close-{days}", email=email
                    )
        else:
            run.missing_returns += _flag_missing(window)
    _rectification(today, run, email=email)
    in_force = Certification.objects.filter(
        status=CertificationStatus.CERTIFIED, valid_until__isnull=False
    ).select_related("submission__platform", "submission__cycle")
    for certification in in_force.filter(valid_until__gte=today):
        for key, days in EXPIRY_REMINDERS:
            if (certification.valid_until - today).days > days:
                continue
            if not remind_once(f"expiry:{key}:{certification.pk}:{certification.valid_until}"):
                continue
            notify_operators(
                certification,
                kind=Kind.EXPIRY,
                subject=_("The certification of %(platform)s expires on %(date)s"),
                message=_(
                    "The %(tier)s certification of %(platform)s is valid until %(date)s. "
                    "Start the renewal in time: it is a new submission copied from the "
                    "certified one."
                ),
                params={
                    "date": certification.valid_until.isoformat(),
                    "tier": Tier(certification.tier).label,
                },
                email=email,
            )
            run.expiry_reminders += 1
    for certification in in_force.filter(valid_until__lt=today):
        if not remind_once(f"expired:{certification.pk}:{certification.valid_until}"):
            continue
        record_event(
            submission=certification.submission,
            actor=None,
            kind=EventKind.DECISION,
            note="expired",
            detail={
                "certification": "expired",
                "tier": certification.tier,
                "valid_until": certification.valid_until.isoformat(),
            },
        )
        notify_operators(
            certification,
            kind=Kind.EXPIRED,
            subject=_("The certification of %(platform)s has expired"),
            message=_(
                "The %(tier)s certification of %(platform)s expired after %(date)s and left the "
                "public register."
            ),
            params={
                "date": certification.valid_until.isoformat(),
                "tier": Tier(certification.tier).label,
            },
            email=email,
        )
        run.expired += 1
    if run.expired or run.missing_returns or run.deadlines_passed:
        dashboard_cache_invalidate()
    return run


def _flag_missing(window: MonitoringWindow) -> int:
    missing = list(window.returns.select_for_update().filter(state=R.OPEN))
    for monitoring_return in missing:
        monitoring_return.state = R.MISSING
        monitoring_return.flags = [{"flag": MonitoringFlag.MISSING.value}]
        monitoring_return.save(update_fields=["state", "flags"])
        record_event(
            submission=monitoring_return.certification.submission,
            actor=None,
            kind=EventKind.DECISION,
            note=f"monitoring {window.year}",
            detail={"monitoring": "return_missing", "year": window.year},
        )
    return len(missing)


# --- Warnings with a deadline to rectify (限期整改) ---------------------------------------------


def _standing_warnings():
    """Warnings that are still the return's last decision, on a certification in force."""
    later = MonitoringDecision.objects.filter(
        monitoring_return=OuterRef("monitoring_return"), pk__gt=OuterRef("pk")
    )
    return (
        MonitoringDecision.objects.filter(
            kind=D.WARNING,
            deadline__isnull=False,
            monitoring_return__certification__status=CertificationStatus.CERTIFIED,
        )
        .exclude(Exists(later))
        .select_related(
            "decided_by",
            "monitoring_return__window",
            "monitoring_return__certification__submission__platform",
        )
        .order_by("deadline", "id")
    )


def _rectification(today: date, run: DailyRun, *, email: bool) -> None:
    """Remind the operator 7 days and 1 day before a warning's deadline; once it has passed
    with no later decision, flag the return, notify the officials and the operator, and record
    an event. Never a downgrade: that stays an official's decision, with a reason."""
    for warning in _standing_warnings():
        certification = warning.monitoring_return.certification
        days_left = (warning.deadline - today).days
        params = {
            "date": warning.deadline.isoformat(),
            "year": warning.monitoring_return.window.year,
            "reason": warning.reason,
        }
        if 0 <= days_left:
            # Only the nearest reminder: a warning given 3 days ahead gets no "7 days" one.
            due = [days for days in REMINDER_DAYS_BEFORE_DEADLINE if days_left <= days]
            if due and remind_once(f"rectify:{min(due)}:{warning.pk}"):
                notify_operators(
                    certification,
                    kind=Kind.RECTIFY_REMINDER,
                    subject=_("%(platform)s must rectify by %(date)s"),
                    message=_(
                        "After the monitoring %(year)s, %(platform)s was warned and must "
                        "rectify by %(date)s: %(reason)s"
                    ),
                    params=params,
                    email=email,
                )
                run.deadline_reminders += 1
            continue
        if not remind_once(f"rectify:passed:{warning.pk}"):
            continue
        _flag_deadline_passed(warning, params, email=email)
        run.deadlines_passed += 1


def _flag_deadline_passed(warning: MonitoringDecision, params: dict, *, email: bool) -> None:
    monitoring_return = MonitoringReturn.objects.select_for_update().get(
        pk=warning.monitoring_return_id
    )
    monitoring_return.flags = [
        *monitoring_return.flags,
        {
            "flag": MonitoringFlag.DEADLINE_PASSED.value,
            "deadline": warning.deadline.isoformat(),
            "decision": warning.pk,
        },
    ]
    monitoring_return.save(update_fields=["flags"])
    certification = warning.monitoring_return.certification
    submission = certification.submission
    record_event(
        submission=submission,
        actor=None,
        kind=EventKind.DECISION,
        note="rectification deadline passed",
        detail={
            "monitoring": "deadline_passed",
            "year": params["year"],
            "deadline": params["date"],
            "monitoring_decision": warning.pk,
        },
    )
    subject = _("The deadline to rectify of %(platform)s has passed")
    officials = {
        decision.decided_by
        for decision in monitoring_return.decisions.select_related("decided_by")
        if decision.kind == D.WARNING
    }
    notifications.notification_send(
        email=email,
        recipients=officials,
        submission=submission,
        kind=Kind.RECTIFY_OVERDUE,
        subject=subject,
        message=_(
            "The deadline to rectify of %(platform)s (%(date)s, warned after the monitoring "
            "%(year)s) has passed with no later decision. Decide now: keep, another warning, "
            "downgrade or revoke, with a reason."
        ),
        params={"platform": submission.platform.name, **params},
    )
    notify_operators(
        certification,
        kind=Kind.RECTIFY_OVERDUE,
        subject=subject,
        message=_(
            "The deadline to rectify of %(platform)s after the monitoring %(year)s (%(date)s) "
            "has passed. The officials have been told and will decide on the certification."
        ),
        params=params,
        email=email,
    )
