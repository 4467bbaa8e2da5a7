"""manage.py monitoring_daily [--date YYYY-MM-DD]: run once a day (cron or a systemd timer).

Sends the monitoring-window reminders (when a window opens, 7 days and 1 day before it closes),
the expiry reminders (6 months and 1 month before) and the reminders of a warning's deadline to
rectify (7 days and 1 day before), flags returns missing after a window closed and warnings
whose deadline passed without a later decision, and notes certifications that expired.
Idempotent: a second run on a day sends nothing. `manage.py housekeeping` starts it once a day,
so a deployment needs no timer of its own.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from assessment.services.monitoring import monitoring_daily


class Command(BaseCommand):
    help = (
        "Daily monitoring and expiry run: reminders, missing returns, passed deadlines to "
        "rectify, expiries (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="run as of this date (default: today, Asia/Shanghai)")

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = _parse(date)
            except ValueError as error:
                raise CommandError(f"Not a date (YYYY-MM-DD): {date}") from error
        run = monitoring_daily(today=today)
        self.stdout.write(
            f"window reminders {run.window_reminders}, missing returns {run.missing_returns}, "
            f"expiry reminders {run.expiry_reminders}, expired {run.expired}, "
            f"deadline reminders {run.deadline_reminders}, deadlines passed {run.deadlines_passed}"
        )


def _parse(value: str) -> date:
    return date.fromisoformat(value)
