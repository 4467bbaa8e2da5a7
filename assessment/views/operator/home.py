"""The operator's home: the platforms × cycles, starting and continuing a submission."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment.errors import ApplicationError
from assessment.models import AssessmentCycle
from assessment.permissions import visible_platforms
from assessment.selectors import monitoring as monitoring_selectors
from assessment.selectors import submissions as selectors
from assessment.services import submissions as services
from assessment.views.operator.common import _questionnaire_url, _submission, operator_required

# --- Home ----------------------------------------------------------------------------------------


@operator_required
def operator_home(request: HttpRequest) -> HttpResponse:
    rows = selectors.operator_home_rows(request.user)
    has_platforms = bool(rows) or visible_platforms(request.user).exists()
    # Only what calls for action here; the organisation page lists every certification.
    renewals = [
        row for row in monitoring_selectors.operator_certifications(request.user) if row.offer
    ]
    context = {"rows": rows, "has_platforms": has_platforms, "certification_rows": renewals}
    return render(request, "assessment/operator/home.html", context)


@operator_required
@require_POST
def submission_start(request: HttpRequest) -> HttpResponse:
    platform = visible_platforms(request.user).filter(pk=request.POST.get("platform")).first()
    cycle = AssessmentCycle.objects.filter(pk=request.POST.get("cycle")).first()
    if platform is None or cycle is None:
        raise Http404
    start = (
        services.submission_copy_from_previous
        if request.POST.get("mode") == "copy"
        else services.submission_start
    )
    try:
        submission = start(actor=request.user, platform=platform, cycle=cycle)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("operator_home")
    if request.POST.get("mode") == "copy":
        messages.success(
            request,
            _(
                "The draft was filled from the last cycle. Confirm or change each copied answer "
                "and evidence item before you submit."
            ),
        )
    return redirect(_questionnaire_url(submission, selectors.PRECONDITIONS))


@operator_required
def submission_continue(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _submission(request, submission_id)
    if submission.state in selectors.EDITABLE_STATES:
        section = selectors.first_section_to_edit(submission)
        return redirect(_questionnaire_url(submission, section))
    return redirect("operator_submission_view", submission.pk)
