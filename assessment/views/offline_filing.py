"""The operator's offline filing page: download the questionnaire as XLSX, upload it filled.

Thin: the workbook and its checks are assessment.services.offline_filing (the same as the
commands and the API)."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from assessment.errors import ApplicationError
from assessment.services.offline_filing import (
    XLSX_CONTENT_TYPE,
    ImportRefused,
    questionnaire_import,
    questionnaire_xlsx,
    xlsx_filename,
)
from assessment.views.operator import _submission, operator_required


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled workbook (XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX_CONTENT_TYPE}),
        error_messages={"required": gettext_lazy("Choose a file to upload.")},
    )


@operator_required
def questionnaire_download(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _submission(request, submission_id)
    language = request.GET.get("lang") or get_language() or "zh-hans"
    response = HttpResponse(
        questionnaire_xlsx(submission=submission, language=language),
        content_type=XLSX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="{xlsx_filename(submission)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@operator_required
def questionnaire_offline(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _submission(request, submission_id)
    context = {"submission": submission, "problems": [], "changes": None}
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = questionnaire_import(
                actor=request.user,
                submission=submission,
                content=form.cleaned_data["file"].read(),
            )
        except ImportRefused as refused:
            messages.error(request, refused.message)
            context["problems"] = refused.problems
            status = refused.status
        except ApplicationError as error:
            messages.error(request, error.message)
            status = error.status
        else:
            if not result.changes:
                messages.info(request, _("The file holds no changed answers; nothing to store."))
                return redirect("operator_questionnaire_offline", submission.pk)
            messages.success(
                request,
                _("%(count)d answer(s) from the workbook were saved.")
                % {"count": len(result.changes)},
            )
            context["changes"] = result.changes
    elif request.method == "POST":
        status = 400
    context["form"] = form
    return render(request, "assessment/offline/questionnaire_offline.html", context, status=status)
