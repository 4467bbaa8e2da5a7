"""Sign-in lock-out through django-axes: failures are rows in the database, per account and
client address, so every server process counts the same attempts."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _


def username_of(request, credentials) -> str:
    """The account a sign-in attempt names, normalised as emails are stored (lower case)."""
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("email")
    if name is None and request is not None and hasattr(request, "POST"):
        name = request.POST.get("username") or request.POST.get("email")
    return (name or "").strip().lower()


def failures_so_far(request, username: str) -> int:
    """Failed attempts recorded for this account from this address within the window."""
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.get_failures(request, {"username": username})


def attempts_left(request, username: str) -> int:
    return max(settings.AXES_FAILURE_LIMIT - failures_so_far(request, username), 0)


def locked_message() -> str:
    minutes = max(settings.LOGIN_FAILURE_WINDOW_SECONDS // 60, 1)
    return _("Too many failed sign-in attempts. Please wait %(minutes)d minutes and try again.") % {
        "minutes": minutes
    }


def locked_out(request, original_response, credentials=None):
    """What a locked-out sign-in gets: the sign-in page (or the API's error) with status 429."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse(
            {"code": "locked_out", "message": locked_message(), "field": None}, status=429
        )
    from assessment.forms import ThrottledLoginForm

    # Unbound: a bound form would check the password again (and count another failure).
    form = ThrottledLoginForm(request, initial={"username": username_of(request, credentials)})
    template = "registration/login.html"
    context = {
        "form": form,
        "locked_message": locked_message(),
        "next": request.GET.get("next", ""),
    }
    return render(request, template, context, status=429)
