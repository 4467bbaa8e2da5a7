"""Dashboard figures over the API: the web's selector, scope and filters."""

import pytest

from tests.assessment.api_support import World, token_client
from tests.factories import regulator

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def test_a_provincial_regulator_gets_its_provinces_figures(world):
    body = token_client(world.users["regulator"]).get("/api/v1/dashboards/?region=440000").json()
    assert body["data"]["region"]["code"] == "440000"
    assert "metrics" in body["summary"]
    assert body["summary"]["region"] == "440000"


def test_the_national_dashboard_needs_national_scope(world):
    assert token_client(world.users["regulator"]).get("/api/v1/dashboards/").status_code == 404
    national = token_client(regulator(is_national=True)).get("/api/v1/dashboards/")
    assert national.status_code == 200
    assert national.json()["data"]["region"] is None


def test_filters_are_those_of_the_web(world):
    client = token_client(world.users["regulator"])
    body = client.get(f"/api/v1/dashboards/?region=440000&cycle={world.cycle.code}&kind=industry")
    assert body.status_code == 200
    assert body.json()["data"]["filters"]["cycle"] == world.cycle.code


def test_an_unknown_filter_value_is_a_400_with_its_field(world):
    response = token_client(world.users["regulator"]).get(
        "/api/v1/dashboards/?region=440000&cycle=1999"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_filter"
    assert response.json()["field"] == "cycle"


def test_the_platform_list_is_the_dashboards_population(world):
    client = token_client(world.users["regulator"])
    body = client.get(f"/api/v1/dashboards/platforms/?region=440000&cycle={world.cycle.code}")
    rows = body.json()["results"]
    assert [row["submission"] for row in rows] == [world.sz.pk]
    assert rows[0]["industries"] == ["C"]
