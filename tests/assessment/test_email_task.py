"""Email goes out from the task worker, with the mailer's timeout and retries."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessment.services.mail import email_queue, email_send_attempt
from tests.services import free_port

EMAIL_TASK = "assessment.tasks.email_send_task"


@pytest.fixture(autouse=True)
def _in_background(settings):
    settings.EMAIL_IN_BACKGROUND = True


@pytest.fixture
def dead_smtp(settings):
    """An SMTP mailer whose server does not answer (a closed loopback port)."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 1},
        }
    }


@pytest.mark.django_db(transaction=True)
def test_an_email_is_queued_not_sent_in_the_request_and_the_worker_sends_it():
    email_queue(subject="主题 / Subject", body="正文", recipients=["op@example.cn"])
    assert not mail.outbox
    assert DBTaskResult.objects.filter(task_path=EMAIL_TASK).count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)
    assert [message.to for message in mail.outbox] == [["op@example.cn"]]


@pytest.mark.django_db
def test_a_failing_mail_server_is_tried_again_later(dead_smtp, settings):
    started = timezone.now()
    sent = email_send_attempt(
        subject="s", body="b", from_email="a@example.cn", recipients=["op@example.cn"]
    )
    assert sent == 0
    retry = DBTaskResult.objects.get(task_path=EMAIL_TASK)
    assert retry.args_kwargs["args"][-1] == 2
    assert retry.run_after >= started + timedelta(seconds=settings.EMAIL_RETRY_SECONDS)


@pytest.mark.django_db
def test_after_the_last_attempt_the_email_is_given_up(dead_smtp, settings):
    sent = email_send_attempt(
        subject="s",
        body="b",
        from_email="a@example.cn",
        recipients=["op@example.cn"],
        attempt=settings.EMAIL_ATTEMPTS,
    )
    assert sent == 0
    assert not DBTaskResult.objects.filter(task_path=EMAIL_TASK).exists()


@pytest.mark.django_db
def test_a_notification_queues_its_email(django_capture_on_commit_callbacks):
    from assessment.services.notifications import notify_resubmitted
    from tests.factories import SubmissionFactory, reviewer

    submission = SubmissionFactory(assigned_reviewer=reviewer("440000"))
    with django_capture_on_commit_callbacks(execute=True):
        notify_resubmitted(submission=submission)
    assert not mail.outbox
    assert DBTaskResult.objects.filter(task_path=EMAIL_TASK).exists()
