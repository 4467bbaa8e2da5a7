from django.conf import settings
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


class RubricDraft(models.Model):
    """A candidate rubric version uploaded on the web or the API, checked and stored for
    preview; no cycle or submission can use it (they point to RubricVersion only).

    Publishing stores it as a RubricVersion (the same path as ``load_rubric``) and records
    which version and cycle that became; the draft row then stays as the record of the
    preview that preceded the publication.
    """

    code = models.CharField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=20)
    title_zh_hans = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    source = models.TextField(_("YAML as uploaded"))
    definition = models.JSONField(_("definition"))
    fingerprint = models.CharField(_("SHA-256 of the definition"), max_length=64)
    warnings = models.JSONField(_("design-rule warnings"), default=list)
    compare_with = models.ForeignKey(
        RubricVersion,
        verbose_name=_("compared with"),
        on_delete=models.PROTECT,
        related_name="drafts_compared",
        null=True,
        blank=True,
    )
    impact = models.JSONField(_("impact on stored submissions"), null=True, blank=True)
    impact_computed_at = models.DateTimeField(_("impact computed at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="rubric_drafts",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    published_version = models.OneToOneField(
        RubricVersion,
        verbose_name=_("published as"),
        on_delete=models.PROTECT,
        related_name="draft",
        null=True,
        blank=True,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    published_cycle_code = models.CharField(_("published for cycle"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("rubric draft")
        verbose_name_plural = _("rubric drafts")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.label} (draft {self.pk})"

    @property
    def label(self) -> str:
        return f"{self.code}@{self.version}"

    @property
    def title(self) -> str:
        return self.title_en if get_language() == "en" else self.title_zh_hans

    @property
    def is_published(self) -> bool:
        return self.published_version_id is not None
