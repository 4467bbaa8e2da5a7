"""Reads for the operator's pages: the questionnaire by section, completeness, the provisional
score, the submission list and history. Each page's data comes in a fixed number of queries,
whatever the number of answers and evidence files."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessment import presentation
from assessment.models import (
    Answer,
    AssessmentCycle,
    Evidence,
    Platform,
    ReviewDecision,
    ScoreSummary,
    Submission,
    SubmissionEvent,
    SubmissionState,
    User,
)
from assessment.permissions import visible_platforms, visible_submissions
from assessment.presentation import join_list
from assessment.services.scoring import build_score_inputs, load_score_inputs
from questionnaires.choices import Result, Tier
from questionnaires.rubric import EvidenceStatus, Indicator, QuestionType, Rubric, Text
from questionnaires.scoring import AnswerInput, ScoreResult, score
from questionnaires.selectors import rubric_of

S = SubmissionState
PRECONDITIONS = "P"  # the section holding the preconditions, shown first
EDITABLE_STATES = {S.DRAFT, S.REVISION_REQUESTED}


def _language() -> str:
    return get_language() or "zh-hans"


def _text(text: Text | None) -> str:
    return text.get(_language()) if text is not None else ""


# --- Rules shared by the page and the completeness check -----------------------------------------


def answer_is_set(value: Any) -> bool:
    return value is not None and value != [] and value != ""


def evidence_required(indicator: Indicator, value: Any) -> bool:
    """Required evidence is needed for an answer that claims something (not "no", 0, "none")."""
    if indicator.evidence != "required" or not answer_is_set(value):
        return False
    question_type = indicator.type
    if question_type == QuestionType.BOOLEAN:
        return value is True
    if question_type in (QuestionType.NUMERIC, QuestionType.PERCENTAGE, QuestionType.ORDINAL):
        return Decimal(str(value)) > 0
    chosen = value if isinstance(value, list) else [value]
    return any(
        option.code in chosen and any(option.satisfaction.values()) for option in indicator.options
    )


def questions_by_section(rubric: Rubric, kind: str) -> dict[str, list[str]]:
    """Question codes per section (P for preconditions, then each dimension), in order."""
    sections = {PRECONDITIONS: [precondition.code for precondition in rubric.preconditions]}
    for dimension in rubric.dimensions:
        codes = [i.code for i in dimension.indicators if i.applies_to(kind)]
        if codes:
            sections[dimension.code] = codes
    return sections


def _section_of(code: str) -> str:
    return code.split(".", 1)[0] if "." in code else PRECONDITIONS


# --- Completeness --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    question_code: str
    section: str
    kind: str  # unanswered | evidence_missing | answer_unconfirmed | evidence_unconfirmed
    title: str

    @property
    def anchor(self) -> str:
        return "q-" + self.question_code.replace(".", "-")

    @property
    def message(self) -> str:
        return {
            "unanswered": _("Not answered"),
            "evidence_missing": _("Evidence is required for this answer"),
            "answer_unconfirmed": _("Copied from the last cycle: confirm or change the answer"),
            "evidence_unconfirmed": _("Copied evidence: confirm it is still valid or replace it"),
        }[self.kind]


def _problems(
    rubric: Rubric,
    kind: str,
    answers: dict[str, tuple[Any, bool]],
    evidence: dict[str, list],
) -> list[Problem]:
    problems = []
    for section, codes in questions_by_section(rubric, kind).items():
        for code in codes:
            indicator = rubric.indicator(code) if section != PRECONDITIONS else None
            title = _question_title(rubric, code)
            value, unconfirmed = answers.get(code, (None, False))
            items = evidence.get(code, [])
            if not answer_is_set(value):
                problems.append(Problem(code, section, "unanswered", title))
                continue
            if unconfirmed:
                problems.append(Problem(code, section, "answer_unconfirmed", title))
            if indicator is not None and evidence_required(indicator, value) and not items:
                problems.append(Problem(code, section, "evidence_missing", title))
            if any(item.needs_reconfirmation for item in items):
                problems.append(Problem(code, section, "evidence_unconfirmed", title))
    return problems


def _question_title(rubric: Rubric, code: str) -> str:
    if rubric.has_indicator(code):
        return _text(rubric.indicator(code).title)
    for precondition in rubric.preconditions:
        if precondition.code == code:
            return _text(precondition.text)
    return code


def _current_evidence(submission: Submission) -> QuerySet[Evidence]:
    return Evidence.objects.filter(
        submission=submission, is_current=True, removed_at__isnull=True
    ).order_by("question_code", "uploaded_at", "id")


def submission_completeness(submission: Submission) -> list[Problem]:
    """Every unanswered question, missing required evidence and unconfirmed copy (2 queries)."""
    rubric = rubric_of(submission.rubric_version)
    answers = {
        code: (value, unconfirmed)
        for code, value, unconfirmed in Answer.objects.filter(submission=submission).values_list(
            "question_code", "value", "needs_reconfirmation"
        )
    }
    evidence: dict[str, list] = {}
    for item in _current_evidence(submission).only("question_code", "needs_reconfirmation"):
        evidence.setdefault(item.question_code, []).append(item)
    return _problems(rubric, submission.platform_kind, answers, evidence)


# --- The provisional score -----------------------------------------------------------------------


@dataclass(frozen=True)
class PlanLine:
    code: str
    title: str
    text: str
    gain: str

    @property
    def section(self) -> str:
        return _section_of(self.code)

    @property
    def anchor(self) -> str:
        return "q-" + self.code.replace(".", "-")


@dataclass(frozen=True)
class TierBar:
    tier: str
    label: str
    score: Decimal
    percent: int
    achieved: bool


@dataclass(frozen=True)
class ProvisionalScore:
    result: str
    result_label: str
    progress_index: str
    next_tier: str
    next_tier_label: str
    tiers: list[TierBar]
    plan: list[PlanLine]
    failed_preconditions: list[str]
    # The result once a reviewer verifies the evidence uploaded so far ("" if unknown).
    result_if_verified: str = ""
    # Indicators recording the platform's past that keep the next tier out of reach.
    past_records: list[str] = field(default_factory=list)

    @property
    def result_if_verified_label(self) -> str:
        return str(Result(self.result_if_verified).label) if self.result_if_verified else ""


def _value_text(indicator: Indicator, value: Any) -> str:
    language = _language()
    question_type = indicator.type
    if question_type == QuestionType.BOOLEAN:
        return _("Yes") if value else _("No")
    if question_type == QuestionType.ORDINAL:
        return indicator.anchors[int(value)].label.get(language)
    if question_type in (QuestionType.NUMERIC, QuestionType.PERCENTAGE):
        return presentation.answer_text(indicator, value)  # one way to write a number
    chosen = value if isinstance(value, list) else [value]
    return join_list(
        option.label.get(language) for option in indicator.options if option.code in chosen
    )


def answer_text(rubric: Rubric, code: str, value: Any) -> str:
    """An answer as words in the reader's language (for conflicts and the read-only view)."""
    if not answer_is_set(value):
        return _("(no answer)")
    if not rubric.has_indicator(code):
        return _("Yes") if value is True else _("No")
    try:
        return _value_text(rubric.indicator(code), value)
    except (IndexError, TypeError, ValueError):
        return str(value)


def _plan_lines(rubric: Rubric, breakdown: dict) -> list[PlanLine]:
    satisfied = {
        (criterion["indicator"], criterion["tier"])
        for criterion in breakdown.get("criteria", [])
        if Decimal(criterion["s"]) == 1
    }
    lines = []
    for step in breakdown.get("next_tier_plan", []):
        if "precondition" in step:
            code = step["precondition"]
            lines.append(
                PlanLine(code, _question_title(rubric, code), _("Meet the precondition"), "")
            )
            continue
        indicator = rubric.indicator(step["indicator"])
        verify = indicator.evidence == "required"
        if (indicator.code, step["tier"]) in satisfied:
            text = _("Have its evidence verified by a reviewer")
        else:
            answer = _value_text(indicator, step["suggested_value"])
            if verify:
                text = _("Answer %(answer)s, with evidence verified by a reviewer") % {
                    "answer": answer
                }
            else:
                text = _("Answer %(answer)s") % {"answer": answer}
        lines.append(PlanLine(indicator.code, _text(indicator.title), text, step["gain"]))
    return lines


def score_if_verified(
    rubric: Rubric,
    kind: str,
    answers: list[tuple[str, Any]],
    evidenced: set[str],
    decisions: dict[str, tuple[str, Any]],
) -> ScoreResult:
    """The score the answers reach once a reviewer verifies every uploaded item (no queries).

    This is the operator's claim (``Submission.claimed_result``), defined once: the review queue
    and the review screen both show it. Raises ValueError for a stored value the rubric no longer
    accepts.
    """
    preconditions, inputs = build_score_inputs(rubric, answers, evidenced, decisions)
    verified = {
        code: AnswerInput(
            value=given.value,
            evidence=EvidenceStatus.VERIFIED
            if given.evidence == EvidenceStatus.UPLOADED
            else given.evidence,
        )
        for code, given in inputs.items()
    }
    return score(rubric, kind, preconditions, verified)


def result_if_verified(
    rubric: Rubric,
    kind: str,
    answers: list[tuple[str, Any]],
    evidenced: set[str],
    decisions: dict[str, tuple[str, Any]],
) -> str:
    """The result the answers reach once a reviewer verifies every uploaded item (no queries).

    Gates need verified evidence (e = 1), so before review the strict provisional result is
    often "not rated"; this second figure tells the operator what the evidence can achieve.
    """
    try:
        return score_if_verified(rubric, kind, answers, evidenced, decisions).result
    except ValueError:  # AnswerError included: a stored value the rubric no longer accepts
        return ""


def provisional_score(
    rubric: Rubric, summary: ScoreSummary | None, if_verified: str = ""
) -> ProvisionalScore | None:
    """The stored score (rescored after every change) as the panel shows it."""
    if summary is None:
        return None
    breakdown = summary.breakdown
    tiers = [
        TierBar(
            tier=tier.value,
            label=str(tier.label),
            score=Decimal(breakdown["tiers"][tier.value]["score"]),
            percent=min(100, round(Decimal(breakdown["tiers"][tier.value]["score"]) * 100)),
            achieved=breakdown["tiers"][tier.value]["achieved"],
        )
        for tier in Tier
    ]
    next_tier = summary.tier_in_reach
    return ProvisionalScore(
        result=summary.result,
        result_label=str(Result(summary.result).label),
        progress_index=breakdown["progress_index"],
        next_tier=next_tier,
        next_tier_label=str(Tier(next_tier).label) if next_tier else "",
        tiers=tiers,
        plan=_plan_lines(rubric, breakdown),
        failed_preconditions=[
            step["precondition"]
            for step in breakdown.get("next_tier_plan", []) + breakdown.get("blockers", [])
            if "precondition" in step
        ],
        result_if_verified=if_verified,
        past_records=[
            blocker["indicator"]
            for blocker in breakdown.get("blockers", [])
            if blocker.get("reason") == "past_record"
        ],
    )


def submission_provisional_score(submission: Submission) -> ProvisionalScore | None:
    """The panel for a submission: its stored summary and the result once verified (4 queries)."""
    rubric = rubric_of(submission.rubric_version)
    summary = ScoreSummary.objects.filter(submission=submission).first()
    answers, evidenced, decisions = load_score_inputs([submission.pk])[submission.pk]
    if_verified = result_if_verified(
        rubric, submission.platform_kind, answers, evidenced, decisions
    )
    return provisional_score(rubric, summary, if_verified)


# --- The questionnaire page ----------------------------------------------------------------------


@dataclass
class QuestionView:
    code: str
    section: str
    is_precondition: bool
    type: str
    title: str
    help: str
    unit: str
    anchors: list[tuple[int, str]]
    options: list[tuple[str, str]]
    multiple: bool
    evidence_mode: str
    criteria: list[tuple[str, str, bool]]  # (tier label, text, gate)
    value: Any
    version: int
    reopened: bool
    needs_reconfirmation: bool
    editable: bool
    evidence: list[Evidence] = field(default_factory=list)
    evidence_needed: bool = False
    decision: ReviewDecision | None = None
    updated_by: str = ""
    answer_text: str = ""

    @property
    def takes_evidence(self) -> bool:
        return self.evidence_mode != "none"


@dataclass(frozen=True)
class SectionLink:
    code: str
    title: str
    answered: int
    total: int
    problems: int
    current: bool

    @property
    def complete(self) -> bool:
        return self.problems == 0


@dataclass
class QuestionnairePage:
    submission: Submission
    rubric: Rubric
    section: str
    section_title: str
    sections: list[SectionLink]
    questions: list[QuestionView]
    score: ProvisionalScore | None
    editable: bool
    problems: list[Problem]
    previous_section: str | None
    next_section: str | None


def submission_for_operator(user: User, submission_id: int) -> Submission | None:
    """The submission with everything its pages show, if the user may see it (1 query)."""
    return (
        visible_submissions(user)
        .select_related(
            "platform__organisation", "cycle", "rubric_version", "score_summary", "certification"
        )
        .defer("rubric_version__definition")  # parsed once per process by rubric_of
        .filter(pk=submission_id)
        .first()
    )


def _criteria_lines(indicator: Indicator, kind: str) -> list[tuple[str, str, bool]]:
    lines = []
    for criterion in indicator.criteria:
        text = _text(criterion.text)
        if not text and criterion.target_for(kind) is not None:
            text = f"≥ {criterion.target_for(kind)}"
        lines.append((str(Tier(criterion.tier).label), text, criterion.gate))
    return lines


def _question_view(
    rubric: Rubric,
    kind: str,
    code: str,
    answer: Answer | None,
    items: list[Evidence],
    decision: ReviewDecision | None,
    editable_codes: set[str] | None,
) -> QuestionView:
    language = _language()
    value = answer.value if answer is not None else None
    reopened = bool(answer and answer.reopened)
    editable = editable_codes is None or code in editable_codes
    if rubric.has_indicator(code):
        indicator = rubric.indicator(code)
        return QuestionView(
            code=code,
            section=indicator.dimension_code,
            is_precondition=False,
            type=str(indicator.type),
            title=indicator.title.get(language),
            help=indicator.help.get(language),
            unit=_text(indicator.unit),
            anchors=[(a.index, a.label.get(language)) for a in indicator.anchors],
            options=[(o.code, o.label.get(language)) for o in indicator.options],
            multiple=indicator.multiple,
            evidence_mode=str(indicator.evidence),
            criteria=_criteria_lines(indicator, kind),
            value=value,
            version=answer.version if answer is not None else 0,
            reopened=reopened,
            needs_reconfirmation=bool(answer and answer.needs_reconfirmation),
            editable=editable,
            evidence=items,
            evidence_needed=evidence_required(indicator, value) and not items,
            decision=decision,
            updated_by=str(answer.updated_by) if answer is not None else "",
            answer_text=answer_text(rubric, code, value),
        )
    precondition = next(p for p in rubric.preconditions if p.code == code)
    return QuestionView(
        code=code,
        section=PRECONDITIONS,
        is_precondition=True,
        type=str(QuestionType.BOOLEAN),
        title=precondition.text.get(language),
        help=_text(precondition.help),
        unit="",
        anchors=[],
        options=[],
        multiple=False,
        evidence_mode="optional",
        criteria=[],
        value=value,
        version=answer.version if answer is not None else 0,
        reopened=reopened,
        needs_reconfirmation=bool(answer and answer.needs_reconfirmation),
        editable=editable,
        evidence=items,
        decision=decision,
        updated_by=str(answer.updated_by) if answer is not None else "",
        answer_text=answer_text(rubric, code, value),
    )


def section_title(rubric: Rubric, section: str) -> str:
    if section == PRECONDITIONS:
        return _("Preconditions")
    return _text(rubric.dimension(section).title)


def _section_links(
    rubric: Rubric,
    sections: dict[str, list[str]],
    answered: set[str],
    problems: list[Problem],
    current: str,
) -> list[SectionLink]:
    problems_by_section: dict[str, int] = {}
    for problem in problems:
        problems_by_section[problem.section] = problems_by_section.get(problem.section, 0) + 1
    return [
        SectionLink(
            code=code,
            title=section_title(rubric, code),
            answered=sum(1 for c in codes if c in answered),
            total=len(codes),
            problems=problems_by_section.get(code, 0),
            current=code == current,
        )
        for code, codes in sections.items()
    ]


def questionnaire_page(submission: Submission, section: str) -> QuestionnairePage | None:
    """One section of the questionnaire, with the side index and the score panel.

    Three queries (answers with their authors, current evidence, current review decisions)
    on top of the submission fetched by `submission_for_operator`; None for an unknown section.
    """
    rubric = rubric_of(submission.rubric_version)
    kind = submission.platform_kind
    sections = questions_by_section(rubric, kind)
    if section not in sections:
        return None
    answers = {
        answer.question_code: answer
        for answer in Answer.objects.filter(submission=submission).select_related("updated_by")
    }
    evidence: dict[str, list[Evidence]] = {}
    for item in _current_evidence(submission).select_related("uploaded_by"):
        evidence.setdefault(item.question_code, []).append(item)
    decisions = {
        decision.question_code: decision
        for decision in ReviewDecision.objects.filter(
            submission=submission, is_current=True
        ).order_by("created_at", "id")
    }
    if submission.state == S.DRAFT:
        editable_codes = None
    elif submission.state == S.REVISION_REQUESTED:
        editable_codes = {code for code, answer in answers.items() if answer.reopened}
    else:
        editable_codes = set()
    problems = _problems(
        rubric,
        kind,
        {code: (a.value, a.needs_reconfirmation) for code, a in answers.items()},
        evidence,
    )
    links = _section_links(
        rubric,
        sections,
        {code for code, answer in answers.items() if answer_is_set(answer.value)},
        problems,
        section,
    )
    order = list(sections)
    position = order.index(section)
    summary = getattr(submission, "score_summary", None)
    if_verified = result_if_verified(
        rubric,
        kind,
        [(code, answer.value) for code, answer in answers.items()],
        set(evidence),
        {code: (d.decision, d.corrected_value) for code, d in decisions.items()},
    )
    return QuestionnairePage(
        submission=submission,
        rubric=rubric,
        section=section,
        section_title=section_title(rubric, section),
        sections=links,
        questions=[
            _question_view(
                rubric,
                kind,
                code,
                answers.get(code),
                evidence.get(code, []),
                decisions.get(code),
                editable_codes,
            )
            for code in sections[section]
        ],
        score=provisional_score(rubric, summary, if_verified),
        editable=editable_codes is None or bool(editable_codes),
        problems=problems,
        previous_section=order[position - 1] if position > 0 else None,
        next_section=order[position + 1] if position + 1 < len(order) else None,
    )


def autosave_question(submission: Submission, code: str) -> tuple[Rubric, QuestionView] | None:
    """The one question an autosave changes (no query in a draft, else 1); None if the
    questionnaire lacks it."""
    rubric = rubric_of(submission.rubric_version)
    kind = submission.platform_kind
    if not any(code in codes for codes in questions_by_section(rubric, kind).values()):
        return None
    if submission.state == S.DRAFT:  # all editable: the version comes with the post
        return rubric, _question_view(rubric, kind, code, None, [], None, None)
    answer = (
        Answer.objects.filter(submission=submission, question_code=code)
        .select_related("updated_by")
        .first()
    )
    if submission.state == S.REVISION_REQUESTED and answer is not None and answer.reopened:
        editable_codes = {code}
    else:
        editable_codes = set()
    return rubric, _question_view(rubric, kind, code, answer, [], None, editable_codes)


@dataclass(frozen=True)
class _EvidenceFlag:
    needs_reconfirmation: bool


@dataclass
class ScorePanels:
    """What an autosave response re-renders: the score panel and the side index."""

    submission: Submission
    score: ProvisionalScore | None
    sections: list[SectionLink]
    problems: list[Problem]


def score_panels(submission: Submission) -> ScorePanels:
    """The score panel and section index as stored now, for a submission just saved (3 queries
    in a draft, 4 under review: its summary, answers, evidence and review decisions)."""
    rubric = rubric_of(submission.rubric_version)
    kind = submission.platform_kind
    answers = {
        code: (value, unconfirmed)
        for code, value, unconfirmed in Answer.objects.filter(submission=submission).values_list(
            "question_code", "value", "needs_reconfirmation"
        )
    }
    evidence: dict[str, list] = {}
    for code, unconfirmed in _current_evidence(submission).values_list(
        "question_code", "needs_reconfirmation"
    ):
        evidence.setdefault(code, []).append(_EvidenceFlag(unconfirmed))
    decisions = {}
    if submission.state != S.DRAFT:  # a draft has never been reviewed
        decisions = {
            code: (decision, corrected)
            for code, decision, corrected in ReviewDecision.objects.filter(
                submission=submission, is_current=True
            )
            .order_by("created_at", "id")
            .values_list("question_code", "decision", "corrected_value")
        }
    problems = _problems(rubric, kind, answers, evidence)
    sections = questions_by_section(rubric, kind)
    if_verified = result_if_verified(
        rubric,
        kind,
        [(code, value) for code, (value, _unconfirmed) in answers.items()],
        set(evidence),
        decisions,
    )
    return ScorePanels(
        submission=submission,
        score=provisional_score(
            rubric, ScoreSummary.objects.filter(submission=submission).first(), if_verified
        ),
        sections=_section_links(
            rubric,
            sections,
            {code for code, (value, _u) in answers.items() if answer_is_set(value)},
            problems,
            "",
        ),
        problems=problems,
    )


def first_section_to_edit(submission: Submission) -> str:
    """Where "continue" leads: the first reopened question's section in a revision, else P."""
    if submission.state == S.REVISION_REQUESTED:
        code = (
            Answer.objects.filter(submission=submission, reopened=True)
            .order_by("question_code")
            .values_list("question_code", flat=True)
            .first()
        )
        if code:
            return _section_of(code)
    return PRECONDITIONS


# --- The read-only view and history --------------------------------------------------------------


@dataclass
class ReadOnlySection:
    code: str
    title: str
    questions: list[QuestionView]


def submission_overview(submission: Submission) -> list[ReadOnlySection]:
    """Every section with its answers and evidence, for the read-only view (3 queries)."""
    rubric = rubric_of(submission.rubric_version)
    kind = submission.platform_kind
    answers = {
        answer.question_code: answer
        for answer in Answer.objects.filter(submission=submission).select_related("updated_by")
    }
    evidence: dict[str, list[Evidence]] = {}
    for item in _current_evidence(submission):
        evidence.setdefault(item.question_code, []).append(item)
    decisions = {
        decision.question_code: decision
        for decision in ReviewDecision.objects.filter(submission=submission, is_current=True)
    }
    return [
        ReadOnlySection(
            code=section,
            title=section_title(rubric, section),
            questions=[
                _question_view(
                    rubric,
                    kind,
                    code,
                    answers.get(code),
                    evidence.get(code, []),
                    decisions.get(code),
                    set(),
                )
                for code in codes
            ],
        )
        for section, codes in questions_by_section(rubric, kind).items()
    ]


def _state_label(state: str) -> str:
    return str(S(state).label) if state in S.values else (state or "—")


def submission_history(submission: Submission) -> list[SubmissionEvent]:
    """The submission's events, oldest first, with their states as words (1 query)."""
    events = list(submission.events.select_related("actor").order_by("created_at", "id"))
    for event in events:
        event.from_label = _state_label(event.from_state)
        event.to_label = _state_label(event.to_state)
    return events


# --- The operator's home -------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeRow:
    platform: Platform
    cycle: AssessmentCycle
    submission: Submission | None
    can_start: bool
    can_copy: bool


def operator_home_rows(user: User) -> list[HomeRow]:
    """The organisation's platforms × cycles: existing submissions and what can be started.

    Open cycles list every platform (start or continue); other cycles only the submissions
    made in them. Three queries whatever the number of platforms and cycles.
    """
    platforms = list(visible_platforms(user).order_by("name"))
    cycles = list(AssessmentCycle.objects.order_by("-opens_on"))
    submissions = {
        (submission.platform_id, submission.cycle_id): submission
        for submission in visible_submissions(user)
        .filter(platform__in=platforms)
        .select_related("score_summary", "certification", "renewal")
    }
    rows = []
    for cycle in cycles:
        open_cycle = cycle.is_open()
        for platform in platforms:
            submission = submissions.get((platform.pk, cycle.pk))
            if submission is None and not open_cycle:
                continue
            has_previous = any(
                (platform.pk, other.pk) in submissions
                and submissions[(platform.pk, other.pk)].state != S.WITHDRAWN
                for other in cycles
                if other.opens_on < cycle.opens_on
            )
            rows.append(
                HomeRow(
                    platform=platform,
                    cycle=cycle,
                    submission=submission,
                    can_start=submission is None and open_cycle,
                    can_copy=submission is None and open_cycle and has_previous,
                )
            )
    return rows


def evidence_for_user(user: User, evidence_id: int) -> Evidence | None:
    """An evidence item whose submission the user may see (1 query)."""
    return (
        Evidence.objects.filter(submission__in=visible_submissions(user))
        .select_related("submission")
        .filter(pk=evidence_id)
        .first()
    )


def organisation_members(user: User) -> QuerySet[User]:
    return User.objects.filter(organisation_id=user.organisation_id).order_by("-is_active", "email")


def organisation_platforms(user: User) -> QuerySet[Platform]:
    return (
        visible_platforms(user)
        .select_related("region")
        .prefetch_related(Prefetch("industries"))
        .order_by("name")
    )
