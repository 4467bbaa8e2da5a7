"""The review desk's pages through the test client: queue filters and query counts, the review
screen and its refusals, revision and certification forms, notifications, the public register."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessment.models import Certification, Notification, Submission
from assessment.models.reviews import CertificationStatus
from assessment.selectors.reviews import missing_required_checks
from assessment.services import reviews, submissions
from assessment.services.scoring import submission_score
from tests.factories import (
    CycleFactory,
    OrganisationFactory,
    PlatformFactory,
    admin,
    answered_submission,
    operator,
    region,
    reviewer,
)

pytestmark = pytest.mark.django_db

ENGLISH = {"django_language": "en"}


def in_review(**fields):
    submission = answered_submission(**fields)
    desk = reviewer("440000")
    reviews.review_assign(actor=desk, submission=submission, reviewer=desk)
    reviews.review_start(actor=desk, submission=submission)
    return submission, desk


def certified(tier="basic", **fields):
    submission, desk = in_review(tier=tier, **fields)
    for code in missing_required_checks(submission=submission, result=submission_score(submission)):
        reviews.review_decide(
            actor=desk, submission=submission, question_code=code, decision="verified"
        )
    return reviews.certification_propose(actor=desk, submission=submission)


# --- Queue ---------------------------------------------------------------------------------------


def test_queue_query_count_does_not_grow_with_the_rows(client, django_assert_max_num_queries):
    desk = reviewer("440000", is_lead_reviewer=True)
    for _ in range(3):
        answered_submission()
    client.force_login(desk)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("review_queue"))
    for _ in range(6):
        answered_submission()
    with django_assert_max_num_queries(12):
        second = client.get(reverse("review_queue"))
    assert len(first.context["page"].object_list) == 3
    assert len(second.context["page"].object_list) == 9


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "submitted"}, {"submitted", "guangzhou", "specialized"}),
        ({"state": "in_review"}, {"in_review"}),
        ({"kind": "specialized"}, {"specialized"}),
        ({"region": "440100"}, {"guangzhou"}),
        ({"region": "440000"}, {"guangzhou", "submitted", "in_review", "specialized"}),
        ({"assigned": "mine"}, {"in_review"}),
        ({"assigned": "unassigned"}, {"guangzhou", "submitted", "specialized"}),
        ({"waiting": "30"}, {"submitted"}),
        ({"q": "广州"}, {"guangzhou"}),
        ({"cycle": "other"}, {"specialized"}),
    ],
)
def test_queue_filters(client, query, expected):
    now = timezone.now()
    other_cycle = CycleFactory()
    if query.get("cycle") == "other":
        query = {"cycle": other_cycle.code}
    guangzhou = OrganisationFactory(region=region("440100"), name="广州某科技有限公司")
    rows = {
        "submitted": answered_submission(submitted_at=now - timedelta(days=40)),
        "guangzhou": answered_submission(platform=PlatformFactory(organisation=guangzhou)),
        "specialized": answered_submission(
            platform=PlatformFactory(kind="specialized"), cycle=other_cycle
        ),
    }
    rows["in_review"], desk = in_review()
    client.force_login(desk)
    response = client.get(reverse("review_queue"), query)
    listed = {submission.pk for submission in response.context["page"].object_list}
    assert listed == {rows[name].pk for name in expected}


def test_queue_sorts_by_waiting_time_longest_first(client):
    now = timezone.now()
    recent = answered_submission(submitted_at=now - timedelta(days=1))
    oldest = answered_submission(submitted_at=now - timedelta(days=50))
    middle = answered_submission(submitted_at=now - timedelta(days=10))
    client.force_login(reviewer("440000"))
    response = client.get(reverse("review_queue"), {"sort": "waiting"})
    assert [s.pk for s in response.context["page"].object_list] == [oldest.pk, middle.pk, recent.pk]


def test_queue_leaves_out_drafts(client):
    draft = answered_submission(state="draft")
    client.force_login(reviewer("440000"))
    response = client.get(reverse("review_queue"), {"state": "all"})
    assert draft.pk not in [s.pk for s in response.context["page"].object_list]


def test_self_assignment_from_the_queue(client):
    submission = answered_submission()
    desk = reviewer("440000")
    client.force_login(desk)
    response = client.post(
        reverse("review_assign"), {"submission": [submission.pk], "reviewer": "self"}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.assigned_reviewer == desk


def test_lead_assigns_several_submissions_at_once(client):
    first, second = answered_submission(), answered_submission()
    lead = reviewer("440000", is_lead_reviewer=True)
    colleague = reviewer("440000")
    client.force_login(lead)
    client.post(
        reverse("review_assign"),
        {"submission": [first.pk, second.pk], "reviewer": str(colleague.pk)},
    )
    assert set(
        Submission.objects.filter(assigned_reviewer=colleague).values_list("pk", flat=True)
    ) == {first.pk, second.pk}


# --- Review screen -------------------------------------------------------------------------------


def test_review_screen_query_count_is_fixed(client, django_assert_max_num_queries):
    submission, desk = in_review()
    client.force_login(desk)
    client.get(reverse("review_detail", args=[submission.pk]))  # the rubric is parsed once
    with django_assert_max_num_queries(20):
        client.get(reverse("review_detail", args=[submission.pk]))
    for code in ("D1.1", "D1.2", "D2.1", "D8.1"):
        reviews.review_decide(
            actor=desk, submission=submission, question_code=code, decision="verified"
        )
    with django_assert_max_num_queries(20):
        response = client.get(reverse("review_detail", args=[submission.pk]))
    assert response.status_code == 200


def test_review_screen_shows_live_and_claimed_score_and_required_checks(client):
    submission, desk = in_review(tier="growth")
    client.force_login(desk)
    response = client.get(reverse("review_detail", args=[submission.pk]))
    screen = response.context["screen"]
    assert screen.live.result == submission_score(submission).result
    assert screen.claimed.result == submission.claimed_result
    assert screen.missing == missing_required_checks(
        submission=submission, result=submission_score(submission)
    )
    content = response.content.decode()
    for code in screen.missing:
        assert f'href="#ind-{code}"' in content


def test_queue_and_review_screen_state_the_same_claim(client):
    # One definition of the operator's claim: the queue column and the screen's panel agree
    # (the screen said "not rated" where the queue said the tier the evidence would give).
    submission = answered_submission(tier="growth", state="draft")
    submissions.submission_submit(actor=submission.created_by, submission=submission)
    desk = reviewer("440000")
    reviews.review_assign(actor=desk, submission=submission, reviewer=desk)
    client.force_login(desk)
    queue = client.get(reverse("review_queue"), {"state": "all"})
    row = next(row for row in queue.context["page"].object_list if row.pk == submission.pk)
    screen = client.get(reverse("review_detail", args=[submission.pk])).context["screen"]
    assert row.claimed == screen.claimed.result == "growth"
    assert submission_score(submission).result == "not_rated"


def test_verifying_from_the_screen_records_the_decision(client):
    submission, desk = in_review()
    client.force_login(desk)
    response = client.post(
        reverse("review_decide", args=[submission.pk, "D8.1"]), {"decision": "verified"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#ind-D8.1")
    assert submission.review_decisions.get(is_current=True).decision == "verified"


def test_rejection_without_reason_is_shown_beside_the_field(client):
    submission, desk = in_review()
    client.force_login(desk)
    client.cookies.load(ENGLISH)
    response = client.post(
        reverse("review_decide", args=[submission.pk, "D1.1"]), {"decision": "rejected"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="err-D1.1-reason"' in content
    assert 'aria-describedby="err-D1.1-reason"' in content
    assert "Give the reason for rejecting the evidence." in content
    assert not submission.review_decisions.exists()


def test_invalid_corrected_value_is_refused_with_a_message(client):
    submission, desk = in_review()
    client.force_login(desk)
    response = client.post(
        reverse("review_decide", args=[submission.pk, "D1.1"]),
        {"decision": "corrected", "corrected_value": "-4"},
    )
    assert response.status_code == 400
    assert 'id="err-D1.1-corrected"' in response.content.decode()


def test_decision_on_an_unknown_indicator_is_refused_with_a_message(client):
    submission, desk = in_review()
    client.force_login(desk)
    client.cookies.load(ENGLISH)
    response = client.post(
        reverse("review_decide", args=[submission.pk, "Z9.9"]), {"decision": "verified"}
    )
    assert response.status_code == 400
    assert "Z9.9 is not an indicator of rubric iip-2026@1.0." in response.content.decode()


def test_revision_request_from_the_screen(client, django_capture_on_commit_callbacks):
    submission, desk = in_review()
    member = operator(organisation=submission.platform.organisation)
    client.force_login(desk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("review_request_revision", args=[submission.pk]),
            {"question_codes": ["D1.1", "D1.2"], "message": "请补充证明材料"},
        )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == "revision_requested"
    operators = {member.email, submission.created_by.email}
    assert sorted(message.to[0] for message in mail.outbox) == sorted(operators)
    assert "请补充证明材料" in mail.outbox[0].body


def test_revision_request_without_indicators_is_refused(client):
    submission, desk = in_review()
    client.force_login(desk)
    response = client.post(
        reverse("review_request_revision", args=[submission.pk]), {"message": "请补充"}
    )
    assert response.status_code == 400
    assert 'id="err-revision-codes"' in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == "in_review"


def test_certification_with_missing_checks_lists_them(client):
    submission, desk = in_review()
    client.force_login(desk)
    response = client.post(reverse("certification_propose", args=[submission.pk]))
    assert response.status_code == 400
    missing = missing_required_checks(submission=submission, result=submission_score(submission))
    message = response.content.decode()
    assert all(code in message for code in missing)
    assert not Certification.objects.exists()


def test_national_reviewer_signs_off_from_the_screen(client):
    proposal = certified(tier="leading")
    assert proposal.status == CertificationStatus.AWAITING_SIGN_OFF
    national = reviewer(is_national=True)
    client.force_login(national)
    screen = client.get(reverse("review_detail", args=[proposal.submission_id]))
    assert screen.context["screen"].can_sign_off
    response = client.post(
        reverse("certification_sign_off", args=[proposal.pk]), {"action": "sign_off"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.signed_off_by) == ("certified", national)


def test_decline_without_reason_is_refused_back_on_the_screen(client):
    # The refusal used to render at the POST URL (a reload posted again).
    proposal = certified(tier="leading")
    client.force_login(reviewer(is_national=True))
    client.cookies.load(ENGLISH)
    response = client.post(
        reverse("certification_sign_off", args=[proposal.pk]), {"action": "decline"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("review_detail", args=[proposal.submission_id]) + (
        "#sign_off"
    )
    proposal.refresh_from_db()
    assert proposal.status == CertificationStatus.AWAITING_SIGN_OFF
    screen = client.get(response["Location"])
    content = screen.content.decode()
    assert 'id="err-decline"' in content
    assert 'aria-describedby="err-decline"' in content
    # Shown once: a reload of the screen no longer carries the refusal.
    assert 'id="err-decline"' not in client.get(response["Location"]).content.decode()


def test_revoking_asks_for_confirmation_first(client):
    proposal = certified(tier="basic")
    lead = reviewer("440000", is_lead_reviewer=True)
    client.force_login(lead)
    screen = client.get(reverse("review_detail", args=[proposal.submission_id]))
    revoke_url = reverse("certification_revoke", args=[proposal.pk])
    assert f'href="{revoke_url}"' in screen.content.decode()
    confirmation = client.get(revoke_url)
    assert confirmation.status_code == 200
    assert proposal.submission.platform.name in confirmation.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == CertificationStatus.CERTIFIED
    refused = client.post(revoke_url, {"reason": ""})
    assert refused.status_code == 400
    assert 'id="err-revoke"' in refused.content.decode()
    done = client.post(revoke_url, {"reason": "发现数据不实"})
    assert done.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == CertificationStatus.REVOKED


def test_revoke_confirmation_is_404_for_a_reviewer_who_may_not_revoke(client):
    proposal = certified(tier="basic")
    client.force_login(reviewer("440000"))
    assert client.get(reverse("certification_revoke", args=[proposal.pk])).status_code == 404


def test_the_national_queue_offers_no_self_assignment_on_a_row_awaiting_sign_off(client):
    proposal = certified(tier="leading")
    client.force_login(reviewer(is_national=True))
    response = client.get(reverse("review_queue"), {"state": "all"})
    (row,) = [r for r in response.context["page"].object_list if r.pk == proposal.submission_id]
    assert row.awaiting_sign_off
    content = response.content.decode()
    assert f'form="self-assign-form" name="submission" value="{row.pk}"' not in content


# --- Notifications -------------------------------------------------------------------------------


def test_operator_sees_their_notifications_in_their_language(client):
    submission, desk = in_review()
    member = operator(organisation=submission.platform.organisation)
    reviews.review_request_revision(
        actor=desk, submission=submission, question_codes=["D1.1"], message="补充"
    )
    client.force_login(member)
    client.cookies.load(ENGLISH)
    response = client.get(reverse("notifications"))
    (item,) = response.context["items"]
    assert item["message"] == Notification.objects.get(recipient=member).message_en
    assert item["link"] == reverse("operator_submission_continue", args=[submission.pk])


def test_the_unread_count_counts_only_the_users_unread_notifications(client):
    submission, desk = in_review()
    member = operator(organisation=submission.platform.organisation)
    reviews.review_request_revision(
        actor=desk, submission=submission, question_codes=["D1.1"], message="补充"
    )
    Notification.objects.create(
        recipient=member, kind="revision_requested", message_zh_hans="甲", message_en="a"
    )
    url = reverse("notifications_unread")
    assert client.get(url).status_code == 302  # signed out: to the sign-in page
    client.force_login(member)
    unread = Notification.objects.filter(recipient=member, read_at__isnull=True).count()
    assert unread >= 2
    assert client.get(url).json()["unread"] == unread
    client.post(reverse("notifications_read"))
    assert client.get(url).json()["unread"] == 0
    client.force_login(operator())
    assert client.get(url).json()["unread"] == 0


def test_notifications_are_private(client):
    submission, desk = in_review()
    operator(organisation=submission.platform.organisation)
    reviews.review_request_revision(
        actor=desk, submission=submission, question_codes=["D1.1"], message="补充"
    )
    client.force_login(operator())
    assert client.get(reverse("notifications")).context["items"] == []


def test_marking_notifications_read(client):
    submission, desk = in_review()
    member = operator(organisation=submission.platform.organisation)
    reviews.review_request_revision(
        actor=desk, submission=submission, question_codes=["D1.1"], message="补充"
    )
    client.force_login(member)
    client.post(reverse("notifications_read"))
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()


# --- Public register -----------------------------------------------------------------------------


def test_register_lists_certified_platforms_without_sign_in(client):
    certification = certified()
    response = client.get(reverse("public_register"))
    assert response.status_code == 200
    assert certification.submission.platform.name in response.content.decode()


@pytest.mark.parametrize(
    ("cookies", "heading"),
    [({}, 'lang="zh-hans"'), (ENGLISH, "Register of certified platforms")],
)
def test_register_in_both_languages(client, cookies, heading):
    client.cookies.load(cookies)
    assert heading in client.get(reverse("public_register")).content.decode()


def test_register_leaves_out_revoked_expired_and_unsigned(client):
    listed = certified()
    revoked = certified()
    reviews.certification_revoke(actor=admin(), certification=revoked, reason="撤销")
    expired = certified()
    Certification.objects.filter(pk=expired.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    awaiting = certified(tier="leading")
    response = client.get(reverse("public_register"))
    shown = {certification.pk for certification in response.context["page"].object_list}
    assert shown == {listed.pk}
    assert awaiting.status == CertificationStatus.AWAITING_SIGN_OFF


def test_register_search_by_name(client):
    wanted = certified(platform=PlatformFactory(name="甲乙丙平台"))
    other = certified(platform=PlatformFactory(name="丁戊己平台"))
    response = client.get(reverse("public_register"), {"q": wanted.submission.platform.name})
    shown = {certification.pk for certification in response.context["page"].object_list}
    assert wanted.pk in shown and other.pk not in shown


def test_register_query_count_is_fixed(client, django_assert_max_num_queries):
    for _ in range(3):
        certified()
    with django_assert_max_num_queries(3):
        response = client.get(reverse("public_register"))
    assert len(response.context["page"].object_list) == 3


def test_lead_can_assign_to_city_reviewers_of_the_province_only(client):
    answered_submission()
    lead = reviewer("440000", is_lead_reviewer=True)
    city = reviewer("440300")
    elsewhere = reviewer("330000")
    client.force_login(lead)
    response = client.get(reverse("review_queue"))
    offered = {user.pk for user in response.context["options"].reviewers}
    assert {lead.pk, city.pk} <= offered
    assert elsewhere.pk not in offered
