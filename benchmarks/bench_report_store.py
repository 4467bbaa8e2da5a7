"""Report downloads: the first renders the PDF and stores it, a re-download serves the file.

Through the download view (Django's test client: permission check, report number, lookup),
on the benchmark database, with the file storage on the local disk and then in a SeaweedFS
bucket (S3) started for the run. The baseline is the first download (render + store) of the
same report in the same run; each round forgets the stored file first.

Run: .venv/bin/python -m benchmarks bench_report_store
"""

import statistics
import time

REPEAT = 5


def _summary(values: list[float]) -> dict:
    values = sorted(values)
    return {
        "p50": statistics.median(values),
        "p95": values[min(len(values) - 1, round(0.95 * (len(values) - 1)))],
        "min": values[0],
    }


def _measure(client, url: str, submission) -> tuple[dict, dict]:
    from assessment.services.report_store import stored_reports_forget

    def forget():
        stored_reports_forget(submission=submission)

    first, again = [], []
    forget()
    client.get(url)  # warm-up: imports, fonts
    for _ in range(REPEAT):
        forget()
        started = time.perf_counter()
        rendered = client.get(url)
        first.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        stored = client.get(url)
        again.append((time.perf_counter() - started) * 1000)
        assert rendered.status_code == stored.status_code == 200
        assert stored.content == rendered.content
    forget()
    return _summary(first), _summary(again)


def run() -> None:
    from django.test import Client, override_settings
    from django.urls import reverse

    from assessment.selectors.reports import report_submission_queryset
    from benchmarks.common import report
    from tests.services import start_seaweedfs, unique_bucket

    submission = (
        report_submission_queryset()
        .filter(state="certified", certification__status="certified", certification__tier="growth")
        .order_by("id")
        .first()
    )
    if submission is None:
        print("no certified submission in the benchmark database")
        return
    client = Client()
    client.force_login(submission.created_by)
    url = reverse("submission_report", kwargs={"submission_id": submission.pk}) + "?lang=zh-hans"

    first, again = _measure(client, url, submission)
    report("first download, local disk (render + store)", first)
    report("re-download, local disk (stored file)", again)
    print(f"  re-download is {first['p50'] / again['p50']:.0f}x faster than the first (disk, p50)")

    s3 = start_seaweedfs()
    try:
        bucket = s3.create_bucket(unique_bucket("pma-bench"))
        storages = {
            "default": s3.storage_settings(bucket),
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(STORAGES=storages):
            first, again = _measure(client, url, submission)
    finally:
        s3.stop()
    report("first download, S3 bucket (render + store)", first)
    report("re-download, S3 bucket (stored file)", again)
    print(f"  re-download is {first['p50'] / again['p50']:.0f}x faster than the first (S3, p50)")
