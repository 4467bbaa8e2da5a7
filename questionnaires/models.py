from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class RubricVersion(models.Model):
    """A rubric file frozen into the database. Once a cycle uses it, it never changes."""

    code = models.CharField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=20)
    title_zh_hans = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    # The canonical form of the parsed file (questionnaires.rubric.Rubric.to_dict()).
    definition = models.JSONField(_("definition"))
    fingerprint = models.CharField(_("SHA-256 of the definition"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rubric version")
        verbose_name_plural = _("rubric versions")
        ordering = ["code", "version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="rubric_version_unique")
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{self.code}@{self.version}"

    @property
    def title(self) -> str:
        return self.title_en if get_language() == "en" else self.title_zh_hans
