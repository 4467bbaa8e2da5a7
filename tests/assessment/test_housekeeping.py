"""`manage.py housekeeping`: the periodic clean-up, safe from several hosts at once."""

import io
import json
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessment.management.commands.housekeeping import ADVISORY_KEY, CACHE_LOCK_KEY
from assessment.models import WorkerHeartbeat
from assessment.tasks import report_batch_build_task

pytestmark = pytest.mark.django_db(transaction=True)


def housekeeping() -> str:
    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    return out.getvalue()


def test_housekeeping_clears_sessions_task_results_and_old_heartbeats(settings):
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    result = report_batch_build_task.enqueue(1)
    old = timezone.now() - timedelta(days=settings.TASK_RESULT_KEEP_DAYS + 1)
    DBTaskResult.objects.filter(pk=result.id).update(status="SUCCESSFUL", finished_at=old)
    fresh = report_batch_build_task.enqueue(2)
    WorkerHeartbeat.objects.create(worker="gone:1", beat_at=timezone.now() - timedelta(days=2))

    counts = json.loads(housekeeping())

    assert not Session.objects.exists()
    assert [str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)] == [fresh.id]
    assert counts["task_results_pruned"] == 1
    assert counts["heartbeats_forgotten"] == 1
    assert not WorkerHeartbeat.objects.exists()


def test_a_second_host_does_nothing_while_one_runs():
    if connection.vendor == "postgresql":
        other = connections.create_connection("default")
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_KEY])
        try:
            assert "another host" in housekeeping()
        finally:
            other.close()
    else:
        from django.core.cache import cache

        cache.set(CACHE_LOCK_KEY, "held by host A", 60)
        assert "another host" in housekeeping()
        cache.delete(CACHE_LOCK_KEY)
    assert "task_results_pruned" in housekeeping()  # the lock is free again
