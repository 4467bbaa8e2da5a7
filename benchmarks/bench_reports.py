"""Evaluation report speed on the benchmark database (10 000 platforms, PostgreSQL).

Bar: one evaluation report (selector, charts, HTML, WeasyPrint, PDF/A) in under 1.5 s.
Baselines measured in the same run: the same report's HTML rendered without charts, and the
HTML alone (no PDF). Batch throughput: 100 reports rendered one after another, as the batch
task does, in reports per minute.
"""

import time

BAR_MS = 1500
BATCH_SIZE = 100


def _certified_submissions(limit: int):
    from assessment.selectors.reports import report_submission_queryset

    return list(
        report_submission_queryset()
        .filter(state="certified", certification__status="certified")
        .order_by("id")[:limit]
    )


def run() -> None:
    from assessment.services import reports
    from benchmarks.common import measure, report

    submissions = _certified_submissions(BATCH_SIZE)
    if not submissions:
        print("no certified submissions in the benchmark database")
        return
    # A growth-tier report is typical in length (about 15 pages).
    submission = next((s for s in submissions if s.certification.tier == "growth"), submissions[0])
    issued = reports.report_issue(submission=submission, language="zh-hans", user=None)

    def full():
        reports.submission_report_pdf(submission=submission, language="zh-hans", user=None)

    def without_charts():
        html = reports.submission_report_html(
            submission=submission, report=issued, with_charts=False
        )
        reports.render_pdf(html)

    def html_only():
        reports.submission_report_html(submission=submission, report=issued, with_charts=True)

    baseline = measure(without_charts, repeat=5, warmup=1)
    report("report PDF without charts (baseline)", baseline)
    report("report HTML with charts, no PDF", measure(html_only, repeat=5, warmup=1), baseline)
    report(
        "evaluation report PDF (zh-hans, charts)",
        measure(full, repeat=5, warmup=1),
        baseline,
        bar_ms=BAR_MS,
    )

    started = time.perf_counter()
    for each in submissions:
        reports.submission_report_pdf(submission=each, language="zh-hans", user=None)
    elapsed = time.perf_counter() - started
    print(
        f"batch of {len(submissions)} reports: {elapsed:.1f} s, "
        f"{len(submissions) / elapsed * 60:.0f} reports per minute "
        f"({elapsed / len(submissions) * 1000:.0f} ms per report, one process)"
    )
