"""The expert pool of the demo and how its panels and on-site checks are acted out (called
from assessment.demo and assessment.demo_programme).

Nine experts (expert1@demo.cn … expert9@demo.cn, password demo-pass-2026): four in Guangdong
for the province's growth panels, five elsewhere for the ministry's panels. The programme's demo
(assessment.demo_programme) forms its panels from this pool with the real services, scores blind
with experts who disagree, concludes them and checks the leading platforms on site.
"""

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from assessment.demo_clock import DemoClock
from assessment.models import Answer, ExpertProfile, Panel, Region, Role, Submission, User

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


@transaction.atomic
def seed_panels() -> dict:
    """The expert pool; its panels are formed by the programme's demo."""
    from assessment.demo import DEMO_PASSWORD

    password_hash = make_password(DEMO_PASSWORD)
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
    return {"experts": len(EXPERTS)}


def experts() -> dict[str, User]:
    return {user.email: user for user in User.objects.filter(role=Role.EXPERT)}


def _judged(entry) -> tuple[list[str], list[str]]:
    """The indicators the panel judges for `entry`, and the numeric ones among them."""
    from assessment.services.panels import judged_indicators
    from questionnaires.selectors import rubric_of

    rubric = rubric_of(entry.submission.rubric_version)
    indicators = judged_indicators(rubric, entry.submission.platform_kind, entry.tier)
    return [i.code for i in indicators], [i.code for i in indicators if i.type == "numeric"]


LOWER_TIER = {"growth": "basic", "leading": "growth", "ecosystem": "leading"}


def expert_score(entry, expert: User, variant: int) -> None:
    """One expert's blind, submitted score. The experts disagree, yet a majority agrees with
    the review on every indicator (so the panel keeps the tier): variant 0 agrees throughout,
    1 rejects the first indicator and recommends a lower tier, 2 corrects a numeric value
    down; panels seat them 0, 1, 2, 0, 1, …"""
    from assessment.services.panels import expert_score_save

    codes, numeric = _judged(entry)
    decisions = {code: {"decision": "agree"} for code in codes}
    recommended, comment = entry.tier, "材料完整，同意审核意见。"
    if variant == 1:
        decisions[codes[0]] = {"decision": "rejected", "reason": "证明材料与申报数据不一致。"}
        recommended, comment = LOWER_TIER[entry.tier], "部分证明材料不足，建议从严认定。"
    elif variant == 2:
        corrected = next((code for code in reversed(numeric) if code != codes[0]), None)
        if corrected is not None:
            declared = Answer.objects.get(submission=entry.submission, question_code=corrected)
            decisions[corrected] = {
                "decision": "corrected",
                "value": max(1, int(float(declared.value) * 0.8)),
                "reason": "以合同和台账为准。",
            }
        comment = "总体达到要求，个别数据偏高。"
    expert_score_save(
        actor=expert,
        entry=entry,
        decisions=decisions,
        recommended_tier=recommended,
        comment=comment,
        submit=True,
    )


def panel_score(panel: Panel, clock: DemoClock, *, leave_out: User | None = None) -> None:
    """Every seated expert but `leave_out` scores every submission, 40 minutes apart."""
    members = [member.expert for member in panel.members.order_by("draw_order")]
    for entry in panel.entries.select_related("submission__rubric_version").order_by("id"):
        for variant, member in enumerate(members):
            if member != leave_out:
                clock.advance(minutes=40)
                expert_score(entry, member, variant % 3)


def panel_close(panel: Panel, official: User, clock: DemoClock, *, defence: bool) -> None:
    """The defence sessions (the day they are held), the lead's opinion, the conclusion."""
    from assessment.services.panels import defence_record, panel_conclude, panel_write_opinion

    if defence:
        for entry in panel.entries.select_related("submission").order_by("id"):
            clock.advance(minutes=30)
            defence_record(
                actor=official,
                panel=panel,
                submission=entry.submission,
                held_on=timezone.localdate(),
                attendees="专家组全体成员；申报单位总经理、技术负责人",
                notes="申报单位介绍平台建设与应用成效，专家就设备接入规模和模型调用量提问。",
            )
    clock.advance(minutes=30)
    panel_write_opinion(
        actor=panel.lead,
        panel=panel,
        opinion="专家组审阅申报材料并听取答辩，经独立评分，按多数意见形成评审结果。",
    )
    clock.advance(minutes=30)
    panel_conclude(actor=official, panel=panel)


def site_check(submission: Submission, inspector: User, clock: DemoClock, *, fail: bool) -> None:
    """An on-site check: every item confirmed, or the first not confirmed and the check failed
    (the submission goes back to its panel with the finding)."""
    from assessment.services.site_checks import (
        site_check_decide,
        site_check_open,
        site_check_record_finding,
    )

    clock.advance(minutes=30)
    check = site_check_open(
        actor=inspector,
        submission=submission,
        checked_on=timezone.localdate(),
        inspectors="部级核查组（2人）",
    )
    for index, item in enumerate(check.items.order_by("order")):
        clock.advance(minutes=2)
        if fail and index == 0:
            site_check_record_finding(
                actor=inspector,
                item=item,
                status="not_confirmed",
                finding="现场抽查接入台账，实际在线数量不足申报值的一半。",
            )
        else:
            site_check_record_finding(actor=inspector, item=item, status="confirmed")
    clock.advance(minutes=30)
    site_check_decide(
        actor=inspector,
        site_check=check,
        verdict="failed" if fail else "passed",
        summary="关键数值未能在现场得到确认，退回专家组复核。" if fail else "",
    )
