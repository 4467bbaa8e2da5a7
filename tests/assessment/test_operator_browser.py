"""The operator's main journey in Debian's chromium: answer, autosave, reload, upload, submit."""

import pytest
from django.urls import reverse

from assessment.models import Answer, Evidence
from assessment.services.scoring import submission_rescore
from tests import factories
from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def draft():
    """A draft complete but for dimension D1 (unanswered) and the evidence of gate D8.1."""
    submission = factories.answered_submission(state="draft")
    Answer.objects.filter(submission=submission, question_code__startswith="D1.").delete()
    Evidence.objects.filter(submission=submission, question_code="D8.1").delete()
    submission_rescore(submission=submission)
    return submission


IN_VIEWPORT = """(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight;
}"""


def wait_until_saved(page):
    page.wait_for_selector("[data-save-state='saved']")


def test_operator_answers_uploads_and_submits(page, live_server, draft):
    sign_in(page, live_server, draft.created_by.email, factories.PASSWORD)
    d1 = live_server.url + reverse("operator_questionnaire", args=[draft.pk, "D1"])
    page.goto(d1)

    page.fill("#input-q-D1-1", "6")
    page.fill("#input-q-D1-2", "15000")
    page.check("input[name='q-D1.4'][value='3']")
    page.check("input[name='q-D1.5'][value='registered']")
    page.check("input[name='q-D1.6'][value='true']")
    page.locator("#input-q-D1-1").focus()  # leave the last text field
    wait_until_saved(page)
    assert page.locator("[data-save-state]").text_content().strip() != ""
    assert (
        page.locator(".section-index li[data-section='D1'] [data-progress]")
        .text_content()
        .strip()
        .endswith("5/5 ✓")
    )

    page.reload()
    assert page.input_value("#input-q-D1-1") == "6"
    assert page.input_value("#input-q-D1-2") == "15000"
    assert page.is_checked("input[name='q-D1.4'][value='3']")
    assert page.is_checked("input[name='q-D1.6'][value='true']")

    page.goto(live_server.url + reverse("operator_questionnaire", args=[draft.pk, "D8"]))
    badge = page.locator("[data-testid=tier-if-verified]")
    assert "tier-not_rated" in badge.get_attribute("class")
    page.set_input_files(
        "#file-q-D8-1",
        {
            "name": "网络安全分类分级备案.pdf",
            "mimeType": "application/pdf",
            "buffer": factories.pdf_bytes(),
        },
    )
    page.click("button[value='upload:D8.1']")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("link", name="网络安全分类分级备案.pdf").is_visible()
    # The "uploaded" message is on screen where the page opened, not scrolled off at the top.
    notice = page.locator("#notice-q-D8-1")
    assert notice.inner_text().strip() != ""
    assert page.evaluate(IN_VIEWPORT, "#notice-q-D8-1")
    assert "tier-basic" in page.locator("[data-testid=tier-if-verified]").get_attribute("class")

    page.goto(live_server.url + reverse("operator_submission_submit", args=[draft.pk]))
    page.check("input[name=confirm]")
    page.click("form button[type=submit].primary >> nth=-1")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(reverse("operator_submission_view", args=[draft.pk]))
    assert "submitted" in page.locator("[data-testid=state]").get_attribute("class")
    assert page.locator("input[name^='q-']").count() == 0
    assert page.console_errors == []


def test_a_stale_tab_sees_the_conflict_instead_of_overwriting(page, live_server, draft):
    from assessment.services import submissions as services

    sign_in(page, live_server, draft.created_by.email, factories.PASSWORD)
    page.goto(live_server.url + reverse("operator_questionnaire", args=[draft.pk, "D1"]))
    colleague = factories.operator(organisation=draft.platform.organisation, full_name="王工")
    services.answer_save(
        actor=colleague, submission=draft, question_code="D1.2", value="800", version=0
    )
    page.fill("#input-q-D1-2", "15000")
    page.locator("#input-q-D1-1").focus()
    page.wait_for_selector("#q-D1-2 .conflict")
    assert page.locator("[data-save-state]").get_attribute("data-save-state") == "conflict"
    # The warning says it once (it was in the box and again in the field's state line).
    conflict = page.locator("#q-D1-2 .conflict p").inner_text()
    message = conflict.split(" ")[0][:12]
    assert page.locator("#q-D1-2").inner_text().count(message) == 1
    assert Answer.objects.get(submission=draft, question_code="D1.2").value == 800

    page.click("#q-D1-2 .conflict button >> nth=0")  # keep mine
    wait_until_saved(page)
    assert Answer.objects.get(submission=draft, question_code="D1.2").value == 15000


def test_after_copying_from_last_cycle_a_page_and_then_everything_is_confirmed_at_once(
    page, live_server
):
    # ~95 items were confirmed one by one, each a full reload.
    import datetime

    from django.utils import timezone

    from assessment.services import submissions as services

    previous = factories.answered_submission(
        state="certified",
        cycle=factories.CycleFactory(
            code="2026", opens_on=datetime.date(2026, 1, 1), closes_on=datetime.date(2026, 6, 30)
        ),
    )
    today = timezone.localdate()
    cycle = factories.CycleFactory(
        code="2027",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=300),
    )
    copied = services.submission_copy_from_previous(
        actor=previous.created_by, platform=previous.platform, cycle=cycle
    )
    sign_in(page, live_server, previous.created_by.email, factories.PASSWORD)
    page.goto(live_server.url + reverse("operator_questionnaire", args=[copied.pk, "D1"]))
    listed = page.locator(".copied-list li a").all_inner_texts()
    d1 = sorted(
        copied.answers.filter(question_code__startswith="D1.").values_list(
            "question_code", flat=True
        )
    )
    assert sorted(set(listed)) == d1  # the list says what is being confirmed
    page.click("#confirm-page")
    page.wait_for_load_state("networkidle")
    assert page.locator(".copied-panel").count() == 0
    assert ", ".join(d1) in page.locator(".messages").inner_text()
    assert not copied.answers.filter(question_code__in=d1, needs_reconfirmation=True).exists()

    page.goto(live_server.url + reverse("operator_confirm_copied", args=[copied.pk]))
    remaining = page.locator(".copied-list li").count()
    assert remaining > 0
    page.click("#confirm-all")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(reverse("operator_submission_submit", args=[copied.pk]))
    assert page.locator("[data-testid=problems]").count() == 0
    assert not copied.answers.filter(needs_reconfirmation=True).exists()
    assert not copied.evidence.filter(needs_reconfirmation=True).exists()
    assert page.console_errors == []
