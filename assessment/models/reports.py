from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IssuedDocument(models.TextChoices):
    REPORT = "report", _("Evaluation report")
    CERTIFICATE = "certificate", _("Certificate")


class IssuedReport(models.Model):
    """An evaluation report as issued: its number and the hash of the facts it states.

    The same submission, language and facts keep their number; when the facts change (a new
    score, a certification, a revocation) the next download is issued under a new number, and
    the old one no longer matches the records on the verification page.
    """

    number = models.CharField(_("report number"), max_length=64, unique=True)
    submission = models.ForeignKey(
        "assessment.Submission",
        verbose_name=_("submission"),
        on_delete=models.PROTECT,
        related_name="issued_reports",
    )
    language = models.CharField(_("language"), max_length=10)
    # What was issued under this number: an evaluation report or a certificate.
    document = models.CharField(
        _("document"),
        max_length=12,
        choices=IssuedDocument.choices,
        default=IssuedDocument.REPORT,
    )
    # Certified (True) or provisional at issue; the canonical data says the same.
    certified = models.BooleanField(_("certified at issue"))
    canonical_sha256 = models.CharField(_("SHA-256 of the canonical data"), max_length=64)
    # The canonical data as issued (the JSON whose hash is printed), for audits.
    canonical_data = models.JSONField(_("canonical data"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["submission", "language", "canonical_sha256"])]

    def __str__(self):
        return self.number


class IssuedPdf(models.Model):
    """One PDF file rendered for an issued report, by its SHA-256 (byte-for-byte check)."""

    report = models.ForeignKey(IssuedReport, on_delete=models.CASCADE, related_name="pdfs")
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("issued PDF")
        verbose_name_plural = _("issued PDFs")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "sha256"], name="one_row_per_pdf_hash")
        ]

    def __str__(self):
        return self.sha256


class ReportBatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


def batch_zip_path(batch, filename):
    return f"reports/batches/{batch.token}.zip"


class ReportBatch(models.Model):
    """A regulator's request for every evaluation report of a region and cycle, as one ZIP."""

    token = models.CharField(max_length=32, unique=True, editable=False)
    region = models.ForeignKey(
        "assessment.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    cycle = models.ForeignKey(
        "assessment.AssessmentCycle",
        verbose_name=_("cycle"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReportBatchStatus.choices,
        default=ReportBatchStatus.QUEUED,
    )
    total = models.PositiveIntegerField(_("reports"), default=0)
    done = models.PositiveIntegerField(_("reports done"), default=0)
    zip_file = models.FileField(_("ZIP file"), upload_to=batch_zip_path, blank=True)
    zip_size = models.PositiveBigIntegerField(_("ZIP size in bytes"), default=0)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True)

    class Meta:
        verbose_name = _("report batch")
        verbose_name_plural = _("report batches")
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.region_id} · {self.cycle_id} · {self.status}"

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == ReportBatchStatus.DONE else 0
        return min(100, round(100 * self.done / self.total))
