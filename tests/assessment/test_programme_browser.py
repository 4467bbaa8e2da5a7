"""The programme's journeys in Debian's chromium, in Chinese: basic with the spot check, the
leading route's recommendation, formal check, notice with an objection and publication, and the
growth route's provincial notice and publication. The expert panel and on-site check (branch
i14b) are stood in for by the workflow service."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import Certification, PublicNotice, Submission
from assessment.services import reviews
from tests import factories
from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PROVINCE = "440000"


def sign_out(page):
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state("networkidle")


def open_call(page, live_server, call):
    page.goto(live_server.url + reverse("programme_overview"))
    page.get_by_role("link", name=call.title_zh_hans).click()
    page.wait_for_load_state("networkidle")


def end_notice(notice):
    today = timezone.localdate()
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=today - timedelta(days=9), ends_on=today - timedelta(days=2)
    )


def test_basic_with_the_spot_check(page, live_server):
    call = factories.call_for_applications()
    draft = factories.answered_submission(tier="basic", state="draft", cycle=call.cycle)
    # The operator sees the window with its countdown and applies for the basic tier.
    sign_in(page, live_server, draft.created_by.email, factories.PASSWORD)
    page.goto(live_server.url + reverse("programme_apply", args=[draft.pk]))
    assert "剩余时间" in page.locator(".countdown").inner_text()
    page.get_by_label("基础级").check()
    page.get_by_role("button", name="保存申报等级").click()
    page.wait_for_load_state("networkidle")
    assert "申报等级已保存" in page.content()
    assert Submission.objects.get(pk=draft.pk).tier_applied == "basic"
    sign_out(page)
    # Other applicants are in; the operator's own submission goes in; the call closes.
    from assessment.services.submissions import submission_submit

    submission_submit(actor=draft.created_by, submission=draft)
    for _index in range(4):
        factories.answered_submission(tier="basic", cycle=call.cycle, tier_applied="basic")
    Submission.objects.filter(cycle=call.cycle).update(claimed_result="basic")
    call.closes_at = timezone.now()
    call.save()
    # The province draws the spot check: one of five (20 %), the other four certified.
    official = factories.reviewer(PROVINCE, full_name="广东省工信厅")
    sign_in(page, live_server, official.email, factories.PASSWORD)
    open_call(page, live_server, call)
    page.get_by_role("button", name="抽取抽查名单（20%）").click()
    page.wait_for_load_state("networkidle")
    assert "已从 5 家中抽取 1 家进行抽查" in page.content()
    assert Submission.objects.filter(cycle=call.cycle, state="certified").count() == 4
    sampled = Submission.objects.get(cycle=call.cycle, state="submitted")
    page.goto(live_server.url + reverse("public_register"))
    certified = Submission.objects.filter(state="certified").first()
    assert certified.platform.name in page.content()
    assert sampled.platform.name not in page.content()
    assert page.console_errors == []


def _proposed_leading(call):
    submission = factories.programme_submission(call=call, tier="leading")
    reviews.certification_propose(actor=submission.assigned_reviewer, submission=submission)
    return submission


def test_leading_recommendation_formal_check_notice_objection_publication(page, live_server):
    call = factories.call_for_applications()
    first, second = _proposed_leading(call), _proposed_leading(call)
    lead = factories.provincial_lead(PROVINCE, full_name="广东评审组长")
    ministry = factories.ministry_official(full_name="部级工作人员")

    # The provincial lead ranks and signs the recommendation.
    sign_in(page, live_server, lead.email, factories.PASSWORD)
    page.get_by_role("link", name="培优工作").click()
    assert "广东省" in page.locator(".quota-table").inner_text()
    open_call(page, live_server, call)
    page.fill(f"#rank-{second.pk}", "1")
    page.fill(f"#opinion-{second.pk}", "行业带动作用突出")
    page.fill(f"#rank-{first.pk}", "2")
    page.fill(f"#opinion-{first.pk}", "技术能力领先")
    page.get_by_role("button", name="签发推荐").click()
    page.wait_for_load_state("networkidle")
    assert "推荐已签发并报部" in page.content()
    sign_out(page)

    # The ministry's formal check: the first returned with a reason, the second passed.
    sign_in(page, live_server, ministry.email, factories.PASSWORD)
    open_call(page, live_server, call)
    form = page.locator("form.formal-check", has_text=first.platform.name)
    form.get_by_label("退回理由").fill("缺少近三年财务审计报告")
    form.get_by_role("button", name="退回省级").click()
    page.wait_for_load_state("networkidle")
    assert "已退回省级并说明理由" in page.content()
    form = page.locator("form.formal-check", has_text=second.platform.name)
    form.get_by_label("申报材料齐全").check()
    form.get_by_label("申报主体符合条件").check()
    form.get_by_role("button", name="通过，转专家评审").click()
    page.wait_for_load_state("networkidle")
    assert Submission.objects.get(pk=first.pk).state == "in_review"
    assert Submission.objects.get(pk=second.pk).state == "expert_review"

    # The panel and the on-site check (i14b) propose leading; the ministry publishes the notice.
    factories.to_public_notice(second, tier="leading", actor=ministry)
    open_call(page, live_server, call)
    page.get_by_role("button", name="发布公示（5 个工作日）").click()
    page.wait_for_load_state("networkidle")
    assert "拟认定名单公示" in page.content()
    notice_url = page.url
    sign_out(page)

    # Anyone objects, without signing in.
    page.goto(notice_url)
    page.get_by_text("提出异议").click()
    page.get_by_label("姓名").fill("张先生")
    page.get_by_label("电话").fill("13800138000")
    page.get_by_label("异议内容及理由").fill("服务企业数量可能包含关联企业。")
    page.get_by_role("button", name="提交异议").click()
    page.wait_for_load_state("networkidle")
    assert "您的异议已收到" in page.content()

    # The ministry dismisses it with a reason; after the period it publishes the final list.
    sign_in(page, live_server, ministry.email, factories.PASSWORD)
    page.goto(notice_url)
    page.get_by_label("官方答复").fill("经核实已剔除关联企业，异议不成立。")
    page.get_by_role("button", name="异议不成立（说明理由）").click()
    page.wait_for_load_state("networkidle")
    assert "异议不成立" in page.locator(".objection").inner_text()
    end_notice(PublicNotice.objects.get())
    page.goto(notice_url)
    page.get_by_role("button", name="公布最终名单").click()
    page.wait_for_load_state("networkidle")
    assert "工信部信发〔" in page.locator(".decision-number").inner_text()
    assert second.platform.name in page.locator(".publication-table").inner_text()
    certification = Certification.objects.get(submission=second)
    assert (certification.status, certification.signed_off_by_id) == ("certified", ministry.pk)
    page.goto(live_server.url + reverse("public_register"))
    assert second.platform.name in page.content()
    assert page.console_errors == []


def test_growth_provincial_notice_and_publication(page, live_server):
    cycle_call = factories.call_for_applications()
    province_call = factories.call_for_applications(
        cycle=cycle_call.cycle,
        region=factories.region(PROVINCE),
        tiers=["basic", "growth"],
        title_zh_hans="广东省成长级申报通知",
        decision_number_pattern="粤工信数字〔{year}〕{number}号",
    )
    submission = factories.programme_submission(call=province_call, tier="growth")
    reviews.certification_propose(actor=submission.assigned_reviewer, submission=submission)
    assert Submission.objects.get(pk=submission.pk).state == "expert_review"
    regulator = factories.regulator(PROVINCE, full_name="广东省工信厅")
    factories.to_public_notice(submission, tier="growth", actor=regulator)

    sign_in(page, live_server, regulator.email, factories.PASSWORD)
    open_call(page, live_server, province_call)
    page.get_by_role("button", name="发布公示（5 个工作日）").click()
    page.wait_for_load_state("networkidle")
    assert submission.platform.name in page.content()
    end_notice(PublicNotice.objects.get())
    page.reload()
    page.get_by_role("button", name="公布最终名单").click()
    page.wait_for_load_state("networkidle")
    assert "粤工信数字〔" in page.locator(".decision-number").inner_text()
    assert Certification.objects.get(submission=submission).tier == "growth"
    assert page.console_errors == []
