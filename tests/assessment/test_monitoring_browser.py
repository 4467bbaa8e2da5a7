"""The monitoring journey in Debian's chromium: an official opens a window, the operator files a
return that loses a tier, the official downgrades, the public register shows the new tier."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import Certification
from assessment.services.monitoring.common import monitored_codes
from questionnaires.selectors import rubric_of
from tests import factories
from tests.browser import sign_in

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")


def test_official_opens_operator_files_a_weaker_return_official_downgrades(page, live_server):
    submission = factories.reviewed_submission(
        result="growth", certified=True, platform__kind="industry"
    )
    Certification.objects.filter(submission=submission).update(
        certified_at=timezone.now() - timedelta(days=300)
    )
    official = factories.reviewer(is_national=True, full_name="国家评审员")
    person = factories.operator(organisation=submission.platform.organisation)
    rubric = rubric_of(submission.rubric_version)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    today = timezone.localdate()

    # The official opens this year's window.
    sign_in(page, live_server, official.email, factories.PASSWORD)
    page.goto(live_server.url + reverse("monitoring"))
    page.fill("#w-year", str(today.year))
    page.fill("#w-opens", today.isoformat())
    page.fill("#w-closes", (today + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Open the window").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=return]").count() == 1
    sign_out(page)

    # The operator files a return whose numbers reach only basic.
    sign_in(page, live_server, person.email, factories.PASSWORD)
    page.goto(live_server.url + reverse("operator_monitoring"))
    page.get_by_role("link", name="Fill in and file").click()
    page.wait_for_load_state("networkidle")
    for code in monitored_codes(rubric, "industry"):
        indicator = rubric.indicator(code)
        if indicator.type in ("numeric", "percentage"):
            value = factories.answer_meeting(indicator, "industry", "basic")
            page.fill(f"#input-m-{indicator.code.replace('.', '-')}", str(value))
    page.get_by_role("button", name="File the return").click()
    page.wait_for_load_state("networkidle")
    assert "Filed" in page.locator("[data-testid=returns]").inner_text()
    page.screenshot(path=SHOTS / "operator_returns.png", full_page=True)
    sign_out(page)

    # The official sees the flag and downgrades.
    sign_in(page, live_server, official.email, factories.PASSWORD)
    page.goto(live_server.url + reverse("monitoring_window", args=[today.year]))
    row = page.locator("[data-testid=return]")
    assert row.locator("[data-flag=tier_lost]").count() == 1
    assert row.locator("[data-testid=recheck]").inner_text() == "Basic"
    page.screenshot(path=SHOTS / "monitoring_screen.png", full_page=True)
    row.get_by_label("Downgrade").check()
    row.get_by_label("Reason").fill("The connected devices fell below the growth criterion.")
    row.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state("networkidle")
    assert "Growth → Basic" in page.locator("[data-testid=return]").inner_text()

    # The public register shows the new tier.
    page.goto(live_server.url + reverse("public_register") + f"?q={submission.platform.name}")
    table = page.locator("table.register-table")
    assert "Basic" in table.inner_text() and "Growth" not in table.inner_text()
    assert page.console_errors == []
