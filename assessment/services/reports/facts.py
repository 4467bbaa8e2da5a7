"""Report numbers, the canonical facts a report states, and the public verification of an issued
number against the facts recomputed from the records now."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessment import presentation
from assessment.errors import ApplicationError, NotFound
from assessment.models import (
    IssuedDocument,
    IssuedReport,
    Submission,
    User,
)
from assessment.models.reviews import CertificationStatus
from assessment.selectors import report_monitoring
from assessment.selectors import reports as report_selectors
from assessment.services import (
    signing,
    verification,
)
from assessment.services.report_numbers import (
    new_report_number,
    normalise_report_number,
)
from assessment.services.reports.render import REPORT_LANGUAGES, sha256_hex
from questionnaires.choices import TIER_ORDER

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
        "platform": platform.display_name(language),
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
    } | _monitoring_facts(certification if status != "provisional" else None)


def _monitoring_facts(certification) -> dict[str, Any]:
    """The monitoring years a report prints are facts it states, so a decision taken after
    issue gives the next report a new number (and a new file). Absent without history, so
    numbers issued before monitoring existed keep verifying."""
    if certification is None:
        return {}
    history = report_monitoring.certification_monitoring_history(certification.pk)
    return {"monitoring": report_monitoring.monitoring_facts(history)} if history else {}


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
        # A certificate prints the tier and its validity, not the monitoring years (a
        # downgrade or revocation changes those facts anyway).
        facts.pop("monitoring", None)
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
