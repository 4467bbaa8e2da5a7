"""A certified platform's strengths are read at its certified tier (gaps at the tier in reach)."""

from decimal import Decimal

import pytest

from assessment.selectors.reports import (
    PASS_BAR,
    report_submission_queryset,
    score_breakdown,
    submission_report_data,
)
from tests.factories import reviewed_submission

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("tier", ["basic", "growth"])
def test_strengths_are_the_best_dimensions_at_the_certified_tier(tier):
    submission = reviewed_submission(result=tier, certified=True)
    data = submission_report_data(report_submission_queryset().get(pk=submission.pk))
    at_tier = {
        code: Decimal(scores[tier])
        for code, scores in score_breakdown(submission)["dimensions"].items()
    }
    assert data["strength_tier"] == tier
    means = [strength["mean"] for strength in data["strengths"]]
    assert means == sorted(means, reverse=True) and 0 < len(means) <= 3
    for strength in data["strengths"]:
        assert strength["mean"] == at_tier[strength["code"]] >= PASS_BAR
    # The best three of the tier's dimension scores, nothing from the next tier's profile.
    assert (
        means == sorted((mean for mean in at_tier.values() if mean >= PASS_BAR), reverse=True)[:3]
    )
