"""Annual monitoring: windows, returns, the re-check and its flags, decisions and their effect on
register, dashboards and verification, reminders, expiry and renewal (services.monitoring)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from assessment.errors import ApplicationError
from assessment.models import (
    Certification,
    EventKind,
    MonitoringReturn,
    Notification,
    Renewal,
    SubmissionEvent,
)
from assessment.selectors.reviews import RegisterFilters, register_certifications
from assessment.services.monitoring import (
    monitored_codes,
    monitoring_daily,
    monitoring_decide,
    monitoring_return_file,
    monitoring_window_open,
    renewal_start,
)
from questionnaires.selectors import rubric_of
from tests.factories import (
    CycleFactory,
    admin,
    answer_meeting,
    operator,
    reviewed_submission,
    reviewer,
)

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _certified(tier="growth"):
    submission = reviewed_submission(result=tier, certified=True, platform__kind="industry")
    certification = submission.certification
    # Certified a year ago, so that it is in force when this year's window opens.
    Certification.objects.filter(pk=certification.pk).update(
        certified_at=timezone.now() - timedelta(days=365)
    )
    certification.refresh_from_db()
    return certification


def _window(**fields):
    fields.setdefault("year", _today().year)
    fields.setdefault("opens_on", _today())
    fields.setdefault("closes_on", _today() + timedelta(days=30))
    return monitoring_window_open(actor=admin(), **fields)


def _return(certification) -> MonitoringReturn:
    return MonitoringReturn.objects.get(certification=certification)


def _operator_of(certification):
    return operator(organisation=certification.submission.platform.organisation)


def _values_at(certification, tier):
    submission = certification.submission
    rubric = rubric_of(submission.rubric_version)
    return {
        code: answer_meeting(rubric.indicator(code), submission.platform_kind, tier)
        for code in monitored_codes(rubric, submission.platform_kind)
    }


def _file(certification, values=None, **fields):
    monitoring_return = _return(certification)
    return monitoring_return_file(
        actor=_operator_of(certification),
        monitoring_return=monitoring_return,
        values=values if values is not None else dict(monitoring_return.values),
        **fields,
    )


def _official(certification):
    return reviewer(certification.submission.platform.region.province_code)


# --- Windows and returns -----------------------------------------------------------------------


def test_opening_a_window_prefills_a_return_for_every_certification_in_force():
    certification = _certified()
    person = _operator_of(certification)
    window = _window()
    monitoring_return = _return(certification)
    assert monitoring_return.window == window
    rubric = rubric_of(certification.submission.rubric_version)
    codes = monitored_codes(rubric, "industry")
    assert set(monitoring_return.previous_values) == set(codes)
    assert monitoring_return.values == monitoring_return.previous_values
    assert Notification.objects.filter(kind="monitoring_open", recipient=person).count() == 1


def test_only_national_officials_open_a_window():
    with pytest.raises(ApplicationError) as refused:
        monitoring_window_open(
            actor=reviewer("440000"),
            year=2030,
            opens_on=_today(),
            closes_on=_today() + timedelta(days=5),
        )
    assert refused.value.code == "not_national"


def test_next_year_is_prefilled_with_last_years_return():
    certification = _certified()
    _window(year=2040)
    values = _values_at(certification, "growth")
    values["D1.2"] = values["D1.2"] + 1
    _file(certification, values)
    following = monitoring_window_open(
        actor=admin(), year=2041, opens_on=_today(), closes_on=_today() + timedelta(days=3)
    )
    assert following.returns.get().previous_values["D1.2"] == values["D1.2"]


def test_a_return_with_an_invalid_value_is_refused_and_not_stored():
    certification = _certified()
    _window()
    values = dict(_return(certification).values, **{"D1.2": -1})
    with pytest.raises(ApplicationError) as refused:
        _file(certification, values)
    assert "D1.2" in refused.value.params["errors"]
    assert _return(certification).state == "open"


# --- Flags ---------------------------------------------------------------------------------------


def test_a_return_as_last_year_keeps_the_tier_and_has_no_flags():
    certification = _certified()
    _window()
    filed = _file(certification)
    assert filed.state == "filed"
    assert filed.recheck_result == "growth"
    assert filed.flags == []


def test_a_return_that_loses_a_tier_is_flagged():
    certification = _certified()
    _window()
    filed = _file(certification, _values_at(certification, "basic"))
    assert filed.recheck_result == "basic"
    assert "tier_lost" in filed.flag_codes


def test_a_fall_of_more_than_the_share_is_flagged_and_less_is_not():
    certification = _certified()
    _window(fall_threshold=Decimal("0.30"))
    values = dict(_return(certification).values)
    before = values["D1.2"]
    values["D1.2"] = int(before * 0.75)  # a fall of 25 %
    assert "fall" not in _file(certification, values).flag_codes
    values["D1.2"] = int(before * 0.6)  # a fall of 40 %
    flagged = _file(certification, values)
    assert {"flag": "fall", "code": "D1.2", "share": "0.40"} in flagged.flags


def test_a_security_record_turned_to_no_is_an_incident():
    certification = _certified("ecosystem")
    _window()
    values = dict(_return(certification).values, **{"D8.6": False})
    assert "security_incident" in _file(certification, values).flag_codes


def test_a_reported_incident_needs_a_description_and_is_flagged():
    certification = _certified()
    _window()
    with pytest.raises(ApplicationError):
        _file(certification, incident_reported=True)
    filed = _file(certification, incident_reported=True, incident_description="勒索病毒")
    assert "security_incident" in filed.flag_codes


def test_a_return_not_filed_when_the_window_closes_is_flagged_missing():
    certification = _certified()
    window = _window(closes_on=_today() + timedelta(days=2))
    assert monitoring_daily(today=window.closes_on).missing_returns == 0
    run = monitoring_daily(today=window.closes_on + timedelta(days=1))
    assert run.missing_returns == 1
    assert _return(certification).flag_codes == ["missing"]


# --- Decisions -----------------------------------------------------------------------------------


def _register_tiers():
    page = register_certifications(filters=RegisterFilters())
    return {row.submission_id: row.tier for row in page.object_list}


def test_downgrade_certifies_the_lower_tier_on_register_dashboard_and_verification():
    certification = _certified()
    _window()
    _operator_of(certification)
    _file(certification, _values_at(certification, "basic"))
    decision = monitoring_decide(
        actor=_official(certification),
        monitoring_return=_return(certification),
        kind="downgrade",
        reason="设备连接数大幅下降",
    )
    certification.refresh_from_db()
    assert decision.tier_before == "growth" and decision.tier_after == "basic"
    assert certification.tier == "basic" and certification.status == "certified"
    assert _register_tiers()[certification.submission_id] == "basic"
    kinds = list(
        SubmissionEvent.objects.filter(submission=certification.submission)
        .order_by("-id")
        .values_list("kind", flat=True)[:2]
    )
    assert kinds == [EventKind.CERTIFIED, EventKind.REVOKED]
    assert Notification.objects.filter(kind="monitoring_decision").exists()


def test_downgrade_is_refused_when_the_return_keeps_the_tier():
    certification = _certified()
    _window()
    _file(certification)
    with pytest.raises(ApplicationError) as refused:
        monitoring_decide(
            actor=_official(certification),
            monitoring_return=_return(certification),
            kind="downgrade",
            reason="x",
        )
    assert refused.value.code == "not_lower"


def test_revoke_takes_the_platform_off_the_register():
    certification = _certified()
    _window()
    _file(certification, _values_at(certification, "basic"))
    monitoring_decide(
        actor=_official(certification),
        monitoring_return=_return(certification),
        kind="revoke",
        reason="拒不整改",
    )
    certification.refresh_from_db()
    assert certification.status == "revoked" and certification.revoke_reason == "拒不整改"
    assert certification.submission_id not in _register_tiers()


def test_a_warning_needs_a_deadline_and_keeps_the_tier():
    certification = _certified()
    _window()
    _file(certification, _values_at(certification, "basic"))
    official = _official(certification)
    with pytest.raises(ApplicationError) as refused:
        monitoring_decide(
            actor=official,
            monitoring_return=_return(certification),
            kind="warning",
            reason="限期整改",
        )
    assert refused.value.code == "deadline_required"
    decision = monitoring_decide(
        actor=official,
        monitoring_return=_return(certification),
        kind="warning",
        reason="限期整改",
        deadline=_today() + timedelta(days=90),
    )
    certification.refresh_from_db()
    assert decision.deadline and certification.tier == "growth"
    assert SubmissionEvent.objects.filter(
        submission=certification.submission, kind=EventKind.DECISION, note="限期整改"
    ).exists()


def test_keep_needs_a_reason_and_changes_nothing():
    certification = _certified()
    _window()
    _file(certification)
    with pytest.raises(ApplicationError):
        monitoring_decide(
            actor=_official(certification),
            monitoring_return=_return(certification),
            kind="keep",
            reason=" ",
        )
    monitoring_decide(
        actor=_official(certification),
        monitoring_return=_return(certification),
        kind="keep",
        reason="数据正常",
    )
    assert _register_tiers()[certification.submission_id] == "growth"


def test_an_official_out_of_scope_cannot_decide():
    certification = _certified()
    _window()
    _file(certification)
    with pytest.raises(ApplicationError) as refused:
        monitoring_decide(
            actor=reviewer("330000"),
            monitoring_return=_return(certification),
            kind="keep",
            reason="x",
        )
    assert refused.value.code == "not_found"


# --- Reminders, expiry, renewal -----------------------------------------------------------------


def test_window_reminders_go_out_7_and_1_days_before_closing_once_each():
    certification = _certified()
    person = _operator_of(certification)
    window = _window(closes_on=_today() + timedelta(days=20))
    mail.outbox.clear()
    assert monitoring_daily(today=_today()).window_reminders == 0  # the opening one is sent
    assert monitoring_daily(today=window.closes_on - timedelta(days=7)).window_reminders == 1
    assert monitoring_daily(today=window.closes_on - timedelta(days=7)).window_reminders == 0
    assert monitoring_daily(today=window.closes_on - timedelta(days=1)).window_reminders == 1
    assert Notification.objects.filter(kind="monitoring_reminder", recipient=person).count() == 2


def test_a_filed_return_gets_no_reminder():
    certification = _certified()
    window = _window(closes_on=_today() + timedelta(days=5))
    _file(certification)
    assert monitoring_daily(today=window.closes_on - timedelta(days=1)).window_reminders == 0


def test_expiry_reminders_6_months_and_1_month_before_once_each():
    certification = _certified()
    person = _operator_of(certification)
    until = certification.valid_until
    assert monitoring_daily(today=until - timedelta(days=200)).expiry_reminders == 0
    assert monitoring_daily(today=until - timedelta(days=183)).expiry_reminders == 1
    assert monitoring_daily(today=until - timedelta(days=100)).expiry_reminders == 0
    assert monitoring_daily(today=until - timedelta(days=30)).expiry_reminders == 1
    assert monitoring_daily(today=until - timedelta(days=29)).expiry_reminders == 0
    assert Notification.objects.filter(kind="expiry_reminder", recipient=person).count() == 2


def test_an_expired_certification_leaves_the_register_on_its_expiry_date():
    certification = _certified()
    until = certification.valid_until
    assert certification.submission_id in {
        row.submission_id
        for row in register_certifications(filters=RegisterFilters(), today=until).object_list
    }
    after = until + timedelta(days=1)
    assert certification.submission_id not in {
        row.submission_id
        for row in register_certifications(filters=RegisterFilters(), today=after).object_list
    }
    assert monitoring_daily(today=after).expired == 1
    assert monitoring_daily(today=after).expired == 0
    assert (
        SubmissionEvent.objects.filter(submission=certification.submission, note="expired").count()
        == 1
    )


def test_the_daily_command_runs(capsys):
    _certified()
    call_command("monitoring_daily")
    assert "reminders" in capsys.readouterr().out


def test_renewal_copies_the_certified_submission_and_is_marked():
    certification = _certified()
    actor = _operator_of(certification)
    cycle = CycleFactory()
    today = certification.valid_until - timedelta(days=30)  # inside the renewal window
    renewal = renewal_start(actor=actor, certification=certification, cycle=cycle, today=today)
    assert Renewal.objects.get(submission=renewal).renews == certification
    assert renewal.answers.count() == certification.submission.answers.count()


def test_a_downgrade_shows_at_once_on_the_dashboard_and_the_verification_page():
    from assessment.selectors.dashboards import DashboardFilters, dashboard_platforms
    from assessment.services.reports import report_issue, report_verify

    certification = _certified()
    submission = certification.submission
    national = admin()
    filters = DashboardFilters(cycle=submission.cycle.code)

    def dashboard_tier():
        rows = dashboard_platforms(user=national, filters=filters)
        return next(row["certified_tier"] for row in rows if row["id"] == submission.pk)

    report = report_issue(submission=submission, language="zh-hans", user=None)
    assert dashboard_tier() == "growth"
    assert report_verify(number=report.number)["tier"] == "growth"
    _window()
    _file(certification, _values_at(certification, "basic"))
    monitoring_decide(
        actor=_official(certification),
        monitoring_return=_return(certification),
        kind="downgrade",
        reason="降级",
    )
    assert dashboard_tier() == "basic"
    verification = report_verify(number=report.number)
    assert verification["tier"] == "basic"
    assert verification["facts_match"] is False  # the issued report no longer holds
