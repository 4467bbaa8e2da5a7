"""Administration of the Action Plan's targets (dashboards area); imported by assessment.admin."""

from django.contrib import admin

from assessment.models import Target
from assessment.services.dashboard_cache import dashboard_cache_invalidate


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = [
        "name_zh_hans",
        "name_en",
        "metric",
        "comparison",
        "target_value",
        "deadline",
        "region",
    ]
    list_filter = ["metric"]
    search_fields = ["name_zh_hans", "name_en"]
    autocomplete_fields = ["region"]

    # Dashboards show targets from their cache: an edit must be visible at once.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        dashboard_cache_invalidate()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        dashboard_cache_invalidate()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        dashboard_cache_invalidate()
