from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessment.errors import ApplicationError
from assessment.selectors.reports import report_submission_queryset
from assessment.services.reports import REPORT_LANGUAGES, submission_report_pdf


class Command(BaseCommand):
    help = "Issue and render a submission's evaluation report as PDF (the web's own service)."

    def add_arguments(self, parser):
        parser.add_argument("--submission", type=int, required=True, help="submission id")
        parser.add_argument("--lang", choices=REPORT_LANGUAGES, default="zh-hans")
        parser.add_argument("--output", required=True, help="PDF file to write")
        parser.add_argument(
            "--no-charts", action="store_true", help="leave the charts out (baseline timing)"
        )

    def handle(self, *args, submission, lang, output, no_charts, **options):
        found = report_submission_queryset().filter(pk=submission).first()
        if found is None:
            raise CommandError(f"No submission with id {submission}.")
        try:
            report, pdf = submission_report_pdf(
                submission=found, language=lang, user=None, with_charts=not no_charts
            )
        except ApplicationError as error:
            raise CommandError(str(error.message)) from error
        Path(output).write_bytes(pdf)
        self.stdout.write(
            f"{report.number}: {output} ({len(pdf):,} bytes), "
            f"data SHA-256 {report.canonical_sha256}"
        )
