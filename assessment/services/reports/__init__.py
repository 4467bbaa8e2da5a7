"""Evaluation and regional reports: issue, render to PDF (WeasyPrint), verify, batch.

One path for the web, the CLI and the batch task: :func:`submission_report_pdf` issues (or
re-uses) a report number for a submission's current facts, renders the PDF and records the
PDF's SHA-256; :func:`regional_report_pdf` renders a province's or the nation's summary.

Safety: WeasyPrint fetches nothing from the network. Its URL fetcher serves only our own
static files (under a private ``.invalid`` base URL) and inline ``data:`` URLs; every other
URL (operators' links included) is refused and only printed as text. User text reaches the
templates through Django's autoescaping.

The package is split by sub-area (``render``, ``facts``, ``evaluation``, ``regional``,
``batches``); every name callers used from the former module is re-exported here.
"""

from assessment.services.report_numbers import (
    new_report_number,
    normalise_report_number,
    report_number_is_well_formed,
)
from assessment.services.reports.batches import (
    batch_download_name,
    report_batch_request,
    report_batches_purge_expired,
)
from assessment.services.reports.evaluation import (
    PROVISIONAL_MARK,
    REVOKED_MARK,
    report_filename,
    report_monitoring_history,
    report_review_stages,
    submission_report_charts,
    submission_report_html,
    submission_report_pdf,
)
from assessment.services.reports.facts import (
    canonical_facts,
    canonical_hash,
    canonical_json,
    document_facts,
    report_issue,
    report_verify,
    verification_url,
)
from assessment.services.reports.regional import regional_report_pdf, regional_report_region
from assessment.services.reports.render import (
    PDF_VARIANT,
    REPORT_LANGUAGES,
    STATIC_BASE_URL,
    StaticOnlyURLFetcher,
    _footer_css,
    _page_counter_css,
    _qr_svg,
    css_string,
    render_pdf,
    sha256_hex,
)

__all__ = [
    "PDF_VARIANT",
    "PROVISIONAL_MARK",
    "REPORT_LANGUAGES",
    "REVOKED_MARK",
    "STATIC_BASE_URL",
    "StaticOnlyURLFetcher",
    "_footer_css",
    "_page_counter_css",
    "_qr_svg",
    "batch_download_name",
    "canonical_facts",
    "canonical_hash",
    "canonical_json",
    "css_string",
    "document_facts",
    "new_report_number",
    "normalise_report_number",
    "regional_report_pdf",
    "regional_report_region",
    "render_pdf",
    "report_batch_request",
    "report_batches_purge_expired",
    "report_filename",
    "report_issue",
    "report_monitoring_history",
    "report_number_is_well_formed",
    "report_review_stages",
    "report_verify",
    "sha256_hex",
    "submission_report_charts",
    "submission_report_html",
    "submission_report_pdf",
    "verification_url",
]
