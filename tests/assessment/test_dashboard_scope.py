"""Who may open which dashboard: role × in scope / out of scope (out of scope = 404)."""

import pytest
from django.urls import reverse

from tests.factories import CycleFactory, admin, operator, regulator, reviewer, scored_submission

pytestmark = pytest.mark.django_db

NATIONAL = reverse("dashboard_national")
GUANGDONG = reverse("dashboard_region", args=["440000"])
SHENZHEN = reverse("dashboard_region", args=["440300"])
ZHEJIANG = reverse("dashboard_region", args=["330000"])


@pytest.fixture(autouse=True)
def cycle():
    cycle = CycleFactory(code="2027")
    scored_submission(region_code="440300", cycle=cycle, certified_tier="growth", state="certified")
    scored_submission(region_code="330100", cycle=cycle)
    return cycle


def status(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


@pytest.mark.parametrize("url", [NATIONAL, GUANGDONG, SHENZHEN, ZHEJIANG])
def test_national_regulator_sees_every_dashboard(client, url):
    assert status(client, regulator(is_national=True), url) == 200


@pytest.mark.parametrize("url", [NATIONAL, GUANGDONG, ZHEJIANG])
def test_admin_sees_every_dashboard(client, url):
    assert status(client, admin(), url) == 200


def test_national_reviewer_sees_the_national_dashboard(client):
    assert status(client, reviewer(is_national=True), NATIONAL) == 200


@pytest.mark.parametrize("url", [GUANGDONG, SHENZHEN])
def test_provincial_regulator_sees_its_province_and_cities(client, url):
    assert status(client, regulator("440000"), url) == 200


def test_provincial_regulator_cannot_open_another_province(client):
    assert status(client, regulator("440000"), ZHEJIANG) == 404


def test_regional_regulator_landing_on_national_goes_to_its_province(client):
    client.force_login(regulator("440000"))
    response = client.get(NATIONAL + "?kind=industry")
    assert response.status_code == 302
    assert response["Location"] == GUANGDONG + "?kind=industry"


def test_city_reviewer_sees_its_city_only(client):
    official = reviewer("440300")
    assert status(client, official, SHENZHEN) == 200
    assert status(client, official, GUANGDONG) == 404
    client.force_login(official)
    assert client.get(NATIONAL)["Location"] == SHENZHEN


def test_provincial_reviewer_sees_its_province(client):
    assert status(client, reviewer("440000"), GUANGDONG) == 200


@pytest.mark.parametrize("url", [NATIONAL, GUANGDONG, SHENZHEN])
def test_operator_sees_no_dashboard(client, url):
    assert status(client, operator(), url) == 404


def test_unknown_region_is_not_found(client):
    assert status(client, regulator(is_national=True), "/dashboards/999999/") == 404


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(NATIONAL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (reverse("dashboard_export", args=["map", "csv"]), 404),
        (reverse("dashboard_region_export", args=["440000", "tiers", "csv"]), 200),
        (reverse("dashboard_region_export", args=["330000", "tiers", "csv"]), 404),
        (reverse("dashboard_region_export", args=["440000", "platforms", "xlsx"]), 200),
    ],
)
def test_provincial_regulator_exports_only_its_regions(client, url, expected):
    assert status(client, regulator("440000"), url) == expected


def test_operator_cannot_export(client):
    assert status(client, operator(), reverse("dashboard_export", args=["map", "csv"])) == 404


@pytest.mark.parametrize(
    "user_factory",
    [
        lambda: regulator(is_national=True),
        lambda: regulator("440000"),
        lambda: reviewer("440000"),
        admin,
    ],
)
def test_only_operators_have_a_benchmark(client, user_factory):
    assert status(client, user_factory(), reverse("benchmark")) == 404


def test_breadcrumb_to_the_province_is_no_link_for_a_city_official(client):
    client.force_login(reviewer("440300"))
    response = client.get(SHENZHEN)
    crumbs = response.context["breadcrumbs"]
    assert [crumb["url"] is None for crumb in crumbs] == [True, True, False]


def test_breadcrumbs_lead_back_up_for_a_national_regulator(client):
    client.force_login(regulator(is_national=True))
    response = client.get(SHENZHEN + "?kind=industry")
    urls = [crumb["url"] for crumb in response.context["breadcrumbs"]]
    assert urls == [
        NATIONAL + "?kind=industry",
        GUANGDONG + "?kind=industry",
        SHENZHEN + "?kind=industry",
    ]
