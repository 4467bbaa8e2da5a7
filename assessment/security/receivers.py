"""Sign-in, sign-out, failures and lock-outs into the security audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from assessment.client_ip import client_ip
from assessment.models import AuditKind, User
from assessment.security.audit import security_event_record
from assessment.security.lockout import username_of

SESSION_STARTED = "security_session_started"


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    """Records the sign-in; keeps the one before it (time and address) to show the user.
    Replaces Django's update_last_login (disconnected in connect()), which would overwrite
    the previous time before we could keep it."""
    address = (client_ip(request) if request is not None else None) or None
    now = timezone.now()
    user.previous_login_at, user.previous_login_ip = user.last_login, user.last_login_ip
    user.last_login, user.last_login_ip = now, address
    User.objects.filter(pk=user.pk).update(
        last_login=now,
        last_login_ip=address,
        previous_login_at=user.previous_login_at,
        previous_login_ip=user.previous_login_ip,
    )
    if request is not None and hasattr(request, "session"):
        from assessment.security.middleware import ENROLLED, has_two_factor_device

        request.session[SESSION_STARTED] = now.timestamp()
        request.session[ENROLLED] = has_two_factor_device(user)
    security_event_record(request=request, kind=AuditKind.SIGN_IN, actor=user)
    if request is not None and user.previous_login_at is not None:
        from django.contrib import messages
        from django.utils.formats import date_format
        from django.utils.translation import gettext as _

        when = date_format(timezone.localtime(user.previous_login_at), "DATETIME_FORMAT")
        messages.info(
            request,
            _("Your last sign-in: %(when)s from %(address)s.")
            % {"when": when, "address": user.previous_login_ip or "?"},
            fail_silently=True,
        )


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        security_event_record(request=request, kind=AuditKind.SIGN_OUT, actor=user)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    security_event_record(
        request=request,
        kind=AuditKind.SIGN_IN_FAILED,
        subject=username_of(request, credentials),
    )


def _locked_out(sender, request, username, ip_address, **kwargs):
    security_event_record(request=request, kind=AuditKind.LOCKOUT, subject=username or "")


def connect():
    from axes.signals import user_locked_out
    from django.contrib.auth.models import update_last_login

    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    user_locked_out.connect(_locked_out, dispatch_uid="assessment-lockout-audit")
