import pytest

from assessment.services.scoring import build_score_inputs
from questionnaires.rubric import parse_rubric_file
from questionnaires.services import DEFAULT_RUBRIC_PATH

RUBRIC = parse_rubric_file(DEFAULT_RUBRIC_PATH)


def test_answers_of_questions_the_rubric_does_not_have_are_left_out():
    preconditions, inputs = build_score_inputs(
        RUBRIC, [("P1", True), ("D9.9", 5), ("D1.1", 6)], evidenced_codes=set(), decisions={}
    )
    assert preconditions == {"P1": True}
    assert set(inputs) == {"D1.1"}


def test_evidence_and_decisions_set_the_status():
    _, inputs = build_score_inputs(
        RUBRIC,
        [("D1.1", 6), ("D1.2", 1000), ("D1.4", 2)],
        evidenced_codes={"D1.1", "D1.2"},
        decisions={"D1.2": ("corrected", 500), "D1.4": ("rejected", None)},
    )
    assert (inputs["D1.1"].evidence, inputs["D1.1"].value) == ("uploaded", 6)
    assert (inputs["D1.2"].evidence, inputs["D1.2"].value) == ("corrected", 500)
    assert inputs["D1.4"].evidence == "rejected"


@pytest.mark.parametrize("value", [False, None, "yes"])
def test_a_precondition_counts_only_when_answered_true(value):
    preconditions, _ = build_score_inputs(RUBRIC, [("P2", value)], set(), {})
    assert preconditions == {"P2": False}
