"""Applying for the renewal of a certification: a confirmation page, then the new submission.

Reads through assessment.selectors.monitoring, the write through
assessment.services.monitoring.renewal_start; the certification comes from the operator's own
platforms (assessment.permissions.visible_platforms), so anyone else's is a 404.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.errors import ApplicationError
from assessment.selectors import monitoring as monitoring_selectors
from assessment.selectors import submissions as selectors
from assessment.services import monitoring as monitoring_services
from assessment.views.operator.common import _questionnaire_url, operator_required


@operator_required
def renewal_apply(request: HttpRequest, certification_id: int) -> HttpResponse:
    certification = monitoring_selectors.operator_certification(request.user, certification_id)
    if certification is None:
        raise Http404
    today = timezone.localdate()
    status = 200
    refusal = monitoring_services.renewal_refusal(certification, today)
    if request.method == "POST":
        try:
            submission = monitoring_services.renewal_start(
                actor=request.user, certification=certification, today=today
            )
        except ApplicationError as error:
            refusal, status = error, error.status
        else:
            messages.success(
                request,
                _(
                    "The renewal was started from the certified answers. Confirm or change each "
                    "copied answer and evidence item before you submit."
                ),
            )
            return redirect(_questionnaire_url(submission, selectors.PRECONDITIONS))
    offer = None if refusal else monitoring_services.renewal_offer(certification, today)
    context = {
        "certification": certification,
        "platform": certification.submission.platform,
        "offer": offer,
        "refusal": refusal.message if refusal else "",
        "no_cycle": refusal is None and offer is None,
    }
    return render(request, "assessment/operator/renewal_apply.html", context, status=status)
