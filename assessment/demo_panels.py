"""Demo data for expert panels and on-site checks (called once from assessment.demo).

Nine experts (expert1@demo.cn … expert9@demo.cn, password demo-pass-2026): four in Guangdong
for the province's growth panels, five elsewhere for ministry panels. It builds a concluded
Guangdong growth panel whose experts disagree (with a defence session), an open Guangdong panel
waiting for expert1, a leading application whose first ministry panel sent it to an on-site
check that failed, then a second panel and a passed check, and an open ministry panel waiting
for expert2.
"""

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from assessment.models import (
    ExpertProfile,
    Region,
    Role,
    Submission,
    SubmissionState,
    User,
)

S = SubmissionState
EXPERTS = [
    # email, name, title, province, dimensions, kinds
    ("expert1@demo.cn", "林志远", "教授级高工", "440000", ["D1", "D3", "D5"], ["industry"]),
    ("expert2@demo.cn", "王海燕", "研究员", "110000", ["D2", "D3", "D8"], []),
    ("expert3@demo.cn", "陈国栋", "高级工程师", "440000", ["D4", "D5"], ["specialized"]),
    ("expert4@demo.cn", "黄晓梅", "副教授", "440000", ["D6", "D7"], ["collaborative"]),
    ("expert5@demo.cn", "周建华", "正高级工程师", "440000", ["D1", "D8"], []),
    ("expert6@demo.cn", "李文博", "教授", "310000", ["D3", "D4"], ["industry"]),
    ("expert7@demo.cn", "赵敏", "研究员", "320000", ["D2", "D6"], []),
    ("expert8@demo.cn", "孙立新", "高级工程师", "510000", ["D5", "D7"], ["industry"]),
    ("expert9@demo.cn", "吴倩", "教授级高工", "420000", ["D1", "D2", "D8"], []),
]


def _experts(password: str) -> dict[str, User]:
    password_hash = make_password(password)
    experts = {}
    for email, name, title, province, dimensions, kinds in EXPERTS:
        user = User.objects.create(
            email=email, full_name=name, role=Role.EXPERT, password=password_hash
        )
        profile = ExpertProfile.objects.create(
            user=user,
            home_province=Region.objects.get(code=province),
            title=title,
            dimensions=dimensions,
            platform_kinds=kinds,
        )
        profile.industries.set(["C"])
        experts[email] = user
    return experts


def _to_panel(submission: Submission, tier: str, provincial: User, national: User) -> Submission:
    """Take an in-review submission along its route to the panel (what branch i14a's
    recommendation and formal check do through the same state machine)."""
    from assessment.services.workflow import submission_transition

    submission.tier_applied = tier
    submission.save(update_fields=["tier_applied"])
    if submission.state != S.IN_REVIEW:
        submission_transition(submission=submission, to_state=S.IN_REVIEW, actor=provincial)
    if tier == "growth":
        submission_transition(submission=submission, to_state=S.EXPERT_REVIEW, actor=provincial)
    else:
        submission_transition(submission=submission, to_state=S.RECOMMENDED, actor=provincial)
        submission_transition(submission=submission, to_state=S.EXPERT_REVIEW, actor=national)
    return submission


def _judged_codes(entry) -> list[str]:
    from assessment.services.panels import judged_indicators
    from questionnaires.selectors import rubric_of

    rubric = rubric_of(entry.submission.rubric_version)
    return [i.code for i in judged_indicators(rubric, entry.submission.platform_kind, entry.tier)]


def _score(entry, expert: User, variant: int, tier: str) -> None:
    """Expert scores that disagree: variant 0 agrees throughout, 1 rejects two indicators,
    2 corrects a number and rejects one of the same indicators."""
    from assessment.services.panels import expert_score_save
    from questionnaires.selectors import rubric_of

    rubric = rubric_of(entry.submission.rubric_version)
    codes = _judged_codes(entry)
    decisions = {code: {"decision": "agree"} for code in codes}
    numeric = [c for c in codes if rubric.indicator(c).type == "numeric"]
    if variant == 1:
        for code in codes[:2]:
            decisions[code] = {"decision": "rejected", "reason": "证明材料与申报数据不一致。"}
        comment = "部分证明材料不足，建议核实。"
    elif variant == 2:
        decisions[codes[0]] = {"decision": "rejected", "reason": "缺少第三方证明。"}
        if numeric:
            decisions[numeric[-1]] = {"decision": "corrected", "value": 1, "reason": "以合同为准。"}
        comment = "总体达到要求，个别数据偏高。"
    else:
        comment = "材料完整，同意审核意见。"
    expert_score_save(
        actor=expert,
        entry=entry,
        decisions=decisions,
        recommended_tier=tier,
        comment=comment,
        submit=True,
    )


def _run_panel(panel, tier: str, official: User, *, defence: bool = True) -> None:
    from assessment.services.panels import defence_record, panel_conclude, panel_write_opinion

    members = [member.expert for member in panel.members.order_by("draw_order")]
    for entry in panel.entries.select_related("submission__rubric_version"):
        for variant, expert in enumerate(members):
            _score(entry, expert, variant % 3, tier)
        if defence:
            defence_record(
                actor=official,
                panel=panel,
                submission=entry.submission,
                held_on=timezone.localdate(),
                attendees="专家组全体成员；申报单位总经理、技术负责人",
                notes="申报单位介绍平台建设与应用成效，专家就设备接入规模和模型调用量提问。",
            )
    panel_write_opinion(
        actor=panel.lead,
        panel=panel,
        opinion="专家组审阅申报材料并听取答辩，经独立评分，按多数意见形成评审结果。",
    )
    panel_conclude(actor=official, panel=panel)


def _site_check(submission: Submission, inspector: User, *, fail: bool):
    from assessment.services.site_checks import (
        site_check_decide,
        site_check_open,
        site_check_record_finding,
    )

    check = site_check_open(
        actor=inspector,
        submission=submission,
        checked_on=timezone.localdate(),
        inspectors="部级核查组（2人）",
    )
    items = list(check.items.all())
    for index, item in enumerate(items):
        if fail and index == 0:
            site_check_record_finding(
                actor=inspector,
                item=item,
                status="not_confirmed",
                finding="现场抽查接入台账，实际在线数量不足申报值的一半。",
            )
        else:
            site_check_record_finding(actor=inspector, item=item, status="confirmed")
    site_check_decide(
        actor=inspector,
        site_check=check,
        verdict="failed" if fail else "passed",
        summary="关键数值未能在现场得到确认，退回专家组复核。" if fail else "",
    )


@transaction.atomic
def seed_panels() -> dict:
    from assessment.demo import DEMO_PASSWORD
    from assessment.services.panels import panel_form, proposers_of

    gd_reviewer = User.objects.filter(email="reviewer.gd@demo.cn").first()
    national = User.objects.filter(email="reviewer.national@demo.cn").first()
    if gd_reviewer is None or national is None:
        return {}
    experts = _experts(DEMO_PASSWORD)
    # The strongest open submissions (their panels reach a tier), taken along their route
    candidates = (
        Submission.objects.filter(state__in=[S.SUBMITTED, S.IN_REVIEW, S.RESUBMITTED])
        .exclude(created_by__email="operator@demo.cn")
        .select_related("platform__region", "platform__organisation")
        .order_by("-score_summary__progress_index", "id")
    )
    # Guangdong: the province's growth panels
    guangdong = list(candidates.filter(platform__region__code__startswith="44")[:3])
    # Elsewhere (not Guangdong, not Beijing, where expert2 lives): ministry panels
    # (and not reviewed by the national reviewer, who checks them on site)
    elsewhere = [
        submission
        for submission in candidates.exclude(platform__region__code__startswith="44").exclude(
            platform__region__code__startswith="11"
        )[:20]
        if national.pk not in proposers_of([submission.pk])
    ][:2]
    counts = {"experts": len(experts), "panels": 0, "on-site checks": 0}
    if len(guangdong) >= 3:
        for submission in guangdong:
            _to_panel(submission, "growth", gd_reviewer, national)
        concluded = panel_form(
            email=False,
            actor=gd_reviewer,
            submissions=guangdong[:2],
            size=3,
            seed=20261201,
            named_experts=[experts["expert1@demo.cn"]],
        )
        _run_panel(concluded, "growth", gd_reviewer)
        waiting = panel_form(
            email=False,
            actor=gd_reviewer,
            submissions=guangdong[2:],
            size=3,
            seed=20261202,
            named_experts=[experts["expert1@demo.cn"]],
        )
        entry = waiting.entries.get()
        other = waiting.members.exclude(expert=experts["expert1@demo.cn"]).first().expert
        _score(entry, other, 1, "growth")
        counts["panels"] += 2
    if len(elsewhere) >= 2:
        leading, open_one = elsewhere
        _to_panel(leading, "leading", _provincial_for(leading, gd_reviewer), national)
        first = panel_form(
            email=False,
            actor=national,
            submissions=[leading],
            size=3,
            seed=20261101,
            named_experts=[experts["expert2@demo.cn"]],
        )
        _run_panel(first, "leading", national)
        counts["panels"] += 1
        leading.refresh_from_db()
        if leading.state == S.SITE_CHECK:
            _site_check(leading, national, fail=True)
            second = panel_form(
                email=False, actor=national, submissions=[leading], size=5, seed=20261115
            )
            _run_panel(second, "leading", national, defence=False)
            counts["panels"] += 1
            counts["on-site checks"] += 1
            leading.refresh_from_db()
            if leading.state == S.SITE_CHECK:
                _site_check(leading, national, fail=False)
                counts["on-site checks"] += 1
        _to_panel(open_one, "ecosystem", _provincial_for(open_one, gd_reviewer), national)
        panel_form(
            email=False,
            actor=national,
            submissions=[open_one],
            size=5,
            seed=20261120,
            named_experts=[experts["expert2@demo.cn"]],
        )
        counts["panels"] += 1
    return counts


def _provincial_for(submission: Submission, fallback: User) -> User:
    """A reviewer of the submission's province (who recommends it), else the fallback."""
    province = submission.platform.region.province_code
    return (
        User.objects.filter(role=Role.REVIEWER, is_national=False, regions__code=province)
        .order_by("id")
        .first()
        or fallback
    )
