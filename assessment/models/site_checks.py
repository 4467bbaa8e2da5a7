"""On-site checks (现场核查) of leading and ecosystem applicants after their expert panel."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteCheckVerdict(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Did not pass")


class SiteCheck(models.Model):
    """One visit: a checklist from the tier's gates and numeric criteria, findings, a verdict."""

    submission = models.ForeignKey(
        "assessment.Submission", verbose_name=_("submission"), on_delete=models.PROTECT,
        related_name="site_checks",
    )  # fmt: skip
    tier = models.CharField(_("tier checked"), max_length=10)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    inspectors = models.TextField(_("inspectors"), blank=True)
    verdict = models.CharField(
        _("verdict"), max_length=10, choices=SiteCheckVerdict.choices, blank=True
    )
    summary = models.TextField(_("summary of findings"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT,
        null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("on-site check")
        verbose_name_plural = _("on-site checks")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.submission} · {self.created_at:%Y-%m-%d}"


class SiteCheckItemKind(models.TextChoices):
    GATE = "gate", _("Gate")
    NUMERIC = "numeric", _("Numeric criterion")


class SiteCheckItemStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed on site")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")


class SiteCheckItem(models.Model):
    site_check = models.ForeignKey(SiteCheck, on_delete=models.CASCADE, related_name="items")
    question_code = models.CharField(_("question code"), max_length=20)
    kind = models.CharField(_("kind"), max_length=10, choices=SiteCheckItemKind.choices)
    # What the operator declared and what the criterion requires, frozen when generated.
    declared = models.JSONField(_("declared value"), null=True, blank=True)
    target = models.CharField(_("target"), max_length=60, blank=True)
    status = models.CharField(
        _("finding"), max_length=14, choices=SiteCheckItemStatus.choices, blank=True
    )
    finding = models.TextField(_("finding notes"), blank=True)
    order = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["site_check", "question_code"], name="one_item_per_code"
            ),
        ]

    def __str__(self):
        return f"{self.question_code}: {self.status}"


def site_check_file_path(attachment, filename):
    return f"site_checks/{attachment.site_check_id}/{attachment.sha256[:2]}/{attachment.sha256}"


class SiteCheckFile(models.Model):
    """A photo or document from the visit, checked like evidence (services.evidence_files)."""

    site_check = models.ForeignKey(SiteCheck, on_delete=models.CASCADE, related_name="files")
    item = models.ForeignKey(
        SiteCheckItem, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=site_check_file_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("on-site check file")
        verbose_name_plural = _("on-site check files")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name
