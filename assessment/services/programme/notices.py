"""The public notice (公示) of the proposed list, objections and their answers, and the
publication (公布) under a decision number that certifies the proposed tiers."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, PermissionDenied
from assessment.models import (
    CallForApplications,
    Certification,
    EventKind,
    NoticeEntry,
    Objection,
    ObjectionAttachment,
    ObjectionStatus,
    Publication,
    PublicNotice,
    Route,
    Submission,
    SubmissionState,
    User,
)
from assessment.models.reviews import CertificationStatus
from assessment.permissions import acts_for_province
from assessment.services.evidence_files import check_evidence_file
from assessment.services.programme.calls import proposal_withdraw
from assessment.services.programme.common import (
    call_for_submission,
    notice_period,
    province_of,
    require_not_proposer,
    required_text,
)
from assessment.services.workflow import record_event, submission_transition
from questionnaires.choices import Tier

S = SubmissionState
MAX_ATTACHMENTS = 5


def _require_level(actor: User, province_code: str | None) -> None:
    if not acts_for_province(actor, province_code=province_code):
        if province_code is None:
            raise PermissionDenied(
                "not_ministry", _("Only a ministry official may act on the ministry's notice.")
            )
        raise PermissionDenied(
            "not_provincial", _("Only the province's officials may act on its notice.")
        )


def notice_level(submission: Submission, call: CallForApplications) -> str | None:
    """The province whose notice lists the submission, or None for the ministry's notice."""
    province = province_of(submission)
    if province is None or call.route_for(submission.proposed_tier) == Route.MINISTRY:
        return None
    return province


def notice_candidates(call: CallForApplications, *, province_code: str | None) -> list[Submission]:
    """Submissions of the call in the notice stage at this level not yet on a live notice."""
    submissions = (
        Submission.objects.filter(cycle_id=call.cycle_id, state=S.PUBLIC_NOTICE)
        .exclude(
            Exists(
                NoticeEntry.objects.filter(
                    submission=OuterRef("pk"),
                    withdrawn_at__isnull=True,
                    notice__publication__isnull=True,
                )
            )
        )
        .select_related("platform__organisation", "platform__region")
        .order_by("id")
    )
    if province_code is not None:
        submissions = submissions.filter(platform__region__code__startswith=province_code[:2])
    return [
        submission
        for submission in submissions
        if submission.proposed_tier
        and call_for_submission(submission) == call
        and notice_level(submission, call) == province_code
    ]


@transaction.atomic
def notice_publish(
    *,
    actor: User,
    call: CallForApplications,
    province_code: str | None,
    submissions: list[Submission] | None = None,
    starts_on: date | None = None,
) -> PublicNotice:
    """Publish the proposed list for the call's notice period (working days, weekends
    skipped), from `starts_on` (today by default)."""
    _require_level(actor, province_code)
    candidates = {
        submission.pk: submission
        for submission in notice_candidates(call, province_code=province_code)
    }
    chosen = candidates if submissions is None else {}
    for submission in submissions or []:
        if submission.pk not in candidates:
            raise ApplicationError(
                "not_candidate",
                _("%(platform)s is not awaiting this notice.") % {"platform": submission.platform},
                field="submissions",
            )
        chosen[submission.pk] = candidates[submission.pk]
    if not chosen:
        raise ApplicationError(
            "nothing_to_list", _("No platform awaits a public notice at this level.")
        )
    first, last = notice_period(starts_on or timezone.localdate(), call.notice_working_days)
    notice = PublicNotice.objects.create(
        call=call, region_id=province_code, starts_on=first, ends_on=last, published_by=actor
    )
    for submission in Submission.objects.select_for_update().filter(pk__in=chosen).order_by("id"):
        entry = NoticeEntry.objects.create(
            notice=notice, submission=submission, proposed_tier=submission.proposed_tier
        )
        record_event(
            submission=submission,
            actor=actor,
            kind=EventKind.NOTICE_LISTED,
            detail={
                "notice": notice.pk,
                "entry": entry.pk,
                "tier": entry.proposed_tier,
                "from": first.isoformat(),
                "to": last.isoformat(),
            },
        )
    return notice


def notice_is_open(notice: PublicNotice, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return notice.starts_on <= today <= notice.ends_on and not hasattr_publication(notice)


def hasattr_publication(notice: PublicNotice) -> bool:
    return Publication.objects.filter(notice=notice).exists()


@transaction.atomic
def objection_file(
    *,
    entry: NoticeEntry,
    name: str,
    phone: str,
    text: str,
    organisation: str = "",
    email: str = "",
    files=(),
    today: date | None = None,
) -> Objection:
    """Anyone's objection to a listed platform, during the notice period, with contact
    details and attachments (checked like evidence)."""
    entry = NoticeEntry.objects.select_for_update().select_related("notice").get(pk=entry.pk)
    notice = entry.notice
    today = today or timezone.localdate()
    if not notice_is_open(notice, today):
        raise ApplicationError(
            "notice_closed",
            _("The notice period runs from %(start)s to %(end)s; objections are taken only then.")
            % {"start": notice.starts_on, "end": notice.ends_on},
        )
    if entry.withdrawn_at is not None:
        raise ApplicationError(
            "entry_withdrawn", _("This platform has been taken off the list already.")
        )
    name = required_text(name, field="name", message=_("Give your name."), max_length=100)
    phone = required_text(
        phone, field="phone", message=_("Give a phone number we can reach you at."), max_length=40
    )
    organisation = (organisation or "").strip()[:200]
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise ApplicationError(
                "invalid_email", _("Enter a valid email address."), field="email"
            ) from error
    text = required_text(text, field="text", message=_("Describe your objection and its grounds."))
    files = list(files or [])
    if len(files) > MAX_ATTACHMENTS:
        raise ApplicationError(
            "too_many_files",
            _("Attach at most %(count)d files.") % {"count": MAX_ATTACHMENTS},
            field="file",
        )
    checked = [(uploaded, check_evidence_file(uploaded)) for uploaded in files]
    objection = Objection.objects.create(
        entry=entry, name=name, phone=phone, organisation=organisation, email=email, text=text
    )
    for uploaded, facts in checked:
        attachment = ObjectionAttachment(
            objection=objection,
            original_name=facts.original_name,
            content_type=facts.content_type,
            size=facts.size,
            sha256=facts.sha256,
        )
        uploaded.seek(0)
        attachment.file.save(facts.sha256, uploaded, save=False)
        attachment.save()
    record_event(
        submission=entry.submission,
        actor=None,
        kind=EventKind.OBJECTION_FILED,
        note=text,
        detail={"objection": objection.pk, "notice": notice.pk, "attachments": len(checked)},
    )
    return objection


@transaction.atomic
def objection_answer(*, actor: User, objection: Objection, upheld: bool, answer: str) -> Objection:
    """The official answer: upheld takes the platform off the list and back to review;
    dismissed keeps it listed, with the reason."""
    objection = (
        Objection.objects.select_for_update()
        .select_related("entry__notice", "entry__submission__platform__organisation")
        .get(pk=objection.pk)
    )
    entry = objection.entry
    _require_level(actor, entry.notice.region_id)
    if objection.status != ObjectionStatus.OPEN:
        raise ApplicationError("already_answered", _("This objection is answered already."))
    answer = required_text(
        answer,
        field="answer",
        message=_("Write the answer (for a dismissal, the reason)."),
    )
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.answer = answer
    objection.answered_by = actor
    objection.answered_at = timezone.now()
    objection.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    submission = Submission.objects.select_for_update().get(pk=entry.submission_id)
    record_event(
        submission=submission,
        actor=actor,
        kind=EventKind.OBJECTION_ANSWERED,
        note=answer,
        detail={"objection": objection.pk, "outcome": objection.status},
    )
    if upheld and entry.withdrawn_at is None and submission.state == S.PUBLIC_NOTICE:
        entry.withdrawn_at = objection.answered_at
        entry.save(update_fields=["withdrawn_at"])
        proposal_withdraw(submission=submission)
        submission_transition(submission=submission, to_state=S.IN_REVIEW, actor=actor, note=answer)
    return objection


def decision_number(call: CallForApplications, *, year: int) -> tuple[str, int]:
    """The next decision number of `year` under the call's pattern."""
    pattern = call.decision_number_pattern
    used = Publication.objects.filter(
        published_at__year=year, notice__call__decision_number_pattern=pattern
    ).aggregate(top=Max("sequence"))
    sequence = (used["top"] or 0) + 1
    while True:
        number = pattern.format(year=year, number=sequence)
        if not Publication.objects.filter(decision_number=number).exists():
            return number, sequence
        sequence += 1


@transaction.atomic
def publication_issue(
    *, actor: User, notice: PublicNotice, today: date | None = None
) -> Publication:
    """Publish the final list once the notice has ended and every objection is answered: each
    listed platform is certified at its proposed tier, valid three years from today."""
    from assessment.services.reviews import _certify

    notice = PublicNotice.objects.select_for_update().select_related("call").get(pk=notice.pk)
    _require_level(actor, notice.region_id)
    today = today or timezone.localdate()
    if Publication.objects.filter(notice=notice).exists():
        raise ApplicationError("already_published", _("This notice is published already."))
    if today <= notice.ends_on:
        raise ApplicationError(
            "notice_running",
            _("The notice runs until %(date)s; publish after it has ended.")
            % {"date": notice.ends_on},
        )
    if Objection.objects.filter(entry__notice=notice, status=ObjectionStatus.OPEN).exists():
        raise ApplicationError(
            "objections_open", _("Answer every objection before the list is published.")
        )
    entries = list(
        notice.entries.filter(withdrawn_at__isnull=True).select_related("submission").order_by("id")
    )
    submissions = {
        submission.pk: submission
        for submission in Submission.objects.select_for_update()
        .filter(pk__in=[entry.submission_id for entry in entries])
        .select_related("platform__organisation", "rubric_version")
    }
    for submission in submissions.values():
        require_not_proposer(actor, submission)
    now = timezone.now()
    number, sequence = decision_number(notice.call, year=timezone.localdate(now).year)
    publication = Publication.objects.create(
        notice=notice,
        decision_number=number,
        sequence=sequence,
        published_by=actor,
        published_at=now,
    )
    for entry in entries:
        submission = submissions[entry.submission_id]
        if submission.state != S.PUBLIC_NOTICE:
            continue
        record_event(
            submission=submission,
            actor=actor,
            kind=EventKind.PUBLISHED,
            detail={
                "publication": publication.pk,
                "decision_number": number,
                "tier": entry.proposed_tier,
            },
        )
        if entry.proposed_tier not in Tier.values:
            submission_transition(submission=submission, to_state=S.NOT_CERTIFIED, actor=actor)
            continue
        certification = (
            Certification.objects.select_for_update().filter(submission=submission).first()
        )
        summary = getattr(submission, "score_summary", None)
        if certification is None:
            certification = Certification(
                submission=submission,
                rubric_label=submission.rubric_version.label,
                snapshot=summary.breakdown if summary is not None else {},
                proposed_by=submission.assigned_reviewer or actor,
                proposed_at=now,
            )
        certification.tier = entry.proposed_tier
        certification.status = CertificationStatus.IN_PROGRAMME
        certification.signed_off_by = actor
        certification.signed_off_at = now
        _certify(certification, actor=actor, locked=submission, now=now)
    return publication
