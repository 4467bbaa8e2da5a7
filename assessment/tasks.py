"""Background tasks (Django's tasks framework; the database backend runs them in
`manage.py task_worker`, which is `db_worker` with a heartbeat)."""

from django.tasks import task


@task(queue_name="default")
def report_batch_build_task(batch_id: int) -> int:
    """Plan a batch: one item task per report; returns the number of reports."""
    from assessment.services.report_batches import report_batch_plan

    return report_batch_plan(batch_id=batch_id)


@task(queue_name="default")
def report_batch_item_task(item_id: int) -> str:
    """Render one report of a batch into the file storage."""
    from assessment.services.report_batches import report_batch_item_run

    return report_batch_item_run(item_id=item_id)


@task(queue_name="default")
def report_batch_assemble_task(batch_id: int) -> int:
    """Zip a batch's stored reports once every item is done."""
    from assessment.services.report_batches import report_batch_assemble

    return report_batch_assemble(batch_id=batch_id)


@task(queue_name="default")
def email_send_task(
    subject: str, body: str, from_email: str, recipients: list[str], attempt: int = 1
) -> int:
    """Send one email with the mailer's timeout; on failure retry later, a few times."""
    from assessment.services.mail import email_send_attempt

    return email_send_attempt(
        subject=subject, body=body, from_email=from_email, recipients=recipients, attempt=attempt
    )


@task(queue_name="default")
def application_form_task(submission_id: int) -> int:
    """Render and store a handed-in submission's application form (申报书); returns its id."""
    from assessment.models import Submission
    from assessment.services.filing import application_form_store

    return application_form_store(submission=Submission.objects.get(pk=submission_id)).pk
