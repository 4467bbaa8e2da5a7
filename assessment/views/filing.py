"""The application form (申报书) download and the commitment letter (承诺书) page.

Thin: objects through assessment.permissions (out of scope = 404), writes and PDFs through
assessment.services.filing."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.errors import ApplicationError
from assessment.models import Role, Submission
from assessment.permissions import visible_submissions
from assessment.services import filing as services
from assessment.services.evidence_files import ACCEPT_ATTRIBUTE
from assessment.views.operator import _submission, operator_required

# Who may open a submission's application form: its operators and the officials reviewing it.
FORM_READERS = (Role.OPERATOR, Role.REVIEWER, Role.EXPERT, Role.REGULATOR)


def _readable_submission(request: HttpRequest, submission_id: int) -> Submission:
    user = request.user
    if not (user.is_admin or user.role in FORM_READERS):
        raise Http404
    submission = (
        visible_submissions(user)
        .select_related("platform__organisation", "platform__region", "cycle", "created_by")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise Http404
    return submission


@login_required
def application_form_download(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _readable_submission(request, submission_id)
    try:
        form = services.application_form_current(submission)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("home")
    response = FileResponse(
        form.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"application-form-{submission.pk}-{submission.cycle.code}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


class LetterForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Scanned letter, signed and sealed (PDF or image)"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        error_messages={"required": gettext_lazy("Choose a file to upload.")},
    )


@operator_required
def commitment_letter(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _submission(request, submission_id)
    form = LetterForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.commitment_letter_upload(
                    actor=request.user,
                    submission=submission,
                    uploaded_file=form.cleaned_data["file"],
                )
            except ApplicationError as error:
                form.add_error("file", str(error.message))
            else:
                messages.success(request, _("The commitment letter is uploaded."))
                return redirect("commitment_letter", submission.pk)
        status = 400
    return render(
        request,
        "assessment/filing/commitment_letter.html",
        {
            "submission": submission,
            "required": services.commitment_letter_required(submission.cycle),
            "letter": services.current_commitment_letter(submission),
            "text_zh": services.commitment_letter_text(submission, "zh-hans"),
            "text_en": services.commitment_letter_text(submission, "en"),
            "form": form,
        },
        status=status,
    )


@login_required
def commitment_letter_download(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _readable_submission(request, submission_id)
    letter = services.current_commitment_letter(submission)
    if letter is None:
        raise Http404
    return FileResponse(
        letter.file.open("rb"),
        content_type=letter.content_type,
        as_attachment=True,
        filename=letter.original_name,
    )
