"""What every step of an operator's submission checks: who may edit, which questions exist,
which answers are open, and how an answer is normalised and stored."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, NotFound, PermissionDenied
from assessment.models import (
    Answer,
    Platform,
    ReviewDecision,
    Submission,
    SubmissionState,
    User,
)
from assessment.permissions import can_edit_submission
from questionnaires.rubric import AnswerError, Rubric, validate_answer

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
