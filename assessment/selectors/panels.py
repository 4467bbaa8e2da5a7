"""Reads for expert panels and on-site checks: the panel list, the panel screen (blind until
every expert has submitted, then side by side with disagreements), the expert's scoring form,
the on-site check screen. Each is a fixed number of queries (asserted in tests)."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from assessment import presentation
from assessment.models import (
    DefenceSession,
    ExpertDecision,
    ExpertScore,
    Panel,
    PanelMember,
    PanelState,
    PanelSubmission,
    Role,
    SiteCheck,
    SiteCheckItem,
    SiteCheckItemStatus,
    SiteCheckVerdict,
    Submission,
    SubmissionState,
    User,
)
from assessment.permissions import visible_panels, visible_submissions
from assessment.services.panels import (
    AVOIDANCE_REASONS,
    entry_result,
    judged_indicators,
    judged_tier,
)
from assessment.services.panels import (
    expert_results as expert_results_of,
)
from assessment.services.scoring import load_score_inputs
from questionnaires.choices import Tier
from questionnaires.selectors import rubric_of

S = SubmissionState


# --- The panel list ------------------------------------------------------------------------------


@dataclass
class PanelRow:
    panel: Panel
    entries: int
    submitted: int  # expert scores submitted, over all entries
    expected: int
    mine_open: int = 0  # for an expert: their entries still to submit


def panel_rows(user: User) -> list[PanelRow]:
    """The user's panels, newest first, with their scoring progress (one query)."""
    panels = (
        visible_panels(user)
        .select_related("province", "lead")
        .annotate(
            entry_count=Count("entries", distinct=True),
            submitted_count=Count(
                "entries__scores",
                filter=Q(entries__scores__submitted_at__isnull=False),
                distinct=True,
            ),
            mine_submitted=Count(
                "entries__scores",
                filter=Q(
                    entries__scores__submitted_at__isnull=False,
                    entries__scores__expert=user,
                ),
                distinct=True,
            ),
        )
        .order_by("-formed_at", "-id")
        .distinct()
    )
    rows = []
    for panel in panels:
        row = PanelRow(
            panel=panel,
            entries=panel.entry_count,
            submitted=panel.submitted_count,
            expected=panel.entry_count * panel.size,
        )
        if user.role == Role.EXPERT and panel.state == PanelState.SCORING:
            row.mine_open = panel.entry_count - panel.mine_submitted
        rows.append(row)
    return rows


def panel_candidates(user: User) -> dict[str, list[Submission]]:
    """Submissions in expert review the official may put before a new panel, by tier judged."""
    if user.role != Role.REVIEWER:
        return {}
    busy = PanelSubmission.objects.filter(panel__state=PanelState.SCORING).values("submission_id")
    tiers = (Tier.LEADING, Tier.ECOSYSTEM) if user.is_national else (Tier.GROWTH,)
    submissions = (
        visible_submissions(user)
        .filter(state=S.EXPERT_REVIEW)
        .exclude(pk__in=busy)
        .select_related("platform__region", "platform__organisation", "cycle")
        .order_by("platform__region_id", "platform__name")
    )
    grouped: dict[str, list[Submission]] = {}
    for submission in submissions:
        tier = judged_tier(submission)
        if tier in tiers:
            grouped.setdefault(tier, []).append(submission)
    return grouped


# --- The panel screen ----------------------------------------------------------------------------


@dataclass
class DecisionCell:
    decision: str
    label: str
    value_text: str = ""
    reason: str = ""


@dataclass
class IndicatorLine:
    code: str
    title: str
    answer_text: str
    reviewer_text: str
    cells: list[DecisionCell]  # in member order (revealed screens only)
    disagreement: bool
    majority: DecisionCell | None
    tie: bool
    votes_text: str


@dataclass
class ExpertColumn:
    name: str
    result: str
    result_label: str
    progress_index: str
    recommended: str
    recommended_label: str
    comment: str


@dataclass
class CriterionLine:
    code: str
    tier: str
    gate: bool
    s: str
    v: str
    e: str
    reason: str


@dataclass
class EntryView:
    entry: PanelSubmission
    submission: Submission
    tier_label: str
    submitted: int
    expected: int
    revealed: bool
    my_score: ExpertScore | None = None
    lines: list[IndicatorLine] = field(default_factory=list)
    experts: list[ExpertColumn] = field(default_factory=list)
    result: str = ""
    result_label: str = ""
    progress_index: str = ""
    tiers: list[dict] = field(default_factory=list)
    criteria: list[CriterionLine] = field(default_factory=list)
    disagreements: int = 0
    defences: list[DefenceSession] = field(default_factory=list)
    # Items a failed on-site check could not confirm (the submission came back to a panel)
    site_findings: list[SiteCheckItem] = field(default_factory=list)


@dataclass
class PanelScreen:
    panel: Panel
    members: list[PanelMember]
    entries: list[EntryView]
    all_submitted: bool
    is_member: bool
    is_lead: bool
    is_official: bool
    excluded: list[dict]


def _site_findings(submission_ids: list[int], before) -> dict[int, list[SiteCheckItem]]:
    """What on-site checks of these submissions that failed before `before` (the panel's
    forming) could not confirm (one query)."""
    found: dict[int, list[SiteCheckItem]] = {}
    for item in (
        SiteCheckItem.objects.filter(
            site_check__submission_id__in=submission_ids,
            site_check__verdict=SiteCheckVerdict.FAILED,
            site_check__decided_at__lt=before,
            status=SiteCheckItemStatus.NOT_CONFIRMED,
        )
        .select_related("site_check")
        .order_by("site_check__decided_at", "order")
    ):
        found.setdefault(item.site_check.submission_id, []).append(item)
    return found


def _decision_label(decision: str) -> str:
    return str(ExpertDecision(decision).label)


def _cell(indicator, decision: dict) -> DecisionCell:
    value_text = ""
    if decision["decision"] == ExpertDecision.CORRECTED:
        value_text = presentation.answer_text(indicator, decision.get("value"))
    return DecisionCell(
        decision=decision["decision"],
        label=_decision_label(decision["decision"]),
        value_text=value_text,
        reason=decision.get("reason", ""),
    )


def _reviewer_text(decision: tuple[str, Any] | None, indicator) -> str:
    if decision is None:
        return _("Not checked by the reviewer")
    kind, corrected = decision
    if kind == "verified":
        return _("Verified")
    if kind == "rejected":
        return _("Rejected")
    return _("Corrected to %(value)s") % {"value": presentation.answer_text(indicator, corrected)}


def _votes_text(votes: dict) -> str:
    return " · ".join(f"{_decision_label(kind)} {count}" for kind, count in sorted(votes.items()))


def panel_for_screen(user: User, panel_id: int) -> Panel | None:
    return (
        visible_panels(user)
        .filter(pk=panel_id)
        .select_related("province", "lead", "formed_by", "concluded_by")
        .first()
    )


def panel_screen(*, user: User, panel: Panel) -> PanelScreen:
    """Everything the panel page shows. Scores stay hidden (even who submitted) until every
    expert has submitted for that submission; then each expert's decisions and result sit side
    by side with the majority and the panel's result, derived line by line."""
    members = list(panel.members.select_related("expert__expert_profile__home_province"))
    entries = list(
        panel.entries.select_related(
            "submission__platform__region",
            "submission__platform__organisation",
            "submission__rubric_version",
        )
    )
    scores = list(ExpertScore.objects.filter(entry__panel=panel).order_by("expert_id"))
    defences = list(DefenceSession.objects.filter(panel=panel))
    findings = _site_findings([entry.submission_id for entry in entries], panel.formed_at)
    member_order = {member.expert_id: member.draw_order for member in members}
    by_entry: dict[int, list[ExpertScore]] = {}
    for expert_score in scores:
        by_entry.setdefault(expert_score.entry_id, []).append(expert_score)
    names = {member.expert_id: str(member.expert) for member in members}
    revealed_ids = [
        entry.submission_id
        for entry in entries
        if sum(1 for s in by_entry.get(entry.pk, []) if s.submitted_at) == panel.size
    ]
    loaded = load_score_inputs(revealed_ids) if revealed_ids else {}
    views = []
    for entry in entries:
        entry_scores = sorted(by_entry.get(entry.pk, []), key=lambda s: member_order[s.expert_id])
        submitted = [s for s in entry_scores if s.submitted_at]
        view = EntryView(
            entry=entry,
            submission=entry.submission,
            tier_label=presentation.tier_label(entry.tier),
            submitted=len(submitted),
            expected=panel.size,
            revealed=len(submitted) == panel.size,
            my_score=next((s for s in entry_scores if s.expert_id == user.pk), None),
            defences=[d for d in defences if d.submission_id == entry.submission_id],
            site_findings=findings.get(entry.submission_id, []),
        )
        if view.revealed:
            _fill_revealed(view, entry, submitted, names, loaded)
        views.append(view)
    is_member = user.pk in member_order
    excluded = []
    if not is_member:
        excluded = [
            {"id": int(pk), "reasons": [str(AVOIDANCE_REASONS[r]) for r in reasons]}
            for pk, reasons in panel.draw.get("excluded", {}).items()
        ]
    return PanelScreen(
        panel=panel,
        members=members,
        entries=views,
        all_submitted=all(view.revealed for view in views),
        is_member=is_member,
        is_lead=panel.lead_id == user.pk,
        is_official=user.role == Role.REVIEWER and not is_member,
        excluded=excluded,
    )


def _fill_revealed(view: EntryView, entry, submitted, names, loaded) -> None:
    submission = entry.submission
    rubric = rubric_of(submission.rubric_version)
    if entry.breakdown is not None:  # stored when the last expert submitted
        majority = entry.majority or {}
        breakdown = entry.breakdown
    else:
        outcome = entry_result(entry, submitted, loaded, with_experts=False)
        majority = outcome.majority
        breakdown = outcome.result.to_dict()
    missing = [s for s in submitted if not s.result]  # scores stored before results were
    computed = expert_results_of(entry, missing, loaded) if missing else {}
    answers = dict(loaded[submission.pk][0])
    reviewer_decisions = loaded[submission.pk][2]
    for indicator in judged_indicators(rubric, submission.platform_kind, entry.tier):
        code = indicator.code
        decisions = [s.decisions.get(code, {"decision": ExpertDecision.AGREE}) for s in submitted]
        keys = {(d["decision"], repr(d.get("value"))) for d in decisions}
        chosen = majority.get(code)
        line = IndicatorLine(
            code=code,
            title=indicator.title.get(presentation.language()),
            answer_text=presentation.answer_text(indicator, answers.get(code)),
            reviewer_text=_reviewer_text(reviewer_decisions.get(code), indicator),
            cells=[_cell(indicator, d) for d in decisions],
            disagreement=len(keys) > 1,
            majority=_cell(indicator, chosen) if chosen else None,
            tie=bool(chosen and chosen.get("tie")),
            votes_text=_votes_text(chosen["votes"]) if chosen else "",
        )
        view.lines.append(line)
    view.disagreements = sum(1 for line in view.lines if line.disagreement)
    for expert_score in submitted:
        if expert_score.expert_id in computed:
            own = computed[expert_score.expert_id]
            result, progress_index = own.result, own.to_dict()["progress_index"]
        else:
            result, progress_index = expert_score.result, expert_score.progress_index
        view.experts.append(
            ExpertColumn(
                name=names[expert_score.expert_id],
                result=result,
                result_label=presentation.tier_label(result),
                progress_index=progress_index,
                recommended=expert_score.recommended_tier,
                recommended_label=presentation.tier_label(expert_score.recommended_tier)
                if expert_score.recommended_tier
                else "",
                comment=expert_score.comment,
            )
        )
    view.result = breakdown["result"]
    view.result_label = presentation.tier_label(breakdown["result"])
    view.progress_index = breakdown["progress_index"]
    view.tiers = [
        {
            "tier": tier,
            "label": presentation.tier_label(tier),
            "score": presentation.score_text(values["score"]),
            "achieved": values["achieved"],
            "failed": [
                presentation.failed_rule_text(rule, rubric)
                for rule in values["failed_rules"]
                if rule != "lower_tier_not_achieved"
            ],
        }
        for tier, values in breakdown["tiers"].items()
    ]
    judged_codes = {line.code for line in view.lines}
    for criterion in breakdown["criteria"]:
        if criterion["indicator"] not in judged_codes or criterion["tier"] != entry.tier:
            continue
        indicator = rubric.indicator(criterion["indicator"])
        view.criteria.append(
            CriterionLine(
                code=criterion["indicator"],
                tier=criterion["tier"],
                gate=criterion["gate"],
                s=criterion["s"],
                v=criterion["v"],
                e=criterion["e"],
                reason=presentation.reason_text(
                    criterion["reason_code"], criterion["reason_params"], indicator
                ),
            )
        )


# --- The expert's scoring form -------------------------------------------------------------------


@dataclass
class ScoringRow:
    code: str
    title: str
    type: str
    answer_text: str
    reviewer_text: str
    evidence: list
    decision: str
    value: Any
    reason: str
    anchors: list
    options: list
    multiple: bool
    site_finding: str = ""


def entry_for_expert(user: User, panel_id: int, entry_id: int) -> PanelSubmission | None:
    return (
        PanelSubmission.objects.filter(pk=entry_id, panel_id=panel_id, panel__members__expert=user)
        .select_related("panel", "submission__platform__region", "submission__rubric_version")
        .first()
    )


def scoring_rows(
    *, user: User, entry: PanelSubmission
) -> tuple[list[ScoringRow], ExpertScore | None]:
    """The judged indicators with the answer, the reviewer's decision, the evidence and the
    expert's own saved decisions — never anyone else's."""
    submission = entry.submission
    rubric = rubric_of(submission.rubric_version)
    language = presentation.language()
    loaded = load_score_inputs([submission.pk])[submission.pk]
    answers = dict(loaded[0])
    reviewer_decisions = loaded[2]
    evidence_by_code: dict[str, list] = {}
    for evidence in submission.evidence.filter(is_current=True, removed_at__isnull=True):
        evidence_by_code.setdefault(evidence.question_code, []).append(evidence)
    mine = ExpertScore.objects.filter(entry=entry, expert=user).first()
    saved = mine.decisions if mine else {}
    findings = {
        item.question_code: item
        for item in _site_findings([submission.pk], entry.panel.formed_at).get(submission.pk, [])
    }
    rows = []
    for indicator in judged_indicators(rubric, submission.platform_kind, entry.tier):
        decision = saved.get(indicator.code, {})
        rows.append(
            ScoringRow(
                code=indicator.code,
                title=indicator.title.get(language),
                type=str(indicator.type),
                answer_text=presentation.answer_text(indicator, answers.get(indicator.code)),
                reviewer_text=_reviewer_text(reviewer_decisions.get(indicator.code), indicator),
                evidence=evidence_by_code.get(indicator.code, []),
                decision=decision.get("decision", ""),
                value=decision.get("value"),
                reason=decision.get("reason", ""),
                anchors=[(a.index, a.label.get(language)) for a in indicator.anchors],
                options=[(o.code, o.label.get(language)) for o in indicator.options],
                multiple=indicator.multiple,
                site_finding=findings[indicator.code].finding if indicator.code in findings else "",
            )
        )
    return rows, mine


# --- On-site checks ------------------------------------------------------------------------------


def site_check_queue(user: User) -> tuple[list[Submission], list[SiteCheck]]:
    """Submissions waiting for an on-site check and the checks so far (national reviewers)."""
    if user.role != Role.REVIEWER or not user.is_national:
        return [], []
    waiting = list(
        visible_submissions(user)
        .filter(state=S.SITE_CHECK)
        .select_related("platform__region", "platform__organisation")
        .order_by("updated_at")
    )
    checks = list(
        SiteCheck.objects.filter(submission__in=visible_submissions(user))
        .select_related("submission__platform", "created_by")
        .order_by("-created_at")[:100]
    )
    return waiting, checks


def site_check_for_screen(user: User, site_check_id: int) -> SiteCheck | None:
    if user.role != Role.REVIEWER or not user.is_national:
        return None
    return (
        SiteCheck.objects.filter(pk=site_check_id, submission__in=visible_submissions(user))
        .select_related("submission__platform__region", "submission__rubric_version")
        .prefetch_related(
            Prefetch("items"),
            Prefetch("files"),
        )
        .first()
    )


def site_check_rows(site_check: SiteCheck) -> list[dict]:
    rubric = rubric_of(site_check.submission.rubric_version)
    files_by_item: dict[int | None, list] = {}
    for attachment in site_check.files.all():
        files_by_item.setdefault(attachment.item_id, []).append(attachment)
    rows = []
    for item in site_check.items.all():
        indicator = rubric.indicator(item.question_code)
        rows.append(
            {
                "item": item,
                "title": indicator.title.get(presentation.language()),
                "declared": presentation.answer_text(indicator, item.declared),
                "target": presentation.answer_text(indicator, item.target) if item.target else "",
                "files": files_by_item.get(item.pk, []),
            }
        )
    return rows


def site_check_general_files(site_check: SiteCheck) -> list:
    return [attachment for attachment in site_check.files.all() if attachment.item_id is None]


def panels_of_submission(submission: Submission) -> QuerySet[PanelSubmission]:
    return submission.panel_entries.select_related("panel").order_by("-panel__formed_at")
