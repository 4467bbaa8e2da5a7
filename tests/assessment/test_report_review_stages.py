"""The programme's stages reach the documents: 六、评审情况 of the evaluation report lists the
public notice and its objections and the publication's decision number, and the certificate
carries that number."""

import re
from datetime import date

import pytest
from django.urls import reverse

from assessment.services import programme, reports
from tests.assessment.test_certificate import certificate_url, text_of
from tests.assessment.test_programme_services import _file, _on_notice
from tests.factories import call_for_applications, ministry_official, operator

pytestmark = [pytest.mark.django_db, pytest.mark.once]


def _published():
    call = call_for_applications(decision_number_pattern="工信厅信发〔{year}〕{number}号")
    notice, (submission,) = _on_notice(call)
    objection = _file(notice.entries.get())
    programme.objection_answer(
        actor=ministry_official(), objection=objection, upheld=False, answer="经核实，数据属实。"
    )
    publication = programme.publication_issue(
        actor=ministry_official(), notice=notice, today=date(2027, 3, 12)
    )
    return submission, notice, publication


def test_review_stages_name_the_notice_its_objection_and_the_decision_number():
    submission, notice, publication = _published()
    stages = reports.report_review_stages(submission)
    assert set(stages) == {"panel", "site_check", "public_notice", "publication"}
    assert (stages["public_notice"]["starts_on"], stages["public_notice"]["ends_on"]) == (
        notice.starts_on,
        notice.ends_on,
    )
    assert stages["public_notice"]["objections"] == 1
    assert stages["publication"]["decision_number"] == publication.decision_number


def test_a_submission_outside_the_programme_has_no_later_stages():
    from tests.factories import reviewed_submission

    assert reports.report_review_stages(reviewed_submission(certified=True)) == {}


def test_certificate_and_report_print_the_decision_number(client):
    submission, _notice, publication = _published()
    client.force_login(operator(organisation=submission.platform.organisation))
    certificate = client.get(certificate_url(submission))
    assert certificate.status_code == 200
    number = re.sub(r"\s+", "", publication.decision_number)
    assert number in re.sub(r"\s+", "", text_of(certificate.content))
    report = client.get(
        reverse("submission_report", kwargs={"submission_id": submission.pk}) + "?lang=zh-hans"
    )
    assert report.status_code == 200
    text = re.sub(r"\s+", "", text_of(report.content))
    assert "六、评审情况" in text and number in text
