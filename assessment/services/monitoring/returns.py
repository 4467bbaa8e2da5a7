"""Opening a year's window, its reminders, and filing a return with its evidence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, NotFound, PermissionDenied
from assessment.forms_questionnaire import answer_error_message
from assessment.models import (
    Certification,
    EventKind,
    MonitoringEvidence,
    MonitoringFlag,
    MonitoringReturn,
    MonitoringWindow,
    User,
)
from assessment.permissions import can_edit_submission, can_open_monitoring
from assessment.services.dashboard_cache import dashboard_cache_invalidate
from assessment.services.evidence_files import check_evidence_file
from assessment.services.monitoring.common import (
    Kind,
    R,
    certifications_in_force,
    default_fall_threshold,
    last_values,
    monitored_codes,
    notify_operators,
    remind_once,
    tier_rank,
)
from assessment.services.scoring import build_score_inputs, load_score_inputs
from assessment.services.submissions import normalise_answer
from assessment.services.workflow import record_event
from questionnaires.rubric import AnswerError, QuestionType, Rubric
from questionnaires.scoring import score
from questionnaires.selectors import rubric_of

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
        send_window_reminders(window, key="open", email=email)
    dashboard_cache_invalidate()
    return window


def send_window_reminders(window: MonitoringWindow, *, key: str, email: bool = True) -> int:
    sent = 0
    returns = window.returns.filter(state=R.OPEN).select_related(
        "certification__submission__platform"
    )
    for monitoring_return in returns:
        if not remind_once(f"monitoring:{window.pk}:{key}:{monitoring_return.pk}"):
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
        notify_operators(
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
    if tier_rank(result) < tier_rank(monitoring_return.tier_at_opening):
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
    # Filing again does not lift a passed deadline to rectify: only an official's decision does.
    current.flags = monitoring_flags(current, result, rubric) + [
        flag for flag in current.flags if flag["flag"] == MonitoringFlag.DEADLINE_PASSED
    ]
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
    dashboard_cache_invalidate()
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
