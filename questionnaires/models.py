from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class RubricVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # Also covers bulk_update(), which updates through a queryset.
        raise PermissionError(_IMMUTABLE)


_IMMUTABLE = (
    "A stored rubric version never changes; load the edited file as a new version "
    "(manage.py load_rubric)."
)


class RubricVersion(models.Model):
    """A rubric file frozen into the database; it never changes once stored.

    Only ``manage.py load_rubric`` creates rows. Saving a stored row again and queryset
    updates are refused; deleting one that a cycle or a submission uses is refused by their
    protecting foreign keys.
    """

    code = models.CharField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=20)
    title_zh_hans = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    # The canonical form of the parsed file (questionnaires.rubric.Rubric.to_dict()).
    definition = models.JSONField(_("definition"))
    fingerprint = models.CharField(_("SHA-256 of the definition"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    objects = RubricVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("rubric version")
        verbose_name_plural = _("rubric versions")
        ordering = ["code", "version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="rubric_version_unique")
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        # A new object with a primary key would update the stored row unless forced to insert.
        if not self._state.adding or (self.pk is not None and not kwargs.get("force_insert")):
            raise PermissionError(_IMMUTABLE)
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return f"{self.code}@{self.version}"

    @property
    def title(self) -> str:
        return self.title_en if get_language() == "en" else self.title_zh_hans
