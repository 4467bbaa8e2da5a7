from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from assessment.services.organisation_import import (
    OrganisationImportError,
    organisations_import,
)


class Command(BaseCommand):
    help = (
        "Register organisations from a UTF-8 CSV file with the columns credit_code, name, "
        "region_code (GB/T 2260). Nothing is created unless every row is valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        translation.activate("en")  # plain messages on the command line
        try:
            count = organisations_import(path=file)
        except OrganisationImportError as error:
            raise CommandError(
                f"{file}: nothing imported, {len(error.problems)} problem(s):\n"
                + "\n".join(str(problem) for problem in error.problems)
            ) from None
        except OSError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Registered {count} organisation(s).")
