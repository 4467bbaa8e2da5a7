"""Properties of the scoring engine over random small rubrics and answers (hypothesis)."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionnaires.rubric import (
    EVIDENCE_MODES,
    EVIDENCE_STATUSES,
    KINDS,
    QUESTION_TYPES,
    TIERS,
    Indicator,
    Rubric,
)
from questionnaires.scoring import (
    NOT_RATED,
    AnswerInput,
    PlanStep,
    ScoreResult,
    apply_plan,
    score,
)
from tests.questionnaires.rubric_builders import (
    boolean,
    build,
    choice,
    criterion,
    dimension,
    numeric,
    option,
    ordinal,
    percentage,
    precondition,
    rubric_dict,
)

# The pure engine: no database, so CI runs it once (on the PostgreSQL pass).
pytestmark = pytest.mark.once

PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
SATISFACTION_VALUES = (0, 0.25, 0.3, 0.5, 0.8, 1)
# Evidence statuses from worst to best; a status may be raised to any of equal or higher rank.
EVIDENCE_RANK = {"rejected": 0, "none": 1, "uploaded": 2, "verified": 3, "corrected": 3}
RESULT_RANK = {NOT_RATED: -1, **{tier: index for index, tier in enumerate(TIERS)}}


# --- Strategies ----------------------------------------------------------------------------------


@st.composite
def weight_splits(draw, parts: int) -> list[int]:
    """``parts`` positive integers summing to 100."""
    cuts = sorted(
        draw(st.lists(st.integers(1, 99), min_size=parts - 1, max_size=parts - 1, unique=True))
    )
    return [high - low for low, high in zip([0, *cuts], [*cuts, 100], strict=True)]


@st.composite
def choice_options(draw, tiers: list[str], multiple: bool) -> list[dict]:
    count = draw(st.integers(2, 3))
    values: list[dict[str, float]] = []
    for _ in range(count):
        drawn = draw(
            st.lists(st.sampled_from(SATISFACTION_VALUES), min_size=len(tiers), max_size=len(tiers))
        )
        if not multiple:  # a single-choice option is never easier at a higher tier
            drawn.sort(reverse=True)
        values.append(dict(zip(tiers, drawn, strict=True)))
    for position, tier in enumerate(tiers):
        if multiple and sum(option_values[tier] for option_values in values) < 1:
            values[-1][tier] = 1
        if not multiple and max(option_values[tier] for option_values in values) < 1:
            best = max(values, key=lambda option_values: option_values[tier])
            for lower_tier in tiers[: position + 1]:
                best[lower_tier] = 1
    return [option(f"o{index}", **option_values) for index, option_values in enumerate(values)]


@st.composite
def indicator_dicts(draw, code: str, every_tier_and_kind: bool = False) -> dict:
    question_type = draw(st.sampled_from(QUESTION_TYPES))
    drawn_tiers = (
        set(TIERS) if every_tier_and_kind else draw(st.sets(st.sampled_from(TIERS), min_size=1))
    )
    tiers = [tier for tier in TIERS if tier in drawn_tiers]
    kinds = None
    if not every_tier_and_kind:
        kinds = draw(
            st.one_of(st.none(), st.lists(st.sampled_from(KINDS), min_size=1, unique=True))
        )
    evidence = draw(st.sampled_from(EVIDENCE_MODES))
    criteria = []
    for tier in tiers:
        target = None
        if question_type in ("numeric", "percentage"):
            top = 1000 if question_type == "numeric" else 100
            target = {kind: draw(st.integers(1, top)) for kind in (kinds or KINDS)}
        gate = draw(st.sampled_from((False, False, False, True)))
        criteria.append(criterion(tier, target, gate))
    if question_type == "choice":
        multiple = draw(st.booleans())
        options = draw(choice_options(tiers, multiple))
        return choice(code, options, criteria, multiple, evidence=evidence, kinds=kinds)
    builder = {
        "boolean": boolean,
        "ordinal": ordinal,
        "numeric": numeric,
        "percentage": percentage,
    }[question_type]
    return builder(code, criteria, evidence=evidence, kinds=kinds)


@st.composite
def rubrics(draw) -> Rubric:
    """Small random rubrics; D1.1 has a criterion at every tier for every kind (as a real rubric
    has criteria at every tier), so that higher tiers can be reached; other rubrics may leave
    a tier without criteria for a kind."""
    reach_every_tier = draw(st.sampled_from((True, True, True, False)))
    dimension_count = draw(st.integers(1, 3))
    splits = {kind: draw(weight_splits(dimension_count)) for kind in KINDS}
    dimensions = []
    for number in range(1, dimension_count + 1):
        indicator_count = draw(st.integers(1, 3))
        indicators = [
            draw(indicator_dicts(f"D{number}.{index}", reach_every_tier and number == index == 1))
            for index in range(1, indicator_count + 1)
        ]
        dimension_weights = {kind: splits[kind][number - 1] for kind in KINDS}
        dimensions.append(dimension(f"D{number}", indicators, dimension_weights))
    preconditions = [precondition(f"P{n}") for n in range(1, draw(st.integers(0, 2)) + 1)]
    return build(rubric_dict(dimensions, preconditions))


def answer_values(indicator: Indicator, kind: str) -> st.SearchStrategy:
    if indicator.type == "boolean":
        return st.booleans()
    if indicator.type == "ordinal":
        return st.integers(0, 3)
    if indicator.type in ("numeric", "percentage"):
        targets = [c.target_for(kind) for c in indicator.criteria]
        near_thresholds = [
            target * Decimal(share) for target in targets for share in ("1", "0.8", "0.5")
        ]
        top = 100 if indicator.type == "percentage" else 2 * max(targets)
        return st.one_of(
            st.integers(0, int(top)).map(Decimal),
            st.sampled_from(near_thresholds),
        )
    codes = [option.code for option in indicator.options]
    if indicator.multiple:
        return st.lists(st.sampled_from(codes), unique=True)
    return st.sampled_from(codes)


def strong_values(indicator: Indicator, kind: str) -> st.SearchStrategy:
    """Good answers, so that many random submissions achieve some tiers."""
    if indicator.type == "boolean":
        return st.just(True)
    if indicator.type == "ordinal":
        return st.integers(2, 3)
    if indicator.type in ("numeric", "percentage"):
        top = max(c.target_for(kind) for c in indicator.criteria)
        return st.sampled_from((top, top * Decimal("0.8")))
    if indicator.multiple:
        return st.just([option.code for option in indicator.options])
    return st.sampled_from(
        [o.code for o in indicator.options if o.satisfaction_at(indicator.criteria[-1].tier) == 1]
    )


def applicable(rubric: Rubric, kind: str) -> list[Indicator]:
    return [indicator for indicator in rubric.indicators if indicator.applies_to(kind)]


@st.composite
def submissions(draw, strengths: tuple[int, ...] = (10, 9, 5, 0)):
    """(rubric, kind, preconditions, answers), from poor to strong, preconditions mostly met."""
    rubric = draw(rubrics())
    kind = draw(st.sampled_from(KINDS))
    preconditions = {}
    for item in rubric.preconditions:
        met = draw(st.sampled_from((True, True, True, True, True, False, None)))
        if met is not None:
            preconditions[item.code] = met
    strength = draw(st.sampled_from(strengths))  # in tenths: how many answers are strong
    answers = {}
    for indicator in applicable(rubric, kind):
        if draw(st.integers(0, 19)) == 19:  # hypothesis favours small numbers
            continue  # unanswered
        if draw(st.integers(0, 9)) < strength:
            value = draw(strong_values(indicator, kind))
            evidence = draw(st.sampled_from(("verified", "verified", "corrected", "uploaded")))
        else:
            value = draw(answer_values(indicator, kind))
            evidence = draw(st.sampled_from(EVIDENCE_STATUSES))
        answers[indicator.code] = AnswerInput(value, evidence)
    return rubric, kind, preconditions, answers


def _satisfaction_by_tier(indicator: Indicator, chosen: str) -> list[Decimal]:
    return [indicator.option(chosen).satisfaction_at(c.tier) for c in indicator.criteria]


def raised_values(indicator: Indicator, kind: str, current) -> st.SearchStrategy:
    """Answers at least as good as ``current`` at every one of the indicator's criteria."""
    if current is None:
        return answer_values(indicator, kind)
    if indicator.type == "boolean":
        return st.sampled_from((current, True))
    if indicator.type == "ordinal":
        return st.integers(int(current), 3)
    if indicator.type == "numeric":
        return st.integers(0, 2000).map(lambda extra: Decimal(current) + extra)
    if indicator.type == "percentage":
        return st.integers(0, 100).map(lambda extra: min(Decimal(100), Decimal(current) + extra))
    codes = [option.code for option in indicator.options]
    if indicator.multiple:
        return st.lists(st.sampled_from(codes), unique=True).map(
            lambda extra: [code for code in codes if code in set(extra) | set(current)]
        )
    current_values = _satisfaction_by_tier(indicator, current)
    better = [
        code
        for code in codes
        if all(
            new >= old
            for new, old in zip(_satisfaction_by_tier(indicator, code), current_values, strict=True)
        )
    ]
    return st.sampled_from(better)


@st.composite
def improvements(draw):
    """A submission and the same submission with up to three answers' values or evidence raised."""
    rubric, kind, preconditions, answers = draw(submissions(strengths=(5, 9, 0)))
    indicators = applicable(rubric, kind)
    improved = dict(answers)
    for _ in range(draw(st.integers(1, 3)) if indicators else 0):
        indicator = draw(st.sampled_from(indicators))
        current = improved.get(indicator.code)
        if current is None:
            value = draw(answer_values(indicator, kind))
            evidence = draw(st.sampled_from(EVIDENCE_STATUSES))
        else:
            value = draw(raised_values(indicator, kind, current.value))
            rank = EVIDENCE_RANK[current.evidence]
            evidence = draw(st.sampled_from([s for s, r in EVIDENCE_RANK.items() if r >= rank]))
        improved[indicator.code] = AnswerInput(value, evidence)
    return rubric, kind, preconditions, answers, improved


# --- An independent recomputation of the tier rules ----------------------------------------------


def recomputed_tier(
    rubric: Rubric,
    kind: str,
    result: ScoreResult,
    tier: str,
    improved: frozenset[str] = frozenset(),
) -> tuple[Fraction, bool]:
    """T(tier) and whether its own rules (score, gates, floors) hold, from the criteria list.

    Criteria of indicators in ``improved`` count as e = 1.
    """
    effective_by_dimension: dict[str, list[Fraction]] = {}
    gates_met = True
    for criterion_result in result.criteria:
        if criterion_result.tier != tier:
            continue
        effective = Fraction(1) if criterion_result.indicator in improved else criterion_result.e
        effective_by_dimension.setdefault(criterion_result.dimension, []).append(effective)
        if criterion_result.gate and effective != 1:
            gates_met = False
    if not effective_by_dimension:
        return Fraction(0), False
    means = {code: sum(values) / len(values) for code, values in effective_by_dimension.items()}
    weights = {code: rubric.dimension(code).weight(kind) for code in means}
    tier_score = sum(weights[code] * means[code] for code in means) / sum(weights.values())
    floors_met = all(mean >= Fraction(1, 2) for mean in means.values())
    return tier_score, tier_score >= Fraction(4, 5) and gates_met and floors_met


def has_criteria(rubric: Rubric, kind: str, tier: str) -> bool:
    return any(indicator.criterion(tier) for indicator in applicable(rubric, kind))


# --- Properties ----------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(improvements())
def test_raising_an_answer_never_lowers_a_tier_score_the_progress_index_or_the_result(case):
    rubric, kind, preconditions, answers, improved = case

    before = score(rubric, kind, preconditions, answers)
    after = score(rubric, kind, preconditions, improved)

    for tier in TIERS:
        assert after.tiers[tier].score >= before.tiers[tier].score
        assert after.tiers[tier].achieved or not before.tiers[tier].achieved
    assert after.progress_index >= before.progress_index
    assert RESULT_RANK[after.result] >= RESULT_RANK[before.result]


@PROPERTY_SETTINGS
@given(submissions())
def test_progress_index_stays_between_0_and_4(submission):
    result = score(*submission)

    assert 0 <= result.progress_index <= 4


@PROPERTY_SETTINGS
@given(submissions())
def test_tier_scores_match_an_independent_recomputation(submission):
    rubric, kind, _preconditions, _answers = submission

    result = score(*submission)

    for tier in TIERS:
        assert result.tiers[tier].score == recomputed_tier(rubric, kind, result, tier)[0]


@PROPERTY_SETTINGS
@given(submissions())
def test_result_tier_satisfies_all_four_rules(submission):
    rubric, kind, preconditions, _answers = submission

    result = score(*submission)

    if result.result == NOT_RATED:
        return
    position = TIERS.index(result.result)
    assert all(preconditions.get(p.code) is True for p in rubric.preconditions)
    assert all(recomputed_tier(rubric, kind, result, tier)[1] for tier in TIERS[: position + 1])


@PROPERTY_SETTINGS
@given(submissions())
def test_a_tier_is_achieved_exactly_when_no_rule_fails(submission):
    result = score(*submission)

    for tier_result in result.tiers.values():
        assert tier_result.achieved == (not tier_result.failed_rules)


@PROPERTY_SETTINGS
@given(submissions())
def test_applying_the_plan_reaches_the_next_tier(submission):
    rubric, kind, preconditions, answers = submission
    result = score(rubric, kind, preconditions, answers)
    if result.next_tier is None:
        assert result.next_tier_plan == ()
        return
    if not has_criteria(rubric, kind, result.next_tier):
        return  # nothing can reach a tier without criteria

    new_preconditions, new_answers = apply_plan(
        rubric, kind, preconditions, answers, result.next_tier_plan
    )
    # A failed precondition is a blocker, not a step: met, the plan alone reaches the tier.
    new_preconditions.update({blocker.precondition: True for blocker in result.blockers})

    assert score(rubric, kind, new_preconditions, new_answers).tiers[result.next_tier].achieved


@PROPERTY_SETTINGS
@given(submissions())
def test_no_smaller_set_of_improvements_reaches_the_next_tier(submission):
    rubric, kind, _preconditions, _answers = submission
    result = score(*submission)
    tier = result.next_tier
    steps = [step for step in result.next_tier_plan if isinstance(step, PlanStep)]
    candidates = [c.indicator for c in result.criteria if c.tier == tier and c.e < 1]
    if tier is None or not steps or len(candidates) > 10:
        return

    smaller_sets = combinations(candidates, len(steps) - 1)

    assert not any(
        recomputed_tier(rubric, kind, result, tier, frozenset(chosen))[1] for chosen in smaller_sets
    )


@PROPERTY_SETTINGS
@given(submissions())
def test_plan_steps_are_ordered_by_gain(submission):
    steps = [step for step in score(*submission).next_tier_plan if isinstance(step, PlanStep)]

    assert [step.gain for step in steps] == sorted((step.gain for step in steps), reverse=True)


@PROPERTY_SETTINGS
@given(submissions())
def test_result_json_serialises(submission):
    result = score(*submission).to_dict()

    assert json.loads(json.dumps(result)) == result
