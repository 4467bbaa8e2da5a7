"""Shared by the monitoring services: vocabulary, last year's values, notices, reminders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from assessment.models import (
    Certification,
    MonitoringDecisionKind,
    MonitoringReturn,
    MonitoringReturnState,
    SentReminder,
)
from assessment.models.reviews import CertificationStatus
from assessment.services import notifications
from assessment.services.scoring import load_score_inputs
from questionnaires.choices import TIER_ORDER
from questionnaires.rubric import Rubric
from questionnaires.selectors import rubric_of

R = MonitoringReturnState
D = MonitoringDecisionKind
REMINDER_DAYS_BEFORE_CLOSE = (7, 1)
REMINDER_DAYS_BEFORE_DEADLINE = (7, 1)  # a warning's deadline to rectify
EXPIRY_REMINDERS = (("6m", 183), ("1m", 30))  # key, days before valid_until


class Kind:
    """Notification kinds of this module (Notification.kind)."""

    WINDOW_OPEN = "monitoring_open"
    WINDOW_REMINDER = "monitoring_reminder"
    DECISION = "monitoring_decision"
    EXPIRY = "expiry_reminder"
    EXPIRED = "certification_expired"
    RECTIFY_REMINDER = "rectification_reminder"
    RECTIFY_OVERDUE = "rectification_overdue"


def default_fall_threshold() -> Decimal:
    return Decimal(str(getattr(settings, "MONITORING_FALL_THRESHOLD", "0.30")))


# Stored rubric versions are immutable, so a version written before the `monitored` key cannot
# gain it; its monitored indicators are declared here instead (devices, enterprises, models,
# solutions, revenue and its share, the security record).
MONITORED_BEFORE_THE_KEY = {
    ("iip-2026", "1.0"): (
        "D1.2",
        "D1.3",
        "D3.1",
        "D3.2",
        "D4.1",
        "D4.2",
        "D5.1",
        "D7.1",
        "D7.3",
        "D8.6",
    ),
}


def monitored_codes(rubric: Rubric, kind: str) -> list[str]:
    declared = MONITORED_BEFORE_THE_KEY.get((rubric.code, rubric.version), ())
    return [
        i.code
        for i in rubric.indicators
        if (i.monitored or i.code in declared) and i.applies_to(kind)
    ]


def tier_rank(result: str) -> int:
    return TIER_ORDER.index(result) if result in TIER_ORDER else -1


def remind_once(key: str) -> bool:
    """True the first time `key` is seen (the caller then sends); False ever after."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def certifications_in_force(on: date):
    return Certification.objects.filter(
        status=CertificationStatus.CERTIFIED, valid_until__gte=on, certified_at__date__lte=on
    )


# --- Last year's values ----------------------------------------------------------------------


def certified_values(certification: Certification) -> dict[str, Any]:
    """The monitored answers as certified (a reviewer's corrected value where there is one)."""
    submission = certification.submission
    rubric = rubric_of(submission.rubric_version)
    codes = set(monitored_codes(rubric, submission.platform_kind))
    answers, _evidenced, decisions = load_score_inputs([submission.pk])[submission.pk]
    values = {code: value for code, value in answers if code in codes}
    for code, (decision, corrected) in decisions.items():
        if code in codes and decision == "corrected":
            values[code] = corrected
    return values


def last_values(certification: Certification, before_year: int) -> dict[str, Any]:
    """Last year's values: the latest filed return before `before_year`, else the certified."""
    previous = (
        MonitoringReturn.objects.filter(
            certification=certification, state=R.FILED, window__year__lt=before_year
        )
        .order_by("-window__year")
        .first()
    )
    return dict(previous.values) if previous is not None else certified_values(certification)


def notify_operators(
    certification: Certification, *, kind, subject, message, params, email: bool = True
) -> None:
    submission = certification.submission
    notifications.notification_send(
        email=email,
        recipients=notifications.operators_of(submission),
        submission=submission,
        kind=kind,
        subject=subject,
        message=message,
        params={"platform": submission.platform.name, **params},
    )
