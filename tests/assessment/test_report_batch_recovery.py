"""Batches split into one task per report; a worker that dies mid-report is noticed by its
stale heartbeat and the report runs again, or the batch fails with a reason."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from assessment.models import (
    BatchItemStatus,
    ReportBatch,
    ReportBatchItem,
    ReportBatchStatus,
    WorkerHeartbeat,
)
from assessment.services import reports as report_services
from assessment.services.report_batches import report_batch_plan, report_batches_recover
from tests.factories import region, regulator, reviewed_submission

ITEM_TASK = "assessment.tasks.report_batch_item_task"


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)


def new_batch(count=2):
    first = reviewed_submission(result="basic", certified=True)
    for _ in range(count - 1):
        reviewed_submission(result="basic", cycle=first.cycle)
    return report_services.report_batch_request(
        user=regulator("440000"), region=region("440000"), cycle=first.cycle, language="en"
    )


def as_if_a_worker_died_rendering(item, *, attempts=1):
    """What a killed worker leaves behind: an item running under a heartbeat that stopped."""
    WorkerHeartbeat.objects.create(
        worker="host-b:4242", beat_at=timezone.now() - timedelta(minutes=5)
    )
    ReportBatchItem.objects.filter(pk=item.pk).update(
        status=BatchItemStatus.RUNNING,
        worker="host-b:4242",
        attempts=attempts,
        started_at=timezone.now() - timedelta(minutes=5),
    )


@pytest.mark.django_db(transaction=True)
def test_the_plan_queues_one_task_per_report():
    batch = new_batch(count=3)
    DBTaskResult.objects.all().delete()
    assert report_batch_plan(batch_id=batch.pk) == 3
    batch.refresh_from_db()
    assert (batch.status, batch.total) == (ReportBatchStatus.RUNNING, 3)
    assert DBTaskResult.objects.filter(task_path=ITEM_TASK).count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_report_whose_worker_died_is_resumed_and_the_batch_finishes():
    batch = new_batch(count=2)
    DBTaskResult.objects.all().delete()
    report_batch_plan(batch_id=batch.pk)
    lost = ReportBatchItem.objects.filter(batch=batch).first()
    as_if_a_worker_died_rendering(lost)
    DBTaskResult.objects.filter(task_path=ITEM_TASK, args_kwargs__args=[lost.pk]).delete()

    assert report_batches_recover() == {"resumed": 1, "failed": 0, "requeued": 0}
    lost.refresh_from_db()
    assert (lost.status, lost.worker) == (BatchItemStatus.QUEUED, "")
    run_worker()
    batch.refresh_from_db()
    assert batch.status == ReportBatchStatus.DONE, batch.error
    assert (batch.done, batch.total) == (2, 2)
    lost.refresh_from_db()
    assert (lost.status, lost.attempts) == (BatchItemStatus.DONE, 2)


@pytest.mark.django_db
def test_after_the_last_attempt_the_batch_fails_with_the_reason(settings):
    batch = new_batch(count=1)
    report_batch_plan(batch_id=batch.pk)
    item = ReportBatchItem.objects.get(batch=batch)
    as_if_a_worker_died_rendering(item, attempts=settings.REPORT_TASK_ATTEMPTS)

    with translation.override("en"):
        assert report_batches_recover()["failed"] == 1
    batch.refresh_from_db()
    assert batch.status == ReportBatchStatus.FAILED
    assert batch.error == (
        f"The worker rendering the report of submission {item.submission_id} stopped "
        f"{settings.REPORT_TASK_ATTEMPTS} times; the batch was stopped. Request it again."
    )


@pytest.mark.django_db
def test_a_failed_batch_no_longer_blocks_a_new_one_for_the_region(settings):
    batch = new_batch(count=1)
    report_batch_plan(batch_id=batch.pk)
    as_if_a_worker_died_rendering(
        ReportBatchItem.objects.get(batch=batch), attempts=settings.REPORT_TASK_ATTEMPTS
    )
    report_batches_recover()
    again = report_services.report_batch_request(
        user=batch.requested_by, region=batch.region, cycle=batch.cycle, language="en"
    )
    assert again.status == ReportBatchStatus.QUEUED


@pytest.mark.django_db
def test_a_report_of_a_live_worker_is_left_alone():
    batch = new_batch(count=1)
    report_batch_plan(batch_id=batch.pk)
    item = ReportBatchItem.objects.get(batch=batch)
    WorkerHeartbeat.objects.create(worker="host-a:1", beat_at=timezone.now())
    ReportBatchItem.objects.filter(pk=item.pk).update(
        status=BatchItemStatus.RUNNING, worker="host-a:1", attempts=1, started_at=timezone.now()
    )
    assert report_batches_recover() == {"resumed": 0, "failed": 0, "requeued": 0}


@pytest.mark.django_db
def test_a_report_rendering_past_the_timeout_counts_as_dead(settings):
    batch = new_batch(count=1)
    report_batch_plan(batch_id=batch.pk)
    item = ReportBatchItem.objects.get(batch=batch)
    ReportBatchItem.objects.filter(pk=item.pk).update(
        status=BatchItemStatus.RUNNING,
        worker="plain-db-worker:7",  # no heartbeat row at all
        attempts=1,
        started_at=timezone.now() - timedelta(seconds=settings.REPORT_TASK_TIMEOUT_SECONDS + 1),
    )
    assert report_batches_recover()["resumed"] == 1
    assert ReportBatch.objects.get(pk=batch.pk).status == ReportBatchStatus.RUNNING


@pytest.mark.django_db(transaction=True)
def test_the_task_worker_beats_and_recovers_reports_of_dead_workers():
    from assessment.services.report_batches import worker_name

    batch = new_batch(count=1)
    DBTaskResult.objects.all().delete()
    report_batch_plan(batch_id=batch.pk)
    item = ReportBatchItem.objects.get(batch=batch)
    as_if_a_worker_died_rendering(item)
    DBTaskResult.objects.all().delete()  # the dead worker's claimed task is lost with it

    call_command("task_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)

    assert WorkerHeartbeat.objects.filter(worker=worker_name()).exists()
    batch.refresh_from_db()
    assert batch.status == ReportBatchStatus.DONE, batch.error
