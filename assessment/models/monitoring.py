"""Annual monitoring (年度监测) and dynamic management (动态管理) of certifications, renewals and
the reminders sent about them (docs/monitoring.md)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from questionnaires.choices import Result, Tier


class MonitoringWindow(models.Model):
    """One year's monitoring: every certification in force when it opens files a return."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    # A monitored value falling by more than this share of last year's is flagged.
    fall_threshold = models.DecimalField(
        _("flagged fall"), max_digits=3, decimal_places=2, default=Decimal("0.30")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        verbose_name = _("monitoring window")
        verbose_name_plural = _("monitoring windows")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="monitoring_closes_after_it_opens",
            )
        ]

    def __str__(self):
        return str(self.year)

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on


class MonitoringReturnState(models.TextChoices):
    OPEN = "open", _("To be filed")
    FILED = "filed", _("Filed")
    MISSING = "missing", _("Missing")


class MonitoringFlag(models.TextChoices):
    TIER_LOST = "tier_lost", _("Tier no longer reached")
    FALL = "fall", _("Sharp fall")
    SECURITY_INCIDENT = "security_incident", _("Security incident")
    MISSING = "missing", _("No return filed")
    # Raised by the daily run when a warning's deadline passed with no later decision.
    DEADLINE_PASSED = "deadline_passed", _("Rectification deadline passed")


class MonitoringReturn(models.Model):
    """A certified platform's monitoring return: the monitored indicators, re-filed."""

    window = models.ForeignKey(MonitoringWindow, on_delete=models.PROTECT, related_name="returns")
    certification = models.ForeignKey(
        "assessment.Certification", on_delete=models.PROTECT, related_name="monitoring_returns"
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=MonitoringReturnState.choices,
        default=MonitoringReturnState.OPEN,
    )
    # The tier certified when the window opened (a later downgrade does not change it).
    tier_at_opening = models.CharField(_("certified tier"), max_length=10, choices=Tier.choices)
    # Last year's values (the certified answers or last year's return), code -> value.
    previous_values = models.JSONField(_("last year's values"), default=dict)
    values = models.JSONField(_("values"), default=dict)
    incident_reported = models.BooleanField(_("security incident reported"), default=False)
    incident_description = models.TextField(_("incident"), blank=True)
    # The engine's re-check: the certified answers with the monitored values of this return.
    recheck_result = models.CharField(
        _("re-checked result"), max_length=10, choices=Result.choices, blank=True
    )
    recheck_breakdown = models.JSONField(default=dict, blank=True)
    # [{"flag": "fall", "code": "D1.2", "share": "0.45"}, …]
    flags = models.JSONField(_("flags"), default=list, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("monitoring return")
        verbose_name_plural = _("monitoring returns")
        ordering = ["window", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "certification"], name="one_return_per_window_and_certification"
            )
        ]

    def __str__(self):
        return f"{self.window} · {self.certification}"

    @property
    def flag_codes(self) -> list[str]:
        return sorted({flag["flag"] for flag in self.flags})


class MonitoringDecisionKind(models.TextChoices):
    KEEP = "keep", _("Keep the tier")
    WARNING = "warning", _("Warning: rectify by a deadline")
    DOWNGRADE = "downgrade", _("Downgrade")
    REVOKE = "revoke", _("Revoke")


class MonitoringDecision(models.Model):
    """An official's decision on a monitoring return; append-only (a later one supersedes)."""

    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(_("decision"), max_length=10, choices=MonitoringDecisionKind.choices)
    reason = models.TextField(_("reason"))
    deadline = models.DateField(_("rectify by"), null=True, blank=True)
    tier_before = models.CharField(_("tier before"), max_length=10, choices=Tier.choices)
    tier_after = models.CharField(_("tier after"), max_length=10, choices=Tier.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("monitoring decision")
        verbose_name_plural = _("monitoring decisions")
        ordering = ["decided_at", "id"]

    def __str__(self):
        return f"{self.monitoring_return}: {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Monitoring decisions are append-only.")
        super().save(*args, **kwargs)


class Renewal(models.Model):
    """Marks a submission as the renewal of a certification (copied from the certified one)."""

    submission = models.OneToOneField(
        "assessment.Submission", on_delete=models.PROTECT, related_name="renewal"
    )
    renews = models.ForeignKey(
        "assessment.Certification", on_delete=models.PROTECT, related_name="renewals"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("renewal")
        verbose_name_plural = _("renewals")

    def __str__(self):
        return f"{self.submission} ← {self.renews}"


class SentReminder(models.Model):
    """A reminder already sent, by a stable key, so the daily run never sends it twice."""

    key = models.CharField(max_length=120, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self):
        return self.key


def monitoring_evidence_path(evidence, filename):
    return f"monitoring/{evidence.monitoring_return_id}/{evidence.sha256[:2]}/{evidence.sha256}"


class MonitoringEvidence(models.Model):
    """A file or link supporting a monitored value of a return (checked like evidence)."""

    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.CASCADE, related_name="evidence"
    )
    question_code = models.CharField(_("question code"), max_length=20)
    file = models.FileField(_("file"), upload_to=monitoring_evidence_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("monitoring evidence")
        verbose_name_plural = _("monitoring evidence")
        ordering = ["question_code", "uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(url=""),
                name="monitoring_evidence_is_file_or_link",
            )
        ]

    def __str__(self):
        return self.original_name or self.url
