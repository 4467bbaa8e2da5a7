"""The API tokens page and the API documentation in a real browser (Debian's chromium)."""

import json
import re
from urllib.request import Request, urlopen

import pytest

from assessment.models import ApiToken
from tests.browser import sign_in
from tests.factories import PASSWORD, operator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def api_me(live_server, key: str) -> int:
    request = Request(  # noqa: S310 (the live test server)
        f"{live_server.url}/api/v1/me/", headers={"Authorization": f"Bearer {key}"}
    )
    try:
        with urlopen(request) as response:  # noqa: S310
            return response.status
    except Exception as error:  # HTTPError carries the status
        return getattr(error, "code", 0)


def test_create_see_once_use_and_revoke_a_token(page, live_server):
    user = operator()
    sign_in(page, live_server, user.email, PASSWORD)
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("networkidle")

    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("ERP export")
    page.get_by_role("button", name="Create token").click()
    page.wait_for_load_state("networkidle")
    key = page.get_by_role("textbox", name="New token").input_value()
    assert re.fullmatch(r"pma_[A-Za-z0-9_-]{43}", key)
    assert page.get_by_role("button", name="Copy").is_visible()
    assert api_me(live_server, key) == 200

    page.get_by_role("link", name="API tokens").click()
    page.wait_for_load_state("networkidle")
    assert key not in page.content()
    assert page.get_by_role("cell", name="ERP export", exact=True).is_visible()

    page.get_by_role("button", name="Revoke ERP export").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Revoked").first.is_visible()
    assert api_me(live_server, key) == 401
    assert ApiToken.objects.get(user=user).revoked_at is not None
    assert page.console_errors == []


def test_the_name_error_is_announced_beside_the_field(page, live_server):
    user = operator()
    sign_in(page, live_server, user.email, PASSWORD)
    page.goto(f"{live_server.url}/api/v1/tokens/")
    page.locator("button.button.primary").click()  # with the name left empty
    page.wait_for_load_state("networkidle")
    field = page.locator("#id_name")
    assert field.get_attribute("aria-invalid") == "true"
    assert "id_name_error" in field.get_attribute("aria-describedby")
    assert page.locator("#id_name_error").is_visible()


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_api_documentation_renders_offline_under_the_strict_policy(page, live_server, path):
    blocked_elsewhere = []
    page.route(
        re.compile(r"^https?://(?!localhost|127\.0\.0\.1)"),
        lambda route: (blocked_elsewhere.append(route.request.url), route.abort()),
    )
    page.goto(f"{live_server.url}{path}")
    page.wait_for_selector("text=/api/v1/submissions/", timeout=20_000)
    assert blocked_elsewhere == []
    script_errors = [
        error
        for error in page.console_errors
        if "Content Security Policy" in error and "img-src" not in error
    ]
    assert script_errors == []


def test_the_schema_the_docs_read_is_json(page, live_server):
    page.goto(f"{live_server.url}/api/v1/schema/?format=json")
    assert json.loads(page.locator("body").inner_text())["openapi"].startswith("3.")
