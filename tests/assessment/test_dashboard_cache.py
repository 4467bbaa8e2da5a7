"""Dashboards are cached per filter set and made stale when a score changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.selectors.dashboards import DashboardFilters, dashboard_data
from assessment.services.dashboard_cache import dashboard_cache_version
from assessment.services.scoring import submission_rescore
from tests.factories import CycleFactory, scored_submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    cycle = CycleFactory(code="2027")
    scored_submission(region_code="440300", cycle=cycle, state="submitted")
    return cycle


def queries_of(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def national(**filters):
    return dashboard_data(user=None, filters=DashboardFilters(**filters))


def test_second_read_of_the_same_filters_needs_no_query(cycle):
    national(kind="industry")
    assert queries_of(lambda: national(kind="industry")) == 0


def test_other_filters_are_another_cache_entry(cycle):
    national(kind="industry")
    assert queries_of(lambda: national(kind="specialized")) > 0


def test_rescoring_makes_cached_dashboards_stale(cycle, django_capture_on_commit_callbacks):
    before = national()["totals"]["platforms"]
    submission = scored_submission(region_code="440100", cycle=cycle, state="submitted")
    assert national()["totals"]["platforms"] == before  # still the cached figures
    with django_capture_on_commit_callbacks(execute=True):
        submission_rescore(submission=submission)
    assert national()["totals"]["platforms"] == before + 1


def test_version_is_bumped_only_when_the_transaction_commits(
    cycle, django_capture_on_commit_callbacks
):
    submission = cycle.submissions.get()
    version = dashboard_cache_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission_rescore(submission=submission)
    assert dashboard_cache_version() == version
    for callback in callbacks:
        callback()
    assert dashboard_cache_version() == version + 1


def test_each_language_has_its_own_entry(cycle):
    from django.utils import translation

    with translation.override("en"):
        national()
    with translation.override("zh-hans"):
        assert queries_of(national) > 0
