"""Reads for the review desk: the queue, the review screen, required checks, round diffs, the
audit trail and the public register. Each returns what its page needs in a fixed number of
queries."""

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from assessment import presentation
from assessment.models import (
    Answer,
    AssessmentCycle,
    Certification,
    EventKind,
    Evidence,
    Region,
    ReviewDecision,
    Role,
    Submission,
    SubmissionEvent,
    SubmissionState,
    User,
)
from assessment.models.reviews import CertificationStatus
from assessment.permissions import (
    can_review_submission,
    region_codes_in_scope,
    visible_submissions,
)
from assessment.selectors.submissions import score_if_verified
from assessment.services.evidence_files import INLINE_TYPES
from assessment.services.scoring import build_score_inputs
from questionnaires.choices import TIER_ORDER
from questionnaires.rubric import EvidenceStatus, Indicator, QuestionType, Rubric
from questionnaires.scoring import AnswerInput, ScoreResult, score
from questionnaires.selectors import rubric_of

S = SubmissionState

# --- Required checks ----------------------------------------------------------------------------

#: Share of the remaining answered indicators drawn as a sample (RUBRIC.md, Governance).
SAMPLE_SHARE = 0.2
CHECK_GATE = "gate"
CHECK_NUMERIC = "numeric"
CHECK_SAMPLE = "sample"
_NUMERIC_TYPES = (QuestionType.NUMERIC, QuestionType.PERCENTAGE)


def _tier_index(result: str) -> int:
    """basic = 0 … ecosystem = 3; not rated (or blank) = -1."""
    return TIER_ORDER.index(result) if result in TIER_ORDER else -1


def checks_tier(*results: str) -> str:
    """The tier the checks must cover: the highest of the given results (what the operator
    claims, what the evidence would give if it holds, what the engine gives now), at least
    basic."""
    return TIER_ORDER[max(0, *(_tier_index(result) for result in results))]


def potential_result(rubric: Rubric, kind: str, answers, evidenced: set[str]) -> str:
    """The result the answers reach if every piece of uploaded evidence is verified: the tier
    in reach of this review, whatever the decisions so far."""
    preconditions, inputs = build_score_inputs(rubric, answers, evidenced, {})
    verified = {
        code: AnswerInput(
            value=answer.value,
            evidence=EvidenceStatus.VERIFIED
            if answer.evidence == EvidenceStatus.UPLOADED
            else answer.evidence,
        )
        for code, answer in inputs.items()
    }
    return score(rubric, kind, preconditions, verified).result


def required_checks(
    *, rubric: Rubric, kind: str, submission_id: int, answered: set[str], tier: str
) -> dict[str, tuple[str, ...]]:
    """The indicators a reviewer must decide before certifying `tier`, with the reasons.

    Every gate up to `tier`, every numeric or percentage criterion at `tier`, and a sample of
    about a fifth of the other answered indicators, drawn with a generator seeded by the
    submission's id (the same submission always gets the same sample). Unanswered indicators
    score 0 and have nothing to verify, so they are never required.
    """
    tier_index = TIER_ORDER.index(tier)
    reasons: dict[str, list[str]] = {}
    rest: list[str] = []
    for indicator in rubric.indicators:
        if not indicator.applies_to(kind) or indicator.code not in answered:
            continue
        own: list[str] = []
        if any(c.gate and TIER_ORDER.index(c.tier) <= tier_index for c in indicator.criteria):
            own.append(CHECK_GATE)
        criterion = indicator.criterion(tier)
        if indicator.type in _NUMERIC_TYPES and criterion is not None:
            if criterion.target_for(kind) is not None:
                own.append(CHECK_NUMERIC)
        if own:
            reasons[indicator.code] = own
        else:
            rest.append(indicator.code)
    sample_size = math.ceil(len(rest) * SAMPLE_SHARE)
    for code in random.Random(submission_id).sample(rest, sample_size):  # noqa: S311
        reasons[code] = [CHECK_SAMPLE]
    order = {indicator.code: number for number, indicator in enumerate(rubric.indicators)}
    return {code: tuple(reasons[code]) for code in sorted(reasons, key=order.__getitem__)}


def _load_inputs(submission: Submission):
    answers = list(
        Answer.objects.filter(submission=submission).values_list("question_code", "value")
    )
    evidenced = set(
        Evidence.objects.filter(submission=submission, is_current=True, removed_at__isnull=True)
        .values_list("question_code", flat=True)
        .distinct()
    )
    decisions = {
        code: (decision, corrected)
        for code, decision, corrected in ReviewDecision.objects.filter(
            submission=submission, is_current=True
        )
        .order_by("created_at", "id")
        .values_list("question_code", "decision", "corrected_value")
    }
    return answers, evidenced, decisions


def missing_required_checks(*, submission: Submission, result: ScoreResult) -> list[str]:
    """Required checks without a current decision, for certifying `result` (3 queries)."""
    answers, evidenced, decisions = _load_inputs(submission)
    rubric = rubric_of(submission.rubric_version)
    answered = {code for code, value in answers if value is not None}
    potential = potential_result(rubric, submission.platform_kind, answers, evidenced)
    tier = checks_tier(submission.claimed_result, potential, result.result)
    required = required_checks(
        rubric=rubric,
        kind=submission.platform_kind,
        submission_id=submission.pk,
        answered=answered,
        tier=tier,
    )
    return [code for code in required if code not in decisions]


# --- The queue -----------------------------------------------------------------------------------

QUEUE_PAGE_SIZE = 50
OPEN_STATES = [S.SUBMITTED, S.IN_REVIEW, S.REVISION_REQUESTED, S.RESUBMITTED]
QUEUE_STATES = [*OPEN_STATES, S.CERTIFIED]
STATE_OPEN = "open"
STATE_AWAITING_SIGN_OFF = "awaiting_sign_off"
STATE_REVOKED = "revoked"  # certified, then the certification was revoked
WAITING_DAYS = (7, 14, 30, 60)
QUEUE_SORTS = {
    "waiting": ("submitted_at", "id"),
    "-waiting": ("-submitted_at", "-id"),
    "platform": ("platform__name", "id"),
    "state": ("state", "submitted_at", "id"),
    "provisional": ("-score_summary__progress_index", "id"),
    "claimed": ("claimed_result", "submitted_at", "id"),
}
ASSIGNED_CHOICES = ("all", "mine", "unassigned")


@dataclass
class QueueFilters:
    cycle: str = ""
    state: str = STATE_OPEN
    kind: str = ""
    region: str = ""
    claimed: str = ""
    provisional: str = ""
    waiting: int | None = None
    assigned: str = "all"
    q: str = ""
    sort: str = "waiting"
    page: int = 1

    @classmethod
    def from_query(cls, query) -> "QueueFilters":
        """Filters from a query string; unknown values fall back to the defaults."""
        filters = cls()
        filters.cycle = query.get("cycle", "")[:20]
        state = query.get("state", STATE_OPEN)
        allowed_states = {STATE_OPEN, STATE_AWAITING_SIGN_OFF, STATE_REVOKED, "all", *QUEUE_STATES}
        filters.state = state if state in allowed_states else STATE_OPEN
        filters.kind = query.get("kind", "")[:14]
        filters.region = query.get("region", "")[:6]
        filters.claimed = query.get("claimed", "")[:10]
        filters.provisional = query.get("provisional", "")[:10]
        try:
            waiting = int(query.get("waiting", ""))
            filters.waiting = waiting if waiting in WAITING_DAYS else None
        except ValueError:
            filters.waiting = None
        assigned = query.get("assigned", "all")
        filters.assigned = assigned if assigned in ASSIGNED_CHOICES else "all"
        filters.q = query.get("q", "").strip()[:100]
        sort = query.get("sort", "waiting")
        filters.sort = sort if sort in QUEUE_SORTS else "waiting"
        try:
            filters.page = max(1, int(query.get("page", "1")))
        except ValueError:
            filters.page = 1
        return filters

    def query_string(self, **overrides) -> str:
        """The filters as a query string (for sort links and paging), without empty values."""
        from urllib.parse import urlencode

        values = {
            "cycle": self.cycle,
            "state": self.state,
            "kind": self.kind,
            "region": self.region,
            "claimed": self.claimed,
            "provisional": self.provisional,
            "waiting": self.waiting or "",
            "assigned": self.assigned if self.assigned != "all" else "",
            "q": self.q,
            "sort": self.sort,
            "page": "",
        } | overrides
        return urlencode({key: value for key, value in values.items() if value not in ("", None)})


@dataclass
class QueueOptions:
    cycles: list[AssessmentCycle]
    regions: list[Region]
    reviewers: list[User]


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue, with every label resolved (the page renders plain values)."""

    pk: int
    platform_name: str
    organisation_name: str
    region_name: str
    kind_label: str
    cycle_code: str
    state: str
    state_label: str
    awaiting_sign_off: bool
    review_round: int
    claimed: str
    claimed_label: str
    provisional: str
    provisional_label: str
    progress_index: str
    submitted_at: datetime | None
    waiting_days: int | None
    reviewer_name: str
    assigned_to_user: bool
    assigned: bool


class _QueueLabels:
    """Choice labels rendered once per request instead of once per row."""

    def __init__(self):
        from questionnaires.choices import PlatformKind, Result

        self.state = {value: str(label) for value, label in S.choices}
        self.kind = {value: str(label) for value, label in PlatformKind.choices}
        self.result = {value: str(label) for value, label in Result.choices}


def _queue_row(submission: Submission, labels: _QueueLabels, user: User, now) -> QueueRow:
    summary = submission.score_summary if _has(submission, "score_summary") else None
    certification = submission.certification if _has(submission, "certification") else None
    reviewer = submission.assigned_reviewer
    return QueueRow(
        pk=submission.pk,
        platform_name=submission.platform.name,
        organisation_name=submission.platform.organisation.name,
        region_name=submission.platform.region.name,
        kind_label=labels.kind.get(submission.platform_kind, submission.platform_kind),
        cycle_code=submission.cycle.code,
        state=STATE_REVOKED
        if certification is not None and certification.status == CertificationStatus.REVOKED
        else submission.state,
        state_label=presentation.revocation_text(certification)
        or labels.state.get(submission.state, submission.state),
        awaiting_sign_off=certification is not None
        and certification.status == CertificationStatus.AWAITING_SIGN_OFF,
        review_round=submission.review_round,
        claimed=submission.claimed_result,
        claimed_label=labels.result.get(submission.claimed_result, ""),
        provisional=summary.result if summary else "",
        provisional_label=labels.result.get(summary.result, "") if summary else "",
        progress_index=str(summary.progress_index) if summary else "",
        submitted_at=submission.submitted_at,
        waiting_days=(now - submission.submitted_at).days if submission.submitted_at else None,
        reviewer_name=str(reviewer) if reviewer else "",
        assigned_to_user=submission.assigned_reviewer_id == user.pk,
        assigned=submission.assigned_reviewer_id is not None,
    )


def _has(instance, relation: str) -> bool:
    """Whether a reverse one-to-one fetched by select_related exists (no query either way)."""
    try:
        getattr(instance, relation)
    except ObjectDoesNotExist:
        return False
    return True


@dataclass
class QueuePage:
    page: Page
    filters: QueueFilters
    options: QueueOptions
    now: datetime


def queue_submissions(user: User) -> QuerySet[Submission]:
    """What may appear in the user's queue: submitted work in their regions, drafts and
    withdrawn ones left out, and for a reviewer nothing of an organisation they belong to or
    declared a conflict with."""
    submissions = visible_submissions(user).exclude(state__in=[S.DRAFT, S.WITHDRAWN])
    if user.role == Role.REVIEWER:
        if user.organisation_id:
            submissions = submissions.exclude(platform__organisation_id=user.organisation_id)
        submissions = submissions.exclude(platform__organisation__conflicts__reviewer=user)
    return submissions


def _region_filter(code: str, regions: list[Region]) -> Q | None:
    codes = {region.code for region in regions if code in (region.code, region.parent_id)}
    if not codes:
        return None
    return Q(platform__region_id__in=sorted(codes))


_QUEUE_ROW_FIELDS = (
    "id",
    "state",
    "platform_kind",
    "claimed_result",
    "review_round",
    "submitted_at",
    "assigned_reviewer_id",
    "platform__name",
    "platform__organisation__name",
    "platform__region__code",
    "platform__region__name_zh_hans",
    "platform__region__name_en",
    "cycle__code",
    "assigned_reviewer__email",
    "assigned_reviewer__full_name",
    "score_summary__result",
    "score_summary__progress_index",
    "certification__status",
    "certification__tier",
)


def review_queue(*, user: User, filters: QueueFilters) -> QueuePage:
    """One page of the user's queue, filtered and sorted (a fixed number of queries)."""
    codes = region_codes_in_scope(user)
    regions_qs = Region.objects.order_by("code").only(
        "code", "parent_id", "level", "name_zh_hans", "name_en"
    )
    regions = list(regions_qs if codes is None else regions_qs.filter(code__in=codes))
    submissions = queue_submissions(user)
    if filters.cycle:
        submissions = submissions.filter(cycle__code=filters.cycle)
    if filters.state == STATE_OPEN:
        submissions = submissions.filter(state__in=OPEN_STATES)
    elif filters.state == STATE_AWAITING_SIGN_OFF:
        submissions = submissions.filter(
            certification__status=CertificationStatus.AWAITING_SIGN_OFF
        )
    elif filters.state == STATE_REVOKED:
        submissions = submissions.filter(
            state=S.CERTIFIED, certification__status=CertificationStatus.REVOKED
        )
    elif filters.state == S.CERTIFIED:
        submissions = submissions.filter(state=S.CERTIFIED).exclude(
            certification__status=CertificationStatus.REVOKED
        )
    elif filters.state in QUEUE_STATES:
        submissions = submissions.filter(state=filters.state)
    if filters.kind:
        submissions = submissions.filter(platform_kind=filters.kind)
    if filters.region:
        region_q = _region_filter(filters.region, regions)
        submissions = submissions.filter(region_q) if region_q else submissions.none()
    if filters.claimed:
        submissions = submissions.filter(claimed_result=filters.claimed)
    if filters.provisional:
        submissions = submissions.filter(score_summary__result=filters.provisional)
    now = timezone.now()
    if filters.waiting:
        submissions = submissions.filter(submitted_at__lte=now - timedelta(days=filters.waiting))
    if filters.assigned == "mine":
        submissions = submissions.filter(assigned_reviewer=user)
    elif filters.assigned == "unassigned":
        submissions = submissions.filter(assigned_reviewer__isnull=True)
    if filters.q:
        submissions = submissions.filter(
            Q(platform__name__icontains=filters.q)
            | Q(platform__organisation__name__icontains=filters.q)
        )
    # Page in two steps: the ids of one page (a narrow query that sorts only what it must),
    # then the rows of those ids with everything the table shows. Joining the organisation,
    # cycle, reviewer, score and certification of every match just to keep 50 costs far more.
    ids = submissions.order_by(*QUEUE_SORTS[filters.sort]).values_list("pk", flat=True)
    page = Paginator(ids, QUEUE_PAGE_SIZE).get_page(filters.page)
    page_ids = list(page.object_list)
    rows = (
        {
            submission.pk: submission
            for submission in Submission.objects.filter(pk__in=page_ids)
            .select_related(
                "platform__organisation",
                "platform__region",
                "cycle",
                "assigned_reviewer",
                "score_summary",
                "certification",
            )
            .only(*_QUEUE_ROW_FIELDS)
        }
        if page_ids
        else {}
    )
    labels = _QueueLabels()
    page.object_list = [_queue_row(rows[pk], labels, user, now) for pk in page_ids if pk in rows]
    reviewers: list[User] = []
    if user.is_admin or (user.role == Role.REVIEWER and user.is_lead_reviewer):
        reviewers = list(
            _reviewers_for(user, codes)
            .only("id", "email", "full_name", "is_national")
            .order_by("email")
        )
    cycles = list(AssessmentCycle.objects.only("id", "code", "title_zh_hans", "title_en"))
    return QueuePage(
        page=page,
        filters=filters,
        options=QueueOptions(cycles=cycles, regions=regions, reviewers=reviewers),
        now=now,
    )


def _reviewers_for(user: User, codes: set[str] | None) -> QuerySet[User]:
    """Reviewers a lead may assign work to: those of a region in the lead's scope (a province's
    cities included), or all for national scope. The service checks each assignment again."""
    reviewers = User.objects.filter(role=Role.REVIEWER, is_active=True)
    if codes is None:
        return reviewers
    return reviewers.filter(Q(regions__code__in=codes) | Q(pk=user.pk)).distinct()


# --- The review screen ---------------------------------------------------------------------------


@dataclass
class EvidenceItem:
    evidence: Evidence
    url: str  # where to open it: the permission-checked download view, or the link itself
    inline: bool  # a PDF or an image the browser can show in the page
    is_image: bool
    is_pdf: bool


@dataclass
class CriterionLine:
    tier: str
    gate: bool
    s: str
    v: str
    e: str
    reason: str

    @property
    def tier_label(self) -> str:
        return presentation.tier_label(self.tier)


@dataclass
class IndicatorRow:
    indicator: Indicator
    code: str
    title: str
    help: str
    value: Any
    answer_text: str
    answered: bool
    reopened: bool
    evidence: list[EvidenceItem]
    current: ReviewDecision | None
    history: list[ReviewDecision]
    criteria: list[CriterionLine]
    required: tuple[str, ...]
    unit: str
    anchors: list[tuple[int, str]] = field(default_factory=list)
    options: list[tuple[str, str]] = field(default_factory=list)

    @property
    def input_kind(self) -> str:
        return str(self.indicator.type)

    @property
    def evidence_mode_label(self) -> str:
        from django.utils.translation import gettext

        return {
            "required": gettext("evidence required"),
            "optional": gettext("evidence optional"),
            "none": gettext("no evidence needed"),
        }.get(str(self.indicator.evidence), str(self.indicator.evidence))

    @property
    def multiple(self) -> bool:
        return self.indicator.multiple

    @property
    def corrected_text(self) -> str:
        if self.current is None or self.current.decision != "corrected":
            return ""
        return presentation.answer_text(self.indicator, self.current.corrected_value)


@dataclass
class DimensionGroup:
    code: str
    title: str
    rows: list[IndicatorRow]


@dataclass
class ScoreView:
    result: str
    progress_index: str
    tiers: list[dict]
    decision_text: str


@dataclass
class ChangeLine:
    code: str
    title: str
    before: str
    after: str
    answer_changed: bool
    added: list[Evidence]
    removed: list[Evidence]

    @property
    def changed(self) -> bool:
        return self.answer_changed or bool(self.added) or bool(self.removed)


@dataclass
class RoundDiff:
    event: SubmissionEvent
    message: str
    changes: list[ChangeLine]


@dataclass
class ReviewScreen:
    submission: Submission
    rubric: Rubric
    groups: list[DimensionGroup]
    live: ScoreView
    claimed: ScoreView
    live_result: ScoreResult
    checks_tier: str
    required: dict[str, tuple[str, ...]]
    missing: list[str]
    unanswered_required: list[str]
    decided_count: int
    diff: RoundDiff | None
    certification: Certification | None
    preconditions: list[tuple[str, str, Any]]
    question_codes: list[str]
    # What the viewing user may do now (the services check again).
    can_assign_self: bool = False
    can_start: bool = False
    can_decide: bool = False
    can_certify: bool = False
    can_sign_off: bool = False
    can_revoke: bool = False
    can_declare_conflict: bool = False

    @property
    def live_result_label(self) -> str:
        return presentation.tier_label(self.live.result)

    @property
    def claimed_result_label(self) -> str:
        return presentation.tier_label(self.claimed.result)

    @property
    def checks_tier_label(self) -> str:
        return presentation.tier_label(self.checks_tier)


def _evidence_url(evidence: Evidence) -> str:
    if evidence.is_link:
        return evidence.url
    try:
        return reverse("evidence_download", args=[evidence.pk])
    except NoReverseMatch:
        return ""


def _evidence_item(evidence: Evidence) -> EvidenceItem:
    is_file = bool(evidence.file)
    inline = is_file and evidence.content_type in INLINE_TYPES
    return EvidenceItem(
        evidence=evidence,
        url=_evidence_url(evidence),
        inline=inline,
        is_image=inline and evidence.content_type.startswith("image/"),
        is_pdf=inline and evidence.content_type == "application/pdf",
    )


def _score_view(result: ScoreResult, rubric: Rubric) -> ScoreView:
    breakdown = result.to_dict()
    tiers = [
        {
            "tier": tier,
            "label": presentation.tier_label(tier),
            "score": presentation.score_text(values["score"]),
            "percent": min(100, round(float(values["score"]) * 100)),
            "achieved": values["achieved"],
            "failed": [
                presentation.failed_rule_text(rule, rubric)
                for rule in values["failed_rules"]
                if rule != "lower_tier_not_achieved"
            ],
        }
        for tier, values in breakdown["tiers"].items()
    ]
    return ScoreView(
        result=result.result,
        progress_index=breakdown["progress_index"],
        tiers=tiers,
        decision_text=presentation.tier_decision_text(
            result.result, result.next_tier, breakdown["tiers"], rubric
        ),
    )


def _indicator_choices(indicator: Indicator, language: str):
    anchors = [(anchor.index, anchor.label.get(language)) for anchor in indicator.anchors]
    options = [(option.code, option.label.get(language)) for option in indicator.options]
    return anchors, options


def review_screen_submission(submission_id: int, queryset: QuerySet[Submission]) -> Submission:
    """The submission with everything the screen's header needs (one query)."""
    return (
        queryset.select_related(
            "platform__organisation",
            "platform__region__parent",
            "cycle",
            "rubric_version",
            "assigned_reviewer",
            "certification__proposed_by",
            "certification__signed_off_by",
            "certification__revoked_by",
        )
        .defer("rubric_version__definition")  # parsed once per process by rubric_of
        .filter(pk=submission_id)
        .first()
    )


def _certification_of(submission: Submission) -> Certification | None:
    try:
        return submission.certification
    except Certification.DoesNotExist:
        return None


def review_screen(*, user: User, submission: Submission) -> ReviewScreen:
    """Everything the review screen shows: per indicator the answer, evidence, decisions and
    criteria; the live and the claimed score; required checks; what changed since the last
    revision request; and what the user may do now."""
    rubric = rubric_of(submission.rubric_version)
    kind = submission.platform_kind
    language = presentation.language()
    answers = {
        answer.question_code: answer for answer in Answer.objects.filter(submission=submission)
    }
    all_evidence = list(
        Evidence.objects.filter(submission=submission).order_by("uploaded_at", "id")
    )
    evidence_by_code: dict[str, list[EvidenceItem]] = {}
    for evidence in all_evidence:
        if evidence.is_current and evidence.removed_at is None:
            evidence_by_code.setdefault(evidence.question_code, []).append(_evidence_item(evidence))
    decisions = list(
        ReviewDecision.objects.filter(submission=submission)
        .select_related("reviewer")
        .order_by("created_at", "id")
    )
    current: dict[str, ReviewDecision] = {}
    history: dict[str, list[ReviewDecision]] = {}
    for decision in decisions:
        history.setdefault(decision.question_code, []).append(decision)
        if decision.is_current:
            current[decision.question_code] = decision

    answer_pairs = [(code, answer.value) for code, answer in answers.items()]
    evidenced = set(evidence_by_code)
    decision_inputs = {
        code: (decision.decision, decision.corrected_value) for code, decision in current.items()
    }
    preconditions, inputs = build_score_inputs(rubric, answer_pairs, evidenced, decision_inputs)
    live = score(rubric, kind, preconditions, inputs)
    # The claim as the queue shows it (Submission.claimed_result): every uploaded item holding.
    claimed = score_if_verified(rubric, kind, answer_pairs, evidenced, {})

    answered = {code for code, answer in answers.items() if answer.value is not None}
    potential = potential_result(rubric, kind, answer_pairs, evidenced)
    tier = checks_tier(submission.claimed_result, potential, live.result)
    required = required_checks(
        rubric=rubric, kind=kind, submission_id=submission.pk, answered=answered, tier=tier
    )
    missing = [code for code in required if code not in current]

    criteria_by_code: dict[str, list[CriterionLine]] = {}
    for criterion in live.criteria:
        line = criterion.to_dict()
        criteria_by_code.setdefault(criterion.indicator, []).append(
            CriterionLine(
                tier=criterion.tier,
                gate=criterion.gate,
                s=presentation.score_text(line["s"]),
                v=line["v"],
                e=presentation.score_text(line["e"]),
                reason=presentation.reason_text(
                    criterion.reason_code,
                    dict(criterion.reason_params),
                    rubric.indicator(criterion.indicator),
                ),
            )
        )

    groups: list[DimensionGroup] = []
    unanswered_required: list[str] = []
    for dimension in rubric.dimensions:
        rows = []
        for indicator in dimension.indicators:
            if not indicator.applies_to(kind):
                continue
            answer = answers.get(indicator.code)
            value = answer.value if answer is not None else None
            anchors, options = _indicator_choices(indicator, language)
            is_gate_or_numeric = any(c.gate for c in indicator.criteria) or (
                indicator.type in _NUMERIC_TYPES and indicator.criterion(tier) is not None
            )
            if value is None and is_gate_or_numeric:
                unanswered_required.append(indicator.code)
            rows.append(
                IndicatorRow(
                    indicator=indicator,
                    code=indicator.code,
                    title=indicator.title.get(language),
                    help=indicator.help.get(language),
                    value=value,
                    answer_text=presentation.answer_text(indicator, value),
                    answered=value is not None,
                    reopened=bool(answer and answer.reopened),
                    evidence=evidence_by_code.get(indicator.code, []),
                    current=current.get(indicator.code),
                    history=history.get(indicator.code, []),
                    criteria=criteria_by_code.get(indicator.code, []),
                    required=required.get(indicator.code, ()),
                    unit=indicator.unit.get(language) if indicator.unit else "",
                    anchors=anchors,
                    options=options,
                )
            )
        groups.append(
            DimensionGroup(code=dimension.code, title=dimension.title.get(language), rows=rows)
        )

    precondition_rows = []
    for precondition in rubric.preconditions:
        answer = answers.get(precondition.code)
        precondition_rows.append(
            (precondition.code, precondition.text.get(language), answer.value if answer else None)
        )

    certification = _certification_of(submission)
    screen = ReviewScreen(
        submission=submission,
        rubric=rubric,
        groups=groups,
        live=_score_view(live, rubric),
        claimed=_score_view(claimed, rubric),
        live_result=live,
        checks_tier=tier,
        required=required,
        missing=missing,
        unanswered_required=unanswered_required,
        decided_count=len(required) - len(missing),
        diff=_round_diff(submission, rubric, answers, all_evidence, language),
        certification=certification,
        preconditions=precondition_rows,
        question_codes=[p.code for p in rubric.preconditions]
        + [indicator.code for indicator in rubric.indicators if indicator.applies_to(kind)],
    )
    _set_abilities(screen, user)
    return screen


def _set_abilities(screen: ReviewScreen, user: User) -> None:
    submission = screen.submission
    certification = screen.certification
    reviewer = user.role == Role.REVIEWER and can_review_submission(user, submission)
    assigned_to_user = submission.assigned_reviewer_id == user.pk
    awaiting = (
        certification is not None and certification.status == CertificationStatus.AWAITING_SIGN_OFF
    )
    screen.can_assign_self = (
        reviewer
        and not assigned_to_user
        and submission.state in OPEN_STATES
        and (submission.assigned_reviewer_id is None or user.is_lead_reviewer)
    )
    screen.can_start = (
        reviewer and assigned_to_user and submission.state in (S.SUBMITTED, S.RESUBMITTED)
    )
    screen.can_decide = (
        reviewer and assigned_to_user and submission.state == S.IN_REVIEW and not awaiting
    )
    screen.can_certify = screen.can_decide and certification is None
    screen.can_sign_off = (
        awaiting
        and user.role == Role.REVIEWER
        and user.is_national
        and certification.proposed_by_id != user.pk
        and reviewer
    )
    screen.can_revoke = (
        certification is not None
        and certification.status == CertificationStatus.CERTIFIED
        and (user.is_admin or (reviewer and (user.is_national or user.is_lead_reviewer)))
    )
    screen.can_declare_conflict = user.role == Role.REVIEWER and reviewer


def latest_revision_event(submission: Submission) -> SubmissionEvent | None:
    return (
        SubmissionEvent.objects.filter(submission=submission, kind=EventKind.REVISION_REQUESTED)
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )


def _round_diff(submission, rubric, answers, all_evidence, language) -> RoundDiff | None:
    """What the operator changed on the reopened questions since the latest revision request:
    the answers and evidence then (kept in the request's event) against those now."""
    event = latest_revision_event(submission)
    if event is None:
        return None
    detail = event.detail or {}
    before_answers = detail.get("answers", {})
    before_evidence = {code: set(ids) for code, ids in detail.get("evidence", {}).items()}
    evidence_by_id = {evidence.pk: evidence for evidence in all_evidence}
    changes = []
    for code in detail.get("questions", []):
        indicator = rubric.indicator(code) if rubric.has_indicator(code) else None
        before = before_answers.get(code)
        answer = answers.get(code)
        after = answer.value if answer is not None else None
        now_ids = {
            evidence.pk
            for evidence in all_evidence
            if evidence.question_code == code and evidence.is_current and not evidence.removed_at
        }
        then_ids = before_evidence.get(code, set())
        if indicator is not None:
            title = indicator.title.get(language)
            before_text = presentation.answer_text(indicator, before)
            after_text = presentation.answer_text(indicator, after)
        else:
            title = presentation.precondition_text(rubric, code)
            before_text, after_text = _precondition_text(before), _precondition_text(after)
        changes.append(
            ChangeLine(
                code=code,
                title=title,
                before=before_text,
                after=after_text,
                answer_changed=before != after,
                added=[evidence_by_id[pk] for pk in sorted(now_ids - then_ids)],
                removed=[
                    evidence_by_id[pk] for pk in sorted(then_ids - now_ids) if pk in evidence_by_id
                ],
            )
        )
    return RoundDiff(event=event, message=event.note, changes=changes)


def _precondition_text(value) -> str:
    from django.utils.translation import gettext

    if value is None:
        return gettext("Not answered")
    return gettext("Met") if value is True else gettext("Not met")


# --- Audit trail ---------------------------------------------------------------------------------


def submission_events(submission: Submission) -> QuerySet[SubmissionEvent]:
    """Every event of the submission, oldest first, with its actor (one query)."""
    return (
        SubmissionEvent.objects.filter(submission=submission)
        .select_related("actor")
        .order_by("created_at", "id")
    )


# --- Public register -----------------------------------------------------------------------------

REGISTER_PAGE_SIZE = 50


@dataclass
class RegisterFilters:
    q: str = ""
    tier: str = ""
    kind: str = ""
    province: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, query) -> "RegisterFilters":
        filters = cls(
            q=query.get("q", "").strip()[:100],
            tier=query.get("tier", "") if query.get("tier", "") in TIER_ORDER else "",
            kind=query.get("kind", "")[:14],
            province=query.get("province", "")[:6],
        )
        try:
            filters.page = max(1, int(query.get("page", "1")))
        except ValueError:
            filters.page = 1
        return filters

    def query_string(self, **overrides) -> str:
        from urllib.parse import urlencode

        values = {
            "q": self.q,
            "tier": self.tier,
            "kind": self.kind,
            "province": self.province,
        } | overrides
        return urlencode({key: value for key, value in values.items() if value})


def register_certifications(*, filters: RegisterFilters, today: date | None = None) -> Page:
    """Certified platforms whose certification is in force, newest tier first (paged)."""
    today = today or timezone.localdate()
    in_force = Certification.objects.filter(
        status=CertificationStatus.CERTIFIED, valid_until__gte=today
    )
    # One current tier per platform: a later certification in force supersedes earlier ones.
    certifications = in_force.exclude(
        Exists(
            in_force.filter(
                submission__platform_id=OuterRef("submission__platform_id"),
                certified_at__gt=OuterRef("certified_at"),
            )
        )
    )
    if filters.q:
        certifications = certifications.filter(
            Q(submission__platform__name__icontains=filters.q)
            | Q(submission__platform__organisation__name__icontains=filters.q)
        )
    if filters.tier:
        certifications = certifications.filter(tier=filters.tier)
    if filters.kind:
        certifications = certifications.filter(submission__platform_kind=filters.kind)
    if filters.province:
        certifications = certifications.filter(
            Q(submission__platform__region_id=filters.province)
            | Q(submission__platform__region__parent_id=filters.province)
        )
    certifications = (
        certifications.select_related(
            "submission__platform__organisation",
            "submission__platform__region__parent",
            "submission__cycle",
        )
        .only(
            "id",
            "tier",
            "certified_at",
            "valid_until",
            "submission__platform_kind",
            "submission__platform__name",
            "submission__platform__organisation__name",
            "submission__platform__region__code",
            "submission__platform__region__name_zh_hans",
            "submission__platform__region__name_en",
            "submission__platform__region__parent__code",
            "submission__platform__region__parent__name_zh_hans",
            "submission__platform__region__parent__name_en",
            "submission__cycle__code",
            "submission__cycle__title_zh_hans",
            "submission__cycle__title_en",
        )
        .order_by("submission__platform__name", "id")
    )
    return Paginator(certifications, REGISTER_PAGE_SIZE).get_page(filters.page)


def register_provinces() -> list[Region]:
    return list(Region.objects.filter(level="province").order_by("code"))
