"""Evidence download, submitting, withdrawing, resubmitting and the read-only view."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from assessment.errors import ApplicationError
from assessment.selectors import submissions as selectors
from assessment.services import submissions as services
from assessment.services.evidence_files import INLINE_TYPES
from assessment.views.operator.common import S, _submission, operator_required
from assessment.views.operator.questionnaire import _copied_items

# --- Evidence download ---------------------------------------------------------------------------


@login_required
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """Serve an evidence file to whoever may see its submission (inline for PDF and images)."""
    evidence = selectors.evidence_for_user(request.user, evidence_id)
    if evidence is None:
        raise Http404
    services.evidence_opened(actor=request.user, evidence=evidence)
    if evidence.is_link:
        # Never a redirect to wherever an operator pointed: the reader sees the address first.
        return render(request, "assessment/operator/leaving.html", {"evidence": evidence})
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    inline = evidence.content_type in INLINE_TYPES
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=evidence.original_name or "evidence",
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Submitting, withdrawing, resubmitting -------------------------------------------------------


@operator_required
def submission_submit(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _submission(request, submission_id)
    resubmit = submission.state == S.REVISION_REQUESTED
    if submission.state not in selectors.EDITABLE_STATES:
        return redirect("operator_submission_view", submission.pk)
    problems = selectors.submission_completeness(submission)
    score = selectors.submission_provisional_score(submission)
    context = {
        "submission": submission,
        "problems": problems,
        "score": score,
        "resubmit": resubmit,
        "confirm_error": "",
        "copied_count": len(_copied_items(problems)),
    }
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            context["confirm_error"] = _("Tick the box to confirm that your answers are final.")
            return render(request, "assessment/operator/submit.html", context, status=400)
        action = services.submission_resubmit if resubmit else services.submission_submit
        try:
            action(actor=request.user, submission=submission, note=request.POST.get("note", ""))
        except ApplicationError as error:
            messages.error(request, error.message)
            context["problems"] = selectors.submission_completeness(submission)
            return render(request, "assessment/operator/submit.html", context, status=400)
        messages.success(
            request,
            _("Your submission was resubmitted for review.")
            if resubmit
            else _("Your submission was handed in. Its answers can no longer be changed."),
        )
        return redirect("operator_submission_view", submission.pk)
    return render(request, "assessment/operator/submit.html", context)


@operator_required
def submission_withdraw(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _submission(request, submission_id)
    if request.method == "POST":
        try:
            services.submission_withdraw(
                actor=request.user, submission=submission, note=request.POST.get("note", "")
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("operator_submission_view", submission.pk)
        messages.success(request, _("The submission was withdrawn."))
        return redirect("operator_home")
    return render(request, "assessment/operator/withdraw.html", {"submission": submission})


@operator_required
def submission_view(request: HttpRequest, submission_id: int) -> HttpResponse:
    """The whole submission, read-only, with its score and history."""
    submission = _submission(request, submission_id)
    context = {
        "submission": submission,
        "sections": selectors.submission_overview(submission),
        "history": selectors.submission_history(submission),
        "score": selectors.submission_provisional_score(submission),
        "editable": submission.state in selectors.EDITABLE_STATES,
        "can_withdraw": submission.state
        in (S.DRAFT, S.SUBMITTED, S.REVISION_REQUESTED, S.RESUBMITTED),
    }
    return render(request, "assessment/operator/submission_view.html", context)
