"""Saving answers, with a version check so that no save silently overwrites a newer one."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, Conflict
from assessment.models import (
    Answer,
    EventKind,
    Submission,
    SubmissionEvent,
    User,
)
from assessment.services.scoring import submission_rescore
from assessment.services.submissions.common import (
    _check_question,
    _editable_codes,
    _require_editor,
    _withdraw_decisions,
    normalise_answer,
    same_answer,
)
from assessment.services.workflow import lock_submission
from questionnaires.rubric import AnswerError
from questionnaires.selectors import rubric_of

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
