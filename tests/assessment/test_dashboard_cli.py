"""manage.py metrics prints the dashboard's numbers as JSON, from the same selector."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from assessment.models import Region
from assessment.selectors.dashboards import DashboardFilters, dashboard_data, metrics_summary
from tests.factories import CycleFactory, scored_submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    cycle = CycleFactory(code="2027")
    Region.objects.filter(code="440000").update(industrial_enterprises=200)
    scored_submission(
        region_code="440300",
        cycle=cycle,
        state="certified",
        certified_tier="leading",
        connected_devices=5000,
        enterprises_served=50,
    )
    scored_submission(
        region_code="440100",
        cycle=cycle,
        kind="specialized",
        state="certified",
        certified_tier="basic",
        connected_devices=100,
        enterprises_served=10,
    )
    return cycle


def metrics(**options) -> dict:
    out = io.StringIO()
    call_command("metrics", stdout=out, **options)
    return json.loads(out.getvalue())


def test_prints_targets_tiers_and_platform_count(cycle):
    printed = metrics(cycle="2027")
    assert printed["platforms"] == 2
    assert printed["tiers"] == {"basic": 1, "growth": 0, "leading": 1, "ecosystem": 0}
    influential = next(t for t in printed["targets"] if t["metric"] == "influential_platforms")
    assert (influential["value"], influential["target"], influential["gap"]) == (1, 450, 449)


def test_region_and_kind_narrow_the_figures(cycle):
    printed = metrics(cycle="2027", region="440000", kind="industry")
    assert printed["platforms"] == 1
    assert printed["metrics"]["platform_penetration"] == 25.0  # 50 / 200


def test_prints_the_same_numbers_as_the_web_selector(cycle):
    web = metrics_summary(
        dashboard_data(user=None, region_code="440000", filters=DashboardFilters(cycle="2027"))
    )
    assert metrics(cycle="2027", region="440000") == json.loads(json.dumps(web))


def test_unknown_cycle_is_refused(cycle):
    with pytest.raises(CommandError):
        metrics(cycle="1999")


def test_unknown_region_is_refused(cycle):
    with pytest.raises(CommandError):
        metrics(cycle="2027", region="999999")


def test_unknown_kind_is_refused(cycle):
    with pytest.raises(CommandError):
        metrics(cycle="2027", kind="giant")
