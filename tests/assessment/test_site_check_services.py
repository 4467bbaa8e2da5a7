"""On-site checks on a real database: the checklist from the tier's gates and numeric criteria,
findings, files through the evidence checks, the verdict moving the submission, refusals."""

import pytest

from assessment.errors import ApplicationError
from assessment.models import SiteCheck, SiteCheckFile
from assessment.services import site_checks
from assessment.services.evidence_files import in_memory_file
from questionnaires.selectors import rubric_of
from tests.factories import panel_submission, pdf_bytes, reviewer

pytestmark = pytest.mark.django_db


def waiting(tier="leading"):
    return panel_submission(tier=tier, state="site_check")


def test_checklist_has_every_gate_and_numeric_criterion_of_the_tier():
    submission = waiting()
    check = site_checks.site_check_open(actor=reviewer(is_national=True), submission=submission)
    rubric = rubric_of(submission.rubric_version)
    expected = [
        indicator.code
        for indicator in rubric.indicators
        if indicator.applies_to("industry")
        and indicator.criterion("leading") is not None
        and (indicator.criterion("leading").gate or indicator.type in ("numeric", "percentage"))
    ]
    assert list(check.items.values_list("question_code", flat=True)) == expected
    d12 = check.items.get(question_code="D1.2")
    assert (d12.kind, d12.target, d12.declared) == ("numeric", "1000000", 1000000)


def test_failed_check_returns_to_expert_review_with_findings():
    submission = waiting()
    inspector = reviewer(is_national=True)
    check = site_checks.site_check_open(actor=inspector, submission=submission)
    for item in check.items.all():
        status = "not_confirmed" if item.question_code == "D1.2" else "confirmed"
        site_checks.site_check_record_finding(
            actor=inspector, item=item, status=status, finding="现场仅见 40 万台设备"
        )
    with pytest.raises(ApplicationError) as refused:
        site_checks.site_check_decide(actor=inspector, site_check=check, verdict="passed")
    assert refused.value.code == "verdict_contradicts_findings"
    site_checks.site_check_decide(
        actor=inspector, site_check=check, verdict="failed", summary="设备接入数不实。"
    )
    submission.refresh_from_db()
    assert submission.state == "expert_review"
    event = submission.events.filter(to_state="expert_review").last()
    assert event.detail["findings"][0]["code"] == "D1.2"


def test_passed_check_goes_to_public_notice():
    submission = waiting()
    inspector = reviewer(is_national=True)
    check = site_checks.site_check_open(actor=inspector, submission=submission)
    with pytest.raises(ApplicationError) as refused:
        site_checks.site_check_decide(actor=inspector, site_check=check, verdict="passed")
    assert refused.value.code == "findings_missing"
    for item in check.items.all():
        site_checks.site_check_record_finding(actor=inspector, item=item, status="confirmed")
    site_checks.site_check_decide(actor=inspector, site_check=check, verdict="passed")
    submission.refresh_from_db()
    assert submission.state == "public_notice"


def test_files_go_through_the_evidence_checks():
    submission = waiting()
    inspector = reviewer(is_national=True)
    check = site_checks.site_check_open(actor=inspector, submission=submission)
    attached = site_checks.site_check_attach(
        actor=inspector, site_check=check, uploaded_file=in_memory_file(pdf_bytes(), "记录.pdf")
    )
    assert attached.content_type == "application/pdf"
    with pytest.raises(ApplicationError):
        site_checks.site_check_attach(
            actor=inspector,
            site_check=check,
            uploaded_file=in_memory_file(b"MZ\x90\x00binary", "tool.exe"),
        )
    assert SiteCheckFile.objects.count() == 1


def test_provincial_reviewer_and_proposer_cannot_check_on_site():
    submission = waiting()
    with pytest.raises(ApplicationError) as refused:
        site_checks.site_check_open(actor=reviewer("440000"), submission=submission)
    assert refused.value.code == "not_site_inspector"
    national_proposer = reviewer(is_national=True)
    submission.assigned_reviewer = national_proposer
    submission.save(update_fields=["assigned_reviewer"])
    with pytest.raises(ApplicationError) as refused:
        site_checks.site_check_open(actor=national_proposer, submission=submission)
    assert refused.value.code == "proposer"
    assert not SiteCheck.objects.exists()


def test_growth_applications_are_not_checked_on_site():
    submission = waiting(tier="growth")
    with pytest.raises(ApplicationError) as refused:
        site_checks.site_check_open(actor=reviewer(is_national=True), submission=submission)
    assert refused.value.code == "no_site_check"
