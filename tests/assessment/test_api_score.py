"""The score over the API: the provisional result with its full explanation, in the caller's
language, and the certified snapshot."""

import pytest

from assessment.models import ScoreSummary
from tests.assessment.api_support import World, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def score(client, submission, language="en"):
    return client.get(
        f"/api/v1/submissions/{submission.pk}/score/", HTTP_ACCEPT_LANGUAGE=language
    ).json()


def test_the_score_explains_every_criterion(world):
    body = score(token_client(world.users["operator"]), world.sz)
    breakdown = body["provisional"]["breakdown"]
    assert breakdown["criteria"]
    for criterion in breakdown["criteria"]:
        assert {"indicator", "tier", "s", "v", "e", "reason_code", "reason"} <= set(criterion)
        assert criterion["reason"]


def test_the_score_is_the_stored_summary(world):
    summary = ScoreSummary.objects.get(submission=world.sz)
    body = score(token_client(world.users["operator"]), world.sz)
    assert body["provisional"]["result"] == summary.result
    assert body["provisional"]["progress_index"] == str(summary.progress_index)
    assert body["certification"] is None


def test_the_decision_and_failed_rules_are_in_words(world):
    body = score(token_client(world.users["operator"]), world.sz)
    breakdown = body["provisional"]["breakdown"]
    assert breakdown["decision"].startswith("The platform")
    for tier in breakdown["tiers"].values():
        assert len(tier["failed_rules_text"]) == len(tier["failed_rules"])


def test_the_next_tier_plan_says_what_to_change(world):
    plan = score(token_client(world.users["operator"]), world.sz)["provisional"]["breakdown"][
        "next_tier_plan"
    ]
    assert plan
    assert all(step["change"] and step["gain"] for step in plan)


def test_the_explanation_follows_the_callers_language(world):
    client = token_client(world.users["operator"])
    english = score(client, world.sz, "en")["provisional"]["breakdown"]["criteria"][0]["reason"]
    chinese = score(client, world.sz, "zh-hans")["provisional"]["breakdown"]["criteria"][0][
        "reason"
    ]
    assert english != chinese


def test_an_unscored_submission_is_scored_on_the_fly_without_storing(world):
    ScoreSummary.objects.filter(submission=world.sz).delete()
    body = score(token_client(world.users["operator"]), world.sz)
    assert body["provisional"]["computed_at"] is None
    assert body["provisional"]["breakdown"]["criteria"]
    assert not ScoreSummary.objects.filter(submission=world.sz).exists()


def test_the_score_has_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    client = token_client(world.users["operator"])
    client.get(f"/api/v1/submissions/{world.sz.pk}/score/")
    with django_assert_max_num_queries(6):
        client.get(f"/api/v1/submissions/{world.sz.pk}/score/")
