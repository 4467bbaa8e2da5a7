"""Starting a draft, and copying the previous cycle's answers and evidence into it."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError
from assessment.models import (
    Answer,
    AssessmentCycle,
    EventKind,
    Evidence,
    Platform,
    Submission,
    User,
)
from assessment.services.scoring import submission_rescore
from assessment.services.submissions.common import (
    S,
    _require_operator_of,
    normalise_answer,
    question_codes,
)
from assessment.services.workflow import record_event
from questionnaires.rubric import AnswerError
from questionnaires.selectors import rubric_of

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
