"""The audit trail's filters (assessment.selectors.audit) on submission events as well as
security events: a province takes its cities, the actor and kind narrow, dates bound."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessment.models import EventKind
from assessment.selectors.audit import audit_rows
from assessment.services.workflow import record_event
from tests.factories import SubmissionFactory, operator, reviewer

pytestmark = pytest.mark.django_db


def _subjects(**filters) -> list[str]:
    return [row.subject for row in audit_rows(filters, limit=50) if row.source == "submission"]


def test_submission_events_filter_by_region_actor_kind_and_date():
    shenzhen = SubmissionFactory()  # a platform in 440300, a city of Guangdong (440000)
    author = operator(organisation=shenzhen.platform.organisation)
    record_event(
        submission=shenzhen, actor=author, kind=EventKind.ANSWER_CHANGED, question_code="D1.2"
    )
    record_event(submission=shenzhen, actor=reviewer("440000"), kind=EventKind.ASSIGNED)
    noted = f"submission {shenzhen.pk} D1.2"
    assigned = f"submission {shenzhen.pk}"
    assert set(_subjects(region="440000")) == {noted, assigned}
    assert _subjects(region="110000") == []
    assert _subjects(actor=author.email.upper()) == [noted]
    assert _subjects(kind=EventKind.ASSIGNED) == [assigned]
    today = timezone.localdate()
    assert len(_subjects(start=today, end=today)) == 2
    assert _subjects(start=today + timedelta(days=1)) == []
    assert _subjects(end=today - timedelta(days=1)) == []
