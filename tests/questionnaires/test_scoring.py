"""The scoring engine on small rubrics: s, v and e, the tier rules, S, the JSON and the plan."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from questionnaires import scoring
from questionnaires.rubric import TIERS, AnswerError
from questionnaires.scoring import (
    NOT_RATED,
    AnswerInput,
    Blocker,
    PlanStep,
    apply_plan,
    describe_reason,
    score,
)
from tests.questionnaires import rubric_builders
from tests.questionnaires.rubric_builders import (
    boolean,
    build,
    choice,
    criterion,
    dimension,
    numeric,
    one_dimension,
    option,
    ordinal,
    percentage,
    precondition,
    rubric_dict,
    same_target,
    weights,
)

DEFAULT_RUBRIC = Path(__file__).resolve().parents[2] / "questionnaires/rubrics/iip-2026@1.0.yaml"


def verified(value) -> AnswerInput:
    return AnswerInput(value, "verified")


def criterion_of(result, indicator: str, tier: str):
    return next(c for c in result.criteria if c.indicator == indicator and c.tier == tier)


def perfect(indicator_code: str, count: int = 1) -> list[dict]:
    """``count`` boolean indicators with a basic criterion, named from ``indicator_code``."""
    dimension_code, number = indicator_code.split(".")
    return [
        boolean(f"{dimension_code}.{int(number) + offset}", [criterion("basic")])
        for offset in range(count)
    ]


# --- The worked example of RUBRIC.md -------------------------------------------------------------


def worked_example():
    data, answers = rubric_builders.worked_example()
    inputs = {code: AnswerInput(value, evidence) for code, (value, evidence) in answers.items()}
    return build(data), {"P1": True, "P2": True}, inputs


def test_worked_example_result_is_growth():
    assert score(*_example_args()).result == "growth"


def _example_args():
    rubric, preconditions, answers = worked_example()
    return rubric, "industry", preconditions, answers


def test_worked_example_progress_index_is_2_78():
    result = score(*_example_args())

    assert result.progress_index == 2 + Fraction(47, 60)
    assert result.to_dict()["progress_index"] == "2.78"


def test_worked_example_leading_score_is_0_7833():
    result = score(*_example_args())

    expected = (
        12 * Fraction("0.9") + 14 * Fraction("0.8") + 14 * Fraction("2.6") / 3
        + 12 * Fraction("0.8") + 16 * Fraction("0.8") + 10 * Fraction("0.6")
        + 10 * Fraction("0.5") + 12 * Fraction("0.9")
    ) / 100  # fmt: skip
    assert result.tiers["leading"].score == expected
    assert result.to_dict()["tiers"]["leading"] == {
        "score": "0.7833",
        "achieved": False,
        "failed_rules": ["score_below_0.8"],
    }


def test_worked_example_basic_and_growth_scores():
    tiers = score(*_example_args()).to_dict()["tiers"]

    assert (tiers["basic"]["score"], tiers["basic"]["achieved"]) == ("0.9440", True)
    assert (tiers["growth"]["score"], tiers["growth"]["achieved"]) == ("0.8390", True)


def test_worked_example_dimension_means_match_the_table():
    dimensions = score(*_example_args()).to_dict()["dimensions"]

    assert dimensions["D3"] == {"basic": "1.0000", "growth": "0.9000", "leading": "0.8667"}
    assert dimensions["D7"] == {"basic": "0.8000", "growth": "0.6500", "leading": "0.5000"}
    assert dimensions["D6"]["leading"] == "0.6000"


# --- Satisfaction s by question type -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "satisfaction"),
    [
        (1000, 1),
        (2500, 1),
        (999, Fraction(4, 5)),
        (800, Fraction(4, 5)),
        ("799.99", Fraction(1, 2)),
        (500, Fraction(1, 2)),
        (499, 0),
        (0, 0),
    ],
)
def test_numeric_satisfaction_steps_at_100_80_and_50_percent_of_target(value, satisfaction):
    rubric = one_dimension(numeric("D1.1", [criterion("basic", same_target(1000))]))

    result = score(rubric, "industry", {}, {"D1.1": verified(value)})

    assert criterion_of(result, "D1.1", "basic").s == satisfaction


def test_numeric_threshold_is_compared_exactly():
    # 2.4 / 3 is 0.7999999999999999 in floating point; exactly it is 0.8.
    rubric = one_dimension(numeric("D1.1", [criterion("basic", same_target(3))]))

    result = score(rubric, "industry", {}, {"D1.1": verified(2.4)})

    assert criterion_of(result, "D1.1", "basic").s == Fraction(4, 5)


@pytest.mark.parametrize(
    ("value", "satisfaction"),
    [(100, 1), (60, 1), (48, Fraction(4, 5)), ("47.99", Fraction(1, 2)), (30, Fraction(1, 2)),
     ("29.9", 0)],
)  # fmt: skip
def test_percentage_satisfaction_steps_against_its_target(value, satisfaction):
    rubric = one_dimension(percentage("D1.1", [criterion("basic", same_target(60))]))

    result = score(rubric, "industry", {}, {"D1.1": verified(value)})

    assert criterion_of(result, "D1.1", "basic").s == satisfaction


@pytest.mark.parametrize(
    ("kind", "satisfaction"),
    [("specialized", 1), ("industry", Fraction(1, 2)), ("collaborative", 1)],
)
def test_numeric_target_depends_on_the_platform_kind(kind, satisfaction):
    targets = {"specialized": 200, "industry": 1000, "collaborative": 500}
    rubric = one_dimension(numeric("D1.1", [criterion("basic", targets)]))

    result = score(rubric, kind, {}, {"D1.1": verified(500)})

    assert criterion_of(result, "D1.1", "basic").s == satisfaction


@pytest.mark.parametrize(("value", "satisfaction"), [(True, 1), (False, 0)])
def test_boolean_satisfaction(value, satisfaction):
    rubric = one_dimension(boolean("D1.1", [criterion("basic")]))

    result = score(rubric, "industry", {}, {"D1.1": verified(value)})

    assert criterion_of(result, "D1.1", "basic").s == satisfaction


@pytest.mark.parametrize(
    ("anchor", "satisfaction"), [(0, 0), (1, Fraction(1, 2)), (2, Fraction(4, 5)), (3, 1)]
)
def test_ordinal_anchor_satisfaction(anchor, satisfaction):
    rubric = one_dimension(ordinal("D1.1", [criterion("basic")]))

    result = score(rubric, "industry", {}, {"D1.1": verified(anchor)})

    assert criterion_of(result, "D1.1", "basic").s == satisfaction


def _single_choice_rubric():
    return one_dimension(
        choice(
            "D1.1",
            options=[option("opt-a", basic=1, growth=0.5), option("opt-b", basic=1, growth=1)],
            criteria=[criterion("basic"), criterion("growth")],
        )
    )


def test_single_choice_satisfaction_is_the_options_value_at_each_tier():
    result = score(_single_choice_rubric(), "industry", {}, {"D1.1": verified("opt-a")})

    assert criterion_of(result, "D1.1", "basic").s == 1
    assert criterion_of(result, "D1.1", "growth").s == Fraction(1, 2)


def _multiple_choice_rubric():
    return one_dimension(
        choice(
            "D1.1",
            options=[option("x", basic=0.6), option("y", basic=0.3), option("z", basic=0.5)],
            criteria=[criterion("basic")],
            multiple=True,
        )
    )


def test_multiple_choice_satisfaction_is_the_sum_of_the_chosen_options():
    result = score(_multiple_choice_rubric(), "industry", {}, {"D1.1": verified(["x", "y"])})

    assert criterion_of(result, "D1.1", "basic").s == Fraction(9, 10)


def test_multiple_choice_satisfaction_is_capped_at_1():
    result = score(_multiple_choice_rubric(), "industry", {}, {"D1.1": verified(["x", "y", "z"])})

    criterion_json = result.to_dict()["criteria"][0]
    assert (criterion_json["s"], criterion_json["reason_params"]["sum"]) == ("1", "1.4")


def test_multiple_choice_with_no_option_chosen_scores_0():
    result = score(_multiple_choice_rubric(), "industry", {}, {"D1.1": verified([])})

    assert criterion_of(result, "D1.1", "basic").s == 0


def test_unanswered_indicator_scores_0():
    rubric = one_dimension(boolean("D1.1", [criterion("basic")]))

    result = score(rubric, "industry", {}, {})

    assert criterion_of(result, "D1.1", "basic").s == 0
    assert criterion_of(result, "D1.1", "basic").reason_code == "unanswered"


def test_answer_without_a_value_counts_as_unanswered():
    rubric = one_dimension(boolean("D1.1", [criterion("basic")]))

    result = score(rubric, "industry", {}, {"D1.1": AnswerInput(None, "verified")})

    assert criterion_of(result, "D1.1", "basic").reason_code == "unanswered"


# --- Verification factor v and effective score e -------------------------------------------------

VERIFICATION = [
    ("required", "verified", False, Fraction(1)),
    ("required", "uploaded", False, Fraction(4, 5)),
    ("required", "none", False, Fraction(1, 2)),
    ("required", "rejected", False, Fraction(0)),
    ("required", "corrected", False, Fraction(1)),
    ("required", "verified", True, Fraction(1)),
    ("required", "uploaded", True, Fraction(4, 5)),
    ("required", "none", True, Fraction(0)),
    ("required", "rejected", True, Fraction(0)),
    ("required", "corrected", True, Fraction(1)),
    ("optional", "verified", False, Fraction(1)),
    ("optional", "uploaded", False, Fraction(1)),
    ("optional", "none", False, Fraction(1)),
    ("optional", "none", True, Fraction(1)),
    ("optional", "rejected", False, Fraction(0)),
    ("optional", "corrected", False, Fraction(1)),
    ("none", "verified", False, Fraction(1)),
    ("none", "uploaded", False, Fraction(1)),
    ("none", "none", True, Fraction(1)),
    ("none", "rejected", False, Fraction(1)),
    ("none", "corrected", False, Fraction(1)),
]


@pytest.mark.parametrize(("mode", "status", "gate", "factor"), VERIFICATION)
def test_verification_factor_by_evidence_mode_and_status(mode, status, gate, factor):
    rubric = one_dimension(boolean("D1.1", [criterion("basic", gate=gate)], evidence=mode))

    result = score(rubric, "industry", {}, {"D1.1": AnswerInput(True, status)})

    assert criterion_of(result, "D1.1", "basic").v == factor


def test_effective_score_is_satisfaction_times_verification():
    rubric = one_dimension(ordinal("D1.1", [criterion("basic")]))

    result = score(rubric, "industry", {}, {"D1.1": AnswerInput(2, "uploaded")})

    assert criterion_of(result, "D1.1", "basic").e == Fraction(16, 25)


def test_criterion_json_shows_s_v_and_e_as_decimal_strings():
    rubric = one_dimension(percentage("D1.1", [criterion("basic", same_target(60))]))

    result = score(rubric, "industry", {}, {"D1.1": AnswerInput(30, "uploaded")})

    criterion_json = result.to_dict()["criteria"][0]
    assert (criterion_json["s"], criterion_json["v"], criterion_json["e"]) == ("0.5", "0.8", "0.4")


def test_criterion_json_for_a_met_and_verified_criterion():
    rubric = one_dimension(numeric("D1.1", [criterion("basic", same_target(10))]))

    result = score(rubric, "industry", {}, {"D1.1": verified(12)})

    criterion_json = result.to_dict()["criteria"][0]
    assert (criterion_json["s"], criterion_json["v"], criterion_json["e"]) == ("1", "1.0", "1.0")


# --- Reasons -------------------------------------------------------------------------------------


def _reason_rubric():
    return build(
        rubric_dict(
            [
                dimension(
                    "D1",
                    [
                        numeric("D1.1", [criterion("basic", same_target(1000))]),
                        boolean("D1.2", [criterion("basic", gate=True)]),
                        ordinal("D1.3", [criterion("basic")]),
                        choice(
                            "D1.4",
                            [option("x", basic=0.6), option("y", basic=0.5)],
                            [criterion("basic")],
                            multiple=True,
                        ),
                        boolean("D1.5", [criterion("basic")]),
                    ],
                )
            ]
        )
    )


REASONS = [
    ("D1.1", verified(1200), "met_target", {"value": "1200", "target": "1000"}),
    ("D1.1", verified(800), "below_target", {"value": "800", "target": "1000", "ratio": "0.8000"}),
    ("D1.1", None, "unanswered", {}),
    ("D1.4", verified(["x", "y"]), "option_sum", {"options": ["x", "y"], "sum": "1.1"}),
    ("D1.3", verified(2), "anchor", {"index": 2, "satisfaction": "0.8"}),
    ("D1.5", verified(True), "boolean_true", {}),
    ("D1.5", verified(False), "boolean_false", {}),
    ("D1.1", AnswerInput(1200, "rejected"), "evidence_rejected", {"basis": "met_target"}),
    ("D1.2", AnswerInput(True, "none"), "self_declared_gate", {"basis": "boolean_true"}),
    ("D1.1", AnswerInput(700, "corrected"), "corrected_by_reviewer", {"basis": "below_target"}),
]


@pytest.mark.parametrize(("indicator", "answer", "reason_code", "params"), REASONS)
def test_criterion_reason_code_and_params(indicator, answer, reason_code, params):
    answers = {} if answer is None else {indicator: answer}

    result = score(_reason_rubric(), "industry", {}, answers)

    criterion_result = criterion_of(result, indicator, "basic")
    assert criterion_result.reason_code == reason_code
    assert params.items() <= criterion_result.reason_params.items()


def test_reason_sentence_for_a_value_below_target():
    result = score(_reason_rubric(), "industry", {}, {"D1.1": AnswerInput(800, "uploaded")})

    assert criterion_of(result, "D1.1", "basic").reason == (
        "The answer 800 is 80.00 % of the target 1000: satisfaction 0.8. "
        "Evidence uploaded, not yet reviewed: factor 0.8."
    )


def test_reason_sentence_for_rejected_evidence():
    result = score(_reason_rubric(), "industry", {}, {"D1.1": AnswerInput(1200, "rejected")})

    assert criterion_of(result, "D1.1", "basic").reason == (
        "The answer 1200 meets the target 1000: satisfaction 1. "
        "The evidence was rejected by a reviewer: factor 0."
    )


def test_reason_sentence_for_a_capped_option_sum():
    result = score(_reason_rubric(), "industry", {}, {"D1.4": verified(["x", "y"])})

    assert criterion_of(result, "D1.4", "basic").reason == (
        "Chosen options x, y count 1.1 at this tier: satisfaction 1 (capped at 1). "
        "Evidence verified: factor 1.0."
    )


def test_reason_in_json_is_the_english_sentence():
    result = score(_reason_rubric(), "industry", {}, {})

    assert result.to_dict()["criteria"][0]["reason"] == "Not answered: satisfaction 0."


def test_describe_reason_refuses_an_unknown_code():
    with pytest.raises(ValueError, match="unknown reason code"):
        describe_reason("lucky", {})


# --- Platform kinds ------------------------------------------------------------------------------


def _kinds_rubric():
    return one_dimension(
        boolean("D1.1", [criterion("basic")], kinds=["industry"]),
        boolean("D1.2", [criterion("basic")]),
    )


def test_indicator_not_applying_to_the_kind_is_left_out():
    result = score(_kinds_rubric(), "specialized", {}, {"D1.2": verified(True)})

    assert [c.indicator for c in result.criteria] == ["D1.2"]
    assert result.tiers["basic"].score == 1


def test_indicator_applying_to_the_kind_counts():
    result = score(_kinds_rubric(), "industry", {}, {"D1.2": verified(True)})

    assert result.tiers["basic"].score == Fraction(1, 2)


def test_answer_to_an_indicator_not_applying_to_the_kind_is_ignored():
    answers = {"D1.1": verified(False), "D1.2": verified(True)}

    result = score(_kinds_rubric(), "specialized", {}, answers)

    assert result.result == "basic"


# --- Tier score T(k) -----------------------------------------------------------------------------


def test_tier_score_weights_dimension_means_by_kind():
    rubric = build(
        rubric_dict(
            [
                dimension("D1", perfect("D1.1"), weights(80, 20, 50)),
                dimension("D2", perfect("D2.1", 2), weights(20, 80, 50)),
            ]
        )
    )
    answers = {"D1.1": verified(True), "D2.1": verified(True)}

    assert score(rubric, "specialized", {}, answers).tiers["basic"].score == Fraction(9, 10)
    assert score(rubric, "industry", {}, answers).tiers["basic"].score == Fraction(6, 10)


def test_tier_score_leaves_out_dimensions_without_criteria_at_that_tier():
    rubric = build(
        rubric_dict(
            [
                dimension(
                    "D1",
                    [ordinal("D1.1", [criterion("basic"), criterion("growth")])],
                    weights(50, 50, 50),
                ),
                dimension("D2", perfect("D2.1"), weights(50, 50, 50)),
            ]
        )
    )

    result = score(rubric, "industry", {}, {"D1.1": verified(2)})

    assert result.tiers["growth"].score == Fraction(4, 5)
    assert result.tiers["growth"].dimension_means == {"D1": Fraction(4, 5)}


def test_tier_without_criteria_scores_0_and_is_not_achieved():
    rubric = one_dimension(boolean("D1.1", [criterion("basic")]))

    result = score(rubric, "industry", {}, {"D1.1": verified(True)})

    assert result.tiers["growth"].score == 0
    assert result.tiers["growth"].failed_rules == ("score_below_0.8",)


# --- The tier rules, each on its own -------------------------------------------------------------


def test_tier_with_score_below_0_8_is_not_achieved():
    rubric = one_dimension(*perfect("D1.1", 2))

    result = score(
        rubric, "industry", {}, {"D1.1": verified(True), "D1.2": AnswerInput(True, "none")}
    )

    assert result.tiers["basic"].score == Fraction(3, 4)
    assert result.tiers["basic"].failed_rules == ("score_below_0.8",)


def test_tier_score_of_exactly_0_8_is_achieved():
    rubric = one_dimension(ordinal("D1.1", [criterion("basic")]))

    result = score(rubric, "industry", {}, {"D1.1": verified(2)})

    assert result.tiers["basic"].achieved


def test_tier_is_not_achieved_when_a_lower_tier_is_not():
    rubric = one_dimension(
        boolean("D1.1", [criterion("basic")]), boolean("D1.2", [criterion("growth")])
    )

    result = score(rubric, "industry", {}, {"D1.2": verified(True)})

    assert result.tiers["growth"].score == 1
    assert result.tiers["growth"].failed_rules == ("lower_tier_not_achieved",)


def test_gate_below_1_fails_the_tier_whatever_the_score():
    rubric = one_dimension(boolean("D1.1", [criterion("basic", gate=True)]), *perfect("D1.2", 4))
    answers = {f"D1.{n}": verified(True) for n in range(2, 6)}
    answers["D1.1"] = AnswerInput(True, "uploaded")

    result = score(rubric, "industry", {}, answers)

    assert result.tiers["basic"].score == Fraction(24, 25)
    assert result.tiers["basic"].failed_rules == ("gate_not_met:D1.1",)


def test_gate_with_effective_score_1_passes():
    rubric = one_dimension(boolean("D1.1", [criterion("basic", gate=True)]))

    result = score(rubric, "industry", {}, {"D1.1": verified(True)})

    assert result.tiers["basic"].achieved


def test_dimension_mean_below_0_5_fails_the_tier_whatever_the_score():
    rubric = build(
        rubric_dict(
            [
                dimension("D1", perfect("D1.1"), weights(90, 90, 90)),
                dimension(
                    "D2",
                    [percentage("D2.1", [criterion("basic", same_target(60))])],
                    weights(10, 10, 10),
                ),
            ]
        )
    )
    answers = {"D1.1": verified(True), "D2.1": AnswerInput(30, "uploaded")}  # D2 mean 0.4

    result = score(rubric, "industry", {}, answers)

    assert result.tiers["basic"].score == Fraction(94, 100)
    assert result.tiers["basic"].failed_rules == ("dimension_below_0.5:D2",)


def test_dimension_mean_of_exactly_0_5_passes_the_floor():
    rubric = build(
        rubric_dict(
            [
                dimension("D1", perfect("D1.1"), weights(90, 90, 90)),
                dimension("D2", perfect("D2.1"), weights(10, 10, 10)),
            ]
        )
    )
    answers = {"D1.1": verified(True), "D2.1": AnswerInput(True, "none")}  # D2 mean 0.5

    assert score(rubric, "industry", {}, answers).tiers["basic"].achieved


def test_failed_precondition_means_not_rated():
    rubric = one_dimension(*perfect("D1.1"), preconditions=[precondition("P1")])

    result = score(rubric, "industry", {"P1": False}, {"D1.1": verified(True)})

    assert result.result == NOT_RATED
    assert result.tiers["basic"].failed_rules == ("precondition_failed:P1",)


def test_missing_precondition_counts_as_failed():
    rubric = one_dimension(*perfect("D1.1"), preconditions=[precondition("P1")])

    result = score(rubric, "industry", {}, {"D1.1": verified(True)})

    assert result.failed_preconditions == ("P1",)
    assert result.result == NOT_RATED


def test_met_preconditions_let_the_tier_be_achieved():
    rubric = one_dimension(*perfect("D1.1"), preconditions=[precondition("P1")])

    result = score(rubric, "industry", {"P1": True}, {"D1.1": verified(True)})

    assert result.result == "basic"


def test_failed_rules_are_listed_in_rule_order():
    rubric = build(
        rubric_dict(
            [
                dimension(
                    "D1",
                    [
                        boolean("D1.1", [criterion("basic")]),
                        boolean("D1.2", [criterion("growth", gate=True)]),
                        boolean("D1.3", [criterion("growth", gate=True)]),
                    ],
                    weights(50, 50, 50),
                ),
                dimension("D2", [boolean("D2.1", [criterion("growth")])], weights(50, 50, 50)),
            ],
            preconditions=[precondition("P1"), precondition("P2")],
        )
    )

    result = score(rubric, "industry", {"P1": True}, {})

    assert result.tiers["growth"].failed_rules == (
        "score_below_0.8",
        "lower_tier_not_achieved",
        "gate_not_met:D1.2",
        "gate_not_met:D1.3",
        "dimension_below_0.5:D1",
        "dimension_below_0.5:D2",
        "precondition_failed:P2",
    )


def test_result_is_the_highest_achieved_tier():
    rubric = one_dimension(
        boolean("D1.1", [criterion("basic"), criterion("growth")]),
        boolean("D1.2", [criterion("leading")]),
    )

    result = score(rubric, "industry", {}, {"D1.1": verified(True)})

    assert result.result == "growth"


def test_result_is_not_rated_when_no_tier_is_achieved():
    rubric = one_dimension(*perfect("D1.1"))

    assert score(rubric, "industry", {}, {}).result == NOT_RATED


# --- Progress index S and rounding ---------------------------------------------------------------


def _one_option_rubric(satisfaction: float, tiers: tuple[str, ...] = ("basic",)):
    return one_dimension(
        choice(
            "D1.1",
            options=[
                option("part", **dict.fromkeys(tiers, satisfaction)),
                option("full", **dict.fromkeys(tiers, 1)),
            ],
            criteria=[criterion(tier) for tier in tiers],
        )
    )


def test_progress_index_adds_the_next_tier_score_to_the_achieved_tiers():
    rubric = one_dimension(
        boolean("D1.1", [criterion("basic")]),
        ordinal("D1.2", [criterion("growth")]),
    )

    result = score(rubric, "industry", {}, {"D1.1": verified(True), "D1.2": verified(1)})

    assert result.progress_index == 1 + Fraction(1, 2)


def test_progress_index_is_rounded_down_for_display():
    result = score(_one_option_rubric(0.789), "industry", {}, {"D1.1": verified("part")})

    assert result.to_dict()["progress_index"] == "0.78"


def test_progress_index_is_4_when_every_tier_is_achieved():
    rubric = one_dimension(boolean("D1.1", [criterion(tier) for tier in TIERS]))

    result = score(rubric, "industry", {}, {"D1.1": verified(True)})

    assert (result.result, result.to_dict()["progress_index"]) == ("ecosystem", "4.00")


def test_tier_score_is_rounded_half_up_to_four_places():
    result = score(_one_option_rubric(0.78325), "industry", {}, {"D1.1": verified("part")})

    assert result.to_dict()["tiers"]["basic"]["score"] == "0.7833"


def test_threshold_is_compared_before_rounding():
    # 0.79999 shows as "0.8000" but is below the bar.
    result = score(_one_option_rubric(0.79999), "industry", {}, {"D1.1": verified("part")})

    assert result.to_dict()["tiers"]["basic"]["score"] == "0.8000"
    assert not result.tiers["basic"].achieved


# --- JSON shape ----------------------------------------------------------------------------------


def test_result_json_has_the_documented_keys():
    result = score(*_example_args()).to_dict()

    assert list(result) == [
        "result", "progress_index", "tiers", "dimensions", "criteria", "next_tier_plan",
        "blockers",
    ]  # fmt: skip
    assert list(result["tiers"]) == ["basic", "growth", "leading", "ecosystem"]
    assert list(result["criteria"][0]) == [
        "indicator", "tier", "s", "v", "e", "gate", "reason_code", "reason_params", "reason",
    ]  # fmt: skip
    assert list(result["next_tier_plan"][0]) == [
        "indicator", "tier", "change", "gain", "suggested_value", "suggested_evidence",
    ]  # fmt: skip


def test_result_json_serialises():
    result = score(*_example_args()).to_dict()

    assert json.loads(json.dumps(result)) == result


def test_dimensions_json_omits_tiers_without_criteria():
    dimensions = score(*_example_args()).to_dict()["dimensions"]

    assert "ecosystem" not in dimensions["D1"]


# --- Next-tier plan ------------------------------------------------------------------------------


def test_plan_is_empty_when_every_tier_is_achieved():
    rubric = one_dimension(boolean("D1.1", [criterion(tier) for tier in TIERS]))

    result = score(rubric, "industry", {}, {"D1.1": verified(True)})

    assert result.next_tier_plan == ()


def test_plan_for_a_numeric_answer_raises_it_to_the_target():
    rubric = one_dimension(numeric("D1.1", [criterion("basic", same_target(1000))]))

    result = score(rubric, "industry", {}, {"D1.1": AnswerInput(800, "uploaded")})

    assert result.to_dict()["next_tier_plan"] == [
        {
            "indicator": "D1.1",
            "tier": "basic",
            "change": "Raise D1.1 from 800 to at least 1000 and have its evidence verified",
            "gain": "0.3600",
            "suggested_value": "1000",
            "suggested_evidence": "verified",
        }
    ]


def test_plan_aims_at_the_lowest_tier_not_achieved():
    result = score(*_example_args())

    assert result.next_tier == "leading"
    assert {step.tier for step in result.next_tier_plan} == {"leading"}


def test_plan_for_the_worked_example_takes_the_largest_gain():
    result = score(*_example_args())

    # D7's leading criterion (e 0.5, alone in D7) gains 10 · 0.5 / 100 = 0.05, the most of any;
    # 0.7833 + 0.05 ≥ 0.8, so one step is enough.
    assert [(step.indicator, step.gain) for step in result.next_tier_plan] == [
        ("D7.4", Fraction(1, 20))
    ]


def test_plan_lists_a_failing_gate_even_when_the_score_is_met():
    rubric = one_dimension(boolean("D1.1", [criterion("basic", gate=True)]), *perfect("D1.2", 4))
    answers = {f"D1.{n}": verified(True) for n in range(2, 6)}
    answers["D1.1"] = AnswerInput(True, "none")

    result = score(rubric, "industry", {}, answers)

    assert [step.indicator for step in result.next_tier_plan] == ["D1.1"]


def test_plan_lifts_a_dimension_below_the_floor():
    rubric = build(
        rubric_dict(
            [
                dimension("D1", perfect("D1.1"), weights(90, 90, 90)),
                dimension("D2", perfect("D2.1", 3), weights(10, 10, 10)),
            ]
        )
    )
    answers = {"D1.1": verified(True), "D2.1": verified(True)}  # D2 mean 1/3, T 0.933

    result = score(rubric, "industry", {}, answers)

    assert [step.indicator for step in result.next_tier_plan] == ["D2.2"]


def test_plan_picks_the_fewest_criteria_by_largest_gain():
    rubric = build(
        rubric_dict(
            [
                dimension("D1", perfect("D1.1"), weights(50, 50, 50)),
                dimension("D2", perfect("D2.1", 2), weights(50, 50, 50)),
            ]
        )
    )
    answers = {code: AnswerInput(True, "none") for code in ("D1.1", "D2.1", "D2.2")}

    result = score(rubric, "industry", {}, answers)  # T 0.5; D1.1 gains 0.25, D2.x 0.125 each

    assert [(step.indicator, step.gain) for step in result.next_tier_plan] == [
        ("D1.1", Fraction(1, 4)),
        ("D2.1", Fraction(1, 8)),
    ]


def test_plan_stops_once_the_score_reaches_exactly_0_8():
    rubric = one_dimension(*perfect("D1.1", 5))
    answers = {code: verified(True) for code in ("D1.1", "D1.2", "D1.3")}

    result = score(rubric, "industry", {}, answers)  # T 0.6; each step gains 0.2

    assert [step.indicator for step in result.next_tier_plan] == ["D1.4"]


def test_plan_gain_is_the_exact_increase_of_the_tier_score():
    rubric, kind, preconditions, answers = _example_args()
    result = score(rubric, kind, preconditions, answers)
    step = result.next_tier_plan[0]

    _preconditions, improved = apply_plan(rubric, kind, preconditions, answers, [step])

    gain = score(rubric, kind, preconditions, improved).tiers["leading"].score - Fraction(47, 60)
    assert gain == step.gain


def test_a_failed_precondition_is_a_blocker_not_a_plan_step():
    rubric = one_dimension(*perfect("D1.1"), preconditions=[precondition("P1")])

    result = score(rubric, "industry", {"P1": False}, {})

    assert result.blockers == (Blocker(reason="precondition_failed", precondition="P1"),)
    assert result.to_dict()["blockers"] == [{"reason": "precondition_failed", "precondition": "P1"}]
    assert result.next_tier_plan and all(isinstance(s, PlanStep) for s in result.next_tier_plan)


def test_plan_asks_only_for_verification_when_the_answer_already_meets():
    rubric = one_dimension(numeric("D1.1", [criterion("basic", same_target(1000))]))

    result = score(rubric, "industry", {}, {"D1.1": AnswerInput(1500, "none")})

    step = result.next_tier_plan[0]
    assert (step.suggested_value, step.change) == (
        Decimal(1500),
        "Have the evidence for D1.1 verified",
    )


def test_plan_does_not_ask_to_verify_an_indicator_without_evidence():
    rubric = one_dimension(boolean("D1.1", [criterion("basic")], evidence="none"))

    result = score(rubric, "industry", {}, {"D1.1": AnswerInput(False, "none")})

    assert result.next_tier_plan[0].change == "Meet D1.1 (answer yes)"


@pytest.mark.parametrize(
    ("indicator", "answer", "suggested_json"),
    [
        (boolean("D1.1", [criterion("basic")]), False, True),
        (ordinal("D1.1", [criterion("basic")]), 1, 3),
        (percentage("D1.1", [criterion("basic", same_target(60))]), 20, "60"),
        (
            choice(
                "D1.1",
                [option("opt-a", basic=0.5), option("opt-b", basic=1)],
                [criterion("basic")],
            ),
            "opt-a",
            "opt-b",
        ),
        (
            choice(
                "D1.1",
                [option("x", basic=0.2), option("y", basic=0.5), option("z", basic=0.6)],
                [criterion("basic")],
                multiple=True,
            ),
            ["x"],
            ["x", "y", "z"],
        ),
    ],
    ids=["boolean", "ordinal", "percentage", "single_choice", "multiple_choice"],
)
def test_plan_suggests_the_best_answer_by_type(indicator, answer, suggested_json):
    rubric = one_dimension(indicator)

    result = score(rubric, "industry", {}, {"D1.1": verified(answer)})

    assert result.to_dict()["next_tier_plan"][0]["suggested_value"] == suggested_json


def test_plan_for_multiple_choice_keeps_the_chosen_options():
    rubric = one_dimension(
        choice(
            "D1.1",
            [option("x", basic=1, growth=0), option("y", basic=0, growth=1)],
            [criterion("basic"), criterion("growth")],
            multiple=True,
        )
    )

    result = score(rubric, "industry", {}, {"D1.1": verified(["y"])})

    assert result.next_tier_plan[0].suggested_value == ["x", "y"]


def test_applying_the_plan_achieves_the_next_tier():
    rubric, kind, preconditions, answers = _example_args()
    result = score(rubric, kind, preconditions, answers)

    new_preconditions, new_answers = apply_plan(
        rubric, kind, preconditions, answers, result.next_tier_plan
    )

    assert score(rubric, kind, new_preconditions, new_answers).result == "leading"


def test_apply_plan_leaves_its_inputs_unchanged():
    rubric = one_dimension(*perfect("D1.1"), preconditions=[precondition("P1")])
    preconditions: dict[str, bool] = {}
    answers: dict[str, AnswerInput] = {}
    result = score(rubric, "industry", preconditions, answers)

    apply_plan(rubric, "industry", preconditions, answers, result.next_tier_plan)

    assert (preconditions, answers) == ({}, {})


def test_plan_is_empty_when_the_next_tier_has_no_criteria_for_the_kind():
    rubric = one_dimension(
        boolean("D1.1", [criterion("basic")]),
        boolean("D1.2", [criterion("growth")], kinds=["industry"]),
    )

    result = score(rubric, "specialized", {}, {"D1.1": verified(True)})

    assert (result.next_tier, result.next_tier_plan) == ("growth", ())


# --- Refused input -------------------------------------------------------------------------------


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown platform kind"):
        score(one_dimension(*perfect("D1.1")), "regional", {}, {})


def test_answer_to_an_unknown_indicator_is_refused():
    with pytest.raises(ValueError, match="unknown indicator 'D9.1'"):
        score(one_dimension(*perfect("D1.1")), "industry", {}, {"D9.1": verified(True)})


def test_unknown_evidence_status_is_refused():
    with pytest.raises(ValueError, match="unknown evidence status"):
        score(one_dimension(*perfect("D1.1")), "industry", {}, {"D1.1": AnswerInput(True, "ok")})


def test_unknown_precondition_is_refused():
    with pytest.raises(ValueError, match="unknown precondition 'P7'"):
        score(one_dimension(*perfect("D1.1")), "industry", {"P7": True}, {})


def test_precondition_that_is_not_a_boolean_is_refused():
    rubric = one_dimension(*perfect("D1.1"), preconditions=[precondition("P1")])

    with pytest.raises(ValueError, match="must be true or false"):
        score(rubric, "industry", {"P1": "yes"}, {})


def test_invalid_answer_value_raises_an_answer_error_naming_the_indicator():
    rubric = one_dimension(percentage("D1.1", [criterion("basic", same_target(60))]))

    with pytest.raises(AnswerError) as raised:
        score(rubric, "industry", {}, {"D1.1": verified(120)})

    assert (raised.value.indicator, raised.value.code) == ("D1.1", "over_100")


# --- Speed ---------------------------------------------------------------------------------------


def _default_rubric_answers(rubric, kind: str) -> dict[str, AnswerInput]:
    values = {"boolean": True, "ordinal": 2, "numeric": 1234, "percentage": 55}
    answers = {}
    for number, indicator in enumerate(rubric.indicators):
        if not indicator.applies_to(kind):
            continue
        if indicator.type == "choice":
            value = [indicator.options[0].code] if indicator.multiple else indicator.options[0].code
        else:
            value = values[indicator.type]
        answers[indicator.code] = AnswerInput(value, ("verified", "uploaded", "none")[number % 3])
    return answers


def test_per_rubric_index_is_built_once(monkeypatch):
    calls = []
    build_index = scoring._build_index
    monkeypatch.setattr(
        scoring, "_build_index", lambda *args: calls.append(args) or build_index(*args)
    )
    rubric = one_dimension(*perfect("D1.1"))

    score(rubric, "industry", {}, {})
    score(rubric, "industry", {}, {})

    assert len(calls) == 1
