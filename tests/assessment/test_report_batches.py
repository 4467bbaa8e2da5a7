"""Report batches: queued on the database task backend, built by `db_worker`, downloaded."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from assessment.models import ReportBatch, ReportBatchStatus
from questionnaires.choices import Result
from tests.factories import regulator, reviewed_submission

# The worker closes and reopens database connections between tasks (as in production), which
# a test wrapped in one transaction cannot survive on PostgreSQL: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)


@pytest.fixture
def submissions():
    certified = reviewed_submission(result="basic", certified=True)
    provisional = reviewed_submission(result="growth", cycle=certified.cycle)
    return certified, provisional


def request_batch(client, user, cycle, region="440000", capture=None):
    client.force_login(user)
    with capture(execute=True):
        return client.post(
            reverse("report_batches"), {"cycle": cycle.code, "region": region, "lang": "zh-hans"}
        )


def test_batch_request_is_queued_on_the_database_backend(
    client, submissions, django_capture_on_commit_callbacks
):
    response = request_batch(
        client,
        regulator("440000"),
        submissions[0].cycle,
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    batch = ReportBatch.objects.get()
    assert batch.status == ReportBatchStatus.QUEUED
    assert batch.total == 2
    assert DBTaskResult.objects.filter(id=batch.task_id).exists()


def test_worker_builds_the_zip_with_every_report_and_an_index(
    client, submissions, django_capture_on_commit_callbacks
):
    request_batch(
        client,
        regulator("440000"),
        submissions[0].cycle,
        capture=django_capture_on_commit_callbacks,
    )
    run_worker()
    batch = ReportBatch.objects.get()
    assert batch.status == ReportBatchStatus.DONE
    assert (batch.done, batch.total, batch.percent) == (2, 2, 100)
    assert batch.expires_at > timezone.now() + timedelta(hours=1)
    with batch.zip_file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        names = archive.namelist()
        assert len([name for name in names if name.endswith(".pdf")]) == 2
        assert "index.csv" in names
        for name in names:
            if name.endswith(".pdf"):
                assert archive.read(name).startswith(b"%PDF-")
        header, *rows = archive.read("index.csv").decode("utf-8-sig").splitlines()
    # Words in the batch's language, not codes (leading, not_rated, yes).
    with translation.override(batch.language):
        results = {str(label) for label in Result.labels}
        statuses = {gettext("Certified"), gettext("Provisional"), gettext("Revoked")}
        assert header.split(",")[:2] == [gettext("Report No."), gettext("Platform")]
    assert len(rows) == 2
    for row in rows:
        cells = row.split(",")
        assert cells[3] in results and cells[4] in statuses


def test_requester_downloads_the_zip(client, submissions, django_capture_on_commit_callbacks):
    user = regulator("440000")
    request_batch(client, user, submissions[0].cycle, capture=django_capture_on_commit_callbacks)
    run_worker()
    batch = ReportBatch.objects.get()
    response = client.get(reverse("report_batch_download", kwargs={"batch_id": batch.pk}))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert zipfile.ZipFile(io.BytesIO(content)).testzip() is None


def test_regulator_of_another_province_cannot_see_the_batch(
    client, submissions, django_capture_on_commit_callbacks
):
    request_batch(
        client,
        regulator("440000"),
        submissions[0].cycle,
        capture=django_capture_on_commit_callbacks,
    )
    run_worker()
    batch = ReportBatch.objects.get()
    client.force_login(regulator("320000"))
    assert client.get(reverse("report_batch_download", args=[batch.pk])).status_code == 404
    assert client.get(reverse("report_batch_status", args=[batch.pk])).status_code == 404
    assert batch.pk not in [b.pk for b in client.get(reverse("report_batches")).context["batches"]]


def test_batch_for_a_region_out_of_scope_is_refused_and_nothing_queued(
    client, submissions, django_capture_on_commit_callbacks
):
    response = request_batch(
        client,
        regulator("320000"),
        submissions[0].cycle,
        region="440000",
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    assert not ReportBatch.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_status_endpoint_reports_progress(client, submissions, django_capture_on_commit_callbacks):
    user = regulator("440000")
    request_batch(client, user, submissions[0].cycle, capture=django_capture_on_commit_callbacks)
    batch = ReportBatch.objects.get()
    queued = client.get(reverse("report_batch_status", args=[batch.pk])).json()
    assert (queued["status"], queued["done"], queued["total"]) == ("queued", 0, 2)
    run_worker()
    done = client.get(reverse("report_batch_status", args=[batch.pk])).json()
    assert (done["status"], done["percent"]) == ("done", 100)
    assert done["download"]


def test_expired_zip_is_deleted_and_no_longer_downloadable(
    client, submissions, django_capture_on_commit_callbacks
):
    user = regulator("440000")
    request_batch(client, user, submissions[0].cycle, capture=django_capture_on_commit_callbacks)
    run_worker()
    batch = ReportBatch.objects.get()
    storage, name = batch.zip_file.storage, batch.zip_file.name
    ReportBatch.objects.filter(pk=batch.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    response = client.get(reverse("report_batch_download", args=[batch.pk]))
    assert response.status_code == 404
    assert storage.exists(name)  # page views do no housekeeping
    call_command("housekeeping", verbosity=0)
    batch.refresh_from_db()
    assert batch.status == ReportBatchStatus.EXPIRED
    assert not storage.exists(name)


def test_batches_page_lists_batches_with_fixed_queries(
    client, submissions, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    user = regulator("440000")
    for _ in range(2):
        request_batch(
            client, user, submissions[0].cycle, capture=django_capture_on_commit_callbacks
        )
        run_worker()
    with django_assert_max_num_queries(15):
        response = client.get(reverse("report_batches"))
    assert response.status_code == 200
    assert len(response.context["batches"]) == 2
