"""The rubric page of a version traced to the Action Plan: the task × tier coverage matrix."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from questionnaires.services import default_rubric_version, rubric_version_load
from tests.questionnaires.test_rubric_pages import in_english, rows

RUBRICS = Path(__file__).resolve().parents[2] / "questionnaires/rubrics"


@pytest.fixture
def version_1_1(db):
    default_rubric_version()
    version, _created = rubric_version_load(path=RUBRICS / "iip-2026@1.1.yaml")
    return version


def test_the_page_shows_each_task_with_the_indicators_per_tier(client, version_1_1):
    response = in_english(client).get(reverse("rubric_detail", args=["iip-2026@1.1"]))

    coverage = rows(response.text, "coverage-row")

    assert response.status_code == 200
    assert len(coverage) == 13
    task_2_2 = next(row for row in coverage if row.startswith("2.2 "))
    assert "D3.1" in task_2_2 and "D3.7" in task_2_2


def test_dimensions_show_the_actions_their_tasks_belong_to(client, version_1_1):
    response = in_english(client).get(reverse("rubric_detail", args=["iip-2026@1.1"]))
    assert (
        "1 Platform cultivation and upgrading, 3 Scaled application of platforms" in response.text
    )


def test_a_1_0_page_has_no_coverage_matrix(client, version_1_1):
    response = in_english(client).get(reverse("rubric_detail", args=["iip-2026@1.0"]))
    assert "Action Plan tasks and the indicators measuring them" not in response.text


def test_the_diff_from_1_0_to_1_1_lists_the_new_indicators(client, version_1_1):
    response = in_english(client).get(reverse("rubric_diff", args=["iip-2026@1.0", "iip-2026@1.1"]))
    assert response.status_code == 200
    for code in ("D1.7", "D2.7", "D3.7", "D5.8", "D5.9", "D7.7", "D7.8"):
        assert code in response.text
