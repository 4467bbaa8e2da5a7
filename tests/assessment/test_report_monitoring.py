"""The evaluation report prints the certification's monitoring history (issue #15: every
decision is printed on later reports): each year's return (filed or missing, its flags) and
each decision (kind, date, reason, new tier), in both languages, read back from the PDF."""

import io
import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from assessment.models import Certification, MonitoringReturn
from assessment.selectors.reports import report_submission_queryset
from assessment.services import reports
from assessment.services.monitoring import (
    monitored_codes,
    monitoring_daily,
    monitoring_decide,
    monitoring_return_file,
    monitoring_window_open,
)
from questionnaires.selectors import rubric_of
from tests.factories import admin, answer_meeting, operator, reviewed_submission

pytestmark = [pytest.mark.django_db, pytest.mark.once]

THIS_YEAR = timezone.localdate().year
WARNING_REASON = "逾期未报，限期补报 late return"
DOWNGRADE_REASON = "连接设备数下降 devices fell"


def certified():
    submission = reviewed_submission(result="growth", certified=True, platform__kind="industry")
    # Certified a year ago, so that it is in force when the windows open.
    Certification.objects.filter(submission=submission).update(
        certified_at=timezone.now() - timedelta(days=365)
    )
    return Certification.objects.get(submission=submission)


def open_window(year, opens_on, closes_on):
    return monitoring_window_open(
        actor=admin(), year=year, opens_on=opens_on, closes_on=closes_on, email=False
    )


def file_at(certification, window, tier):
    submission = certification.submission
    rubric = rubric_of(submission.rubric_version)
    values = {
        code: answer_meeting(rubric.indicator(code), submission.platform_kind, tier)
        for code in monitored_codes(rubric, submission.platform_kind)
    }
    return monitoring_return_file(
        actor=operator(organisation=submission.platform.organisation),
        monitoring_return=MonitoringReturn.objects.get(certification=certification, window=window),
        values=values,
    )


def two_years(certification):
    """Last year: no return (missing), a warning; this year: a return that loses a tier, the
    certification downgraded to basic."""
    today = timezone.localdate()
    last = open_window(THIS_YEAR - 1, today - timedelta(days=60), today - timedelta(days=30))
    monitoring_daily(today=today, email=False)
    official = admin()
    monitoring_decide(
        actor=official,
        monitoring_return=last.returns.get(),
        kind="warning",
        reason=WARNING_REASON,
        deadline=today + timedelta(days=90),
        email=False,
    )
    this = open_window(THIS_YEAR, today, today + timedelta(days=30))
    monitoring_decide(
        actor=official,
        monitoring_return=file_at(certification, this, "basic"),
        kind="downgrade",
        reason=DOWNGRADE_REASON,
        email=False,
    )


@pytest.fixture(scope="module")
def texts(django_db_setup, django_db_blocker, tmp_path_factory):
    """The report in each language after two monitoring years, as text per page (one render
    each); the rows are rolled back, so the next tests of this worker meet an empty database."""
    folder = tmp_path_factory.mktemp("monitoring-reports")
    found = {}
    with django_db_blocker.unblock(), transaction.atomic():
        certification = certified()
        two_years(certification)
        submission = report_submission_queryset().get(pk=certification.submission_id)
        for language in ("zh-hans", "en"):
            _report, pdf = reports.submission_report_pdf(
                submission=submission, language=language, user=None
            )
            (folder / f"report-{language}.pdf").write_bytes(pdf)
            found[language] = "".join(
                page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages
            )
        found["deadline"] = (timezone.localdate() + timedelta(days=90)).isoformat()
        found["folder"] = folder
        transaction.set_rollback(True)
    return found


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def section(text: str, language: str) -> str:
    """The monitoring part of the report, up to the evidence annex."""
    with translation.override(language):
        start, end = gettext("Annual monitoring"), gettext("Annex: evidence list")
    body = flat(text)
    return body[body.index(flat(start)) : body.rindex(flat(end))]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_report_prints_each_years_return_and_flags(texts, language):
    printed = section(texts[language], language)
    with translation.override(language):
        expected = [
            gettext("Year"),
            str(THIS_YEAR - 1),
            gettext("Missing"),
            gettext("No return filed"),
            str(THIS_YEAR),
            gettext("Filed"),
            gettext("Tier no longer reached"),
        ]
    for text in expected:
        assert flat(text) in printed, text
    # Oldest year first: last year's missing return before this year's lost tier.
    assert printed.index(flat(expected[3])) < printed.index(flat(expected[6]))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_report_prints_each_decision_with_date_reason_and_new_tier(texts, language):
    printed = section(texts[language], language)
    today = timezone.localdate().isoformat()
    with translation.override(language):
        expected = [
            gettext("Warning: rectify by a deadline"),
            gettext("rectify by %(deadline)s") % {"deadline": texts["deadline"]},
            WARNING_REASON,
            gettext("Downgrade"),
            gettext("new tier: %(after)s (was %(before)s)")
            % {"after": gettext("Basic"), "before": gettext("Growth")},
            DOWNGRADE_REASON,
            today,
        ]
    for text in expected:
        assert flat(text) in printed, text


def test_chinese_report_prints_the_monitoring_in_chinese(texts):
    printed = section(texts["zh-hans"], "zh-hans")
    with translation.override("zh-hans"):
        labels = [gettext("Annual monitoring"), gettext("Missing"), gettext("Downgrade")]
    assert all(re.search(r"[\u4e00-\u9fff]", label) for label in labels), labels
    assert "Downgrade" not in printed


# --- Facts: a decision taken after issue is on the next report --------------------------------


def test_a_keep_decision_after_issue_gives_the_next_report_a_new_number():
    certification = certified()
    today = timezone.localdate()
    window = open_window(THIS_YEAR, today, today + timedelta(days=30))
    filed = file_at(certification, window, "growth")
    submission = certification.submission
    before = reports.report_issue(submission=submission, language="en", user=None)
    assert reports.report_issue(submission=submission, language="en", user=None) == before
    monitoring_decide(
        actor=admin(), monitoring_return=filed, kind="keep", reason="达标", email=False
    )
    after = reports.report_issue(submission=submission, language="en", user=None)
    assert after.number != before.number
    assert after.canonical_data["monitoring"] == [
        [THIS_YEAR, "filed", [], [["keep", today.isoformat(), "growth"]]]
    ]
    assert reports.report_verify(number=before.number)["outcome"] == "changed"
    assert reports.report_verify(number=after.number)["outcome"] == "genuine"


def test_without_monitoring_history_the_facts_are_those_of_earlier_reports():
    # Numbers issued before monitoring existed must keep verifying: no new key in their facts.
    certification = certified()
    today = timezone.localdate()
    open_window(THIS_YEAR, today, today + timedelta(days=30))  # a return still open: no history
    facts = reports.canonical_facts(certification.submission, "en")
    assert "monitoring" not in facts
    assert reports.report_monitoring_history(certification.submission) == []


def test_a_certificate_does_not_state_the_monitoring_years():
    certification = certified()
    today = timezone.localdate()
    window = open_window(THIS_YEAR, today, today + timedelta(days=30))
    filed = file_at(certification, window, "growth")
    monitoring_decide(
        actor=admin(), monitoring_return=filed, kind="keep", reason="达标", email=False
    )
    submission = certification.submission
    assert "monitoring" in reports.document_facts(submission, "en", "report")
    assert "monitoring" not in reports.document_facts(submission, "en", "certificate")
