import pytest

from tests.browser import sign_in
from tests.factories import PASSWORD, operator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_switch_language_and_sign_out(page, live_server):
    user = operator(full_name="李工")
    sign_in(page, live_server, user.email, PASSWORD)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_text("李工").first.is_visible()
    assert page.get_by_role("button", name="退出").is_visible()

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Sign out").is_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" in page.url
    assert page.get_by_role("heading", name="Sign in").is_visible()
    assert page.console_errors == []
