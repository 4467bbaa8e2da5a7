"""An issued report is rendered once per submission state, language and data hash; a
re-download serves the stored file."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import IssuedPdf, StoredReport, Submission
from assessment.services.report_store import stored_reports_expire
from tests.factories import reviewed_submission

pytestmark = [pytest.mark.django_db, pytest.mark.once]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def certified():
    return reviewed_submission(result="basic", certified=True)


def download(client, submission, language="en"):
    client.force_login(submission.created_by)
    url = reverse("submission_report", kwargs={"submission_id": submission.pk})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{url}?lang={language}")
    assert response.status_code == 200
    return response.content, len(queries)


def test_a_re_download_serves_the_stored_file_without_rendering(client, certified):
    first, rendering_queries = download(client, certified)
    again, stored_queries = download(client, certified)
    assert again == first
    stored = StoredReport.objects.get()
    assert (stored.language, stored.state, stored.size) == ("en", certified.state, len(first))
    with stored.file.open("rb") as handle:
        assert handle.read() == first
    # Rendering reads the whole submission (answers, scores, peers); the stored file does not.
    assert stored_queries < 15 < rendering_queries
    assert IssuedPdf.objects.count() == 1


def test_each_language_is_stored_once(client, certified):
    download(client, certified, "en")
    download(client, certified, "zh-hans")
    download(client, certified, "zh-hans")
    assert sorted(StoredReport.objects.values_list("language", flat=True)) == ["en", "zh-hans"]


def test_a_new_state_renders_and_stores_a_new_file(client, certified):
    download(client, certified)
    Submission.objects.filter(pk=certified.pk).update(state="public_notice")
    download(client, certified)
    assert sorted(StoredReport.objects.values_list("state", flat=True)) == [
        "certified",
        "public_notice",
    ]


def test_a_stored_file_that_went_missing_is_rendered_again(client, certified):
    first, _ = download(client, certified)
    stored = StoredReport.objects.get()
    stored.file.storage.delete(stored.file.name)
    again, queries = download(client, certified)
    assert again[:5] == b"%PDF-"
    assert StoredReport.objects.count() == 1
    assert queries > 15


def test_files_nobody_downloaded_for_the_keeping_time_are_removed(client, certified, settings):
    from datetime import timedelta

    from django.utils import timezone

    download(client, certified)
    stored = StoredReport.objects.get()
    name, storage = stored.file.name, stored.file.storage
    assert stored_reports_expire() == 0
    later = timezone.now() + timedelta(days=settings.REPORT_FILE_KEEP_DAYS + 1)
    assert stored_reports_expire(now=later) == 1
    assert not storage.exists(name)
    assert IssuedPdf.objects.count() == 1  # verification by hash still works
