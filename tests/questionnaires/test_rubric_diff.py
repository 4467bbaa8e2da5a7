"""The rubric diff (questionnaires.diff): what was added, removed and changed, and where."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

from questionnaires.diff import ADDED, CHANGED, REMOVED, diff_rubrics
from questionnaires.rubric import Text, parse_rubric_file
from tests.questionnaires.rubric_builders import (
    boolean,
    build,
    criterion,
    dimension,
    numeric,
    option,
    precondition,
    text,
    valid_rubric_dict,
    weights,
)

DEFAULT_RUBRIC = Path(__file__).resolve().parents[2] / "questionnaires/rubrics/iip-2026@1.0.yaml"


def changed_copy(edit) -> tuple:
    """The valid test rubric and a copy changed by ``edit(data)``."""
    old_data = valid_rubric_dict()
    new_data = copy.deepcopy(old_data)
    new_data["version"] = "2.0"
    edit(new_data)
    return build(old_data), build(new_data)


def indicator_data(data: dict, dimension_index: int, indicator_index: int) -> dict:
    return data["dimensions"][dimension_index]["indicators"][indicator_index]


def paths(change) -> list[str]:
    return [field_change.path for field_change in change.fields]


def test_a_rubric_compared_with_itself_has_no_changes():
    rubric = parse_rubric_file(DEFAULT_RUBRIC)
    assert diff_rubrics(rubric, rubric).is_empty


def test_a_new_version_number_alone_is_no_change():
    old, new = changed_copy(lambda data: None)
    assert diff_rubrics(old, new).is_empty


def test_changed_target_is_a_changed_criterion_with_old_and_new_value():
    def edit(data):
        indicator_data(data, 0, 0)["criteria"][0]["target"]["industry"] = 15000

    diff = diff_rubrics(*changed_copy(edit))
    (change,) = diff.criteria
    assert (change.status, change.code, change.tier) == (CHANGED, "D1.1", "basic")
    (field_change,) = change.fields
    assert field_change.path == "target.industry"
    assert (field_change.old, field_change.new) == (Decimal(10000), Decimal(15000))


def test_new_tier_on_an_indicator_is_an_added_criterion():
    def edit(data):
        indicator_data(data, 0, 2)["criteria"].append({"tier": "growth"})

    diff = diff_rubrics(*changed_copy(edit))
    (change,) = diff.criteria
    assert (change.status, change.code, change.tier) == (ADDED, "D1.3", "growth")
    assert change.old is None and change.new.tier == "growth"


def test_dropped_tier_of_an_indicator_is_a_removed_criterion():
    def edit(data):
        del indicator_data(data, 0, 0)["criteria"][1]

    diff = diff_rubrics(*changed_copy(edit))
    (change,) = diff.criteria
    assert (change.status, change.code, change.tier) == (REMOVED, "D1.1", "growth")
    assert change.new is None and change.current is change.old


def test_gate_turned_off_is_a_changed_criterion():
    def edit(data):
        indicator_data(data, 0, 2)["criteria"][0]["gate"] = False

    diff = diff_rubrics(*changed_copy(edit))
    (change,) = diff.criteria
    assert [(f.path, f.old, f.new) for f in change.fields] == [("gate", True, False)]


def test_criterion_text_is_compared_language_by_language():
    def edit(data):
        indicator_data(data, 0, 0)["criteria"][0]["text"]["en"] = "at least 15 000 devices"

    diff = diff_rubrics(*changed_copy(edit))
    (change,) = diff.criteria
    assert paths(change) == ["text.en"]
    assert change.fields[0].new == "at least 15 000 devices"


def test_added_indicator_brings_its_criteria_as_added():
    def edit(data):
        data["dimensions"][0]["indicators"].append(
            boolean("D1.4", [criterion("basic"), criterion("leading")])
        )

    diff = diff_rubrics(*changed_copy(edit))
    assert [(c.status, c.code) for c in diff.indicators] == [(ADDED, "D1.4")]
    assert [(c.status, c.code, c.tier) for c in diff.criteria] == [
        (ADDED, "D1.4", "basic"),
        (ADDED, "D1.4", "leading"),
    ]


def test_removed_indicator_takes_its_criteria_as_removed():
    def edit(data):
        del data["dimensions"][0]["indicators"][0]

    diff = diff_rubrics(*changed_copy(edit))
    assert [(c.status, c.code) for c in diff.indicators] == [(REMOVED, "D1.1")]
    assert [(c.status, c.tier) for c in diff.criteria] == [(REMOVED, "basic"), (REMOVED, "growth")]


def test_weight_change_is_a_changed_dimension_per_kind():
    def edit(data):
        data["dimensions"][0]["weights"] = weights(40, 60, 30)
        data["dimensions"][1]["weights"] = weights(60, 40, 70)

    diff = diff_rubrics(*changed_copy(edit))
    assert [(c.code, paths(c)) for c in diff.dimensions] == [
        ("D1", ["weights.industry"]),
        ("D2", ["weights.industry"]),
    ]
    assert (diff.dimensions[0].fields[0].old, diff.dimensions[0].fields[0].new) == (50, 60)


def test_added_dimension_is_listed_with_its_indicators_and_criteria():
    def edit(data):
        data["dimensions"][0]["weights"] = weights(30, 40, 20)
        data["dimensions"].append(
            dimension("D3", [boolean("D3.1", [criterion("basic")])], weights(10, 10, 10))
        )

    diff = diff_rubrics(*changed_copy(edit))
    assert [(c.status, c.code) for c in diff.dimensions] == [(CHANGED, "D1"), (ADDED, "D3")]
    assert [(c.status, c.code) for c in diff.indicators] == [(ADDED, "D3.1")]
    assert [(c.status, c.code) for c in diff.criteria] == [(ADDED, "D3.1")]


def test_indicator_fields_other_than_criteria_are_compared():
    def edit(data):
        ordinal_data = indicator_data(data, 1, 0)
        ordinal_data["title"] = text("A better title")
        ordinal_data["evidence"] = "required"
        ordinal_data["anchors"][2] = {"zh-hans": "大部分", "en": "mostly"}
        indicator_data(data, 0, 0)["kinds"] = ["industry", "specialized", "collaborative"]

    diff = diff_rubrics(*changed_copy(edit))
    assert [(c.code, paths(c)) for c in diff.indicators] == [
        ("D2.1", ["title.zh-hans", "title.en", "evidence", "anchors[2].zh-hans"]),
    ]
    assert diff.criteria == ()


def test_kinds_change_is_an_indicator_change_with_the_old_and_new_kinds():
    def edit(data):
        choice_data = indicator_data(data, 1, 1)
        choice_data["kinds"] = ["industry"]

    diff = diff_rubrics(*changed_copy(edit))
    (change,) = diff.indicators
    (field_change,) = change.fields
    assert (field_change.path, field_change.old, field_change.new) == (
        "kinds",
        ("specialized", "industry", "collaborative"),
        ("industry",),
    )


def test_option_changes_name_the_option():
    def edit(data):
        choice_data = indicator_data(data, 1, 2)
        choice_data["options"][0]["satisfaction"]["leading"] = 0.7
        choice_data["options"][2] = option("w", leading=0.2)

    diff = diff_rubrics(*changed_copy(edit))
    (change,) = diff.indicators
    # A removed option keeps its place (after the option it followed), before the new one.
    assert paths(change) == ["options.x.satisfaction.leading", "options.z", "options.w"]
    satisfaction, removed, added = change.fields
    assert (satisfaction.old, satisfaction.new) == (Decimal("0.6"), Decimal("0.7"))
    assert added.old is None and isinstance(added.new, Text)
    assert removed.new is None and removed.old.en == "Option z"


def test_precondition_added_removed_and_reworded():
    def edit(data):
        data["preconditions"] = [
            {"code": "P1", "text": text("Reworded"), "help": text("Show the business licence")},
            precondition("P3"),
        ]

    diff = diff_rubrics(*changed_copy(edit))
    assert [(c.status, c.code) for c in diff.preconditions] == [
        (CHANGED, "P1"),
        (REMOVED, "P2"),
        (ADDED, "P3"),
    ]
    assert paths(diff.preconditions[0]) == ["text.zh-hans", "text.en"]


def test_rubric_title_change_is_listed_apart():
    def edit(data):
        data["title"] = {"zh-hans": "测试评估细则（中文）", "en": "Test rubric"}

    diff = diff_rubrics(*changed_copy(edit))
    assert [(f.path, f.new) for f in diff.rubric] == [("title.zh-hans", "测试评估细则（中文）")]
    assert not diff.is_empty


def test_changes_are_in_natural_code_order():
    def edit(data):
        indicators = data["dimensions"][0]["indicators"]
        indicators.append(
            numeric(
                "D1.10", [criterion("basic", {"specialized": 1, "industry": 1, "collaborative": 1})]
            )
        )
        indicators.append(boolean("D1.9", [criterion("basic")]))

    diff = diff_rubrics(*changed_copy(edit))
    assert [c.code for c in diff.indicators] == ["D1.9", "D1.10"]


def test_counts_by_status():
    def edit(data):
        del indicator_data(data, 0, 0)["criteria"][1]
        indicator_data(data, 0, 2)["criteria"][0]["gate"] = False
        indicator_data(data, 0, 2)["criteria"].append({"tier": "growth"})

    diff = diff_rubrics(*changed_copy(edit))
    assert diff.counts("criteria") == {ADDED: 1, REMOVED: 1, CHANGED: 1}
    assert diff.counts("indicators") == {ADDED: 0, REMOVED: 0, CHANGED: 0}
