"""`manage.py housekeeping`: clear expired sessions, prune old task results, recover batches of
dead workers, expire batch ZIPs and unused stored reports, forget old worker heartbeats, and
once a day (Asia/Shanghai) start the monitoring run (`manage.py monitoring_daily`).

Safe to run from several hosts at once (a systemd timer on each): on PostgreSQL one run holds
an advisory lock, elsewhere a lock in the shared cache; the others print that and do nothing.
"""

import json
import logging
import uuid
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessment.models import WorkerHeartbeat
from assessment.services.monitoring import monitoring_daily
from assessment.services.monitoring.common import remind_once
from assessment.services.report_batches import report_batches_expire, report_batches_recover
from assessment.services.report_store import stored_reports_expire

logger = logging.getLogger(__name__)

# pg_try_advisory_lock takes a 64-bit key: a fixed one for this command.
ADVISORY_KEY = 0x504D41484B  # "PMAHK"
CACHE_LOCK_KEY = "housekeeping-lock"
CACHE_LOCK_SECONDS = 15 * 60


@contextmanager
def housekeeping_lock():
    """Yields True for the one run that holds the lock, False for the others."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_KEY])
            held = cursor.fetchone()[0]
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_KEY])
        return
    token = uuid.uuid4().hex
    held = cache.add(CACHE_LOCK_KEY, token, CACHE_LOCK_SECONDS)
    try:
        yield held
    finally:
        if held and cache.get(CACHE_LOCK_KEY) == token:
            cache.delete(CACHE_LOCK_KEY)


def housekeeping_run(*, now=None) -> dict:
    now = now or timezone.now()
    call_command("clearsessions")
    pruned, _ = (
        DBTaskResult.objects.finished()
        .filter(finished_at__lt=now - timedelta(days=settings.TASK_RESULT_KEEP_DAYS))
        .delete()
    )
    recovered = report_batches_recover(now=now)
    forgotten, _ = WorkerHeartbeat.objects.filter(beat_at__lt=now - timedelta(days=1)).delete()
    return {
        "task_results_pruned": pruned,
        "batch_reports_resumed": recovered["resumed"],
        "batches_failed": recovered["failed"],
        "batches_requeued": recovered["requeued"],
        "batches_expired": report_batches_expire(now=now),
        "stored_reports_expired": stored_reports_expire(now=now),
        "heartbeats_forgotten": forgotten,
        "monitoring_daily_run": _monitoring_daily(today=timezone.localdate(now)),
    }


def _monitoring_daily(*, today) -> bool:
    # A failing monitoring run must not stop the clean-up; it is logged and tried again.
    try:
        return monitoring_daily_once(today=today)
    except Exception:
        logger.exception("The monitoring run of %s failed", today)
        return False


def monitoring_daily_once(*, today) -> bool:
    """The day's monitoring run, the first time housekeeping runs on `today` (a key per day,
    committed with the run: a run that fails is tried again five minutes later)."""
    with transaction.atomic():
        if not remind_once(f"monitoring-daily:{today.isoformat()}"):
            return False
        monitoring_daily(today=today)
    return True


class Command(BaseCommand):
    help = "Periodic clean-up; safe to run from several hosts at once."

    def handle(self, *args, **options):
        with housekeeping_lock() as held:
            if not held:
                self.stdout.write("housekeeping is running on another host; nothing done")
                return
            counts = housekeeping_run()
        self.stdout.write(json.dumps(counts, sort_keys=True))
