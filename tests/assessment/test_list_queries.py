"""Every list page and list endpoint of the programme, panels and on-site checks answers with a
query count that does not grow with its rows: counted with 2 rows, held to that with 10."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.models import PublicNotice
from assessment.services import panels, site_checks
from assessment.services import programme as programme_services
from tests.assessment.api_support import token_client
from tests.assessment.programme_fixtures import PROVINCE, on_notice, proposed
from tests.factories import (
    call_for_applications,
    expert,
    ministry_official,
    panel_submission,
    provincial_lead,
    reviewer,
)

pytestmark = pytest.mark.django_db
SIZES = (2, 10)


def _counted(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


def _holds(django_assert_max_num_queries, pages, grow) -> None:
    """Each of `pages` ((client, url) pairs) costs no more queries after `grow` brings its rows
    from 2 to 10. One `grow` serves several pages: building the rows is what takes time."""
    grow(SIZES[0])
    counted = [_counted(client, url) for client, url in pages]
    grow(SIZES[1] - SIZES[0])
    for (client, url), count in zip(pages, counted, strict=True):
        with django_assert_max_num_queries(count):
            response = client.get(url)
        assert response.status_code == 200


def _notice_with(call, count: int, *, objections: bool = True):
    """The ministry's notice of `call` listing `count` platforms, each with an objection if
    `objections`."""
    notice, _submissions = on_notice(call, count)
    for entry in notice.entries.all() if objections else []:
        programme_services.objection_file(entry=entry, name="甲", phone="1", text="异议")
    return notice


# --- The programme -------------------------------------------------------------------------------


def test_call_desk_does_not_grow_with_the_candidates(client, django_assert_max_num_queries):
    call = call_for_applications(quota_leading=20)
    lead = provincial_lead(PROVINCE)

    def grow(count):
        proposed(call, count)

    client.force_login(lead)
    url = reverse("programme_call", args=[call.pk])
    _holds(django_assert_max_num_queries, [(client, url)], grow)


def test_notice_with_more_entries_costs_no_more_queries(client, django_assert_max_num_queries):
    calls = [call_for_applications(quota_leading=20) for _ in SIZES]
    small, large = [_notice_with(call, size) for call, size in zip(calls, SIZES, strict=True)]
    for name in ("public_notice", "api-public-notice"):
        counted = _counted(client, reverse(name, args=[small.pk]))
        with django_assert_max_num_queries(counted):
            client.get(reverse(name, args=[large.pk]))


def test_public_lists_do_not_grow_with_the_notices(client, django_assert_max_num_queries):
    def grow(count):
        for _ in range(count):
            notice = _notice_with(call_for_applications(), 1, objections=False)
            today = timezone.localdate()
            PublicNotice.objects.filter(pk=notice.pk).update(
                starts_on=today - timedelta(days=9), ends_on=today - timedelta(days=2)
            )
            notice.refresh_from_db()
            programme_services.publication_issue(actor=ministry_official(), notice=notice)

    names = ("public_notices", "api-public-notices", "api-public-publications")
    _holds(django_assert_max_num_queries, [(client, reverse(name)) for name in names], grow)


def test_calls_endpoint_does_not_grow_with_the_calls(django_assert_max_num_queries):
    client = token_client(ministry_official())

    def grow(count):
        for _ in range(count):
            call_for_applications()

    _holds(django_assert_max_num_queries, [(client, reverse("api-calls"))], grow)


def test_recommendations_endpoint_does_not_grow(django_assert_max_num_queries):
    call = call_for_applications(quota_leading=20)
    lead = provincial_lead(PROVINCE)

    def grow(count):
        submissions = proposed(call, count)
        programme_services.recommendation_sign(
            actor=lead,
            call=call,
            province_code=PROVINCE,
            tier="leading",
            entries=[(submission, "推荐") for submission in submissions],
        )

    client = token_client(ministry_official())
    url = reverse("api-recommendations", args=[call.pk])
    _holds(django_assert_max_num_queries, [(client, url)], grow)


# --- Panels and on-site checks -------------------------------------------------------------------


def test_panel_lists_do_not_grow_with_panels_or_candidates(client, django_assert_max_num_queries):
    official = reviewer(PROVINCE)
    for number in range(3):
        expert(PROVINCE, full_name=f"专家{number}")

    def grow(count):
        for _ in range(count):
            panels.panel_form(
                actor=official, submissions=[panel_submission(tier="growth")], size=3, seed=1
            )
            panel_submission(tier="growth")  # and one more waiting for a panel

    client.force_login(official)
    pages = [(client, reverse("panel_list")), (token_client(official), reverse("api-panels"))]
    _holds(django_assert_max_num_queries, pages, grow)


def test_site_check_lists_do_not_grow_with_the_checks(client, django_assert_max_num_queries):
    inspector = reviewer(is_national=True)

    def grow(count):
        for _ in range(count):
            checked = panel_submission(tier="leading", state="site_check")
            site_checks.site_check_open(actor=inspector, submission=checked)
            panel_submission(tier="leading", state="site_check")  # and one waiting

    client.force_login(inspector)
    api = token_client(inspector)
    pages = [(client, reverse("site_check_list")), (api, reverse("api-site-checks"))]
    _holds(django_assert_max_num_queries, pages, grow)
