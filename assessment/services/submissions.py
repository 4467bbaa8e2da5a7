"""The operator's side of a submission: start, copy, answer, attach evidence, submit, withdraw,
resubmit. Every state change goes through assessment.services.workflow; every change to the
inputs of the score is followed by assessment.services.scoring.submission_rescore.

Editing rules: a draft is editable as a whole; after a revision request only the answers the
reviewer reopened (Answer.reopened) and their evidence are; in every other state nothing is.
Answers carry a version: a save names the version it was based on and a save over a newer one
is refused with Conflict, so two tabs or two colleagues never overwrite each other silently.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from assessment.models import (
    Answer,
    AssessmentCycle,
    EventKind,
    Evidence,
    Platform,
    ReviewDecision,
    Role,
    Submission,
    SubmissionEvent,
    SubmissionState,
    User,
)
from assessment.permissions import can_edit_submission
from assessment.selectors.submissions import result_if_verified
from assessment.services import filing
from assessment.services.evidence_files import (
    check_evidence_file,
    check_upload_quota,
    remove_stale_upload_files,
)
from assessment.services.notifications import notify_resubmitted
from assessment.services.programme.calls import application_check
from assessment.services.scoring import load_score_inputs, submission_rescore
from assessment.services.workflow import lock_submission, record_event, submission_transition
from questionnaires.rubric import AnswerError, Rubric, validate_answer
from questionnaires.selectors import rubric_of

S = SubmissionState
# The largest number an answer may hold (beyond it a value is a typing slip).
MAX_NUMBER = Decimal(10) ** 15


# --- Helpers -------------------------------------------------------------------------------------


def _require_operator_of(actor: User, platform: Platform) -> None:
    if not (actor.is_authenticated and actor.is_operator):
        raise PermissionDenied(
            "not_operator", _("Only the platform's operators may work on its questionnaire.")
        )
    if platform.organisation_id != actor.organisation_id:
        raise NotFound("not_found", _("That page does not exist or you may not see it."))


def _require_editor(actor: User, submission: Submission) -> None:
    if not can_edit_submission(actor, submission):
        raise PermissionDenied(
            "not_operator", _("Only the platform's operators may change this submission.")
        )


def storable_value(value: Any) -> Any:
    """An answer value as stored in Answer.value (JSON): Decimals become int or float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def same_answer(stored: Any, value: Any) -> bool:
    """Whether two answer values mean the same: the options of a multiple choice in any order."""
    if isinstance(stored, list) and isinstance(value, list):
        return sorted(map(str, stored)) == sorted(map(str, value))
    return stored == value


def question_codes(rubric: Rubric, kind: str) -> list[str]:
    """Every question of the questionnaire for this kind: preconditions first, in rubric order."""
    return [p.code for p in rubric.preconditions] + [
        indicator.code for indicator in rubric.indicators if indicator.applies_to(kind)
    ]


def _is_precondition(rubric: Rubric, code: str) -> bool:
    return any(precondition.code == code for precondition in rubric.preconditions)


def _check_question(rubric: Rubric, kind: str, code: str) -> None:
    if _is_precondition(rubric, code):
        return
    if rubric.has_indicator(code) and rubric.indicator(code).applies_to(kind):
        return
    raise ApplicationError(
        "unknown_question",
        _("Question %(code)s is not part of this questionnaire.") % {"code": code},
        field=code,
    )


def normalise_answer(rubric: Rubric, code: str, value: Any) -> Any:
    """The storable form of `value` for question `code`, or None to clear it.

    Raises AnswerError (machine code + parameters) for a value the question cannot take.
    """
    if value is None or value == "" or value == []:
        return None
    if _is_precondition(rubric, code):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise AnswerError("not_boolean", {"value": str(value)})
    normalised = validate_answer(rubric.indicator(code), value)
    if isinstance(normalised, Decimal) and normalised > MAX_NUMBER:
        raise AnswerError("too_large", {"value": str(value)})
    return storable_value(normalised)


def _editable_codes(submission: Submission, codes: Iterable[str]) -> None:
    """Refuse unless every code may be changed in the submission's current state."""
    codes = list(codes)
    if submission.state == S.DRAFT:
        return
    if submission.state == S.REVISION_REQUESTED:
        reopened = set(
            Answer.objects.filter(
                submission=submission, question_code__in=codes, reopened=True
            ).values_list("question_code", flat=True)
        )
        closed = [code for code in codes if code not in reopened]
        if not closed:
            return
        raise ApplicationError(
            "question_not_reopened",
            _("Question %(code)s was not reopened by the reviewer; it cannot be changed.")
            % {"code": closed[0]},
            field=closed[0],
        )
    raise ApplicationError(
        "submission_not_editable",
        _("This submission is “%(state)s”; its answers can no longer be changed.")
        % {"state": S(submission.state).label},
    )


def _withdraw_decisions(submission: Submission, codes: Iterable[str]) -> None:
    """During a revision, a changed answer or evidence voids the reviewer's decision on it."""
    if submission.state == S.REVISION_REQUESTED:
        ReviewDecision.objects.filter(
            submission=submission, question_code__in=list(codes), is_current=True
        ).update(is_current=False)


# --- Starting a draft ----------------------------------------------------------------------------


def _create_draft(actor: User, platform: Platform, cycle: AssessmentCycle) -> Submission:
    _require_operator_of(actor, platform)
    if Submission.objects.filter(platform=platform, cycle_id=cycle.pk).exists():
        raise ApplicationError(
            "submission_exists",
            _("%(platform)s already has a submission in this cycle.") % {"platform": platform},
        )
    cycle = AssessmentCycle.objects.get(pk=cycle.pk)  # the stored dates, whatever the caller holds
    if not cycle.is_open():
        raise ApplicationError(
            "cycle_closed",
            _("The cycle “%(cycle)s” is not open for submissions.") % {"cycle": cycle.title},
        )
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                platform=platform,
                cycle=cycle,
                rubric_version_id=cycle.rubric_version_id,
                platform_kind=platform.kind,
                created_by=actor,
            )
    except IntegrityError as error:
        raise ApplicationError(
            "submission_exists",
            _("%(platform)s already has a submission in this cycle.") % {"platform": platform},
        ) from error
    record_event(
        submission=submission,
        actor=actor,
        kind=EventKind.STATE_CHANGED,
        from_state="",
        to_state=S.DRAFT,
    )
    return submission


@transaction.atomic
def submission_start(*, actor: User, platform: Platform, cycle: AssessmentCycle) -> Submission:
    """An empty draft for `platform` in `cycle`, under the cycle's rubric version."""
    submission = _create_draft(actor, platform, cycle)
    submission_rescore(submission=submission)
    return submission


def previous_submission(platform: Platform, cycle: AssessmentCycle) -> Submission | None:
    """The platform's latest earlier submission that was not withdrawn."""
    return (
        Submission.objects.filter(platform=platform, cycle__opens_on__lt=cycle.opens_on)
        .exclude(state=S.WITHDRAWN)
        .select_related("rubric_version")
        .defer("rubric_version__definition")
        .order_by("-cycle__opens_on")
        .first()
    )


@transaction.atomic
def submission_copy_from_previous(
    *,
    actor: User,
    platform: Platform,
    cycle: AssessmentCycle,
    source: Submission | None = None,
) -> Submission:
    """A draft pre-filled with the previous cycle's answers and evidence, to be re-confirmed.

    Answers the new rubric version no longer asks (or no longer accepts) are left out; every
    copied answer and evidence item is marked `needs_reconfirmation` until the operator
    confirms or changes it. A renewal passes the certified submission as `source`, which need
    not be the latest earlier one.
    """
    previous = source or previous_submission(platform, cycle)
    if previous is None:
        raise ApplicationError(
            "no_previous_submission",
            _("%(platform)s has no earlier submission to copy from.") % {"platform": platform},
        )
    submission = _create_draft(actor, platform, cycle)
    rubric = rubric_of(cycle.rubric_version)
    codes = set(question_codes(rubric, submission.platform_kind))
    answers = []
    for code, value in previous.answers.values_list("question_code", "value"):
        if code not in codes:
            continue
        try:
            value = normalise_answer(rubric, code, value)
        except AnswerError:
            continue
        answers.append(
            Answer(
                submission=submission,
                question_code=code,
                value=value,
                needs_reconfirmation=True,
                updated_by=actor,
            )
        )
    Answer.objects.bulk_create(answers)
    evidence = [
        Evidence(
            submission=submission,
            question_code=item.question_code,
            file=item.file.name,
            original_name=item.original_name,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            url=item.url,
            description=item.description,
            needs_reconfirmation=True,
            uploaded_by=actor,
        )
        for item in previous.evidence.filter(is_current=True, removed_at__isnull=True)
        if item.question_code in codes
    ]
    Evidence.objects.bulk_create(evidence)
    record_event(
        submission=submission,
        actor=actor,
        kind=EventKind.COPIED,
        note=str(previous.cycle),
        detail={
            "from_submission": previous.pk,
            "answers": len(answers),
            "evidence": len(evidence),
        },
    )
    submission_rescore(submission=submission)
    return submission


# --- Answers -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerChange:
    """One answer to save: the question, the raw value, the version it was based on (0 = new)."""

    question_code: str
    value: Any
    version: int


def _conflict_detail(answer: Answer) -> dict:
    return {
        "value": answer.value,
        "version": answer.version,
        "updated_by": str(answer.updated_by),
        "updated_at": answer.updated_at.isoformat(),
    }


@transaction.atomic
def answers_save(
    *, actor: User, submission: Submission, changes: list[AnswerChange]
) -> list[Answer]:
    """Save several answers at once, all or nothing.

    Each change names the version it was based on (0 for a question not yet answered). If any
    answer has moved on since, nothing is saved and Conflict lists every such answer
    (``params["conflicts"]``: code → the current value, version, who and when).
    """
    _require_editor(actor, submission)
    locked = lock_submission(submission.pk)
    rubric = rubric_of(submission.rubric_version)
    values: dict[str, Any] = {}
    for change in changes:
        _check_question(rubric, locked.platform_kind, change.question_code)
        try:
            values[change.question_code] = normalise_answer(
                rubric, change.question_code, change.value
            )
        except AnswerError as error:
            raise ApplicationError(
                error.code,
                _("The answer to %(code)s is not valid.") % {"code": change.question_code},
                field=change.question_code,
                params=error.message_params,
            ) from error
    _editable_codes(locked, values)
    existing = {
        answer.question_code: answer
        for answer in Answer.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(submission=locked, question_code__in=list(values))
    }
    conflicts = {}
    for change in changes:
        answer = existing.get(change.question_code)
        current_version = answer.version if answer is not None else 0
        if change.version != current_version:
            conflicts[change.question_code] = (
                _conflict_detail(answer) if answer is not None else {"value": None, "version": 0}
            )
    if conflicts:
        first = next(iter(conflicts))
        raise Conflict(
            "answer_conflict",
            _(
                "Someone saved a newer answer to %(code)s since you opened the page. "
                "Compare it with yours and choose which to keep."
            )
            % {"code": first},
            field=first,
            params={"conflicts": conflicts},
        )
    saved, changed_codes, events = [], [], []
    now = timezone.now()
    for change in changes:
        code = change.question_code
        value = values[code]
        answer = existing.get(code)
        if answer is None:
            answer = Answer.objects.create(
                submission=locked, question_code=code, value=value, updated_by=actor
            )
            old_value = None
        elif same_answer(answer.value, value) and not answer.needs_reconfirmation:
            saved.append(answer)
            continue
        else:
            old_value = answer.value
            answer.value = value
            answer.version += 1
            answer.needs_reconfirmation = False
            answer.updated_by = actor
            answer.updated_at = now
            answer.save(
                update_fields=[
                    "value",
                    "version",
                    "needs_reconfirmation",
                    "updated_by",
                    "updated_at",
                ]
            )
        events.append(
            SubmissionEvent(
                submission=locked,
                actor=actor,
                kind=EventKind.ANSWER_CHANGED,
                question_code=code,
                detail={"from": old_value, "to": value, "version": answer.version},
            )
        )
        saved.append(answer)
        changed_codes.append(code)
    # Together, so the hash chain is extended once (see AppendOnlyQuerySet.bulk_create).
    SubmissionEvent.objects.bulk_create(events)
    if changed_codes:
        _withdraw_decisions(locked, changed_codes)
        submission_rescore(submission=submission)  # its rubric version is loaded
    return saved


def answer_save(
    *, actor: User, submission: Submission, question_code: str, value: Any, version: int
) -> Answer:
    """Save one answer based on `version` (0 if unanswered); raises Conflict over a newer one."""
    change = AnswerChange(question_code=question_code, value=value, version=version)
    return answers_save(actor=actor, submission=submission, changes=[change])[0]


# --- Evidence ------------------------------------------------------------------------------------


def _check_evidence_question(rubric: Rubric, kind: str, code: str) -> None:
    _check_question(rubric, kind, code)
    if rubric.has_indicator(code) and rubric.indicator(code).evidence == "none":
        raise ApplicationError(
            "no_evidence_needed",
            _("Question %(code)s takes no evidence.") % {"code": code},
            field=code,
        )


def _store_file(evidence: Evidence, uploaded_file) -> None:
    """Point the row at its file, reusing an identical file already stored for the submission."""
    same = (
        Evidence.objects.filter(submission_id=evidence.submission_id, sha256=evidence.sha256)
        .exclude(file="")
        .values_list("file", flat=True)
        .first()
    )
    if same:
        evidence.file.name = same
    else:
        evidence.file.save(evidence.original_name, uploaded_file, save=False)


def _new_evidence(
    *, actor, submission, question_code, uploaded_file=None, url="", description=""
) -> Evidence:
    evidence = Evidence(
        submission=submission,
        question_code=question_code,
        description=(description or "")[:300],
        uploaded_by=actor,
    )
    if uploaded_file is not None:
        remove_stale_upload_files()
        check_upload_quota(actor=actor, submission=submission, size=uploaded_file.size or 0)
        checked = check_evidence_file(uploaded_file)
        evidence.original_name = checked.original_name
        evidence.content_type = checked.content_type
        evidence.size = checked.size
        evidence.sha256 = checked.sha256
        _store_file(evidence, uploaded_file)
    else:
        url = (url or "").strip()
        if not url.lower().startswith(("https://", "http://")):
            raise ApplicationError(
                "invalid_link", _("Enter a web address starting with https://."), field="url"
            )
        evidence.url = url[:500]
    return evidence


def _evidence_changed(locked: Submission, code: str) -> None:
    _withdraw_decisions(locked, [code])
    submission_rescore(submission=locked)


def _evidence_add(
    *, actor: User, submission: Submission, question_code: str, description: str, **source
) -> Evidence:
    _require_editor(actor, submission)
    locked = lock_submission(submission.pk)
    _check_evidence_question(
        rubric_of(submission.rubric_version), locked.platform_kind, question_code
    )
    _editable_codes(locked, [question_code])
    evidence = _new_evidence(
        actor=actor,
        submission=locked,
        question_code=question_code,
        description=description,
        **source,
    )
    evidence.save()
    if evidence.is_link:
        detail = {"evidence": evidence.pk, "url": evidence.url}
    else:
        detail = {
            "evidence": evidence.pk,
            "name": evidence.original_name,
            "sha256": evidence.sha256,
        }
    record_event(
        submission=locked,
        actor=actor,
        kind=EventKind.EVIDENCE_ADDED,
        question_code=question_code,
        detail=detail,
    )
    _evidence_changed(locked, question_code)
    return evidence


@transaction.atomic
def evidence_add_file(
    *, actor: User, submission: Submission, question_code: str, uploaded_file, description=""
) -> Evidence:
    """Attach a checked file (real type from its content, SHA-256, size limit) to a question."""
    return _evidence_add(
        actor=actor,
        submission=submission,
        question_code=question_code,
        description=description,
        uploaded_file=uploaded_file,
    )


@transaction.atomic
def evidence_add_link(
    *, actor: User, submission: Submission, question_code: str, url: str, description=""
) -> Evidence:
    """Attach a link (http or https) to a question."""
    return _evidence_add(
        actor=actor,
        submission=submission,
        question_code=question_code,
        description=description,
        url=url,
    )


def _lock_current_evidence(actor: User, evidence: Evidence) -> tuple[Submission, Evidence]:
    _require_editor(actor, evidence.submission)
    locked = lock_submission(evidence.submission_id)
    current = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if not current.is_current or current.removed_at is not None:
        raise Conflict(
            "evidence_not_current",
            _("This evidence was already replaced or removed; reload the page."),
        )
    _editable_codes(locked, [current.question_code])
    return locked, current


@transaction.atomic
def evidence_replace(
    *, actor: User, evidence: Evidence, uploaded_file=None, url: str = "", description: str = ""
) -> Evidence:
    """A new version of an evidence item; the old one stays (not current) for the audit trail."""
    locked, current = _lock_current_evidence(actor, evidence)
    replacement = _new_evidence(
        actor=actor,
        submission=locked,
        question_code=current.question_code,
        uploaded_file=uploaded_file,
        url=url,
        description=description or current.description,
    )
    current.is_current = False
    current.save(update_fields=["is_current"])
    replacement.replaces = current
    replacement.save()
    record_event(
        submission=locked,
        actor=actor,
        kind=EventKind.EVIDENCE_REPLACED,
        question_code=current.question_code,
        detail={
            "evidence": replacement.pk,
            "replaces": current.pk,
            "name": replacement.original_name or replacement.url,
            "sha256": replacement.sha256,
        },
    )
    _evidence_changed(locked, current.question_code)
    return replacement


@transaction.atomic
def evidence_remove(*, actor: User, evidence: Evidence) -> None:
    """Take an evidence item off its question (the row and file stay for the audit trail)."""
    locked, current = _lock_current_evidence(actor, evidence)
    current.is_current = False
    current.removed_at = timezone.now()
    current.save(update_fields=["is_current", "removed_at"])
    record_event(
        submission=locked,
        actor=actor,
        kind=EventKind.EVIDENCE_REMOVED,
        question_code=current.question_code,
        detail={"evidence": current.pk, "name": current.original_name or current.url},
    )
    _evidence_changed(locked, current.question_code)


@transaction.atomic
def evidence_confirm(*, actor: User, evidence: Evidence) -> Evidence:
    """Confirm an evidence item copied from the previous cycle as still valid."""
    locked, current = _lock_current_evidence(actor, evidence)
    if current.needs_reconfirmation:
        current.needs_reconfirmation = False
        current.save(update_fields=["needs_reconfirmation"])
        record_event(
            submission=locked,
            actor=actor,
            kind=EventKind.EVIDENCE_ADDED,
            question_code=current.question_code,
            note="reconfirmed",
            detail={"evidence": current.pk, "reconfirmed": True},
        )
    return current


@transaction.atomic
def copied_items_confirm(
    *, actor: User, submission: Submission, question_codes: Iterable[str] | None = None
) -> list[str]:
    """Confirm at once every answer and evidence item copied from the last cycle, for the given
    questions (None: the whole questionnaire). Returns the codes confirmed, in order.

    Each confirmation is on the audit trail as if confirmed one by one (an answer gets a new
    version whose value is unchanged; an evidence item its "reconfirmed" event).
    """
    _require_editor(actor, submission)
    locked = lock_submission(submission.pk)
    answers = Answer.objects.select_for_update(of=("self",)).filter(
        submission=locked, needs_reconfirmation=True
    )
    evidence = Evidence.objects.select_for_update(of=("self",)).filter(
        submission=locked, is_current=True, removed_at__isnull=True, needs_reconfirmation=True
    )
    if question_codes is not None:
        codes = list(question_codes)
        answers, evidence = (
            answers.filter(question_code__in=codes),
            evidence.filter(question_code__in=codes),
        )
    answers, evidence = list(answers.order_by("question_code")), list(evidence.order_by("id"))
    _editable_codes(locked, {item.question_code for item in [*answers, *evidence]})
    now = timezone.now()
    for answer in answers:
        answer.needs_reconfirmation = False
        answer.version += 1
        answer.updated_by = actor
        answer.updated_at = now
        answer.save(update_fields=["needs_reconfirmation", "version", "updated_by", "updated_at"])
        record_event(
            submission=locked,
            actor=actor,
            kind=EventKind.ANSWER_CHANGED,
            question_code=answer.question_code,
            note="reconfirmed",
            detail={
                "from": answer.value,
                "to": answer.value,
                "version": answer.version,
                "reconfirmed": True,
            },
        )
    for item in evidence:
        item.needs_reconfirmation = False
        item.save(update_fields=["needs_reconfirmation"])
        record_event(
            submission=locked,
            actor=actor,
            kind=EventKind.EVIDENCE_ADDED,
            question_code=item.question_code,
            note="reconfirmed",
            detail={"evidence": item.pk, "reconfirmed": True},
        )
    confirmed = sorted({item.question_code for item in [*answers, *evidence]})
    if confirmed:
        submission_rescore(submission=submission)
    return confirmed


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


__all__ = [
    "AnswerChange",
    "answer_save",
    "answers_save",
    "evidence_add_file",
    "evidence_add_link",
    "evidence_confirm",
    "evidence_remove",
    "evidence_replace",
    "normalise_answer",
    "previous_submission",
    "question_codes",
    "submission_copy_from_previous",
    "submission_resubmit",
    "submission_start",
    "submission_submit",
    "submission_withdraw",
]
