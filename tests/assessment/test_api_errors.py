"""One error format: {"code", "message", "field"} (+ "errors"), translated, never a 500 or HTML."""

import pytest

from tests.assessment.api_support import World, token_client
from tests.factories import operator

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


@pytest.fixture
def operator_client(world):
    return token_client(world.users["operator"])


def test_an_unknown_path_is_a_json_404(operator_client):
    response = operator_client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "not_found",
        "message": response.json()["message"],
        "field": "",
    }


def test_an_unknown_path_is_a_json_404_for_a_post_without_csrf(operator_client):
    response = operator_client.post("/api/v1/submissions/99999999999999999999/submit/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_missing_login_is_a_401_in_the_error_format():
    response = token_client(None).get("/api/v1/submissions/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response.json()["field"] == ""


def test_an_object_out_of_scope_looks_missing(world, operator_client):
    response = operator_client.get(f"/api/v1/submissions/{world.hz.pk}/")
    missing = operator_client.get("/api/v1/submissions/999999/")
    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()


def test_a_field_error_names_its_path(world, operator_client):
    response = operator_client.post(
        f"/api/v1/submissions/{world.sz.pk}/answers/",
        {"answers": [{"question_code": "D1.1", "value": 3, "version": "x"}]},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "answers[0].version"
    assert body["errors"] == [
        {"code": "invalid", "message": body["message"], "field": "answers[0].version"}
    ]


def test_several_field_errors_are_listed(world, operator_client):
    response = operator_client.post(
        f"/api/v1/submissions/{world.sz.pk}/answers/",
        {"answers": [{"question_code": "D1.1"}, {"value": 1}]},
        format="json",
    )
    body = response.json()
    assert body["code"] == "invalid"
    assert body["field"] == ""
    assert sorted(error["field"] for error in body["errors"]) == [
        "answers[0].value",
        "answers[0].version",
        "answers[1].question_code",
        "answers[1].version",
    ]


def test_a_service_refusal_keeps_its_code_and_detail(world, operator_client):
    world.sz.answers.filter(question_code="D1.1").delete()
    response = operator_client.post(f"/api/v1/submissions/{world.sz.pk}/submit/", {}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "incomplete"
    assert "D1.1" in body["detail"]["problems"]


def test_a_refused_write_changes_nothing(world, operator_client):
    before = list(world.sz.answers.values_list("question_code", "value", "version"))
    response = operator_client.post(
        f"/api/v1/submissions/{world.sz.pk}/answers/",
        {
            "answers": [
                {"question_code": "D1.1", "value": 99, "version": 1},
                {"question_code": "D1.2", "value": "lots", "version": 1},
            ]
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "answers[1].value"
    assert list(world.sz.answers.values_list("question_code", "value", "version")) == before


def test_malformed_json_is_a_400(world, operator_client):
    response = operator_client.generic(
        "POST",
        f"/api/v1/submissions/{world.sz.pk}/answers/",
        "{not json",
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_an_unsupported_media_type_is_a_415(world, operator_client):
    response = operator_client.generic(
        "POST", f"/api/v1/submissions/{world.sz.pk}/answers/", "a=b", content_type="text/plain"
    )
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_a_wrong_method_is_a_405(operator_client):
    response = operator_client.delete("/api/v1/cycles/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_messages_follow_accept_language(world):
    client = token_client(world.users["operator"])
    english = client.get("/api/v1/platforms/?organisation=x", HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get("/api/v1/platforms/?organisation=x", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert english.json()["message"] == "Enter a whole number."
    assert chinese.json()["message"] != english.json()["message"]
    assert english.json()["code"] == chinese.json()["code"]


def test_a_huge_id_is_a_404_not_a_database_error(operator_client):
    response = operator_client.get("/api/v1/platforms/99999999999999999/")
    assert response.status_code == 404


def test_a_huge_id_filter_is_a_400_not_a_database_error(operator_client):
    response = operator_client.get("/api/v1/platforms/?organisation=99999999999999999999")
    assert response.status_code == 400
    assert response.json()["field"] == "organisation"


def test_a_malformed_region_filter_is_a_400(operator_client):
    response = operator_client.get("/api/v1/platforms/?province=44")
    assert response.status_code == 400
    assert response.json()["field"] == "province"


def test_each_token_has_its_own_rate_budget(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "2/min", "user": "2/min", "anon": "2/min"},
    }
    user = operator()
    first, second = token_client(user), token_client(user)
    assert first.get("/api/v1/me/").status_code == 200
    assert first.get("/api/v1/me/").status_code == 200
    throttled = first.get("/api/v1/me/")
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0
    assert second.get("/api/v1/me/").status_code == 200
