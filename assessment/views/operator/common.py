"""Shared by the operator's pages: who may open them and the submission they concern."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.urls import reverse

from assessment.models import Role, SubmissionState
from assessment.selectors import submissions as selectors

S = SubmissionState


def operator_required(view):
    """Signed in as a platform operator; anyone else gets a 404 (the page is not theirs)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if request.user.role != Role.OPERATOR:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _submission(request: HttpRequest, submission_id: int):
    submission = selectors.submission_for_operator(request.user, submission_id)
    if submission is None:
        raise Http404
    return submission


def _questionnaire_url(submission, section: str) -> str:
    return reverse("operator_questionnaire", args=[submission.pk, section])
