"""The Action Plan metrics against hand-computed values on a small fixture.

Cycle 2027:
  Guangdong (1 000 industrial enterprises)
    Shenzhen   P1 industry     certified growth   devices 1 000  served 100  S 2.50  D1 0.80
               P2 specialized  certified basic    devices   500  served  50  S 1.20
    Guangzhou  P3 industry     certified leading  devices 2 000  served 300  S 3.10  D1 0.40
               P4 industry     in review          devices  none  served 400  S 1.50  D1 0.60
               P5 industry     withdrawn          devices 9 999  served 999  S 3.00  (never counts)
  Zhejiang (500), only uncertified: P6 submitted (devices 700, served 80, S 0.90), P7 draft (D1 0)
  Tibet: no platform at all.
Cycle 2026: P1's platform certified basic (devices 100, served 10).
"""

from decimal import Decimal

import pytest
from django.core.cache import cache

from assessment import metrics
from assessment.models import Region
from assessment.selectors.dashboards import DashboardFilters, dashboard_data
from tests.factories import CycleFactory, TargetFactory, scored_submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    previous = CycleFactory(code="2026", opens_on="2026-03-01", closes_on="2026-09-30")
    current = CycleFactory(code="2027", opens_on="2026-11-01", closes_on="2027-06-30")
    Region.objects.filter(level="province").update(industrial_enterprises=100)
    Region.objects.filter(code="440000").update(industrial_enterprises=1000)
    Region.objects.filter(code="330000").update(industrial_enterprises=500)
    p1 = scored_submission(
        region_code="440300",
        cycle=current,
        state="certified",
        certified_tier="growth",
        connected_devices=1000,
        enterprises_served=100,
        progress_index="2.50",
        dimension_means={"D1": "0.8000"},
    )
    scored_submission(
        region_code="440300",
        cycle=current,
        kind="specialized",
        state="certified",
        certified_tier="basic",
        connected_devices=500,
        enterprises_served=50,
        progress_index="1.20",
        industries=("B",),
    )
    scored_submission(
        region_code="440100",
        cycle=current,
        state="certified",
        certified_tier="leading",
        connected_devices=2000,
        enterprises_served=300,
        progress_index="3.10",
        dimension_means={"D1": "0.4000"},
    )
    scored_submission(
        region_code="440100",
        cycle=current,
        state="in_review",
        enterprises_served=400,
        progress_index="1.50",
        dimension_means={"D1": "0.6000"},
    )
    scored_submission(
        region_code="440100",
        cycle=current,
        state="withdrawn",
        connected_devices=9999,
        enterprises_served=999,
        progress_index="3.00",
        dimension_means={"D1": "1.0000"},
    )
    scored_submission(
        region_code="330100",
        cycle=current,
        state="submitted",
        connected_devices=700,
        enterprises_served=80,
        progress_index="0.90",
    )
    scored_submission(
        region_code="330100", cycle=current, state="draft", dimension_means={"D1": "0.0000"}
    )
    scored_submission(
        region_code="440300",
        cycle=previous,
        state="certified",
        certified_tier="basic",
        connected_devices=100,
        enterprises_served=10,
        organisation=p1.platform.organisation,
    )
    return {"previous": previous, "current": current}


def national(**filters):
    return dashboard_data(user=None, filters=DashboardFilters(cycle="2027", **filters))


def regional(code, **filters):
    return dashboard_data(
        user=None, region_code=code, filters=DashboardFilters(cycle="2027", **filters)
    )


def child(data, code):
    return next(row for row in data["children"] if row["code"] == code)


def test_national_totals_match_hand_computed_values(world):
    totals = national()["totals"]
    assert totals["platforms"] == 6
    assert totals["certified_by_tier"] == {"basic": 1, "growth": 1, "leading": 1, "ecosystem": 0}
    assert totals["influential_platforms"] == 2
    assert totals["connected_devices"] == 4200
    assert totals["enterprises_served"] == 450
    assert totals["industrial_enterprises"] == 29 * 100 + 1000 + 500
    assert totals["platform_penetration"] == 10.23  # 450 / 4 400
    assert totals["mean_progress_index"] == 1.84  # (2.5 + 1.2 + 3.1 + 1.5 + 0.9) / 5


def test_province_figures_match_hand_computed_values(world):
    totals = regional("440000")["totals"]
    assert totals["platforms"] == 4
    assert totals["influential_platforms"] == 2
    assert totals["connected_devices"] == 3500
    assert totals["platform_penetration"] == 45.0  # 450 / 1 000
    assert totals["mean_progress_index"] == 2.08  # 8.30 / 4 = 2.075, rounded half up


def test_city_without_denominator_has_no_penetration(world):
    totals = regional("440300")["totals"]
    assert totals["platforms"] == 2
    assert totals["influential_platforms"] == 1
    assert totals["connected_devices"] == 1500
    assert totals["platform_penetration"] is None


def test_region_with_only_uncertified_platforms(world):
    zhejiang = child(national(), "330000")
    assert zhejiang["platforms"] == 2
    assert zhejiang["certified"] == 0
    assert zhejiang["influential_platforms"] == 0
    assert zhejiang["connected_devices"] == 700  # verified answers count, certified or not
    assert zhejiang["enterprises_served"] == 0  # only certified platforms count
    assert zhejiang["platform_penetration"] == 0.0


def test_empty_region_has_zero_counts(world):
    tibet = child(national(), "540000")
    assert tibet["platforms"] == 0
    assert tibet["certified_by_tier"] == {"basic": 0, "growth": 0, "leading": 0, "ecosystem": 0}
    assert tibet["connected_devices"] == 0
    assert tibet["platform_penetration"] == 0.0
    assert tibet["mean_progress_index"] is None


def test_empty_region_dashboard_has_no_figures(world):
    data = regional("540000")
    assert data["totals"]["platforms"] == 0
    assert all(row["submissions"] == 0 for row in data["pipeline"])
    assert data["kinds_by_industry"] == []


def test_national_penetration_unknown_while_a_province_has_no_denominator(world):
    Region.objects.filter(code="540000").update(industrial_enterprises=None)
    cache.clear()
    assert national()["totals"]["platform_penetration"] is None


def test_withdrawn_submission_never_counts(world):
    guangzhou = child(regional("440000"), "440100")
    assert guangzhou["platforms"] == 2
    assert guangzhou["connected_devices"] == 2000


def test_kind_filter_applies_to_every_metric(world):
    totals = regional("440000", kind="industry")["totals"]
    assert totals["platforms"] == 3
    assert totals["influential_platforms"] == 2
    assert totals["connected_devices"] == 3000
    assert totals["platform_penetration"] == 40.0


def test_tier_filter_keeps_platforms_certified_at_that_tier(world):
    totals = national(tier="growth")["totals"]
    assert totals["platforms"] == 1
    assert totals["influential_platforms"] == 1


def test_industry_filter_keeps_platforms_serving_that_industry(world):
    data = national(industry="B")
    assert data["totals"]["platforms"] == 1
    assert [row["industry"] for row in data["kinds_by_industry"]] == ["B"]


def test_trend_gives_each_cycles_figures(world):
    trend = {point["cycle"]: point for point in national()["trend"]}
    assert trend["2026"]["platforms"] == 1
    assert trend["2026"]["influential_platforms"] == 0
    assert trend["2026"]["connected_devices"] == 100
    assert trend["2027"]["connected_devices"] == 4200


def test_heatmap_means_leave_out_drafts_and_withdrawn(world):
    data = regional("440000")
    assert data["heatmap"]["overall"]["D1"] == 0.6  # (0.8 + 0.4 + 0.6) / 3
    rows = {row["code"]: row for row in data["heatmap"]["rows"]}
    assert rows["440300"]["means"]["D1"] == 0.8
    assert rows["440100"]["means"]["D1"] == 0.5


def test_pipeline_counts_submissions_per_state(world):
    counts = {row["state"]: row["submissions"] for row in national()["pipeline"]}
    assert counts == {
        "draft": 1,
        "submitted": 1,
        "in_review": 1,
        "revision_requested": 0,
        "resubmitted": 0,
        "recommended": 0,
        "expert_review": 0,
        "site_check": 0,
        "public_notice": 0,
        "certified": 3,
    }


def test_seeded_national_targets_give_value_and_gap(world):
    targets = {target["metric"]: target for target in national()["targets"]}
    assert targets["influential_platforms"]["target"] == 450
    assert targets["influential_platforms"]["value"] == 2
    assert targets["influential_platforms"]["gap"] == 448
    assert targets["influential_platforms"]["met"] is False
    assert targets["connected_devices"]["gap"] == 120_000_000 - 4200
    assert targets["platform_penetration"]["gap"] == 44.77


def test_target_trend_follows_the_cycles(world):
    target = next(t for t in national()["targets"] if t["metric"] == "influential_platforms")
    assert target["trend"] == [{"cycle": "2026", "value": 0}, {"cycle": "2027", "value": 2}]


def test_province_sees_only_ratio_targets_unless_it_has_its_own(world):
    assert [t["metric"] for t in regional("440000")["targets"]] == ["platform_penetration"]
    TargetFactory(region=Region.objects.get(code="440000"), metric="influential_platforms")
    cache.clear()  # the admin invalidates the dashboards' cache on save
    metrics_shown = [t["metric"] for t in regional("440000")["targets"]]
    assert metrics_shown == ["influential_platforms", "platform_penetration"]


def test_province_target_overrides_national_one_in_its_cities(world):
    TargetFactory(
        region=Region.objects.get(code="440000"),
        metric="platform_penetration",
        comparison="gte",
        target_value=45,
    )
    cache.clear()
    targets = regional("440000")["targets"]
    assert [(t["target"], t["met"], t["gap"]) for t in targets] == [(45.0, True, 0)]
    assert [t["target"] for t in regional("440300")["targets"]] == [45.0]


def test_greater_than_target_is_not_met_at_equality(world):
    TargetFactory(
        region=Region.objects.get(code="440000"),
        metric="platform_penetration",
        comparison="gt",
        target_value=45,
    )
    cache.clear()
    assert regional("440000")["targets"][0]["met"] is False


def test_influential_tier_follows_the_setting(world, settings):
    settings.INFLUENTIAL_PLATFORM_MIN_TIER = "leading"
    cache.clear()
    assert national()["totals"]["influential_platforms"] == 1


def test_certification_awaiting_sign_off_does_not_count(world):
    from assessment.models import Certification

    Certification.objects.filter(tier="leading").update(status="awaiting_sign_off")
    cache.clear()
    totals = national()["totals"]
    assert totals["influential_platforms"] == 1
    assert totals["enterprises_served"] == 150


# --- The pure definitions ---------------------------------------------------------------------


def test_penetration_is_per_cent_with_two_decimals():
    assert metrics.penetration(1, 3) == 33.33
    assert metrics.penetration(2, 3) == 66.67


def test_penetration_needs_a_denominator():
    assert metrics.penetration(100, None) is None
    assert metrics.penetration(100, 0) is None


def test_region_denominator_prefers_its_own_figure():
    assert metrics.region_denominator(10, [1, 2]) == 10


def test_region_denominator_sums_children_only_when_all_are_known():
    assert metrics.region_denominator(None, [1, 2]) == 3
    assert metrics.region_denominator(None, [1, None]) is None
    assert metrics.region_denominator(None, []) is None


def test_target_gap_and_met():
    assert metrics.target_gap(2, Decimal("450")) == 448
    assert metrics.target_gap(55.5, Decimal("55")) == -0.5
    assert metrics.target_met(450, "gt", Decimal("450")) is False
    assert metrics.target_met(450, "gte", Decimal("450")) is True
    assert metrics.target_met(None, "gte", Decimal("1")) is None


def test_influential_tiers_default_to_growth_and_above():
    assert metrics.influential_tiers() == ("growth", "leading", "ecosystem")
