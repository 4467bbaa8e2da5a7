"""Administration of the expert pool; panels and on-site checks are read-only here (they change
only through their services). Imported by assessment.admin."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from assessment.admin import ReadOnlyAdmin
from assessment.models import ExpertProfile, Panel, SiteCheck
from questionnaires.choices import Tier


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "home_province", "in_pool"]
    # Only the provinces experts come from, not all 3,000 regions.
    list_filter = ["in_pool", ("home_province", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__email", "user__full_name", "title"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["industries"]


class TierFilter(admin.SimpleListFilter):
    """The tier checked, stored without choices, filtered by the tiers' names."""

    title = _("tier checked")
    parameter_name = "tier"

    def lookups(self, request, model_admin):
        return Tier.choices

    def queryset(self, request, queryset):
        return queryset.filter(tier=self.value()) if self.value() else queryset


@admin.register(Panel)
class PanelAdmin(ReadOnlyAdmin):
    list_display = ["number", "level", "province", "size", "seed", "state", "formed_at"]
    list_filter = ["level", "state"]

    @admin.display(description=_("number"), ordering="pk")
    def number(self, panel):
        return panel.pk


@admin.register(SiteCheck)
class SiteCheckAdmin(ReadOnlyAdmin):
    list_display = ["submission", "tier_label", "verdict", "created_at"]
    list_filter = ["verdict", TierFilter]

    def get_fields(self, request, obj=None):
        return ["tier_label" if f == "tier" else f for f in super().get_fields(request, obj)]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "tier_label"]

    @admin.display(description=_("tier checked"), ordering="tier")
    def tier_label(self, site_check):
        return Tier(site_check.tier).label if site_check.tier in Tier.values else site_check.tier
