"""The evaluation report of one submission: its HTML (charts, review stages, monitoring
history) and the issued, signed PDF."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from assessment import presentation
from assessment.models import (
    IssuedPdf,
    IssuedReport,
    Submission,
    User,
)
from assessment.models.reviews import CertificationStatus
from assessment.selectors import report_monitoring
from assessment.selectors import reports as report_selectors
from assessment.services import (
    report_charts,
    report_formal,
    report_narrative,
    signing,
    verification,
)
from assessment.services.reports.facts import canonical_json, report_issue, verification_url
from assessment.services.reports.render import _footer_css, _qr_svg, render_pdf, sha256_hex
from questionnaires.choices import TIER_COLOURS

PROVISIONAL_MARK = "暂定 PROVISIONAL"


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


def report_monitoring_history(submission: Submission) -> list[dict[str, Any]]:
    """The certification's monitoring years for 六、评审情况 (none before certification)."""
    certification = report_selectors.certification_of(submission)
    return report_monitoring.certification_monitoring_history(
        certification.pk if certification is not None else None
    )


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
        platform_name = submission.platform.display_name(report.language)
        context = {
            **data,
            **report_review_stages(submission),
            "platform_name": platform_name,
            "monitoring_history": report_monitoring_history(submission),
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
                gettext("Evaluation report · %(platform)s") % {"platform": platform_name},
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
