"""Expert panels on a real database: the reproducible draw and its avoidance rules, blind
scoring, the majority and its ties, the panel result equal to the engine on the majority, the
conclusion moving each submission on, and refusals that change nothing."""

from datetime import date
from fractions import Fraction

import pytest

from assessment.errors import ApplicationError
from assessment.models import (
    ConflictDeclaration,
    EventKind,
    ExpertScore,
    Panel,
    PanelMember,
    PanelState,
    SubmissionEvent,
)
from assessment.services import panels
from questionnaires.rubric import EvidenceStatus
from questionnaires.scoring import AnswerInput, score
from questionnaires.selectors import rubric_of
from tests.factories import (
    answer_meeting,
    expert,
    panel_submission,
    region,
    reviewer,
)

pytestmark = pytest.mark.django_db


def provincial_setup(experts=5, **fields):
    submission = panel_submission(tier="growth", **fields)
    official = reviewer("440000")
    pool = [expert("440000") for _ in range(experts)]
    return submission, official, pool


def agree_all(entry):
    rubric = rubric_of(entry.submission.rubric_version)
    return {
        indicator.code: {"decision": "agree"}
        for indicator in panels.judged_indicators(
            rubric, entry.submission.platform_kind, entry.tier
        )
    }


def score_all(panel, decisions_by_expert=None, tier="growth"):
    for member in panel.members.select_related("expert"):
        for entry in panel.entries.select_related("submission__rubric_version"):
            decisions = agree_all(entry)
            decisions.update((decisions_by_expert or {}).get(member.expert_id, {}))
            panels.expert_score_save(
                actor=member.expert,
                entry=entry,
                decisions=decisions,
                recommended_tier=tier,
                submit=True,
            )


# --- The draw ------------------------------------------------------------------------------------


def test_draw_is_reproducible_from_its_seed():
    ids = list(range(1, 40))
    assert panels.draw_experts(ids, 5, 2026) == panels.draw_experts(list(reversed(ids)), 5, 2026)
    assert panels.draw_experts(ids, 5, 2026) != panels.draw_experts(ids, 5, 2027)


def test_panel_records_seed_and_redraws_the_same_members():
    submission, official, pool = provincial_setup(experts=7)
    panel = panels.panel_form(actor=official, submissions=[submission], size=3, seed=99)
    members = list(panel.members.values_list("expert_id", flat=True))
    assert panel.seed == 99
    assert members == panels.draw_experts(panel.draw["eligible"], 3, 99)
    assert sorted(panel.draw["eligible"]) == sorted(user.pk for user in pool)
    assert panel.lead_id == members[0]
    assert SubmissionEvent.objects.filter(
        submission=submission, kind=EventKind.PANEL, detail__action="formed"
    ).exists()


def test_avoidance_rules_exclude_organisation_conflict_proposer_and_province():
    submission = panel_submission(tier="leading")
    organisation = submission.platform.organisation
    official = reviewer(is_national=True)
    colleague = expert("110000", organisation=organisation)
    conflicted = expert("110000")
    ConflictDeclaration.objects.create(
        reviewer=conflicted, organisation=organisation, reason="曾任顾问"
    )
    same_province = expert(submission.platform.region.province_code)
    proposer = expert("110000")
    submission.assigned_reviewer = proposer
    submission.save(update_fields=["assigned_reviewer"])
    fair = [expert("110000"), expert("310000"), expert("510000")]
    panel = panels.panel_form(actor=official, submissions=[submission], size=3, seed=1)
    seated = set(panel.members.values_list("expert_id", flat=True))
    assert seated == {user.pk for user in fair}
    excluded = panel.draw["excluded"]
    assert excluded[str(colleague.pk)] == ["own_organisation"]
    assert excluded[str(conflicted.pk)] == ["declared_conflict"]
    assert excluded[str(same_province.pk)] == ["applicant_province"]
    assert excluded[str(proposer.pk)] == ["proposed_tier"]


def test_provincial_panel_draws_from_the_provinces_pool_only():
    submission, official, pool = provincial_setup(experts=3)
    outsider = expert("110000")
    panel = panels.panel_form(actor=official, submissions=[submission], size=3)
    assert outsider.pk not in set(panel.members.values_list("expert_id", flat=True))


@pytest.mark.parametrize("size", [2, 4, 1, 17, "x"])
def test_bad_panel_size_is_refused_and_changes_nothing(size, client):
    submission, official, _pool = provincial_setup()
    with pytest.raises(ApplicationError) as refused:
        panels.panel_form(actor=official, submissions=[submission], size=size)
    assert refused.value.field == "size"
    assert Panel.objects.count() == 0


def test_named_expert_with_a_conflict_is_refused_and_changes_nothing():
    submission, official, pool = provincial_setup()
    ConflictDeclaration.objects.create(
        reviewer=pool[0], organisation=submission.platform.organisation, reason="亲属任职"
    )
    with pytest.raises(ApplicationError) as refused:
        panels.panel_form(actor=official, submissions=[submission], size=3, named_experts=[pool[0]])
    assert refused.value.code == "expert_not_eligible"
    assert Panel.objects.count() == 0
    assert not SubmissionEvent.objects.filter(kind=EventKind.PANEL).exists()


def test_pool_too_small_is_refused():
    submission, official, _pool = provincial_setup(experts=2)
    with pytest.raises(ApplicationError) as refused:
        panels.panel_form(actor=official, submissions=[submission], size=3)
    assert refused.value.code == "pool_too_small"


def test_national_reviewer_cannot_form_a_provincial_panel():
    submission, _official, _pool = provincial_setup()
    with pytest.raises(ApplicationError) as refused:
        panels.panel_form(actor=reviewer(is_national=True), submissions=[submission], size=3)
    assert refused.value.code == "not_panel_official"
    assert Panel.objects.count() == 0


def test_submission_not_in_expert_review_is_refused():
    submission, official, _pool = provincial_setup(state="in_review")
    with pytest.raises(ApplicationError) as refused:
        panels.panel_form(actor=official, submissions=[submission], size=3)
    assert refused.value.code == "wrong_state"


# --- Majority (pure) -----------------------------------------------------------------------------


def e_by_decision(values):
    return lambda decision: Fraction(values[(decision["decision"], decision.get("value"))])


def test_majority_takes_the_most_votes():
    votes = [{"decision": "agree"}, {"decision": "rejected"}, {"decision": "agree"}]
    chosen, how = panels.majority_decision(votes, lambda d: Fraction(0))
    assert chosen == {"decision": "agree"}
    assert how == {"votes": {"agree": 2, "rejected": 1}, "tie": False}


def test_tie_takes_the_decision_with_the_lower_effective_score():
    votes = [
        {"decision": "agree"},
        {"decision": "corrected", "value": 40},
        {"decision": "rejected"},
    ]
    effect = e_by_decision({("agree", None): 1, ("corrected", 40): "1/2", ("rejected", None): 1})
    chosen, how = panels.majority_decision(votes, effect)
    assert chosen == {"decision": "corrected", "value": 40}
    assert how["tie"] is True


def test_tie_with_equal_effect_takes_reject_first():
    votes = [{"decision": "agree"}, {"decision": "rejected"}, {"decision": "corrected", "value": 0}]
    chosen, _how = panels.majority_decision(votes, lambda d: Fraction(0))
    assert chosen == {"decision": "rejected"}


def test_corrected_values_take_the_most_common_then_the_stricter():
    votes = [
        {"decision": "corrected", "value": 50},
        {"decision": "corrected", "value": 80},
        {"decision": "agree"},
    ]
    effect = e_by_decision({("corrected", 50): "1/2", ("corrected", 80): "4/5", ("agree", None): 1})
    chosen, how = panels.majority_decision(votes, effect)
    assert chosen == {"decision": "corrected", "value": 50}
    assert how == {"votes": {"agree": 1, "corrected": 2}, "tie": True}


# --- Scoring, result, conclusion -----------------------------------------------------------------


def test_expert_cannot_change_submitted_scores():
    submission, official, _pool = provincial_setup()
    panel = panels.panel_form(actor=official, submissions=[submission], size=3)
    entry = panel.entries.get()
    member = panel.members.first().expert
    panels.expert_score_save(
        actor=member, entry=entry, decisions=agree_all(entry), recommended_tier="growth",
        submit=True,
    )  # fmt: skip
    with pytest.raises(ApplicationError) as refused:
        panels.expert_score_save(actor=member, entry=entry, decisions={}, submit=False)
    assert refused.value.code == "already_submitted"
    stored = ExpertScore.objects.get(entry=entry, expert=member).decisions
    assert {code: d["decision"] for code, d in stored.items()} == {
        code: "agree" for code in agree_all(entry)
    }


def test_incomplete_scores_cannot_be_submitted():
    submission, official, _pool = provincial_setup()
    panel = panels.panel_form(actor=official, submissions=[submission], size=3)
    entry = panel.entries.get()
    member = panel.members.first().expert
    with pytest.raises(ApplicationError) as refused:
        panels.expert_score_save(
            actor=member, entry=entry, decisions={"D1.2": "agree"}, recommended_tier="growth",
            submit=True,
        )  # fmt: skip
    assert refused.value.code == "decisions_missing"
    assert not ExpertScore.objects.exists()


def test_non_member_cannot_score():
    submission, official, pool = provincial_setup(experts=5)
    panel = panels.panel_form(actor=official, submissions=[submission], size=3)
    seated = set(panel.members.values_list("expert_id", flat=True))
    outsider = next(user for user in pool if user.pk not in seated)
    with pytest.raises(ApplicationError) as refused:
        panels.expert_score_save(
            actor=outsider, entry=panel.entries.get(), decisions={}, submit=False
        )
    assert refused.value.status == 404


def expected_panel_result(submission, tier, majority):
    """The engine on the test's own input: every answer meets `tier`, evidence verified, then
    the majority decisions applied by hand."""
    rubric = rubric_of(submission.rubric_version)
    kind = submission.platform_kind
    answers = {}
    for indicator in rubric.indicators:
        if not indicator.applies_to(kind):
            continue
        status = EvidenceStatus.NONE if indicator.evidence == "none" else EvidenceStatus.VERIFIED
        answers[indicator.code] = AnswerInput(answer_meeting(indicator, kind, tier), status)
    for code, (status, value) in majority.items():
        answers[code] = AnswerInput(
            answers[code].value if value is None else value, evidence=status
        )
    return score(rubric, kind, {"P1": True, "P2": True}, answers)


def test_panel_result_is_the_engine_on_the_majority_and_concluding_moves_on():
    submission, official, _pool = provincial_setup()
    panel = panels.panel_form(actor=official, submissions=[submission], size=3, seed=5)
    first, second, third = [m.expert_id for m in panel.members.all()]
    panels_decisions = {
        # D1.2: 2 rejects against 1 agree → rejected
        first: {"D1.2": {"decision": "agree"}, "D1.1": {"decision": "corrected", "value": 50}},
        second: {"D1.2": {"decision": "rejected"}, "D1.1": {"decision": "corrected", "value": 50}},
        third: {
            "D1.2": {"decision": "rejected"},
            # D1.4 (ordinal, optional evidence): agree / reject / level 1 → tie → reject (e = 0)
            "D1.4": {"decision": "corrected", "value": 1},
        },
    }
    panels_decisions[second]["D1.4"] = {"decision": "rejected"}
    score_all(panel, panels_decisions)
    lead = panel.lead
    panels.panel_write_opinion(actor=lead, panel=panel, opinion="专家组一致认为平台达到成长级。")
    panels.defence_record(
        actor=official, panel=panel, submission=submission, held_on=date(2026, 11, 30),
        attendees="张三、李四", notes="平台负责人答辩。",
    )  # fmt: skip
    panels.panel_conclude(actor=official, panel=panel)
    entry = panel.entries.get()
    expected = expected_panel_result(
        submission,
        "growth",
        {
            "D1.2": (EvidenceStatus.REJECTED, None),
            "D1.1": (EvidenceStatus.CORRECTED, 50),
            "D1.4": (EvidenceStatus.REJECTED, None),
        },
    )
    assert entry.breakdown == expected.to_dict()
    assert entry.majority["D1.4"]["decision"] == "rejected"
    assert entry.majority["D1.4"]["tie"] is True
    assert entry.majority["D1.2"]["votes"] == {"agree": 1, "rejected": 2}
    submission.refresh_from_db()
    assert submission.proposed_tier == expected.result
    panel.refresh_from_db()
    assert panel.state == PanelState.CONCLUDED
    if expected.result == "growth":
        assert submission.state == "public_notice"
    else:
        assert submission.state == "not_certified"


def test_leading_panel_sends_to_site_check():
    submission = panel_submission(tier="leading")
    official = reviewer(is_national=True)
    for province in ("110000", "310000", "510000"):
        expert(province)
    panel = panels.panel_form(actor=official, submissions=[submission], size=3)
    score_all(panel, tier="leading")
    panels.panel_write_opinion(actor=panel.lead, panel=panel, opinion="同意。")
    panels.panel_conclude(actor=official, panel=panel)
    submission.refresh_from_db()
    assert (submission.state, submission.proposed_tier) == ("site_check", "leading")


def test_all_rejected_reaches_no_tier_and_is_not_certified():
    submission, official, _pool = provincial_setup()
    panel = panels.panel_form(actor=official, submissions=[submission], size=3)
    entry = panel.entries.get()
    everything_rejected = {code: {"decision": "rejected"} for code in agree_all(entry)}
    score_all(panel, {m.expert_id: everything_rejected for m in panel.members.all()})
    panels.panel_write_opinion(actor=panel.lead, panel=panel, opinion="证据不足。")
    panels.panel_conclude(actor=official, panel=panel)
    submission.refresh_from_db()
    # growth's indicators carry basic criteria too: rejecting them all fails every tier
    assert submission.proposed_tier == "not_rated"
    assert submission.state == "not_certified"


def test_conclusion_waits_for_every_expert_and_the_opinion():
    submission, official, _pool = provincial_setup()
    panel = panels.panel_form(actor=official, submissions=[submission], size=3)
    with pytest.raises(ApplicationError) as refused:
        panels.panel_conclude(actor=official, panel=panel)
    assert refused.value.code == "scores_missing"
    score_all(panel)
    with pytest.raises(ApplicationError) as refused:
        panels.panel_conclude(actor=official, panel=panel)
    assert refused.value.code == "opinion_missing"
    submission.refresh_from_db()
    assert submission.state == "expert_review"


def test_only_the_lead_writes_the_opinion():
    submission, official, _pool = provincial_setup()
    panel = panels.panel_form(actor=official, submissions=[submission], size=3)
    score_all(panel)
    other = PanelMember.objects.filter(panel=panel).exclude(expert=panel.lead).first().expert
    with pytest.raises(ApplicationError) as refused:
        panels.panel_write_opinion(actor=other, panel=panel, opinion="x")
    assert refused.value.code == "not_panel_lead"


def test_submission_cannot_sit_before_two_open_panels():
    submission, official, _pool = provincial_setup(experts=6)
    panels.panel_form(actor=official, submissions=[submission], size=3)
    with pytest.raises(ApplicationError) as refused:
        panels.panel_form(actor=official, submissions=[submission], size=3)
    assert refused.value.code == "already_on_panel"
    assert Panel.objects.count() == 1


def test_region_helper_is_a_province():
    assert region("440000").level == "province"


def test_even_panel_size_message_is_translated():
    from django.utils import translation

    submission, official, _pool = provincial_setup()
    with pytest.raises(ApplicationError) as refused:
        panels.panel_form(actor=official, submissions=[submission], size=4)
    assert refused.value.code == "panel_size_even"
    with translation.override("zh-hans"):
        assert "奇数" in str(refused.value.message)


def test_conflict_refusal_message_is_translated():
    from django.utils import translation

    submission, official, pool = provincial_setup()
    ConflictDeclaration.objects.create(
        reviewer=pool[0], organisation=submission.platform.organisation, reason="亲属任职"
    )
    with pytest.raises(ApplicationError) as refused:
        panels.panel_form(actor=official, submissions=[submission], size=3, named_experts=[pool[0]])
    with translation.override("zh-hans"):
        assert "已声明与申报单位存在利益冲突" in str(refused.value.message)


def test_drawn_experts_are_notified_in_both_languages():
    from assessment.models import Notification

    submission, official, _pool = provincial_setup()
    panel = panels.panel_form(actor=official, submissions=[submission], size=3)
    notices = Notification.objects.filter(kind="panel_drawn")
    assert set(notices.values_list("recipient_id", flat=True)) == set(
        panel.members.values_list("expert_id", flat=True)
    )
    assert "专家组" in notices.first().message_zh_hans
