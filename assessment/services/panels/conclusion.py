"""The panel's opinion, defence sessions, the conclusion that moves each submission on, and
experts' conflict declarations."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from assessment.models import (
    ConflictDeclaration,
    DefenceSession,
    EventKind,
    ExpertScore,
    Panel,
    PanelLevel,
    PanelMember,
    PanelState,
    Role,
    Submission,
    User,
)
from assessment.permissions import visible_submissions
from assessment.services.inputs import clean_text
from assessment.services.panels.judging import (
    NEXT_STATE,
    S,
)
from assessment.services.panels.scoring import (
    _member_or_404,
    _require_scoring,
    _store_entry_result,
)
from assessment.services.scoring import load_score_inputs
from assessment.services.workflow import lock_submission, record_event, submission_transition
from questionnaires.choices import Tier

# --- Opinion, defence, conclusion ----------------------------------------------------------------


def _all_submitted(panel: Panel) -> bool:
    expected = panel.size * panel.entries.count()
    return (
        ExpertScore.objects.filter(entry__panel=panel, submitted_at__isnull=False).count()
        == expected
    )


def _require_all_submitted(panel: Panel) -> None:
    if not _all_submitted(panel):
        raise ApplicationError(
            "scores_missing",
            _("Not every expert has submitted scores for every submission yet."),
        )


def _lock_panel(panel: Panel) -> Panel:
    return Panel.objects.select_for_update().get(pk=panel.pk)


@transaction.atomic
def panel_write_opinion(*, actor: User, panel: Panel, opinion: str) -> Panel:
    """The panel lead writes the panel opinion (专家组意见) once every expert has submitted."""
    locked = _lock_panel(panel)
    _member_or_404(actor, locked)
    if locked.lead_id != actor.pk:
        raise PermissionDenied("not_panel_lead", _("Only the panel lead writes the panel opinion."))
    _require_scoring(locked)
    _require_all_submitted(locked)
    locked.opinion = clean_text(
        opinion, field="opinion", required_message=_("Write the panel's opinion.")
    )
    locked.opinion_at = timezone.now()
    locked.save(update_fields=["opinion", "opinion_at"])
    for entry in locked.entries.select_related("submission"):
        record_event(
            submission=entry.submission,
            actor=actor,
            kind=EventKind.PANEL,
            detail={"action": "opinion", "panel": locked.pk},
        )
    return locked


def _require_panel_official(actor: User, panel: Panel) -> None:
    """The official who formed the panel, or another official of the same level and scope."""
    if actor.pk == panel.formed_by_id:
        return
    same_level = actor.role == Role.REVIEWER and actor.is_national == (
        panel.level == PanelLevel.NATIONAL
    )
    ids = list(panel.entries.values_list("submission_id", flat=True))
    if not same_level or visible_submissions(actor).filter(pk__in=ids).count() != len(ids):
        raise PermissionDenied(
            "not_panel_official", _("Only the officials who run this panel may do that.")
        )
    if PanelMember.objects.filter(panel=panel, expert=actor).exists():
        raise PermissionDenied(
            "panel_member", _("A member of the panel cannot run it as an official.")
        )


@transaction.atomic
def defence_record(
    *,
    actor: User,
    panel: Panel,
    submission: Submission,
    held_on: date | None,
    attendees: str,
    notes: str,
) -> DefenceSession:
    """Record a defence session (答辩) of one applicant before the panel."""
    locked = _lock_panel(panel)
    if actor.pk != locked.lead_id:
        _require_panel_official(actor, locked)
    _require_scoring(locked)
    if not locked.entries.filter(submission=submission).exists():
        raise NotFound("not_found", _("That page does not exist or you may not see it."))
    if not isinstance(held_on, date):
        raise ApplicationError("required", _("Enter the date of the defence."), field="held_on")
    if held_on > timezone.localdate():
        raise ApplicationError(
            "future_date", _("A defence is recorded after it was held."), field="held_on"
        )
    attendees = clean_text(attendees, field="attendees", required_message=_("List who attended."))
    notes = clean_text(notes, field="notes", required_message=_("Write the notes of the defence."))
    defence = DefenceSession.objects.create(
        panel=locked,
        submission=submission,
        held_on=held_on,
        attendees=attendees,
        notes=notes,
        recorded_by=actor,
    )
    record_event(
        submission=submission,
        actor=actor,
        kind=EventKind.PANEL,
        detail={"action": "defence", "panel": locked.pk, "held_on": held_on.isoformat()},
    )
    return defence


@transaction.atomic
def panel_conclude(*, actor: User, panel: Panel) -> Panel:
    """Conclude the panel: every submission gets the engine's result on the majority as its
    proposed tier and moves on (growth → public notice, leading/ecosystem → on-site check,
    no tier reached → not certified)."""
    locked = _lock_panel(panel)
    _require_panel_official(actor, locked)
    _require_scoring(locked)
    _require_all_submitted(locked)
    if not locked.opinion:
        raise ApplicationError(
            "opinion_missing", _("The panel lead has not written the panel opinion yet.")
        )
    entries = list(
        locked.entries.select_related("submission__rubric_version", "submission__platform")
    )
    loaded = load_score_inputs([entry.submission_id for entry in entries])
    now = timezone.now()
    for entry in entries:
        _store_entry_result(entry, loaded)  # the same inputs as at the last submission
        submission = lock_submission(entry.submission_id)
        if submission.state != S.EXPERT_REVIEW:
            raise ApplicationError(
                "wrong_state",
                _("%(platform)s is no longer waiting for its expert panel.")
                % {"platform": submission.platform},
            )
        submission.proposed_tier = entry.result
        submission.save(update_fields=["proposed_tier", "updated_at"])
        to_state = NEXT_STATE[entry.tier] if entry.result in Tier.values else S.NOT_CERTIFIED
        submission_transition(
            submission=submission,
            to_state=to_state,
            actor=actor,
            note=str(_("Expert panel concluded")),
            detail={"panel": locked.pk, "result": entry.result},
        )
        record_event(
            submission=submission,
            actor=actor,
            kind=EventKind.PANEL,
            detail={"action": "concluded", "panel": locked.pk, "result": entry.result},
        )
    locked.state = PanelState.CONCLUDED
    locked.concluded_by = actor
    locked.concluded_at = now
    locked.save(update_fields=["state", "concluded_by", "concluded_at"])
    return locked


# --- The pool ------------------------------------------------------------------------------------


@transaction.atomic
def expert_conflict_declare(*, expert: User, organisation, reason: str) -> ConflictDeclaration:
    """An expert declares a conflict of interest: no panel for that organisation draws them."""
    if expert.role != Role.EXPERT:
        raise PermissionDenied("not_expert", _("Only experts declare conflicts here."))
    reason = clean_text(
        reason, field="reason", required_message=_("Describe the conflict of interest.")
    )
    declaration, created = ConflictDeclaration.objects.get_or_create(
        reviewer=expert, organisation=organisation, defaults={"reason": reason}
    )
    if not created:
        raise Conflict(
            "already_declared",
            _("You already declared a conflict of interest with %(organisation)s.")
            % {"organisation": organisation},
        )
    return declaration
