"""`manage.py task_worker`: the database task worker (`db_worker`, same options) with a
heartbeat. Every WORKER_HEARTBEAT_SECONDS it records that it is alive (read by `/readyz`) and
puts back in the queue the batch reports of workers that stopped beating."""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from assessment.services.report_batches import (
    report_batches_recover,
    worker_heartbeat,
    worker_name,
)

logger = logging.getLogger(__name__)


def _beat_forever(stop: threading.Event, first: threading.Event) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            worker_heartbeat(name=worker_name())
            counts = report_batches_recover()
            if any(counts.values()):
                logger.warning("task worker %s recovered batches: %s", worker_name(), counts)
        except Exception:  # a database hiccup must not stop the beat for good
            logger.exception("heartbeat of %s failed", worker_name())
        finally:
            connection.close()
            first.set()
        stop.wait(settings.WORKER_HEARTBEAT_SECONDS)


class Command(DbWorkerCommand):
    help = "Run the task worker (db_worker with a heartbeat and dead-worker recovery)"

    def handle(self, *args, **options):
        stop, first = threading.Event(), threading.Event()
        beat = threading.Thread(
            target=_beat_forever, args=(stop, first), daemon=True, name="heartbeat"
        )
        beat.start()
        first.wait(timeout=10)  # alive (and recovering) before the first task
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
