"""Evidence, reports and batch ZIPs in an S3-compatible object store (SeaweedFS on loopback)."""

import io
import urllib.error
import urllib.request
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from assessment.services import submissions as services
from tests import factories
from tests.services import unique_bucket

pytestmark = [pytest.mark.django_db, pytest.mark.once]


@pytest.fixture
def evidence(s3_storage):
    submission = factories.SubmissionFactory()
    return services.evidence_add_file(
        actor=submission.created_by,
        submission=submission,
        question_code="D1.2",
        uploaded_file=factories.uploaded_file(factories.pdf_bytes("设备清单"), "清单.pdf"),
    )


def test_an_uploaded_evidence_file_is_an_object_in_the_bucket(evidence, s3_storage, s3_bucket):
    stored = s3_storage.client().get_object(Bucket=s3_bucket, Key=evidence.file.name)
    assert PdfReader(io.BytesIO(stored["Body"].read())).metadata.title == "设备清单"


def test_evidence_in_the_bucket_downloads_through_the_permission_checked_view(client, evidence):
    client.force_login(evidence.submission.created_by)
    response = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert PdfReader(io.BytesIO(content)).metadata.title == "设备清单"


def test_evidence_in_the_bucket_stays_404_out_of_scope(client, evidence):
    client.force_login(factories.operator())
    assert client.get(reverse("evidence_download", args=[evidence.pk])).status_code == 404


def test_objects_are_private_without_a_signature(evidence, s3_storage, s3_bucket):
    anonymous = f"{s3_storage.endpoint}/{s3_bucket}/{evidence.file.name}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(anonymous, timeout=5)  # noqa: S310 -- our loopback server
    assert refused.value.code == 403


def test_a_signed_url_is_short_lived(evidence):
    url = default_storage.url(evidence.file.name)
    assert "X-Amz-Expires=300" in url
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 -- loopback
        assert response.read().startswith(b"%PDF-")


def test_two_uploads_of_the_same_name_never_overwrite_each_other(s3_storage):
    first = default_storage.save("evidence/test/same.txt", io.BytesIO(b"one"))
    second = default_storage.save("evidence/test/same.txt", io.BytesIO(b"two"))
    assert first != second
    with default_storage.open(first) as handle:
        assert handle.read() == b"one"


@pytest.mark.django_db(transaction=True)
def test_a_batch_zip_is_stored_in_the_bucket_and_downloads(client, s3_storage, s3_bucket):
    from django.core.management import call_command

    from assessment.models import ReportBatch, ReportBatchStatus, StoredReport
    from assessment.services import reports as report_services

    submission = factories.reviewed_submission(result="basic", certified=True)
    regulator = factories.regulator("440000")
    batch = report_services.report_batch_request(
        user=regulator, region=factories.region("440000"), cycle=submission.cycle, language="en"
    )
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)
    batch = ReportBatch.objects.get(pk=batch.pk)
    assert batch.status == ReportBatchStatus.DONE, batch.error
    client_s3 = s3_storage.client()
    head = client_s3.head_object(Bucket=s3_bucket, Key=batch.zip_file.name)
    assert head["ContentLength"] == batch.zip_size
    stored = StoredReport.objects.get(submission=submission)
    assert client_s3.head_object(Bucket=s3_bucket, Key=stored.file.name)["ContentLength"] > 0
    client.force_login(regulator)
    response = client.get(reverse("report_batch_download", args=[batch.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "index.csv" in archive.namelist()


def test_the_server_takes_writes_in_as_many_buckets_as_two_test_runs_make(s3_server):
    # A CI run shares one server between the PostgreSQL and SQLite runs, one bucket per worker
    # each; with too few volume slots the third bucket's first write failed (InternalError).
    client = s3_server.client()
    buckets = [s3_server.create_bucket(unique_bucket("pma-many"), timeout=20) for _ in range(5)]
    try:
        for bucket in buckets:
            client.put_object(Bucket=bucket, Key="evidence/probe", Body=b"probe")
            assert client.get_object(Bucket=bucket, Key="evidence/probe")["Body"].read() == b"probe"
    finally:
        for bucket in buckets:
            client.delete_object(Bucket=bucket, Key="evidence/probe")
            client.delete_bucket(Bucket=bucket)
