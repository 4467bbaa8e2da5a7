"""No lost answers: two saves based on the same (stale) version; the second gets a conflict."""

import threading

import pytest
from django.urls import reverse

from assessment.errors import Conflict
from assessment.models import Answer
from assessment.services import submissions as services
from tests import factories


@pytest.mark.django_db
def test_two_tabs_saving_from_the_same_version_the_second_gets_a_conflict(client):
    submission = factories.SubmissionFactory()
    colleague = factories.operator(organisation=submission.platform.organisation)
    services.answer_save(
        actor=submission.created_by,
        submission=submission,
        question_code="D1.2",
        value="10",
        version=0,
    )
    url = reverse("operator_autosave", args=[submission.pk])
    first, second = client, client.__class__()
    first.force_login(submission.created_by)
    second.force_login(colleague)

    saved = first.post(url, {"question": "D1.2", "q-D1.2": "20", "v-D1.2": "1"})
    refused = second.post(url, {"question": "D1.2", "q-D1.2": "30", "v-D1.2": "1"})

    assert saved.status_code == 200
    assert refused.status_code == 409
    assert refused.json()["theirs"]["value"] == "20"
    assert refused.json()["theirs"]["version"] == 2
    assert Answer.objects.get(submission=submission, question_code="D1.2").value == 20


@pytest.mark.django_db(transaction=True)
def test_parallel_saves_from_the_same_version_exactly_one_wins():
    # PostgreSQL serialises the two through the row lock; SQLite through its write lock, taken
    # at BEGIN because settings use transaction_mode IMMEDIATE (with DEFERRED, one would fail).
    submission = factories.SubmissionFactory()
    actor = submission.created_by
    services.answer_save(
        actor=actor, submission=submission, question_code="D1.2", value="10", version=0
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def save(value):
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            services.answer_save(
                actor=actor, submission=submission, question_code="D1.2", value=value, version=1
            )
            outcomes.append("saved")
        except Conflict:
            outcomes.append("conflict")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=save, args=(value,)) for value in ("20", "30")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict", "saved"]
    answer = Answer.objects.get(submission=submission, question_code="D1.2")
    assert answer.version == 2
