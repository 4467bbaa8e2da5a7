"""The scoring engine: pure functions from a rubric and answers to a tier result.

Implements ``shared/RUBRIC.md`` exactly. Everything is computed with :class:`fractions.Fraction`
and compared with the thresholds before any rounding; decimal strings are made only for display
(:meth:`ScoreResult.to_dict`). No Django, no database: plain data in, plain data out.

:func:`score` is the one entry point. Per-rubric structures (the criteria that apply to a kind,
tier by tier) are built once and kept with the rubric (:meth:`Rubric.cached`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from questionnaires.rubric import (
    ANCHOR_COUNT,
    ANCHOR_SATISFACTION,
    EVIDENCE_STATUSES,
    KINDS,
    TIERS,
    AnswerError,
    Criterion,
    EvidenceMode,
    EvidenceStatus,
    Indicator,
    QuestionType,
    Rubric,
    validate_answer,
)

NOT_RATED = "not_rated"
PASS_SCORE = Fraction(4, 5)
DIMENSION_FLOOR = Fraction(1, 2)

RULE_SCORE = "score_below_0.8"
RULE_LOWER_TIER = "lower_tier_not_achieved"
RULE_GATE = "gate_not_met:"  # + indicator code
RULE_DIMENSION_FLOOR = "dimension_below_0.5:"  # + dimension code
RULE_PRECONDITION = "precondition_failed:"  # + precondition code

_ZERO = Fraction(0)
_HALF = Fraction(1, 2)
_EIGHTY = Fraction(4, 5)
_ONE = Fraction(1)
_ANCHOR_FRACTIONS = tuple(Fraction(value) for value in ANCHOR_SATISFACTION)
_V_TEXT = {_ONE: "1.0", _EIGHTY: "0.8", _HALF: "0.5", _ZERO: "0"}
_STATUSES = frozenset(EVIDENCE_STATUSES)


# --- Input ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnswerInput:
    """One indicator's answer: its value (see :func:`validate_answer`) and its evidence status.

    With ``evidence="corrected"`` the value is the one a reviewer recorded; it is scored with
    v = 1.0. A value of ``None`` counts as unanswered.
    """

    value: Any
    evidence: str = EvidenceStatus.NONE


# --- Output --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CriterionResult:
    indicator: str
    dimension: str
    tier: str
    gate: bool
    s: Fraction
    v: Fraction
    e: Fraction
    reason_code: str
    reason_params: Mapping[str, Any]

    @property
    def reason(self) -> str:
        return describe_reason(self.reason_code, self.reason_params)

    def to_dict(self) -> dict[str, Any]:
        s_decimal = _exact_decimal(self.s)
        v_text = _V_TEXT[self.v]
        return {
            "indicator": self.indicator,
            "tier": self.tier,
            "s": str(s_decimal),
            "v": v_text,
            "e": _score_text(s_decimal * Decimal(v_text)),
            "gate": self.gate,
            "reason_code": self.reason_code,
            "reason_params": dict(self.reason_params),
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class TierResult:
    tier: str
    score: Fraction  # T(k)
    achieved: bool
    failed_rules: tuple[str, ...]
    dimension_means: Mapping[str, Fraction]  # m(d, k), only dimensions with criteria at k

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": _round_half_up(self.score, 4),
            "achieved": self.achieved,
            "failed_rules": list(self.failed_rules),
        }


@dataclass(frozen=True, slots=True)
class PreconditionStep:
    precondition: str
    change: str

    def to_dict(self) -> dict[str, Any]:
        return {"precondition": self.precondition, "change": self.change, "suggested_value": True}


@dataclass(frozen=True, slots=True)
class PlanStep:
    indicator: str
    tier: str
    gain: Fraction  # exact increase of T(tier)
    suggested_value: Any  # normalised: bool, int, Decimal, option code or list of codes
    change: str
    suggested_evidence: str = EvidenceStatus.VERIFIED

    def to_dict(self) -> dict[str, Any]:
        suggested_value = self.suggested_value
        if isinstance(suggested_value, Decimal):
            suggested_value = _number_text(suggested_value)
        elif isinstance(suggested_value, list):
            suggested_value = list(suggested_value)
        return {
            "indicator": self.indicator,
            "tier": self.tier,
            "change": self.change,
            "gain": _round_half_up(self.gain, 4),
            "suggested_value": suggested_value,
            "suggested_evidence": str(self.suggested_evidence),
        }


@dataclass(frozen=True, slots=True)
class Blocker:
    """What keeps the next tier out of reach and no improvement can change now: a failed
    precondition (``precondition`` set) or a criterion of an indicator recording the
    platform's past (``indicator`` set; ``actionable: false`` in the rubric)."""

    reason: str  # "precondition_failed" or "past_record"
    precondition: str = ""
    indicator: str = ""
    tier: str = ""

    def to_dict(self) -> dict[str, Any]:
        blocker: dict[str, Any] = {"reason": self.reason}
        if self.precondition:
            blocker["precondition"] = self.precondition
        if self.indicator:
            blocker["indicator"] = self.indicator
            blocker["tier"] = self.tier
        return blocker


@dataclass(frozen=True, slots=True)
class ScoreResult:
    result: str  # the highest achieved tier or "not_rated"
    progress_index: Fraction  # S in 0…4
    tiers: Mapping[str, TierResult]  # all four, in order
    criteria: tuple[CriterionResult, ...]  # in rubric order
    next_tier_plan: tuple[PlanStep, ...]  # only changes the platform can make
    next_tier: str | None  # the lowest tier not achieved (the plan's aim), None if all are
    failed_preconditions: tuple[str, ...]
    blockers: tuple[Blocker, ...] = ()  # what no plan step can change

    @property
    def dimensions(self) -> dict[str, dict[str, Fraction]]:
        """m(d, k) by dimension then tier; tiers without criteria in a dimension are omitted."""
        means: dict[str, dict[str, Fraction]] = {}
        for tier_result in self.tiers.values():
            for dimension, mean in tier_result.dimension_means.items():
                means.setdefault(dimension, {})[tier_result.tier] = mean
        return means

    def to_dict(self) -> dict[str, Any]:
        return {
            "result": self.result,
            "progress_index": _round_down(self.progress_index, 2),
            "tiers": {tier: tier_result.to_dict() for tier, tier_result in self.tiers.items()},
            "dimensions": {
                dimension: {tier: _round_half_up(mean, 4) for tier, mean in tier_means.items()}
                for dimension, tier_means in self.dimensions.items()
            },
            "criteria": [criterion.to_dict() for criterion in self.criteria],
            "next_tier_plan": [step.to_dict() for step in self.next_tier_plan],
            "blockers": [blocker.to_dict() for blocker in self.blockers],
        }


# --- Number formatting ---------------------------------------------------------------------------


def _round_half_up(value: Fraction, places: int) -> str:
    quotient, remainder = divmod(value.numerator * 10**places, value.denominator)
    if 2 * remainder >= value.denominator:
        quotient += 1
    return str(Decimal(quotient).scaleb(-places))


def _round_down(value: Fraction, places: int) -> str:
    return str(Decimal(value.numerator * 10**places // value.denominator).scaleb(-places))


def _exact_decimal(value: Fraction) -> Decimal:
    """A Fraction with a terminating decimal expansion (all satisfactions are) as a Decimal."""
    return Decimal(value.numerator) / Decimal(value.denominator)


def _number_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _score_text(value: Decimal) -> str:
    """An effective score with the digits it needs and at least one decimal: 1.0, 0.8, 0.25."""
    text = _number_text(value)
    return text if "." in text else f"{text}.0"


# --- Per-rubric index ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Slot:
    """One criterion that applies to the kind, with what scoring needs precomputed."""

    indicator: Indicator
    criterion: Criterion
    dimension: str
    tier: str
    gate: bool
    target: Fraction | None  # numeric and percentage
    target_80: Fraction | None
    target_50: Fraction | None
    target_text: str
    option_satisfaction: Mapping[str, Fraction]  # choice: option code → satisfaction here


@dataclass(frozen=True, slots=True)
class _TierIndex:
    tier: str
    dimensions: tuple[tuple[str, int, int], ...]  # (code, weight, number of criteria)
    total_weight: int


@dataclass(frozen=True, slots=True)
class _KindIndex:
    kind: str
    indicators: tuple[tuple[Indicator, tuple[_Slot, ...]], ...]
    tiers: tuple[_TierIndex, ...]


def _build_index(rubric: Rubric, kind: str) -> _KindIndex:
    indicators: list[tuple[Indicator, tuple[_Slot, ...]]] = []
    counts: dict[tuple[str, str], int] = {}
    for dimension in rubric.dimensions:
        for indicator in dimension.indicators:
            if not indicator.applies_to(kind):
                continue
            slots = []
            for criterion in indicator.criteria:
                target = criterion.target_for(kind)
                target_fraction = Fraction(target) if target is not None else None
                slots.append(
                    _Slot(
                        indicator=indicator,
                        criterion=criterion,
                        dimension=dimension.code,
                        tier=criterion.tier,
                        gate=criterion.gate,
                        target=target_fraction,
                        target_80=target_fraction * _EIGHTY
                        if target_fraction is not None
                        else None,
                        target_50=target_fraction * _HALF if target_fraction is not None else None,
                        target_text=_number_text(target) if target is not None else "",
                        option_satisfaction={
                            option.code: Fraction(option.satisfaction_at(criterion.tier))
                            for option in indicator.options
                        },
                    )
                )
                key = (criterion.tier, dimension.code)
                counts[key] = counts.get(key, 0) + 1
            indicators.append((indicator, tuple(slots)))
    tiers = []
    for tier in TIERS:
        dimensions = tuple(
            (dimension.code, dimension.weight(kind), counts[(tier, dimension.code)])
            for dimension in rubric.dimensions
            if (tier, dimension.code) in counts
        )
        tiers.append(
            _TierIndex(
                tier=tier,
                dimensions=dimensions,
                total_weight=sum(weight for _code, weight, _count in dimensions),
            )
        )
    return _KindIndex(kind=kind, indicators=tuple(indicators), tiers=tuple(tiers))


def _kind_index(rubric: Rubric, kind: str) -> _KindIndex:
    if kind not in KINDS:
        raise ValueError(f"unknown platform kind {kind!r}")
    return rubric.cached(("scoring", kind), lambda: _build_index(rubric, kind))


# --- Satisfaction, verification, reasons ---------------------------------------------------------


def _satisfaction(
    slot: _Slot, value: Any, value_fraction: Fraction | None, value_text: str
) -> tuple[Fraction, str, dict[str, Any]]:
    """s for one criterion, with the reason code and parameters explaining it."""
    if value is None:
        return _ZERO, "unanswered", {}
    question_type = slot.indicator.type
    if question_type in (QuestionType.NUMERIC, QuestionType.PERCENTAGE):
        if value_fraction >= slot.target:
            return _ONE, "met_target", {"value": value_text, "target": slot.target_text}
        if value_fraction >= slot.target_80:
            satisfaction = _EIGHTY
        elif value_fraction >= slot.target_50:
            satisfaction = _HALF
        else:
            satisfaction = _ZERO
        return (
            satisfaction,
            "below_target",
            {
                "value": value_text,
                "target": slot.target_text,
                "ratio": _round_down(value_fraction / slot.target, 4),
                "satisfaction": str(_exact_decimal(satisfaction)),
            },
        )
    if question_type == QuestionType.BOOLEAN:
        return (_ONE, "boolean_true", {}) if value else (_ZERO, "boolean_false", {})
    if question_type == QuestionType.ORDINAL:
        satisfaction = _ANCHOR_FRACTIONS[value]
        return (
            satisfaction,
            "anchor",
            {"index": value, "satisfaction": str(_exact_decimal(satisfaction))},
        )
    # choice
    chosen = value if isinstance(value, list) else [value]
    total = sum((slot.option_satisfaction[code] for code in chosen), _ZERO)
    satisfaction = min(total, _ONE)
    return (
        satisfaction,
        "option_sum",
        {
            "options": list(chosen),
            "sum": str(_exact_decimal(total)),
            "satisfaction": str(_exact_decimal(satisfaction)),
        },
    )


def _verification(mode: str, status: str, gate: bool) -> Fraction:
    """v for an evidence mode and status (RUBRIC.md, "Evidence and the verification factor")."""
    if status == EvidenceStatus.CORRECTED:
        return _ONE
    if mode == EvidenceMode.NONE:
        return _ONE
    if status == EvidenceStatus.REJECTED:
        return _ZERO
    if mode == EvidenceMode.OPTIONAL:
        return _ONE
    if status == EvidenceStatus.VERIFIED:
        return _ONE
    if status == EvidenceStatus.UPLOADED:
        return _EIGHTY
    return _ZERO if gate else _HALF  # self-declared


def _reason(
    basis_code: str, basis_params: dict[str, Any], mode: str, status: str, gate: bool, v: Fraction
) -> tuple[str, dict[str, Any]]:
    if basis_code == "unanswered":
        return basis_code, basis_params
    params = {**basis_params, "evidence": str(status), "evidence_mode": str(mode), "v": _V_TEXT[v]}
    if status == EvidenceStatus.CORRECTED:
        return "corrected_by_reviewer", {**params, "basis": basis_code}
    if mode != EvidenceMode.NONE and status == EvidenceStatus.REJECTED:
        return "evidence_rejected", {**params, "basis": basis_code}
    if mode == EvidenceMode.REQUIRED and status == EvidenceStatus.NONE and gate:
        return "self_declared_gate", {**params, "basis": basis_code}
    return basis_code, params


_BASIS_SENTENCES = {
    "unanswered": "Not answered: satisfaction 0.",
    "boolean_true": "Met: satisfaction 1.",
    "boolean_false": "Not met: satisfaction 0.",
    "anchor": "Answered level {index} of 0–3: satisfaction {satisfaction}.",
    "met_target": "The answer {value} meets the target {target}: satisfaction 1.",
    "below_target": (
        "The answer {value} is {percent} % of the target {target}: satisfaction {satisfaction}."
    ),
    "option_sum": "Chosen {options} count {sum} at this tier: satisfaction {satisfaction}.",
}

_EVIDENCE_SENTENCES = {
    (EvidenceMode.NONE, None): "No evidence needed: factor 1.0.",
    (EvidenceMode.OPTIONAL, None): "Evidence optional: factor 1.0.",
    (EvidenceMode.REQUIRED, EvidenceStatus.VERIFIED): "Evidence verified: factor 1.0.",
    (EvidenceMode.REQUIRED, EvidenceStatus.UPLOADED): (
        "Evidence uploaded, not yet reviewed: factor 0.8."
    ),
    (EvidenceMode.REQUIRED, EvidenceStatus.NONE): "Self-declared without evidence: factor 0.5.",
}

_OVERRIDE_SENTENCES = {
    "evidence_rejected": "{basis} The evidence was rejected by a reviewer: factor 0.",
    "self_declared_gate": (
        "{basis} This is a gate: without evidence a self-declared answer counts 0 (factor 0)."
    ),
    "corrected_by_reviewer": (
        "A reviewer recorded a corrected answer. {basis} Scored with factor 1.0."
    ),
}

REASON_CODES = tuple(_BASIS_SENTENCES) + tuple(_OVERRIDE_SENTENCES)


def _basis_sentence(code: str, params: Mapping[str, Any]) -> str:
    if code == "below_target":
        percent = (Decimal(params["ratio"]) * 100).quantize(Decimal("0.01"))
        return _BASIS_SENTENCES[code].format(**{**params, "percent": percent})
    if code == "option_sum":
        if not params["options"]:
            return "No option chosen: satisfaction 0."
        options = "option " if len(params["options"]) == 1 else "options "
        options += ", ".join(params["options"])
        sentence = _BASIS_SENTENCES[code].format(**{**params, "options": options})
        if Decimal(params["sum"]) > 1:
            sentence = sentence.removesuffix(".") + " (capped at 1)."
        return sentence
    return _BASIS_SENTENCES[code].format(**params)


def describe_reason(code: str, params: Mapping[str, Any]) -> str:
    """An English sentence for a criterion's reason (the web layer translates separately)."""
    if code in _OVERRIDE_SENTENCES:
        basis = _basis_sentence(params["basis"], params)
        return _OVERRIDE_SENTENCES[code].format(basis=basis)
    if code not in _BASIS_SENTENCES:
        raise ValueError(f"unknown reason code {code!r}")
    sentence = _basis_sentence(code, params)
    if code == "unanswered":
        return sentence
    mode = params["evidence_mode"]
    status = params["evidence"] if mode == EvidenceMode.REQUIRED else None
    return f"{sentence} {_EVIDENCE_SENTENCES[(mode, status)]}"


# --- Scoring -------------------------------------------------------------------------------------


def _check_input(
    rubric: Rubric, preconditions: Mapping[str, bool], answers: Mapping[str, AnswerInput]
) -> None:
    known_preconditions = {precondition.code for precondition in rubric.preconditions}
    for code, met in preconditions.items():
        if code not in known_preconditions:
            raise ValueError(f"unknown precondition {code!r} in {rubric.label}")
        if not isinstance(met, bool):
            raise ValueError(f"precondition {code!r} must be true or false, got {met!r}")
    for code, answer in answers.items():
        if not rubric.has_indicator(code):
            raise ValueError(f"unknown indicator {code!r} in {rubric.label}")
        if answer.evidence not in _STATUSES:
            raise ValueError(f"unknown evidence status {answer.evidence!r} for {code}")


def score(
    rubric: Rubric,
    kind: str,
    preconditions: Mapping[str, bool],
    answers: Mapping[str, AnswerInput],
) -> ScoreResult:
    """Score one submission: tier scores, the result, the derivation and the next-tier plan.

    ``preconditions`` maps precondition codes to whether they are met (missing = failed);
    ``answers`` maps indicator codes to :class:`AnswerInput` (missing = unanswered). Indicators
    that do not apply to ``kind`` are left out. Raises :class:`AnswerError` (with ``indicator``
    set) for an invalid answer value and ``ValueError`` for unknown codes.
    """
    index = _kind_index(rubric, kind)
    _check_input(rubric, preconditions, answers)
    failed_preconditions = tuple(
        precondition.code
        for precondition in rubric.preconditions
        if preconditions.get(precondition.code) is not True
    )

    criteria: list[CriterionResult] = []
    values: dict[str, Any] = {}
    sums: dict[tuple[str, str], Fraction] = {}
    failed_gates: dict[str, list[str]] = {tier: [] for tier in TIERS}
    for indicator, slots in index.indicators:
        answer = answers.get(indicator.code)
        value = None
        status = EvidenceStatus.NONE
        if answer is not None:
            status = answer.evidence
            if answer.value is not None:
                try:
                    value = validate_answer(indicator, answer.value)
                except AnswerError as error:
                    raise AnswerError(
                        error.code, error.message_params, indicator=indicator.code
                    ) from error
        values[indicator.code] = value
        value_fraction = None
        value_text = ""
        if isinstance(value, Decimal):
            value_fraction = Fraction(value)
            value_text = _number_text(value)
        mode = indicator.evidence
        for slot in slots:
            satisfaction, basis_code, basis_params = _satisfaction(
                slot, value, value_fraction, value_text
            )
            verification = _verification(mode, status, slot.gate)
            effective = satisfaction * verification
            reason_code, reason_params = _reason(
                basis_code, basis_params, mode, status, slot.gate, verification
            )
            criteria.append(
                CriterionResult(
                    indicator=indicator.code,
                    dimension=slot.dimension,
                    tier=slot.tier,
                    gate=slot.gate,
                    s=satisfaction,
                    v=verification,
                    e=effective,
                    reason_code=reason_code,
                    reason_params=reason_params,
                )
            )
            key = (slot.tier, slot.dimension)
            sums[key] = sums.get(key, _ZERO) + effective
            if slot.gate and effective != _ONE:
                failed_gates[slot.tier].append(indicator.code)

    tiers: dict[str, TierResult] = {}
    lower_achieved = True
    for tier_index in index.tiers:
        tier = tier_index.tier
        means = {code: sums[(tier, code)] / count for code, _weight, count in tier_index.dimensions}
        tier_score = _tier_score(tier_index, means)
        failed_rules = []
        if tier_score < PASS_SCORE:
            failed_rules.append(RULE_SCORE)
        if not lower_achieved:
            failed_rules.append(RULE_LOWER_TIER)
        failed_rules.extend(RULE_GATE + code for code in failed_gates[tier])
        failed_rules.extend(
            RULE_DIMENSION_FLOOR + code for code, mean in means.items() if mean < DIMENSION_FLOOR
        )
        failed_rules.extend(RULE_PRECONDITION + code for code in failed_preconditions)
        achieved = not failed_rules
        tiers[tier] = TierResult(
            tier=tier,
            score=tier_score,
            achieved=achieved,
            failed_rules=tuple(failed_rules),
            dimension_means=means,
        )
        lower_achieved = achieved

    achieved_tiers = [tier for tier in TIERS if tiers[tier].achieved]
    next_tier = next((tier for tier in TIERS if not tiers[tier].achieved), None)
    if next_tier is None:
        progress_index = Fraction(len(TIERS))
    else:
        progress_index = len(achieved_tiers) + tiers[next_tier].score

    criteria_tuple = tuple(criteria)
    plan, blockers = _next_tier_plan(
        rubric, index, next_tier, tiers, criteria_tuple, values, answers, failed_preconditions
    )
    return ScoreResult(
        blockers=blockers,
        result=achieved_tiers[-1] if achieved_tiers else NOT_RATED,
        progress_index=progress_index,
        tiers=tiers,
        criteria=criteria_tuple,
        next_tier_plan=plan,
        next_tier=next_tier,
        failed_preconditions=failed_preconditions,
    )


def _tier_score(tier_index: _TierIndex, means: Mapping[str, Fraction]) -> Fraction:
    """T(k): the weighted mean of the dimension means; 0 when no dimension has criteria at k."""
    if not tier_index.total_weight:
        return _ZERO
    weighted = sum((weight * means[code] for code, weight, _count in tier_index.dimensions), _ZERO)
    return weighted / tier_index.total_weight


# --- The next-tier plan --------------------------------------------------------------------------


def _next_tier_plan(
    rubric: Rubric,
    index: _KindIndex,
    next_tier: str | None,
    tiers: Mapping[str, TierResult],
    criteria: tuple[CriterionResult, ...],
    values: Mapping[str, Any],
    answers: Mapping[str, AnswerInput],
    failed_preconditions: tuple[str, ...],
) -> tuple[tuple[PlanStep, ...], tuple[Blocker, ...]]:
    """The fewest criteria whose improvement to e = 1 makes ``next_tier`` achieved, and what
    no improvement can change (the blockers).

    Failing gates first; then, for each dimension below the floor, its largest gains until it
    reaches 0.5; then the largest remaining gains until T ≥ 0.8. Each criterion belongs to a
    different indicator (one criterion per tier), so the gains in T simply add up.
    Only changes the platform can make are steps: a failed precondition (a legal status, a
    past incident) and an indicator recording the platform's past (``actionable: false``) are
    blockers instead, never suggested as improvements. Empty when every tier is achieved;
    without criteria at that tier (nothing can reach it) only the blockers are listed.
    """
    blockers = [
        Blocker(reason="precondition_failed", precondition=code) for code in failed_preconditions
    ]
    if next_tier is None:
        return (), tuple(blockers)
    tier_index = next(t for t in index.tiers if t.tier == next_tier)
    if not tier_index.total_weight:
        return (), tuple(blockers)

    weights = {code: weight for code, weight, _count in tier_index.dimensions}
    counts = {code: count for code, _weight, count in tier_index.dimensions}
    candidates = []
    for criterion in criteria:
        if criterion.tier != next_tier or criterion.e == _ONE:
            continue
        if rubric.indicator(criterion.indicator).actionable:
            candidates.append(criterion)
        else:
            blockers.append(
                Blocker(reason="past_record", indicator=criterion.indicator, tier=next_tier)
            )

    def mean_gain(criterion: CriterionResult) -> Fraction:
        return (_ONE - criterion.e) / counts[criterion.dimension]

    def score_gain(criterion: CriterionResult) -> Fraction:
        return weights[criterion.dimension] * mean_gain(criterion) / tier_index.total_weight

    selected: dict[str, CriterionResult] = {}
    means = dict(tiers[next_tier].dimension_means)

    def select(criterion: CriterionResult) -> None:
        selected[criterion.indicator] = criterion
        means[criterion.dimension] += mean_gain(criterion)

    for criterion in candidates:
        if criterion.gate:
            select(criterion)
    by_gain = sorted(candidates, key=score_gain, reverse=True)  # stable: rubric order on ties
    for dimension in weights:
        for criterion in by_gain:
            if means[dimension] >= DIMENSION_FLOOR:
                break
            if criterion.dimension == dimension and criterion.indicator not in selected:
                select(criterion)
    tier_score = _tier_score(tier_index, means)
    for criterion in by_gain:
        if tier_score >= PASS_SCORE:
            break
        if criterion.indicator not in selected:
            select(criterion)
            tier_score += score_gain(criterion)

    steps = []
    for criterion in sorted(selected.values(), key=score_gain, reverse=True):
        indicator = rubric.indicator(criterion.indicator)
        answer = answers.get(indicator.code)
        status = answer.evidence if answer is not None else EvidenceStatus.NONE
        current = values[indicator.code]
        suggested = _suggested_value(indicator, next_tier, current, criterion.s == _ONE, index)
        steps.append(
            PlanStep(
                indicator=indicator.code,
                tier=next_tier,
                gain=score_gain(criterion),
                suggested_value=suggested,
                change=_change_sentence(indicator, current, suggested, criterion.s == _ONE, status),
            )
        )
    return tuple(steps), tuple(blockers)


def _suggested_value(
    indicator: Indicator, tier: str, current: Any, satisfied: bool, index: _KindIndex
) -> Any:
    """The best answer at ``tier``; it never lowers the indicator's criteria at lower tiers.

    Numbers only go up (below the target s < 1; at or above it the answer is kept), a
    multiple choice only adds options, and a single-choice option that fully meets a tier
    fully meets every lower one (the rubric loader enforces this).
    """
    if satisfied:
        return current
    question_type = indicator.type
    if question_type in (QuestionType.NUMERIC, QuestionType.PERCENTAGE):
        return indicator.criterion(tier).target_for(index.kind)  # above any current value
    if question_type == QuestionType.BOOLEAN:
        return True
    if question_type == QuestionType.ORDINAL:
        return ANCHOR_COUNT - 1
    options = indicator.options
    if not indicator.multiple:
        # The rubric guarantees an option with satisfaction 1 here, and that a single-choice
        # option never satisfies a higher tier better than a lower one; of the best, prefer
        # the one that also counts most at the higher tiers.
        return max(
            options,
            key=lambda option: (
                option.satisfaction_at(tier),
                sum(option.satisfaction.values()),
            ),
        ).code
    # An exclusive option ("none of these") is never kept beside others, nor suggested.
    exclusive = indicator.exclusive_options
    chosen = set(current or ()) - exclusive
    total = sum((option.satisfaction_at(tier) for option in options if option.code in chosen), 0)
    for option in sorted(options, key=lambda option: option.satisfaction_at(tier), reverse=True):
        if total >= 1:
            break
        if option.code not in chosen and option.code not in exclusive:
            chosen.add(option.code)
            total += option.satisfaction_at(tier)
    return [option.code for option in options if option.code in chosen]


def _change_sentence(
    indicator: Indicator, current: Any, suggested: Any, satisfied: bool, status: str
) -> str:
    code = indicator.code
    needs_verifying = indicator.evidence == EvidenceMode.REQUIRED or (
        indicator.evidence == EvidenceMode.OPTIONAL and status == EvidenceStatus.REJECTED
    )
    verify = " and have its evidence verified" if needs_verifying else ""
    if satisfied:
        return f"Have the evidence for {code} verified"
    question_type = indicator.type
    if question_type in (QuestionType.NUMERIC, QuestionType.PERCENTAGE):
        suffix = " %" if question_type == QuestionType.PERCENTAGE else ""
        target = _number_text(suggested) + suffix
        if current is None:
            return f"Answer {code} with at least {target}{verify}"
        return f"Raise {code} from {_number_text(current)}{suffix} to at least {target}{verify}"
    if question_type == QuestionType.BOOLEAN:
        return f"Meet {code} (answer yes){verify}"
    if question_type == QuestionType.ORDINAL:
        if current is None:
            return f"Answer {code} with level {suggested} (fully){verify}"
        return f"Raise {code} from level {current} to level {suggested} (fully){verify}"
    chosen = suggested if isinstance(suggested, list) else [suggested]
    noun = "option" if len(chosen) == 1 else "options"
    return f"Choose {noun} {', '.join(chosen)} for {code}{verify}"


def apply_plan(
    rubric: Rubric,
    kind: str,
    preconditions: Mapping[str, bool],
    answers: Mapping[str, AnswerInput],
    plan: Sequence[PreconditionStep | PlanStep],
) -> tuple[dict[str, bool], dict[str, AnswerInput]]:
    """The preconditions and answers after carrying out ``plan`` (new dicts; inputs untouched)."""
    new_preconditions = dict(preconditions)
    new_answers = dict(answers)
    for step in plan:
        if isinstance(step, PreconditionStep):
            new_preconditions[step.precondition] = True
            continue
        indicator = rubric.indicator(step.indicator)
        if not indicator.applies_to(kind):
            raise ValueError(f"{step.indicator} does not apply to kind {kind}")
        new_answers[step.indicator] = AnswerInput(
            value=step.suggested_value, evidence=step.suggested_evidence
        )
    return new_preconditions, new_answers
