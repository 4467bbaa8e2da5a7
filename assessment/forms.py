from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _


def _failure_key(request, email: str) -> str:
    address = request.META.get("REMOTE_ADDR", "") if request else ""
    return f"login-failures:{email.strip().lower()}:{address}"


class ThrottledLoginForm(AuthenticationForm):
    """Email login that locks an account/address pair after repeated failures."""

    username = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autofocus": True})
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The email address or password is incorrect."),
        "locked": _(
            "Too many failed sign-in attempts. Please wait %(minutes)d minutes and try again."
        ),
    }

    def clean(self):
        email = self.cleaned_data.get("username") or ""
        key = _failure_key(self.request, email)
        if cache.get(key, 0) >= settings.LOGIN_FAILURE_LIMIT:
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.LOGIN_FAILURE_WINDOW_SECONDS // 60},
            )
        try:
            return super().clean()
        except forms.ValidationError:
            if cache.add(key, 1, settings.LOGIN_FAILURE_WINDOW_SECONDS) is False:
                cache.incr(key)
            raise
