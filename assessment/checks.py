"""`manage.py check --deploy`: warnings a security officer would raise."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def superuser_in_production(app_configs, **kwargs):
    """三权分立: in production, administrators hold one duty each; a superuser holds all."""
    if not settings.PRODUCTION:
        return []
    from assessment.models import User

    try:
        count = User.objects.filter(is_superuser=True, is_active=True).count()
    except DatabaseError:
        return []
    if not count:
        return []
    return [
        Warning(
            f"{count} active superuser account(s) exist. In production give each administrator "
            "one duty (system, security or audit) and remove the superuser flag.",
            hint="Django admin → Users → Access; see docs/security.md (separation of duties).",
            id="assessment.W001",
        )
    ]
