"""The organisation: colleagues, invitations, platforms."""

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import PasswordResetConfirmView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment.errors import ApplicationError
from assessment.forms_questionnaire import (
    InviteForm,
    PlatformForm,
)
from assessment.permissions import visible_platforms
from assessment.selectors import monitoring as monitoring_selectors
from assessment.selectors import submissions as selectors
from assessment.services import organisations as organisation_services
from assessment.views.operator.common import operator_required

# --- The organisation ----------------------------------------------------------------------------


@operator_required
def organisation_detail(request: HttpRequest) -> HttpResponse:
    invite_form = InviteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if invite_form.is_valid():
            try:
                organisation_services.colleague_invite(
                    actor=request.user,
                    email=invite_form.cleaned_data["email"],
                    full_name=invite_form.cleaned_data["full_name"],
                )
            except ApplicationError as error:
                invite_form.add_error(error.field or None, str(error.message))
            else:
                messages.success(
                    request,
                    _("An invitation was sent to %(email)s.")
                    % {"email": invite_form.cleaned_data["email"]},
                )
                return redirect("organisation_detail")
        status = 400
    context = {
        "organisation": request.user.organisation,
        "platforms": selectors.organisation_platforms(request.user),
        "members": selectors.organisation_members(request.user),
        "certification_rows": monitoring_selectors.operator_certifications(request.user),
        "invite_form": invite_form,
    }
    return render(request, "assessment/operator/organisation.html", context, status=status)


@operator_required
@require_POST
def colleague_remove(request: HttpRequest, user_id: int) -> HttpResponse:
    colleague = selectors.organisation_members(request.user).filter(pk=user_id).first()
    if colleague is None:
        raise Http404
    try:
        organisation_services.colleague_remove(actor=request.user, colleague=colleague)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": colleague})
    return redirect("organisation_detail")


def _platform_form_view(request, platform=None):
    form = PlatformForm(request.POST or None, instance=platform)
    if request.method == "POST" and form.is_valid():
        fields = {
            "name": form.cleaned_data["name"],
            "name_en": form.cleaned_data["name_en"],
            "kind": form.cleaned_data["kind"],
            "region": form.cleaned_data["region"],
            "launched_year": form.cleaned_data["launched_year"],
            "industries": list(form.cleaned_data["industries"]),
            "website": form.cleaned_data["website"],
        }
        try:
            if platform is None:
                organisation_services.platform_create(actor=request.user, **fields)
            else:
                organisation_services.platform_update(
                    actor=request.user, platform=platform, **fields
                )
        except ApplicationError as error:
            form.add_error(error.field or None, str(error.message))
        else:
            messages.success(request, _("The platform was saved."))
            return redirect("organisation_detail")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "assessment/operator/platform_form.html",
        {"form": form, "platform": platform},
        status=status,
    )


@operator_required
def platform_create(request: HttpRequest) -> HttpResponse:
    return _platform_form_view(request)


@operator_required
def platform_edit(request: HttpRequest, platform_id: int) -> HttpResponse:
    platform = visible_platforms(request.user).filter(pk=platform_id).first()
    if platform is None:
        raise Http404
    return _platform_form_view(request, platform)


class _InvitationPasswordForm(SetPasswordForm):
    def save(self, commit=True):
        return organisation_services.invitation_accept(
            user=self.user, password=self.cleaned_data["new_password1"]
        )


class InvitationAcceptView(PasswordResetConfirmView):
    """The invited colleague chooses a password, which activates the account."""

    form_class = _InvitationPasswordForm
    template_name = "assessment/operator/invitation_accept.html"
    reset_url_token = "set-password"  # noqa: S105 (a URL segment, not a secret)
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your account is ready. Please sign in."))
        return response
