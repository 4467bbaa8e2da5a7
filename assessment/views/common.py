"""Pages every role shares: home (routing by role) and the error mapping."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse

from assessment.errors import ApplicationError
from assessment.models import Role

_ROLE_HOME = {
    Role.OPERATOR: "operator_home",
    Role.REVIEWER: "review_queue",
    Role.REGULATOR: "dashboard_national",
    Role.EXPERT: "panel_list",
    Role.ADMIN: "dashboard_national",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = Role.ADMIN if request.user.is_admin else request.user.role
    try:
        return redirect(reverse(_ROLE_HOME[role]))
    except NoReverseMatch:
        return render(request, "home.html")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links to. The hashed static name is
    looked up per request: at import time the production manifest may not exist yet."""
    return redirect(static("img/favicon.svg"), permanent=True)


def render_error(request: HttpRequest, error: ApplicationError, template: str, context: dict):
    """Render a page again with the refusal shown on it, with the error's HTTP status."""
    messages.error(request, error.message)
    return render(request, template, context, status=error.status)
