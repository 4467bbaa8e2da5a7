"""Background tasks (Django's tasks framework; the database backend runs them in
`manage.py db_worker`)."""

from django.tasks import task


@task(queue_name="default")
def report_batch_build_task(batch_id: int) -> int:
    """Render every report of a batch into one ZIP; returns the number of reports."""
    from assessment.services.reports import report_batch_build

    return report_batch_build(batch_id=batch_id)


@task(queue_name="default")
def application_form_task(submission_id: int) -> int:
    """Render and store a handed-in submission's application form (申报书); returns its id."""
    from assessment.models import Submission
    from assessment.services.filing import application_form_store

    return application_form_store(submission=Submission.objects.get(pk=submission_id)).pk
