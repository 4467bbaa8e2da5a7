"""The application form (申报书) and the commitment letter (承诺书) of a submission.

- ``application_form_pdf(submission)`` renders the application form: the applicant's details,
  every answer, the evidence list with SHA-256 and the commitment letter's hash. It is the one
  function producing its bytes (a signing step can wrap it). ``application_form_store`` keeps a
  copy with the submission: queued when a submission is handed in (``submission_submit`` /
  ``submission_resubmit``), or built on first download.
- A cycle can require a signed and sealed commitment letter (CycleRequirement). The product
  writes the letter's text for the platform (``commitment_letter_text``); the operator uploads
  the stamped scan (PDF or image) through the checked evidence upload path; submission is
  refused without it (``require_commitment_letter``).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, PermissionDenied
from assessment.models import (
    Answer,
    ApplicationForm,
    AssessmentCycle,
    CommitmentLetter,
    CycleRequirement,
    EventKind,
    Evidence,
    Submission,
    SubmissionState,
    User,
)
from assessment.permissions import can_edit_submission
from assessment.selectors.submissions import PRECONDITIONS, questions_by_section
from assessment.services import signing
from assessment.services.evidence_files import JPEG, PDF, PNG, check_evidence_file
from assessment.services.inputs import checked_file_fields
from assessment.services.workflow import lock_submission, record_event
from questionnaires.rubric import QuestionType, Rubric
from questionnaires.selectors import rubric_of

S = SubmissionState
LETTER_TYPES = {PDF, PNG, JPEG}


# --- The commitment letter -----------------------------------------------------------------------


def commitment_letter_required(cycle: AssessmentCycle) -> bool:
    return CycleRequirement.objects.filter(cycle=cycle, commitment_letter_required=True).exists()


def current_commitment_letter(submission: Submission) -> CommitmentLetter | None:
    return submission.commitment_letters.filter(is_current=True).first()


def commitment_letter_text(submission: Submission, language: str = "zh-hans") -> dict[str, Any]:
    """The letter the organisation signs and seals: a title and its paragraphs."""
    platform = submission.platform
    organisation = platform.organisation
    params = {
        "organisation": organisation.name,
        "credit_code": organisation.credit_code,
        "platform": platform.name,
        "cycle": submission.cycle.title_en if language == "en" else submission.cycle.title_zh_hans,
    }
    with translation.override(language):
        paragraphs = [
            _(
                "%(organisation)s (unified social credit code %(credit_code)s) applies for the "
                "assessment of its industrial internet platform %(platform)s in %(cycle)s and "
                "makes the following commitments:"
            ),
            _(
                "1. Every answer, figure and piece of evidence in the application is true, "
                "accurate and complete; nothing is falsified, exaggerated or withheld."
            ),
            _(
                "2. The platform has had no major cybersecurity or data security incident, no "
                "serious violation of laws or regulations and no serious dishonesty in the last "
                "three years."
            ),
            _(
                "3. We accept the review, on-site checks and annual monitoring of the competent "
                "authorities, will report material changes promptly, and accept a downgrade or "
                "revocation of the certification if these commitments prove untrue."
            ),
            _(
                "Legal representative (signature): ____________    Organisation (seal)    "
                "Date: ____________"
            ),
        ]
        return {
            "title": str(_("Commitment letter")),
            "paragraphs": [str(paragraph) % params for paragraph in paragraphs],
        }


@transaction.atomic
def commitment_letter_upload(
    *, actor: User, submission: Submission, uploaded_file
) -> CommitmentLetter:
    """Store the scanned, stamped letter (PDF, PNG or JPEG, checked like evidence)."""
    if not can_edit_submission(actor, submission):
        raise PermissionDenied(
            "not_operator", _("Only the platform's operators may change this submission.")
        )
    locked = lock_submission(submission.pk)
    if locked.state not in (S.DRAFT, S.REVISION_REQUESTED):
        raise ApplicationError(
            "submission_not_editable",
            _("This submission is “%(state)s”; its answers can no longer be changed.")
            % {"state": S(locked.state).label},
        )
    checked = check_evidence_file(uploaded_file)
    if checked.content_type not in LETTER_TYPES:
        raise ApplicationError(
            "letter_type",
            _("Upload the scanned letter as a PDF, PNG or JPEG file."),
            field="file",
        )
    locked.commitment_letters.filter(is_current=True).update(is_current=False)
    letter = CommitmentLetter(
        submission=locked,
        uploaded_by=actor,
        **checked_file_fields(checked),
    )
    letter.file.save(checked.original_name, uploaded_file, save=False)
    letter.save()
    record_event(
        submission=locked,
        actor=actor,
        kind=EventKind.EVIDENCE_ADDED,
        question_code="",
        note="commitment letter",
        detail={
            "commitment_letter": letter.pk,
            "name": letter.original_name,
            "sha256": letter.sha256,
        },
    )
    return letter


def require_commitment_letter(submission: Submission) -> None:
    """Refuse to hand in a submission of a cycle requiring a letter that has none."""
    if (
        commitment_letter_required(submission.cycle)
        and current_commitment_letter(submission) is None
    ):
        raise ApplicationError(
            "commitment_letter_missing",
            _(
                "This cycle requires a signed and sealed commitment letter. Print the letter, "
                "have it signed and sealed, and upload the scan before submitting."
            ),
        )


# --- The application form -----------------------------------------------------------------------


def _answer_text(rubric: Rubric, code: str, value: Any, language: str) -> str:
    if value is None or value == [] or value == "":
        return "—"
    with translation.override(language):
        yes, no = str(_("Yes")), str(_("No"))
    if not rubric.has_indicator(code):
        return yes if value is True else no
    indicator = rubric.indicator(code)
    if indicator.type == QuestionType.BOOLEAN:
        return yes if value is True else no
    if indicator.type == QuestionType.ORDINAL:
        return f"{value} · {indicator.anchors[int(value)].label.get(language)}"
    if indicator.type == QuestionType.CHOICE:
        chosen = value if isinstance(value, list) else [value]
        return "；".join(o.label.get(language) for o in indicator.options if o.code in chosen)
    unit = (
        "%"
        if indicator.type == QuestionType.PERCENTAGE
        else (indicator.unit.get(language) if indicator.unit else "")
    )
    number = int(value) if isinstance(value, float) and value.is_integer() else value
    return f"{number} {unit}".strip()


def application_form_context(submission: Submission, language: str) -> dict[str, Any]:
    rubric = rubric_of(submission.rubric_version)
    answers = dict(
        Answer.objects.filter(submission=submission).values_list("question_code", "value")
    )
    evidence = list(
        Evidence.objects.filter(submission=submission, is_current=True, removed_at__isnull=True)
        .order_by("question_code", "uploaded_at", "id")
        .values("question_code", "original_name", "url", "size", "sha256", "description")
    )
    sections = []
    for section, codes in questions_by_section(rubric, submission.platform_kind).items():
        if section == PRECONDITIONS:
            title = str(_("Preconditions"))
            texts = {p.code: p.text.get(language) for p in rubric.preconditions}
        else:
            title = f"{section} {rubric.dimension(section).title.get(language)}"
            texts = {code: rubric.indicator(code).title.get(language) for code in codes}
        sections.append(
            {
                "title": title,
                "rows": [
                    {
                        "code": code,
                        "question": texts[code],
                        "answer": _answer_text(rubric, code, answers.get(code), language),
                    }
                    for code in codes
                ],
            }
        )
    platform = submission.platform
    return {
        "submission": submission,
        "platform": platform,
        "organisation": platform.organisation,
        "industries": ", ".join(i.name for i in platform.industries.all()),
        "kind_label": submission.get_platform_kind_display(),
        "tier_applied": submission.get_tier_applied_display() if submission.tier_applied else "",
        "cycle_title": submission.cycle.title_en
        if language == "en"
        else submission.cycle.title_zh_hans,
        "rubric_label": rubric.label,
        "sections": sections,
        "evidence": evidence,
        "letter": current_commitment_letter(submission),
        "generated_at": timezone.localtime(),
        "applicant": submission.created_by,
        "language": language,
    }


def application_form_pdf(submission: Submission, language: str = "zh-hans") -> bytes:
    """The application form (申报书) of `submission` as PDF bytes (the one producer)."""
    from assessment.services.reports import render_pdf

    with translation.override(language):
        html = render_to_string(
            "assessment/filing/application_form.html",
            application_form_context(submission, language),
        )
    return signing.pdf_sign(render_pdf(html))


@transaction.atomic
def application_form_store(*, submission: Submission, language: str = "zh-hans") -> ApplicationForm:
    """Render the application form and keep it with the submission."""
    pdf = application_form_pdf(submission, language)
    form = ApplicationForm(
        submission=submission,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        language=language,
        review_round=submission.review_round,
    )
    form.file.save(f"application-form-{submission.pk}.pdf", ContentFile(pdf), save=False)
    form.save()
    return form


def application_form_queue(submission: Submission) -> None:
    """After the surrounding transaction commits, build the form in the background."""
    from assessment.tasks import application_form_task

    submission_id = submission.pk
    transaction.on_commit(lambda: application_form_task.enqueue(submission_id))


def application_form_current(submission: Submission) -> ApplicationForm:
    """The stored form of the latest hand-in, built now if the background task has not yet."""
    if submission.submitted_at is None:
        raise ApplicationError(
            "not_submitted",
            _("The application form is generated when the submission is handed in."),
        )
    stored = submission.application_forms.filter(generated_at__gte=submission.submitted_at).first()
    return stored or application_form_store(submission=submission)
