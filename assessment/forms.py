from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assessment.security.lockout import attempts_left, locked_message


class ThrottledLoginForm(AuthenticationForm):
    """Email sign-in. Failures are counted by django-axes (in the database, per account and
    address); the form says how many attempts are left before the lock-out."""

    username = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autofocus": True})
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The email address or password is incorrect."),
    }
    locked = False

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            if getattr(self.request, "axes_locked_out", False):
                self.locked = True
                raise forms.ValidationError(locked_message(), code="locked") from None
            email = (self.cleaned_data.get("username") or "").strip().lower()
            left = attempts_left(self.request, email) if email else None
            if left:
                message = ngettext(
                    "%(count)d attempt left before sign-in is locked for a while.",
                    "%(count)d attempts left before sign-in is locked for a while.",
                    left,
                ) % {"count": left}
                raise forms.ValidationError([*error.error_list, message]) from None
            raise
