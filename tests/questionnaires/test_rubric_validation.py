"""The rubric loader: a valid rubric parses, and each kind of defect is named with its path."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from questionnaires.rubric import (
    ANCHOR_SATISFACTION,
    AnswerError,
    EvidenceMode,
    QuestionType,
    RubricError,
    Text,
    parse_rubric,
    parse_rubric_file,
    rubric_from_dict,
    validate_answer,
)
from tests.questionnaires.rubric_builders import option, text, valid_rubric_dict

DEFAULT_RUBRIC = Path(__file__).resolve().parents[2] / "questionnaires/rubrics/iip-2026@1.0.yaml"


def problems_of(data: Any) -> list[str]:
    with pytest.raises(RubricError) as raised:
        rubric_from_dict(data)
    return raised.value.problems


def dim(data: dict, index: int) -> dict:
    return data["dimensions"][index]


def ind(data: dict, dimension_index: int, indicator_index: int) -> dict:
    return data["dimensions"][dimension_index]["indicators"][indicator_index]


# --- A valid rubric ------------------------------------------------------------------------------


def test_valid_rubric_parses_from_yaml():
    rubric = parse_rubric(yaml.safe_dump(valid_rubric_dict(), allow_unicode=True))

    assert rubric.label == "test@1.0"
    assert [indicator.code for indicator in rubric.indicators] == [
        "D1.1", "D1.2", "D1.3", "D2.1", "D2.2", "D2.3",
    ]  # fmt: skip


def test_valid_rubric_keeps_types_evidence_modes_and_kinds():
    rubric = rubric_from_dict(valid_rubric_dict())

    percentage = rubric.indicator("D1.2")
    assert percentage.type == QuestionType.PERCENTAGE
    assert percentage.kinds == ("specialized", "industry")
    assert rubric.indicator("D2.1").evidence == EvidenceMode.OPTIONAL
    assert rubric.indicator("D1.1").kinds == ("specialized", "industry", "collaborative")


def test_numbers_from_yaml_are_exact_decimals():
    rubric = rubric_from_dict(valid_rubric_dict())

    assert rubric.indicator("D2.3").option("x").satisfaction["leading"] == Decimal("0.6")
    assert rubric.indicator("D1.1").criterion("growth").target_for("collaborative") == 50000


def test_ordinal_anchors_carry_their_satisfaction():
    anchors = rubric_from_dict(valid_rubric_dict()).indicator("D2.1").anchors

    assert [anchor.satisfaction for anchor in anchors] == list(ANCHOR_SATISFACTION)
    assert [anchor.label.en for anchor in anchors] == ["none", "partly", "mostly", "fully"]


def test_optional_keys_take_their_defaults():
    rubric = rubric_from_dict(valid_rubric_dict())

    assert rubric.indicator("D1.1").criterion("growth").gate is False
    assert rubric.indicator("D1.1").criterion("growth").text is None
    assert rubric.indicator("D2.2").multiple is False
    assert rubric.indicator("D2.2").option("opt-a").satisfaction_at("leading") == 0


def test_indicator_criterion_is_none_for_a_tier_without_one():
    assert rubric_from_dict(valid_rubric_dict()).indicator("D1.3").criterion("growth") is None


def test_indicator_applies_only_to_its_kinds():
    indicator = rubric_from_dict(valid_rubric_dict()).indicator("D1.2")

    assert indicator.applies_to("industry")
    assert not indicator.applies_to("collaborative")


def test_unknown_indicator_code_raises_key_error():
    with pytest.raises(KeyError):
        rubric_from_dict(valid_rubric_dict()).indicator("D9.9")


def test_text_get_returns_english_for_english_codes():
    assert Text(zh_hans="连接", en="Connection").get("en-GB") == "Connection"


def test_text_get_falls_back_to_chinese_for_other_languages():
    assert Text(zh_hans="连接", en="Connection").get("fr") == "连接"


def test_texts_are_stripped():
    data = valid_rubric_dict()
    data["title"]["en"] = "  Test rubric\n"

    assert rubric_from_dict(data).title.en == "Test rubric"


# --- Canonical form and fingerprint --------------------------------------------------------------


def test_to_dict_round_trips():
    rubric = rubric_from_dict(valid_rubric_dict())

    assert rubric_from_dict(rubric.to_dict()) == rubric


def test_to_dict_is_json_stable_across_a_round_trip():
    rubric = rubric_from_dict(valid_rubric_dict())

    assert rubric_from_dict(rubric.to_dict()).canonical_json() == rubric.canonical_json()


def test_fingerprint_ignores_yaml_key_order_and_comments():
    data = valid_rubric_dict()
    reordered = dict(reversed(list(data.items())))
    text_one = yaml.safe_dump(data, allow_unicode=True)
    text_two = "# a comment\n" + yaml.safe_dump(reordered, allow_unicode=True, sort_keys=False)

    assert parse_rubric(text_one).fingerprint() == parse_rubric(text_two).fingerprint()


def test_fingerprint_changes_when_a_text_changes():
    data = valid_rubric_dict()
    edited = copy.deepcopy(data)
    edited["dimensions"][0]["title"]["en"] = "Connection and access"

    assert rubric_from_dict(data).fingerprint() != rubric_from_dict(edited).fingerprint()


def test_fingerprint_changes_when_a_target_changes():
    data = valid_rubric_dict()
    edited = copy.deepcopy(data)
    ind(edited, 0, 0)["criteria"][0]["target"]["industry"] = 10001

    assert rubric_from_dict(data).fingerprint() != rubric_from_dict(edited).fingerprint()


def test_rubric_survives_pickling():
    rubric = rubric_from_dict(valid_rubric_dict())

    assert pickle.loads(pickle.dumps(rubric)) == rubric  # noqa: S301 (our own bytes)


def test_rubric_mappings_are_read_only():
    rubric = rubric_from_dict(valid_rubric_dict())

    with pytest.raises(TypeError, match="immutable"):
        rubric.dimensions[0].weights["industry"] = 100


def test_fingerprint_is_sha256_hex():
    fingerprint = rubric_from_dict(valid_rubric_dict()).fingerprint()

    assert len(fingerprint) == 64
    assert set(fingerprint) <= set("0123456789abcdef")


# --- The file ------------------------------------------------------------------------------------


def test_file_named_after_code_and_version_parses(tmp_path):
    path = tmp_path / "test@1.0.yaml"
    path.write_text(yaml.safe_dump(valid_rubric_dict(), allow_unicode=True), encoding="utf-8")

    assert parse_rubric_file(path).label == "test@1.0"


def test_file_name_must_match_code_and_version(tmp_path):
    path = tmp_path / "test@2.0.yaml"
    path.write_text(yaml.safe_dump(valid_rubric_dict(), allow_unicode=True), encoding="utf-8")

    with pytest.raises(RubricError) as raised:
        parse_rubric_file(path)

    assert raised.value.problems == [
        "(file): file name 'test@2.0.yaml' does not match code@version 'test@1.0.yaml'"
    ]


def test_yaml_syntax_error_is_reported_with_its_line():
    with pytest.raises(RubricError) as raised:
        parse_rubric("code: test\ntitle: {en: [unclosed\n")

    assert raised.value.problems[0].startswith("line 3, column 1: ")


def test_key_written_twice_is_reported():
    with pytest.raises(RubricError) as raised:
        parse_rubric("code: test\ncode: other\n")

    assert raised.value.problems == ["line 2, column 1: duplicate key 'code'"]


def test_every_problem_is_reported_at_once():
    data = valid_rubric_dict()
    del data["version"]
    del ind(data, 1, 0)["help"]["en"]
    ind(data, 0, 1)["criteria"][0]["target"]["industry"] = 120

    assert problems_of(data) == [
        "version: missing",
        "dimensions[0].indicators[1].criteria[0].target.industry: "
        "a percentage must not be over 100, got 120",
        "dimensions[1].indicators[0].help.en: missing",
    ]


def test_default_rubric_parses_without_problems():
    rubric = parse_rubric_file(DEFAULT_RUBRIC)

    assert rubric.label == "iip-2026@1.0"
    assert [dimension.code for dimension in rubric.dimensions] == [f"D{n}" for n in range(1, 9)]


# --- One test per defect -------------------------------------------------------------------------

# A mutation changes the document in place, or returns a replacement for the whole of it.
Mutation = Callable[[dict], object]


def _set(path_getter: Callable[[dict], dict], key: str, value: Any) -> Mutation:
    def mutate(data: dict) -> None:
        path_getter(data)[key] = value

    return mutate


def _delete(path_getter: Callable[[dict], dict], key: str) -> Mutation:
    def mutate(data: dict) -> None:
        del path_getter(data)[key]

    return mutate


def _pop_last(list_getter: Callable[[dict], list]) -> Mutation:
    def mutate(data: dict) -> None:
        list_getter(data).pop()

    return mutate


def _append(list_getter: Callable[[dict], list], value: Any) -> Mutation:
    def mutate(data: dict) -> None:
        list_getter(data).append(value)

    return mutate


def _criteria(dimension_index: int, indicator_index: int, criterion_index: int):
    return lambda data: ind(data, dimension_index, indicator_index)["criteria"][criterion_index]


def _target(dimension_index: int, indicator_index: int, criterion_index: int):
    return lambda data: _criteria(dimension_index, indicator_index, criterion_index)(data)["target"]


def _option(indicator_index: int, option_index: int):
    return lambda data: ind(data, 1, indicator_index)["options"][option_index]


def _satisfaction(indicator_index: int, option_index: int):
    return lambda data: _option(indicator_index, option_index)(data)["satisfaction"]


D11 = "dimensions[0].indicators[0]"
D12 = "dimensions[0].indicators[1]"
D13 = "dimensions[0].indicators[2]"
D21 = "dimensions[1].indicators[0]"
D22 = "dimensions[1].indicators[1]"
D23 = "dimensions[1].indicators[2]"

DEFECTS = [
    # unknown keys, at every level
    ("unknown_top_key", _set(lambda d: d, "owner", "MIIT"), "owner: unknown key"),
    (
        "unknown_precondition_key",
        _set(lambda d: d["preconditions"][0], "weight", 1),
        "preconditions[0].weight: unknown key",
    ),
    (
        "unknown_dimension_key",
        _set(lambda d: dim(d, 0), "colour", "blue"),
        "dimensions[0].colour: unknown key",
    ),
    (
        "unknown_indicator_key",
        _set(lambda d: ind(d, 0, 0), "weight", 3),
        f"{D11}.weight: unknown key",
    ),
    (
        "unknown_criterion_key",
        _set(_criteria(0, 0, 0), "points", 3),
        f"{D11}.criteria[0].points: unknown key",
    ),
    (
        "unknown_option_key",
        _set(_option(1, 0), "score", 1),
        f"{D22}.options[0].score: unknown key",
    ),
    ("unknown_language", _set(lambda d: d["title"], "fr", "Titre"), "title.fr: unknown key"),
    # missing required keys and translations
    ("missing_version", _delete(lambda d: d, "version"), "version: missing"),
    ("missing_dimensions", _delete(lambda d: d, "dimensions"), "dimensions: missing"),
    ("missing_preconditions", _delete(lambda d: d, "preconditions"), "preconditions: missing"),
    (
        "missing_precondition_text",
        _delete(lambda d: d["preconditions"][1], "text"),
        "preconditions[1].text: missing",
    ),
    (
        "missing_action_area",
        _delete(lambda d: dim(d, 1), "action_area"),
        "dimensions[1].action_area: missing",
    ),
    ("missing_indicator_help", _delete(lambda d: ind(d, 0, 0), "help"), f"{D11}.help: missing"),
    ("missing_indicator_type", _delete(lambda d: ind(d, 0, 0), "type"), f"{D11}.type: missing"),
    (
        "missing_criterion_tier",
        _delete(_criteria(0, 0, 0), "tier"),
        f"{D11}.criteria[0].tier: missing",
    ),
    (
        "missing_option_satisfaction",
        _delete(_option(1, 0), "satisfaction"),
        f"{D22}.options[0].satisfaction: missing",
    ),
    ("missing_translation", _delete(lambda d: d["title"], "en"), "title.en: missing"),
    (
        "null_translation",
        _set(lambda d: ind(d, 0, 0)["title"], "zh-hans", None),
        f"{D11}.title.zh-hans: missing",
    ),
    (
        "empty_translation",
        _set(lambda d: dim(d, 1)["title"], "zh-hans", "  "),
        "dimensions[1].title.zh-hans: empty",
    ),
    # wrong types
    ("document_not_a_mapping", lambda d: [d], "(root): must be a mapping, got list"),
    (
        "version_not_a_string",
        _set(lambda d: d, "version", 1.0),
        "version: must be a string, got number",
    ),  # noqa: E501
    (
        "text_not_a_mapping",
        _set(lambda d: d, "title", "Rubric"),
        "title: must be a mapping, got string",
    ),  # noqa: E501
    (
        "translation_not_a_string",
        _set(lambda d: d["title"], "en", 7),
        "title.en: must be a string, got integer",
    ),  # noqa: E501
    (
        "dimensions_not_a_list",
        _set(lambda d: d, "dimensions", {"D1": {}}),
        "dimensions: must be a list, got mapping",
    ),
    (
        "gate_not_a_boolean",
        _set(_criteria(0, 2, 0), "gate", "yes"),
        f"{D13}.criteria[0].gate: must be true or false, got string",
    ),
    (
        "multiple_not_a_boolean",
        _set(lambda d: ind(d, 1, 2), "multiple", 1),
        f"{D23}.multiple: must be true or false, got integer",
    ),
    (
        "target_not_a_number",
        _set(_target(0, 0, 0), "industry", "10000"),
        f"{D11}.criteria[0].target.industry: must be a number, got string",
    ),
    (
        "satisfaction_not_a_number",
        _set(_satisfaction(1, 0), "basic", "1"),
        f"{D22}.options[0].satisfaction.basic: must be a number, got string",
    ),
    # weights
    (
        "weight_not_an_integer",
        _set(lambda d: dim(d, 0)["weights"], "industry", 50.0),
        "dimensions[0].weights.industry: must be an integer, got number",
    ),
    (
        "weights_not_summing_to_100",
        _set(lambda d: dim(d, 0)["weights"], "industry", 48),
        "dimensions: weights for kind industry sum to 98, not 100",
    ),
    (
        "weight_negative",
        _set(lambda d: dim(d, 0)["weights"], "specialized", -40),
        "dimensions[0].weights.specialized: must not be negative",
    ),
    (
        "weight_missing_for_a_kind",
        _delete(lambda d: dim(d, 0)["weights"], "collaborative"),
        "dimensions[0].weights.collaborative: missing",
    ),
    (
        "weight_for_unknown_kind",
        _set(lambda d: dim(d, 0)["weights"], "regional", 0),
        "dimensions[0].weights.regional: unknown kind",
    ),
    # duplicate codes
    (
        "duplicate_dimension_code",
        _set(lambda d: dim(d, 1), "code", "D1"),
        "dimensions[1].code: duplicate code 'D1' (also dimensions[0])",
    ),
    (
        "duplicate_indicator_code",
        _set(lambda d: ind(d, 0, 1), "code", "D1.1"),
        f"{D12}.code: duplicate code 'D1.1' (also {D11})",
    ),
    (
        "duplicate_option_code",
        _set(_option(1, 1), "code", "opt-a"),
        f"{D22}.options[1].code: duplicate code 'opt-a' (also {D22}.options[0])",
    ),
    (
        "duplicate_precondition_code",
        _set(lambda d: d["preconditions"][1], "code", "P1"),
        "preconditions[1].code: duplicate code 'P1' (also preconditions[0])",
    ),
    # code formats
    (
        "bad_rubric_code",
        _set(lambda d: d, "code", "IIP 2026"),
        "code: bad format 'IIP 2026', expected lowercase letters, digits and hyphens",
    ),
    (
        "bad_version",
        _set(lambda d: d, "version", "1 0"),
        "version: bad format '1 0', expected letters, digits, '.', '_' or '-'",
    ),
    (
        "bad_precondition_code",
        _set(lambda d: d["preconditions"][0], "code", "PX"),
        "preconditions[0].code: bad format 'PX', expected P<number>",
    ),
    (
        "bad_dimension_code",
        _set(lambda d: dim(d, 0), "code", "d1"),
        "dimensions[0].code: bad format 'd1', expected D<number>",
    ),
    (
        "bad_indicator_code",
        _set(lambda d: ind(d, 0, 0), "code", "D1-1"),
        f"{D11}.code: bad format 'D1-1', expected D<number>.<number>",
    ),
    (
        "bad_option_code",
        _set(_option(1, 0), "code", "Opt A"),
        f"{D22}.options[0].code: bad format 'Opt A', expected lowercase letters, digits and hyphens",  # noqa: E501
    ),
    (
        "indicator_code_without_its_dimension_prefix",
        _set(lambda d: ind(d, 0, 0), "code", "D2.9"),
        f"{D11}.code: 'D2.9' must start with its dimension code D1.",
    ),
    (
        "indicator_code_prefix_of_a_longer_dimension_code",
        _set(lambda d: ind(d, 0, 0), "code", "D11.1"),
        f"{D11}.code: 'D11.1' must start with its dimension code D1.",
    ),
    # vocabularies
    (
        "unknown_action_area",
        _set(lambda d: dim(d, 0), "action_area", "growth"),
        "dimensions[0].action_area: unknown action area 'growth', expected cultivation, "
        "data_intelligence, scaled_application or ecosystem_security",
    ),
    (
        "unknown_question_type",
        _set(lambda d: ind(d, 0, 2), "type", "text"),
        f"{D13}.type: unknown question type 'text', expected boolean, ordinal, numeric, "
        "percentage or choice",
    ),
    (
        "unknown_evidence_mode",
        _set(lambda d: ind(d, 0, 2), "evidence", "maybe"),
        f"{D13}.evidence: unknown evidence mode 'maybe', expected required, optional or none",
    ),
    (
        "unknown_tier",
        _set(_criteria(0, 0, 1), "tier", "expert"),
        f"{D11}.criteria[1].tier: unknown tier 'expert', expected basic, growth, leading "
        "or ecosystem",
    ),
    (
        "unknown_kind_in_kinds",
        _set(lambda d: ind(d, 0, 1), "kinds", ["industry", "regional"]),
        f"{D12}.kinds[1]: unknown kind 'regional', expected specialized, industry or collaborative",  # noqa: E501
    ),
    (
        "duplicate_kind_in_kinds",
        _set(lambda d: ind(d, 0, 2), "kinds", ["industry", "industry"]),
        f"{D13}.kinds[1]: duplicate kind 'industry'",
    ),
    (
        "empty_kinds",
        _set(lambda d: ind(d, 0, 2), "kinds", []),
        f"{D13}.kinds: must have at least 1 kind, got 0",
    ),
    # criteria
    (
        "two_criteria_on_one_tier",
        _set(_criteria(0, 0, 1), "tier", "basic"),
        f"{D11}.criteria[1].tier: tier basic already has a criterion ({D11}.criteria[0])",
    ),
    (
        "no_criteria",
        _set(lambda d: ind(d, 0, 2), "criteria", []),
        f"{D13}.criteria: must have at least 1 criterion, got 0",
    ),  # noqa: E501
    (
        "no_indicators",
        _set(lambda d: dim(d, 0), "indicators", []),
        "dimensions[0].indicators: must have at least 1 indicator, got 0",
    ),
    (
        "no_dimensions",
        _set(lambda d: d, "dimensions", []),
        "dimensions: must have at least 1 dimension, got 0",
    ),  # noqa: E501
    # targets
    (
        "target_missing_for_an_applicable_kind",
        _delete(_target(0, 0, 1), "industry"),
        f"{D11}.criteria[1].target.industry: missing",
    ),
    (
        "target_missing_on_numeric",
        _delete(_criteria(0, 0, 0), "target"),
        f"{D11}.criteria[0].target: missing",
    ),
    (
        "target_for_a_kind_the_indicator_does_not_apply_to",
        _set(_target(0, 1, 0), "collaborative", 40),
        f"{D12}.criteria[0].target.collaborative: not allowed: the indicator does not apply "
        "to collaborative",
    ),
    (
        "target_for_an_unknown_kind",
        _set(_target(0, 0, 0), "regional", 40),
        f"{D11}.criteria[0].target.regional: unknown kind",
    ),
    (
        "target_on_boolean",
        _set(_criteria(0, 2, 0), "target", {"industry": 1}),
        f"{D13}.criteria[0].target: not allowed for type boolean",
    ),
    (
        "target_on_ordinal",
        _set(_criteria(1, 0, 0), "target", {"industry": 1}),
        f"{D21}.criteria[0].target: not allowed for type ordinal",
    ),
    (
        "target_on_choice",
        _set(_criteria(1, 1, 0), "target", {"industry": 1}),
        f"{D22}.criteria[0].target: not allowed for type choice",
    ),
    (
        "percentage_target_over_100",
        _set(_target(0, 1, 0), "industry", 120),
        f"{D12}.criteria[0].target.industry: a percentage must not be over 100, got 120",
    ),
    (
        "target_zero",
        _set(_target(0, 0, 0), "specialized", 0),
        f"{D11}.criteria[0].target.specialized: must be greater than 0, got 0",
    ),
    # type-specific keys
    (
        "unit_missing_on_numeric",
        _delete(lambda d: ind(d, 0, 0), "unit"),
        f"{D11}.unit: missing",
    ),
    (
        "unit_on_percentage",
        _set(lambda d: ind(d, 0, 1), "unit", text("percent")),
        f"{D12}.unit: not allowed for type percentage",
    ),
    (
        "anchors_missing_on_ordinal",
        _delete(lambda d: ind(d, 1, 0), "anchors"),
        f"{D21}.anchors: missing",
    ),  # noqa: E501
    (
        "three_anchors",
        _pop_last(lambda d: ind(d, 1, 0)["anchors"]),
        f"{D21}.anchors: must have exactly 4 anchors, got 3",
    ),
    (
        "five_anchors",
        _append(lambda d: ind(d, 1, 0)["anchors"], text("beyond")),
        f"{D21}.anchors: must have exactly 4 anchors, got 5",
    ),
    (
        "anchors_on_numeric",
        _set(lambda d: ind(d, 0, 0), "anchors", [text("a")] * 4),
        f"{D11}.anchors: not allowed for type numeric",
    ),
    (
        "options_on_boolean",
        _set(lambda d: ind(d, 0, 2), "options", [option("a", basic=1), option("b", basic=0)]),
        f"{D13}.options: not allowed for type boolean",
    ),
    (
        "multiple_on_ordinal",
        _set(lambda d: ind(d, 1, 0), "multiple", True),
        f"{D21}.multiple: not allowed for type ordinal",
    ),
    (
        "options_missing_on_choice",
        _delete(lambda d: ind(d, 1, 1), "options"),
        f"{D22}.options: missing",
    ),  # noqa: E501
    (
        "one_option",
        _pop_last(lambda d: ind(d, 1, 1)["options"]),
        f"{D22}.options: must have at least 2 options, got 1",
    ),
    # choice satisfaction
    (
        "satisfaction_over_1",
        _set(_satisfaction(1, 0), "basic", 1.5),
        f"{D22}.options[0].satisfaction.basic: must be between 0 and 1, got 1.5",
    ),
    (
        "satisfaction_negative",
        _set(_satisfaction(2, 0), "leading", -0.1),
        f"{D23}.options[0].satisfaction.leading: must be between 0 and 1, got -0.1",
    ),
    (
        "satisfaction_for_unknown_tier",
        _set(_satisfaction(1, 0), "expert", 1),
        f"{D22}.options[0].satisfaction.expert: unknown tier",
    ),
    (
        "satisfaction_for_a_tier_without_criterion",
        _set(_satisfaction(1, 1), "leading", 0.5),
        f"{D22}.options[1].satisfaction.leading: the indicator has no criterion at tier leading",
    ),
    (
        "no_option_reaches_1",
        _set(_satisfaction(1, 1), "growth", 0.9),
        f"{D22}.criteria[1]: no answer reaches satisfaction 1 at tier growth (best 0.9)",
    ),
    (
        "options_together_below_1",
        _set(_satisfaction(2, 0), "leading", 0.2),
        f"{D23}.criteria[0]: no answer reaches satisfaction 1 at tier leading (best 0.9)",
    ),
    (
        "single_choice_easier_at_a_higher_tier",
        _set(_satisfaction(1, 0), "basic", 0.4),
        f"{D22}.options[0].satisfaction: growth (0.5) is higher than basic (0.4); with a single "
        "choice a higher tier must not be easier to satisfy",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [pytest.param(mutate, expected, id=name) for name, mutate, expected in DEFECTS],
)
def test_defect_is_reported_with_its_path(mutate, expected):
    data = valid_rubric_dict()
    replacement = mutate(data)

    assert expected in problems_of(data if replacement is None else replacement)


def test_multiple_choice_may_be_easier_at_a_higher_tier():
    data = valid_rubric_dict()
    ind(data, 1, 2)["criteria"].insert(0, {"tier": "basic"})
    ind(data, 1, 2)["options"][2]["satisfaction"]["basic"] = 1

    assert rubric_from_dict(data).indicator("D2.3").criterion("basic") is not None


def test_rubric_error_lists_problems_in_its_message():
    data = valid_rubric_dict()
    del data["version"]

    with pytest.raises(RubricError, match="version: missing"):
        rubric_from_dict(data)


# --- Answers -------------------------------------------------------------------------------------

VALID_ANSWERS = [
    ("D1.3", True, True),
    ("D1.3", "false", False),
    ("D2.1", 2, 2),
    ("D2.1", "3", 3),
    ("D1.1", 1000, Decimal(1000)),
    ("D1.1", "12.5", Decimal("12.5")),
    ("D1.1", 0.1, Decimal("0.1")),
    ("D1.1", Decimal("7"), Decimal(7)),
    ("D1.1", "-0", Decimal(0)),
    ("D1.2", 100, Decimal(100)),
    ("D1.2", "37.5", Decimal("37.5")),
    ("D2.2", "opt-a", "opt-a"),
    ("D2.3", ["z", "x"], ["x", "z"]),
    ("D2.3", "y", ["y"]),
    ("D2.3", [], []),
]


@pytest.mark.parametrize(("indicator_code", "value", "normalised"), VALID_ANSWERS)
def test_valid_answer_is_normalised(indicator_code, value, normalised):
    indicator = rubric_from_dict(valid_rubric_dict()).indicator(indicator_code)

    assert validate_answer(indicator, value) == normalised


@pytest.mark.parametrize(
    "typed",
    ["1,509,254", "1 509 254", "1\u00a0509\u00a0254", "1\u202f509\u202f254", "1，509，254"],
)
def test_numbers_with_thousands_separators_are_accepted(typed):
    indicator = rubric_from_dict(valid_rubric_dict()).indicator("D1.1")

    assert validate_answer(indicator, typed) == Decimal(1509254)
    assert validate_answer(indicator, "12,000.5") == Decimal("12000.5")


def test_numeric_answer_is_a_decimal():
    indicator = rubric_from_dict(valid_rubric_dict()).indicator("D1.1")

    assert isinstance(validate_answer(indicator, 3), Decimal)


INVALID_ANSWERS = [
    ("D1.3", "yes", "not_boolean"),
    ("D1.3", 1, "not_boolean"),
    ("D2.1", 4, "anchor_out_of_range"),
    ("D2.1", -1, "anchor_out_of_range"),
    ("D2.1", 1.5, "not_an_anchor"),
    ("D2.1", True, "not_an_anchor"),
    ("D1.1", "abc", "not_a_number"),
    ("D1.1", "1,5", "not_a_number"),  # a decimal comma is not read as a thousands separator
    ("D1.1", "1,50,000", "not_a_number"),
    ("D1.1", "1,509 254", "not_a_number"),  # one separator throughout
    ("D1.1", True, "not_a_number"),
    ("D1.1", float("nan"), "not_a_number"),
    ("D1.1", "Infinity", "not_a_number"),
    ("D1.1", -1, "negative"),
    ("D1.2", "-0.5", "negative"),
    ("D1.2", 100.5, "over_100"),
    ("D2.2", ["opt-a"], "single_choice_only"),
    ("D2.2", "opt-z", "unknown_option"),
    ("D2.2", 1, "unknown_option"),
    ("D2.3", ["x", "x"], "duplicate_option"),
    ("D2.3", ["x", "q"], "unknown_option"),
    ("D1.1", None, "missing"),
]


@pytest.mark.parametrize(("indicator_code", "value", "code"), INVALID_ANSWERS)
def test_invalid_answer_raises_its_error_code(indicator_code, value, code):
    indicator = rubric_from_dict(valid_rubric_dict()).indicator(indicator_code)

    with pytest.raises(AnswerError) as raised:
        validate_answer(indicator, value)

    assert raised.value.code == code


def test_answer_error_carries_the_message_params():
    indicator = rubric_from_dict(valid_rubric_dict()).indicator("D2.1")

    with pytest.raises(AnswerError) as raised:
        validate_answer(indicator, 7)

    assert raised.value.message_params == {"value": 7, "max": 3}
