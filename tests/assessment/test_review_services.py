"""Review desk services on a real database: a full review round, decisions, revision requests,
certification and sign-off, revocation, and the refusals that change nothing."""

from datetime import date

import pytest

from assessment.errors import ApplicationError, PermissionDenied
from assessment.models import (
    Answer,
    Certification,
    EventKind,
    Evidence,
    Notification,
    ReviewDecision,
    Submission,
    SubmissionEvent,
)
from assessment.models.reviews import CertificationStatus
from assessment.selectors.reviews import missing_required_checks, review_screen
from assessment.services import reviews
from assessment.services.scoring import submission_score
from assessment.services.workflow import submission_transition
from questionnaires.rubric import EvidenceStatus
from questionnaires.scoring import AnswerInput, score
from questionnaires.selectors import rubric_of
from tests.factories import (
    EvidenceLinkFactory,
    answer_meeting,
    answered_submission,
    operator,
    reviewer,
)

pytestmark = pytest.mark.django_db


# --- Helpers -------------------------------------------------------------------------------------


class ExpectedInputs:
    """The engine's input for an answered_submission, kept by the test itself: answer values and
    evidence statuses change only as the test says, so the expected score never comes from the
    code under test."""

    def __init__(self, submission, tier):
        self.rubric = rubric_of(submission.rubric_version)
        self.kind = submission.platform_kind
        self.values, self.status = {}, {}
        for indicator in self.rubric.indicators:
            if indicator.applies_to(self.kind):
                self.values[indicator.code] = answer_meeting(indicator, self.kind, tier)
                self.status[indicator.code] = (
                    EvidenceStatus.NONE if indicator.evidence == "none" else EvidenceStatus.UPLOADED
                )

    def result(self):
        answers = {
            code: AnswerInput(value=value, evidence=self.status[code])
            for code, value in self.values.items()
        }
        return score(self.rubric, self.kind, {"P1": True, "P2": True}, answers)


def stored_breakdown(submission):
    submission.refresh_from_db()
    return Submission.objects.get(pk=submission.pk).score_summary.breakdown


def started(submission, desk=None):
    """The submission assigned to a Guangdong reviewer who started the review."""
    desk = desk or reviewer("440000")
    reviews.review_assign(actor=desk, submission=submission, reviewer=desk)
    reviews.review_start(actor=desk, submission=submission)
    return desk


def verify_missing(submission, desk):
    result = submission_score(submission)
    for code in missing_required_checks(submission=submission, result=result):
        reviews.review_decide(
            actor=desk, submission=submission, question_code=code, decision="verified"
        )


# --- A full round --------------------------------------------------------------------------------


def test_full_review_round_scores_as_the_engine_at_every_step(
    django_capture_on_commit_callbacks, mailoutbox
):
    submission = answered_submission(tier="growth")
    member = operator(organisation=submission.platform.organisation)
    expected = ExpectedInputs(submission, "growth")
    assert stored_breakdown(submission) == expected.result().to_dict()

    # Assignment and start.
    desk = started(submission)
    submission.refresh_from_db()
    assert submission.state == "in_review"
    assert submission.review_round == 1

    # Partial verification: a gate and a numeric criterion verified, one numeric rejected.
    reviews.review_decide(
        actor=desk, submission=submission, question_code="D8.1", decision="verified"
    )
    expected.status["D8.1"] = EvidenceStatus.VERIFIED
    assert stored_breakdown(submission) == expected.result().to_dict()
    reviews.review_decide(
        actor=desk, submission=submission, question_code="D1.1", decision="verified"
    )
    expected.status["D1.1"] = EvidenceStatus.VERIFIED
    assert stored_breakdown(submission) == expected.result().to_dict()
    reviews.review_decide(
        actor=desk,
        submission=submission,
        question_code="D1.2",
        decision="rejected",
        reason="设备清单与统计截图不一致",
    )
    expected.status["D1.2"] = EvidenceStatus.REJECTED
    assert stored_breakdown(submission) == expected.result().to_dict()

    # Revision requested on D1.2 only.
    with django_capture_on_commit_callbacks(execute=True):
        reviews.review_request_revision(
            actor=desk, submission=submission, question_codes=["D1.2"], message="请补充设备清单"
        )
    submission.refresh_from_db()
    assert submission.state == "revision_requested"
    assert list(
        Answer.objects.filter(submission=submission, reopened=True).values_list(
            "question_code", flat=True
        )
    ) == ["D1.2"]
    assert Notification.objects.filter(recipient=member, kind="revision_requested").exists()
    assert any(member.email in message.to for message in mailoutbox)

    # The operator fixes D1.2 (a corrected count and a new file) and resubmits.
    Answer.objects.filter(submission=submission, question_code="D1.2").update(value=150000)
    EvidenceLinkFactory(
        submission=submission,
        question_code="D1.2",
        url="https://evidence.example.cn/devices-v2.pdf",
    )
    submission_transition(submission=submission, to_state="resubmitted", actor=member)

    # Second round: the reviewer sees what changed, verifies it and the rest, and certifies.
    reviews.review_start(actor=desk, submission=submission)
    screen = review_screen(user=desk, submission=submission)
    (change,) = screen.diff.changes
    assert (change.code, change.answer_changed, len(change.added)) == ("D1.2", True, 1)
    reviews.review_decide(
        actor=desk, submission=submission, question_code="D1.2", decision="verified"
    )
    expected.values["D1.2"] = 150000
    expected.status["D1.2"] = EvidenceStatus.VERIFIED
    assert stored_breakdown(submission) == expected.result().to_dict()
    for code in missing_required_checks(submission=submission, result=submission_score(submission)):
        reviews.review_decide(
            actor=desk, submission=submission, question_code=code, decision="verified"
        )
        expected.status[code] = EvidenceStatus.VERIFIED
    assert stored_breakdown(submission) == expected.result().to_dict()

    with django_capture_on_commit_callbacks(execute=True):
        certification = reviews.certification_propose(actor=desk, submission=submission)
    submission.refresh_from_db()
    assert submission.state == "certified"
    assert certification.status == CertificationStatus.CERTIFIED
    assert certification.tier == expected.result().result == "growth"
    assert certification.snapshot == expected.result().to_dict()
    assert certification.rubric_label == "iip-2026@1.0"
    assert Notification.objects.filter(recipient=member, kind="certified").exists()


# --- Decisions -----------------------------------------------------------------------------------


def test_a_new_decision_supersedes_the_current_one():
    submission = answered_submission()
    desk = started(submission)
    first = reviews.review_decide(
        actor=desk, submission=submission, question_code="D1.1", decision="verified"
    )
    second = reviews.review_decide(
        actor=desk, submission=submission, question_code="D1.1", decision="rejected", reason="假"
    )
    first.refresh_from_db()
    assert (first.is_current, second.is_current) == (False, True)
    assert ReviewDecision.objects.filter(submission=submission, is_current=True).count() == 1


def test_decision_event_records_before_and_after():
    submission = answered_submission()
    desk = started(submission)
    reviews.review_decide(
        actor=desk, submission=submission, question_code="D1.1", decision="verified"
    )
    reviews.review_decide(
        actor=desk, submission=submission, question_code="D1.1", decision="rejected", reason="假"
    )
    event = SubmissionEvent.objects.filter(submission=submission, kind=EventKind.DECISION).last()
    assert event.detail["before"]["decision"] == "verified"
    assert event.detail["after"]["decision"] == "rejected"
    assert (event.actor, event.question_code) == (desk, "D1.1")


def test_rejection_without_a_reason_is_refused():
    submission = answered_submission()
    desk = started(submission)
    with pytest.raises(ApplicationError) as refused:
        reviews.review_decide(
            actor=desk, submission=submission, question_code="D1.1", decision="rejected", reason=" "
        )
    assert refused.value.field == "reason"
    assert not ReviewDecision.objects.filter(submission=submission).exists()


def test_corrected_value_is_validated_against_the_indicator():
    submission = answered_submission()
    desk = started(submission)
    with pytest.raises(ApplicationError) as refused:
        reviews.review_decide(
            actor=desk,
            submission=submission,
            question_code="D1.1",
            decision="corrected",
            corrected_value="many",
        )
    assert (refused.value.code, refused.value.field) == ("not_a_number", "corrected_value")
    assert not ReviewDecision.objects.filter(submission=submission).exists()


def test_corrected_value_is_scored_with_full_verification():
    submission = answered_submission()
    expected = ExpectedInputs(submission, "basic")
    desk = started(submission)
    decision = reviews.review_decide(
        actor=desk,
        submission=submission,
        question_code="D1.1",
        decision="corrected",
        corrected_value="3",
    )
    assert decision.corrected_value == 3
    expected.values["D1.1"] = 3
    expected.status["D1.1"] = EvidenceStatus.CORRECTED
    assert stored_breakdown(submission) == expected.result().to_dict()


def test_decision_on_an_indicator_of_another_rubric_is_refused():
    submission = answered_submission()
    desk = started(submission)
    with pytest.raises(ApplicationError) as refused:
        reviews.review_decide(
            actor=desk, submission=submission, question_code="D9.9", decision="verified"
        )
    assert refused.value.code == "unknown_indicator"
    assert "D9.9" in str(refused.value.message)


def test_decision_on_an_indicator_not_for_this_kind_is_refused():
    submission = answered_submission()  # an industry platform: D1.3 is for collaborative ones
    desk = started(submission)
    with pytest.raises(ApplicationError) as refused:
        reviews.review_decide(
            actor=desk, submission=submission, question_code="D1.3", decision="verified"
        )
    assert refused.value.code == "indicator_not_applicable"


def test_decision_before_the_review_starts_is_refused():
    submission = answered_submission()
    desk = reviewer("440000")
    reviews.review_assign(actor=desk, submission=submission, reviewer=desk)
    with pytest.raises(ApplicationError) as refused:
        reviews.review_decide(
            actor=desk, submission=submission, question_code="D1.1", decision="verified"
        )
    assert refused.value.code == "wrong_state"


def test_decision_on_a_submission_assigned_to_someone_else_is_refused():
    submission = answered_submission()
    started(submission)
    colleague = reviewer("440000")
    with pytest.raises(PermissionDenied) as refused:
        reviews.review_decide(
            actor=colleague, submission=submission, question_code="D1.1", decision="verified"
        )
    assert refused.value.code == "not_assigned"


def test_decision_outside_the_reviewers_regions_is_refused():
    submission = answered_submission()
    started(submission)
    outsider = reviewer("330000")
    Submission.objects.filter(pk=submission.pk).update(assigned_reviewer=outsider)
    submission.refresh_from_db()
    with pytest.raises(PermissionDenied) as refused:
        reviews.review_decide(
            actor=outsider, submission=submission, question_code="D1.1", decision="verified"
        )
    assert refused.value.code == "outside_regions"


# --- Assignment ----------------------------------------------------------------------------------


def test_reviewer_cannot_take_a_submission_a_colleague_holds():
    submission = answered_submission()
    started(submission)
    colleague = reviewer("440000")
    with pytest.raises(ApplicationError) as refused:
        reviews.review_assign(actor=colleague, submission=submission, reviewer=colleague)
    assert refused.value.code == "already_assigned"


def test_lead_assigns_to_a_reviewer_of_the_region_and_it_is_recorded():
    submission = answered_submission()
    lead = reviewer("440000", is_lead_reviewer=True)
    colleague = reviewer("440300")
    reviews.review_assign(actor=lead, submission=submission, reviewer=colleague)
    submission.refresh_from_db()
    assert submission.assigned_reviewer == colleague
    event = SubmissionEvent.objects.get(submission=submission, kind=EventKind.ASSIGNED)
    assert (event.detail["before"], event.detail["after"]["id"]) == (None, colleague.pk)
    assert Notification.objects.filter(recipient=colleague, kind="assigned").exists()


def test_lead_cannot_assign_to_a_reviewer_of_another_province():
    submission = answered_submission()
    lead = reviewer("440000", is_lead_reviewer=True)
    with pytest.raises(ApplicationError) as refused:
        reviews.review_assign(actor=lead, submission=submission, reviewer=reviewer("330000"))
    assert refused.value.code == "reviewer_not_eligible"


def test_plain_reviewer_cannot_assign_to_others():
    submission = answered_submission()
    with pytest.raises(PermissionDenied):
        reviews.review_assign(
            actor=reviewer("440000"), submission=submission, reviewer=reviewer("440000")
        )


# --- Revision ------------------------------------------------------------------------------------


def test_revision_reopens_exactly_the_named_indicators():
    submission = answered_submission()
    desk = started(submission)
    Answer.objects.filter(submission=submission, question_code="D2.1").update(reopened=True)
    reviews.review_request_revision(
        actor=desk, submission=submission, question_codes=["D1.1", "D8.1"], message="补充材料"
    )
    reopened = set(
        Answer.objects.filter(submission=submission, reopened=True).values_list(
            "question_code", flat=True
        )
    )
    assert reopened == {"D1.1", "D8.1"}
    submission.refresh_from_db()
    assert (submission.state, submission.review_round) == ("revision_requested", 2)


def test_revision_keeps_the_answers_and_evidence_it_was_asked_on():
    submission = answered_submission()
    desk = started(submission)
    reviews.review_request_revision(
        actor=desk, submission=submission, question_codes=["D1.1"], message="补充材料"
    )
    event = SubmissionEvent.objects.get(submission=submission, kind=EventKind.REVISION_REQUESTED)
    evidence_ids = list(
        Evidence.objects.filter(submission=submission, question_code="D1.1").values_list(
            "id", flat=True
        )
    )
    assert event.detail["questions"] == ["D1.1"]
    assert event.detail["answers"] == {"D1.1": 5}
    assert event.detail["evidence"] == {"D1.1": evidence_ids}
    assert event.note == "补充材料"


def test_revision_without_a_message_is_refused_and_changes_nothing():
    submission = answered_submission()
    desk = started(submission)
    with pytest.raises(ApplicationError) as refused:
        reviews.review_request_revision(
            actor=desk, submission=submission, question_codes=["D1.1"], message=""
        )
    assert refused.value.field == "message"
    submission.refresh_from_db()
    assert (submission.state, submission.review_round) == ("in_review", 1)
    assert not Answer.objects.filter(submission=submission, reopened=True).exists()


def test_revision_naming_unknown_questions_is_refused():
    submission = answered_submission()
    desk = started(submission)
    with pytest.raises(ApplicationError) as refused:
        reviews.review_request_revision(
            actor=desk, submission=submission, question_codes=["D1.1", "X1"], message="补充"
        )
    assert refused.value.code == "unknown_indicator"
    assert "X1" in str(refused.value.message)


# --- Certification -------------------------------------------------------------------------------


def test_certification_with_required_checks_missing_is_refused_and_lists_them():
    submission = answered_submission()
    desk = started(submission)
    reviews.review_decide(
        actor=desk, submission=submission, question_code="D8.1", decision="verified"
    )
    missing = missing_required_checks(submission=submission, result=submission_score(submission))
    with pytest.raises(ApplicationError) as refused:
        reviews.certification_propose(actor=desk, submission=submission)
    assert refused.value.code == "checks_missing"
    assert refused.value.params["missing"] == missing
    for code in missing:
        assert code in str(refused.value.message)
    assert not Certification.objects.filter(submission=submission).exists()
    submission.refresh_from_db()
    assert submission.state == "in_review"


def test_basic_is_certified_at_once_and_valid_for_three_years():
    submission = answered_submission(tier="basic")
    desk = started(submission)
    verify_missing(submission, desk)
    certification = reviews.certification_propose(actor=desk, submission=submission)
    assert (certification.tier, certification.status) == ("basic", "certified")
    certified_on = certification.certified_at.astimezone().date()
    assert certification.valid_until.year - certified_on.year == 3
    assert certification.signed_off_by is None


def test_valid_until_of_a_leap_day_is_the_28th_of_february():
    assert reviews.valid_until(date(2028, 2, 29)) == date(2031, 2, 28)


def test_leading_awaits_a_national_sign_off():
    submission = answered_submission(tier="leading")
    desk = started(submission)
    verify_missing(submission, desk)
    certification = reviews.certification_propose(actor=desk, submission=submission)
    submission.refresh_from_db()
    assert (certification.tier, certification.status) == ("leading", "awaiting_sign_off")
    assert submission.state == "in_review"
    assert certification.valid_until is None


def test_national_reviewer_signs_off_leading():
    submission = answered_submission(tier="leading")
    desk = started(submission)
    verify_missing(submission, desk)
    proposal = reviews.certification_propose(actor=desk, submission=submission)
    national = reviewer(is_national=True)
    certification = reviews.certification_sign_off(actor=national, certification=proposal)
    submission.refresh_from_db()
    assert (certification.status, certification.signed_off_by) == ("certified", national)
    assert submission.state == "certified"
    assert certification.snapshot == submission_score(submission).to_dict()
    kinds = list(
        SubmissionEvent.objects.filter(submission=submission).values_list("kind", flat=True)
    )
    assert kinds[-3:] == [EventKind.SIGNED_OFF, EventKind.STATE_CHANGED, EventKind.CERTIFIED]


def test_provincial_reviewer_cannot_sign_off():
    submission = answered_submission(tier="leading")
    desk = started(submission)
    verify_missing(submission, desk)
    proposal = reviews.certification_propose(actor=desk, submission=submission)
    with pytest.raises(PermissionDenied) as refused:
        reviews.certification_sign_off(actor=reviewer("440000"), certification=proposal)
    assert refused.value.code == "not_national"


def test_proposer_cannot_sign_off_their_own_proposal():
    submission = answered_submission(tier="leading")
    national = reviewer(is_national=True)
    started(submission, desk=national)
    verify_missing(submission, national)
    proposal = reviews.certification_propose(actor=national, submission=submission)
    with pytest.raises(PermissionDenied) as refused:
        reviews.certification_sign_off(actor=national, certification=proposal)
    assert refused.value.code == "same_reviewer"
    proposal.refresh_from_db()
    assert proposal.status == "awaiting_sign_off"


def test_decisions_wait_while_a_sign_off_is_pending():
    submission = answered_submission(tier="leading")
    desk = started(submission)
    verify_missing(submission, desk)
    reviews.certification_propose(actor=desk, submission=submission)
    with pytest.raises(ApplicationError) as refused:
        reviews.review_decide(
            actor=desk, submission=submission, question_code="D1.1", decision="verified"
        )
    assert refused.value.code == "awaiting_sign_off"


def test_declined_sign_off_withdraws_the_proposal_and_tells_the_proposer():
    submission = answered_submission(tier="leading")
    desk = started(submission)
    verify_missing(submission, desk)
    proposal = reviews.certification_propose(actor=desk, submission=submission)
    reviews.certification_decline(
        actor=reviewer(is_national=True), certification=proposal, reason="引领级证据不足"
    )
    assert not Certification.objects.filter(submission=submission).exists()
    event = SubmissionEvent.objects.filter(submission=submission, kind=EventKind.SIGNED_OFF).get()
    assert (event.detail["outcome"], event.note) == ("declined", "引领级证据不足")
    assert Notification.objects.filter(recipient=desk, kind="sign_off_declined").exists()


def test_revocation_keeps_the_certification_with_its_reason():
    submission = answered_submission(tier="basic")
    desk = started(submission)
    verify_missing(submission, desk)
    certification = reviews.certification_propose(actor=desk, submission=submission)
    national = reviewer(is_national=True)
    reviews.certification_revoke(actor=national, certification=certification, reason="数据造假")
    certification.refresh_from_db()
    assert (certification.status, certification.revoke_reason) == ("revoked", "数据造假")
    event = SubmissionEvent.objects.get(submission=submission, kind=EventKind.REVOKED)
    assert (event.detail["before"], event.detail["after"]) == ("certified", "revoked")


def test_revocation_needs_a_reason():
    submission = answered_submission(tier="basic")
    desk = started(submission)
    verify_missing(submission, desk)
    certification = reviews.certification_propose(actor=desk, submission=submission)
    with pytest.raises(ApplicationError):
        reviews.certification_revoke(
            actor=reviewer(is_national=True), certification=certification, reason=""
        )
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.CERTIFIED


def test_not_rated_result_cannot_be_certified():
    submission = answered_submission(tier="basic")
    Answer.objects.filter(submission=submission, question_code="P1").update(value=False)
    desk = started(submission)
    verify_missing(submission, desk)
    with pytest.raises(ApplicationError) as refused:
        reviews.certification_propose(actor=desk, submission=submission)
    assert refused.value.code == "not_rated"
