"""iip-2026@1.1: traced to the Action Plan's tasks, no hidden vetoes; 1.0 unchanged."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from questionnaires.coverage import (
    MEASURED_BY,
    rubric_warnings,
    single_criterion_cells,
    task_coverage,
    unmeasured_tasks,
)
from questionnaires.rubric import (
    KINDS,
    AnswerError,
    QuestionType,
    RubricError,
    parse_rubric,
    parse_rubric_file,
    rubric_from_dict,
    validate_answer,
)
from questionnaires.scoring import AnswerInput, Blocker, score

RUBRICS = Path(__file__).resolve().parents[2] / "questionnaires/rubrics"
V1_0 = parse_rubric_file(RUBRICS / "iip-2026@1.0.yaml")
V1_1 = parse_rubric_file(RUBRICS / "iip-2026@1.1.yaml")
# The canonical form of 1.0 as stored before 1.1's format keys existed: it must not move.
V1_0_FINGERPRINT = "345ec788cfa2f2d4f67a26705ac87942dbc520200f939708898ab915444445be"


def best_value(indicator, kind):
    if indicator.type in (QuestionType.NUMERIC, QuestionType.PERCENTAGE):
        return max(c.target_for(kind) for c in indicator.criteria)
    if indicator.type == QuestionType.BOOLEAN:
        return True
    if indicator.type == QuestionType.ORDINAL:
        return 3
    if indicator.multiple:
        return [o.code for o in indicator.options if o.code not in indicator.exclusive_options]
    return max(indicator.options, key=lambda o: sum(o.satisfaction.values())).code


def perfect(rubric, kind, **overrides):
    answers = {
        indicator.code: AnswerInput(best_value(indicator, kind), "verified")
        for indicator in rubric.indicators
        if indicator.applies_to(kind)
    }
    answers.update(overrides)
    return {p.code: True for p in rubric.preconditions}, answers


# --- 1.0 stays as it was -------------------------------------------------------------------------


def test_version_1_0_keeps_its_canonical_form():
    assert V1_0.fingerprint() == V1_0_FINGERPRINT
    assert "actions" not in V1_0.to_dict()
    assert all(d.action_area is not None for d in V1_0.dimensions)


def test_version_1_0_has_the_single_criterion_cells_the_issue_names():
    found = {(c.kind, c.dimension, c.tier) for c in single_criterion_cells(V1_0)}
    assert ("industry", "D3", "basic") in found
    assert ("specialized", "D1", "ecosystem") in found
    assert len(found) == 13


def test_a_single_criterion_vetoes_a_perfect_1_0_submission_but_not_under_1_1():
    # RUBRIC.md's complaint: D3.1 at 20 mechanism models, every other answer perfect.
    weak = {"D3.1": AnswerInput(20, "verified")}
    old = score(V1_0, "industry", *perfect(V1_0, "industry", **weak))
    new = score(V1_1, "industry", *perfect(V1_1, "industry", **weak))
    assert old.result == "not_rated"
    assert "dimension_below_0.5:D3" in old.tiers["basic"].failed_rules
    assert new.result == "ecosystem"


# --- 1.1: traceability ---------------------------------------------------------------------------


def test_version_1_1_lists_the_plan_s_four_actions_and_13_tasks():
    assert [action.code for action in V1_1.actions] == ["1", "2", "3", "4"]
    assert [task.code for task in V1_1.tasks] == [
        "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3",
        "4.1", "4.2", "4.3", "4.4",
    ]  # fmt: skip
    assert all(task.title.zh_hans and task.title.en for task in V1_1.tasks)


def test_every_1_1_indicator_names_the_tasks_it_measures():
    assert all(indicator.tasks for indicator in V1_1.indicators)


def test_every_plan_task_is_measured_at_growth_or_below():
    assert unmeasured_tasks(V1_1, MEASURED_BY) == []
    coverage = task_coverage(V1_1)
    assert "D3.7" in coverage["2.2"]["basic"]  # the model toolchain
    assert "D2.7" in coverage["2.1"]["growth"]  # IP across the data life cycle
    assert "D5.9" in coverage["3.1"]["growth"]  # new models and business forms
    assert "D7.5" in coverage["4.1"]["growth"]  # open source below ecosystem
    assert "D7.7" in coverage["4.2"]["growth"]  # international cooperation


def test_dimensions_of_1_1_derive_their_actions_from_the_tasks():
    assert V1_1.dimension("D4").action_codes == ("1", "3")
    assert all(d.action_area is None for d in V1_1.dimensions)


def test_check_rubric_is_silent_for_1_1_and_warns_about_1_0():
    assert rubric_warnings(V1_1) == []
    out = StringIO()
    call_command("check_rubric", str(RUBRICS / "iip-2026@1.0.yaml"), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "iip-2026@1.0: OK (8 dimensions, 50 indicators)."
    assert any("D3" in line and "single criterion (D3.1)" in line for line in lines)
    assert lines[-1].startswith("warning: actions: missing")


# --- 1.1: no hidden vetoes -----------------------------------------------------------------------


def test_version_1_1_has_no_single_criterion_cell():
    assert single_criterion_cells(V1_1) == []


CASES = [
    (kind, indicator.code)
    for kind in KINDS
    for indicator in V1_1.indicators
    if indicator.applies_to(kind)
    and indicator.criterion("basic") is not None
    and not indicator.criterion("basic").gate
]


@pytest.mark.parametrize(("kind", "code"), CASES)
def test_one_worst_non_gate_answer_never_vetoes_the_basic_tier(kind, code):
    preconditions, answers = perfect(V1_1, kind)
    answers[code] = AnswerInput(None)  # the worst answer: satisfaction 0

    result = score(V1_1, kind, preconditions, answers)

    assert result.tiers["basic"].achieved, result.tiers["basic"].failed_rules


@pytest.mark.parametrize("kind", KINDS)
def test_a_perfect_1_1_submission_reaches_ecosystem(kind):
    assert score(V1_1, kind, *perfect(V1_1, kind)).result == "ecosystem"


def test_specialized_platforms_are_not_judged_on_devices():
    assert not V1_1.indicator("D1.2").applies_to("specialized")
    assert V1_1.indicator("D1.7").kinds == ("specialized",)


def test_penetration_of_a_cluster_is_gone_from_1_1():
    assert not V1_1.has_indicator("D5.5")
    assert V1_1.has_indicator("D5.8")


# --- Exclusive options and things no platform can act on -----------------------------------------


def test_an_exclusive_option_cannot_be_combined():
    indicator = V1_1.indicator("D4.6")
    assert validate_answer(indicator, ["none"]) == ["none"]
    with pytest.raises(AnswerError) as raised:
        validate_answer(indicator, ["none", "provincial"])
    assert raised.value.code == "exclusive_option"


def test_a_1_0_option_coded_none_is_exclusive_for_the_plan_but_1_0_accepts_what_it_did():
    # 1.0 scores exactly as before: a combination it accepted is still accepted (none counts 0).
    assert validate_answer(V1_0.indicator("D8.4"), ["none", "mlps-3"]) == ["none", "mlps-3"]
    assert V1_0.indicator("D8.4").exclusive_options == {"none"}
    assert V1_0.indicator("D7.2").exclusive_options == frozenset()
    assert V1_0.indicator("D1.5").exclusive_options == frozenset()  # a single choice


@pytest.mark.parametrize("legacy", [False, True], ids=["declared", "coded-none"])
def test_the_plan_never_suggests_or_keeps_the_none_option(legacy):
    rubric = parse_rubric(
        text(actions="", area="action_area: cultivation", tasks="", exclusive="")
        if legacy
        else text()
    )

    result = score(rubric, "industry", {}, {"D1.1": AnswerInput(["none"])})

    assert [step.suggested_value for step in result.next_tier_plan] == [["a"]]


def test_a_past_record_is_a_blocker_not_a_plan_step():
    preconditions, answers = perfect(V1_1, "industry")
    answers["D8.6"] = AnswerInput(False, "verified")  # an incident within the last 3 years
    answers["D8.7"] = AnswerInput(None)  # with D8.6, the dimension falls below the floor

    result = score(V1_1, "industry", preconditions, answers)

    assert result.next_tier == "ecosystem"
    assert [step.indicator for step in result.next_tier_plan] == ["D8.7"]
    assert Blocker(reason="past_record", indicator="D8.6", tier="ecosystem") in result.blockers


def test_a_failed_precondition_is_a_blocker():
    preconditions, answers = perfect(V1_1, "industry")
    preconditions["P2"] = False

    result = score(V1_1, "industry", preconditions, answers)

    assert result.result == "not_rated"
    assert result.next_tier_plan == ()
    assert result.blockers == (Blocker(reason="precondition_failed", precondition="P2"),)


# --- The format keys -----------------------------------------------------------------------------

BASE = """
code: t
version: "1"
title: {zh-hans: 甲, en: A}
%(actions)s
preconditions: []
dimensions:
  - code: D1
    title: {zh-hans: 甲, en: A}
    %(area)s
    weights: {specialized: 100, industry: 100, collaborative: 100}
    indicators:
      - code: D1.1
        title: {zh-hans: 甲, en: A}
        help: {zh-hans: 甲, en: A}
        type: choice
        multiple: %(multiple)s
        evidence: none
        %(tasks)s
        options:
          - {code: none, label: {zh-hans: 无, en: N}, satisfaction: {basic: %(none)s}%(exclusive)s}
          - {code: a, label: {zh-hans: 甲, en: A}, satisfaction: {basic: 1}}
        criteria:
          - tier: basic
"""
ACTIONS = """actions:
  - code: "1"
    title: {zh-hans: 甲, en: A}
    tasks:
      - {code: "1.1", title: {zh-hans: 甲, en: A}}
"""


def text(
    actions=ACTIONS,
    area="",
    multiple="true",
    tasks='tasks: ["1.1"]',
    none="0",
    exclusive=", exclusive: true",
):
    return BASE % {
        "actions": actions,
        "area": area,
        "multiple": multiple,
        "tasks": tasks,
        "none": none,
        "exclusive": exclusive,
    }


def problems(yaml_text):
    with pytest.raises(RubricError) as raised:
        parse_rubric(yaml_text)
    return raised.value.problems


def test_a_traced_rubric_loads_and_round_trips():
    rubric = parse_rubric(text())
    assert rubric.indicator("D1.1").tasks == ("1.1",)
    assert rubric.indicator("D1.1").exclusive_options == {"none"}
    again = rubric_from_dict(rubric.to_dict())
    assert again == rubric
    assert again.fingerprint() == rubric.fingerprint()


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"tasks": 'tasks: ["1.2"]'}, "dimensions[0].indicators[0].tasks[0]: unknown task '1.2'"),
        (
            {"tasks": ""},
            "dimensions[0].indicators[0].tasks: missing: name the Action Plan tasks the "
            "indicator measures",
        ),
        (
            {"actions": "", "area": "action_area: cultivation"},
            "dimensions[0].indicators[0].tasks: not allowed: the rubric declares no actions "
            "and tasks",
        ),
        ({"actions": ""}, "dimensions[0].action_area: missing"),
        (
            {"multiple": "false"},
            "dimensions[0].indicators[0].options[0].exclusive: only a multiple choice has "
            "exclusive options",
        ),
        (
            {"none": "0.5"},
            "dimensions[0].indicators[0].options[0].exclusive: an exclusive option means none "
            "of the others and must count 0 at every tier",
        ),
    ],
)
def test_the_loader_names_each_tracing_problem_with_its_path(kwargs, expected):
    assert expected in problems(text(**kwargs))


def test_every_none_option_of_1_1_is_declared_exclusive():
    for indicator in V1_1.indicators:
        for option in indicator.options:
            if option.code == "none" and indicator.multiple:
                assert option.exclusive, indicator.code


def test_only_the_3_year_security_record_is_a_past_record_in_1_1():
    assert [i.code for i in V1_1.indicators if not i.actionable] == ["D8.6"]
