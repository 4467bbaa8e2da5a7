from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from assessment.models import (
    AssessmentCycle,
    Certification,
    ConflictDeclaration,
    Industry,
    Organisation,
    Platform,
    Region,
    Submission,
    SubmissionEvent,
    User,
)

# The admin's own headings in the interface language ("Django 管理" said nothing to our users).
admin.site.site_header = _("Platform Maturity Assessment: administration")
admin.site.site_title = _("Platform Maturity Assessment")
admin.site.index_title = _("Administration")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "organisation", "is_national", "is_active"]
    list_filter = ["role", "is_national", "is_active"]
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
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "role", "organisation", "password1", "password2"]})
    ]


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
    list_display = ["name", "credit_code", "region"]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["region"]


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "kind", "region", "launched_year"]
    list_filter = ["kind"]
    search_fields = ["name", "organisation__name"]
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


@admin.register(SubmissionEvent)
class SubmissionEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "submission", "kind", "actor", "from_state", "to_state"]
    list_filter = ["kind"]


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdmin):
    list_display = ["submission", "tier", "status", "certified_at", "valid_until"]
    list_filter = ["tier", "status"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["reviewer", "organisation", "declared_at"]


from assessment import admin_targets  # noqa: E402, F401  (registers the dashboards' Target)
