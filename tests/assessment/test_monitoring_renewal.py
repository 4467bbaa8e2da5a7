"""Applying for a renewal from the operator's side: the button in the window, the confirmation
step, the new submission copied from the certified one, and every refusal (nothing changes)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.models import Renewal, Submission, SubmissionEvent
from assessment.services.monitoring import RENEWAL_WINDOW_DAYS, renewal_offer, renewal_start
from tests.factories import (
    AnswerFactory,
    CertificationFactory,
    CycleFactory,
    PlatformFactory,
    SubmissionFactory,
    operator,
    reviewer,
)

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _expiring(days_left=100, **fields):
    """A certification valid `days_left` more days, and a later cycle open for its renewal."""
    certification = CertificationFactory(
        valid_until=_today() + timedelta(days=days_left), tier="growth", **fields
    )
    AnswerFactory(submission=certification.submission, question_code="D1.2", value=1200)
    cycle = CycleFactory()
    return certification, cycle


def _operator_of(certification):
    return operator(organisation=certification.submission.platform.organisation)


def _url(certification):
    return reverse("operator_renewal_apply", args=[certification.pk])


def _signed_in(client, user):
    client.force_login(user)
    return client


def test_the_home_page_offers_the_renewal_in_the_window(client):
    certification, _cycle = _expiring()
    response = _signed_in(client, _operator_of(certification)).get(reverse("operator_home"))
    assert response.status_code == 200
    assert _url(certification) in response.content.decode()
    assert "申请续期" in response.content.decode()


def test_the_organisation_page_offers_it_too(client):
    certification, _cycle = _expiring()
    response = _signed_in(client, _operator_of(certification)).get(reverse("organisation_detail"))
    assert _url(certification) in response.content.decode()


def test_confirming_creates_the_renewal_copied_from_the_certified_submission(client):
    certification = CertificationFactory(valid_until=_today() + timedelta(days=100), tier="growth")
    platform = certification.submission.platform
    AnswerFactory(submission=certification.submission, question_code="D1.2", value=1200)
    # A later submission that was not certified: the renewal must not copy it.
    later = SubmissionFactory(platform=platform, cycle=CycleFactory(), state="not_certified")
    AnswerFactory(submission=later, question_code="D1.2", value=5)
    cycle = CycleFactory()
    person = _operator_of(certification)
    _signed_in(client, person)
    confirm = client.get(_url(certification))
    assert confirm.status_code == 200
    assert "确认并开始续期" in confirm.content.decode()
    response = client.post(_url(certification))
    renewal = Renewal.objects.get(renews=certification).submission
    assert response.status_code == 302
    assert response["Location"] == reverse("operator_questionnaire", args=[renewal.pk, "P"])
    assert renewal.cycle == cycle and renewal.state == "draft"
    assert renewal.answers.get(question_code="D1.2").value == 1200
    assert SubmissionEvent.objects.filter(submission=renewal, note="renewal").exists()
    home = client.get(reverse("operator_home")).content.decode()
    assert 'data-testid="renewal-badge"' in home
    assert _url(certification) not in home


def _refused_post_changes_nothing(client, certification, status=400):
    before = Submission.objects.count(), Renewal.objects.count(), SubmissionEvent.objects.count()
    response = client.post(_url(certification))
    assert response.status_code == status
    after = Submission.objects.count(), Renewal.objects.count(), SubmissionEvent.objects.count()
    assert after == before
    return response.content.decode()


def test_out_of_the_window_there_is_no_button_and_a_post_is_refused(client):
    certification, _cycle = _expiring(days_left=RENEWAL_WINDOW_DAYS + 1)
    _signed_in(client, _operator_of(certification))
    assert _url(certification) not in client.get(reverse("operator_home")).content.decode()
    page = client.get(reverse("organisation_detail")).content.decode()
    assert _url(certification) not in page
    opens_on = (certification.valid_until - timedelta(days=RENEWAL_WINDOW_DAYS)).isoformat()
    assert f"可于 {opens_on} 起申请续期" in page
    text = _refused_post_changes_nothing(client, certification)
    assert f"自 {opens_on} 起可申请续期" in text


def test_a_second_renewal_is_refused_while_the_first_is_under_way(client):
    certification, _cycle = _expiring()
    _signed_in(client, _operator_of(certification))
    assert client.post(_url(certification)).status_code == 302
    CycleFactory()  # another open cycle: the refusal is about the renewal, not the cycle
    assert _url(certification) not in client.get(reverse("operator_home")).content.decode()
    text = _refused_post_changes_nothing(client, certification, status=409)
    assert "该认定已申请续期" in text


def test_a_withdrawn_renewal_can_be_applied_for_again():
    certification, _cycle = _expiring()
    first = renewal_start(actor=_operator_of(certification), certification=certification)
    Submission.objects.filter(pk=first.pk).update(state="withdrawn")
    CycleFactory()
    assert renewal_offer(certification, _today()) is not None


def test_an_expired_certification_is_not_renewed(client):
    certification, _cycle = _expiring(days_left=-1)
    _signed_in(client, _operator_of(certification))
    text = _refused_post_changes_nothing(client, certification)
    assert "已不能续期" in text


def test_without_an_open_cycle_the_renewal_is_refused(client):
    certification, cycle = _expiring()
    cycle.closes_on = _today() - timedelta(days=1)
    cycle.save(update_fields=["closes_on"])
    _signed_in(client, _operator_of(certification))
    assert _url(certification) not in client.get(reverse("operator_home")).content.decode()
    _refused_post_changes_nothing(client, certification)


def test_the_window_opens_on_the_day_of_the_six_month_reminder():
    certification, _cycle = _expiring()
    first_day = certification.valid_until - timedelta(days=RENEWAL_WINDOW_DAYS)
    assert renewal_offer(certification, first_day - timedelta(days=1)) is None
    assert renewal_offer(certification, first_day) is not None
    assert renewal_offer(certification, certification.valid_until) is not None


@pytest.mark.parametrize("who", ["other_operator", "reviewer"])
def test_anyone_but_the_platforms_operators_gets_a_404(client, who):
    certification, _cycle = _expiring()
    user = operator() if who == "other_operator" else reviewer(is_national=True)
    _signed_in(client, user)
    assert client.get(_url(certification)).status_code == 404
    assert client.post(_url(certification)).status_code == 404
    assert not Renewal.objects.exists()


def test_the_home_page_asks_the_same_number_of_queries_for_one_or_three_renewals(client):
    certification, _cycle = _expiring()
    organisation = certification.submission.platform.organisation
    person = _operator_of(certification)
    _signed_in(client, person)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("operator_home")).content.decode()
        return len(captured), page.count('data-certification="')

    one = queries()
    for _ in range(2):
        platform = PlatformFactory(organisation=organisation)
        CertificationFactory(
            submission=SubmissionFactory(platform=platform, state="certified"),
            valid_until=_today() + timedelta(days=50),
        )
    CycleFactory()  # later than the new certifications' cycles
    three = queries()
    assert (one[1], three[1]) == (1, 3)
    assert three[0] == one[0]


# --- The API -----------------------------------------------------------------------------------


def _api_url(certification):
    return reverse("api-renew", args=[certification.pk])


def test_the_api_starts_the_renewal_and_refuses_a_second(client):
    certification, cycle = _expiring()
    _signed_in(client, _operator_of(certification))
    created = client.post(_api_url(certification))
    assert created.status_code == 201
    renewal = Renewal.objects.get(renews=certification).submission
    assert created.json()["id"] == renewal.pk and renewal.cycle == cycle
    again = client.post(_api_url(certification), HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 409
    assert again.json()["code"] == "renewal_open"
    assert Renewal.objects.count() == 1


def test_the_api_refuses_out_of_the_window_and_hides_others_certifications(client):
    certification, _cycle = _expiring(days_left=RENEWAL_WINDOW_DAYS + 1)
    _signed_in(client, _operator_of(certification))
    refused = client.post(_api_url(certification))
    assert (refused.status_code, refused.json()["code"]) == (400, "renewal_not_yet")
    _signed_in(client, operator())
    assert client.post(_api_url(certification)).status_code == 404
    assert not Renewal.objects.exists()
