"""The questionnaire: sections, answers, evidence buttons, autosave, confirming copied items.

Every page works without JavaScript; static/js/questionnaire.js adds autosave on top.
"""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessment.errors import ApplicationError, Conflict
from assessment.forms_questionnaire import (
    EvidenceLinkForm,
    EvidenceReplaceForm,
    SectionForm,
    answer_error_message,
    display_value,
)
from assessment.models import Evidence
from assessment.selectors import submissions as selectors
from assessment.services import submissions as services
from assessment.services.evidence_files import ACCEPT_ATTRIBUTE
from assessment.views.operator.common import S, _questionnaire_url, _submission, operator_required

# --- The questionnaire ---------------------------------------------------------------------------


_NOTICE_KEY = "questionnaire_notice"
_COPIED_KINDS = ("answer_unconfirmed", "evidence_unconfirmed")


def _say_confirmed(request: HttpRequest, confirmed: list[str]) -> None:
    messages.success(
        request,
        ngettext(
            "%(count)d question confirmed as still valid: %(codes)s.",
            "%(count)d questions confirmed as still valid: %(codes)s.",
            len(confirmed),
        )
        % {"count": len(confirmed), "codes": ", ".join(confirmed)},
    )


def _copied_items(problems) -> list[dict]:
    """What is still to confirm after copying from the last cycle, as the lists show it."""
    labels = {
        "answer_unconfirmed": _("answer"),
        "evidence_unconfirmed": _("evidence"),
    }
    return [
        {
            "code": problem.question_code,
            "section": problem.section,
            "title": problem.title,
            "what": labels[problem.kind],
            "anchor": "q-" + problem.question_code.replace(".", "-"),
        }
        for problem in problems
        if problem.kind in _COPIED_KINDS
    ]


def _render_questionnaire(
    request,
    page,
    form: SectionForm,
    *,
    status=200,
    conflicts=None,
    evidence_errors=None,
    link_values=None,
):
    rows = form.rows(conflicts)
    notice = request.session.pop(_NOTICE_KEY, None)
    if not notice or notice.get("submission") != page.submission.pk:
        notice = {}
    for row in rows:
        code = row.question.code
        row.notice = notice.get("text", "") if notice.get("code") == code else ""
        row.evidence_errors = (evidence_errors or {}).get(code, [])
        row.link_value = (link_values or {}).get(code, "")
        if row.conflict:
            row.conflict["text"] = selectors.answer_text(page.rubric, code, row.conflict["value"])
    copied = _copied_items(page.problems)
    context = {
        "page": page,
        "submission": page.submission,
        "rows": rows,
        "copied_here": [item for item in copied if item["section"] == page.section],
        "copied_total": len(copied),
        "accept": ACCEPT_ATTRIBUTE,
        "max_bytes": settings.EVIDENCE_MAX_BYTES,
        "has_errors": bool(form.errors or conflicts or evidence_errors),
    }
    return render(request, "assessment/operator/questionnaire.html", context, status=status)


def _changes(form: SectionForm, page) -> list[services.AnswerChange]:
    stored = {question.code: question for question in page.questions}
    changes = []
    for code, (raw, version) in form.cleaned.items():
        question = stored[code]
        unchanged = services.same_answer(display_value(question.value), raw if raw != [] else "")
        if unchanged and version == question.version and not question.needs_reconfirmation:
            continue
        changes.append(services.AnswerChange(question_code=code, value=raw, version=version))
    return changes


class _EvidenceRefused(Exception):
    def __init__(self, code: str, message: str):
        self.code, self.message = code, message


_PAGE_ACTIONS = ("save", "save_next", "save_submit", "confirm_page")
_EVIDENCE_VERBS = ("upload", "link", "remove", "confirm", "replace")


def _check_action(action: str) -> None:
    """Refuse (400, nothing saved) a button the page does not have."""
    verb, separator, target = action.partition(":")
    if not separator and action in _PAGE_ACTIONS:
        return
    if verb in ("upload", "link") and target:
        return
    if verb in _EVIDENCE_VERBS and target.isascii() and target.isdigit() and len(target) < 19:
        return
    raise ApplicationError(
        "unknown_action", _("This button is not part of the page; reload it."), field="action"
    )


def _evidence_action(request, submission, action: str) -> tuple[str, str]:
    """Carry out an evidence button of the questionnaire form; returns a success message and
    the question it concerns."""
    verb, _sep, target = action.partition(":")
    if verb in ("upload", "link"):
        code = target
        try:
            if verb == "upload":
                uploaded = request.FILES.get(f"file-{code}")
                if uploaded is None:
                    raise _EvidenceRefused(code, _("Choose a file to upload."))
                services.evidence_add_file(
                    actor=request.user,
                    submission=submission,
                    question_code=code,
                    uploaded_file=uploaded,
                    description=request.POST.get(f"description-{code}", ""),
                )
                return _("The file was uploaded."), code
            link_form = EvidenceLinkForm(
                {"url": request.POST.get(f"link-{code}", ""), "description": ""}
            )
            if not link_form.is_valid():
                raise _EvidenceRefused(code, link_form.errors["url"][0])
            services.evidence_add_link(
                actor=request.user,
                submission=submission,
                question_code=code,
                url=link_form.cleaned_data["url"],
                description=request.POST.get(f"description-{code}", ""),
            )
            return _("The link was added."), code
        except ApplicationError as error:
            raise _EvidenceRefused(code, str(error.message)) from error
    evidence = Evidence.objects.filter(submission=submission, pk=target or 0).first()
    if evidence is None or verb not in ("remove", "confirm", "replace"):
        raise Http404
    try:
        if verb == "remove":
            services.evidence_remove(actor=request.user, evidence=evidence)
            return _("The evidence was removed."), evidence.question_code
        if verb == "confirm":
            services.evidence_confirm(actor=request.user, evidence=evidence)
            return _("The evidence is confirmed."), evidence.question_code
        replace_form = EvidenceReplaceForm(
            {"url": request.POST.get(f"replace-link-{evidence.pk}", "")},
            {"file": request.FILES.get(f"replace-file-{evidence.pk}")}
            if request.FILES.get(f"replace-file-{evidence.pk}")
            else {},
        )
        if not replace_form.is_valid():
            errors = replace_form.errors.get("url") or replace_form.non_field_errors()
            raise _EvidenceRefused(evidence.question_code, errors[0])
        services.evidence_replace(
            actor=request.user,
            evidence=evidence,
            uploaded_file=replace_form.cleaned_data.get("file"),
            url=replace_form.cleaned_data.get("url") or "",
        )
        return (
            _("The evidence was replaced; the previous version is kept in the history."),
            evidence.question_code,
        )
    except ApplicationError as error:
        raise _EvidenceRefused(evidence.question_code, str(error.message)) from error


@operator_required
def confirm_copied(request: HttpRequest, submission_id: int) -> HttpResponse:
    """Everything still to confirm after copying from the last cycle, confirmed at once."""
    submission = _submission(request, submission_id)
    if submission.state not in selectors.EDITABLE_STATES:
        return redirect("operator_submission_view", submission.pk)
    if request.method == "POST":
        try:
            confirmed = services.copied_items_confirm(actor=request.user, submission=submission)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            _say_confirmed(request, confirmed)
            return redirect("operator_submission_submit", submission.pk)
    copied = _copied_items(selectors.submission_completeness(submission))
    sections = {}
    for item in copied:
        sections.setdefault(item["section"], []).append(item)
    context = {"submission": submission, "copied": copied, "sections": sections}
    return render(request, "assessment/operator/confirm_copied.html", context)


@operator_required
def questionnaire(request: HttpRequest, submission_id: int, section: str) -> HttpResponse:
    submission = _submission(request, submission_id)
    if submission.state not in selectors.EDITABLE_STATES and request.method == "GET":
        return redirect("operator_submission_view", submission.pk)
    page = selectors.questionnaire_page(submission, section)
    if page is None:
        raise Http404
    if request.method != "POST":
        form = SectionForm(rubric=page.rubric, questions=page.questions)
        return _render_questionnaire(request, page, form)

    form = SectionForm(rubric=page.rubric, questions=page.questions, data=request.POST)
    link_values = {
        key.removeprefix("link-"): value
        for key, value in request.POST.items()
        if key.startswith("link-")
    }
    if not form.is_valid():
        return _render_questionnaire(request, page, form, status=400, link_values=link_values)
    action = request.POST.get("action", "save")
    try:
        _check_action(action)
        with transaction.atomic():
            changes = _changes(form, page)
            if changes:
                services.answers_save(actor=request.user, submission=submission, changes=changes)
            done = _evidence_action(request, submission, action) if ":" in action else None
            confirmed = (
                services.copied_items_confirm(
                    actor=request.user,
                    submission=submission,
                    question_codes=[question.code for question in page.questions],
                )
                if action == "confirm_page"
                else None
            )
    except Conflict as error:
        messages.error(request, error.message)
        return _render_questionnaire(
            request,
            page,
            form,
            status=409,
            conflicts=error.params.get("conflicts", {}),
            link_values=link_values,
        )
    except _EvidenceRefused as refused:
        return _render_questionnaire(
            request,
            page,
            form,
            status=400,
            evidence_errors={refused.code: [refused.message]},
            link_values=link_values,
        )
    except ApplicationError as error:
        if error.field:
            form.errors[error.field] = [str(error.message)]
        else:
            messages.error(request, error.message)
        return _render_questionnaire(
            request, page, form, status=error.status, link_values=link_values
        )
    if done is not None:
        # Shown inside the evidence block the page scrolls to, not at the top out of sight.
        text, code = done
        request.session[_NOTICE_KEY] = {"submission": submission.pk, "code": code, "text": text}
        anchor = "#evidence-q-" + code.replace(".", "-")
        return HttpResponseRedirect(_questionnaire_url(submission, section) + anchor)
    if confirmed is not None:
        _say_confirmed(request, confirmed)
        return HttpResponseRedirect(_questionnaire_url(submission, section))
    messages.success(request, _("Your answers are saved."))
    if action == "save_next" and page.next_section:
        return redirect(_questionnaire_url(submission, page.next_section))
    if action == "save_submit":
        return redirect("operator_submission_submit", submission.pk)
    return HttpResponseRedirect(_questionnaire_url(submission, section))


def _panels(request, submission) -> dict:
    """The score panel and the section index after a save, for the autosave response."""
    panels = selectors.score_panels(submission)
    return {
        "score_html": render_to_string(
            "assessment/operator/_score_panel.html",
            {"score": panels.score, "submission": panels.submission},
            request=request,
        ),
        "problems": len(panels.problems),
        "sections": [
            {"code": link.code, "answered": link.answered, "total": link.total,
             "complete": link.complete}
            for link in panels.sections
        ],
    }  # fmt: skip


@operator_required
@require_POST
def autosave(request: HttpRequest, submission_id: int) -> JsonResponse:
    """Save one answer (form-encoded like the page) and return its new version and the score."""
    submission = _submission(request, submission_id)
    code = request.POST.get("question", "")
    found = selectors.autosave_question(submission, code)
    if found is None:
        return JsonResponse(
            {
                "code": "unknown_question",
                "message": _("This question is not part of this questionnaire."),
                "field": code,
            },
            status=400,
        )
    rubric, question = found
    if not question.editable:
        return JsonResponse(
            {
                "code": "not_editable",
                "message": answer_error_message("not_reopened")
                if submission.state == S.REVISION_REQUESTED
                else _("This submission can no longer be changed."),
                "field": code,
            },
            status=400,
        )
    form = SectionForm(rubric=rubric, questions=[question], data=request.POST)
    if not form.is_valid():
        return JsonResponse(
            {"code": "invalid", "message": form.errors[code][0], "field": code}, status=400
        )
    if code not in form.cleaned:  # nothing chosen yet (a radio group left untouched)
        return JsonResponse({"field": code, "unchanged": True})
    raw, version = form.cleaned[code]
    try:
        answer = services.answer_save(
            actor=request.user,
            submission=submission,
            question_code=code,
            value=raw,
            version=version,
        )
    except Conflict as error:
        theirs = error.params.get("conflicts", {}).get(code, {})
        return JsonResponse(
            {
                "code": error.code,
                "message": str(error.message),
                "field": code,
                "theirs": {
                    "value": display_value(theirs.get("value")),
                    "text": selectors.answer_text(rubric, code, theirs.get("value")),
                    "version": theirs.get("version", 0),
                    "updated_by": theirs.get("updated_by", ""),
                },
            },
            status=409,
        )
    except ApplicationError as error:
        return JsonResponse(
            {"code": error.code, "message": str(error.message), "field": code},
            status=error.status,
        )
    return JsonResponse(
        {
            "field": code,
            "version": answer.version,
            "value": display_value(answer.value),
            "saved_at": timezone.localtime(answer.updated_at).strftime("%H:%M:%S"),
            **_panels(request, submission),
        }
    )
