"""Issued report PDFs kept in the file storage (local disk or the S3 bucket), so that a
re-download serves the stored file instead of rendering again (about 1.2 s of CPU each).

A stored file belongs to one submission state, language and canonical data hash (the hash the
report prints): when any of them changes, the next download renders and stores a new file.
Files nobody downloaded for ``REPORT_FILE_KEEP_DAYS`` are removed by housekeeping (the issued
numbers and PDF hashes stay, so verification still works).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessment.models import IssuedReport, StoredReport, Submission

logger = logging.getLogger(__name__)


def _lookup(*, report: IssuedReport, submission: Submission):
    return StoredReport.objects.filter(
        submission=submission,
        state=submission.state,
        language=report.language,
        canonical_sha256=report.canonical_sha256,
    )


def stored_report_find(*, report: IssuedReport, submission: Submission) -> StoredReport | None:
    return _lookup(report=report, submission=submission).first()


def stored_report_read(*, report: IssuedReport, submission: Submission) -> bytes | None:
    """The stored PDF for the report's facts and the submission's state, or None."""
    stored = stored_report_find(report=report, submission=submission)
    if stored is None:
        return None
    try:
        with stored.file.open("rb") as handle:
            pdf = handle.read()
    except (FileNotFoundError, OSError):
        logger.warning("stored report %s is missing from storage; rendering again", stored.pk)
        stored.delete()
        return None
    if hashlib.sha256(pdf).hexdigest() != stored.sha256:
        logger.warning("stored report %s does not match its hash; rendering again", stored.pk)
        stored.file.delete(save=False)
        stored.delete()
        return None
    StoredReport.objects.filter(pk=stored.pk).update(served_at=timezone.now())
    return pdf


def stored_report_save(*, report: IssuedReport, submission: Submission, pdf: bytes) -> StoredReport:
    """Keep a rendered PDF; when another host stored the same one first, keep theirs."""
    stored = StoredReport(
        submission=submission,
        report=report,
        state=submission.state,
        language=report.language,
        canonical_sha256=report.canonical_sha256,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
    )
    stored.file.save("report.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            stored.save()
    except IntegrityError:
        stored.file.delete(save=False)
        return _lookup(report=report, submission=submission).get()
    return stored


def stored_reports_expire(*, now=None) -> int:
    """Remove stored files not downloaded for REPORT_FILE_KEEP_DAYS; returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REPORT_FILE_KEEP_DAYS)
    removed = 0
    for stored in StoredReport.objects.filter(served_at__lt=cutoff).iterator():
        stored.file.delete(save=False)
        stored.delete()
        removed += 1
    return removed


def stored_reports_forget(*, submission: Submission) -> int:
    """Remove a submission's stored files (the next download renders again)."""
    removed = 0
    for stored in StoredReport.objects.filter(submission=submission):
        stored.file.delete(save=False)
        stored.delete()
        removed += 1
    return removed
