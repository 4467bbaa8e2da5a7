"""The web page where a signed-in user creates, names, sees once and revokes API tokens."""

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import get_supported_language_variant
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from assessment.errors import ApplicationError, NotFound
from assessment.services.tokens import (
    MAX_ACTIVE_TOKENS,
    api_token_create,
    api_token_revoke,
    api_tokens_of,
)


def _web_language(view):
    """This page lives under /api/, where the language middleware honours Accept-Language for
    API clients; as a web page it follows the web's rule: the language cookie, else Chinese."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
        try:
            language = get_supported_language_variant(chosen)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = language
        return response

    return wrapped


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("What the token is for, e.g. “ERP export” or “provincial monitoring”."),
    )


@_web_language
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_key = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            created = api_token_create(
                user=request.user, name=form.cleaned_data["name"], request=request
            )
        except ApplicationError as error:
            form.add_error(error.field or None, error.message)
            status = error.status
        else:
            # Shown in this response only: never stored, never redirected to, never cached.
            new_key = created.key
            form = TokenForm()
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "new_key": new_key,
        "tokens": api_tokens_of(request.user),
        "max_tokens": MAX_ACTIVE_TOKENS,
    }
    return render(request, "assessment/tokens/list.html", context, status=status)


@_web_language
@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = api_token_revoke(user=request.user, token_id=token_id, request=request)
    except NotFound as error:
        raise Http404(error.message) from error
    messages.success(
        request, _("Token “%(name)s” is revoked; it no longer works.") % {"name": token.name}
    )
    return redirect("api_tokens")
