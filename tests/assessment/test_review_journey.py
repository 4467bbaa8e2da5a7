"""The review desk's main journey in Debian's chromium: the reviewer verifies and sends back,
the operator fixes and resubmits, the reviewer certifies, the public register shows it."""

import pytest
from django.urls import reverse

from assessment.models import Certification
from assessment.selectors.reviews import missing_required_checks
from assessment.services import reviews
from assessment.services.scoring import submission_score
from tests import factories
from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VERIFY = ("D8.1", "D1.2")  # a gate and a numeric criterion, verified in the browser
REVISE = "D1.1"  # sent back to the operator, verified after the fix


@pytest.fixture
def under_review():
    """A Shenzhen submission reaching basic, in review by a Guangdong reviewer who decided every
    required check in an earlier sitting except the three this journey handles."""
    submission = factories.answered_submission(tier="basic")
    desk = factories.reviewer("440000", full_name="广东评审员")
    reviews.review_assign(actor=desk, submission=submission, reviewer=desk)
    reviews.review_start(actor=desk, submission=submission)
    missing = missing_required_checks(submission=submission, result=submission_score(submission))
    assert set(VERIFY) | {REVISE} <= set(missing)
    for code in missing:
        if code not in (*VERIFY, REVISE):
            reviews.review_decide(
                actor=desk, submission=submission, question_code=code, decision="verified"
            )
    return submission, desk


def decide_verified(page, code):
    item = page.locator(f"#ind-{code.replace('.', '\\.')}")
    item.get_by_role("radio", name="Verified").check()
    item.get_by_role("button", name="Save decision").click()
    item.locator("[data-decision-state]:not([hidden])").wait_for()  # saved in place


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")


def test_reviewer_verifies_sends_back_and_certifies_after_the_fix(page, live_server, under_review):
    submission, desk = under_review
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    platform_name = submission.platform.name

    # The reviewer opens the queue and the submission, verifies two items, sends one back.
    sign_in(page, live_server, desk.email, factories.PASSWORD)
    page.goto(live_server.url + reverse("review_queue"))
    page.get_by_role("link", name=platform_name).click()
    page.wait_for_load_state("networkidle")
    for code in VERIFY:
        decide_verified(page, code)
        assert page.locator(f"#ind-{code.replace('.', '\\.')} .decision-badge").inner_text() == (
            "Verified"
        )
    page.locator(f"#ind-{REVISE.replace('.', '\\.')} input[name=question_codes]").check()
    page.fill("#revision-message", "请提供协议接入清单的最新导出文件。")
    page.get_by_role("button", name="Send back for revision").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#submission-state").inner_text() == "Revision requested"
    sign_out(page)

    # The operator fixes the reopened answer and resubmits through their own pages.
    sign_in(page, live_server, submission.created_by.email, factories.PASSWORD)
    page.goto(live_server.url + reverse("operator_questionnaire", args=[submission.pk, "D1"]))
    page.fill("#input-q-D1-1", "7")
    page.locator("#input-q-D1-1").blur()  # the questionnaire saves on its own
    page.wait_for_selector("[data-save-state='saved']")
    page.goto(live_server.url + reverse("operator_submission_submit", args=[submission.pk]))
    page.check("input[name=confirm]")
    page.click("form button[type=submit].primary >> nth=-1")
    page.wait_for_load_state("networkidle")
    sign_out(page)

    # The reviewer sees the change, starts the second round, verifies the fix and certifies.
    sign_in(page, live_server, desk.email, factories.PASSWORD)
    page.goto(live_server.url + reverse("review_detail", args=[submission.pk]))
    assert "7 protocols" in page.locator(".round-diff").inner_text()
    page.get_by_role("button", name="Start review").click()
    page.wait_for_load_state("networkidle")
    decide_verified(page, REVISE)
    page.locator("#certify-button").click()
    page.wait_for_load_state("networkidle")
    assert "Certified at the Basic tier" in page.locator(".messages").inner_text()
    certification = Certification.objects.get(submission=submission)
    assert (certification.tier, certification.status) == ("basic", "certified")

    # Anyone finds the platform in the public register.
    sign_out(page)
    page.goto(live_server.url + reverse("public_register"))
    page.fill("#r-q", platform_name)
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state("networkidle")
    row = page.locator("table.register-table tbody tr").first
    assert platform_name in row.inner_text()
    assert "Basic" in row.inner_text()
    assert page.console_errors == [], page.console_errors


def test_a_decision_is_saved_in_place_and_leaving_with_unsaved_input_warns(
    page, live_server, under_review
):
    # Ticking "ask for revision" on one indicator and then saving a decision on another
    # reloaded the page and lost the tick and the message typed for the operator.
    submission, desk = under_review
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    sign_in(page, live_server, desk.email, factories.PASSWORD)
    page.goto(live_server.url + reverse("review_detail", args=[submission.pk]))
    page.evaluate("window.samePage = true")
    checks_before = page.locator("#checks-done").inner_text()
    page.locator(f"#ind-{REVISE.replace('.', '\\.')} input[name=question_codes]").check()
    page.fill("#revision-message", "请提供协议接入清单的最新导出文件。")

    decide_verified(page, VERIFY[0])
    assert page.evaluate("window.samePage === true")  # no reload
    item = page.locator(f"#ind-{VERIFY[0].replace('.', '\\.')}")
    assert item.locator(".decision-badge").inner_text() == "Verified"
    assert int(page.locator("#checks-done").inner_text()) == int(checks_before) + 1
    assert page.locator(
        f"#ind-{REVISE.replace('.', '\\.')} input[name=question_codes]"
    ).is_checked()
    assert page.input_value("#revision-message") == "请提供协议接入清单的最新导出文件。"
    assert submission.review_decisions.get(question_code=VERIFY[0], is_current=True)

    # A refused decision shows its reason beside the field, still without a reload.
    other = page.locator(f"#ind-{VERIFY[1].replace('.', '\\.')}")
    other.get_by_role("radio", name="Rejected").check()
    other.get_by_role("button", name="Save decision").click()
    page.locator(f"#err-{VERIFY[1].replace('.', '\\.')}-reason").wait_for()
    assert page.evaluate("window.samePage === true")

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.locator(".breadcrumbs a").first.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(reverse("review_detail", args=[submission.pk]))
    # The refused decision's 400 is the one expected entry.
    assert [error for error in page.console_errors if "400" not in error] == []
