from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from questionnaires.choices import Tier


class CertificationStatus(models.TextChoices):
    AWAITING_SIGN_OFF = "awaiting_sign_off", _("Awaiting national sign-off")
    # Proposed by the provincial review of a programme submission; the publication signs it.
    IN_PROGRAMME = "in_programme", _("Proposed, awaiting publication")
    CERTIFIED = "certified", _("Certified")
    REVOKED = "revoked", _("Revoked")


class Certification(models.Model):
    """A certified tier with a frozen snapshot of the score it rests on."""

    submission = models.OneToOneField(
        "assessment.Submission", verbose_name=_("submission"), on_delete=models.PROTECT,
        related_name="certification",
    )  # fmt: skip
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    status = models.CharField(_("status"), max_length=20, choices=CertificationStatus.choices)
    rubric_label = models.CharField(_("rubric version"), max_length=60)
    # The engine's output at certification (ScoreResult.to_dict()); never rescored later.
    snapshot = models.JSONField(_("score snapshot"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    proposed_at = models.DateTimeField(_("proposed at"))
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed off by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    certified_at = models.DateTimeField(_("certified at"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        indexes = [models.Index(fields=["status", "tier"])]

    def __str__(self):
        return f"{self.submission} · {self.get_tier_display()}"


class ConflictDeclaration(models.Model):
    """A reviewer's declared conflict of interest with an organisation."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT,
        related_name="conflicts",
    )  # fmt: skip
    organisation = models.ForeignKey(
        "assessment.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="conflicts",
    )  # fmt: skip
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "organisation"], name="one_conflict_per_pair"
            )
        ]

    def __str__(self):
        return f"{self.reviewer} ≠ {self.organisation}"


class Notification(models.Model):
    """An in-app notice; the same event may also have been emailed."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    submission = models.ForeignKey(
        "assessment.Submission", on_delete=models.CASCADE, null=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=30)
    # Stored in both languages at the time it was sent, so each reader sees their own.
    message_zh_hans = models.TextField()
    message_en = models.TextField()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]

    def __str__(self):
        return self.message_en
