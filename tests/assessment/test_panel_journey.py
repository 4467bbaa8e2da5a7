"""An expert panel in Debian's chromium, in Chinese: a provincial reviewer draws a panel, the
panel lead scores blind and sees the side-by-side view once all have submitted, writes the panel
opinion, and the reviewer concludes the panel."""

import os

import pytest
from django.urls import reverse

from assessment.models import Panel
from assessment.services import panels
from questionnaires.selectors import rubric_of
from tests import factories
from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("PANEL_SCREENSHOTS", "")


def sign_out(page):
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state("networkidle")


def test_expert_scores_and_the_panel_concludes(page, live_server):
    submission = factories.panel_submission(tier="growth")
    official = factories.reviewer("440000", full_name="广东评审组长")
    for name in ("林志远", "陈国栋", "黄晓梅"):
        factories.expert("440000", full_name=name)

    # The reviewer draws the panel.
    sign_in(page, live_server, official.email, factories.PASSWORD)
    page.goto(live_server.url + reverse("panel_list"))
    page.get_by_label(submission.platform.name).check()
    page.fill("#panel-size", "3")
    page.fill("#panel-seed", "2026")
    page.get_by_role("button", name="抽取专家组").click()
    page.wait_for_load_state("networkidle")
    panel = Panel.objects.get()
    assert panel.seed == 2026
    assert "评分中" in page.locator("#panel-state").inner_text()
    sign_out(page)

    # Two experts have scored already; one rejects D1.2.
    entry = panel.entries.get()
    rubric = rubric_of(submission.rubric_version)
    codes = [i.code for i in panels.judged_indicators(rubric, "industry", "growth")]
    others = panel.members.exclude(expert=panel.lead)
    for number, member in enumerate(others):
        decisions = {code: "agree" for code in codes}
        if number == 0:
            decisions["D1.2"] = {"decision": "rejected", "reason": "台账不全"}
        panels.expert_score_save(
            actor=member.expert, entry=entry, decisions=decisions, recommended_tier="growth",
            submit=True,
        )  # fmt: skip

    # The lead sees only progress, scores blind, then sees everyone side by side.
    sign_in(page, live_server, panel.lead.email, factories.PASSWORD)
    page.get_by_role("link", name="我的评审组").first.click()
    page.get_by_role("link", name=f"专家组 {panel.pk}").click()
    page.wait_for_load_state("networkidle")
    assert "3 位专家中已有 2 位提交" in page.locator(f"#progress-{entry.pk}").inner_text()
    assert page.locator("table.side-by-side").count() == 0
    page.get_by_role("link", name="为该申报评分").click()
    page.wait_for_load_state("networkidle")
    for code in codes:
        row = page.locator(f"#row-{code.replace('.', '\\.')}")
        label = "驳回" if code == "D1.2" else "同意审核意见"
        row.get_by_role("radio", name=label).check()
    page.select_option("#recommended-tier", "growth")
    page.fill("#comment", "平台接入规模与材料基本一致。")
    page.get_by_role("button", name="提交我的评分").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("table.side-by-side").count() == 1
    disagreement = page.locator("table.side-by-side tr.disagree")
    assert disagreement.count() == 1
    assert disagreement.get_attribute("data-code") == "D1.2"
    assert "驳回" in disagreement.locator("td").last.inner_text()
    page.fill("#opinion", "专家组经独立评审，认为平台达到成长级要求。")
    page.get_by_role("button", name="保存意见").click()
    page.wait_for_load_state("networkidle")
    if SHOTS:
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/panel-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
    sign_out(page)

    # The reviewer concludes the panel; the submission moves to the public notice.
    sign_in(page, live_server, official.email, factories.PASSWORD)
    page.goto(live_server.url + reverse("panel_detail", args=[panel.pk]))
    page.get_by_role("button", name="结束评审").click()
    page.wait_for_load_state("networkidle")
    assert "已结束" in page.locator("#panel-state").inner_text()
    submission.refresh_from_db()
    assert submission.state == "public_notice"
    assert page.console_errors == []
