"""manage.py score --rubric FILE.yaml --answers ANSWERS.json: the CLI contract, end to end.

These tests have no database access (pytest-django refuses any query without the db mark), so
passing at all shows the command never touches the database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from questionnaires.rubric import parse_rubric_file
from questionnaires.scoring import AnswerInput, score
from tests.questionnaires.rubric_builders import (
    worked_example,
)

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_RUBRIC = ROOT / "questionnaires/rubrics/iip-2026@1.0.yaml"
# The example of the issue, with D4.6 (a multiple choice) where the issue wrote D4.5: in
# iip-2026@1.0 D4.5 is an ordinal question (see test_issue_example_as_written_is_refused).
EXAMPLE_ANSWERS = {
    "platform_kind": "industry",
    "preconditions": {"P1": True, "P2": True},
    "answers": {
        "D1.2": {"value": 150000, "evidence": "verified"},
        "D8.1": {"value": True, "evidence": "uploaded"},
        "D2.3": {"value": 2, "evidence": "none"},
        "D4.6": {"value": ["provincial", "national-case"], "evidence": "rejected"},
    },
}


def write_json(tmp_path: Path, document, name: str = "answers.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def run_score(rubric: Path, answers: Path) -> dict:
    out = StringIO()
    call_command("score", rubric=str(rubric), answers=str(answers), stdout=out)
    return json.loads(out.getvalue())


def problems_of(tmp_path: Path, document, rubric: Path = DEFAULT_RUBRIC) -> list[str]:
    answers = write_json(tmp_path, document)
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("score", rubric=str(rubric), answers=str(answers), stdout=out)
    assert out.getvalue() == ""
    first, *lines = str(raised.value).splitlines()
    assert first == f"{len(lines)} problem(s):"
    return [line.removeprefix(f"{answers}: ") for line in lines]


def with_answers(**answers) -> dict:
    return {
        "platform_kind": "industry",
        "preconditions": {"P1": True, "P2": True},
        "answers": answers,
    }


def manage(*args: str, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(  # noqa: S603 (our own manage.py with fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


UNREACHABLE_DATABASE = "postgres://nobody:nothing@127.0.0.1:9/no_such_database"


# --- Output ---------------------------------------------------------------------------------------


def test_output_is_the_engines_score_result_as_json(tmp_path):
    output = run_score(DEFAULT_RUBRIC, write_json(tmp_path, EXAMPLE_ANSWERS))
    rubric = parse_rubric_file(DEFAULT_RUBRIC)
    expected = score(
        rubric,
        "industry",
        {"P1": True, "P2": True},
        {code: AnswerInput(**answer) for code, answer in EXAMPLE_ANSWERS["answers"].items()},
    ).to_dict()
    assert output == json.loads(json.dumps(expected))


def test_output_has_the_documented_keys(tmp_path):
    output = run_score(DEFAULT_RUBRIC, write_json(tmp_path, EXAMPLE_ANSWERS))
    assert list(output) == [
        "result",
        "progress_index",
        "tiers",
        "dimensions",
        "criteria",
        "next_tier_plan",
        "blockers",
    ]
    assert list(output["tiers"]) == ["basic", "growth", "leading", "ecosystem"]
    assert set(output["tiers"]["basic"]) == {"score", "achieved", "failed_rules"}
    assert {"indicator", "tier", "s", "v", "e", "reason"} <= set(output["criteria"][0])


def test_example_answers_are_scored_with_their_evidence_factors(tmp_path):
    output = run_score(DEFAULT_RUBRIC, write_json(tmp_path, EXAMPLE_ANSWERS))
    criteria = {(c["indicator"], c["tier"]): c for c in output["criteria"]}
    assert (criteria["D1.2", "growth"]["s"], criteria["D1.2", "growth"]["v"]) == ("1", "1.0")
    assert criteria["D1.2", "leading"]["s"] == "0"  # 150 000 is 15 % of 1 000 000
    assert (criteria["D8.1", "basic"]["v"], criteria["D8.1", "basic"]["e"]) == ("0.8", "0.8")
    assert criteria["D2.3", "growth"]["s"] == "0.8"  # anchor 2, evidence optional: v 1.0
    assert criteria["D4.6", "growth"]["v"] == "0"  # rejected


def test_example_fails_basic_on_its_gate_and_is_not_rated(tmp_path):
    output = run_score(DEFAULT_RUBRIC, write_json(tmp_path, EXAMPLE_ANSWERS))
    assert output["result"] == "not_rated"
    assert "gate_not_met:D8.1" in output["tiers"]["basic"]["failed_rules"]
    assert output["tiers"]["growth"]["failed_rules"][:2] == [
        "score_below_0.8",
        "lower_tier_not_achieved",
    ]


def test_indicator_missing_from_the_answers_counts_as_unanswered(tmp_path):
    output = run_score(DEFAULT_RUBRIC, write_json(tmp_path, EXAMPLE_ANSWERS))
    (d1_1,) = [c for c in output["criteria"] if c["indicator"] == "D1.1" and c["tier"] == "basic"]
    assert (d1_1["s"], Decimal(d1_1["e"]), d1_1["reason_code"]) == ("0", 0, "unanswered")


def test_null_value_counts_as_unanswered(tmp_path):
    output = run_score(
        DEFAULT_RUBRIC,
        write_json(tmp_path, with_answers(**{"D1.1": {"value": None, "evidence": "verified"}})),
    )
    d1_1 = next(c for c in output["criteria"] if c["indicator"] == "D1.1")
    assert d1_1["reason_code"] == "unanswered"


def test_failed_precondition_is_named_in_every_tier(tmp_path):
    document = {**EXAMPLE_ANSWERS, "preconditions": {"P1": True, "P2": False}}
    output = run_score(DEFAULT_RUBRIC, write_json(tmp_path, document))
    assert output["result"] == "not_rated"
    for tier in output["tiers"].values():
        assert tier["failed_rules"][-1] == "precondition_failed:P2"


def test_precondition_left_out_counts_as_failed(tmp_path):
    document = {**EXAMPLE_ANSWERS, "preconditions": {"P1": True}}
    output = run_score(DEFAULT_RUBRIC, write_json(tmp_path, document))
    assert "precondition_failed:P2" in output["tiers"]["basic"]["failed_rules"]


# --- The worked example of RUBRIC.md --------------------------------------------------------------


def write_worked_example(tmp_path: Path) -> tuple[Path, Path]:
    data, answers = worked_example()
    rubric_path = tmp_path / "worked-example@1.0.yaml"
    rubric_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    answers_path = write_json(
        tmp_path,
        {
            "platform_kind": "industry",
            "preconditions": {"P1": True, "P2": True},
            "answers": {
                code: {"value": value, "evidence": evidence}
                for code, (value, evidence) in answers.items()
            },
        },
    )
    return rubric_path, answers_path


def test_worked_example_is_growth_with_progress_index_2_78(tmp_path):
    output = run_score(*write_worked_example(tmp_path))
    assert output["result"] == "growth"
    assert output["progress_index"] == "2.78"


def test_worked_example_tier_scores_and_failed_rule(tmp_path):
    tiers = run_score(*write_worked_example(tmp_path))["tiers"]
    assert [tiers[tier]["score"] for tier in ("basic", "growth", "leading")] == [
        "0.9440",
        "0.8390",
        "0.7833",
    ]
    assert tiers["leading"]["failed_rules"] == ["score_below_0.8"]


def test_worked_example_dimension_means(tmp_path):
    dimensions = run_score(*write_worked_example(tmp_path))["dimensions"]
    assert dimensions["D3"]["leading"] == "0.8667"
    assert dimensions["D7"]["growth"] == "0.6500"
    assert dimensions["D6"]["leading"] == "0.6000"


def test_worked_example_plan_aims_at_leading(tmp_path):
    plan = run_score(*write_worked_example(tmp_path))["next_tier_plan"]
    assert plan and {step["tier"] for step in plan} == {"leading"}


# --- Bad answers: every problem listed, nothing on stdout -----------------------------------------


def test_issue_example_as_written_is_refused(tmp_path):
    # The issue's example answers D4.5 with options, but D4.5 of iip-2026@1.0 is ordinal.
    document = with_answers(
        **{"D4.5": {"value": ["opt-a", "opt-c"], "evidence": "rejected"}},
    )
    assert problems_of(tmp_path, document) == [
        'answers["D4.5"].value: must be an anchor index 0–3, got ["opt-a", "opt-c"]'
    ]


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (
            with_answers(**{"D9.9": {"value": 1, "evidence": "none"}}),
            'answers["D9.9"]: unknown indicator in iip-2026@1.0',
        ),
        (
            {**with_answers(), "preconditions": {"P7": True}},
            'preconditions["P7"]: unknown precondition (the rubric\'s are P1, P2)',
        ),
        (
            {**with_answers(), "preconditions": {"P1": "yes"}},
            'preconditions["P1"]: must be true or false, got "yes"',
        ),
        (
            {**with_answers(), "platform_kind": "regional"},
            'platform_kind: must be one of specialized, industry, collaborative; got "regional"',
        ),
        (
            {"answers": {}},
            "platform_kind: must be one of specialized, industry, collaborative; missing",
        ),
        (
            with_answers(**{"D1.2": {"value": 5, "evidence": "approved"}}),
            'answers["D1.2"].evidence: must be one of verified, uploaded, none, rejected, '
            'got "approved"',
        ),
        (
            with_answers(**{"D1.2": {"value": "lots", "evidence": "none"}}),
            'answers["D1.2"].value: must be a number, got "lots"',
        ),
        (
            with_answers(**{"D8.1": {"value": 1, "evidence": "none"}}),
            'answers["D8.1"].value: must be true or false, got 1',
        ),
        (
            with_answers(**{"D2.3": {"value": 4, "evidence": "none"}}),
            'answers["D2.3"].value: out of range: an anchor index is 0–3, got 4',
        ),
        (
            with_answers(**{"D1.2": {"value": -1, "evidence": "none"}}),
            'answers["D1.2"].value: out of range: must not be negative, got -1',
        ),
        (
            with_answers(**{"D3.6": {"value": 101, "evidence": "none"}}),
            'answers["D3.6"].value: out of range: a percentage must not be over 100, got 101',
        ),
        (
            with_answers(**{"D4.6": {"value": ["provincial", "gold"], "evidence": "none"}}),
            'answers["D4.6"].value: unknown option "gold"; the options are none, provincial, '
            'sme-pilot, national-case, jiebang-guashuai, got ["provincial", "gold"]',
        ),
        (
            with_answers(**{"D1.2": 5}),
            'answers["D1.2"]: must be an object {"value": …, "evidence": …}, got a number',
        ),
        (
            with_answers(**{"D1.2": {"evidence": "none"}}),
            'answers["D1.2"].value: missing (null means unanswered)',
        ),
        (
            with_answers(**{"D1.2": {"value": 5, "note": "x"}}),
            'answers["D1.2"].note: unknown key; the keys are value, evidence',
        ),
        (
            {**with_answers(), "answer": {}},
            "answer: unknown key; the keys are platform_kind, preconditions, answers",
        ),
        ([], "(top level): must be an object, got a list"),
    ],
    ids=[
        "unknown-indicator",
        "unknown-precondition",
        "precondition-not-boolean",
        "bad-platform-kind",
        "missing-platform-kind",
        "bad-evidence-status",
        "numeric-not-a-number",
        "boolean-wrong-type",
        "ordinal-out-of-range",
        "numeric-negative",
        "percentage-over-100",
        "unknown-option",
        "answer-not-an-object",
        "value-missing",
        "unknown-answer-key",
        "unknown-top-level-key",
        "not-an-object",
    ],
)
def test_bad_answer_is_refused_with_its_path(tmp_path, document, problem):
    assert problems_of(tmp_path, document) == [problem]


def test_every_problem_is_listed_at_once(tmp_path):
    document = {
        "platform_kind": "big",
        "preconditions": {"P1": 1},
        "answers": {
            "D1.2": {"value": "x", "evidence": "verified"},
            "D8.1": {"value": True, "evidence": "maybe"},
            "D0.1": {"value": 1},
        },
    }
    problems = problems_of(tmp_path, document)
    assert [problem.split(":")[0] for problem in problems] == [
        "platform_kind",
        'preconditions["P1"]',
        'answers["D1.2"].value',
        'answers["D8.1"].evidence',
        'answers["D0.1"]',
    ]


def test_key_written_twice_is_a_problem(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(
        '{"platform_kind": "industry", "platform_kind": "industry", "answers": {}}',
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match='duplicate key "platform_kind"'):
        call_command("score", rubric=str(DEFAULT_RUBRIC), answers=str(answers))


def test_malformed_json_is_refused_with_line_and_column(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text('{"platform_kind": "industry",\n "answers": {,}}', encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("score", rubric=str(DEFAULT_RUBRIC), answers=str(answers))
    assert f"{answers}: line 2, column 14: malformed JSON" in str(raised.value)


def test_missing_answers_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="cannot read the file"):
        call_command("score", rubric=str(DEFAULT_RUBRIC), answers=str(tmp_path / "none.json"))


def test_bad_rubric_file_is_refused_with_every_problem_and_its_path(tmp_path):
    text = DEFAULT_RUBRIC.read_text(encoding="utf-8")
    text = text.replace(
        "weights: {specialized: 10, industry: 12, collaborative: 10}",
        "weights: {specialized: 10, industry: 13, collaborative: 10}",
        1,
    ).replace("type: ordinal", "type: ordinary", 1)
    rubric = tmp_path / "broken.yaml"
    rubric.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command(
            "score", rubric=str(rubric), answers=str(write_json(tmp_path, EXAMPLE_ANSWERS))
        )
    message = str(raised.value)
    assert f"{rubric}: dimensions[0].indicators[3].type:" in message
    assert "weights" in message and "101" in message


def test_bad_rubric_and_malformed_answers_are_both_reported(tmp_path):
    rubric = tmp_path / "broken.yaml"
    rubric.write_text("code: [", encoding="utf-8")
    answers = tmp_path / "answers.json"
    answers.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("score", rubric=str(rubric), answers=str(answers))
    assert str(raised.value).startswith("2 problem(s):")


# --- As a process, with no database at all --------------------------------------------------------


def test_command_line_prints_json_with_the_database_unreachable(tmp_path):
    answers = write_json(tmp_path, EXAMPLE_ANSWERS)
    completed = manage(
        "score",
        "--rubric",
        str(DEFAULT_RUBRIC),
        "--answers",
        str(answers),
        database_url=UNREACHABLE_DATABASE,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["result"] == "not_rated"


def test_command_line_exits_non_zero_with_problems_on_stderr_only(tmp_path):
    answers = write_json(tmp_path, with_answers(**{"D9.9": {"value": 1}, "D1.2": {"value": "x"}}))
    completed = manage(
        "score",
        "--rubric",
        str(DEFAULT_RUBRIC),
        "--answers",
        str(answers),
        database_url=UNREACHABLE_DATABASE,
    )
    assert completed.returncode != 0
    assert completed.stdout == ""
    assert "2 problem(s):" in completed.stderr
    assert 'answers["D9.9"]: unknown indicator' in completed.stderr
    assert 'answers["D1.2"].value: must be a number' in completed.stderr
