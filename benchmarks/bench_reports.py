"""Evaluation report speed on the benchmark database (10 000 platforms, PostgreSQL).

Bar: one evaluation report (selector, charts, HTML, WeasyPrint, PDF/A) in under 1.5 s.
Baselines measured in the same run: the same report's HTML rendered without charts, and the
HTML alone (no PDF). Batch throughput: 100 reports rendered one after another, as the batch
task does, in reports per minute.
"""

import io
import statistics
import time

from pypdf import PdfReader

BAR_MS = 1500
BATCH_SIZE = 100
REPEAT = 9


def _summary(values: list[float]) -> dict:
    values = sorted(values)
    return {
        "p50": statistics.median(values),
        "p95": values[min(len(values) - 1, round(0.95 * (len(values) - 1)))],
        "min": values[0],
    }


def _certified_submissions(limit: int):
    from assessment.selectors.reports import report_submission_queryset

    return list(
        report_submission_queryset()
        .filter(state="certified", certification__status="certified")
        .order_by("id")[:limit]
    )


def run() -> None:
    from assessment.services import report_store, reports
    from benchmarks.common import report

    submissions = _certified_submissions(BATCH_SIZE)
    if not submissions:
        print("no certified submissions in the benchmark database")
        return
    # A growth-tier report is typical in length (about 15 pages).
    submission = next((s for s in submissions if s.certification.tier == "growth"), submissions[0])
    issued = reports.report_issue(submission=submission, language="zh-hans", user=None)

    def full():  # rendered every time: the stored file is forgotten first (bench_report_store)
        report_store.stored_reports_forget(submission=submission)
        reports.submission_report_pdf(submission=submission, language="zh-hans", user=None)

    def without_charts():
        html = reports.submission_report_html(
            submission=submission, report=issued, with_charts=False
        )
        reports.render_pdf(html)

    def html_only():
        reports.submission_report_html(submission=submission, report=issued, with_charts=True)

    _issued, pdf = reports.submission_report_pdf(
        submission=submission, language="zh-hans", user=None
    )
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"report {_issued.number}: {pages} pages, {len(pdf) / 1024:.0f} KiB")
    # Interleaved, so that load from other processes on this shared machine hits both alike.
    for function in (without_charts, full, html_only):
        function()  # warm-up: imports, fonts, the benchmark cache
    times: dict = {without_charts: [], full: [], html_only: []}
    for _ in range(REPEAT):
        for function in times:
            started = time.perf_counter()
            function()
            times[function].append((time.perf_counter() - started) * 1000)
    measured = {function: _summary(values) for function, values in times.items()}
    baseline = measured[without_charts]
    report("report PDF without charts (baseline)", baseline)
    report("report HTML with charts, no PDF", measured[html_only], baseline)
    report("evaluation report PDF (zh-hans, charts)", measured[full], baseline, bar_ms=BAR_MS)
    print(
        f"  fastest runs: baseline {baseline['min']:.0f} ms, "
        f"full report {measured[full]['min']:.0f} ms"
    )

    started = time.perf_counter()
    for each in submissions:
        report_store.stored_reports_forget(submission=each)
        reports.submission_report_pdf(submission=each, language="zh-hans", user=None)
    elapsed = time.perf_counter() - started
    print(
        f"batch of {len(submissions)} reports: {elapsed:.1f} s, "
        f"{len(submissions) / elapsed * 60:.0f} reports per minute "
        f"({elapsed / len(submissions) * 1000:.0f} ms per report, one process)"
    )
