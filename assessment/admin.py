from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from assessment.models import (
    ApiToken,
    AssessmentCycle,
    AuditEvent,
    Certification,
    ConflictDeclaration,
    Industry,
    Organisation,
    Platform,
    Region,
    Submission,
    SubmissionEvent,
    SubmissionState,
    User,
)

# Fields each administrator may change on a user (三权分立, assessment/security/admins.py).
_SECURITY_FIELDS = [
    "role",
    "regions",
    "is_national",
    "is_lead_reviewer",
    "admin_duty",
    "is_staff",
    "is_superuser",
    "groups",
]
_SYSTEM_FIELDS = ["email", "full_name", "organisation", "is_active", "must_change_password"]

# The admin's own headings in the interface language ("Django 管理" said nothing to our users).
admin.site.site_header = _("Platform Maturity Assessment: administration")
admin.site.site_title = _("Platform Maturity Assessment")
admin.site.index_title = _("Administration")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "role",
        "admin_duty",
        "organisation",
        "is_national",
        "is_active",
        "last_login",
        "last_login_ip",
    ]
    list_filter = ["role", "admin_duty", "is_national", "is_active"]
    search_fields = ["email", "full_name"]
    filter_horizontal = ["regions", "groups", "user_permissions"]
    autocomplete_fields = ["organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name"]}),
        (
            _("Role and scope"),
            {"fields": ["role", "organisation", "regions", "is_national", "is_lead_reviewer"]},
        ),
        (
            _("Access"),
            {
                "fields": [
                    "admin_duty",
                    "is_active",
                    "must_change_password",
                    "is_staff",
                    "is_superuser",
                    "groups",
                ]
            },
        ),
        (
            _("Sign-in"),
            {"fields": ["last_login", "last_login_ip", "password_changed_at"]},
        ),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "role", "organisation", "password1", "password2"]})
    ]

    def get_readonly_fields(self, request, obj=None):
        from assessment.security.admins import duty_of

        fixed = ["last_login", "last_login_ip", "password_changed_at"]
        duty = duty_of(request.user)
        if duty == "system" and obj is not None:
            return [*fixed, *_SECURITY_FIELDS]
        if duty == "security":
            return [*fixed, *_SYSTEM_FIELDS, "password"]
        return fixed

    def save_model(self, request, obj, form, change):
        from assessment.models import AuditKind
        from assessment.security.audit import security_event_record

        super().save_model(request, obj, form, change)
        if not change or "password" in getattr(form, "changed_data", []):
            # A password someone else chose is changed by its owner at the first sign-in
            # (after the save, whose password hook clears the flag).
            User.objects.filter(pk=obj.pk).update(must_change_password=True)
        watched = {"role", "is_national", "is_lead_reviewer", "admin_duty", "is_superuser"}
        changed = sorted(watched & set(getattr(form, "changed_data", [])))
        if changed or (change and "regions" in getattr(form, "changed_data", [])):
            security_event_record(
                request=request,
                kind=AuditKind.ROLE_CHANGED,
                actor=request.user,
                subject=obj.email,
                detail={"fields": changed or ["regions"], "role": obj.role},
            )

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and getattr(response, "status_code", 200) == 302:
            User.objects.filter(pk=id).update(must_change_password=True)
        return response


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh_hans", "name_en", "level", "industrial_enterprises"]
    list_filter = ["level"]
    search_fields = ["code", "name_zh_hans", "name_en"]
    list_editable = ["industrial_enterprises"]
    readonly_fields = ["code", "parent", "level", "tile_row", "tile_col"]


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh_hans", "name_en"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "region", "is_central"]
    list_filter = ["is_central"]  # 央企: applies directly to the ministry (docs/programme.md)
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["region"]


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "organisation", "kind", "region", "launched_year"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "organisation__name"]
    autocomplete_fields = ["organisation", "region"]


@admin.register(AssessmentCycle)
class AssessmentCycleAdmin(admin.ModelAdmin):
    list_display = ["code", "title_zh_hans", "opens_on", "closes_on", "rubric_version"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only services write; administrators may look, never edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["platform", "cycle", "state", "assigned_reviewer", "submitted_at"]
    list_filter = ["cycle", "state", "platform_kind"]
    search_fields = ["platform__name"]


def _state_label(code: str) -> str:
    # Events store the state codes without choices (a state may be renamed, events never are).
    return SubmissionState(code).label if code in SubmissionState.values else code


@admin.register(SubmissionEvent)
class SubmissionEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "submission", "kind", "actor", "from_label", "to_label"]
    list_filter = ["kind"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [{"from_state": "from_label", "to_state": "to_label"}.get(f, f) for f in fields]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "from_label", "to_label"]

    @admin.display(description=_("from"), ordering="from_state")
    def from_label(self, event):
        return _state_label(event.from_state)

    @admin.display(description=_("to"), ordering="to_state")
    def to_label(self, event):
        return _state_label(event.to_state)


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdmin):
    list_display = ["submission", "tier", "status", "certified_at", "valid_until"]
    list_filter = ["tier", "status"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["reviewer", "organisation", "declared_at"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "actor", "subject", "ip_address", "region"]
    list_filter = ["kind"]
    search_fields = ["subject", "actor__email", "ip_address"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """The security administrator sees every token and revokes them (nothing else changes)."""

    list_display = [
        "prefix",
        "name",
        "user",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "name", "user__email"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]
    actions = ["revoke"]

    def has_add_permission(self, request, *args):
        return False

    def has_revoke_permission(self, request):
        from assessment.security.admins import is_security_admin

        return is_security_admin(request.user)

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        from assessment.services.tokens import api_token_revoke

        for token in queryset.select_related("user"):
            api_token_revoke(user=token.user, token_id=token.pk, request=request, by=request.user)
        self.message_user(request, _("The tokens are revoked."))


# The areas' own admin modules register their models here.
from assessment import admin_panels, admin_targets, admin_third_party  # noqa: E402, F401
from assessment.security.admins import apply_duties  # noqa: E402

apply_duties(admin.site)
