"""Required checks (gates, numeric criteria of the tier in reach, a reproducible sample) and
the round diff shown after a resubmission."""

import math

import pytest
from django.utils import timezone

from assessment.models import Answer, Evidence
from assessment.selectors.reviews import (
    CHECK_GATE,
    CHECK_NUMERIC,
    CHECK_SAMPLE,
    checks_tier,
    required_checks,
    review_screen,
)
from assessment.services import reviews
from assessment.services.scoring import submission_score
from assessment.services.workflow import submission_transition
from questionnaires.selectors import rubric_of
from questionnaires.services import default_rubric_version
from tests.factories import EvidenceLinkFactory, answered_submission, operator, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def rubric():
    return rubric_of(default_rubric_version())


def industry_codes(rubric):
    return {i.code for i in rubric.indicators if i.applies_to("industry")}


def test_every_gate_up_to_the_tier_is_required(rubric):
    checks = required_checks(
        rubric=rubric,
        kind="industry",
        submission_id=1,
        answered=industry_codes(rubric),
        tier="growth",
    )
    gates = {
        i.code
        for i in rubric.indicators
        if any(c.gate and c.tier in ("basic", "growth") for c in i.criteria)
    }
    assert gates and all(CHECK_GATE in checks[code] for code in gates)


def test_every_numeric_criterion_of_the_tier_is_required(rubric):
    checks = required_checks(
        rubric=rubric,
        kind="industry",
        submission_id=1,
        answered=industry_codes(rubric),
        tier="leading",
    )
    numeric = {
        i.code
        for i in rubric.indicators
        if i.applies_to("industry")
        and i.type in ("numeric", "percentage")
        and i.criterion("leading") is not None
        and i.criterion("leading").target_for("industry") is not None
    }
    assert numeric and all(CHECK_NUMERIC in checks[code] for code in numeric)


def test_sample_is_a_fifth_of_the_rest_and_reproducible(rubric):
    answered = industry_codes(rubric)
    first = required_checks(
        rubric=rubric, kind="industry", submission_id=42, answered=answered, tier="basic"
    )
    again = required_checks(
        rubric=rubric, kind="industry", submission_id=42, answered=answered, tier="basic"
    )
    other = required_checks(
        rubric=rubric, kind="industry", submission_id=43, answered=answered, tier="basic"
    )
    sample = {code for code, reasons in first.items() if reasons == (CHECK_SAMPLE,)}
    rest = len(answered) - (len(first) - len(sample))
    assert len(sample) == math.ceil(rest * 0.2)
    assert first == again
    assert sample != {code for code, reasons in other.items() if reasons == (CHECK_SAMPLE,)}


def test_unanswered_indicators_are_never_required(rubric):
    answered = industry_codes(rubric) - {"D8.1", "D1.2"}
    checks = required_checks(
        rubric=rubric, kind="industry", submission_id=1, answered=answered, tier="ecosystem"
    )
    assert "D8.1" not in checks and "D1.2" not in checks


def test_checks_cover_the_highest_of_claim_potential_and_live_result():
    assert checks_tier("not_rated", "not_rated") == "basic"
    assert checks_tier("basic", "leading", "growth") == "leading"
    assert checks_tier("", "growth") == "growth"


def test_checks_cover_the_tier_the_evidence_would_give():
    # Unverified gates make the strict result "not rated"; the checks still cover growth, which
    # the answers reach once their evidence holds (the claim).
    submission = answered_submission(tier="growth")
    assert submission_score(submission).result == "not_rated"
    assert submission.claimed_result == "growth"
    desk = reviewer("440000")
    assert review_screen(user=desk, submission=submission).checks_tier == "growth"


def test_round_diff_shows_changed_answers_and_evidence():
    submission = answered_submission()
    desk = reviewer("440000")
    reviews.review_assign(actor=desk, submission=submission, reviewer=desk)
    reviews.review_start(actor=desk, submission=submission)
    reviews.review_request_revision(
        actor=desk,
        submission=submission,
        question_codes=["D1.1", "D1.2", "D2.1"],
        message="请更新",
    )
    member = operator(organisation=submission.platform.organisation)
    Answer.objects.filter(submission=submission, question_code="D1.1").update(value=9)
    added = EvidenceLinkFactory(submission=submission, question_code="D1.2")
    removed = Evidence.objects.get(submission=submission, question_code="D2.1")
    Evidence.objects.filter(pk=removed.pk).update(is_current=False, removed_at=timezone.now())
    submission_transition(submission=submission, to_state="resubmitted", actor=member)

    diff = review_screen(user=desk, submission=submission).diff
    changes = {change.code: change for change in diff.changes}
    assert diff.message == "请更新"
    assert (changes["D1.1"].answer_changed, changes["D1.1"].added) == (True, [])
    assert [e.pk for e in changes["D1.2"].added] == [added.pk]
    assert changes["D1.2"].answer_changed is False
    assert [e.pk for e in changes["D2.1"].removed] == [removed.pk]
