"""Per-request security controls for signed-in browser sessions, and the response headers.

- A session ends after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after
  sign-in, whatever the activity.
- An account that must change its password (invited, set by an administrator, or older than
  PASSWORD_MAX_AGE_DAYS for officials and administrators) sees only the change form.
- Two-factor sign-in: an account with a confirmed device must give a code after its password;
  with TWO_FACTOR_REQUIRED (on with PRODUCTION) the roles in TWO_FACTOR_REQUIRED_ROLES must
  enrol before anything else.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from assessment.security.passwords import must_change_password
from assessment.security.receivers import SESSION_STARTED

LAST_SEEN = "security_last_seen"
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
    "interest-cohort=()"
)
# Paths a user held by a control may still open (to satisfy it, or to leave).
_ALWAYS_OPEN = (
    "/static/",
    "/i18n/",
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/password_change/",
    "/accounts/two-factor/",
    "/favicon.ico",
)


def two_factor_required(user) -> bool:
    return settings.TWO_FACTOR_REQUIRED and (
        user.role in settings.TWO_FACTOR_REQUIRED_ROLES or user.is_superuser
    )


ENROLLED = "security_two_factor_enrolled"


def has_two_factor_device(user) -> bool:
    from django_otp import devices_for_user

    return any(True for _device in devices_for_user(user, confirmed=True))


def enrolled(request) -> bool:
    """Whether the signed-in user has a confirmed device; noted in the session at sign-in
    (and on enrolment), so that pages do not ask the database on every request."""
    if ENROLLED not in request.session:
        request.session[ENROLLED] = has_two_factor_device(request.user)
    return request.session[ENROLLED]


class SecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        held = self._hold(request)
        response = held if held is not None else self.get_response(request)
        response.headers["Permissions-Policy"] = PERMISSIONS_POLICY
        if "Server" in response.headers:
            del response.headers["Server"]
        return response

    def _hold(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return None
        now = time.time()
        started = request.session.get(SESSION_STARTED)
        last_seen = request.session.get(LAST_SEEN, started)
        idle = settings.SESSION_IDLE_MINUTES * 60
        if (started and now - started > settings.SESSION_MAX_HOURS * 3600) or (
            last_seen and now - last_seen > idle
        ):
            logout(request)
            messages.info(request, _("Your session ended; please sign in again."))
            return redirect(f"/accounts/login/?next={request.path}")
        # Written at most once a minute, so that most requests do not rewrite the session.
        if not last_seen or now - last_seen > 60:
            request.session[LAST_SEEN] = now
        if request.path.startswith(_ALWAYS_OPEN):
            return None
        if request.path.startswith("/api/"):
            # Token requests carry no session; a browser session on the API must have passed
            # the same controls as the pages.
            if self._needs_second_factor(request) or must_change_password(user):
                from django.http import JsonResponse

                return JsonResponse(
                    {
                        "code": "sign_in_incomplete",
                        "message": _("Finish signing in on the web site first."),
                        "field": None,
                    },
                    status=403,
                )
            return None
        if self._needs_second_factor(request):
            if enrolled(request):
                return redirect(f"/accounts/two-factor/verify/?next={request.path}")
            return redirect("/accounts/two-factor/")
        if must_change_password(user):
            messages.warning(
                request, _("Please choose a new password before you go on."), fail_silently=True
            )
            return redirect("/accounts/password_change/")
        return None

    @staticmethod
    def _needs_second_factor(request) -> bool:
        user = request.user
        if user.is_verified():
            return False
        return two_factor_required(user) or enrolled(request)
