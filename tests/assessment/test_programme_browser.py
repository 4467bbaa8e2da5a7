"""The programme's journeys in Debian's chromium, in Chinese: basic with the spot check; the
leading route end to end (recommendation, formal check, a ministry panel drawn from the pool and
scored blind, an on-site check that fails and returns it to a second panel, a passed check, the
notice with an objection, publication, the register); the growth route through a real
provincial panel to the province's notice and publication.

Each role signs in once, in a browser context of its own; the experts score blind, see only how
many have submitted, and then every score side by side with the disagreement."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import Certification, Panel, PublicNotice, Submission
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
    follow(page, page.get_by_role("link", name=call.title_zh_hans))


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


def signed_in(browser, live_server, user):
    """A page of its own browser context, signed in as `user` for the rest of the journey."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    if user is not None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.email)
        page.fill("input[name=password]", factories.PASSWORD)
        follow(page, page.locator("form button[type=submit].primary"))
    return page


def follow(page, control):
    """Click a control that loads a page, and wait for that page only (not for the network to
    be idle for half a second, which the journey would pay some forty times)."""
    with page.expect_navigation():
        control.click()


def click(page, name):
    follow(page, page.get_by_role("button", name=name))


def check_all(page, selector):
    """Tick every matching radio button at once (one is ticked by hand: a form of twenty rows
    ticked one by one costs a round trip each)."""
    page.eval_on_selector_all(
        selector, "inputs => inputs.forEach(input => { input.checked = true; })"
    )


def form_panel(page, live_server, submission, seed):
    page.goto(live_server.url + reverse("panel_list"))
    page.get_by_label(submission.platform.name).check()
    page.fill("#panel-size", "3")
    page.fill("#panel-seed", str(seed))
    click(page, "抽取专家组")
    assert "评分中" in page.locator("#panel-state").inner_text()
    return Panel.objects.filter(entries__submission=submission).latest("formed_at")


LOWER = {"growth": "basic", "leading": "growth"}


def score_blind(page, live_server, panel, *, scored: int, reject=None):
    """An expert scores the panel's one submission (agreeing throughout, or rejecting
    `reject`), seeing before that only how many of the others have submitted."""
    entry = panel.entries.get()
    page.goto(live_server.url + reverse("panel_detail", args=[panel.pk]))
    progress = page.locator(f"#progress-{entry.pk}").inner_text()
    assert f"{panel.size} 位专家中已有 {scored} 位提交" in progress
    assert page.locator("table.side-by-side").count() == 0  # blind until all have submitted
    follow(page, page.get_by_role("link", name="为该申报评分"))
    page.locator("input[type=radio][value=agree]").first.check()
    check_all(page, "input[type=radio][value=agree]")
    if reject:
        page.check(f"input[name='decision-{reject}'][value=rejected]")
        page.fill(f"[id='reason-{reject}']", "接入台账与申报数据不一致")
    page.select_option("#recommended-tier", LOWER[entry.tier] if reject else entry.tier)
    page.fill("#comment", "建议从严认定。" if reject else "材料与现场情况基本一致。")
    click(page, "提交我的评分")


def run_panel(official, experts, live_server, submission, seed, *, reject=None):
    """The official draws a panel from the pool; each expert scores blind (the second one
    rejects `reject`); the lead sees the disagreement side by side and writes the opinion; the
    official concludes the panel."""
    panel = form_panel(official, live_server, submission, seed)
    for number, member in enumerate(panel.members.order_by("draw_order")):
        page = experts[member.expert_id]
        score_blind(page, live_server, panel, scored=number, reject=reject if number == 1 else None)
    lead = experts[panel.lead_id]
    lead.goto(live_server.url + reverse("panel_detail", args=[panel.pk]))
    if reject:  # everyone has submitted: the disagreement is shown side by side
        disagreement = lead.locator("table.side-by-side tr.disagree")
        assert disagreement.get_attribute("data-code") == reject
        assert "驳回" in disagreement.locator("td").last.inner_text()
    lead.fill("#opinion", "专家组经独立评审，按多数意见形成评审结果。")
    click(lead, "保存意见")
    official.goto(live_server.url + reverse("panel_detail", args=[panel.pk]))
    click(official, "结束评审")
    assert "已结束" in official.locator("#panel-state").inner_text()


def check_on_site(page, live_server, submission, *, fail):
    page.goto(live_server.url + reverse("site_check_list"))
    opening = page.locator("form.site-check-open", has_text=submission.platform.name)
    follow(page, opening.get_by_role("button", name="生成核查清单"))
    page.locator("input[type=radio][value=confirmed]").first.check()
    check_all(page, "input[type=radio][value=confirmed]")
    if fail:
        page.locator("input[type=radio][value=not_confirmed]").first.check()
        page.locator("input[id^=finding-]").first.fill("现场在线设备数量不足申报值的一半")
    click(page, "保存核查发现")
    page.check(f"input[name=verdict][value={'failed' if fail else 'passed'}]")
    if fail:
        page.fill("#summary", "关键数值未能在现场确认，退回专家组复核。")
    click(page, "记录结论")


def test_leading_route_end_to_end_through_the_panel_and_the_on_site_check(browser, live_server):
    call = factories.call_for_applications()
    first, second = _proposed_leading(call), _proposed_leading(call)
    # The platform's earlier certification, which the published one supersedes on the register.
    factories.CertificationFactory(
        submission=factories.SubmissionFactory(
            platform=second.platform, cycle=factories.CycleFactory(), state="certified"
        ),
        tier="growth",
        certified_at=timezone.now() - timedelta(days=400),
        valid_until=timezone.localdate() + timedelta(days=700),
    )
    lead = signed_in(
        browser, live_server, factories.provincial_lead(PROVINCE, full_name="广东评审组长")
    )
    ministry_official = factories.ministry_official(full_name="部级工作人员")
    ministry = signed_in(browser, live_server, ministry_official)
    inspector = signed_in(browser, live_server, factories.ministry_official(full_name="部级核查员"))
    experts = {
        expert.pk: signed_in(browser, live_server, expert)
        for expert in (
            factories.expert("110000", full_name=name) for name in ("王海燕", "李文博", "吴倩")
        )
    }
    pages = [lead, ministry, inspector, *experts.values()]

    # The provincial lead ranks and signs the recommendation, within the quota.
    follow(lead, lead.get_by_role("link", name="培优工作"))
    assert "广东省" in lead.locator(".quota-table").inner_text()
    open_call(lead, live_server, call)
    lead.fill(f"#rank-{second.pk}", "1")
    lead.fill(f"#opinion-{second.pk}", "行业带动作用突出")
    lead.fill(f"#rank-{first.pk}", "2")
    lead.fill(f"#opinion-{first.pk}", "技术能力领先")
    click(lead, "签发推荐")
    assert "推荐已签发并报部" in lead.content()

    # The ministry's formal check: the first returned with a reason, the second passed.
    open_call(ministry, live_server, call)
    form = ministry.locator("form.formal-check", has_text=first.platform.name)
    form.get_by_label("退回理由").fill("缺少近三年财务审计报告")
    follow(ministry, form.get_by_role("button", name="退回省级"))
    assert "已退回省级并说明理由" in ministry.content()
    form = ministry.locator("form.formal-check", has_text=second.platform.name)
    form.get_by_label("申报材料齐全").check()
    form.get_by_label("申报主体符合条件").check()
    follow(ministry, form.get_by_role("button", name="通过，转专家评审"))
    assert Submission.objects.get(pk=first.pk).state == "in_review"
    assert Submission.objects.get(pk=second.pk).state == "expert_review"

    # A panel drawn from the pool scores blind (one expert dissents) and concludes; the check
    # on site fails and returns it to a second panel, which concludes; the next check passes.
    run_panel(ministry, experts, live_server, second, 2026, reject="D1.2")
    assert Submission.objects.get(pk=second.pk).state == "site_check"
    check_on_site(inspector, live_server, second, fail=True)
    assert "未通过" in inspector.locator("#verdict").inner_text()
    assert Submission.objects.get(pk=second.pk).state == "expert_review"
    run_panel(ministry, experts, live_server, second, 2027)
    check_on_site(inspector, live_server, second, fail=False)
    assert Submission.objects.get(pk=second.pk).state == "public_notice"

    # The ministry publishes the notice; anyone objects without signing in.
    open_call(ministry, live_server, call)
    click(ministry, "发布公示（5 个工作日）")
    assert "拟认定名单公示" in ministry.content()
    notice_url = ministry.url
    public = signed_in(browser, live_server, None)
    pages.append(public)
    public.goto(notice_url)
    public.get_by_text("提出异议").click()
    public.get_by_label("姓名").fill("张先生")
    public.get_by_label("电话").fill("13800138000")
    public.get_by_label("异议内容及理由").fill("服务企业数量可能包含关联企业。")
    click(public, "提交异议")
    assert "您的异议已收到" in public.content()

    # The ministry dismisses it with a reason; after the period it publishes the final list.
    ministry.goto(notice_url)
    ministry.get_by_label("官方答复").fill("经核实已剔除关联企业，异议不成立。")
    click(ministry, "异议不成立（说明理由）")
    assert "异议不成立" in ministry.locator(".objection").inner_text()
    end_notice(PublicNotice.objects.get())
    ministry.goto(notice_url)
    click(ministry, "公布最终名单")
    assert "工信部信发〔" in ministry.locator(".decision-number").inner_text()
    assert second.platform.name in ministry.locator(".publication-table").inner_text()
    certification = Certification.objects.get(submission=second)
    assert (certification.status, certification.signed_off_by_id) == (
        "certified",
        ministry_official.pk,
    )

    # The public register shows the platform once, at the published tier.
    public.goto(live_server.url + reverse("public_register"))
    rows = public.locator("tbody tr", has_text=second.platform.name)
    assert rows.count() == 1
    assert "引领级" in rows.locator(".tier-badge").inner_text()
    for page in pages:
        assert page.console_errors == []
        page.context.close()


def test_growth_through_the_provincial_panel_notice_and_publication(browser, live_server):
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
    official = signed_in(
        browser, live_server, factories.reviewer(PROVINCE, full_name="广东评审组长")
    )
    regulator = signed_in(
        browser, live_server, factories.regulator(PROVINCE, full_name="广东省工信厅")
    )
    experts = {
        expert.pk: signed_in(browser, live_server, expert)
        for expert in (
            factories.expert(PROVINCE, full_name=name) for name in ("林志远", "陈国栋", "黄晓梅")
        )
    }

    # The province's panel, drawn from its own experts, scores blind and concludes.
    run_panel(official, experts, live_server, submission, 2026, reject="D1.2")
    assert Submission.objects.get(pk=submission.pk).state == "public_notice"

    open_call(regulator, live_server, province_call)
    click(regulator, "发布公示（5 个工作日）")
    assert submission.platform.name in regulator.content()
    end_notice(PublicNotice.objects.get())
    regulator.reload()
    click(regulator, "公布最终名单")
    assert "粤工信数字〔" in regulator.locator(".decision-number").inner_text()
    assert Certification.objects.get(submission=submission).tier == "growth"
    for page in (official, regulator, *experts.values()):
        assert page.console_errors == []
        page.context.close()
