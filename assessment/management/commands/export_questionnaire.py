"""manage.py export_questionnaire --submission ID --lang zh-hans --output FILE.xlsx"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessment.models import Submission
from assessment.services.offline_filing import questionnaire_xlsx


class Command(BaseCommand):
    help = "Write a submission's questionnaire as an XLSX workbook to fill offline (Excel, WPS)."

    def add_arguments(self, parser):
        parser.add_argument("--submission", type=int, required=True, help="submission id")
        parser.add_argument("--lang", choices=("zh-hans", "en"), default="zh-hans")
        parser.add_argument("--output", required=True, help="XLSX file to write")

    def handle(self, *args, submission, lang, output, **options):
        found = (
            Submission.objects.select_related("platform__organisation", "cycle", "rubric_version")
            .filter(pk=submission)
            .first()
        )
        if found is None:
            raise CommandError(f"No submission with id {submission}.")
        content = questionnaire_xlsx(submission=found, language=lang)
        Path(output).write_bytes(content)
        self.stdout.write(f"{output}: submission {found.pk} ({len(content):,} bytes)")
