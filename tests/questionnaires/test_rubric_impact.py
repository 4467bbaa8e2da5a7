"""manage.py rubric_impact OLD NEW: how many stored submissions would change tier under NEW."""

from __future__ import annotations

import json
from collections import Counter
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import ScoreSummary, Submission
from questionnaires.management.commands.rubric_impact import rubric_impact
from questionnaires.models import RubricVersion
from questionnaires.selectors import rubric_of
from questionnaires.services import rubric_version_load
from tests.factories import AnswerFactory, CycleFactory, SubmissionFactory
from tests.questionnaires.rubric_builders import (
    choice,
    criterion,
    dimension,
    numeric,
    option,
    rubric_dict,
    same_target,
)

pytestmark = pytest.mark.django_db


def store(tmp_path, version: str, target: int, options: tuple[str, str]) -> RubricVersion:
    """A one-dimension rubric: D1.1 a number with a basic target, D1.2 a single choice; no
    evidence needed, no preconditions."""
    data = rubric_dict(
        [
            dimension(
                "D1",
                [
                    numeric("D1.1", [criterion("basic", same_target(target))], evidence="none"),
                    choice(
                        "D1.2",
                        [option(code, basic=1) for code in options],
                        [criterion("basic")],
                        evidence="none",
                    ),
                ],
            )
        ],
        code="impact-test",
        version=version,
    )
    path = tmp_path / f"impact-test@{version}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    stored, _created = rubric_version_load(path=path)
    return stored


@pytest.fixture
def versions(tmp_path):
    """1.0: target 100, options a and b. 1.1: target 200, options a and c (b removed)."""
    return store(tmp_path, "1.0", 100, ("a", "b")), store(tmp_path, "1.1", 200, ("a", "c"))


def submission_with(rubric_version, **answers) -> Submission:
    submission = SubmissionFactory(cycle=CycleFactory(rubric_version=rubric_version))
    for code, value in answers.items():
        AnswerFactory(submission=submission, question_code=code.replace("_", "."), value=value)
    return submission


@pytest.fixture
def submissions(versions):
    old, _new = versions
    return [
        submission_with(old, D1_1=150, D1_2="a"),  # basic → not rated: 150 is 75 % of 200
        submission_with(old, D1_1=250, D1_2="a"),  # basic → basic
        submission_with(old, D1_1=260, D1_2="a"),  # basic → basic
        submission_with(old, D1_1=50, D1_2="a"),  # not rated → not rated
        submission_with(old, D1_1=250, D1_2="b"),  # basic → not rated: option b is gone
    ]


def impact(*args: str) -> str:
    out = StringIO()
    call_command("rubric_impact", *args, stdout=out)
    return out.getvalue()


def test_report_counts_submissions_per_transition(submissions):
    report = json.loads(impact("impact-test@1.0", "impact-test@1.1", "--json"))
    assert report["transitions"] == [
        {"old_result": "not_rated", "new_result": "not_rated", "submissions": 1},
        {"old_result": "basic", "new_result": "not_rated", "submissions": 2},
        {"old_result": "basic", "new_result": "basic", "submissions": 2},
    ]
    assert (report["submissions"], report["changed"]) == (5, 2)


def test_report_names_both_versions(submissions):
    report = json.loads(impact("impact-test@1.0", "impact-test@1.1", "--json"))
    assert (report["old"], report["new"]) == ("impact-test@1.0", "impact-test@1.1")


def test_answer_the_new_version_cannot_take_is_counted_and_scored_unanswered(submissions):
    report = json.loads(impact("impact-test@1.0", "impact-test@1.1", "--json"))
    assert report["invalid_answers"] == 1


def test_table_shows_each_transition_and_the_changed_share(submissions):
    output = impact("impact-test@1.0", "impact-test@1.1")
    lines = output.splitlines()
    assert lines[0] == (
        "impact-test@1.0 → impact-test@1.1: 5 submission(s) of impact-test@1.0 rescored in "
        "memory (nothing written)."
    )
    assert lines[2].split() == ["old", "result", "new", "result", "submissions"]
    assert [line.split() for line in lines[3:6]] == [
        ["not_rated", "not_rated", "1"],
        ["basic", "not_rated", "2", "changed"],
        ["basic", "basic", "2"],
    ]
    assert "Would change tier: 2 of 5 (40.0 %)." in output
    assert "Answers impact-test@1.1 cannot take (scored as unanswered): 1." in output


def test_only_submissions_of_the_old_version_are_rescored(versions, submissions):
    _old, new = versions
    submission_with(new, D1_1=1000, D1_2="c")
    report = json.loads(impact("impact-test@1.0", "impact-test@1.1", "--json"))
    assert report["submissions"] == 5


def test_rescoring_under_the_same_version_changes_nothing(submissions):
    report = json.loads(impact("impact-test@1.0", "impact-test@1.0", "--json"))
    assert report["changed"] == 0
    assert all(row["old_result"] == row["new_result"] for row in report["transitions"])


def test_nothing_is_written(submissions):
    with CaptureQueriesContext(connection) as queries:
        impact("impact-test@1.0", "impact-test@1.1")
    assert queries.captured_queries
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)


def test_queries_grow_with_batches_not_with_submissions(versions, submissions):
    old, new = versions
    new_rubric = rubric_of(new)
    rubric_of(old)  # parsed once per process, like the command does on its first use

    def query_count(batch_size: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            rubric_impact(old_version=old, new_rubric=new_rubric, batch_size=batch_size)
        return len(queries.captured_queries)

    one_batch = query_count(5)
    five_batches = query_count(1)
    assert five_batches - one_batch == 4 * 3  # answers, evidence, decisions per extra batch


def test_batches_give_the_same_report(versions, submissions):
    old, new = versions
    reports = [
        rubric_impact(old_version=old, new_rubric=rubric_of(new), batch_size=size).to_dict()
        for size in (1, 2, 1000)
    ]
    for report in reports:
        report.pop("seconds")  # the time it took
    assert reports[0] == reports[1] == reports[2]


def test_worker_processes_give_the_same_report(versions, submissions):
    single = json.loads(impact("impact-test@1.0", "impact-test@1.1", "--json"))
    parallel = json.loads(
        impact(
            "impact-test@1.0", "impact-test@1.1", "--json", "--workers", "2", "--batch-size", "2"
        )
    )
    single.pop("seconds"), parallel.pop("seconds")
    assert parallel == single


def test_workers_below_1_are_refused(versions):
    with pytest.raises(CommandError, match="--workers"):
        impact("impact-test@1.0", "impact-test@1.1", "--workers", "0")


def test_no_submission_gives_an_empty_report(versions):
    output = impact("impact-test@1.0", "impact-test@1.1")
    assert output.splitlines()[0].startswith("impact-test@1.0 → impact-test@1.1: 0 submission")


def test_unknown_version_is_refused_with_the_stored_labels(versions):
    with pytest.raises(CommandError) as raised:
        impact("impact-test@1.0", "impact-test@2.0")
    message = str(raised.value)
    assert "No stored rubric version impact-test@2.0" in message
    assert "stored: impact-test@1.0, impact-test@1.1" in message


def test_batch_size_below_1_is_refused(versions):
    with pytest.raises(CommandError, match="--batch-size"):
        impact("impact-test@1.0", "impact-test@1.1", "--batch-size", "0")


def test_old_results_match_the_stored_summaries_of_the_demo_data():
    """On realistic data (answers, evidence, review decisions) the in-memory score under OLD is
    the one the application stored."""
    call_command("seed_demo", platforms=30, seed=5, stdout=StringIO())
    stored = Counter(ScoreSummary.objects.values_list("result", flat=True))
    report = json.loads(impact("iip-2026@1.0", "iip-2026@1.0", "--json"))
    assert report["changed"] == 0
    assert report["submissions"] == Submission.objects.count() == sum(stored.values())
    assert {row["old_result"]: row["submissions"] for row in report["transitions"]} == dict(stored)
