"""The review desk's writes: assignment, per-indicator decisions, revision requests,
certification with its national sign-off, revocation, and conflict-of-interest declarations.

Every function re-reads the submission under a row lock, checks who is acting (through
assessment.permissions), the submission's state and the input, and refuses with an
ApplicationError that changes nothing. Every change is a SubmissionEvent with before/after;
every change to decisions is followed by a rescore.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from assessment.models import (
    Answer,
    Certification,
    ConflictDeclaration,
    EventKind,
    Evidence,
    Organisation,
    ReviewDecision,
    Role,
    Submission,
    SubmissionState,
    User,
)
from assessment.models.reviews import CertificationStatus
from assessment.models.submissions import ReviewDecisionKind
from assessment.permissions import can_review_submission, visible_organisations
from assessment.selectors.reviews import missing_required_checks
from assessment.services import notifications, programme
from assessment.services.dashboard_cache import dashboard_cache_invalidate
from assessment.services.inputs import clean_text
from assessment.services.scoring import submission_rescore
from assessment.services.submissions import MAX_NUMBER
from assessment.services.workflow import lock_submission, record_event, submission_transition
from questionnaires.choices import Tier
from questionnaires.rubric import AnswerError, validate_answer
from questionnaires.selectors import rubric_of

S = SubmissionState
#: States in which a submission can be (re)assigned to a reviewer.
ASSIGNABLE_STATES = (S.SUBMITTED, S.IN_REVIEW, S.REVISION_REQUESTED, S.RESUBMITTED)
#: Tiers a provincial reviewer certifies alone; the others need a national sign-off.
PROVINCIAL_TIERS = (Tier.BASIC, Tier.GROWTH)
VALIDITY_YEARS = 3
REASON_MAX_LENGTH = 2000


# --- Who may act ---------------------------------------------------------------------------------


def _refusal(user: User, submission: Submission) -> ApplicationError:
    """Why `user` may not review `submission`, in words they can act on."""
    if not user.is_authenticated or user.role != Role.REVIEWER:
        return PermissionDenied("not_reviewer", _("Only reviewers may review submissions."))
    organisation_id = submission.platform.organisation_id
    if user.organisation_id and user.organisation_id == organisation_id:
        return PermissionDenied(
            "own_organisation",
            _("You belong to the organisation that operates this platform; you may not review it."),
        )
    if user.conflicts.filter(organisation_id=organisation_id).exists():
        return PermissionDenied(
            "conflict_of_interest",
            _("You declared a conflict of interest with this organisation; you may not review it."),
        )
    return PermissionDenied(
        "outside_regions", _("This submission is outside the regions you review.")
    )


def _require_can_review(user: User, submission: Submission) -> None:
    if not can_review_submission(user, submission):
        raise _refusal(user, submission)


def _require_assigned(user: User, submission: Submission) -> None:
    _require_can_review(user, submission)
    if submission.assigned_reviewer_id != user.pk:
        raise PermissionDenied(
            "not_assigned",
            _("This submission is not assigned to you; assign it to yourself first."),
        )


def _require_state(submission: Submission, *states: str, action) -> None:
    if submission.state not in states:
        raise ApplicationError(
            "wrong_state",
            _("You cannot %(action)s while the submission is “%(state)s”.")
            % {"action": action, "state": S(submission.state).label},
        )


def _certification(submission: Submission, *, lock: bool = False) -> Certification | None:
    certifications = Certification.objects.filter(submission=submission)
    if lock:
        certifications = certifications.select_for_update()
    return certifications.first()


def _require_no_pending_sign_off(submission: Submission) -> None:
    certification = _certification(submission)
    if certification is not None and certification.status == CertificationStatus.IN_PROGRAMME:
        raise ApplicationError(
            "proposed_in_programme",
            _(
                "The tier of this submission is proposed and on the programme's route; "
                "nothing can change unless it is returned to the province."
            ),
        )
    if certification is not None and certification.status == CertificationStatus.AWAITING_SIGN_OFF:
        raise ApplicationError(
            "awaiting_sign_off",
            _(
                "A certification of this submission awaits the national sign-off; "
                "nothing can change until it is signed off or declined."
            ),
        )


def _required_text(value: str, *, field: str, message) -> str:
    return clean_text(value, field=field, required_message=message, max_length=REASON_MAX_LENGTH)


def _person(user: User | None) -> dict | None:
    return None if user is None else {"id": user.pk, "name": str(user), "email": user.email}


# --- Assignment ----------------------------------------------------------------------------------


@transaction.atomic
def review_assign(*, actor: User, submission: Submission, reviewer: User) -> Submission:
    """Assign a reviewer: to oneself, or (a lead reviewer or an administrator) to anyone who
    may review the submission."""
    locked = lock_submission(submission.pk)
    _require_state(locked, *ASSIGNABLE_STATES, action=_("assign a reviewer"))
    if reviewer.pk == actor.pk:
        _require_can_review(actor, locked)
        taken = locked.assigned_reviewer_id not in (None, actor.pk)
        if taken and not actor.is_lead_reviewer:
            raise Conflict(
                "already_assigned",
                _("%(reviewer)s already reviews this submission; ask your lead to reassign it.")
                % {"reviewer": locked.assigned_reviewer},
            )
    else:
        if not (actor.is_admin or (actor.role == Role.REVIEWER and actor.is_lead_reviewer)):
            raise PermissionDenied(
                "not_lead", _("Only a lead reviewer may assign submissions to others.")
            )
        if not actor.is_admin:
            _require_can_review(actor, locked)
        if not can_review_submission(reviewer, locked):
            raise ApplicationError(
                "reviewer_not_eligible",
                _(
                    "%(reviewer)s may not review this submission (outside their regions, "
                    "their own organisation, or a declared conflict of interest)."
                )
                % {"reviewer": reviewer},
                field="reviewer",
            )
    before = locked.assigned_reviewer
    if before is not None and before.pk == reviewer.pk:
        return locked
    locked.assigned_reviewer = reviewer
    locked.save(update_fields=["assigned_reviewer", "updated_at"])
    record_event(
        submission=locked,
        actor=actor,
        kind=EventKind.ASSIGNED,
        detail={"before": _person(before), "after": _person(reviewer)},
    )
    notifications.notify_assigned(submission=locked, reviewer=reviewer, actor=actor)
    submission.assigned_reviewer = reviewer
    return locked


@transaction.atomic
def review_start(*, actor: User, submission: Submission) -> Submission:
    """The assigned reviewer opens a (re)submitted questionnaire: it becomes “in review”."""
    locked = lock_submission(submission.pk)
    _require_assigned(actor, locked)
    _require_state(locked, S.SUBMITTED, S.RESUBMITTED, action=_("start a review"))
    if locked.review_round == 0:
        locked.review_round = 1
        locked.save(update_fields=["review_round", "updated_at"])
    submission_transition(submission=locked, to_state=S.IN_REVIEW, actor=actor)
    submission.state = locked.state
    submission.review_round = locked.review_round
    return locked


# --- Decisions -----------------------------------------------------------------------------------

_ANSWER_ERRORS = {
    "missing": _("Enter the value the evidence supports."),
    "not_boolean": _("Choose yes or no."),
    "not_an_anchor": _("Choose one of the four levels."),
    "anchor_out_of_range": _("Choose one of the four levels."),
    "not_a_number": _("Enter a number."),
    "negative": _("Enter a number of 0 or more."),
    "over_100": _("Enter a percentage between 0 and 100."),
    "single_choice_only": _("Choose one option only."),
    "unknown_option": _("Choose one of the listed options."),
    "duplicate_option": _("Choose each option once."),
    "exclusive_option": _("“None” cannot be combined with other options."),
}


def _storable(value: Any) -> Any:
    """A normalised answer value as JSON: Decimals become int or float (exact for the input)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _decision_summary(decision: ReviewDecision | None) -> dict | None:
    if decision is None:
        return None
    return {
        "decision": decision.decision,
        "reason": decision.reason,
        "corrected_value": decision.corrected_value,
        "round": decision.review_round,
        "reviewer": decision.reviewer_id,
    }


@transaction.atomic
def review_decide(
    *,
    actor: User,
    submission: Submission,
    question_code: str,
    decision: str,
    reason: str = "",
    corrected_value: Any = None,
) -> ReviewDecision:
    """Record the assigned reviewer's decision on one indicator: verified, rejected (with a
    reason) or a corrected value (the value the evidence supports). It supersedes the previous
    decision on that indicator, and the submission is rescored."""
    locked = lock_submission(submission.pk)
    _require_assigned(actor, locked)
    _require_state(locked, S.IN_REVIEW, action=_("record decisions"))
    _require_no_pending_sign_off(locked)
    rubric = rubric_of(locked.rubric_version)
    if not rubric.has_indicator(question_code):
        raise ApplicationError(
            "unknown_indicator",
            _("%(code)s is not an indicator of rubric %(rubric)s.")
            % {"code": question_code, "rubric": rubric.label},
            field="question_code",
        )
    indicator = rubric.indicator(question_code)
    if not indicator.applies_to(locked.platform_kind):
        raise ApplicationError(
            "indicator_not_applicable",
            _("%(code)s does not apply to this kind of platform.") % {"code": question_code},
            field="question_code",
        )
    answer = Answer.objects.filter(submission=locked, question_code=question_code).first()
    if answer is None or answer.value is None:
        raise ApplicationError(
            "not_answered",
            _("%(code)s is not answered: there is nothing to verify. Request a revision instead.")
            % {"code": question_code},
            field="question_code",
        )
    reason = (reason or "").strip()[:REASON_MAX_LENGTH]
    stored_value = None
    if decision == ReviewDecisionKind.REJECTED:
        reason = _required_text(
            reason, field="reason", message=_("Give the reason for rejecting the evidence.")
        )
    elif decision == ReviewDecisionKind.CORRECTED:
        try:
            normalised = validate_answer(indicator, corrected_value)
            # The operator's upper bound holds for a reviewer's correction too.
            if isinstance(normalised, Decimal) and normalised > MAX_NUMBER:
                raise AnswerError("too_large", {"value": str(corrected_value)[:40]})
            stored_value = _storable(normalised)
        except AnswerError as error:
            raise ApplicationError(
                error.code,
                _ANSWER_ERRORS.get(error.code, _("This value is not valid for %(code)s."))
                % {"code": question_code},
                field="corrected_value",
                params=error.message_params,
            ) from error
    elif decision != ReviewDecisionKind.VERIFIED:
        raise ApplicationError(
            "unknown_decision",
            _("Choose verified, rejected or corrected value."),
            field="decision",
        )
    previous = list(
        ReviewDecision.objects.select_for_update().filter(
            submission=locked, question_code=question_code, is_current=True
        )
    )
    ReviewDecision.objects.filter(pk__in=[d.pk for d in previous]).update(is_current=False)
    created = ReviewDecision.objects.create(
        submission=locked,
        question_code=question_code,
        decision=decision,
        reason=reason,
        corrected_value=stored_value,
        review_round=locked.review_round,
        reviewer=actor,
    )
    record_event(
        submission=locked,
        actor=actor,
        kind=EventKind.DECISION,
        question_code=question_code,
        note=reason,
        detail={
            "before": _decision_summary(previous[-1] if previous else None),
            "after": _decision_summary(created),
            "answer": answer.value,
        },
    )
    submission_rescore(submission=locked)
    return created


# --- Revision ------------------------------------------------------------------------------------


@transaction.atomic
def review_request_revision(
    *, actor: User, submission: Submission, question_codes: list[str], message: str
) -> Submission:
    """Send the submission back to its operator with the questions to fix and a message.

    Exactly the named questions are reopened (the others close); the answers and evidence as
    they stand are kept in the event, so the next round shows what changed.
    """
    locked = lock_submission(submission.pk)
    _require_assigned(actor, locked)
    _require_state(locked, S.IN_REVIEW, action=_("request a revision"))
    _require_no_pending_sign_off(locked)
    rubric = rubric_of(locked.rubric_version)
    known = [p.code for p in rubric.preconditions] + [
        indicator.code
        for indicator in rubric.indicators
        if indicator.applies_to(locked.platform_kind)
    ]
    codes = [code for code in known if code in set(question_codes)]
    unknown = sorted(set(question_codes) - set(known))
    if unknown:
        raise ApplicationError(
            "unknown_indicator",
            _("Not questions of this questionnaire: %(codes)s.") % {"codes": ", ".join(unknown)},
            field="question_codes",
        )
    if not codes:
        raise ApplicationError(
            "required",
            _("Choose at least one indicator for the operator to revise."),
            field="question_codes",
        )
    message = _required_text(message, field="message", message=_("Tell the operator what to fix."))
    answers = {
        code: value
        for code, value in Answer.objects.filter(
            submission=locked, question_code__in=codes
        ).values_list("question_code", "value")
    }
    evidence: dict[str, list[int]] = {code: [] for code in codes}
    for code, evidence_id in (
        Evidence.objects.filter(
            submission=locked, question_code__in=codes, is_current=True, removed_at__isnull=True
        )
        .order_by("id")
        .values_list("question_code", "id")
    ):
        evidence[code].append(evidence_id)
    # A question never answered gets an empty answer row, so it can be reopened too.
    Answer.objects.bulk_create(
        [
            Answer(submission=locked, question_code=code, value=None, updated_by=actor)
            for code in codes
            if code not in answers
        ]
    )
    Answer.objects.filter(submission=locked).exclude(question_code__in=codes).update(reopened=False)
    Answer.objects.filter(submission=locked, question_code__in=codes).update(reopened=True)
    locked.review_round += 1
    locked.save(update_fields=["review_round", "updated_at"])
    submission_transition(
        submission=locked, to_state=S.REVISION_REQUESTED, actor=actor, note=message
    )
    record_event(
        submission=locked,
        actor=actor,
        kind=EventKind.REVISION_REQUESTED,
        note=message,
        detail={
            "questions": codes,
            "round": locked.review_round,
            "answers": {code: answers.get(code) for code in codes},
            "evidence": evidence,
        },
    )
    notifications.notify_revision_requested(submission=locked, codes=codes, message=message)
    submission.state = locked.state
    submission.review_round = locked.review_round
    return locked


# --- Certification -------------------------------------------------------------------------------


def valid_until(certified_on: date) -> date:
    """The last day a certification is valid: the same date three years on (28 Feb for 29 Feb)."""
    try:
        return certified_on.replace(year=certified_on.year + VALIDITY_YEARS)
    except ValueError:
        return certified_on.replace(year=certified_on.year + VALIDITY_YEARS, day=28)


def _require_checks_done(submission: Submission, result) -> None:
    missing = missing_required_checks(submission=submission, result=result)
    if missing:
        raise ApplicationError(
            "checks_missing",
            _("These required checks have no decision yet: %(codes)s.")
            % {"codes": ", ".join(missing)},
            params={"missing": missing},
        )


def _certify(certification: Certification, *, actor: User, locked: Submission, now) -> None:
    certification.status = CertificationStatus.CERTIFIED
    certification.certified_at = now
    certification.valid_until = valid_until(timezone.localdate(now))
    certification.save()
    submission_transition(submission=locked, to_state=S.CERTIFIED, actor=actor)
    record_event(
        submission=locked,
        actor=actor,
        kind=EventKind.CERTIFIED,
        detail={
            "tier": certification.tier,
            "rubric": certification.rubric_label,
            "valid_until": certification.valid_until.isoformat(),
            "progress_index": certification.snapshot.get("progress_index"),
        },
    )
    extra = [certification.proposed_by] if certification.signed_off_by_id else []
    notifications.notify_certified(
        submission=locked,
        tier_label=Tier(certification.tier).label,
        valid_until=certification.valid_until,
        extra=extra,
    )


@transaction.atomic
def certification_propose(*, actor: User, submission: Submission) -> Certification:
    """Propose the tier the engine computes. Basic and growth are certified at once (the
    provincial reviewer's decision); leading and ecosystem await a national sign-off."""
    locked = lock_submission(submission.pk)
    _require_assigned(actor, locked)
    _require_state(locked, S.IN_REVIEW, action=_("certify"))
    if _certification(locked, lock=True) is not None:
        raise Conflict(
            "already_proposed", _("This submission already has a certification or a proposal.")
        )
    result = submission_rescore(submission=locked)
    _require_checks_done(locked, result)
    if result.result not in Tier.values:
        raise ApplicationError(
            "not_rated",
            _(
                "With the decisions so far the platform achieves no tier; "
                "there is nothing to certify."
            ),
        )
    call = programme.call_for_submission(locked)
    if call is not None:  # the programme's route replaces the national sign-off
        certification = programme.provincial_review_complete(
            actor=actor, submission=locked, result=result, call=call
        )
        submission.state = locked.state
        return certification
    now = timezone.now()
    certification = Certification(
        submission=locked,
        tier=result.result,
        status=CertificationStatus.AWAITING_SIGN_OFF,
        rubric_label=locked.rubric_version.label,
        snapshot=result.to_dict(),
        proposed_by=actor,
        proposed_at=now,
    )
    try:
        with transaction.atomic():
            certification.save()
    except IntegrityError as error:
        raise Conflict(
            "already_proposed", _("This submission already has a certification or a proposal.")
        ) from error
    record_event(
        submission=locked,
        actor=actor,
        kind=EventKind.CERTIFICATION_PROPOSED,
        detail={
            "tier": certification.tier,
            "progress_index": certification.snapshot["progress_index"],
            "needs_sign_off": certification.tier not in PROVINCIAL_TIERS,
        },
    )
    if certification.tier in PROVINCIAL_TIERS:
        _certify(certification, actor=actor, locked=locked, now=now)
    else:
        notifications.notify_sign_off_requested(
            submission=locked, tier_label=Tier(certification.tier).label, proposer=actor
        )
    submission.state = locked.state
    return certification


def _lock_certification(certification: Certification) -> tuple[Certification, Submission]:
    locked = lock_submission(certification.submission_id)
    current = Certification.objects.select_for_update().get(pk=certification.pk)
    return current, locked


def _require_second_signer(actor: User, certification: Certification, locked: Submission):
    if not (actor.is_authenticated and actor.role == Role.REVIEWER and actor.is_national):
        raise PermissionDenied(
            "not_national", _("Only a national-level reviewer may sign off this tier.")
        )
    if certification.proposed_by_id == actor.pk:
        raise PermissionDenied(
            "same_reviewer",
            _("The sign-off must come from a reviewer other than the one who proposed it."),
        )
    _require_can_review(actor, locked)
    if certification.status != CertificationStatus.AWAITING_SIGN_OFF:
        raise ApplicationError(
            "not_awaiting_sign_off", _("This certification is not awaiting a sign-off.")
        )


@transaction.atomic
def certification_sign_off(*, actor: User, certification: Certification) -> Certification:
    """A national reviewer's second signature on a leading or ecosystem proposal: the tier is
    certified with a fresh snapshot of the score it rests on."""
    current, locked = _lock_certification(certification)
    _require_second_signer(actor, current, locked)
    result = submission_rescore(submission=locked)
    _require_checks_done(locked, result)
    if result.result != current.tier:
        raise Conflict(
            "score_changed",
            _(
                "The score no longer gives the proposed tier (%(proposed)s, now %(now)s); "
                "decline the sign-off so the reviewer can propose again."
            )
            % {"proposed": Tier(current.tier).label, "now": result.result},
        )
    now = timezone.now()
    current.snapshot = result.to_dict()
    current.signed_off_by = actor
    current.signed_off_at = now
    record_event(
        submission=locked,
        actor=actor,
        kind=EventKind.SIGNED_OFF,
        detail={"tier": current.tier, "outcome": "signed", "proposed_by": current.proposed_by_id},
    )
    _certify(current, actor=actor, locked=locked, now=now)
    return current


@transaction.atomic
def certification_decline(*, actor: User, certification: Certification, reason: str) -> None:
    """A national reviewer declines to sign off; the proposal is withdrawn and the submission
    stays in review with its proposer."""
    current, locked = _lock_certification(certification)
    _require_second_signer(actor, current, locked)
    reason = _required_text(
        reason, field="reason", message=_("Give the reason for declining the sign-off.")
    )
    record_event(
        submission=locked,
        actor=actor,
        kind=EventKind.SIGNED_OFF,
        note=reason,
        detail={"tier": current.tier, "outcome": "declined", "proposed_by": current.proposed_by_id},
    )
    proposer = current.proposed_by
    current.delete()
    notifications.notify_sign_off_declined(submission=locked, proposer=proposer, reason=reason)


@transaction.atomic
def certification_revoke(
    *, actor: User, certification: Certification, reason: str
) -> Certification:
    """Revoke a certification with a reason; it stays on record as revoked."""
    current, locked = _lock_certification(certification)
    if not actor.is_admin:
        _require_can_review(actor, locked)
        if not (actor.is_national or actor.is_lead_reviewer):
            raise PermissionDenied(
                "not_lead",
                _(
                    "Only a lead or national reviewer or an administrator "
                    "may revoke a certification."
                ),
            )
    if current.status != CertificationStatus.CERTIFIED:
        raise ApplicationError("not_certified", _("Only a certified result can be revoked."))
    reason = _required_text(
        reason, field="reason", message=_("Give the reason for revoking the certification.")
    )
    current.status = CertificationStatus.REVOKED
    current.revoked_by = actor
    current.revoked_at = timezone.now()
    current.revoke_reason = reason
    current.save(update_fields=["status", "revoked_by", "revoked_at", "revoke_reason"])
    dashboard_cache_invalidate()
    record_event(
        submission=locked,
        actor=actor,
        kind=EventKind.REVOKED,
        note=reason,
        detail={"tier": current.tier, "before": "certified", "after": "revoked"},
    )
    notifications.notify_revoked(
        submission=locked, tier_label=Tier(current.tier).label, reason=reason
    )
    return current


# --- Conflicts of interest -----------------------------------------------------------------------


@transaction.atomic
def conflict_declare(
    *, reviewer: User, organisation: Organisation, reason: str
) -> ConflictDeclaration:
    """Record a reviewer's conflict of interest with an organisation. From then on they may not
    review its submissions, and they are taken off those assigned to them."""
    if reviewer.role != Role.REVIEWER:
        raise PermissionDenied("not_reviewer", _("Only reviewers declare conflicts of interest."))
    if ConflictDeclaration.objects.filter(reviewer=reviewer, organisation=organisation).exists():
        raise Conflict(
            "already_declared",
            _("You already declared a conflict of interest with %(organisation)s.")
            % {"organisation": organisation},
        )
    if not visible_organisations(reviewer).filter(pk=organisation.pk).exists():
        raise NotFound("not_found", _("That page does not exist or you may not see it."))
    reason = _required_text(reason, field="reason", message=_("Describe the conflict of interest."))
    declaration = ConflictDeclaration.objects.create(
        reviewer=reviewer, organisation=organisation, reason=reason
    )
    assigned = Submission.objects.select_for_update().filter(
        assigned_reviewer=reviewer,
        platform__organisation=organisation,
        state__in=ASSIGNABLE_STATES,
    )
    for submission in assigned:
        submission.assigned_reviewer = None
        submission.save(update_fields=["assigned_reviewer", "updated_at"])
        record_event(
            submission=submission,
            actor=reviewer,
            kind=EventKind.ASSIGNED,
            detail={"before": _person(reviewer), "after": None, "conflict": declaration.pk},
        )
    return declaration


__all__ = [
    "certification_decline",
    "certification_propose",
    "certification_revoke",
    "certification_sign_off",
    "conflict_declare",
    "review_assign",
    "review_decide",
    "review_request_revision",
    "review_start",
    "valid_until",
]
