"""Scoring stored submissions: turn answers, evidence and review decisions into engine input,
run the engine, and store the summary that dashboards aggregate."""

from collections.abc import Iterable

from django.db import transaction

from assessment.metrics import METRIC_INDICATORS
from assessment.models import (
    Answer,
    DimensionScore,
    Evidence,
    ReviewDecision,
    ScoreSummary,
    Submission,
)
from assessment.models.submissions import ReviewDecisionKind
from assessment.services.dashboard_cache import dashboard_cache_invalidate
from questionnaires.rubric import EvidenceStatus, Rubric
from questionnaires.scoring import AnswerInput, ScoreResult, score
from questionnaires.selectors import rubric_of

_DECISION_STATUS = {
    ReviewDecisionKind.VERIFIED: EvidenceStatus.VERIFIED,
    ReviewDecisionKind.REJECTED: EvidenceStatus.REJECTED,
    ReviewDecisionKind.CORRECTED: EvidenceStatus.CORRECTED,
}


def build_score_inputs(
    rubric: Rubric,
    answers: Iterable[tuple[str, object]],
    evidenced_codes: set[str],
    decisions: dict[str, tuple[str, object]],
) -> tuple[dict[str, bool], dict[str, AnswerInput]]:
    """Engine input from stored rows: answers (code, value), the codes with current evidence,
    and the current review decision per code (decision, corrected value)."""
    precondition_codes = {precondition.code for precondition in rubric.preconditions}
    preconditions: dict[str, bool] = {}
    inputs: dict[str, AnswerInput] = {}
    for code, value in answers:
        if code in precondition_codes:
            preconditions[code] = value is True
            continue
        if not rubric.has_indicator(code):
            continue  # a question of another rubric version (scoring across versions)
        if value is None:
            continue
        status = EvidenceStatus.UPLOADED if code in evidenced_codes else EvidenceStatus.NONE
        decision = decisions.get(code)
        if decision is not None:
            status = _DECISION_STATUS[decision[0]]
            if status == EvidenceStatus.CORRECTED:
                value = decision[1]
        inputs[code] = AnswerInput(value=value, evidence=status)
    return preconditions, inputs


def load_score_inputs(submission_ids: list[int]) -> dict[int, tuple[list, set, dict]]:
    """Answers, evidenced codes and current decisions of many submissions, in three queries."""
    loaded: dict[int, tuple[list, set, dict]] = {pk: ([], set(), {}) for pk in submission_ids}
    for submission_id, code, value in Answer.objects.filter(
        submission_id__in=submission_ids
    ).values_list("submission_id", "question_code", "value"):
        loaded[submission_id][0].append((code, value))
    for submission_id, code in (
        Evidence.objects.filter(
            submission_id__in=submission_ids, is_current=True, removed_at__isnull=True
        )
        .values_list("submission_id", "question_code")
        .distinct()
    ):
        loaded[submission_id][1].add(code)
    for submission_id, code, decision, corrected in (
        ReviewDecision.objects.filter(submission_id__in=submission_ids, is_current=True)
        .order_by("created_at", "id")
        .values_list("submission_id", "question_code", "decision", "corrected_value")
    ):
        loaded[submission_id][2][code] = (decision, corrected)
    return loaded


def _score_now(submission: Submission) -> tuple[Rubric, dict[str, AnswerInput], ScoreResult]:
    rubric = rubric_of(submission.rubric_version)
    answers, evidenced, decisions = load_score_inputs([submission.pk])[submission.pk]
    preconditions, inputs = build_score_inputs(rubric, answers, evidenced, decisions)
    return rubric, inputs, score(rubric, submission.platform_kind, preconditions, inputs)


def submission_score(submission: Submission) -> ScoreResult:
    """The score the submission's answers, evidence and decisions give now."""
    return _score_now(submission)[2]


def _metric_value(rubric: Rubric, inputs: dict[str, AnswerInput], metric: str) -> int | None:
    code = METRIC_INDICATORS.get(rubric.code, {}).get(metric)
    answer = inputs.get(code) if code else None
    if answer is None or answer.evidence not in (EvidenceStatus.VERIFIED, EvidenceStatus.CORRECTED):
        return None
    return int(answer.value)


def summary_values(
    rubric: Rubric, inputs: dict[str, AnswerInput], result: ScoreResult
) -> tuple[dict, dict[str, str]]:
    """What is stored of a result (pure): the ScoreSummary fields and each dimension's mean.

    The dimension profile is that of the tier in reach; at the top tier, of the top tier.
    """
    breakdown = result.to_dict()
    tiers = breakdown["tiers"]
    in_reach = result.next_tier or ""
    fields = {
        "result": result.result,
        "progress_index": breakdown["progress_index"],
        "score_basic": tiers["basic"]["score"],
        "score_growth": tiers["growth"]["score"],
        "score_leading": tiers["leading"]["score"],
        "score_ecosystem": tiers["ecosystem"]["score"],
        "tier_in_reach": in_reach,
        "connected_devices": _metric_value(rubric, inputs, "connected_devices"),
        "enterprises_served": _metric_value(rubric, inputs, "enterprises_served"),
        "breakdown": breakdown,
    }
    profile_tier = in_reach or "ecosystem"
    means = {
        code: tier_means[profile_tier]
        for code, tier_means in breakdown["dimensions"].items()
        if profile_tier in tier_means
    }
    return fields, means


@transaction.atomic
def submission_rescore(*, submission: Submission) -> ScoreResult:
    """Store the submission's current score; call after every change to its inputs."""
    rubric, inputs, result = _score_now(submission)
    fields, means = summary_values(rubric, inputs, result)
    # One upsert statement: rescoring follows every autosave.
    ScoreSummary.objects.bulk_create(
        [ScoreSummary(submission_id=submission.pk, **fields)],
        update_conflicts=True,
        unique_fields=["submission"],
        update_fields=[*fields, "computed_at"],
    )
    DimensionScore.objects.filter(submission_id=submission.pk).delete()
    DimensionScore.objects.bulk_create(
        DimensionScore(submission_id=submission.pk, dimension_code=code, mean=mean)
        for code, mean in means.items()
    )
    dashboard_cache_invalidate()
    return result
