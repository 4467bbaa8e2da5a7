from django.core.management.base import BaseCommand, CommandError

from assessment.errors import ApplicationError
from questionnaires.rubric import RubricError
from questionnaires.services import rubric_version_load


class Command(BaseCommand):
    help = "Check a rubric YAML file and store it as an immutable rubric version."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--if-new", action="store_true", help="Say nothing when the version is already stored."
        )

    def handle(self, *args, file, if_new, **options):
        try:
            version, created = rubric_version_load(path=file)
        except RubricError as error:
            raise CommandError(
                f"{file}: {len(error.problems)} problem(s):\n" + "\n".join(error.problems)
            ) from None
        except (ApplicationError, OSError) as error:
            raise CommandError(str(error)) from None
        if created:
            self.stdout.write(f"Stored rubric {version.label}.")
        elif not if_new:
            self.stdout.write(f"Rubric {version.label} is already stored, unchanged.")
