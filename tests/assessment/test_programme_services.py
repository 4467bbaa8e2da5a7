"""The programme's routes in the services: calls and the tier applied for, the basic spot check,
growth to its panel, the leading recommendation within the quota, the formal check, the
central-enterprise route, the notice with objections, the publication, and separation of
duties (a refused action changes nothing)."""

import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone

from assessment.errors import ApplicationError
from assessment.models import (
    Certification,
    NoticeEntry,
    Objection,
    Publication,
    PublicNotice,
    RecommendationEntry,
    SpotCheckDraw,
    Submission,
    SubmissionEvent,
)
from assessment.services import programme, reviews
from assessment.services.evidence_files import in_memory_file
from assessment.services.submissions import submission_submit
from tests.assessment.programme_fixtures import (
    PROVINCE,
    on_notice,
    propose,
    proposed,
    recommended,
)
from tests.factories import (
    OrganisationFactory,
    answered_submission,
    call_for_applications,
    ministry_official,
    pdf_bytes,
    programme_submission,
    provincial_lead,
    region,
    reviewer,
    to_public_notice,
)

pytestmark = pytest.mark.django_db


# --- Calls and the tier applied for --------------------------------------------------------------


def test_submit_under_a_call_needs_the_tier_applied_for():
    call = call_for_applications()
    submission = answered_submission(tier="basic", state="draft", cycle=call.cycle)
    operator = submission.created_by
    with pytest.raises(ApplicationError) as refused:
        submission_submit(actor=operator, submission=submission)
    assert refused.value.code == "tier_not_applied"
    assert Submission.objects.get(pk=submission.pk).state == "draft"
    programme.tier_apply(actor=operator, submission=submission, tier="basic")
    submission_submit(actor=operator, submission=submission)
    assert Submission.objects.get(pk=submission.pk).state == "submitted"


def test_tier_outside_the_call_is_refused_and_changes_nothing():
    call = call_for_applications(tiers=["basic", "growth"])
    submission = answered_submission(tier="basic", state="draft", cycle=call.cycle)
    with pytest.raises(ApplicationError) as refused:
        programme.tier_apply(actor=submission.created_by, submission=submission, tier="leading")
    assert refused.value.code == "tier_not_open"
    assert Submission.objects.get(pk=submission.pk).tier_applied == ""


def test_submit_after_the_window_closed_is_refused():
    now = timezone.now()
    call = call_for_applications(
        opens_at=now - timedelta(days=10), closes_at=now - timedelta(days=1)
    )
    submission = answered_submission(
        tier="basic", state="draft", cycle=call.cycle, tier_applied="basic"
    )
    with pytest.raises(ApplicationError) as refused:
        submission_submit(actor=submission.created_by, submission=submission)
    assert refused.value.code == "call_closed"


def test_call_pattern_without_number_is_refused():
    official = ministry_official()
    call = call_for_applications()
    with pytest.raises(ApplicationError) as refused:
        programme.call_publish(
            actor=official,
            cycle=call.cycle,
            region=region(PROVINCE),
            title_zh_hans="广东省申报通知",
            title_en="Guangdong call",
            opens_at=timezone.now(),
            closes_at=timezone.now() + timedelta(days=3),
            tiers=["basic"],
        )
    assert refused.value.code == "not_provincial"
    with pytest.raises(ApplicationError) as refused:
        programme.call_publish(
            actor=reviewer(PROVINCE),
            cycle=call.cycle,
            region=region(PROVINCE),
            title_zh_hans="广东省申报通知",
            title_en="Guangdong call",
            opens_at=timezone.now(),
            closes_at=timezone.now() + timedelta(days=3),
            tiers=["basic", "leading"],
        )
    assert refused.value.code == "tier_not_provincial"


# --- Basic: the spot check -----------------------------------------------------------------------


def _closed_basic_call(count):
    now = timezone.now()
    call = call_for_applications(opens_at=now - timedelta(days=20), closes_at=now)
    submissions = [
        answered_submission(tier="basic", cycle=call.cycle, tier_applied="basic")
        for _index in range(count)
    ]
    # What the operator claims (the result if the evidence holds), as submission_submit sets it.
    Submission.objects.filter(pk__in=[s.pk for s in submissions]).update(claimed_result="basic")
    return call, submissions


def test_spot_check_draws_a_reproducible_fifth_and_certifies_the_rest():
    call, submissions = _closed_basic_call(10)
    draw = programme.spot_check_draw(actor=reviewer(PROVINCE), call=call, province_code=PROVINCE)
    assert len(draw.sample) == 2
    assert draw.sample == programme.draw_sample(draw.population, percent=20, seed=draw.seed)
    states = dict(Submission.objects.values_list("pk", "state"))
    for submission in submissions:
        expected = "submitted" if submission.pk in draw.sample else "certified"
        assert states[submission.pk] == expected
    certified = Certification.objects.filter(status="certified")
    assert certified.count() == 8
    assert all(c.signed_off_by_id == draw.drawn_by_id for c in certified)
    assert all(c.proposed_by_id != c.signed_off_by_id for c in certified)


def test_draw_sample_is_the_same_for_the_same_seed_and_differs_for_another():
    population = list(range(1, 101))
    first = programme.draw_sample(population, percent=20, seed="2027:1:440000")
    assert first == programme.draw_sample(population, percent=20, seed="2027:1:440000")
    assert len(first) == 20
    assert first != programme.draw_sample(population, percent=20, seed="2027:1:320000")


def test_spot_check_before_the_call_closes_is_refused_and_changes_nothing():
    call = call_for_applications()
    answered_submission(tier="basic", cycle=call.cycle, tier_applied="basic")
    with pytest.raises(ApplicationError) as refused:
        programme.spot_check_draw(actor=reviewer(PROVINCE), call=call, province_code=PROVINCE)
    assert refused.value.code == "call_still_open"
    assert not SpotCheckDraw.objects.exists()
    assert not Certification.objects.exists()


def test_another_provinces_official_cannot_draw():
    call, _submissions = _closed_basic_call(2)
    with pytest.raises(ApplicationError) as refused:
        programme.spot_check_draw(actor=reviewer("320000"), call=call, province_code=PROVINCE)
    assert refused.value.code == "not_provincial"


def test_self_assessment_below_basic_is_not_certified():
    call, (submission,) = _closed_basic_call(1)
    Submission.objects.filter(pk=submission.pk).update(claimed_result="not_rated")
    call.spot_check_percent = 0
    call.save()
    programme.spot_check_draw(actor=reviewer(PROVINCE), call=call, province_code=PROVINCE)
    assert Submission.objects.get(pk=submission.pk).state == "not_certified"


def test_sampled_basic_is_certified_by_its_reviewer():
    call = call_for_applications()
    submission = programme_submission(call=call, tier="basic")
    certification = propose(submission)
    assert certification.status == "certified"
    assert Submission.objects.get(pk=submission.pk).state == "certified"


# --- Growth --------------------------------------------------------------------------------------


def test_growth_goes_from_provincial_review_to_the_panel():
    call = call_for_applications()
    submission = programme_submission(call=call, tier="growth")
    certification = propose(submission)
    submission.refresh_from_db()
    assert certification.status == "in_programme"
    assert submission.state == "expert_review"
    assert submission.proposed_tier == "growth"


def test_proposal_is_capped_at_the_tier_applied_for():
    call = call_for_applications()
    submission = programme_submission(call=call, tier="growth", result="leading")
    assert propose(submission).tier == "growth"


# --- Leading: recommendation and quota -----------------------------------------------------------


def test_leading_proposal_awaits_the_provinces_recommendation():
    call = call_for_applications()
    (submission,) = proposed(call)
    submission.refresh_from_db()
    assert submission.state == "in_review"
    assert submission.proposed_tier == "leading"
    candidates = programme.recommendation_candidates(call, province_code=PROVINCE, tier="leading")
    assert list(candidates) == [submission]


def test_decisions_wait_while_the_proposal_is_on_the_route():
    call = call_for_applications()
    (submission,) = proposed(call)
    with pytest.raises(ApplicationError) as refused:
        reviews.review_decide(
            actor=submission.assigned_reviewer,
            submission=submission,
            question_code="D1.1",
            decision="verified",
        )
    assert refused.value.code == "proposed_in_programme"


def test_signed_recommendation_moves_the_ranked_list_torecommended():
    call = call_for_applications()
    first, second = proposed(call, 2)
    lead = provincial_lead(PROVINCE)
    recommendation = programme.recommendation_sign(
        actor=lead,
        call=call,
        province_code=PROVINCE,
        tier="leading",
        entries=[(second, "行业标杆"), (first, "示范作用明显")],
    )
    ranks = dict(recommendation.entries.values_list("submission_id", "rank"))
    assert ranks == {second.pk: 1, first.pk: 2}
    assert set(Submission.objects.values_list("state", flat=True)) == {"recommended"}
    assert SubmissionEvent.objects.filter(kind="recommended", actor=lead).count() == 2


def test_recommendation_over_the_quota_is_refused_and_changes_nothing():
    call = call_for_applications(quota_leading=1)
    first, second = proposed(call, 2)
    with pytest.raises(ApplicationError) as refused:
        programme.recommendation_sign(
            actor=provincial_lead(PROVINCE),
            call=call,
            province_code=PROVINCE,
            tier="leading",
            entries=[(first, "意见"), (second, "意见")],
        )
    assert refused.value.code == "over_quota"
    assert "1" in str(refused.value.message)
    assert not RecommendationEntry.objects.exists()
    assert set(Submission.objects.values_list("state", flat=True)) == {"in_review"}


def test_province_quota_override_counts_earlier_recommendations():
    from assessment.models import ProvinceQuota

    call = call_for_applications(quota_leading=3)
    ProvinceQuota.objects.create(call=call, region_id=PROVINCE, tier="leading", quota=1)
    first, second = proposed(call, 2)
    lead = provincial_lead(PROVINCE)
    programme.recommendation_sign(
        actor=lead, call=call, province_code=PROVINCE, tier="leading", entries=[(first, "意见")]
    )
    assert _refused_recommendation(lead, call, [(second, "意见")]).code == "over_quota"


def _refused_recommendation(actor, call, entries) -> ApplicationError:
    """The error `actor` gets signing PROVINCE's leading recommendation of `entries`."""
    with pytest.raises(ApplicationError) as refused:
        programme.recommendation_sign(
            actor=actor, call=call, province_code=PROVINCE, tier="leading", entries=entries
        )
    return refused.value


def test_recommendation_without_an_opinion_is_refused():
    call = call_for_applications()
    (submission,) = proposed(call)
    refused = _refused_recommendation(provincial_lead(PROVINCE), call, [(submission, "  ")])
    assert refused.field == "entries.0.opinion"
    assert Submission.objects.get(pk=submission.pk).state == "in_review"


def test_proposer_cannot_sign_the_recommendation():
    call = call_for_applications()
    (submission,) = proposed(call)
    proposer = submission.assigned_reviewer
    proposer.is_lead_reviewer = True
    proposer.save()
    refused = _refused_recommendation(proposer, call, [(submission, "意见")])
    assert refused.code == "proposer_cannot_sign"
    assert Submission.objects.get(pk=submission.pk).state == "in_review"


@pytest.mark.parametrize(
    "signer",
    [
        lambda: reviewer(PROVINCE),  # not a lead
        lambda: provincial_lead("320000"),  # another province
        lambda: ministry_official(is_lead_reviewer=True),  # national: never instead of province
    ],
)
def test_only_a_lead_of_the_province_signs(signer):
    call = call_for_applications()
    (submission,) = proposed(call)
    refused = _refused_recommendation(signer(), call, [(submission, "意见")])
    assert refused.code == "not_provincial_lead"
    assert Submission.objects.get(pk=submission.pk).state == "in_review"


# --- Formal check --------------------------------------------------------------------------------


def test_formal_check_passes_to_the_expert_panel():
    call = call_for_applications()
    (submission,) = recommended(call)
    programme.formal_check_decide(
        actor=ministry_official(), submission=submission, complete=True, eligible=True
    )
    assert Submission.objects.get(pk=submission.pk).state == "expert_review"


def test_formal_check_returns_to_the_province_with_a_reason_and_frees_the_quota():
    call = call_for_applications(quota_leading=1)
    (submission,) = recommended(call)
    with pytest.raises(ApplicationError) as refused:
        programme.formal_check_decide(
            actor=ministry_official(), submission=submission, complete=False, eligible=True
        )
    assert refused.value.field == "reason"
    assert Submission.objects.get(pk=submission.pk).state == "recommended"
    programme.formal_check_decide(
        actor=ministry_official(),
        submission=submission,
        complete=False,
        eligible=True,
        reason="缺少近三年财务审计报告",
    )
    submission.refresh_from_db()
    assert submission.state == "in_review"
    assert submission.proposed_tier == ""
    assert not Certification.objects.filter(submission=submission).exists()
    assert programme.quota_used(call, province_code=PROVINCE, tier="leading") == 0
    event = submission.events.filter(kind="state_changed").last()
    assert (event.from_state, event.to_state, event.note) == (
        "recommended",
        "in_review",
        "缺少近三年财务审计报告",
    )


def test_provincial_official_cannot_do_the_formal_check():
    call = call_for_applications()
    (submission,) = recommended(call)
    with pytest.raises(ApplicationError) as refused:
        programme.formal_check_decide(
            actor=provincial_lead(PROVINCE), submission=submission, complete=True, eligible=True
        )
    assert refused.value.code == "not_ministry"
    assert Submission.objects.get(pk=submission.pk).state == "recommended"


def test_national_step_never_bypasses_the_province():
    """A national reviewer's proposal for a non-central applicant still waits for the
    province's recommendation, and the formal check refuses what the province did not send."""
    call = call_for_applications()
    national = ministry_official()
    submission = programme_submission(call=call, tier="leading")
    Submission.objects.filter(pk=submission.pk).update(assigned_reviewer=national)
    submission.refresh_from_db()
    reviews.certification_propose(actor=national, submission=submission)
    assert Submission.objects.get(pk=submission.pk).state == "in_review"
    with pytest.raises(ApplicationError) as refused:
        programme.formal_check_decide(
            actor=ministry_official(), submission=submission, complete=True, eligible=True
        )
    assert refused.value.code == "wrong_state"


def test_legacy_sign_off_cannot_shortcut_the_programme():
    call = call_for_applications()
    (submission,) = proposed(call)
    proposal = Certification.objects.get(submission=submission)
    with pytest.raises(ApplicationError) as refused:
        reviews.certification_sign_off(actor=ministry_official(), certification=proposal)
    assert refused.value.code == "not_awaiting_sign_off"
    assert Certification.objects.get(pk=proposal.pk).status == "in_programme"


# --- Central enterprises -------------------------------------------------------------------------


def test_central_enterprise_goes_directly_to_the_ministry():
    call = call_for_applications()
    organisation = OrganisationFactory(is_central=True, region=region("440300"))
    submission = programme_submission(
        call=call, tier="leading", platform__organisation=organisation
    )
    with pytest.raises(ApplicationError) as refused:
        propose(submission)  # a provincial reviewer
    assert refused.value.code == "central_enterprise"
    national = ministry_official()
    Submission.objects.filter(pk=submission.pk).update(assigned_reviewer=national)
    submission.refresh_from_db()
    reviews.certification_propose(actor=national, submission=submission)
    assert Submission.objects.get(pk=submission.pk).state == "recommended"
    assert not programme.recommendation_candidates(call, province_code=PROVINCE, tier="leading")
    with pytest.raises(ApplicationError) as refused:
        programme.formal_check_decide(
            actor=national, submission=submission, complete=True, eligible=True
        )
    assert refused.value.code == "proposer_cannot_sign"
    programme.formal_check_decide(
        actor=ministry_official(), submission=submission, complete=True, eligible=True
    )
    assert Submission.objects.get(pk=submission.pk).state == "expert_review"


# --- Public notice and objections ----------------------------------------------------------------


def test_notice_period_skips_weekends():
    friday = date(2027, 3, 5)
    assert programme.notice_period(friday, 5) == (friday, date(2027, 3, 11))
    saturday = date(2027, 3, 6)
    assert programme.notice_period(saturday, 5) == (date(2027, 3, 8), date(2027, 3, 12))
    assert programme.notice_period(date(2027, 3, 8), 1) == (date(2027, 3, 8), date(2027, 3, 8))


def _on_notice(call, count=1):
    return on_notice(call, count, starts_on=date(2027, 3, 5))


def _file(entry, today=date(2027, 3, 8), **fields):
    fields.setdefault("name", "张三")
    fields.setdefault("phone", "13800000000")
    fields.setdefault("text", "该平台连接设备数据失实。")
    return programme.objection_file(entry=entry, today=today, **fields)


def test_notice_lists_the_proposed_tier():
    call = call_for_applications()
    notice, (submission,) = _on_notice(call)
    assert (notice.starts_on, notice.ends_on) == (date(2027, 3, 5), date(2027, 3, 11))
    entry = notice.entries.get()
    assert (entry.submission_id, entry.proposed_tier) == (submission.pk, "leading")


def test_provincial_official_cannot_publish_the_ministry_notice():
    call = call_for_applications()
    (submission,) = recommended(call)
    programme.formal_check_decide(
        actor=ministry_official(), submission=submission, complete=True, eligible=True
    )
    to_public_notice(submission, tier="leading")
    with pytest.raises(ApplicationError) as refused:
        programme.notice_publish(actor=provincial_lead(PROVINCE), call=call, province_code=None)
    assert refused.value.code == "not_ministry"
    assert not PublicNotice.objects.exists()


def test_objection_with_an_attachment_is_kept_on_record():
    call = call_for_applications()
    notice, (submission,) = _on_notice(call)
    objection = _file(
        notice.entries.get(), files=[in_memory_file(pdf_bytes("异议材料"), "异议.pdf")]
    )
    attachment = objection.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert submission.events.filter(kind="objection_filed").exists()


def test_objection_after_the_period_is_refused_and_changes_nothing():
    call = call_for_applications()
    notice, _submissions = _on_notice(call)
    with pytest.raises(ApplicationError) as refused:
        _file(notice.entries.get(), today=date(2027, 3, 12))
    assert refused.value.code == "notice_closed"
    assert not Objection.objects.exists()


def test_objection_with_an_executable_is_refused():
    call = call_for_applications()
    notice, _submissions = _on_notice(call)
    with pytest.raises(ApplicationError) as refused:
        _file(notice.entries.get(), files=[in_memory_file(b"MZ\x90\x00" * 10, "a.pdf")])
    assert refused.value.field == "file"
    assert not Objection.objects.exists()


def test_upheld_objection_sends_the_platform_back_to_review():
    call = call_for_applications()
    notice, (submission,) = _on_notice(call)
    objection = _file(notice.entries.get())
    programme.objection_answer(
        actor=ministry_official(), objection=objection, upheld=True, answer="经核实，数据有误。"
    )
    submission.refresh_from_db()
    assert submission.state == "in_review"
    assert submission.proposed_tier == ""
    assert NoticeEntry.objects.get().withdrawn_at is not None
    assert Objection.objects.get().status == "upheld"


def test_dismissal_needs_a_reason():
    call = call_for_applications()
    notice, (submission,) = _on_notice(call)
    objection = _file(notice.entries.get())
    with pytest.raises(ApplicationError) as refused:
        programme.objection_answer(
            actor=ministry_official(), objection=objection, upheld=False, answer=""
        )
    assert refused.value.field == "answer"
    assert Objection.objects.get().status == "open"
    programme.objection_answer(
        actor=ministry_official(), objection=objection, upheld=False, answer="经核实，数据属实。"
    )
    assert Submission.objects.get(pk=submission.pk).state == "public_notice"


# --- Publication ---------------------------------------------------------------------------------


def test_publication_certifies_with_a_decision_number_for_three_years():
    call = call_for_applications(decision_number_pattern="工信厅信发〔{year}〕{number}号")
    notice, (first, second) = _on_notice(call, 2)
    publisher = ministry_official()
    publication = programme.publication_issue(
        actor=publisher, notice=notice, today=date(2027, 3, 12)
    )
    year = timezone.localdate().year
    assert publication.decision_number == f"工信厅信发〔{year}〕1号"
    for submission in (first, second):
        certification = Certification.objects.get(submission=submission)
        assert certification.status == "certified"
        assert certification.tier == "leading"
        assert certification.signed_off_by == publisher
        assert certification.proposed_by == submission.assigned_reviewer
        today = timezone.localdate()
        assert certification.valid_until == today.replace(year=today.year + 3)
        assert Submission.objects.get(pk=submission.pk).state == "certified"


def test_publication_while_the_notice_runs_is_refused():
    call = call_for_applications()
    notice, (submission,) = _on_notice(call)
    with pytest.raises(ApplicationError) as refused:
        programme.publication_issue(
            actor=ministry_official(), notice=notice, today=date(2027, 3, 11)
        )
    assert refused.value.code == "notice_running"
    assert not Publication.objects.exists()
    assert Submission.objects.get(pk=submission.pk).state == "public_notice"


def test_publication_waits_for_every_objection_to_be_answered():
    call = call_for_applications()
    notice, _submissions = _on_notice(call)
    _file(notice.entries.get())
    with pytest.raises(ApplicationError) as refused:
        programme.publication_issue(
            actor=ministry_official(), notice=notice, today=date(2027, 3, 12)
        )
    assert refused.value.code == "objections_open"


def test_proposer_cannot_publish_their_own_proposal():
    call = call_for_applications()
    notice, (submission,) = _on_notice(call)
    proposer = submission.assigned_reviewer
    proposer.is_national = True
    proposer.save()
    with pytest.raises(ApplicationError) as refused:
        programme.publication_issue(actor=proposer, notice=notice, today=date(2027, 3, 12))
    assert refused.value.code == "proposer_cannot_sign"
    assert not Publication.objects.exists()
    assert Submission.objects.get(pk=submission.pk).state == "public_notice"


def test_every_step_is_an_event_in_time_order():
    call = call_for_applications()
    notice, (submission,) = _on_notice(call)
    programme.publication_issue(actor=ministry_official(), notice=notice, today=date(2027, 3, 12))
    events = list(submission.events.order_by("id"))
    assert [e.created_at for e in events] == sorted(e.created_at for e in events)
    # Each step in order; a panel and an on-site check record an event per act (scores, items).
    steps = [
        kind for kind, _ in itertools.groupby(e.kind for e in events if e.kind != "state_changed")
    ]
    assert steps == [
        "certification_proposed",
        "recommended",
        "formal_check",
        "panel",
        "site_check",
        "notice_listed",
        "published",
        "certified",
    ]
    assert all(e.actor_id for e in events)
    transitions = [e.to_state for e in events if e.kind == "state_changed"]
    assert transitions == [
        "recommended",
        "expert_review",
        "site_check",
        "public_notice",
        "certified",
    ]


def test_operator_can_switch_from_a_provincial_tier_to_a_ministry_tier():
    """Regression: with basic applied for, the province's call governed and leading (only in
    the ministry's call) was refused."""
    call = call_for_applications()
    call_for_applications(cycle=call.cycle, region=region(PROVINCE), tiers=["basic", "growth"])
    submission = answered_submission(tier="basic", state="draft", cycle=call.cycle)
    operator = submission.created_by
    programme.tier_apply(actor=operator, submission=submission, tier="basic")
    assert programme.call_for_submission(submission).region_id == PROVINCE
    programme.tier_apply(actor=operator, submission=submission, tier="leading")
    submission.refresh_from_db()
    assert submission.tier_applied == "leading"
    assert programme.call_for_submission(submission) == call
