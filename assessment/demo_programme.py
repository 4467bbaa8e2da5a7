"""The programme's demo data (docs/programme.md): the 2027 calls and platforms in every stage
of every route, built through the same services the product uses, in true time order.

Called once from assessment.demo.seed_review_desk, after the expert pool
(assessment.demo_panels). Each step runs at its time in the story on the demo's clock
(assessment.demo_clock): every event of a submission is dated in the past, in the order the
steps happened, within the calls' windows.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from assessment.demo_clock import DemoClock, demo_clock
from assessment.models import (
    Answer,
    AssessmentCycle,
    Certification,
    EventKind,
    Evidence,
    Organisation,
    Platform,
    Region,
    ReviewDecision,
    Role,
    Submission,
    User,
)
from assessment.services import programme, reviews
from assessment.services.scoring import submission_rescore
from assessment.services.submissions import submission_submit
from assessment.services.workflow import record_event
from questionnaires.choices import TIER_ORDER

BEIJING = ZoneInfo("Asia/Shanghai")
MINISTRY_EMAIL = "ministry@demo.cn"
# (name, organisation, city, tier applied, what happens) for each demo platform.
PLATFORMS = [
    # Leading and ecosystem, Guangdong: recommendation, formal check, notice, publication.
    ("粤智造工业互联网平台", "广州智造科技有限公司", "440100", "leading", "published"),
    ("湾区链工业互联网平台", "深圳湾区链科技有限公司", "440300", "leading", "published_objection"),
    ("南粤云工业互联网平台", "佛山南粤云科技有限公司", "440600", "leading", "upheld"),
    ("珠江工业大脑平台", "东莞珠江数智有限公司", "441900", "ecosystem", "on_notice"),
    ("粤芯协同制造平台", "珠海粤芯科技有限公司", "440400", "leading", "panel"),
    ("岭南设备云平台", "惠州岭南设备有限公司", "441300", "leading", "recommended"),
    ("羊城数字供应链平台", "广州羊城数链有限公司", "440100", "leading", "returned"),
    ("鹏城工业互联平台", "深圳鹏城工联有限公司", "440300", "leading", "awaiting_recommendation"),
    # Growth, Guangdong: provincial panel, provincial notice, published by the province.
    ("粤东纺织产业平台", "汕头粤东纺织科技有限公司", "440500", "growth", "published"),
    ("粤西家电协同平台", "湛江粤西家电科技有限公司", "440800", "growth", "published"),
    ("中山灯饰产业平台", "中山灯饰数智有限公司", "442000", "growth", "panel"),
    # Central enterprise: directly to the ministry.
    ("央企智能制造云平台", "中国智造集团有限公司", "110000", "leading", "central"),
]
# Basic, Zhejiang: a closed provincial call, the spot check drawn, the rest certified.
ZHEJIANG_BASIC = [
    ("浙里制造小微平台", "330100"),
    ("甬城模具云平台", "330200"),
    ("温州鞋服数字平台", "330300"),
    ("嘉兴纺织协同平台", "330400"),
    ("湖州绿色制造平台", "330500"),
    ("绍兴印染云平台", "330600"),
    ("金华五金产业平台", "330700"),
    ("台州汽配云平台", "331000"),
    ("丽水生态制造平台", "331100"),
    ("衢州化工安全平台", "330800"),
]


def _answer_meeting(indicator, kind: str, tier: str):
    """An answer that meets `indicator` fully up to `tier` (and nothing above it)."""
    reached = [c for c in indicator.criteria if TIER_ORDER.index(c.tier) <= TIER_ORDER.index(tier)]
    if indicator.type in ("numeric", "percentage"):
        targets = [c.target_for(kind) for c in reached if c.target_for(kind) is not None]
        best = max(targets) if targets else 0
        return int(best) if best == int(best) else float(best)
    if indicator.type == "boolean":
        return bool(reached)
    if indicator.type == "ordinal":
        return 3 if reached else 0
    tiers = [c.tier for c in reached]
    useful = [o for o in indicator.options if any(o.satisfaction_at(t) > 0 for t in tiers)]
    if indicator.multiple:
        return [option.code for option in useful] or [indicator.options[0].code]
    best = max(indicator.options, key=lambda o: [o.satisfaction_at(t) for t in reversed(tiers)])
    return best.code


def _applicant(*, name, organisation_name, city, tier, cycle, number, central=False, password):
    """An organisation, its operator, a platform and a submitted application for `tier`."""
    from questionnaires.selectors import rubric_of

    region = Region.objects.get(code=city)
    organisation = Organisation.objects.create(
        credit_code=_credit_code(number, city),
        name=organisation_name,
        region=region,
        is_central=central,
    )
    operator = User.objects.create(
        email=f"op.programme{number}@demo.cn",
        full_name=f"申报联系人{number}",
        role=Role.OPERATOR,
        organisation=organisation,
        password=password,
    )
    platform = Platform.objects.create(
        organisation=organisation,
        name=name,
        kind="industry",
        region=region,
        website=f"https://programme{number}.platform.demo.cn",
        launched_year=2019,
    )
    platform.industries.set(["C"])
    submission = Submission.objects.create(
        platform=platform,
        cycle=cycle,
        rubric_version=cycle.rubric_version,
        platform_kind="industry",
        created_by=operator,
    )
    rubric = rubric_of(submission.rubric_version)
    answers = [
        Answer(submission=submission, question_code=p.code, value=True, updated_by=operator)
        for p in rubric.preconditions
    ]
    evidence = []
    for indicator in rubric.indicators:
        if not indicator.applies_to("industry"):
            continue
        answers.append(
            Answer(
                submission=submission,
                question_code=indicator.code,
                value=_answer_meeting(indicator, "industry", tier),
                updated_by=operator,
            )
        )
        if indicator.evidence != "none":
            evidence.append(
                Evidence(
                    submission=submission,
                    question_code=indicator.code,
                    url=f"https://evidence.demo.cn/{number}/{indicator.code}.pdf",
                    description="证明材料",
                    uploaded_by=operator,
                )
            )
    Answer.objects.bulk_create(answers)
    Evidence.objects.bulk_create(evidence)
    programme.tier_apply(actor=operator, submission=submission, tier=tier)
    submission_submit(actor=operator, submission=submission)
    return submission


def _credit_code(number: int, city: str) -> str:
    from assessment.validators import credit_code_check_character

    first_17 = f"91{city}{900000000 + number:09d}"
    return first_17 + credit_code_check_character(first_17)


def _review(submission, reviewer):
    """The provincial review: assigned, started, every evidenced indicator verified."""
    reviews.review_assign(actor=reviewer, submission=submission, reviewer=reviewer)
    reviews.review_start(actor=reviewer, submission=submission)
    codes = sorted(set(submission.evidence.values_list("question_code", flat=True)))
    ReviewDecision.objects.bulk_create(
        ReviewDecision(
            submission=submission,
            question_code=code,
            decision="verified",
            review_round=1,
            reviewer=reviewer,
        )
        for code in codes
    )
    record_event(
        submission=submission,
        actor=reviewer,
        kind=EventKind.DECISION,
        note="证明材料逐项核验属实",
        detail={"verified": codes},
    )
    submission_rescore(submission=submission)
    return reviews.certification_propose(actor=reviewer, submission=submission)


def seed_programme() -> dict:
    """Three calls of 2027 (the ministry's, Guangdong's, Zhejiang's) and 22 platforms along
    their routes, every step at its time in the story (assessment.demo_clock); notification
    emails are not sent."""
    mailers = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    cycle = AssessmentCycle.objects.filter(code="2027").first()
    if cycle is None:
        return {}
    story = _Story(timezone.now())
    with override_settings(MAILERS=mailers), demo_clock(story.published) as clock:
        return _seed_programme(cycle, story, clock)


class _Story:
    """When the steps happen: on days counted back from the story's last day (the seeding day,
    or the day the ministry's call closes if that is earlier), at office hours in Beijing time.
    The leading route takes four weeks from the applications to the publication; the calls
    open (at the latest) the day before the first application."""

    OPENS = datetime(2026, 11, 1, 9, 0, tzinfo=BEIJING)
    CLOSES = datetime(2027, 6, 30, 17, 0, tzinfo=BEIJING)
    FIRST_DAY = 26  # the applications, days before the last day

    def __init__(self, now):
        self.end = min(now, self.CLOSES)
        self.last_day = timezone.localdate(self.end, BEIJING)
        self.opens = min(self.OPENS, self.at(self.FIRST_DAY + 1, 9))
        self.published = self.opens - timedelta(days=5)

    def at(self, days_before: int, hour: int, minute: int = 0):
        return self.on(self.last_day - timedelta(days=days_before), hour, minute)

    def on(self, day, hour: int, minute: int = 0):
        return datetime.combine(day, time(hour, minute), tzinfo=BEIJING)


def _seed_programme(cycle, story: _Story, clock: DemoClock) -> dict:
    from assessment.demo_panels import experts as pool
    from assessment.demo_panels import panel_close, panel_score, site_check
    from assessment.services.panels import panel_form

    password = User.objects.get(email="admin@demo.cn").password
    ministry = User.objects.create(
        email=MINISTRY_EMAIL,
        full_name="工业和信息化部信息技术发展司",
        role=Role.REVIEWER,
        is_national=True,
        password=password or make_password("demo-pass-2026"),
    )
    # Where the generated history has the national reviewer both propose (a province without
    # a demo reviewer) and sign off, the second signature is the ministry official's.
    Certification.objects.filter(signed_off_by_id=F("proposed_by_id")).update(
        signed_off_by=ministry
    )
    people = {user.email: user for user in User.objects.filter(email__endswith="@demo.cn")}
    experts = pool()
    gd_lead, gd_reviewer = people["reviewer.gd@demo.cn"], people["reviewer2.gd@demo.cn"]
    gd_regulator, national = people["regulator.gd@demo.cn"], people["reviewer.national@demo.cn"]
    zj_regulator = people["regulator.zj@demo.cn"]
    ministry_call = programme.call_publish(
        quotas={("440000", "leading"): 6},
        actor=ministry,
        cycle=cycle,
        title_zh_hans="关于组织开展2027年度工业互联网平台培优申报工作的通知",
        title_en="Call for applications: 2027 industrial internet platform cultivation",
        opens_at=story.opens,
        closes_at=story.CLOSES,
        tiers=["basic", "growth", "leading", "ecosystem"],
        attachments_zh_hans="营业执照副本\n近三年财务审计报告\n平台建设运营情况报告",
        attachments_en="Business licence\nAudited accounts of the last three years\n"
        "Report on the platform's building and operation",
        quota_leading=3,
        quota_ecosystem=1,
        decision_number_pattern="工信部信发〔{year}〕{number}号",
    )
    clock.advance(hours=2)
    gd_call = programme.call_publish(
        actor=gd_regulator,
        cycle=cycle,
        region=Region.objects.get(code="440000"),
        title_zh_hans="广东省2027年度工业互联网平台（基础级、成长级）申报通知",
        title_en="Guangdong 2027 call: basic and growth tiers",
        opens_at=story.opens,
        closes_at=story.CLOSES,
        tiers=["basic", "growth"],
        attachments_zh_hans="营业执照副本\n平台建设运营情况报告",
        attachments_en="Business licence\nReport on the platform's building and operation",
        decision_number_pattern="粤工信数字〔{year}〕{number}号",
    )
    clock.advance(hours=2)
    zhejiang_call = programme.call_publish(
        actor=zj_regulator,
        cycle=cycle,
        region=Region.objects.get(code="330000"),
        title_zh_hans="浙江省2027年度工业互联网平台（基础级）申报通知",
        title_en="Zhejiang 2027 call: basic tier",
        opens_at=story.opens,
        closes_at=story.CLOSES,
        tiers=["basic"],
        decision_number_pattern="浙经信数字〔{year}〕{number}号",
    )

    # Day 26: the applications, ten minutes apart.
    clock.set(story.at(26, 9))
    by_outcome: dict[str, list] = {}
    for number, (name, organisation, city, tier, outcome) in enumerate(PLATFORMS, start=1):
        clock.advance(minutes=10)
        submission = _applicant(
            name=name,
            organisation_name=organisation,
            city=city,
            tier=tier,
            cycle=cycle,
            number=number,
            central=outcome == "central",
            password=password,
        )
        by_outcome.setdefault(outcome, []).append(submission)
    basic = []
    for number, (name, city) in enumerate(ZHEJIANG_BASIC, start=1):
        clock.advance(minutes=10)
        basic.append(
            _applicant(
                name=name,
                organisation_name=name.removesuffix("平台") + "科技有限公司",
                city=city,
                tier="basic",
                cycle=cycle,
                number=100 + number,
                password=password,
            )
        )
    first = {outcome: submissions[0] for outcome, submissions in by_outcome.items()}

    # Day 25: the provincial reviews (the ministry's for the central enterprise).
    clock.set(story.at(25, 9))
    for outcome, submissions in by_outcome.items():
        for submission in submissions:
            clock.advance(minutes=15)
            _review(submission, national if outcome == "central" else gd_reviewer)

    # Day 23: Guangdong's ranked recommendations, within its quotas.
    clock.set(story.at(23, 10))
    ranked = [
        first[outcome]
        for outcome in ("published", "published_objection", "upheld", "panel", "recommended")
    ]
    programme.recommendation_sign(
        actor=gd_lead,
        call=ministry_call,
        province_code="440000",
        tier="leading",
        entries=[(s, "平台综合实力突出，行业带动作用明显，同意推荐。") for s in ranked]
        + [(first["returned"], "供应链协同特色鲜明，同意推荐。")],
    )
    clock.advance(minutes=30)
    ecosystem = first["on_notice"]
    programme.recommendation_sign(
        actor=gd_lead,
        call=ministry_call,
        province_code="440000",
        tier="ecosystem",
        entries=[(ecosystem, "生态带动能力强，同意推荐。")],
    )

    # Day 22: the ministry's formal check: one returned to the province (its place in the quota
    # frees), one still waiting, the others passed to the expert panel.
    clock.set(story.at(22, 10))
    programme.formal_check_decide(
        actor=ministry,
        submission=first["returned"],
        complete=False,
        eligible=True,
        reason="缺少近三年财务审计报告，请补充后重新推荐。",
    )
    listed = [first[o] for o in ("published", "published_objection", "upheld")]
    for submission in [*listed, first["panel"], ecosystem]:
        clock.advance(minutes=20)
        programme.formal_check_decide(
            actor=ministry, submission=submission, complete=True, eligible=True
        )

    # Days 21-20: the ministry's panel on three leading applications, Guangdong's on two growth
    # ones; the experts score blind and disagree, the panels conclude on the majority.
    clock.set(story.at(21, 9))
    ministry_panel = panel_form(
        email=False,
        actor=ministry,
        submissions=listed,
        size=3,
        seed=20261101,
        named_experts=[experts["expert2@demo.cn"]],
    )
    growth = by_outcome["published"][1:]
    clock.advance(minutes=30)
    growth_panel = panel_form(
        email=False,
        actor=gd_lead,
        submissions=growth,
        size=3,
        seed=20261201,
        named_experts=[experts["expert1@demo.cn"]],
    )
    clock.set(story.at(21, 10))
    panel_score(ministry_panel, clock)
    clock.set(story.at(20, 9))
    panel_score(growth_panel, clock)
    clock.set(story.at(20, 14))
    panel_close(ministry_panel, ministry, clock, defence=True)
    panel_close(growth_panel, gd_lead, clock, defence=True)
    zhejiang_call.closes_at = story.at(20, 17)
    zhejiang_call.save(update_fields=["closes_at"])

    # Day 19: on site, the first leading platform fails (back to a panel), two pass. Zhejiang
    # draws its spot check.
    clock.set(story.at(19, 9))
    failed_once = first["published"]
    site_check(failed_once, national, clock, fail=True)
    for submission in listed[1:]:
        site_check(submission, national, clock, fail=False)
    clock.set(story.at(19, 15))
    draw = programme.spot_check_draw(actor=zj_regulator, call=zhejiang_call, province_code="330000")
    sampled = [submission for submission in basic if submission.pk in draw.sample]

    # Days 18-16: a second panel of five for the failed one, then a passed check. The first
    # basic platform drawn is reviewed and certified; the others await the check.
    clock.set(story.at(18, 9))
    second_panel = panel_form(
        email=False, actor=ministry, submissions=[failed_once], size=5, seed=20261115
    )
    panel_score(second_panel, clock)
    if sampled:
        clock.set(story.at(18, 16))
        sampled[0].refresh_from_db()
        _review(sampled[0], people["reviewer.zj@demo.cn"])
    clock.set(story.at(17, 10))
    panel_close(second_panel, ministry, clock, defence=False)
    clock.set(story.at(16, 10))
    site_check(failed_once, national, clock, fail=False)

    # Day 15: the ministry's notice and Guangdong's; an objection dismissed and one upheld
    # during the period; the lists published the day after it ends.
    clock.set(story.at(15, 9))
    ended = programme.notice_publish(
        actor=ministry,
        call=ministry_call,
        province_code=None,
        submissions=listed,
        starts_on=timezone.localdate(),
    )
    clock.advance(minutes=30)
    gd_notice = programme.notice_publish(
        actor=gd_regulator,
        call=gd_call,
        province_code="440000",
        submissions=growth,
        starts_on=timezone.localdate(),
    )
    entries = {entry.submission_id: entry for entry in ended.entries.all()}
    clock.set(story.on(ended.starts_on + timedelta(days=1), 10))
    dismissed = programme.objection_file(
        entry=entries[first["published_objection"].pk],
        name="陈先生",
        organisation="某装备制造企业",
        phone="13800138000",
        email="chen@example.cn",
        text="该平台公示的服务企业数量可能包含关联企业，请核实。",
        files=[_tiny_pdf("服务企业名单说明.pdf")],
    )
    clock.advance(hours=3)
    upheld = programme.objection_file(
        entry=entries[first["upheld"].pk],
        name="李女士",
        phone="13900139000",
        text="该平台连接设备数量与其年报披露数据明显不符。",
    )
    clock.set(story.on(ended.starts_on + timedelta(days=2), 15))
    programme.objection_answer(
        actor=ministry,
        objection=dismissed,
        upheld=False,
        answer="经核实，服务企业名单已剔除关联企业，数据属实，异议不成立。",
    )
    clock.advance(minutes=30)
    programme.objection_answer(
        actor=ministry,
        objection=upheld,
        upheld=True,
        answer="经核实，连接设备数据存在重复统计，异议成立，退回省级重新评审。",
    )
    clock.set(story.on(ended.ends_on + timedelta(days=1), 10))
    ministry_publication = programme.publication_issue(actor=ministry, notice=ended)
    clock.set(story.on(gd_notice.ends_on + timedelta(days=1), 11))
    gd_publication = programme.publication_issue(actor=gd_regulator, notice=gd_notice)

    # Days 4-2: the ecosystem applicant's panel and check; the last leading and growth
    # applicants before panels still scoring (waiting for expert2 and expert1).
    clock.set(story.at(4, 9))
    ecosystem_panel = panel_form(
        email=False, actor=ministry, submissions=[ecosystem], size=3, seed=20261120
    )
    panel_score(ecosystem_panel, clock)
    clock.set(story.at(3, 9))
    panel_close(ecosystem_panel, ministry, clock, defence=True)
    clock.advance(hours=1)
    leading_waiting = panel_form(
        email=False,
        actor=ministry,
        submissions=[first["panel"]],
        size=3,
        seed=20261125,
        named_experts=[experts["expert2@demo.cn"]],
    )
    clock.advance(minutes=30)
    growth_waiting = panel_form(
        email=False,
        actor=gd_lead,
        submissions=by_outcome["panel"][1:],
        size=3,
        seed=20261202,
        named_experts=[experts["expert1@demo.cn"]],
    )
    clock.set(story.at(2, 9))
    site_check(ecosystem, national, clock, fail=False)
    panel_score(leading_waiting, clock, leave_out=experts["expert2@demo.cn"])
    panel_score(growth_waiting, clock, leave_out=experts["expert1@demo.cn"])

    # Today: the ministry's notice of the ecosystem applicant runs (objections may be filed).
    clock.set(max(clock.now, story.end - timedelta(minutes=5)))
    programme.notice_publish(
        actor=ministry, call=ministry_call, province_code=None, submissions=[ecosystem]
    )
    return {
        "calls for applications": 3,
        "programme platforms": len(PLATFORMS) + len(ZHEJIANG_BASIC),
        "spot-checked": len(draw.sample),
        "panels": 6,
        "on-site checks": 5,
        "public notices": 3,
        "publications": len([ministry_publication, gd_publication]),
    }


def _tiny_pdf(name: str):
    from assessment.services.evidence_files import in_memory_file

    content = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return in_memory_file(content, name)
