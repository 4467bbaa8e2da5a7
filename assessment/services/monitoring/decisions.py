"""Officials' decisions on returns: keep, warning with a deadline, downgrade, revoke."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, NotFound
from assessment.models import (
    Certification,
    EventKind,
    MonitoringDecision,
    MonitoringFlag,
    MonitoringReturn,
    User,
)
from assessment.models.reviews import CertificationStatus
from assessment.permissions import can_decide_monitoring
from assessment.services.dashboard_cache import dashboard_cache_invalidate
from assessment.services.monitoring.common import (
    D,
    Kind,
    R,
    notify_operators,
    tier_rank,
)
from assessment.services.workflow import lock_submission, record_event
from questionnaires.choices import Tier

# --- Decisions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionNotice:
    subject: Any
    message: Any


_NOTICES = {
    D.KEEP: DecisionNotice(
        _("Monitoring %(year)s: %(platform)s keeps its tier"),
        _("After the monitoring %(year)s, %(platform)s keeps the %(tier)s tier. %(reason)s"),
    ),
    D.WARNING: DecisionNotice(
        _("Monitoring %(year)s: warning for %(platform)s"),
        _(
            "After the monitoring %(year)s, %(platform)s (%(tier)s) is warned and must "
            "rectify by %(date)s: %(reason)s"
        ),
    ),
    D.DOWNGRADE: DecisionNotice(
        _("Monitoring %(year)s: %(platform)s downgraded"),
        _(
            "After the monitoring %(year)s, the certification of %(platform)s was downgraded "
            "from %(before)s to %(tier)s: %(reason)s"
        ),
    ),
    D.REVOKE: DecisionNotice(
        _("Monitoring %(year)s: certification of %(platform)s revoked"),
        _(
            "After the monitoring %(year)s, the %(before)s certification of %(platform)s was "
            "revoked: %(reason)s"
        ),
    ),
}


@transaction.atomic
def monitoring_decide(
    *,
    actor: User,
    monitoring_return: MonitoringReturn,
    kind: str,
    reason: str,
    deadline: date | None = None,
    email: bool = True,
) -> MonitoringDecision:
    """An official's decision on a return, with a reason; applied to the certification at once."""
    certification = monitoring_return.certification
    submission = certification.submission
    if not can_decide_monitoring(actor, submission):
        raise NotFound("not_found", _("That page does not exist or you may not see it."))
    if kind not in D.values:
        raise ApplicationError("invalid_decision", _("Choose a decision."), field="kind")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            "reason_required", _("Give the reason for the decision."), field="reason"
        )
    locked_submission = lock_submission(submission.pk)
    current = Certification.objects.select_for_update().get(pk=certification.pk)
    returned = MonitoringReturn.objects.select_for_update().get(pk=monitoring_return.pk)
    if current.status != CertificationStatus.CERTIFIED:
        raise ApplicationError(
            "not_certified", _("The certification is no longer in force; nothing to decide.")
        )
    if returned.state == R.OPEN:
        raise ApplicationError(
            "return_not_filed",
            _("The return is not filed yet and the window is still open."),
        )
    tier_before = current.tier
    tier_after = tier_before
    if kind == D.WARNING:
        if deadline is None or deadline <= timezone.localdate():
            raise ApplicationError(
                "deadline_required",
                _("A warning needs a deadline to rectify, after today."),
                field="deadline",
            )
    elif kind == D.DOWNGRADE:
        target = returned.recheck_result
        if tier_rank(target) < 0:
            raise ApplicationError(
                "no_lower_tier",
                _("The return reaches no tier; revoke the certification instead."),
                field="kind",
            )
        if tier_rank(target) >= tier_rank(tier_before):
            raise ApplicationError(
                "not_lower",
                _("The return still reaches %(tier)s; there is nothing to downgrade to.")
                % {"tier": Tier(target).label},
                field="kind",
            )
        tier_after = target
    elif kind == D.REVOKE:
        tier_after = ""
    passed = [flag for flag in returned.flags if flag["flag"] == MonitoringFlag.DEADLINE_PASSED]
    if passed:  # a decision after the warning answers the passed deadline
        returned.flags = [flag for flag in returned.flags if flag not in passed]
        returned.save(update_fields=["flags"])
    decision = MonitoringDecision.objects.create(
        monitoring_return=returned,
        kind=kind,
        reason=reason,
        deadline=deadline if kind == D.WARNING else None,
        tier_before=tier_before,
        tier_after=tier_after,
        decided_by=actor,
    )
    dashboard_cache_invalidate()  # every kind counts on the dashboards, keep and warning too
    detail = {
        "monitoring": "decision",
        "decision": kind,
        "year": returned.window.year,
        "tier_before": tier_before,
        "tier_after": tier_after,
        "monitoring_decision": decision.pk,
    }
    if deadline and kind == D.WARNING:
        detail["deadline"] = deadline.isoformat()
    now = timezone.now()
    if kind in (D.DOWNGRADE, D.REVOKE):
        # The higher tier is revoked; a downgrade certifies the lower tier on the same record.
        record_event(
            submission=locked_submission,
            actor=actor,
            kind=EventKind.REVOKED,
            note=reason,
            detail={**detail, "tier": tier_before, "before": "certified", "after": "revoked"},
        )
        if kind == D.REVOKE:
            current.status = CertificationStatus.REVOKED
            current.revoked_by = actor
            current.revoked_at = now
            current.revoke_reason = reason
            current.save(update_fields=["status", "revoked_by", "revoked_at", "revoke_reason"])
        else:
            current.tier = tier_after
            current.save(update_fields=["tier"])
            record_event(
                submission=locked_submission,
                actor=actor,
                kind=EventKind.CERTIFIED,
                note=reason,
                detail={
                    **detail,
                    "tier": tier_after,
                    "valid_until": current.valid_until.isoformat() if current.valid_until else "",
                },
            )
    else:
        record_event(
            submission=locked_submission,
            actor=actor,
            kind=EventKind.DECISION,
            note=reason,
            detail=detail,
        )
    notice = _NOTICES[kind]
    notify_operators(
        current,
        kind=Kind.DECISION,
        subject=notice.subject,
        message=notice.message,
        params={
            "year": returned.window.year,
            "tier": Tier(tier_after or tier_before).label,
            "before": Tier(tier_before).label,
            "reason": reason,
            "date": deadline.isoformat() if deadline else "",
        },
        email=email,
    )
    return decision
