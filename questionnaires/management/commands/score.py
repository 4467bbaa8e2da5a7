"""Score one set of answers against a rubric file, without a database.

    manage.py score --rubric FILE.yaml --answers ANSWERS.json

ANSWERS.json (docs/rubric.md has the full contract)::

    {"platform_kind": "industry",
     "preconditions": {"P1": true, "P2": true},
     "answers": {"D1.2": {"value": 150000, "evidence": "verified"}}}

Prints the engine's ``ScoreResult.to_dict()`` as JSON on stdout. A bad rubric file or bad
answers exit with status 1 and every problem listed on stderr; nothing is printed on stdout
then. The command never opens a database connection (no system checks, no queries).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from questionnaires.rubric import (
    KINDS,
    AnswerError,
    EvidenceStatus,
    Indicator,
    Rubric,
    RubricError,
    parse_rubric,
    validate_answer,
)
from questionnaires.scoring import AnswerInput, score

#: The evidence statuses an answers file may give (a reviewer's correction is not one: give the
#: corrected value with "verified").
EVIDENCE_STATUSES = (
    EvidenceStatus.VERIFIED,
    EvidenceStatus.UPLOADED,
    EvidenceStatus.NONE,
    EvidenceStatus.REJECTED,
)
TOP_LEVEL_KEYS = ("platform_kind", "preconditions", "answers")
ANSWER_KEYS = ("value", "evidence")

_ANSWER_MESSAGES = {
    "missing": "missing",
    "not_boolean": "must be true or false",
    "not_an_anchor": "must be an anchor index 0–3",
    "anchor_out_of_range": "out of range: an anchor index is 0–3",
    "not_a_number": "must be a number",
    "negative": "out of range: must not be negative",
    "over_100": "out of range: a percentage must not be over 100",
    "single_choice_only": "takes one option code, not a list (the question is single choice)",
    "unknown_option": "unknown option {value}",
    "duplicate_option": "option {value} chosen twice",
    "exclusive_option": "option {value} means none of the others and cannot be combined",
}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string"}.get(
        type(value), "a list" if isinstance(value, list) else "an object"
    )


def answer_problem(indicator: Indicator, error: AnswerError, raw_value: Any) -> str:
    """The text of a refused answer value: what is wrong and what was given."""
    template = _ANSWER_MESSAGES.get(error.code, error.code + " {params}")
    params = {
        name: _json(value) if isinstance(value, str) else value
        for name, value in error.message_params.items()
    }
    message = template.format(params=params, **params)
    if error.code == "unknown_option":
        message += "; the options are " + ", ".join(option.code for option in indicator.options)
    return f"{message}, got {_json(raw_value)}"


def read_answers(
    answers_json: Any, rubric: Rubric | None
) -> tuple[str | None, dict[str, bool], dict[str, AnswerInput], list[str]]:
    """Check an answers document completely; returns (kind, preconditions, answers, problems).

    Without a rubric (the rubric file was bad) only the checks that need none are made.
    """
    problems: list[str] = []
    if not isinstance(answers_json, dict):
        return None, {}, {}, [f"(top level): must be an object, got {_type_name(answers_json)}"]
    for key in answers_json:
        if key not in TOP_LEVEL_KEYS:
            problems.append(f"{key}: unknown key; the keys are {', '.join(TOP_LEVEL_KEYS)}")

    kind = answers_json.get("platform_kind")
    if kind not in KINDS:
        given = "missing" if "platform_kind" not in answers_json else f"got {_json(kind)}"
        problems.append(f"platform_kind: must be one of {', '.join(KINDS)}; {given}")
        kind = None

    preconditions: dict[str, bool] = {}
    preconditions_json = answers_json.get("preconditions", {})
    if not isinstance(preconditions_json, dict):
        problems.append(f"preconditions: must be an object, got {_type_name(preconditions_json)}")
        preconditions_json = {}
    known_preconditions = (
        {precondition.code for precondition in rubric.preconditions} if rubric else None
    )
    for code, met in preconditions_json.items():
        path = f"preconditions[{_json(code)}]"
        if known_preconditions is not None and code not in known_preconditions:
            known = ", ".join(sorted(known_preconditions)) or "none"
            problems.append(f"{path}: unknown precondition (the rubric's are {known})")
        elif not isinstance(met, bool):
            problems.append(f"{path}: must be true or false, got {_json(met)}")
        else:
            preconditions[code] = met

    answers: dict[str, AnswerInput] = {}
    answers_map = answers_json.get("answers", {})
    if not isinstance(answers_map, dict):
        problems.append(f"answers: must be an object, got {_type_name(answers_map)}")
        answers_map = {}
    for code, answer in answers_map.items():
        path = f"answers[{_json(code)}]"
        indicator = None
        if rubric is not None:
            if not rubric.has_indicator(code):
                problems.append(f"{path}: unknown indicator in {rubric.label}")
                continue
            indicator = rubric.indicator(code)
        if not isinstance(answer, dict):
            problems.append(
                f'{path}: must be an object {{"value": …, "evidence": …}}, got {_type_name(answer)}'
            )
            continue
        for key in answer:
            if key not in ANSWER_KEYS:
                problems.append(f"{path}.{key}: unknown key; the keys are value, evidence")
        evidence = answer.get("evidence", EvidenceStatus.NONE)
        if evidence not in EVIDENCE_STATUSES:
            problems.append(
                f"{path}.evidence: must be one of {', '.join(EVIDENCE_STATUSES)}, "
                f"got {_json(evidence)}"
            )
            evidence = None
        if "value" not in answer:
            problems.append(f"{path}.value: missing (null means unanswered)")
            continue
        value = answer["value"]
        if indicator is not None and value is not None:
            try:
                value = validate_answer(indicator, value)
            except AnswerError as error:
                problems.append(f"{path}.value: {answer_problem(indicator, error, value)}")
                continue
        if evidence is not None:
            answers[code] = AnswerInput(value=value, evidence=str(evidence))
    return kind, preconditions, answers, problems


def _object(pairs: list[tuple[str, Any]], duplicates: list[str]) -> dict[str, Any]:
    """A JSON object; a key written twice is a problem (json keeps the last silently)."""
    json_object: dict[str, Any] = {}
    for key, value in pairs:
        if key in json_object:
            duplicates.append(f"duplicate key {_json(key)}")
        json_object[key] = value
    return json_object


class Command(BaseCommand):
    help = (
        "Score answers (JSON) against a rubric file (YAML) and print the result with its "
        "derivation as JSON. Uses no database."
    )
    # No system checks: nothing here needs the database, and it may be unreachable.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--rubric", required=True, metavar="FILE.yaml")
        parser.add_argument("--answers", required=True, metavar="ANSWERS.json")

    def handle(self, *args, rubric: str, answers: str, **options):
        problems: list[str] = []
        parsed_rubric = None
        try:
            with open(rubric, encoding="utf-8") as rubric_file:
                parsed_rubric = parse_rubric(rubric_file.read())
        except RubricError as error:
            problems.extend(f"{rubric}: {problem}" for problem in error.problems)
        except (OSError, UnicodeDecodeError) as error:
            problems.append(f"{rubric}: cannot read the file: {error}")

        duplicates: list[str] = []
        try:
            with open(answers, encoding="utf-8") as answers_file:
                answers_json = json.load(
                    answers_file, object_pairs_hook=lambda pairs: _object(pairs, duplicates)
                )
        except json.JSONDecodeError as error:
            problems.append(
                f"{answers}: line {error.lineno}, column {error.colno}: malformed JSON: {error.msg}"
            )
        except (OSError, UnicodeDecodeError) as error:
            problems.append(f"{answers}: cannot read the file: {error}")
        else:
            kind, preconditions, inputs, answer_problems = read_answers(answers_json, parsed_rubric)
            problems.extend(f"{answers}: {problem}" for problem in duplicates + answer_problems)

        if problems:
            raise CommandError(f"{len(problems)} problem(s):\n" + "\n".join(problems))
        result = score(parsed_rubric, kind, preconditions, inputs)
        self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
