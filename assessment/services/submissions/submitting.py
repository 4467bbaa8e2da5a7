"""Submitting, resubmitting and withdrawing, and the result claimed on submission."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError
from assessment.models import (
    Answer,
    EventKind,
    Evidence,
    Role,
    Submission,
    User,
)
from assessment.selectors.submissions import result_if_verified
from assessment.services import filing
from assessment.services.notifications import notify_resubmitted
from assessment.services.programme.calls import application_check
from assessment.services.scoring import load_score_inputs, submission_rescore
from assessment.services.submissions.common import S, _require_editor
from assessment.services.workflow import lock_submission, record_event, submission_transition
from questionnaires.selectors import rubric_of

# --- Submitting ----------------------------------------------------------------------------------


def _refuse_incomplete(locked: Submission) -> None:
    from assessment.selectors.submissions import submission_completeness

    problems = submission_completeness(locked)
    if problems:
        raise ApplicationError(
            "incomplete",
            _("The questionnaire is not complete: %(count)d item(s) still need attention.")
            % {"count": len(problems)},
            params={"problems": [problem.question_code for problem in problems]},
        )


def claimed_result(submission: Submission) -> str:
    """What the operator claims: the result if every piece of uploaded evidence holds.

    The strict score needs verified evidence for gates, so before review it is usually "not
    rated"; the claim is what the reviewer checks the evidence against. Reviewer decisions are
    left out: the claim is the operator's own.
    """
    answers, evidenced, _decisions = load_score_inputs([submission.pk])[submission.pk]
    rubric = rubric_of(submission.rubric_version)
    return result_if_verified(rubric, submission.platform_kind, answers, evidenced, {})


def evidence_opened(*, actor: User, evidence: Evidence) -> None:
    """Put an opening of an evidence item on the audit trail (web and API alike): a reviewer's
    on the submission's own trail, anyone else's on the security audit trail."""
    if actor.role == Role.REVIEWER:
        record_event(
            submission=evidence.submission,
            actor=actor,
            kind=EventKind.EVIDENCE_ACCESSED,
            question_code=evidence.question_code,
            detail={"evidence": evidence.pk},
        )
        return
    from assessment.models import AuditKind
    from assessment.security.audit import security_event_record

    security_event_record(
        request=None,
        kind=AuditKind.EVIDENCE_OPENED,
        actor=actor,
        subject=f"evidence:{evidence.pk}",
        region=evidence.submission.platform.region,
        detail={"submission": evidence.submission_id, "question": evidence.question_code},
    )


@transaction.atomic
def submission_submit(*, actor: User, submission: Submission, note: str = "") -> Submission:
    """Hand in a complete draft: answers become final and the claimed tier is recorded."""
    _require_editor(actor, submission)
    locked = lock_submission(submission.pk)
    if locked.state != S.DRAFT:
        raise ApplicationError(
            "invalid_transition",
            _("Only a draft can be submitted; this submission is “%(state)s”.")
            % {"state": S(locked.state).label},
        )
    _refuse_incomplete(locked)
    filing.require_commitment_letter(locked)
    application_check(locked)  # under a call: the tier applied for, within its window
    submission_rescore(submission=locked)
    locked.claimed_result = claimed_result(locked)
    locked.save(update_fields=["claimed_result", "updated_at"])
    filing.application_form_queue(locked)
    submission_transition(
        submission=locked,
        to_state=S.SUBMITTED,
        actor=actor,
        note=note,
        detail={"claimed_result": locked.claimed_result},
    )
    submission.state = locked.state
    submission.claimed_result = locked.claimed_result
    return locked


@transaction.atomic
def submission_resubmit(*, actor: User, submission: Submission, note: str = "") -> Submission:
    """Hand back a revised submission; the reopened questions close again."""
    _require_editor(actor, submission)
    locked = lock_submission(submission.pk)
    if locked.state != S.REVISION_REQUESTED:
        raise ApplicationError(
            "invalid_transition",
            _("Only a submission sent back for revision can be resubmitted."),
        )
    _refuse_incomplete(locked)
    filing.require_commitment_letter(locked)
    filing.application_form_queue(locked)
    reopened = list(
        Answer.objects.filter(submission=locked, reopened=True).values_list(
            "question_code", flat=True
        )
    )
    Answer.objects.filter(submission=locked, reopened=True).update(reopened=False)
    submission_rescore(submission=locked)
    locked.claimed_result = claimed_result(locked)
    locked.save(update_fields=["claimed_result", "updated_at"])
    submission_transition(
        submission=locked,
        to_state=S.RESUBMITTED,
        actor=actor,
        note=note,
        detail={"claimed_result": locked.claimed_result, "reopened": reopened},
    )
    notify_resubmitted(submission=locked)
    submission.state = locked.state
    return locked


@transaction.atomic
def submission_withdraw(*, actor: User, submission: Submission, note: str = "") -> Submission:
    """Withdraw a submission that is not certified and not under review."""
    _require_editor(actor, submission)
    return submission_transition(
        submission=submission, to_state=S.WITHDRAWN, actor=actor, note=note
    )
