"""Lists: scoped to the caller, paged, filtered (django-filter) and ordered, in a fixed number of
queries whatever the page holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import Region, Submission
from assessment.services.workflow import record_event
from tests.assessment.api_support import World, token_client
from tests.factories import OrganisationFactory, PlatformFactory, SubmissionFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("role", "sees_hangzhou"),
    [("operator", False), ("reviewer", False), ("regulator", False), ("admin", True)],
)
def test_submission_list_is_scoped(world, role, sees_hangzhou):
    # Submitted: reviewers never see drafts (see test_reviewers_never_list_drafts).
    Submission.objects.filter(pk__in=[world.sz.pk, world.hz.pk]).update(state="submitted")
    found = ids(token_client(world.users[role]).get("/api/v1/submissions/"))
    assert world.sz.pk in found
    assert (world.hz.pk in found) is sees_hangzhou


@pytest.mark.parametrize(
    ("role", "sees_hangzhou"),
    [("operator", False), ("reviewer", False), ("regulator", False), ("admin", True)],
)
def test_platform_list_is_scoped(world, role, sees_hangzhou):
    found = ids(token_client(world.users[role]).get("/api/v1/platforms/?page_size=500"))
    assert world.sz.platform_id in found
    assert (world.hz.platform_id in found) is sees_hangzhou


@pytest.mark.parametrize(
    ("role", "sees_hangzhou"),
    [("operator", False), ("reviewer", False), ("regulator", False), ("admin", True)],
)
def test_organisation_list_is_scoped(world, role, sees_hangzhou):
    found = ids(token_client(world.users[role]).get("/api/v1/organisations/?page_size=500"))
    assert world.sz_org.pk in found
    assert (world.hz_org.pk in found) is sees_hangzhou


def test_operators_see_only_their_own_organisation(world):
    found = ids(token_client(world.users["operator"]).get("/api/v1/organisations/"))
    assert found == {world.sz_org.pk}


@pytest.mark.parametrize(
    ("role", "sees_events"),
    [("operator", True), ("reviewer", True), ("regulator", False), ("admin", True)],
)
def test_event_list_follows_who_sees_the_audit_trail_on_the_web(world, role, sees_events):
    world.sz.state = "submitted"
    world.sz.save(update_fields=["state"])
    found = ids(token_client(world.users[role]).get("/api/v1/events/"))
    assert (world.sz_event.pk in found) is sees_events
    assert world.hz_event.pk not in found or role == "admin"


def test_reviewers_do_not_see_the_events_of_drafts(world):
    found = ids(token_client(world.users["reviewer"]).get("/api/v1/events/"))
    assert world.sz_event.pk not in found


def test_events_can_be_polled_after_the_last_seen_id(world):
    client = token_client(world.users["admin"])
    found = ids(client.get(f"/api/v1/events/?after_id={world.sz_event.pk}"))
    assert world.sz_event.pk not in found
    assert world.hz_event.pk in found


@pytest.mark.parametrize(
    "moment",
    ["0296-03-01T19:00:45.871+16:32", "0001-01-01T00:00:00+15:00", "9999-12-31T23:00-15:00"],
)
def test_events_since_a_far_moment_or_offset_answer_not_500(world, moment):
    # PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 allows (schemathesis found a 500).
    response = token_client(world.users["admin"]).get("/api/v1/events/", {"since": moment})
    assert response.status_code == 200


def test_pages_have_a_size_a_count_and_links(world):
    for number in range(7):
        PlatformFactory(organisation=world.sz_org, name=f"平台{number:02d}")
    client = token_client(world.users["operator"])
    first = client.get("/api/v1/platforms/?page_size=3&ordering=name").json()
    assert first["count"] == 9  # the world's two and these seven
    assert len(first["results"]) == 3
    assert "page=2" in first["next"]
    last = client.get("/api/v1/platforms/?page_size=3&ordering=name&page=3").json()
    assert len(last["results"]) == 3
    assert last["next"] is None


def test_pages_never_overlap_when_the_ordering_has_ties(world):
    for _number in range(9):
        PlatformFactory(organisation=world.sz_org, launched_year=2020)
    client = token_client(world.users["operator"])
    seen = []
    for page in (1, 2, 3, 4):
        seen += [
            row["id"]
            for row in client.get(
                f"/api/v1/platforms/?page_size=3&ordering=launched_year&page={page}"
            ).json()["results"]
        ]
    assert len(seen) == len(set(seen)) == 11


def test_a_page_beyond_the_last_is_a_404(world):
    response = token_client(world.users["operator"]).get("/api/v1/platforms/?page=99")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_page_size_is_capped(world):
    Region.objects.bulk_create(
        Region(code=f"99{number:04d}", level="city", name_zh_hans="测试", name_en="Test")
        for number in range(30)
    )
    response = token_client(world.users["admin"]).get("/api/v1/regions/?page_size=100000")
    assert response.json()["count"] > 500
    assert len(response.json()["results"]) == 500


def test_platforms_filter_by_kind(world):
    PlatformFactory(organisation=world.sz_org, kind="collaborative")
    rows = token_client(world.users["operator"]).get("/api/v1/platforms/?kind=collaborative")
    assert {row["kind"] for row in rows.json()["results"]} == {"collaborative"}
    assert rows.json()["count"] == 1


def test_platforms_filter_by_province_includes_its_cities(world):
    guangzhou = OrganisationFactory(region=region("440100"))
    PlatformFactory(organisation=guangzhou)
    client = token_client(world.users["admin"])
    found = client.get("/api/v1/platforms/?province=440000&page_size=500").json()["results"]
    assert {row["region"][:2] for row in found} == {"44"}
    assert len({row["region"] for row in found}) == 2


def test_submissions_filter_by_state_and_cycle(world):
    world.sz.state = "submitted"
    world.sz.save(update_fields=["state"])
    client = token_client(world.users["admin"])
    found = ids(client.get(f"/api/v1/submissions/?state=submitted&cycle={world.cycle.code}"))
    assert found == {world.sz.pk}


def test_an_unknown_choice_in_a_filter_is_a_400(world):
    response = token_client(world.users["admin"]).get("/api/v1/submissions/?state=lost")
    assert response.status_code == 400
    assert response.json()["field"] == "state"


def test_an_unknown_ordering_field_is_ignored(world):
    response = token_client(world.users["admin"]).get("/api/v1/platforms/?ordering=password")
    assert response.status_code == 200


def test_ordering_can_be_reversed(world):
    client = token_client(world.users["admin"])
    names = [
        row["name"] for row in client.get("/api/v1/platforms/?ordering=-name").json()["results"]
    ]
    assert names == sorted(names, reverse=True)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/platforms/",
        "/api/v1/organisations/",
        "/api/v1/submissions/",
        "/api/v1/events/",
    ],
)
def test_a_list_page_takes_the_same_queries_for_2_or_20_rows(
    world, path, django_assert_num_queries
):
    client = token_client(world.users["admin"])
    client.get(path)  # the token's last use is written on the first request only
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    for _number in range(18):
        platform = PlatformFactory(organisation=OrganisationFactory(region=region("440300")))
        submission = SubmissionFactory(platform=platform, cycle=world.cycle)
        record_event(submission=submission, actor=submission.created_by, kind="state_changed")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(path)
    assert response.json()["count"] >= 20


def test_reviewers_never_list_drafts(world):
    found = ids(token_client(world.users["reviewer"]).get("/api/v1/submissions/"))
    assert world.sz.pk not in found
