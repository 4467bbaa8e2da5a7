from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessment.errors import ApplicationError
from assessment.models import AssessmentCycle, Region
from assessment.services.reports import REPORT_LANGUAGES, regional_report_pdf


class Command(BaseCommand):
    help = "Render a province's (or, without --region, the nation's) report for a cycle as PDF."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", required=True, help="cycle code, e.g. 2027")
        parser.add_argument("--region", default="", help="GB/T 2260 code, e.g. 440000")
        parser.add_argument("--lang", choices=REPORT_LANGUAGES, default="zh-hans")
        parser.add_argument("--output", required=True, help="PDF file to write")

    def handle(self, *args, cycle, region, lang, output, **options):
        found_cycle = AssessmentCycle.objects.filter(code=cycle).first()
        if found_cycle is None:
            raise CommandError(f"No cycle with code {cycle!r}.")
        found_region = None
        if region:
            found_region = Region.objects.filter(code=region).first()
            if found_region is None:
                raise CommandError(f"No region with code {region!r}.")
        try:
            pdf = regional_report_pdf(cycle=found_cycle, region=found_region, language=lang)
        except ApplicationError as error:
            raise CommandError(str(error.message)) from error
        Path(output).write_bytes(pdf)
        self.stdout.write(f"{output} ({len(pdf):,} bytes)")
