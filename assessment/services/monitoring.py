"""Annual monitoring (年度监测), dynamic management (动态管理), expiry and renewal.

- An official opens a year's window: every certification in force gets a monitoring return,
  prefilled with last year's values of the monitored indicators (``monitored: true`` in the
  rubric); the operators are notified, and reminded 7 days and 1 day before it closes.
- The operator files the return; the engine re-checks the certified tier on it (the certified
  answers, evidence and review decisions, with the monitored values replaced) and flags: tier
  no longer reached, a fall of more than the window's share, a security incident; a return not
  filed when the window closes is flagged missing (by the daily run).
- An official decides per return: keep, warning with a deadline (限期整改), downgrade to the
  re-checked tier, or revoke. A downgrade is expressed with the certification records: the
  higher tier is revoked (event "revoked") and the lower one certified on the same record
  (event "certified"), valid until the same date; a revocation is a revocation.
- ``monitoring_daily`` (``manage.py monitoring_daily``, run once a day) sends the window and
  expiry reminders (6 months and 1 month before), flags missing returns and notes expiries;
  every reminder is sent once (SentReminder keys), however often it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, NotFound, PermissionDenied
from assessment.forms_questionnaire import answer_error_message
from assessment.models import (
    AssessmentCycle,
    Certification,
    EventKind,
    MonitoringDecision,
    MonitoringDecisionKind,
    MonitoringEvidence,
    MonitoringFlag,
    MonitoringReturn,
    MonitoringReturnState,
    MonitoringWindow,
    Renewal,
    SentReminder,
    Submission,
    User,
)
from assessment.models.reviews import CertificationStatus
from assessment.permissions import can_decide_monitoring, can_edit_submission, can_open_monitoring
from assessment.services import notifications
from assessment.services.dashboard_cache import dashboard_cache_invalidate
from assessment.services.evidence_files import check_evidence_file
from assessment.services.scoring import build_score_inputs, load_score_inputs
from assessment.services.submissions import normalise_answer, submission_copy_from_previous
from assessment.services.workflow import lock_submission, record_event
from questionnaires.choices import TIER_ORDER, Tier
from questionnaires.rubric import AnswerError, QuestionType, Rubric
from questionnaires.scoring import score
from questionnaires.selectors import rubric_of

R = MonitoringReturnState
D = MonitoringDecisionKind
REMINDER_DAYS_BEFORE_CLOSE = (7, 1)
EXPIRY_REMINDERS = (("6m", 183), ("1m", 30))  # key, days before valid_until


class Kind:
    """Notification kinds of this module (Notification.kind)."""

    WINDOW_OPEN = "monitoring_open"
    WINDOW_REMINDER = "monitoring_reminder"
    DECISION = "monitoring_decision"
    EXPIRY = "expiry_reminder"
    EXPIRED = "certification_expired"


def default_fall_threshold() -> Decimal:
    return Decimal(str(getattr(settings, "MONITORING_FALL_THRESHOLD", "0.30")))


def monitored_codes(rubric: Rubric, kind: str) -> list[str]:
    return [i.code for i in rubric.indicators if i.monitored and i.applies_to(kind)]


def _tier_rank(result: str) -> int:
    return TIER_ORDER.index(result) if result in TIER_ORDER else -1


def _remind_once(key: str) -> bool:
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


# --- Opening a window --------------------------------------------------------------------------


@transaction.atomic
def monitoring_window_open(
    *,
    actor: User,
    year: int,
    opens_on: date,
    closes_on: date,
    fall_threshold: Decimal | None = None,
    email: bool = True,
) -> MonitoringWindow:
    """Open the year's monitoring: a return, prefilled, for every certification in force."""
    if not can_open_monitoring(actor):
        raise PermissionDenied(
            "not_national",
            _("Only a national official or an administrator may open a monitoring window."),
        )
    if closes_on < opens_on:
        raise ApplicationError(
            "invalid_dates", _("The window must close on or after it opens."), field="closes_on"
        )
    threshold = default_fall_threshold() if fall_threshold is None else Decimal(fall_threshold)
    if not Decimal(0) < threshold < Decimal(1):
        raise ApplicationError(
            "invalid_threshold",
            _("The flagged fall is a share between 0 and 1 (0.30 = 30 %)."),
            field="fall_threshold",
        )
    if MonitoringWindow.objects.filter(year=year).exists():
        raise ApplicationError(
            "window_exists",
            _("The monitoring window for %(year)s is already open.") % {"year": year},
            field="year",
        )
    window = MonitoringWindow.objects.create(
        year=year,
        opens_on=opens_on,
        closes_on=closes_on,
        fall_threshold=threshold,
        opened_by=actor,
    )
    certifications = certifications_in_force(opens_on).select_related(
        "submission__platform", "submission__cycle", "submission__rubric_version"
    )
    for certification in certifications:
        previous = last_values(certification, year)
        MonitoringReturn.objects.create(
            window=window,
            certification=certification,
            tier_at_opening=certification.tier,
            previous_values=previous,
            values=previous,
        )
        record_event(
            submission=certification.submission,
            actor=actor,
            kind=EventKind.DECISION,
            note=f"monitoring {year}",
            detail={"monitoring": "window_opened", "year": year, "tier": certification.tier},
        )
    if window.is_open():
        _send_window_reminders(window, key="open", email=email)
    return window


def _notify_operators(
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


def _send_window_reminders(window: MonitoringWindow, *, key: str, email: bool = True) -> int:
    sent = 0
    returns = window.returns.filter(state=R.OPEN).select_related(
        "certification__submission__platform"
    )
    for monitoring_return in returns:
        if not _remind_once(f"monitoring:{window.pk}:{key}:{monitoring_return.pk}"):
            continue
        if key == "open":
            subject = _("Annual monitoring %(year)s: file the return of %(platform)s")
            message = _(
                "The annual monitoring %(year)s is open until %(date)s. File the monitoring "
                "return of %(platform)s; the values are prefilled with last year's."
            )
        else:
            subject = _("Reminder: monitoring return of %(platform)s due %(date)s")
            message = _(
                "The monitoring return %(year)s of %(platform)s is not filed yet; the window "
                "closes on %(date)s. A missing return is flagged."
            )
        _notify_operators(
            monitoring_return.certification,
            kind=Kind.WINDOW_OPEN if key == "open" else Kind.WINDOW_REMINDER,
            subject=subject,
            message=message,
            params={"year": window.year, "date": window.closes_on.isoformat()},
            email=email,
        )
        sent += 1
    return sent


# --- Filing a return --------------------------------------------------------------------------


def _require_operator(actor: User, monitoring_return: MonitoringReturn) -> None:
    if not can_edit_submission(actor, monitoring_return.certification.submission):
        raise NotFound("not_found", _("That page does not exist or you may not see it."))


def monitoring_recheck(
    certification: Certification, values: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """The engine's result for the certified answers with the monitored `values` in them.

    Evidence and review decisions stay as certified; a corrected value of a monitored
    indicator gives way to the returned value (its evidence counts as verified).
    """
    submission = certification.submission
    rubric = rubric_of(submission.rubric_version)
    answers, evidenced, decisions = load_score_inputs([submission.pk])[submission.pk]
    merged = dict(answers)
    merged.update(values)
    decisions = dict(decisions)
    for code in values:
        if code in decisions and decisions[code][0] == "corrected":
            decisions[code] = ("verified", None)
    preconditions, inputs = build_score_inputs(rubric, merged.items(), evidenced, decisions)
    result = score(rubric, submission.platform_kind, preconditions, inputs)
    return result.result, result.to_dict()


def monitoring_flags(
    monitoring_return: MonitoringReturn, result: str, rubric: Rubric
) -> list[dict[str, Any]]:
    """The flags of a filed return (pure apart from reading the rubric)."""
    flags: list[dict[str, Any]] = []
    if _tier_rank(result) < _tier_rank(monitoring_return.tier_at_opening):
        flags.append({"flag": MonitoringFlag.TIER_LOST.value, "result": result})
    threshold = Decimal(monitoring_return.window.fall_threshold)
    for code, value in monitoring_return.values.items():
        if not rubric.has_indicator(code):
            continue
        indicator = rubric.indicator(code)
        before = monitoring_return.previous_values.get(code)
        if indicator.type in (QuestionType.NUMERIC, QuestionType.PERCENTAGE):
            if before is None or value is None or Decimal(str(before)) <= 0:
                continue
            fall = (Decimal(str(before)) - Decimal(str(value))) / Decimal(str(before))
            if fall > threshold:
                flags.append(
                    {
                        "flag": MonitoringFlag.FALL.value,
                        "code": code,
                        "share": str(fall.quantize(Decimal("0.01"))),
                    }
                )
        elif indicator.type == QuestionType.BOOLEAN and before is True and value is False:
            # A monitored yes/no (the security record) turned to "no": an incident.
            flags.append({"flag": MonitoringFlag.SECURITY_INCIDENT.value, "code": code})
    if monitoring_return.incident_reported and not any(
        flag["flag"] == MonitoringFlag.SECURITY_INCIDENT for flag in flags
    ):
        flags.append({"flag": MonitoringFlag.SECURITY_INCIDENT.value, "code": ""})
    return flags


@transaction.atomic
def monitoring_return_file(
    *,
    actor: User,
    monitoring_return: MonitoringReturn,
    values: dict[str, Any],
    incident_reported: bool = False,
    incident_description: str = "",
) -> MonitoringReturn:
    """Store and file a return; refused (listing every invalid value) unless all are valid.

    A return can be filed again while the window is open; the latest filing counts.
    """
    _require_operator(actor, monitoring_return)
    current = MonitoringReturn.objects.select_for_update().get(pk=monitoring_return.pk)
    window = current.window
    if not window.is_open() or current.state == R.MISSING:
        raise ApplicationError(
            "window_closed",
            _("The monitoring window %(year)s is not open.") % {"year": window.year},
        )
    submission = current.certification.submission
    rubric = rubric_of(submission.rubric_version)
    codes = monitored_codes(rubric, submission.platform_kind)
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for code in codes:
        try:
            cleaned[code] = normalise_answer(rubric, code, values.get(code))
        except AnswerError as error:
            errors[code] = answer_error_message(error.code)
            continue
        if cleaned[code] is None:
            errors[code] = answer_error_message("missing")
    if incident_reported and not (incident_description or "").strip():
        errors["incident_description"] = str(_("Describe the incident."))
    if errors:
        first = next(iter(errors))
        raise ApplicationError(
            "invalid_return",
            _("The return has %(count)d invalid value(s); nothing was stored.")
            % {"count": len(errors)},
            field=first,
            params={"errors": errors},
        )
    current.values = cleaned
    current.incident_reported = bool(incident_reported)
    current.incident_description = (incident_description or "").strip()[:4000]
    result, breakdown = monitoring_recheck(current.certification, cleaned)
    current.recheck_result = result
    current.recheck_breakdown = breakdown
    current.flags = monitoring_flags(current, result, rubric)
    current.state = R.FILED
    current.filed_by = actor
    current.filed_at = timezone.now()
    current.save()
    record_event(
        submission=submission,
        actor=actor,
        kind=EventKind.ANSWER_CHANGED,
        note=f"monitoring {window.year}",
        detail={
            "monitoring": "return_filed",
            "year": window.year,
            "values": cleaned,
            "recheck_result": result,
            "flags": current.flags,
        },
    )
    return current


@transaction.atomic
def monitoring_evidence_add(
    *,
    actor: User,
    monitoring_return: MonitoringReturn,
    question_code: str,
    uploaded_file=None,
    url: str = "",
) -> MonitoringEvidence:
    """Attach a checked file (as questionnaire evidence) or a link to a monitored value."""
    _require_operator(actor, monitoring_return)
    current = MonitoringReturn.objects.select_for_update().get(pk=monitoring_return.pk)
    if not current.window.is_open() or current.state == R.MISSING:
        raise ApplicationError(
            "window_closed",
            _("The monitoring window %(year)s is not open.") % {"year": current.window.year},
        )
    submission = current.certification.submission
    rubric = rubric_of(submission.rubric_version)
    if question_code not in monitored_codes(rubric, submission.platform_kind):
        raise ApplicationError(
            "unknown_question",
            _("Question %(code)s is not part of this questionnaire.") % {"code": question_code},
            field="question_code",
        )
    evidence = MonitoringEvidence(
        monitoring_return=current, question_code=question_code, uploaded_by=actor
    )
    if uploaded_file is not None:
        checked = check_evidence_file(uploaded_file)
        evidence.original_name = checked.original_name
        evidence.content_type = checked.content_type
        evidence.size = checked.size
        evidence.sha256 = checked.sha256
        evidence.file.save(checked.original_name, uploaded_file, save=False)
    else:
        url = (url or "").strip()
        if not url.lower().startswith(("https://", "http://")):
            raise ApplicationError(
                "invalid_link", _("Enter a web address starting with https://."), field="url"
            )
        evidence.url = url[:500]
    evidence.save()
    record_event(
        submission=submission,
        actor=actor,
        kind=EventKind.EVIDENCE_ADDED,
        question_code=question_code,
        note=f"monitoring {current.window.year}",
        detail={
            "monitoring_evidence": evidence.pk,
            "name": evidence.original_name or evidence.url,
            "sha256": evidence.sha256,
        },
    )
    return evidence


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
        if _tier_rank(target) < 0:
            raise ApplicationError(
                "no_lower_tier",
                _("The return reaches no tier; revoke the certification instead."),
                field="kind",
            )
        if _tier_rank(target) >= _tier_rank(tier_before):
            raise ApplicationError(
                "not_lower",
                _("The return still reaches %(tier)s; there is nothing to downgrade to.")
                % {"tier": Tier(target).label},
                field="kind",
            )
        tier_after = target
    elif kind == D.REVOKE:
        tier_after = ""
    decision = MonitoringDecision.objects.create(
        monitoring_return=returned,
        kind=kind,
        reason=reason,
        deadline=deadline if kind == D.WARNING else None,
        tier_before=tier_before,
        tier_after=tier_after,
        decided_by=actor,
    )
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
        dashboard_cache_invalidate()
    else:
        record_event(
            submission=locked_submission,
            actor=actor,
            kind=EventKind.DECISION,
            note=reason,
            detail=detail,
        )
    notice = _NOTICES[kind]
    _notify_operators(
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


# --- Renewal -------------------------------------------------------------------------------------


@transaction.atomic
def renewal_start(
    *, actor: User, certification: Certification, cycle: AssessmentCycle
) -> Submission:
    """A renewal: a new draft in `cycle` copied from the certified submission, marked so."""
    certified = certification.submission
    if certification.status != CertificationStatus.CERTIFIED:
        raise ApplicationError("not_certified", _("Only a certification in force can be renewed."))
    submission = submission_copy_from_previous(
        actor=actor, platform=certified.platform, cycle=cycle
    )
    Renewal.objects.create(submission=submission, renews=certification)
    record_event(
        submission=submission,
        actor=actor,
        kind=EventKind.COPIED,
        note="renewal",
        detail={"renewal_of": certification.pk, "tier": certification.tier},
    )
    return submission


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
            run.window_reminders += _send_window_reminders(window, key="open", email=email)
            days_left = (window.closes_on - today).days
            for days in REMINDER_DAYS_BEFORE_CLOSE:
                if days_left <= days:
                    run.window_reminders += _send_window_reminders(
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
            if not _remind_once(f"expiry:{key}:{certification.pk}:{certification.valid_until}"):
                continue
            _notify_operators(
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
        if not _remind_once(f"expired:{certification.pk}:{certification.valid_until}"):
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
        _notify_operators(
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


__all__ = [
    "certified_values",
    "monitored_codes",
    "monitoring_daily",
    "monitoring_decide",
    "monitoring_flags",
    "monitoring_recheck",
    "monitoring_return_file",
    "monitoring_window_open",
    "renewal_start",
]
