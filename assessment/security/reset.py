"""Password reset: the same answer whether or not the address has an account (Django's own
behaviour), and a limit per address and per client address, counted in the audit trail, so
that the form cannot be used to flood a mailbox or to probe at speed."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import timezone

from assessment.client_ip import client_ip
from assessment.models import AuditEvent, AuditKind
from assessment.security.audit import security_event_record


class ThrottledPasswordResetForm(PasswordResetForm):
    request = None

    def save(self, *args, request=None, **kwargs):
        email = (self.cleaned_data.get("email") or "").strip().lower()
        since = timezone.now() - timedelta(hours=1)
        recent = AuditEvent.objects.filter(
            kind=AuditKind.PASSWORD_RESET_REQUESTED, created_at__gte=since
        )
        address = client_ip(request) if request is not None else None
        too_many = recent.filter(subject=email).count() >= settings.PASSWORD_RESET_PER_HOUR or (
            address
            and recent.filter(ip_address=address).count()
            >= settings.PASSWORD_RESET_PER_HOUR_PER_ADDRESS
        )
        security_event_record(
            request=request,
            kind=AuditKind.PASSWORD_RESET_REQUESTED,
            subject=email,
            detail={"sent": not too_many},
        )
        if too_many:
            return  # the page says the same as when a mail is sent
        super().save(*args, request=request, **kwargs)
