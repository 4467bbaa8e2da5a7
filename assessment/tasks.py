"""Background tasks (Django's tasks framework; the database backend runs them in
`manage.py db_worker`)."""

from django.tasks import task


@task(queue_name="default")
def report_batch_build_task(batch_id: int) -> int:
    """Render every report of a batch into one ZIP; returns the number of reports."""
    from assessment.services.reports import report_batch_build

    return report_batch_build(batch_id=batch_id)
