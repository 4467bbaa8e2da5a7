"""Administration of the expert pool; panels and on-site checks are read-only here (they change
only through their services). Imported by assessment.admin."""

from django.contrib import admin

from assessment.admin import ReadOnlyAdmin
from assessment.models import ExpertProfile, Panel, SiteCheck


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "home_province", "in_pool"]
    list_filter = ["in_pool", "home_province"]
    search_fields = ["user__email", "user__full_name", "title"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["industries"]


@admin.register(Panel)
class PanelAdmin(ReadOnlyAdmin):
    list_display = ["pk", "level", "province", "size", "seed", "state", "formed_at"]
    list_filter = ["level", "state"]


@admin.register(SiteCheck)
class SiteCheckAdmin(ReadOnlyAdmin):
    list_display = ["submission", "tier", "verdict", "created_at"]
    list_filter = ["verdict", "tier"]
