"""Email from a background task: never inside a request, with a timeout and retries.

:func:`email_queue` queues the message once the surrounding transaction commits; the task
worker sends it through the configured mailer (SMTP with ``EMAIL_TIMEOUT``). An attempt that
fails is tried again after ``EMAIL_RETRY_SECONDS`` (doubling), ``EMAIL_ATTEMPTS`` times in
all, then logged as lost. ``EMAIL_IN_BACKGROUND=false`` sends at once, in the caller, instead
(a machine without a task worker; most tests).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def email_queue(*, subject: str, body: str, recipients: list[str], from_email: str = "") -> None:
    """Send an email from the task worker once the current transaction commits."""
    from_email = from_email or settings.DEFAULT_FROM_EMAIL
    if not settings.EMAIL_IN_BACKGROUND:
        email_send_attempt(subject=subject, body=body, from_email=from_email, recipients=recipients)
        return
    from assessment.tasks import email_send_task

    transaction.on_commit(
        lambda: email_send_task.enqueue(subject, body, from_email, list(recipients), 1)
    )


def email_send_attempt(
    *, subject: str, body: str, from_email: str, recipients: list[str], attempt: int = 1
) -> int:
    """One attempt; a failure queues the next one later. Returns the number of emails sent."""
    try:
        return send_mail(subject, body, from_email, recipients, fail_silently=False)
    except Exception as error:
        if attempt >= settings.EMAIL_ATTEMPTS or not settings.EMAIL_IN_BACKGROUND:
            logger.error("email to %s lost after %s attempts: %s", recipients, attempt, error)
            return 0
        from assessment.tasks import email_send_task

        delay = settings.EMAIL_RETRY_SECONDS * 2 ** (attempt - 1)
        logger.warning("email to %s failed (%s); retry in %s s", recipients, error, delay)
        email_send_task.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            subject, body, from_email, list(recipients), attempt + 1
        )
        return 0
