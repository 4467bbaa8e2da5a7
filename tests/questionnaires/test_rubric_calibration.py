"""The intended tier shares come back from demo data generated to the calibration (1.1)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from questionnaires.calibration import INTENDED_SHARES, RATED_SHARES, calibration_shares
from questionnaires.rubric import parse_rubric_file

RUBRICS = Path(__file__).resolve().parents[2] / "questionnaires/rubrics"
V1_1 = parse_rubric_file(RUBRICS / "iip-2026@1.1.yaml")


def test_the_intended_pyramid_is_100_to_4_to_0_8():
    assert RATED_SHARES["growth"] / RATED_SHARES["basic"] == pytest.approx(0.04)
    assert RATED_SHARES["leading"] / RATED_SHARES["basic"] == pytest.approx(0.008)
    assert sum(INTENDED_SHARES.values()) == pytest.approx(1)


@pytest.fixture(scope="module")
def run():
    return calibration_shares(V1_1, platforms=1200, seed=7)


def test_demo_platforms_get_the_tier_they_were_generated_for(run):
    assert run.agreement >= 0.93


@pytest.mark.parametrize(
    ("result", "tolerance"),
    [("not_rated", 0.04), ("basic", 0.04), ("growth", 0.015), ("leading", 0.006)],
)
def test_the_shares_come_out_as_intended(run, result, tolerance):
    # The tolerance covers the sampling of 1 200 platforms (about ±1 point at 10 %) and the
    # generator's per-answer spread, which moves 2 to 3 % of basic platforms below the bar.
    assert abs(run.share(result) - INTENDED_SHARES[result]) <= tolerance


def test_the_command_prints_the_shares():
    out = StringIO()
    call_command(
        "rubric_calibration", str(RUBRICS / "iip-2026@1.1.yaml"), "--platforms", "50", stdout=out
    )
    lines = out.getvalue().splitlines()
    assert lines[0] == "iip-2026@1.1: 50 demo platforms generated to the calibration"
    assert lines[2].startswith("not_rated      10.00%")
