"""Report batches on several workers: one task per report, dead workers noticed, never left
running.

A request queues a *plan* task, which lists the region's submissions as items and queues one
task per item; any worker on any host takes them. Each item renders (or re-uses) the stored
report PDF (``report_store``). The item that completes the batch queues the *assemble* task,
which zips the stored PDFs with an index into the file storage.

A worker that dies mid-report stops its heartbeat (``task_worker`` writes one every
``WORKER_HEARTBEAT_SECONDS``); :func:`report_batches_recover`, run by every live worker's
heartbeat and by ``manage.py housekeeping``, puts the item back in the queue (resumed) up to
``REPORT_TASK_ATTEMPTS`` times, then fails the batch with the reason. A report that takes
longer than ``REPORT_TASK_TIMEOUT_SECONDS`` counts as dead too.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from assessment.models import (
    BatchItemStatus,
    ReportBatch,
    ReportBatchItem,
    ReportBatchStatus,
    WorkerHeartbeat,
)
from assessment.models.reviews import CertificationStatus
from assessment.presentation import tier_label
from assessment.selectors import reports as report_selectors

logger = logging.getLogger(__name__)


def worker_name() -> str:
    """This process as a task worker: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def worker_heartbeat(*, name: str | None = None) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker=name or worker_name(), defaults={"beat_at": timezone.now()}
    )


def worker_last_heartbeat():
    return WorkerHeartbeat.objects.aggregate(latest=Max("beat_at"))["latest"]


def _enqueue(task, *args) -> None:
    transaction.on_commit(lambda: task.enqueue(*args))


# --- Plan, items, assembly -----------------------------------------------------------------------


def report_batch_plan(*, batch_id: int) -> int:
    """List the batch's reports as items and queue one task each; returns how many."""
    from assessment.tasks import report_batch_assemble_task, report_batch_item_task

    with transaction.atomic():
        batch = ReportBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status != ReportBatchStatus.QUEUED:
            return batch.total
        submission_ids = list(
            report_selectors.regional_submissions(batch.cycle, batch.region).values_list(
                "pk", flat=True
            )
        )
        items = ReportBatchItem.objects.bulk_create(
            ReportBatchItem(batch=batch, submission_id=submission_id)
            for submission_id in submission_ids
        )
        batch.status = ReportBatchStatus.RUNNING
        batch.started_at = timezone.now()
        batch.total = len(items)
        batch.done = 0
        batch.save(update_fields=["status", "started_at", "total", "done"])
        if not items:
            _enqueue(report_batch_assemble_task, batch.pk)
        item_ids = list(batch.items.order_by("pk").values_list("pk", flat=True))
        for item_id in item_ids:
            _enqueue(report_batch_item_task, item_id)
    return len(item_ids)


def report_batch_item_run(*, item_id: int) -> str:
    """Render one report of a batch (or take the stored file); returns the item's status."""
    from assessment.services import report_store
    from assessment.services.reports import submission_report_pdf
    from assessment.tasks import report_batch_assemble_task

    with transaction.atomic():
        item = ReportBatchItem.objects.select_for_update().select_related("batch").get(pk=item_id)
        if item.status != BatchItemStatus.QUEUED or item.batch.status != ReportBatchStatus.RUNNING:
            return item.status
        item.status = BatchItemStatus.RUNNING
        item.attempts += 1
        item.worker = worker_name()
        item.started_at = timezone.now()
        item.save(update_fields=["status", "attempts", "worker", "started_at"])
    batch = item.batch
    try:
        submission = report_selectors.report_submission_queryset().get(pk=item.submission_id)
        report, _pdf = submission_report_pdf(
            submission=submission, language=batch.language, user=batch.requested_by
        )
        stored = report_store.stored_report_find(report=report, submission=submission)
    except Exception as error:
        logger.exception("report %s of batch %s failed", item.submission_id, batch.pk)
        _item_failed(item_id=item_id, reason=str(error)[:2000])
        return BatchItemStatus.FAILED
    with transaction.atomic():  # item, then batch: the order recovery locks them in
        item = ReportBatchItem.objects.select_for_update().get(pk=item_id)
        batch = ReportBatch.objects.select_for_update().get(pk=batch.pk)
        if item.status != BatchItemStatus.RUNNING or item.worker != worker_name():
            return item.status  # recovered meanwhile and run by another worker
        item.status = BatchItemStatus.DONE
        item.finished_at = timezone.now()
        item.stored_report = stored
        item.save(update_fields=["status", "finished_at", "stored_report"])
        done = batch.items.filter(status=BatchItemStatus.DONE).count()
        ReportBatch.objects.filter(pk=batch.pk).update(done=done)
        if done == batch.total and batch.status == ReportBatchStatus.RUNNING:
            _enqueue(report_batch_assemble_task, batch.pk)
    return BatchItemStatus.DONE


def _item_failed(*, item_id: int, reason: str) -> None:
    with transaction.atomic():
        item = ReportBatchItem.objects.select_for_update().get(pk=item_id)
        item.status = BatchItemStatus.FAILED
        item.error = reason
        item.finished_at = timezone.now()
        item.save(update_fields=["status", "error", "finished_at"])
        ReportBatch.objects.filter(pk=item.batch_id, status=ReportBatchStatus.RUNNING).update(
            status=ReportBatchStatus.FAILED, error=reason, finished_at=timezone.now()
        )


def _csv_cell(value: Any) -> str:
    text = str(value)
    if text[:1] in ("=", "+", "-", "@"):
        text = "'" + text  # no formulas in spreadsheets
    if any(character in text for character in ',"\n'):
        text = '"' + text.replace('"', '""') + '"'
    return text


def _index_words(facts: dict, certified: bool, language: str) -> tuple[str, str]:
    """The index's result and certification columns in words, in the batch's language."""
    with translation.override(language):
        certification = facts.get("certification") or {}
        if certification.get("status") == CertificationStatus.REVOKED:
            status = gettext("Revoked")
        elif certified:
            status = gettext("Certified")
        else:
            status = gettext("Provisional")
        return tier_label(facts["result"]), status


def report_batch_assemble(*, batch_id: int) -> int:
    """Zip the batch's stored reports with an index into the file storage."""
    batch = ReportBatch.objects.get(pk=batch_id)
    if batch.status != ReportBatchStatus.RUNNING:
        return batch.done
    items = list(
        batch.items.filter(status=BatchItemStatus.DONE)
        .select_related("stored_report__report")
        .order_by("pk")
    )
    temporary = None
    try:
        with tempfile.NamedTemporaryFile(suffix=".zip", delete=False) as handle:
            temporary = Path(handle.name)
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            names: set[str] = set()
            with translation.override(batch.language):
                header = (
                    gettext("Report No."),
                    gettext("Platform"),
                    gettext("Organisation"),
                    gettext("Result"),
                    gettext("Certification"),
                    "SHA-256",
                )
            lines = [",".join(_csv_cell(value) for value in header)]
            for item in items:
                stored = item.stored_report
                report = stored.report
                name = f"{report.number}.pdf"
                if name not in names:
                    names.add(name)
                    with stored.file.open("rb") as pdf:
                        archive.writestr(name, pdf.read())
                facts = report.canonical_data
                cells = (
                    report.number,
                    facts["platform"],
                    facts["organisation"],
                    *_index_words(facts, report.certified, batch.language),
                    stored.sha256,
                )
                lines.append(",".join(_csv_cell(value) for value in cells))
            archive.writestr("index.csv", "\ufeff" + "\n".join(lines) + "\n")
        with transaction.atomic():
            batch = ReportBatch.objects.select_for_update().get(pk=batch_id)
            if batch.status != ReportBatchStatus.RUNNING:
                return batch.done
            with temporary.open("rb") as zipped:
                batch.zip_file.save(f"{batch.token}.zip", File(zipped), save=False)
            batch.zip_size = temporary.stat().st_size
            batch.status = ReportBatchStatus.DONE
            batch.done = len(items)
            batch.finished_at = timezone.now()
            batch.expires_at = batch.finished_at + timedelta(hours=settings.REPORT_BATCH_KEEP_HOURS)
            batch.save()
        return len(items)
    except Exception as error:
        logger.exception("report batch %s failed", batch_id)
        ReportBatch.objects.filter(pk=batch_id).update(
            status=ReportBatchStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    finally:
        if temporary is not None and temporary.exists():
            temporary.unlink()


# --- Recovery and expiry -------------------------------------------------------------------------


def report_batches_recover(*, now=None) -> dict[str, int]:
    """Items whose worker died are queued again (or fail the batch after the last attempt);
    batches whose plan or assembly was lost are queued again. Safe from several hosts."""
    from assessment.tasks import (
        report_batch_assemble_task,
        report_batch_build_task,
        report_batch_item_task,
    )

    now = now or timezone.now()
    dead_before = now - timedelta(seconds=settings.WORKER_DEAD_SECONDS)
    timeout_before = now - timedelta(seconds=settings.REPORT_TASK_TIMEOUT_SECONDS)
    dead_workers = WorkerHeartbeat.objects.filter(beat_at__lt=dead_before).values("worker")
    counts = {"resumed": 0, "failed": 0, "requeued": 0}
    with transaction.atomic():
        stale = (
            ReportBatchItem.objects.select_for_update(skip_locked=True)
            .filter(status=BatchItemStatus.RUNNING)
            .filter(Q(worker__in=dead_workers) | Q(started_at__lt=timeout_before))
        )
        for item in stale:
            if item.attempts < settings.REPORT_TASK_ATTEMPTS:
                item.status = BatchItemStatus.QUEUED
                item.worker = ""
                item.save(update_fields=["status", "worker"])
                _enqueue(report_batch_item_task, item.pk)
                counts["resumed"] += 1
                logger.warning("batch %s: report %s resumed", item.batch_id, item.submission_id)
                continue
            reason = gettext(
                "The worker rendering the report of submission %(submission)s stopped "
                "%(attempts)s times; the batch was stopped. Request it again."
            ) % {"submission": item.submission_id, "attempts": item.attempts}
            item.status = BatchItemStatus.FAILED
            item.error = reason
            item.finished_at = now
            item.save(update_fields=["status", "error", "finished_at"])
            ReportBatch.objects.filter(pk=item.batch_id, status=ReportBatchStatus.RUNNING).update(
                status=ReportBatchStatus.FAILED, error=reason, finished_at=now
            )
            counts["failed"] += 1
        lost_plans = ReportBatch.objects.select_for_update(skip_locked=True).filter(
            status=ReportBatchStatus.QUEUED, requested_at__lt=timeout_before
        )
        for batch in lost_plans:
            _enqueue(report_batch_build_task, batch.pk)
            counts["requeued"] += 1
        lost_assemblies = (
            ReportBatch.objects.select_for_update(skip_locked=True)
            .filter(status=ReportBatchStatus.RUNNING, done=F("total"))
            .exclude(items__finished_at__gte=timeout_before)
            .exclude(started_at__gte=timeout_before)
        )
        for batch in lost_assemblies:
            _enqueue(report_batch_assemble_task, batch.pk)
            counts["requeued"] += 1
    return counts


def report_batches_expire(*, now=None) -> int:
    """Delete the ZIPs of batches past their keeping time; returns how many."""
    now = now or timezone.now()
    expired = list(ReportBatch.objects.filter(status=ReportBatchStatus.DONE, expires_at__lte=now))
    for batch in expired:
        if batch.zip_file:
            batch.zip_file.delete(save=False)
        batch.status = ReportBatchStatus.EXPIRED
        batch.save(update_fields=["zip_file", "status"])
    return len(expired)


def batch_is_downloadable(batch: ReportBatch) -> bool:
    return (
        batch.status == ReportBatchStatus.DONE
        and bool(batch.zip_file)
        and (batch.expires_at is None or batch.expires_at > timezone.now())
    )
