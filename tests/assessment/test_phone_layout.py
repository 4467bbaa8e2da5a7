"""The header and the pages on a phone (390 px wide) in chromium: the unread count beside
"Notifications"; nothing scrolls sideways but tables inside their own box, the menu folds behind
one button, the score panels are reachable from the top."""

import pytest
from django.urls import reverse

from tests import factories
from tests.assessment.test_accessibility import make_world, pages_of
from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(live_server):
    return make_world()


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def test_no_page_scrolls_sideways_on_a_phone(phone, live_server, world):
    wide = {}
    signed_in = None
    for name, user, path in pages_of(world):
        if user is not signed_in:
            phone.context.clear_cookies()
            if user is not None:
                sign_in(phone, live_server, user.email, factories.PASSWORD)
            signed_in = user
        phone.goto(live_server.url + path)
        phone.wait_for_load_state("networkidle")
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[name] = width
        # The header stays one line: the menu is folded.
        assert phone.locator(".topbar").bounding_box()["height"] < 80, name
    assert wide == {}


def test_the_menu_folds_behind_one_button_and_opens(phone, live_server, world):
    sign_in(phone, live_server, world["desk"].email, factories.PASSWORD)
    phone.goto(live_server.url + reverse("review_queue"))
    toggle = phone.locator(".nav-toggle")
    assert toggle.is_visible()
    assert not phone.locator(".mainnav").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert phone.locator(".mainnav").is_visible()
    sign_out = phone.locator(".topbar-tools button.linkbutton")
    box = sign_out.bounding_box()
    assert box["height"] < 40  # "Sign out" no longer breaks into one character per line
    phone.keyboard.press("Escape")
    assert not phone.locator(".mainnav").is_visible()


def test_on_a_wide_screen_the_menu_is_not_folded(page, live_server, world):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server, world["desk"].email, factories.PASSWORD)
    assert not page.locator(".nav-toggle").is_visible()
    assert page.locator(".mainnav").is_visible()


@pytest.mark.parametrize("screen", ["questionnaire", "review"])
def test_the_score_panel_is_reachable_from_the_top(phone, live_server, world, screen):
    if screen == "questionnaire":
        user, target = world["draft"].created_by, "#score-panel"
        path = reverse("operator_questionnaire", args=[world["draft"].pk, "D1"])
    else:
        user, target = world["desk"], "#review-side"
        path = reverse("review_detail", args=[world["in_review"].pk])
    sign_in(phone, live_server, user.email, factories.PASSWORD)
    phone.goto(live_server.url + path)
    jump = phone.locator(f".score-jump a[href='{target}']")
    assert jump.is_visible()
    assert jump.bounding_box()["y"] < PHONE["height"]  # on the first screen
    jump.click()
    phone.wait_for_timeout(300)
    top = phone.evaluate(f"document.querySelector('{target}').getBoundingClientRect().top")
    assert (
        -5 < top < PHONE["height"] / 2
    )  # the panel is on screen (the last one may not reach the top)


def test_the_header_shows_how_many_notifications_are_unread(page, live_server, world):
    from assessment.models import Notification

    member = world["draft"].created_by
    for number in range(3):
        Notification.objects.create(
            recipient=member, kind="note", message_zh_hans=f"通知{number}", message_en="note"
        )
    sign_in(page, live_server, member.email, factories.PASSWORD)
    badge = page.locator("a[data-unread-url] .nav-count")
    badge.wait_for()
    assert badge.inner_text() == "3"
    page.goto(live_server.url + reverse("notifications"))
    page.locator("form[action$='/notifications/read/'] button").first.click()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert page.locator("a[data-unread-url] .nav-count").count() == 0
