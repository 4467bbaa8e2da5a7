"""The rubric's `monitored: true` flag: indicators re-filed in the annual monitoring return."""

import pytest

from assessment.services.monitoring.common import MONITORED_BEFORE_THE_KEY, monitored_codes
from questionnaires.rubric import RubricError, parse_rubric_file, rubric_from_dict
from questionnaires.services import DEFAULT_RUBRIC_PATH
from tests.questionnaires.rubric_builders import valid_rubric_dict


def _first_indicator(data: dict) -> dict:
    return data["dimensions"][0]["indicators"][0]


def test_monitored_defaults_to_false_and_stays_out_of_the_canonical_form():
    rubric = rubric_from_dict(valid_rubric_dict())
    assert not any(indicator.monitored for indicator in rubric.indicators)
    assert "monitored" not in rubric.canonical_json()


def test_monitored_true_is_read_and_round_trips():
    data = valid_rubric_dict()
    _first_indicator(data)["monitored"] = True
    rubric = rubric_from_dict(data)
    assert rubric.indicators[0].monitored
    assert rubric_from_dict(rubric.to_dict()) == rubric
    assert rubric_from_dict(rubric.to_dict()).fingerprint() == rubric.fingerprint()


def test_monitored_must_be_a_boolean():
    data = valid_rubric_dict()
    _first_indicator(data)["monitored"] = "yes"
    with pytest.raises(RubricError) as raised:
        rubric_from_dict(data)
    assert any("indicators[0].monitored" in problem for problem in raised.value.problems)


def test_rubric_1_1_monitors_the_numeric_indicators_and_the_security_record():
    rubric = parse_rubric_file(DEFAULT_RUBRIC_PATH.parent / "iip-2026@1.1.yaml")
    monitored = [indicator.code for indicator in rubric.indicators if indicator.monitored]
    assert monitored == [
        "D1.2", "D1.3", "D1.7", "D3.1", "D3.2", "D4.1", "D4.2", "D5.1", "D5.8", "D7.1", "D7.3",
        "D8.6",
    ]  # fmt: skip


def test_rubric_1_0_keeps_its_file_and_declares_its_monitored_set_beside_it():
    rubric = parse_rubric_file(DEFAULT_RUBRIC_PATH)
    assert not any(indicator.monitored for indicator in rubric.indicators)
    declared = MONITORED_BEFORE_THE_KEY[("iip-2026", "1.0")]
    assert {indicator.code for indicator in rubric.indicators} >= set(declared)
    for kind in ("specialized", "industry", "collaborative"):
        applying = [code for code in declared if rubric.indicator(code).applies_to(kind)]
        assert monitored_codes(rubric, kind) == applying
        assert "D8.6" in applying  # the security record, for every kind
