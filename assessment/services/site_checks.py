"""On-site checks (现场核查) of leading and ecosystem applicants after their expert panel.

A national reviewer opens a check; its checklist is generated from the gates and the numeric
criteria of the tier judged; each item gets a finding (confirmed on site or not, with notes);
photos and documents go through the same checks as evidence; the verdict passes the submission
to the public notice or returns it to expert review with the findings.
"""

from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from assessment.models import (
    Answer,
    EventKind,
    PanelState,
    PanelSubmission,
    Role,
    SiteCheck,
    SiteCheckFile,
    SiteCheckItem,
    SiteCheckItemKind,
    SiteCheckItemStatus,
    SiteCheckVerdict,
    Submission,
    SubmissionState,
    User,
)
from assessment.permissions import visible_submissions
from assessment.services.evidence_files import check_evidence_file
from assessment.services.inputs import checked_file_fields, clean_text
from assessment.services.panels import judged_tier, proposers_of
from assessment.services.workflow import lock_submission, record_event, submission_transition
from questionnaires.choices import Tier
from questionnaires.rubric import QuestionType
from questionnaires.selectors import rubric_of

S = SubmissionState
SITE_CHECK_TIERS = (Tier.LEADING, Tier.ECOSYSTEM)
NUMERIC_TYPES = (QuestionType.NUMERIC, QuestionType.PERCENTAGE)


def _require_inspector(actor: User, submission: Submission) -> None:
    if actor.role != Role.REVIEWER or not actor.is_national:
        raise PermissionDenied(
            "not_site_inspector", _("National reviewers carry out on-site checks.")
        )
    if not visible_submissions(actor).filter(pk=submission.pk).exists():
        raise NotFound("not_found", _("That page does not exist or you may not see it."))
    if actor.pk in proposers_of([submission.pk]):
        raise PermissionDenied(
            "proposer", _("You proposed this submission's tier; someone else checks it on site.")
        )


def checklist_items(submission: Submission, tier: str) -> list[SiteCheckItem]:
    """Unsaved checklist items: every gate and every numeric criterion of `tier` for the kind,
    with the value the panel accepted (its corrected value, else the operator's answer)."""
    rubric = rubric_of(submission.rubric_version)
    kind = submission.platform_kind
    answers = dict(
        Answer.objects.filter(submission=submission).values_list("question_code", "value")
    )
    last_entry = (
        PanelSubmission.objects.filter(submission=submission, panel__state=PanelState.CONCLUDED)
        .order_by("-panel__concluded_at", "-id")
        .first()
    )
    majority = (last_entry.majority or {}) if last_entry else {}
    items = []
    for indicator in rubric.indicators:
        criterion = indicator.criterion(tier)
        if criterion is None or not indicator.applies_to(kind):
            continue
        if criterion.gate:
            item_kind = SiteCheckItemKind.GATE
        elif indicator.type in NUMERIC_TYPES:
            item_kind = SiteCheckItemKind.NUMERIC
        else:
            continue
        declared = answers.get(indicator.code)
        decided = majority.get(indicator.code) or {}
        if decided.get("decision") == "corrected":
            declared = decided.get("value")
        target = criterion.target_for(kind)
        items.append(
            SiteCheckItem(
                question_code=indicator.code,
                kind=item_kind,
                declared=declared,
                target="" if target is None else f"{target.normalize():f}",
                order=len(items) + 1,
            )
        )
    return items


@transaction.atomic
def site_check_open(
    *, actor: User, submission: Submission, checked_on: date | None = None, inspectors: str = ""
) -> SiteCheck:
    """Open an on-site check with its checklist for a submission waiting for one."""
    locked = lock_submission(submission.pk)
    _require_inspector(actor, locked)
    if locked.state != S.SITE_CHECK:
        raise ApplicationError(
            "wrong_state", _("This submission is not waiting for an on-site check.")
        )
    if SiteCheck.objects.filter(submission=locked, verdict="").exists():
        raise Conflict("check_open", _("An on-site check of this submission is already open."))
    tier = judged_tier(locked)
    if tier not in SITE_CHECK_TIERS:
        raise ApplicationError(
            "no_site_check", _("Only leading and ecosystem applications are checked on site.")
        )
    if checked_on is not None and checked_on > timezone.localdate():
        raise ApplicationError(
            "future_date", _("Enter the date the check took place."), field="checked_on"
        )
    site_check = SiteCheck.objects.create(
        submission=locked,
        tier=tier,
        checked_on=checked_on,
        inspectors=clean_text(inspectors, field="inspectors"),
        created_by=actor,
    )
    items = checklist_items(locked, tier)
    for item in items:
        item.site_check = site_check
    SiteCheckItem.objects.bulk_create(items)
    record_event(
        submission=locked,
        actor=actor,
        kind=EventKind.SITE_CHECK,
        detail={"action": "opened", "site_check": site_check.pk, "items": len(items)},
    )
    return site_check


def _lock_open_check(actor: User, site_check: SiteCheck) -> SiteCheck:
    locked = SiteCheck.objects.select_for_update().get(pk=site_check.pk)
    _require_inspector(actor, locked.submission)
    if locked.verdict:
        raise ApplicationError(
            "check_decided", _("This on-site check has its verdict; nothing can change any more.")
        )
    return locked


@transaction.atomic
def site_check_record_finding(
    *, actor: User, item: SiteCheckItem, status: str, finding: str = ""
) -> SiteCheckItem:
    """Record what was found on site for one checklist item."""
    _lock_open_check(actor, item.site_check)
    if status not in SiteCheckItemStatus.values:
        raise ApplicationError(
            "bad_finding", _("Choose confirmed or not confirmed."), field="status"
        )
    finding = clean_text(finding, field="finding")
    if status == SiteCheckItemStatus.NOT_CONFIRMED and not finding:
        raise ApplicationError("required", _("Describe what was found instead."), field="finding")
    before = {"status": item.status, "finding": item.finding}
    item.status = status
    item.finding = finding
    item.save(update_fields=["status", "finding"])
    record_event(
        submission=item.site_check.submission,
        actor=actor,
        kind=EventKind.SITE_CHECK,
        question_code=item.question_code,
        detail={"action": "finding", "before": before, "after": {"status": status}},
    )
    return item


@transaction.atomic
def site_check_attach(
    *,
    actor: User,
    site_check: SiteCheck,
    uploaded_file: UploadedFile,
    item: SiteCheckItem | None = None,
) -> SiteCheckFile:
    """Attach a photo or document, checked exactly like evidence files."""
    locked = _lock_open_check(actor, site_check)
    if item is not None and item.site_check_id != locked.pk:
        raise NotFound("not_found", _("That page does not exist or you may not see it."))
    checked = check_evidence_file(uploaded_file)
    attachment = SiteCheckFile(
        site_check=locked,
        item=item,
        uploaded_by=actor,
        **checked_file_fields(checked),
    )
    attachment.file.save(checked.sha256, uploaded_file, save=False)
    attachment.save()
    record_event(
        submission=locked.submission,
        actor=actor,
        kind=EventKind.SITE_CHECK,
        question_code=item.question_code if item else "",
        detail={"action": "file", "name": checked.original_name, "sha256": checked.sha256},
    )
    return attachment


@transaction.atomic
def site_check_decide(
    *, actor: User, site_check: SiteCheck, verdict: str, summary: str = ""
) -> SiteCheck:
    """The verdict: passed → public notice; failed → back to expert review with the findings."""
    locked = _lock_open_check(actor, site_check)
    if verdict not in SiteCheckVerdict.values:
        raise ApplicationError("bad_verdict", _("Choose passed or failed."), field="verdict")
    items = list(locked.items.all())
    open_items = [item.question_code for item in items if not item.status]
    if open_items:
        raise ApplicationError(
            "findings_missing",
            _("Record a finding for every item first; still open: %(codes)s.")
            % {"codes": ", ".join(open_items)},
            field="verdict",
        )
    not_confirmed = [
        item.question_code for item in items if item.status == SiteCheckItemStatus.NOT_CONFIRMED
    ]
    if verdict == SiteCheckVerdict.PASSED and not_confirmed:
        raise ApplicationError(
            "verdict_contradicts_findings",
            _("A check with items not confirmed on site cannot pass: %(codes)s.")
            % {"codes": ", ".join(not_confirmed)},
            field="verdict",
        )
    summary = clean_text(
        summary,
        field="summary",
        required_message=(
            _("Summarise the findings for the panel.")
            if verdict == SiteCheckVerdict.FAILED
            else None
        ),
    )
    submission = lock_submission(locked.submission_id)
    now = timezone.now()
    locked.verdict = verdict
    locked.summary = summary
    locked.decided_by = actor
    locked.decided_at = now
    locked.save(update_fields=["verdict", "summary", "decided_by", "decided_at"])
    findings = [
        {"code": item.question_code, "status": item.status, "finding": item.finding}
        for item in items
        if item.status == SiteCheckItemStatus.NOT_CONFIRMED
    ]
    record_event(
        submission=submission,
        actor=actor,
        kind=EventKind.SITE_CHECK,
        note=summary,
        detail={"action": "verdict", "verdict": verdict, "findings": findings},
    )
    to_state = S.PUBLIC_NOTICE if verdict == SiteCheckVerdict.PASSED else S.EXPERT_REVIEW
    submission_transition(
        submission=submission,
        to_state=to_state,
        actor=actor,
        note=summary,
        detail={"site_check": locked.pk, "verdict": verdict, "findings": findings},
    )
    return locked


__all__ = [
    "checklist_items",
    "site_check_attach",
    "site_check_decide",
    "site_check_open",
    "site_check_record_finding",
]
