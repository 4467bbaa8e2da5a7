"""Batches: a ZIP of every report of a region and cycle, built by the worker."""

from __future__ import annotations

import os

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, PermissionDenied
from assessment.models import (
    AssessmentCycle,
    Region,
    ReportBatch,
    ReportBatchStatus,
    User,
)
from assessment.selectors import reports as report_selectors
from assessment.services.reports.facts import _check_language

# --- Batches -----------------------------------------------------------------------------------


@transaction.atomic
def report_batch_request(
    *, user: User, region: Region, cycle: AssessmentCycle, language: str
) -> ReportBatch:
    """Queue a ZIP of every report of a region and cycle (the worker builds it)."""
    from assessment.tasks import report_batch_build_task

    language = _check_language(language)
    if not report_selectors.batch_regions(user).filter(pk=region.pk).exists():
        raise PermissionDenied(
            "region_out_of_scope", _("This region is outside your responsibility."), field="region"
        )
    running = ReportBatch.objects.filter(
        region=region,
        cycle=cycle,
        language=language,
        status__in=[ReportBatchStatus.QUEUED, ReportBatchStatus.RUNNING],
    ).exists()
    if running:
        raise ApplicationError(
            "batch_already_running",
            _("A batch for this region, cycle and language is already being prepared."),
            field="region",
        )
    total = report_selectors.regional_submissions(cycle, region).count()
    batch = ReportBatch.objects.create(
        token=os.urandom(16).hex(),
        region=region,
        cycle=cycle,
        language=language,
        total=total,
        requested_by=user,
    )

    def enqueue():
        result = report_batch_build_task.enqueue(batch.pk)
        ReportBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id))

    transaction.on_commit(enqueue)
    return batch


def report_batches_purge_expired() -> int:
    """Kept for callers of the old name: housekeeping expires batches now."""
    from assessment.services.report_batches import report_batches_expire

    return report_batches_expire()


def batch_download_name(batch: ReportBatch) -> str:
    return f"reports-{batch.cycle.code}-{batch.region_id}-{batch.language}.zip"
