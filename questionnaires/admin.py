from django.contrib import admin

from questionnaires.models import RubricVersion


@admin.register(RubricVersion)
class RubricVersionAdmin(admin.ModelAdmin):
    """Rubric versions come only from YAML files (manage.py load_rubric); here they are read."""

    list_display = ["code", "version", "title_zh_hans", "loaded_at"]
    readonly_fields = ["code", "version", "title_zh_hans", "title_en", "fingerprint", "loaded_at"]
    exclude = ["definition"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
