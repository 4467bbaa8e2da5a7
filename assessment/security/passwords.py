"""Password rules beyond Django's own validators (settings.AUTH_PASSWORD_VALIDATORS)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

CLASSES = (str.islower, str.isupper, str.isdigit)


def _classes_in(password: str) -> int:
    found = sum(1 for test in CLASSES if any(test(char) for char in password))
    return found + (1 if any(not char.isalnum() for char in password) else 0)


class CharacterClassValidator:
    """At least three of: lower-case letters, capitals, digits, other characters."""

    def __init__(self, minimum: int = 3):
        self.minimum = minimum

    def validate(self, password, user=None):
        if _classes_in(password) < self.minimum:
            raise ValidationError(
                _(
                    "The password must mix at least three of: lower-case letters, capital "
                    "letters, digits and other characters."
                ),
                code="password_too_simple",
            )

    def get_help_text(self):
        return _(
            "Mix at least three of: lower-case letters, capital letters, digits and other "
            "characters."
        )


class PasswordHistoryValidator:
    """Not the current password nor one of the last PASSWORD_HISTORY_COUNT."""

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        count = settings.PASSWORD_HISTORY_COUNT
        earlier = list(user.password_history.values_list("password", flat=True)[:count])
        from django.contrib.auth import get_user_model

        stored = get_user_model().objects.filter(pk=user.pk)
        current = stored.values_list("password", flat=True).first()
        if current:
            earlier.append(current)
        if any(check_password(password, encoded) for encoded in earlier):
            raise ValidationError(
                _("Choose a password you have not used for your last %(count)d passwords.")
                % {"count": count},
                code="password_reused",
            )

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        password_changed_record(user=user)

    def get_help_text(self):
        return _("Not one of your last %(count)d passwords.") % {
            "count": settings.PASSWORD_HISTORY_COUNT
        }


@transaction.atomic
def password_changed_record(*, user) -> None:
    """Keeps the new password's hash in the history, clears the forced change, notes when."""
    from assessment.models import PasswordHistory, User

    PasswordHistory.objects.create(user=user, password=user.password)
    keep = settings.PASSWORD_HISTORY_COUNT
    stale = list(user.password_history.values_list("pk", flat=True)[keep:])
    if stale:
        PasswordHistory.objects.filter(pk__in=stale).delete()
    now = timezone.now()
    User.objects.filter(pk=user.pk).update(password_changed_at=now, must_change_password=False)
    user.password_changed_at, user.must_change_password = now, False
    from assessment.models import AuditKind
    from assessment.security.audit import security_event_record

    security_event_record(request=None, kind=AuditKind.PASSWORD_CHANGED, actor=user)


def password_expired(user) -> bool:
    """Officials and administrators change their password every PASSWORD_MAX_AGE_DAYS."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or user.role == "operator":
        return False
    changed = user.password_changed_at or user.date_joined
    return changed < timezone.now() - timedelta(days=days)


def must_change_password(user) -> bool:
    return bool(user.must_change_password) or password_expired(user)
