"""What a deployment on several hosts keeps in the database: stored report files, the parts of
a report batch (one task each), and the task workers' heartbeats."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def stored_report_path(stored, filename):
    return (
        f"reports/issued/{stored.submission_id}/"
        f"{stored.language}-{stored.state}-{stored.canonical_sha256[:16]}.pdf"
    )


class StoredReport(models.Model):
    """An issued evaluation report's PDF, rendered once per submission state, language and data
    hash; re-downloads serve this file instead of rendering again."""

    submission = models.ForeignKey(
        "assessment.Submission", on_delete=models.CASCADE, related_name="stored_reports"
    )
    report = models.ForeignKey(
        "assessment.IssuedReport", on_delete=models.CASCADE, related_name="stored_files"
    )
    state = models.CharField(_("submission state"), max_length=20)
    language = models.CharField(_("language"), max_length=10)
    canonical_sha256 = models.CharField(_("SHA-256 of the canonical data"), max_length=64)
    file = models.FileField(_("file"), upload_to=stored_report_path, max_length=300)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    served_at = models.DateTimeField(_("last served at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored report")
        verbose_name_plural = _("stored reports")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "state", "language", "canonical_sha256"],
                name="one_stored_report_per_state_language_and_data",
            )
        ]
        indexes = [models.Index(fields=["served_at"])]

    def __str__(self):
        return self.file.name


class BatchItemStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ReportBatchItem(models.Model):
    """One report of a batch: its own task, so several workers share a batch; a worker that
    dies while rendering it is noticed by its stale heartbeat and the item is run again."""

    batch = models.ForeignKey(
        "assessment.ReportBatch", on_delete=models.CASCADE, related_name="items"
    )
    submission = models.ForeignKey(
        "assessment.Submission", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=BatchItemStatus.choices, default=BatchItemStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=100, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    stored_report = models.ForeignKey(
        StoredReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["batch", "submission"], name="one_item_per_report")
        ]
        indexes = [models.Index(fields=["status", "started_at"])]

    def __str__(self):
        return f"{self.batch_id}/{self.submission_id} {self.status}"


class WorkerHeartbeat(models.Model):
    """A task worker's latest sign of life (written every few seconds by `task_worker`)."""

    worker = models.CharField(max_length=100, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self):
        return f"{self.worker} {self.beat_at:%H:%M:%S}"
