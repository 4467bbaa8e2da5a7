"""Evaluation and regional reports: issue, render to PDF (WeasyPrint), verify, batch.

One path for the web, the CLI and the batch task: :func:`submission_report_pdf` issues (or
re-uses) a report number for a submission's current facts, renders the PDF and records the
PDF's SHA-256; :func:`regional_report_pdf` renders a province's or the nation's summary.

Safety: WeasyPrint fetches nothing from the network. Its URL fetcher serves only our own
static files (under a private ``.invalid`` base URL) and inline ``data:`` URLs; every other
URL (operators' links included) is refused and only printed as text. User text reaches the
templates through Django's autoescaping.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mimetypes
import os
import re
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from assessment import presentation
from assessment.errors import ApplicationError, NotFound, PermissionDenied
from assessment.models import (
    AssessmentCycle,
    IssuedDocument,
    IssuedPdf,
    IssuedReport,
    Region,
    ReportBatch,
    ReportBatchStatus,
    Submission,
    User,
)
from assessment.models.reviews import CertificationStatus
from assessment.selectors import reports as report_selectors
from assessment.services import (
    report_charts,
    report_formal,
    report_narrative,
    signing,
    verification,
)
from assessment.services.report_numbers import (  # noqa: F401 -- re-exported for views
    new_report_number,
    normalise_report_number,
    report_number_is_well_formed,
)
from questionnaires.choices import TIER_COLOURS, TIER_ORDER

logger = logging.getLogger(__name__)
# WeasyPrint logs every layout step at INFO; keep only its warnings (refused URLs, glyphs).
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

REPORT_LANGUAGES = ("zh-hans", "en")
# PDF/A-3u: archival, with a Unicode mapping for every glyph (searchable text). WeasyPrint
# writes the XMP identification, the sRGB output intent and embeds every font.
PDF_VARIANT = "pdf/a-3u"
STATIC_BASE_URL = "https://static.report.invalid/"
PROVISIONAL_MARK = "暂定 PROVISIONAL"


# --- Safe fetching -----------------------------------------------------------------------------


class StaticOnlyURLFetcher(URLFetcher):
    """Serves our own static files and data: URLs; refuses everything else (no network)."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith(STATIC_BASE_URL):
            raise ValueError(f"report rendering fetches no external resource: {url[:200]}")
        relative = url.removeprefix(STATIC_BASE_URL).split("?", 1)[0].split("#", 1)[0]
        if not relative or ".." in relative.split("/") or relative.startswith("/"):
            raise ValueError(f"not a static file: {url[:200]}")
        found = finders.find(relative)
        if not found:
            raise ValueError(f"no such static file: {relative}")
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, Path(found).read_bytes(), headers={"Content-Type": content_type}
        )


def css_string(text: str) -> SafeString:
    """A CSS string literal for any text (everything but plain letters is hex-escaped)."""
    escaped = "".join(
        character if character.isalnum() or character in " -_.:/·," else f"\\{ord(character):x} "
        for character in str(text)
    )
    return mark_safe(f'"{escaped}"')  # noqa: S308 -- every special character is escaped above


def render_pdf(html: str) -> bytes:
    document = HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=StaticOnlyURLFetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- Report numbers and canonical data ---------------------------------------------------------


def canonical_facts(submission: Submission, language: str) -> dict[str, Any]:
    """The authoritative facts a report states (everything but its number)."""
    breakdown = report_selectors.score_breakdown(submission)
    certification = report_selectors.certification_of(submission)
    platform = submission.platform
    if certification is None or submission.state != "certified":
        status = "provisional"
    else:
        status = certification.status
    return {
        "platform": platform.name,
        "organisation": platform.organisation.name,
        "credit_code": platform.organisation.credit_code,
        "region": platform.region_id,
        "kind": submission.platform_kind,
        "cycle": submission.cycle.code,
        "rubric": certification.rubric_label if certification else submission.rubric_version.label,
        "result": breakdown["result"],
        "progress_index": breakdown["progress_index"],
        "tier_scores": {tier: breakdown["tiers"][tier]["score"] for tier in TIER_ORDER},
        "certification": {
            "status": status,
            "tier": certification.tier if certification and status != "provisional" else None,
            "certified_at": certification.certified_at.date().isoformat()
            if certification and certification.certified_at and status != "provisional"
            else None,
            "valid_until": certification.valid_until.isoformat()
            if certification and certification.valid_until and status != "provisional"
            else None,
        },
        "language": language,
    }


def canonical_json(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_hash(data: dict[str, Any]) -> str:
    return sha256_hex(canonical_json(data).encode("utf-8"))


def _check_language(language: str) -> str:
    if language not in REPORT_LANGUAGES:
        raise ApplicationError(
            "unknown_language",
            _("Reports are available in Chinese (zh-hans) and English (en)."),
            field="lang",
        )
    return language


def document_facts(submission: Submission, language: str, document: str) -> dict[str, Any]:
    """The facts a document states: a report's exactly as before (numbers issued earlier keep
    verifying); a certificate's say that they are a certificate's."""
    facts = canonical_facts(submission, language)
    if document != IssuedDocument.REPORT:
        facts["document"] = document
    return facts


@transaction.atomic
def report_issue(
    *,
    submission: Submission,
    language: str,
    user: User | None,
    document: str = IssuedDocument.REPORT,
) -> IssuedReport:
    """The number of a document (report or certificate) for the submission's current facts.

    Re-uses the latest number when the facts are unchanged; otherwise issues a new one.
    """
    language = _check_language(language)
    facts = document_facts(submission, language, document)
    latest = (
        IssuedReport.objects.select_for_update()
        .filter(submission=submission, language=language, document=document)
        .order_by("-id")
        .first()
    )
    if latest is not None:
        previous = {k: v for k, v in latest.canonical_data.items() if k != "report_number"}
        if previous == facts:
            return latest
    number = new_report_number(submission.cycle.code)
    canonical_data = {**facts, "report_number": number}
    return IssuedReport.objects.create(
        number=number,
        submission=submission,
        language=language,
        document=document,
        certified=facts["certification"]["status"] == CertificationStatus.CERTIFIED,
        canonical_sha256=canonical_hash(canonical_data),
        canonical_data=canonical_data,
        issued_by=user if user is not None and user.is_authenticated else None,
    )


def verification_url(number: str) -> str:
    return settings.SITE_URL + reverse("verify_report_detail", kwargs={"number": number})


def _qr_svg(url: str) -> SafeString:
    svg = segno.make(url, error="m").svg_inline(scale=3, border=2, dark="#1d2433")
    return mark_safe(svg)  # noqa: S308 -- segno's own SVG markup; the URL is ours


# --- Evaluation report -------------------------------------------------------------------------


def _page_counter_css() -> str:
    """ "Page x of y" in the active language, as CSS content with page counters."""
    template = gettext("Page %(page)s of %(pages)s")
    parts = []
    for part in re.split(r"(%\(pages?\)s)", template):
        if part == "%(page)s":
            parts.append("counter(page)")
        elif part == "%(pages)s":
            parts.append("counter(pages)")
        elif part:
            parts.append(css_string(part))
    return " ".join(parts)


def _footer_css(reference: str, header: str) -> SafeString:
    return mark_safe(  # noqa: S308 -- built from css_string() values and counters only
        f"@page {{ @bottom-left {{ content: {css_string(reference)}; }} "
        f"@bottom-right {{ content: {_page_counter_css()}; }} "
        f"@top-left {{ content: {css_string(header)}; }} }}"
    )


def submission_report_charts(data: dict[str, Any]) -> dict[str, str]:
    codes = list(data["profile"])
    labels = [f"{code} {data['dimension_titles'][code]}" for code in codes]
    peer_medians = data["peers"]["medians"]
    peer_values = [peer_medians.get(code, 0) for code in codes] if peer_medians else None
    radar = report_charts.radar_chart(
        labels,
        [data["profile"][code] for code in codes],
        colour=data["result_colour"]
        if data["result"] != "not_rated"
        else TIER_COLOURS["not_rated"],
        series_label=gettext("This platform"),
        peer_values=peer_values,
        peer_label=gettext("Median of %(count)s certified peers")
        % {"count": data["peers"]["count"]},
    )
    bars = report_charts.tier_score_bars(
        [tier["label"] for tier in data["tiers"]],
        [tier["score"] for tier in data["tiers"]],
        gettext("bar 0.8"),
    )
    return {
        "radar": report_charts.as_image(radar, gettext("Radar chart of the dimension means")),
        "tier_bars": report_charts.as_image(bars, gettext("Bar chart of the tier scores")),
    }


REVOKED_MARK = "已撤销 REVOKED"


def report_review_stages(submission: Submission) -> dict[str, Any]:
    """The programme's later review stages for 六、评审情况, each only when it happened.

    Keys (each a dict, absent when the stage did not happen): ``panel`` (``members``,
    ``decided_at``, ``opinion``, ``tier_label``), ``site_check`` (``checked_at``, ``by``,
    ``outcome``, ``notes``), ``public_notice`` (``starts_on``, ``ends_on``, ``objections``,
    ``outcome``), ``publication`` (``decision_number``, ``published_at``). The latest of each
    is shown: a failed on-site check is followed by a new panel and a new check.
    """
    from assessment.models import (
        NoticeEntry,
        ObjectionStatus,
        PanelState,
        PanelSubmission,
        SiteCheck,
        SiteCheckVerdict,
    )

    stages: dict[str, Any] = {}
    entry = (
        PanelSubmission.objects.filter(submission=submission, panel__state=PanelState.CONCLUDED)
        .select_related("panel")
        .order_by("-panel__concluded_at")
        .first()
    )
    if entry is not None:
        stages["panel"] = {
            "members": entry.panel.members.count(),
            "decided_at": entry.panel.concluded_at,
            "opinion": entry.panel.opinion,
            "tier_label": presentation.tier_label(entry.result) if entry.result else "",
        }
    site_check = (
        SiteCheck.objects.filter(submission=submission, decided_at__isnull=False)
        .order_by("-decided_at")
        .first()
    )
    if site_check is not None:
        stages["site_check"] = {
            "checked_at": site_check.checked_on or site_check.decided_at,
            "by": site_check.inspectors,
            "outcome": SiteCheckVerdict(site_check.verdict).label
            if site_check.verdict in SiteCheckVerdict.values
            else "",
            "notes": site_check.summary,
        }
    notice_entry = (
        NoticeEntry.objects.filter(submission=submission, withdrawn_at__isnull=True)
        .select_related("notice")
        .order_by("-notice__starts_on")
        .first()
    )
    if notice_entry is not None:
        objections = list(notice_entry.objections.values_list("status", flat=True))
        upheld = sum(status == ObjectionStatus.UPHELD for status in objections)
        stages["public_notice"] = {
            "starts_on": notice_entry.notice.starts_on,
            "ends_on": notice_entry.notice.ends_on,
            "objections": len(objections),
            "outcome": ngettext("%(count)d objection upheld", "%(count)d objections upheld", upheld)
            % {"count": upheld}
            if objections
            else "",
        }
        publication = getattr(notice_entry.notice, "publication", None)
        if publication is not None:
            stages["publication"] = {
                "decision_number": publication.decision_number,
                "published_at": publication.published_at,
            }
    return stages


def submission_report_html(
    *, submission: Submission, report: IssuedReport, with_charts: bool = True
) -> str:
    """The report as HTML for WeasyPrint, in the report's language."""
    with translation.override(report.language):
        data = report_selectors.submission_report_data(submission, with_peers=with_charts)
        issued_on = timezone.localtime(report.issued_at).date()
        url = verification_url(report.number)
        certification = data["certification"]
        revoked = certification is not None and certification.status == CertificationStatus.REVOKED
        context = {
            **data,
            **report_review_stages(submission),
            "narrative": report_narrative.narrative(data),
            "report": report,
            "issued_on": issued_on.isoformat(),
            "issued_on_formal": report_formal.chinese_date(issued_on),
            "issuer": report_formal.issuer_name(report.language),
            "seal": report_formal.seal_html(gettext("Seal of the issuing authority")),
            "canonical_sm3": verification.sm3_hex(
                canonical_json(report.canonical_data).encode("utf-8")
            ),
            "provisional": not report.certified,
            "revoked": revoked,
            "provisional_mark": REVOKED_MARK if revoked else PROVISIONAL_MARK,
            "verification_url": url,
            "qr_svg": _qr_svg(url),
            "charts": submission_report_charts(data) if with_charts else None,
            "footer_css": _footer_css(
                gettext("Report No. %(number)s") % {"number": report.number},
                gettext("Evaluation report · %(platform)s")
                % {"platform": submission.platform.name},
            ),
            "language_code": report.language,
            "generated_at": timezone.localtime(report.issued_at),
        }
        return render_to_string("reports/evaluation.html", context)


def submission_report_pdf(
    *,
    submission: Submission,
    language: str,
    user: User | None,
    with_charts: bool = True,
    signed: bool = True,
) -> tuple[IssuedReport, bytes]:
    """Issue (or re-use) the report number, render and sign the PDF, record the PDF's hash.

    The issued file is rendered once and then served from storage. ``signed=False`` only for
    the render benchmark (signed against unsigned in one run)."""
    from assessment.services import report_store

    report = report_issue(submission=submission, language=language, user=user)
    if with_charts and signed:  # the issued file: rendered once, then served from storage
        stored = report_store.stored_report_read(report=report, submission=submission)
        if stored is not None:
            return report, stored
    submission = report_selectors.report_submission_queryset().get(pk=submission.pk)
    html = submission_report_html(submission=submission, report=report, with_charts=with_charts)
    pdf = render_pdf(html)
    if signed:
        pdf = signing.pdf_sign(pdf)
    IssuedPdf.objects.get_or_create(
        report=report, sha256=sha256_hex(pdf), defaults={"size": len(pdf)}
    )
    if with_charts and signed:
        report_store.stored_report_save(report=report, submission=submission, pdf=pdf)
    return report, pdf


def report_filename(report: IssuedReport, submission: Submission) -> str:
    return f"{report.number}.pdf"


# --- Verification ------------------------------------------------------------------------------


def report_verify(
    *, number: str, sha256: str = "", signature: signing.SignatureCheck | None = None
) -> dict[str, Any]:
    """What the public verification page shows for a report number (and what was checked).

    ``facts_match``: the facts recomputed from the records now equal the issued ones (a
    revoked certification or a changed provisional score no longer matches).
    ``hash_match``: the given hash is the printed data hash (SHA-256 or SM3) or an issued
    PDF's SHA-256. ``signature``: the uploaded PDF's signature check, when a PDF was uploaded.
    ``public``: the report was issued as a certification in force; only then are the platform
    and organisation shown (a provisional or withdrawn submission is nobody's business).
    """
    report = report_selectors.issued_report_by_number(normalise_report_number(number))
    if report is None:
        raise NotFound("report_not_found", _("No report with this number was issued."))
    submission = report.submission
    current = {
        **document_facts(submission, report.language, report.document),
        "report_number": report.number,
    }
    current_hash = canonical_hash(current)
    issued_sm3 = verification.sm3_hex(canonical_json(report.canonical_data).encode("utf-8"))
    certification = report_selectors.certification_of(submission)
    given = (sha256 or "").strip().lower()
    hash_match = None
    matched = ""
    if given:
        if given == report.canonical_sha256:
            hash_match, matched = True, "data"
        elif given == issued_sm3:
            hash_match, matched = True, "data_sm3"
        elif report.pdfs.filter(sha256=given).exists():
            hash_match, matched = True, "pdf"
        else:
            hash_match = False
    status = current["certification"]["status"]
    revoked = status == CertificationStatus.REVOKED
    withdrawn = submission.state == "withdrawn"
    public = report.certified and not withdrawn
    # What was uploaded or pasted comes first: a mismatch is red whatever the record says.
    if hash_match is False or (signature is not None and not signature.valid):
        outcome = "mismatch"
    elif not public:
        outcome = "provisional"
    elif revoked:
        outcome = "revoked"
    elif current_hash != report.canonical_sha256:
        outcome = "changed"
    else:
        outcome = "genuine"
    return {
        "report": report,
        "document": report.document,
        "document_label": report.get_document_display(),
        "outcome": outcome,
        "public": public,
        "withdrawn": withdrawn,
        "platform": submission.platform.name if public else "",
        "organisation": submission.platform.organisation.name if public else "",
        "cycle": submission.cycle,
        "certified_at_issue": report.certified,
        "status": status,
        "revoked": revoked and public,
        "tier": certification.tier if certification and public else None,
        "tier_label": presentation.tier_label(certification.tier)
        if certification and public
        else "",
        "valid_until": certification.valid_until if certification and public else None,
        "revoked_at": certification.revoked_at if certification and revoked and public else None,
        "issued_sha256": report.canonical_sha256,
        "issued_sm3": issued_sm3,
        "current_sha256": current_hash,
        "current_sm3": verification.sm3_hex(canonical_json(current).encode("utf-8")),
        "facts_match": current_hash == report.canonical_sha256,
        "given_sha256": given,
        "hash_match": hash_match,
        "matched": matched,
        "signature": signature,
    }


# --- Regional report ---------------------------------------------------------------------------


def _regional_charts(data: dict[str, Any]) -> dict[str, SafeString]:
    tier_labels = [tier["label"] for tier in data["tiers"]]
    charts: dict[str, SafeString] = {}
    areas = [area for area in data["areas"] if area["total"]] or data["areas"]
    if areas:
        charts["areas"] = report_charts.as_image(
            report_charts.tier_distribution_bars(
                [area["name"] for area in areas], [area["counts"] for area in areas], tier_labels
            ),
            gettext("Certified platforms by area and tier"),
        )
    if data["region"] is None:
        tiles = [
            (area["short_name"],
             area["tile"][0], area["tile"][1], area["total"])
            for area in data["areas"]
            if area["tile"][0] is not None
        ]  # fmt: skip
        charts["map"] = report_charts.as_image(
            report_charts.tile_map(tiles, gettext("Certified platforms by province")),
            gettext("Map of certified platforms by province"),
        )
    if data["progress_values"]:
        charts["progress"] = report_charts.as_image(
            report_charts.progress_histogram(
                data["progress_values"],
                gettext("Progress index S (0–4)"),
                data.get("progress_results"),
            ),
            gettext("Distribution of the progress index S"),
        )
    return charts


def regional_report_pdf(*, cycle: AssessmentCycle, region: Region | None, language: str) -> bytes:
    language = _check_language(language)
    with translation.override(language):
        data = report_selectors.regional_report_data(cycle, region)
        scope = region.name if region is not None else gettext("Nation")
        reference = f"IIP-R-{cycle.code}-{region.code if region else '000000'}"
        generated = timezone.localtime()
        context = {
            **data,
            "scope": scope,
            "reference": reference,
            "generated_at": generated,
            "charts": _regional_charts(data),
            "narrative": report_narrative.regional_narrative(data, scope),
            "language_code": language,
            "footer_css": _footer_css(
                gettext("Regional report %(reference)s") % {"reference": reference},
                gettext("Regional report · %(scope)s · %(cycle)s")
                % {"scope": scope, "cycle": cycle.code},
            ),
        }
        html = render_to_string("reports/regional.html", context)
    return signing.pdf_sign(render_pdf(html))


def regional_report_region(*, user: User, region_code: str) -> Region | None:
    """The region a user may get a regional report for ('' = the nation); 404 otherwise."""
    if not report_selectors.can_request_regional_reports(user):
        raise NotFound("not_found", _("That page does not exist or you may not see it."))
    if not region_code:
        if report_selectors.can_see_nation(user):
            return None
        raise PermissionDenied(
            "nation_out_of_scope", _("Choose one of your regions."), field="region"
        )
    region = report_selectors.batch_regions(user).filter(code=region_code).first()
    if region is None:
        raise NotFound("not_found", _("That page does not exist or you may not see it."))
    return region


# --- Batches -----------------------------------------------------------------------------------


@transaction.atomic
def report_batch_request(
    *, user: User, region: Region, cycle: AssessmentCycle, language: str
) -> ReportBatch:
    """Queue a ZIP of every report of a region and cycle (the worker builds it)."""
    from assessment.tasks import report_batch_build_task

    language = _check_language(language)
    if not report_selectors.batch_regions(user).filter(pk=region.pk).exists():
        raise PermissionDenied(
            "region_out_of_scope", _("This region is outside your responsibility."), field="region"
        )
    running = ReportBatch.objects.filter(
        region=region,
        cycle=cycle,
        language=language,
        status__in=[ReportBatchStatus.QUEUED, ReportBatchStatus.RUNNING],
    ).exists()
    if running:
        raise ApplicationError(
            "batch_already_running",
            _("A batch for this region, cycle and language is already being prepared."),
            field="region",
        )
    total = report_selectors.regional_submissions(cycle, region).count()
    batch = ReportBatch.objects.create(
        token=os.urandom(16).hex(),
        region=region,
        cycle=cycle,
        language=language,
        total=total,
        requested_by=user,
    )

    def enqueue():
        result = report_batch_build_task.enqueue(batch.pk)
        ReportBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id))

    transaction.on_commit(enqueue)
    return batch


def report_batches_purge_expired() -> int:
    """Kept for callers of the old name: housekeeping expires batches now."""
    from assessment.services.report_batches import report_batches_expire

    return report_batches_expire()


def batch_download_name(batch: ReportBatch) -> str:
    return f"reports-{batch.cycle.code}-{batch.region_id}-{batch.language}.zip"
