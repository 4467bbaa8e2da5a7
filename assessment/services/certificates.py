"""The one-page certificate (证书) of a certification in force, signed like every issued PDF.

It is issued under its own number (``IssuedReport.document = "certificate"``), so the public
verification page checks it like a report: scan the QR code, upload the PDF.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessment import presentation
from assessment.errors import ApplicationError
from assessment.models import IssuedDocument, IssuedPdf, IssuedReport, Submission, User
from assessment.selectors import reports as report_selectors
from assessment.services import report_formal, reports, signing


def certificate_in_force(submission: Submission):
    """The submission's certification when it is in force; otherwise an ApplicationError."""
    certification = report_selectors.certification_of(submission)
    if certification is None or not report_selectors.is_certified(submission):
        raise ApplicationError(
            "no_certification_in_force",
            _("A certificate exists only for a certification in force."),
        )
    return certification


def certificate_html(*, submission: Submission, report: IssuedReport) -> str:
    with translation.override(report.language):
        certification = certificate_in_force(submission)
        url = reports.verification_url(report.number)
        issued_on = timezone.localtime(report.issued_at).date()
        context = {
            "report": report,
            "platform": submission.platform,
            "platform_name": submission.platform.display_name(report.language),
            "organisation": submission.platform.organisation,
            "cycle": submission.cycle,
            "kind_label": submission.get_platform_kind_display(),
            "certification": certification,
            "tier_label": presentation.tier_label(certification.tier),
            "tier": certification.tier,
            "certified_on": report_formal.chinese_date(
                timezone.localtime(certification.certified_at).date()
                if certification.certified_at
                else None
            ),
            "valid_until": report_formal.chinese_date(certification.valid_until),
            "decision_number": reports.report_review_stages(submission)
            .get("publication", {})
            .get("decision_number", ""),
            "issuer": report_formal.issuer_name(report.language),
            "seal": report_formal.seal_html(gettext("Seal of the issuing authority")),
            "issued_on": report_formal.chinese_date(issued_on),
            "verification_url": url,
            "qr_svg": reports._qr_svg(url),
            "language_code": report.language,
            "footer_css": reports._footer_css(
                gettext("Certificate No. %(number)s") % {"number": report.number}, ""
            ),
        }
        return render_to_string("reports/certificate.html", context)


def certificate_pdf(
    *, submission: Submission, language: str, user: User | None
) -> tuple[IssuedReport, bytes]:
    """Issue (or re-use) the certificate's number, render and sign it, record its hash."""
    certificate_in_force(submission)
    report = reports.report_issue(
        submission=submission,
        language=language,
        user=user,
        document=IssuedDocument.CERTIFICATE,
    )
    submission = report_selectors.report_submission_queryset().get(pk=submission.pk)
    pdf = signing.pdf_sign(
        reports.render_pdf(certificate_html(submission=submission, report=report))
    )
    IssuedPdf.objects.get_or_create(
        report=report, sha256=reports.sha256_hex(pdf), defaults={"size": len(pdf)}
    )
    return report, pdf
