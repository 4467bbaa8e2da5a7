"""The renewal click path in Debian's chromium, in Chinese: the home page offers 申请续期, the
confirmation page starts it, the operator lands on the new submission's questionnaire."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import Renewal
from tests import factories
from tests.browser import sign_in

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SHOTS / f"{name}_{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_operator_applies_for_renewal_from_the_home_page(page, live_server):
    certification = factories.CertificationFactory(
        valid_until=timezone.localdate() + timedelta(days=90), tier="growth"
    )
    factories.AnswerFactory(submission=certification.submission, question_code="D1.2", value=1500)
    factories.CycleFactory(title_zh_hans="2027年度评估")
    person = factories.operator(organisation=certification.submission.platform.organisation)

    sign_in(page, live_server, person.email, factories.PASSWORD)
    page.goto(live_server.url + reverse("operator_home"))
    renewals = page.locator("[data-testid=renewals]")
    assert "待续期的等级认定" in renewals.inner_text()
    _shoot(page, "renewal_home")
    renewals.get_by_role("link", name="申请续期").click()
    page.wait_for_load_state("networkidle")
    assert "2027年度评估" in page.locator("[data-testid=renewal-apply]").inner_text()
    _shoot(page, "renewal_confirm")
    page.get_by_role("button", name="确认并开始续期").click()
    page.wait_for_load_state("networkidle")

    renewal = Renewal.objects.get(renews=certification).submission
    assert re.search(rf"/operator/submissions/{renewal.pk}/questionnaire/P/$", page.url)
    assert "已根据已认定的申报创建续期申报" in page.content()
    assert renewal.answers.get(question_code="D1.2").value == 1500
    page.goto(live_server.url + reverse("operator_home"))
    assert page.locator("[data-testid=renewals]").count() == 0
    assert page.locator("[data-testid=renewal-badge]").count() == 1
    page.goto(live_server.url + reverse("organisation_detail"))
    assert "已在2027年度评估申请续期" in page.locator("[data-testid=certifications]").inner_text()
    _shoot(page, "renewal_organisation")
    assert page.console_errors == []
