"""The dashboards' query counts are fixed: they do not grow with the number of platforms."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.selectors.dashboards import DashboardFilters, dashboard_data
from questionnaires.selectors import rubric_of
from tests.factories import CycleFactory, regulator, scored_submission

pytestmark = pytest.mark.django_db

# Cold cache: filter options (cycles, industries), cycles with their rubric versions, regions,
# sums per cycle × region, kinds × industry, dimension heatmap, pipeline (2), targets; the
# monitoring section: the latest window, exits and expiries per year (+2 once a window is open:
# test_dashboard_monitoring.py).
DASHBOARD_QUERIES = 13


def add_platforms(cycle, count, region_code="440300"):
    for number in range(count):
        scored_submission(
            region_code=region_code,
            cycle=cycle,
            state="certified" if number % 2 else "in_review",
            certified_tier="growth" if number % 2 else "",
            connected_devices=100,
            enterprises_served=10,
            progress_index="1.50",
            dimension_means={"D1": "0.5000", "D2": "0.7000"},
        )


def cold_queries(**kwargs) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        dashboard_data(user=None, filters=DashboardFilters(), **kwargs)
    return len(captured.captured_queries)


@pytest.fixture
def cycle():
    cycle = CycleFactory(code="2027")
    rubric_of(cycle.rubric_version)  # parsed once per process; not part of the page's cost
    return cycle


def test_national_dashboard_data_takes_a_fixed_number_of_queries(cycle):
    add_platforms(cycle, 2)
    assert cold_queries() == DASHBOARD_QUERIES


def test_query_count_does_not_grow_with_platforms(cycle):
    add_platforms(cycle, 2)
    few = cold_queries()
    add_platforms(cycle, 12, region_code="330100")
    assert cold_queries() == few


def test_province_dashboard_takes_the_same_number_of_queries(cycle):
    add_platforms(cycle, 3)
    assert cold_queries(region_code="440000") == DASHBOARD_QUERIES + 1  # the region itself


def test_national_page_query_count(client, cycle, django_assert_max_num_queries):
    add_platforms(cycle, 5)
    client.force_login(regulator(is_national=True))
    cache.clear()
    # session, user, user's scope twice at most, and the dashboard's own queries
    with django_assert_max_num_queries(DASHBOARD_QUERIES + 4):
        assert client.get(reverse("dashboard_national")).status_code == 200


def test_city_page_with_platform_list_query_count(client, cycle, django_assert_max_num_queries):
    add_platforms(cycle, 8)
    client.force_login(regulator("440000"))
    # + the user's scope (2), the region, the platform list: count, page, industries, cities,
    # and which rows the user may open (the scope again, the ids)
    with django_assert_max_num_queries(DASHBOARD_QUERIES + 12):
        response = client.get(reverse("dashboard_region", args=["440300"]))
    assert len(response.context["platforms_page"].object_list) == 8
