"""The operator's peer benchmark: quartiles and percentile only with at least 5 certified peers."""

import pytest
from django.urls import reverse

from assessment.selectors.benchmarks import K_ANONYMITY, platform_benchmark
from tests.factories import CycleFactory, OrganisationFactory, operator, region, scored_submission

pytestmark = pytest.mark.django_db


def breakdown(d1: str, d2: str = "0.5000", tier: str = "growth") -> dict:
    return {"dimensions": {"D1": {"basic": "1.0000", tier: d1}, "D2": {"basic": "1.0", tier: d2}}}


@pytest.fixture
def cycle():
    return CycleFactory(code="2027")


@pytest.fixture
def own(cycle):
    organisation = OrganisationFactory(region=region("440300"))
    return scored_submission(
        region_code="440300",
        cycle=cycle,
        state="submitted",
        progress_index="2.00",
        tier_in_reach="growth",
        breakdown=breakdown("0.6000", "0.2000"),
        organisation=organisation,
    )


def add_peers(cycle, values, kind="industry", **fields):
    """Certified peers whose D1 mean at growth and progress index are given as (d1, S) pairs."""
    fields.setdefault("certified_tier", "basic")
    fields.setdefault("state", "certified")
    return [
        scored_submission(
            region_code="330100",
            cycle=cycle,
            kind=kind,
            progress_index=progress,
            tier_in_reach="growth",
            breakdown=breakdown(d1),
            **fields,
        )
        for d1, progress in values
    ]


FIVE_PEERS = [("0.2", "1.00"), ("0.4", "2.00"), ("0.6", "2.00"), ("0.8", "3.00"), ("1.0", "4.00")]


def test_threshold_is_five():
    assert K_ANONYMITY == 5


def test_four_peers_show_nothing_about_them(cycle, own):
    add_peers(cycle, FIVE_PEERS[:4])
    benchmark = platform_benchmark(submission=own)
    assert benchmark["peer_count"] == 4
    assert benchmark["available"] is False
    assert benchmark["percentile"] is None
    assert all("median" not in row for row in benchmark["dimensions"])
    assert [row["own"] for row in benchmark["dimensions"]] == [0.6, 0.2]


def test_five_peers_give_quartiles_and_percentile(cycle, own):
    add_peers(cycle, FIVE_PEERS)
    benchmark = platform_benchmark(submission=own)
    assert benchmark["available"] is True
    d1 = benchmark["dimensions"][0]
    assert (d1["q1"], d1["median"], d1["q3"]) == (0.4, 0.6, 0.8)
    # S = 2.00: one peer below, two equal (counted half): (1 + 1) / 5 = 40 %
    assert benchmark["percentile"] == 40


def test_peers_are_compared_at_the_operators_tier_in_reach(cycle, own):
    add_peers(cycle, FIVE_PEERS)
    benchmark = platform_benchmark(submission=own)
    assert benchmark["tier"] == "growth"
    assert benchmark["dimensions"][1]["median"] == 0.5  # every peer's D2 at growth


def test_uncertified_peers_do_not_count(cycle, own):
    add_peers(cycle, FIVE_PEERS[:4])
    add_peers(cycle, FIVE_PEERS[4:], certified_tier="", state="in_review")
    assert platform_benchmark(submission=own)["available"] is False


def test_peers_of_another_kind_do_not_count(cycle, own):
    add_peers(cycle, FIVE_PEERS[:4])
    add_peers(cycle, FIVE_PEERS[4:], kind="specialized")
    assert platform_benchmark(submission=own)["peer_count"] == 4


def test_peers_of_another_cycle_do_not_count(cycle, own):
    add_peers(cycle, FIVE_PEERS[:4])
    add_peers(CycleFactory(code="2026"), FIVE_PEERS[4:])
    assert platform_benchmark(submission=own)["peer_count"] == 4


def test_own_organisations_other_platforms_are_not_peers(cycle, own):
    add_peers(cycle, FIVE_PEERS[:4])
    add_peers(cycle, FIVE_PEERS[4:], organisation=own.platform.organisation)
    assert platform_benchmark(submission=own)["available"] is False


def test_benchmark_page_shows_the_operators_percentile(client, cycle, own):
    add_peers(cycle, FIVE_PEERS)
    client.force_login(operator(organisation=own.platform.organisation))
    response = client.get(reverse("benchmark"))
    assert response.status_code == 200
    assert b"data-percentile" in response.content
    assert response.context["benchmark"]["percentile"] == 40
    assert b"data-percentile>40%</p>" in response.content  # it said "40" without the unit


def test_benchmark_page_withholds_with_too_few_peers(client, cycle, own):
    add_peers(cycle, FIVE_PEERS[:4])
    client.force_login(operator(organisation=own.platform.organisation))
    response = client.get(reverse("benchmark"))
    assert b"data-withheld" in response.content
    assert b"data-percentile" not in response.content


def test_operator_cannot_open_another_organisations_benchmark(client, cycle, own):
    [peer] = add_peers(cycle, FIVE_PEERS[:1])
    client.force_login(operator(organisation=own.platform.organisation))
    assert client.get(reverse("benchmark") + f"?submission={peer.pk}").status_code == 404


def test_five_submissions_of_two_organisations_are_not_five_peers(cycle, own):
    """Hole 10: k counted submissions; k ≥ 5 must mean five organisations."""
    first, second = OrganisationFactory(), OrganisationFactory()
    add_peers(cycle, FIVE_PEERS[:3], organisation=first)
    add_peers(cycle, FIVE_PEERS[3:], organisation=second)
    result = platform_benchmark(submission=own)
    assert result["peer_count"] == 5
    assert result["peer_organisations"] == 2
    assert result["available"] is False
    assert result["percentile"] is None
