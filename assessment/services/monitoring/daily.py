"""The daily run: reminders, missing returns, expiries (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.models import (
    Certification,
    EventKind,
    MonitoringFlag,
    MonitoringWindow,
)
from assessment.models.reviews import CertificationStatus
from assessment.services.dashboard_cache import dashboard_cache_invalidate
from assessment.services.monitoring.common import (
    EXPIRY_REMINDERS,
    REMINDER_DAYS_BEFORE_CLOSE,
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
    if run.expired:
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
