"""The operator's submission services: every transition allowed and refused, answers with
versions, evidence, copying from the last cycle, the revision loop."""

import datetime

import pytest
from django.utils import timezone

from assessment.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from assessment.models import (
    Answer,
    EventKind,
    Evidence,
    ReviewDecision,
    ScoreSummary,
    Submission,
    SubmissionEvent,
    SubmissionState,
)
from assessment.services import submissions as services
from tests import factories

pytestmark = pytest.mark.django_db
S = SubmissionState


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def draft():
    return factories.SubmissionFactory()


def member(submission):
    return submission.created_by


def complete_draft():
    return factories.answered_submission(state="draft")


def open_cycle(**fields):
    today = timezone.localdate()
    return factories.CycleFactory(
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=300),
        **fields,
    )


def state_events(submission):
    return list(
        SubmissionEvent.objects.filter(
            submission=submission, kind=EventKind.STATE_CHANGED
        ).values_list("from_state", "to_state")
    )


# --- Starting ---


def test_start_creates_a_draft_bound_to_the_cycles_rubric_version():
    platform = factories.PlatformFactory(kind="specialized")
    cycle = open_cycle()
    actor = factories.operator(organisation=platform.organisation)

    submission = services.submission_start(actor=actor, platform=platform, cycle=cycle)

    assert submission.state == S.DRAFT
    assert submission.rubric_version == cycle.rubric_version
    assert submission.platform_kind == "specialized"
    assert state_events(submission) == [("", "draft")]
    assert ScoreSummary.objects.filter(submission=submission).exists()


def test_start_refuses_a_second_submission_for_the_same_platform_and_cycle():
    submission = draft()
    with pytest.raises(ApplicationError) as refused:
        services.submission_start(
            actor=member(submission), platform=submission.platform, cycle=submission.cycle
        )
    assert refused.value.code == "submission_exists"
    assert Submission.objects.count() == 1


def test_start_refuses_a_closed_cycle():
    platform = factories.PlatformFactory()
    cycle = factories.CycleFactory(opens_on="2020-01-01", closes_on="2020-12-31")
    with pytest.raises(ApplicationError) as refused:
        services.submission_start(
            actor=factories.operator(organisation=platform.organisation),
            platform=platform,
            cycle=cycle,
        )
    assert refused.value.code == "cycle_closed"
    assert not Submission.objects.exists()


def test_start_refuses_an_operator_of_another_organisation():
    platform = factories.PlatformFactory()
    with pytest.raises(NotFound):
        services.submission_start(
            actor=factories.operator(), platform=platform, cycle=factories.CycleFactory()
        )
    assert not Submission.objects.exists()


def test_start_refuses_a_reviewer():
    platform = factories.PlatformFactory()
    with pytest.raises(PermissionDenied):
        services.submission_start(
            actor=factories.reviewer("440000"), platform=platform, cycle=factories.CycleFactory()
        )


# --- Answers ---


def test_answer_save_stores_a_whole_number_as_int_and_starts_at_version_1():
    submission = draft()
    answer = services.answer_save(
        actor=member(submission),
        submission=submission,
        question_code="D1.2",
        value="12000",
        version=0,
    )
    answer.refresh_from_db()
    assert answer.value == 12000
    assert isinstance(answer.value, int)
    assert answer.version == 1


def test_answer_save_stores_a_fraction_as_float_and_bumps_the_version():
    submission = draft()
    actor = member(submission)
    services.answer_save(
        actor=actor, submission=submission, question_code="D5.2", value="70", version=0
    )
    answer = services.answer_save(
        actor=actor, submission=submission, question_code="D5.2", value="72.5", version=1
    )
    answer.refresh_from_db()
    assert answer.value == 72.5
    assert answer.version == 2


def test_answer_save_records_the_change_with_before_and_after():
    submission = draft()
    actor = member(submission)
    services.answer_save(
        actor=actor, submission=submission, question_code="P1", value="true", version=0
    )
    services.answer_save(
        actor=actor, submission=submission, question_code="P1", value="false", version=1
    )
    event = SubmissionEvent.objects.filter(kind=EventKind.ANSWER_CHANGED).last()
    assert (event.question_code, event.detail["from"], event.detail["to"]) == ("P1", True, False)
    assert event.actor == actor


def test_answer_save_rescores_the_submission():
    submission = draft()
    actor = member(submission)
    for code in ("P1", "P2"):
        services.answer_save(
            actor=actor, submission=submission, question_code=code, value="true", version=0
        )
    summary = ScoreSummary.objects.get(submission=submission)
    assert "precondition" not in str(summary.breakdown["next_tier_plan"][:1])


def test_answer_save_over_a_newer_version_raises_conflict_and_keeps_the_newer_answer():
    submission = draft()
    actor = member(submission)
    services.answer_save(
        actor=actor, submission=submission, question_code="D1.2", value="100", version=0
    )
    services.answer_save(
        actor=actor, submission=submission, question_code="D1.2", value="200", version=1
    )
    with pytest.raises(Conflict) as conflict:
        services.answer_save(
            actor=actor, submission=submission, question_code="D1.2", value="300", version=1
        )
    assert conflict.value.params["conflicts"]["D1.2"]["value"] == 200
    assert conflict.value.params["conflicts"]["D1.2"]["version"] == 2
    assert Answer.objects.get(submission=submission, question_code="D1.2").value == 200


def test_answer_save_of_a_new_answer_conflicts_when_a_colleague_created_it_first():
    submission = draft()
    colleague = factories.operator(organisation=submission.platform.organisation)
    services.answer_save(
        actor=colleague, submission=submission, question_code="D1.2", value="100", version=0
    )
    with pytest.raises(Conflict):
        services.answer_save(
            actor=member(submission),
            submission=submission,
            question_code="D1.2",
            value="999",
            version=0,
        )


def test_answers_save_is_all_or_nothing_when_one_answer_conflicts():
    submission = draft()
    actor = member(submission)
    services.answer_save(
        actor=actor, submission=submission, question_code="D1.2", value="100", version=0
    )
    with pytest.raises(Conflict):
        services.answers_save(
            actor=actor,
            submission=submission,
            changes=[
                services.AnswerChange("D1.1", "7", 0),
                services.AnswerChange("D1.2", "500", 0),
            ],
        )
    assert not Answer.objects.filter(submission=submission, question_code="D1.1").exists()


@pytest.mark.parametrize(
    ("code", "value", "error_code"),
    [
        ("D1.2", "-5", "negative"),
        ("D1.2", "abc", "not_a_number"),
        ("D1.2", "1e30", "too_large"),
        ("D5.2", "101", "over_100"),
        ("D1.4", "7", "anchor_out_of_range"),
        ("D1.5", "not-an-option", "unknown_option"),
        ("P1", "maybe", "not_boolean"),
    ],
)
def test_answer_save_refuses_an_invalid_value_and_changes_nothing(code, value, error_code):
    submission = draft()
    with pytest.raises(ApplicationError) as refused:
        services.answer_save(
            actor=member(submission),
            submission=submission,
            question_code=code,
            value=value,
            version=0,
        )
    assert (refused.value.code, refused.value.field) == (error_code, code)
    assert not Answer.objects.filter(submission=submission).exists()


def test_answer_save_refuses_a_question_of_another_rubric():
    submission = draft()
    with pytest.raises(ApplicationError) as refused:
        services.answer_save(
            actor=member(submission),
            submission=submission,
            question_code="D9.9",
            value="1",
            version=0,
        )
    assert refused.value.code == "unknown_question"


def test_answer_save_refuses_an_indicator_that_does_not_apply_to_the_platform_kind():
    submission = draft()  # industry: D1.3 is for collaborative platforms only
    with pytest.raises(ApplicationError) as refused:
        services.answer_save(
            actor=member(submission),
            submission=submission,
            question_code="D1.3",
            value="60",
            version=0,
        )
    assert refused.value.code == "unknown_question"


def test_answer_save_refuses_an_operator_of_another_organisation():
    submission = draft()
    with pytest.raises(PermissionDenied):
        services.answer_save(
            actor=factories.operator(),
            submission=submission,
            question_code="D1.2",
            value="1",
            version=0,
        )


@pytest.mark.parametrize(
    "state", [S.SUBMITTED, S.IN_REVIEW, S.RESUBMITTED, S.CERTIFIED, S.WITHDRAWN]
)
def test_answer_save_refuses_every_state_after_submission(state):
    submission = factories.SubmissionFactory(state=state)
    with pytest.raises(ApplicationError) as refused:
        services.answer_save(
            actor=member(submission),
            submission=submission,
            question_code="D1.2",
            value="1",
            version=0,
        )
    assert refused.value.code == "submission_not_editable"


# --- The revision loop ---


def revision_requested_with(reopened_codes, answered=("D1.1", "D1.2")):
    submission = factories.SubmissionFactory(state=S.REVISION_REQUESTED, review_round=1)
    reviewer = factories.reviewer("440000")
    for code in answered:
        factories.AnswerFactory(
            submission=submission, question_code=code, value=5, reopened=code in reopened_codes
        )
        ReviewDecision.objects.create(
            submission=submission,
            question_code=code,
            decision="rejected",
            reason="不一致",
            review_round=1,
            reviewer=reviewer,
        )
    return submission


def test_revision_allows_changing_a_reopened_answer():
    submission = revision_requested_with({"D1.2"})
    answer = services.answer_save(
        actor=member(submission),
        submission=submission,
        question_code="D1.2",
        value="20000",
        version=1,
    )
    assert answer.value == 20000


def test_revision_refuses_changing_an_answer_that_was_not_reopened():
    submission = revision_requested_with({"D1.2"})
    with pytest.raises(ApplicationError) as refused:
        services.answer_save(
            actor=member(submission),
            submission=submission,
            question_code="D1.1",
            value="9",
            version=1,
        )
    assert refused.value.code == "question_not_reopened"
    assert Answer.objects.get(submission=submission, question_code="D1.1").value == 5


def test_revision_change_voids_the_reviewers_decision_on_that_indicator_only():
    submission = revision_requested_with({"D1.2"})
    services.answer_save(
        actor=member(submission),
        submission=submission,
        question_code="D1.2",
        value="20000",
        version=1,
    )
    current = dict(
        ReviewDecision.objects.filter(submission=submission).values_list(
            "question_code", "is_current"
        )
    )
    assert current == {"D1.1": True, "D1.2": False}


def test_revision_new_evidence_voids_the_reviewers_decision():
    submission = revision_requested_with({"D1.2"})
    services.evidence_add_link(
        actor=member(submission),
        submission=submission,
        question_code="D1.2",
        url="https://example.cn/report.pdf",
    )
    assert not ReviewDecision.objects.get(submission=submission, question_code="D1.2").is_current


def test_revision_refuses_evidence_on_a_question_that_was_not_reopened():
    submission = revision_requested_with({"D1.2"})
    with pytest.raises(ApplicationError) as refused:
        services.evidence_add_link(
            actor=member(submission),
            submission=submission,
            question_code="D1.1",
            url="https://example.cn/report.pdf",
        )
    assert refused.value.code == "question_not_reopened"


# --- Evidence ---


def test_evidence_add_file_stores_type_from_content_hash_size_and_original_name():
    submission = draft()
    content = factories.pdf_bytes()
    evidence = services.evidence_add_file(
        actor=member(submission),
        submission=submission,
        question_code="D1.2",
        uploaded_file=factories.uploaded_file(content, "设备接入清单.pdf"),
    )
    import hashlib

    assert evidence.content_type == "application/pdf"
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.size == len(content)
    assert evidence.original_name == "设备接入清单.pdf"
    assert evidence.file.read() == content
    assert "设备" not in evidence.file.name  # stored under its hash, not its name


def test_evidence_add_file_counts_as_uploaded_in_the_score():
    submission = draft()
    actor = member(submission)
    services.answer_save(
        actor=actor, submission=submission, question_code="D1.1", value="5", version=0
    )
    services.evidence_add_file(
        actor=actor,
        submission=submission,
        question_code="D1.1",
        uploaded_file=factories.uploaded_file(factories.pdf_bytes()),
    )
    criteria = ScoreSummary.objects.get(submission=submission).breakdown["criteria"]
    basic = next(c for c in criteria if c["indicator"] == "D1.1" and c["tier"] == "basic")
    assert basic["v"] == "0.8"


def test_evidence_add_file_refuses_a_renamed_executable_and_stores_nothing():
    submission = draft()
    with pytest.raises(ApplicationError) as refused:
        services.evidence_add_file(
            actor=member(submission),
            submission=submission,
            question_code="D1.2",
            uploaded_file=factories.uploaded_file(b"MZ\x90\x00" + b"\x00" * 200, "report.pdf"),
        )
    assert refused.value.code == "file_executable"
    assert not Evidence.objects.exists()


def test_evidence_add_link_refuses_a_question_of_another_rubric():
    submission = draft()
    with pytest.raises(ApplicationError) as refused:
        services.evidence_add_link(
            actor=member(submission),
            submission=submission,
            question_code="X1.1",
            url="https://a.cn/x",
        )
    assert refused.value.code == "unknown_question"
    assert not Evidence.objects.exists()


def test_evidence_add_link_refuses_a_non_web_address():
    submission = draft()
    with pytest.raises(ApplicationError) as refused:
        services.evidence_add_link(
            actor=member(submission),
            submission=submission,
            question_code="D1.2",
            url="javascript:alert(1)",
        )
    assert refused.value.code == "invalid_link"


def test_evidence_replace_keeps_the_old_version_for_the_audit_trail():
    submission = draft()
    actor = member(submission)
    old = services.evidence_add_link(
        actor=actor, submission=submission, question_code="D1.2", url="https://a.cn/old.pdf"
    )
    new = services.evidence_replace(
        actor=actor,
        evidence=old,
        uploaded_file=factories.uploaded_file(factories.pdf_bytes(), "new.pdf"),
    )
    old.refresh_from_db()
    assert (old.is_current, new.is_current, new.replaces_id) == (False, True, old.pk)
    assert SubmissionEvent.objects.filter(kind=EventKind.EVIDENCE_REPLACED).count() == 1


def test_evidence_remove_takes_it_off_but_keeps_the_row():
    submission = draft()
    actor = member(submission)
    evidence = services.evidence_add_link(
        actor=actor, submission=submission, question_code="D1.2", url="https://a.cn/x.pdf"
    )
    services.evidence_remove(actor=actor, evidence=evidence)
    evidence.refresh_from_db()
    assert not evidence.is_current
    assert evidence.removed_at is not None


def test_evidence_remove_refuses_after_submission():
    submission = complete_draft()
    actor = member(submission)
    evidence = Evidence.objects.filter(submission=submission).first()
    services.submission_submit(actor=actor, submission=submission)
    with pytest.raises(ApplicationError) as refused:
        services.evidence_remove(actor=actor, evidence=evidence)
    assert refused.value.code == "submission_not_editable"
    evidence.refresh_from_db()
    assert evidence.is_current


def test_evidence_remove_of_an_already_removed_item_is_a_conflict():
    submission = draft()
    actor = member(submission)
    evidence = services.evidence_add_link(
        actor=actor, submission=submission, question_code="D1.2", url="https://a.cn/x.pdf"
    )
    services.evidence_remove(actor=actor, evidence=evidence)
    with pytest.raises(Conflict):
        services.evidence_remove(actor=actor, evidence=evidence)


# --- Submit, resubmit, withdraw ---


def test_submit_moves_a_complete_draft_to_submitted_with_the_claimed_result():
    submission = complete_draft()
    services.submission_submit(actor=member(submission), submission=submission)
    submission.refresh_from_db()
    assert submission.state == S.SUBMITTED
    assert submission.submitted_at is not None
    assert state_events(submission)[-1] == ("draft", "submitted")
    # The claim takes the uploaded evidence at its word; the strict score waits for review,
    # since a gate counts only once its evidence is verified.
    assert ScoreSummary.objects.get(submission=submission).result == "not_rated"
    assert submission.claimed_result != "not_rated"


def test_submit_refuses_an_incomplete_draft_and_lists_what_is_missing():
    submission = draft()
    with pytest.raises(ApplicationError) as refused:
        services.submission_submit(actor=member(submission), submission=submission)
    assert refused.value.code == "incomplete"
    assert "P1" in refused.value.params["problems"]
    submission.refresh_from_db()
    assert submission.state == S.DRAFT


def test_submit_refuses_a_positive_answer_without_required_evidence():
    submission = complete_draft()
    Evidence.objects.filter(submission=submission, question_code="D8.1").delete()
    Answer.objects.filter(submission=submission, question_code="D8.1").update(value=True)
    with pytest.raises(ApplicationError) as refused:
        services.submission_submit(actor=member(submission), submission=submission)
    assert refused.value.params["problems"] == ["D8.1"]


@pytest.mark.parametrize(
    "state", [S.SUBMITTED, S.IN_REVIEW, S.REVISION_REQUESTED, S.CERTIFIED, S.WITHDRAWN]
)
def test_submit_refuses_anything_but_a_draft(state):
    submission = factories.SubmissionFactory(state=state)
    with pytest.raises(ApplicationError) as refused:
        services.submission_submit(actor=member(submission), submission=submission)
    assert refused.value.code == "invalid_transition"


def test_submit_refuses_an_operator_of_another_organisation():
    submission = complete_draft()
    with pytest.raises(PermissionDenied):
        services.submission_submit(actor=factories.operator(), submission=submission)
    submission.refresh_from_db()
    assert submission.state == S.DRAFT


def test_resubmit_moves_a_revision_to_resubmitted_and_closes_the_reopened_questions():
    submission = complete_draft()
    Submission.objects.filter(pk=submission.pk).update(state=S.REVISION_REQUESTED)
    Answer.objects.filter(submission=submission, question_code="D1.2").update(reopened=True)
    submission.refresh_from_db()

    services.submission_resubmit(actor=member(submission), submission=submission)

    submission.refresh_from_db()
    assert submission.state == S.RESUBMITTED
    assert not Answer.objects.filter(submission=submission, reopened=True).exists()
    event = SubmissionEvent.objects.filter(to_state=S.RESUBMITTED).get()
    assert event.detail["reopened"] == ["D1.2"]


def test_resubmit_notifies_the_assigned_reviewer(django_capture_on_commit_callbacks, mailoutbox):
    from assessment.models import Notification

    submission = complete_draft()
    assigned = factories.reviewer("440000")
    Submission.objects.filter(pk=submission.pk).update(
        state=S.REVISION_REQUESTED, assigned_reviewer=assigned
    )
    submission.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        services.submission_resubmit(actor=member(submission), submission=submission)

    assert Notification.objects.filter(recipient=assigned, submission=submission).count() == 1
    assert [message.to for message in mailoutbox] == [[assigned.email]]


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.RESUBMITTED, S.CERTIFIED])
def test_resubmit_refuses_anything_but_a_revision(state):
    submission = factories.SubmissionFactory(state=state)
    with pytest.raises(ApplicationError) as refused:
        services.submission_resubmit(actor=member(submission), submission=submission)
    assert refused.value.code == "invalid_transition"


def test_resubmit_refuses_an_incomplete_revision():
    submission = factories.SubmissionFactory(state=S.REVISION_REQUESTED)
    with pytest.raises(ApplicationError) as refused:
        services.submission_resubmit(actor=member(submission), submission=submission)
    assert refused.value.code == "incomplete"


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.REVISION_REQUESTED, S.RESUBMITTED])
def test_withdraw_is_allowed_before_certification(state):
    submission = factories.SubmissionFactory(state=state)
    services.submission_withdraw(actor=member(submission), submission=submission, note="停止申报")
    submission.refresh_from_db()
    assert submission.state == S.WITHDRAWN
    assert state_events(submission)[-1] == (state, "withdrawn")


@pytest.mark.parametrize("state", [S.IN_REVIEW, S.CERTIFIED, S.WITHDRAWN])
def test_withdraw_is_refused_in_review_and_after(state):
    submission = factories.SubmissionFactory(state=state)
    with pytest.raises(ApplicationError) as refused:
        services.submission_withdraw(actor=member(submission), submission=submission)
    assert refused.value.code == "invalid_transition"


def test_withdraw_refuses_a_reviewer():
    submission = factories.SubmissionFactory()
    with pytest.raises(PermissionDenied):
        services.submission_withdraw(actor=factories.reviewer("440000"), submission=submission)


# --- Copy from the last cycle ---


def last_cycle_submission():
    previous_cycle = factories.CycleFactory(
        code="2026", opens_on=datetime.date(2026, 1, 1), closes_on=datetime.date(2026, 6, 30)
    )
    previous = factories.answered_submission(state="certified", cycle=previous_cycle)
    current_cycle = open_cycle(code="2027")
    return previous, current_cycle


def test_copy_from_previous_carries_answers_and_evidence_marked_for_reconfirmation():
    previous, cycle = last_cycle_submission()
    copied = services.submission_copy_from_previous(
        actor=member(previous), platform=previous.platform, cycle=cycle
    )
    previous_answers = dict(previous.answers.values_list("question_code", "value"))
    assert dict(copied.answers.values_list("question_code", "value")) == previous_answers
    assert not copied.answers.filter(needs_reconfirmation=False).exists()
    assert copied.evidence.count() == previous.evidence.count()
    assert not copied.evidence.filter(needs_reconfirmation=False).exists()
    assert SubmissionEvent.objects.filter(submission=copied, kind=EventKind.COPIED).exists()


def test_copied_draft_cannot_be_submitted_until_answers_are_reconfirmed():
    previous, cycle = last_cycle_submission()
    copied = services.submission_copy_from_previous(
        actor=member(previous), platform=previous.platform, cycle=cycle
    )
    with pytest.raises(ApplicationError) as refused:
        services.submission_submit(actor=member(previous), submission=copied)
    assert refused.value.code == "incomplete"


def test_saving_the_same_value_confirms_a_copied_answer():
    previous, cycle = last_cycle_submission()
    copied = services.submission_copy_from_previous(
        actor=member(previous), platform=previous.platform, cycle=cycle
    )
    answer = copied.answers.get(question_code="P1")
    services.answer_save(
        actor=member(previous),
        submission=copied,
        question_code="P1",
        value="true",
        version=answer.version,
    )
    answer.refresh_from_db()
    assert not answer.needs_reconfirmation


def test_confirming_a_section_confirms_its_copied_answers_and_evidence_only():
    previous, cycle = last_cycle_submission()
    copied = services.submission_copy_from_previous(
        actor=member(previous), platform=previous.platform, cycle=cycle
    )
    d1 = list(
        copied.answers.filter(question_code__startswith="D1.").values_list(
            "question_code", flat=True
        )
    )
    confirmed = services.copied_items_confirm(
        actor=member(previous), submission=copied, question_codes=d1
    )
    assert confirmed == sorted(d1)
    assert not copied.answers.filter(question_code__in=d1, needs_reconfirmation=True).exists()
    assert not copied.evidence.filter(question_code__in=d1, needs_reconfirmation=True).exists()
    assert copied.answers.filter(needs_reconfirmation=True).exists()  # other sections wait
    events = SubmissionEvent.objects.filter(submission=copied, note="reconfirmed")
    assert events.filter(kind=EventKind.ANSWER_CHANGED).count() == len(d1)


def test_confirming_everything_copied_lets_the_draft_be_submitted():
    previous, cycle = last_cycle_submission()
    copied = services.submission_copy_from_previous(
        actor=member(previous), platform=previous.platform, cycle=cycle
    )
    values = dict(copied.answers.values_list("question_code", "value"))
    services.copied_items_confirm(actor=member(previous), submission=copied)
    assert dict(copied.answers.values_list("question_code", "value")) == values
    services.submission_submit(actor=member(previous), submission=copied)
    copied.refresh_from_db()
    assert copied.state == S.SUBMITTED


def test_confirming_copied_items_is_refused_to_others_and_after_submission():
    previous, cycle = last_cycle_submission()
    copied = services.submission_copy_from_previous(
        actor=member(previous), platform=previous.platform, cycle=cycle
    )
    with pytest.raises(PermissionDenied):
        services.copied_items_confirm(actor=factories.operator(), submission=copied)
    assert not copied.answers.filter(needs_reconfirmation=False).exists()
    with pytest.raises(ApplicationError):
        services.copied_items_confirm(actor=member(previous), submission=previous)


def test_copy_refuses_without_an_earlier_submission():
    platform = factories.PlatformFactory()
    with pytest.raises(ApplicationError) as refused:
        services.submission_copy_from_previous(
            actor=factories.operator(organisation=platform.organisation),
            platform=platform,
            cycle=factories.CycleFactory(),
        )
    assert refused.value.code == "no_previous_submission"
