"""Evidence: files and links added, replaced, removed, confirmed (copied items too)."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, Conflict
from assessment.models import (
    Answer,
    EventKind,
    Evidence,
    Submission,
    User,
)
from assessment.services.evidence_files import (
    check_evidence_file,
    check_upload_quota,
    remove_stale_upload_files,
)
from assessment.services.scoring import submission_rescore
from assessment.services.submissions.common import (
    _check_question,
    _editable_codes,
    _require_editor,
    _withdraw_decisions,
)
from assessment.services.workflow import lock_submission, record_event
from questionnaires.rubric import Rubric
from questionnaires.selectors import rubric_of

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


def _reconfirm(locked: Submission, actor: User, evidence: Evidence) -> None:
    evidence.needs_reconfirmation = False
    evidence.save(update_fields=["needs_reconfirmation"])
    record_event(
        submission=locked,
        actor=actor,
        kind=EventKind.EVIDENCE_ADDED,
        question_code=evidence.question_code,
        note="reconfirmed",
        detail={"evidence": evidence.pk, "reconfirmed": True},
    )


@transaction.atomic
def evidence_confirm(*, actor: User, evidence: Evidence) -> Evidence:
    """Confirm an evidence item copied from the previous cycle as still valid."""
    locked, current = _lock_current_evidence(actor, evidence)
    if current.needs_reconfirmation:
        _reconfirm(locked, actor, current)
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
        _reconfirm(locked, actor, item)
    confirmed = sorted({item.question_code for item in [*answers, *evidence]})
    if confirmed:
        submission_rescore(submission=submission)
    return confirmed
