"""A warning's deadline to rectify (限期整改) in the daily run: reminders 7 days and 1 day before,
the flag, the notices and the event once the deadline has passed, never twice, cleared by a later
decision; the housekeeping run starts the daily run once a day. Expiry on the day."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessment.management.commands.housekeeping import monitoring_daily_once
from assessment.models import (
    Certification,
    MonitoringReturn,
    Notification,
    SentReminder,
    SubmissionEvent,
)
from assessment.services.monitoring import (
    monitoring_daily,
    monitoring_decide,
    monitoring_return_file,
    monitoring_window_open,
)
from tests.factories import CertificationFactory, admin, operator, reviewed_submission, reviewer

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


@pytest.fixture
def warned():
    """A filed return warned with a deadline 10 days ahead; the operator and the official."""
    submission = reviewed_submission(result="growth", certified=True, platform__kind="industry")
    Certification.objects.filter(submission=submission).update(
        certified_at=timezone.now() - timedelta(days=365)
    )
    certification = Certification.objects.get(submission=submission)
    person = operator(organisation=submission.platform.organisation)
    official = reviewer(submission.platform.region.province_code)
    monitoring_window_open(
        actor=admin(), year=_today().year, opens_on=_today(), closes_on=_today() + timedelta(5)
    )
    monitoring_return = MonitoringReturn.objects.get(certification=certification)
    monitoring_return_file(
        actor=person, monitoring_return=monitoring_return, values=dict(monitoring_return.values)
    )
    warning = monitoring_decide(
        actor=official,
        monitoring_return=monitoring_return,
        kind="warning",
        reason="安全制度不完善",
        deadline=_today() + timedelta(days=10),
        email=False,
    )
    return {"warning": warning, "operator": person, "official": official}


def _flags(warning):
    return MonitoringReturn.objects.get(pk=warning.monitoring_return_id).flag_codes


def _notices(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind).count()


def _passed_events(warning):
    return SubmissionEvent.objects.filter(
        submission=warning.monitoring_return.certification.submission,
        detail__monitoring="deadline_passed",
    ).count()


def test_the_operator_is_reminded_7_days_and_1_day_before_the_deadline_once_each(warned):
    warning, person = warned["warning"], warned["operator"]
    deadline = warning.deadline
    assert monitoring_daily(today=deadline - timedelta(days=8)).deadline_reminders == 0
    assert monitoring_daily(today=deadline - timedelta(days=7)).deadline_reminders == 1
    assert monitoring_daily(today=deadline - timedelta(days=6)).deadline_reminders == 0
    assert monitoring_daily(today=deadline - timedelta(days=1)).deadline_reminders == 1
    assert monitoring_daily(today=deadline - timedelta(days=1)).deadline_reminders == 0
    assert _notices(person, "rectification_reminder") == 2


def test_nothing_is_flagged_the_day_before_nor_on_the_day(warned):
    warning = warned["warning"]
    for day in (warning.deadline - timedelta(days=1), warning.deadline):
        assert monitoring_daily(today=day).deadlines_passed == 0
    assert "deadline_passed" not in _flags(warning)
    assert _passed_events(warning) == 0


def test_after_the_deadline_the_return_is_flagged_notified_and_recorded_once(warned):
    warning, person, official = warned["warning"], warned["operator"], warned["official"]
    after = warning.deadline + timedelta(days=1)
    assert monitoring_daily(today=after).deadlines_passed == 1
    assert monitoring_daily(today=after).deadlines_passed == 0
    assert monitoring_daily(today=after + timedelta(days=3)).deadlines_passed == 0
    assert "deadline_passed" in _flags(warning)
    assert _notices(official, "rectification_overdue") == 1
    assert _notices(person, "rectification_overdue") == 1
    assert _passed_events(warning) == 1
    certification = Certification.objects.get(pk=warning.monitoring_return.certification_id)
    # No automatic downgrade: the tier stays until an official decides.
    assert (certification.status, certification.tier) == ("certified", "growth")


def test_a_decision_after_the_warning_clears_the_flag_and_stops_the_sweep(warned):
    warning, official = warned["warning"], warned["official"]
    monitoring_daily(today=warning.deadline + timedelta(days=1))
    monitoring_decide(
        actor=official,
        monitoring_return=MonitoringReturn.objects.get(pk=warning.monitoring_return_id),
        kind="keep",
        reason="已完成整改",
        email=False,
    )
    assert "deadline_passed" not in _flags(warning)
    SentReminder.objects.filter(key__startswith="rectify:").delete()
    assert monitoring_daily(today=warning.deadline + timedelta(days=2)).deadlines_passed == 0


def test_a_warning_decided_before_the_deadline_passed_is_never_flagged(warned):
    warning, official = warned["warning"], warned["official"]
    monitoring_decide(
        actor=official,
        monitoring_return=MonitoringReturn.objects.get(pk=warning.monitoring_return_id),
        kind="keep",
        reason="已完成整改",
        email=False,
    )
    assert monitoring_daily(today=warning.deadline + timedelta(days=1)).deadlines_passed == 0
    assert _passed_events(warning) == 0


def test_the_monitoring_screen_shows_the_passed_deadline(warned, client):
    warning, official = warned["warning"], warned["official"]
    monitoring_daily(today=warning.deadline + timedelta(days=1))
    client.force_login(official)
    page = client.get(reverse("monitoring_window", args=[_today().year]) + "?flagged=1")
    text = page.content.decode()
    assert 'data-flag="deadline_passed"' in text
    assert f"整改期限已过（{warning.deadline.isoformat()}）" in text


def test_housekeeping_starts_the_daily_run_once_a_day(warned):
    warning = warned["warning"]
    after = warning.deadline + timedelta(days=1)
    assert monitoring_daily_once(today=after) is True
    assert monitoring_daily_once(today=after) is False
    assert _passed_events(warning) == 1


def test_the_daily_command_reports_the_deadlines(capsys):
    call_command("monitoring_daily", "--date", _today().isoformat())
    assert "deadlines passed 0" in capsys.readouterr().out


# --- Expiry on the day (computed when read, so no job is needed) ------------------------------


def test_the_public_register_drops_a_certification_the_day_after_its_last_valid_day(client):
    last_day = _today()
    certification = CertificationFactory(valid_until=last_day, tier="growth")
    name = certification.submission.platform.name
    assert name in client.get(reverse("public_register")).content.decode()
    api = client.get(reverse("api-public-register")).json()
    assert name in str(api)
    Certification.objects.filter(pk=certification.pk).update(
        valid_until=last_day - timedelta(days=1)
    )
    assert name not in client.get(reverse("public_register")).content.decode()
    assert name not in str(client.get(reverse("api-public-register")).json())
