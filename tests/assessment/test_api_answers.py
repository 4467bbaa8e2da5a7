"""Answers over the API: bulk upsert of a whole questionnaire, version conflicts (also from
two clients at once), idempotent retries."""

import threading

import pytest
from django.db import connection

from assessment.models import Answer, EventKind, SubmissionEvent
from assessment.services.submissions import question_codes
from questionnaires.selectors import rubric_of
from tests.assessment.api_support import open_cycle, token_client
from tests.factories import PlatformFactory, SubmissionFactory, answer_meeting, operator

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return SubmissionFactory(cycle=open_cycle(), platform=PlatformFactory(kind="industry"))


@pytest.fixture
def client(draft):
    return token_client(operator(organisation=draft.platform.organisation))


def whole_questionnaire(submission, tier: str = "basic") -> list[dict]:
    rubric = rubric_of(submission.rubric_version)
    answers = []
    for code in question_codes(rubric, submission.platform_kind):
        if rubric.has_indicator(code):
            value = answer_meeting(rubric.indicator(code), submission.platform_kind, tier)
        else:
            value = True
        answers.append({"question_code": code, "value": value, "version": 0})
    return answers


def url(submission) -> str:
    return f"/api/v1/submissions/{submission.pk}/answers/"


def test_a_whole_questionnaire_is_saved_in_one_request(draft, client):
    answers = whole_questionnaire(draft)
    response = client.post(url(draft), {"answers": answers}, format="json")
    assert response.status_code == 200
    assert sorted(response.json()["changed"]) == sorted(a["question_code"] for a in answers)
    assert Answer.objects.filter(submission=draft).count() == len(answers)
    assert all(answer["version"] == 1 for answer in response.json()["answers"])


def test_saving_answers_rescores_the_submission(draft, client):
    client.post(url(draft), {"answers": whole_questionnaire(draft)}, format="json")
    score = client.get(f"/api/v1/submissions/{draft.pk}/score/").json()
    assert score["provisional"]["breakdown"]["tiers"]["basic"]["score"] != "0.0000"


def test_the_bulk_upsert_runs_a_bounded_number_of_queries(
    draft, client, django_assert_max_num_queries
):
    answers = whole_questionnaire(draft)
    # per answer an insert and its event; plus a fixed number for auth, lock, scoring
    with django_assert_max_num_queries(2 * len(answers) + 25):
        response = client.post(url(draft), {"answers": answers}, format="json")
    assert response.status_code == 200


def test_an_unchanged_answer_keeps_its_version(draft, client):
    first = client.post(
        url(draft),
        {"answers": [{"question_code": "D1.1", "value": 5, "version": 0}]},
        format="json",
    )
    assert first.status_code == 200
    again = client.post(
        url(draft),
        {"answers": [{"question_code": "D1.1", "value": 5, "version": 1}]},
        format="json",
    )
    assert again.json()["changed"] == []
    assert again.json()["answers"][0]["version"] == 1


def test_a_stale_version_is_a_conflict_that_saves_nothing(draft, client):
    client.post(
        url(draft),
        {"answers": [{"question_code": "D1.1", "value": 5, "version": 0}]},
        format="json",
    )
    client.post(
        url(draft),
        {"answers": [{"question_code": "D1.1", "value": 6, "version": 1}]},
        format="json",
    )
    stale = client.post(
        url(draft),
        {
            "answers": [
                {"question_code": "D1.2", "value": 1000, "version": 0},
                {"question_code": "D1.1", "value": 7, "version": 1},
            ]
        },
        format="json",
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "answer_conflict"
    assert body["field"] == "answers[1].version"
    assert body["detail"]["conflicts"]["D1.1"]["value"] == 6
    assert body["detail"]["conflicts"]["D1.1"]["version"] == 2
    assert not Answer.objects.filter(submission=draft, question_code="D1.2").exists()
    assert Answer.objects.get(submission=draft, question_code="D1.1").value == 6


def test_two_colleagues_editing_the_same_answer_one_is_refused(draft, client):
    colleague = token_client(operator(organisation=draft.platform.organisation))
    client.post(
        url(draft),
        {"answers": [{"question_code": "D1.1", "value": 5, "version": 0}]},
        format="json",
    )
    seen_by_both = 1
    mine = client.post(
        url(draft),
        {"answers": [{"question_code": "D1.1", "value": 8, "version": seen_by_both}]},
        format="json",
    )
    theirs = colleague.post(
        url(draft),
        {"answers": [{"question_code": "D1.1", "value": 9, "version": seen_by_both}]},
        format="json",
    )
    assert mine.status_code == 200
    assert theirs.status_code == 409
    assert Answer.objects.get(submission=draft, question_code="D1.1").value == 8


@pytest.mark.django_db(transaction=True)
def test_parallel_saves_of_the_same_version_let_exactly_one_through():
    draft = SubmissionFactory(cycle=open_cycle(), platform=PlatformFactory(kind="industry"))
    organisation = draft.platform.organisation
    clients = [token_client(operator(organisation=organisation)) for _ in range(4)]
    clients[0].post(
        url(draft),
        {"answers": [{"question_code": "D1.1", "value": 1, "version": 0}]},
        format="json",
    )
    barrier = threading.Barrier(len(clients))
    statuses = []

    def save(client, value):
        barrier.wait()
        response = client.post(
            url(draft),
            {"answers": [{"question_code": "D1.1", "value": value, "version": 1}]},
            format="json",
        )
        statuses.append(response.status_code)
        connection.close()

    threads = [
        threading.Thread(target=save, args=(client, 10 + number))
        for number, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409, 409, 409]
    answer = Answer.objects.get(submission=draft, question_code="D1.1")
    assert answer.version == 2
    assert answer.value in (10, 11, 12, 13)


def test_a_retry_with_the_same_idempotency_key_is_not_applied_twice(draft, client):
    body = {"answers": [{"question_code": "D1.1", "value": 5, "version": 0}]}
    first = client.post(url(draft), body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    retry = client.post(url(draft), body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == retry.status_code == 200
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    changes = SubmissionEvent.objects.filter(submission=draft, kind=EventKind.ANSWER_CHANGED)
    assert changes.count() == 1


def test_the_same_key_with_a_different_body_is_refused(draft, client):
    client.post(
        url(draft),
        {"answers": [{"question_code": "D1.1", "value": 5, "version": 0}]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-2",
    )
    other = client.post(
        url(draft),
        {"answers": [{"question_code": "D1.1", "value": 6, "version": 1}]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-2",
    )
    assert other.status_code == 400
    assert other.json()["code"] == "idempotency_key_reused"
    assert Answer.objects.get(submission=draft, question_code="D1.1").value == 5


def test_idempotency_keys_are_per_user(draft, client):
    colleague = token_client(operator(organisation=draft.platform.organisation))
    body = {"answers": [{"question_code": "D1.1", "value": 5, "version": 0}]}
    client.post(url(draft), body, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    theirs = colleague.post(url(draft), body, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    assert theirs.status_code == 409  # really applied, and refused on its stale version


def test_the_same_question_twice_in_one_request_is_refused(draft, client):
    response = client.post(
        url(draft),
        {
            "answers": [
                {"question_code": "D1.1", "value": 5, "version": 0},
                {"question_code": "D1.1", "value": 6, "version": 0},
            ]
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_question"
    assert response.json()["field"] == "answers"


def test_a_question_outside_the_questionnaire_is_named(draft, client):
    response = client.post(
        url(draft),
        {"answers": [{"question_code": "D99.1", "value": 1, "version": 0}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_question"
    assert response.json()["field"] == "answers[0].question_code"


def test_answers_of_a_submitted_questionnaire_cannot_change(draft, client):
    draft.state = "submitted"
    draft.save(update_fields=["state"])
    response = client.post(
        url(draft),
        {"answers": [{"question_code": "D1.1", "value": 1, "version": 0}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "submission_not_editable"
