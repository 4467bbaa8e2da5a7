"""Two-factor sign-in pages: enrol (TOTP + recovery codes), verify after the password, turn
off; the audit trail export for the audit administrator."""

import base64
from urllib.parse import quote

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessment.models import AuditKind, EventKind
from assessment.security.audit import security_event_record
from assessment.security.middleware import ENROLLED, two_factor_required

RECOVERY_CODES = 10


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=gettext_lazy(
            "The six digits your authenticator app shows, or one of your recovery codes."
        ),
    )


def _qr_data_uri(uri: str) -> str:
    svg = segno.make(uri, error="m").svg_inline(scale=4)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Status and enrolment: scan the code (or type the key), confirm with a first code."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed is not None:
        return render(
            request,
            "registration/two_factor.html",
            {
                "enrolled": True,
                "required": two_factor_required(user),
                "codes_left": StaticToken.objects.filter(device__user=user).count(),
            },
        )
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _recovery_codes(user)
            otp_login(request, device)
            request.session[ENROLLED] = True
            security_event_record(request=request, kind=AuditKind.TWO_FACTOR_ENABLED, actor=user)
            return render(request, "registration/two_factor_codes.html", {"codes": codes})
        form.add_error("code", _("That code is not right; check the time on your phone."))
    issuer = settings.OTP_TOTP_ISSUER
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    uri = (
        f"otpauth://totp/{quote(issuer)}:{quote(user.email)}?secret={secret}"
        f"&issuer={quote(issuer)}&digits={device.digits}&period={device.step}"
    )
    return render(
        request,
        "registration/two_factor.html",
        {
            "enrolled": False,
            "required": two_factor_required(user),
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr": _qr_data_uri(uri),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app or a recovery code."""
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "/"
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].strip().replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(next_url)
        security_event_record(request=request, kind=AuditKind.TWO_FACTOR_FAILED, actor=request.user)
        form.add_error("code", _("That code is not right."))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})


@login_required
@require_POST
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    if not request.user.is_verified():
        return redirect("two_factor")
    codes = _recovery_codes(request.user)
    security_event_record(
        request=request,
        kind=AuditKind.TWO_FACTOR_ENABLED,
        actor=request.user,
        detail={"recovery_codes": "renewed"},
    )
    return render(request, "registration/two_factor_codes.html", {"codes": codes})


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user = request.user
    if two_factor_required(user):
        messages.error(request, _("Your role must sign in with two factors."))
        return redirect("two_factor")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    request.session[ENROLLED] = False
    security_event_record(request=request, kind=AuditKind.TWO_FACTOR_DISABLED, actor=user)
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("two_factor")


# --- The audit trail, for the audit administrator ------------------------------------------------


class AuditFilterForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False)
    end = forms.DateField(label=gettext_lazy("To"), required=False)
    region = forms.CharField(label=gettext_lazy("Region code"), max_length=6, required=False)
    actor = forms.CharField(label=gettext_lazy("Actor (email)"), max_length=254, required=False)
    # Chosen by name: the page shows kinds by their labels, never their codes.
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("All kinds")), *AuditKind.choices, *EventKind.choices],
    )


@never_cache
@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    """The whole audit trail (security events and submission events), filtered by date range,
    region, actor and kind; as a page of the latest matches or a CSV of all of them."""
    from django.http import Http404

    from assessment.security.admins import is_audit_admin
    from assessment.selectors.audit import audit_csv_response, audit_rows

    if not is_audit_admin(request.user):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    if request.GET.get("format") == "csv" and form.is_valid():
        security_event_record(
            request=request,
            kind=AuditKind.EXPORT,
            actor=request.user,
            detail={"what": "audit trail", **{k: str(v) for k, v in filters.items() if v}},
        )
        return audit_csv_response(filters)
    return render(
        request,
        "assessment/audit/export.html",
        {"form": form, "rows": audit_rows(filters, limit=50), "query": request.GET.urlencode()},
    )
