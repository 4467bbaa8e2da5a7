from django.core.management.base import BaseCommand, CommandError

from questionnaires.coverage import rubric_warnings
from questionnaires.rubric import RubricError, parse_rubric_file


class Command(BaseCommand):
    help = (
        "Check a rubric YAML file without storing it; lists every problem with its path, then "
        "the design-rule warnings (single-criterion cells, Action Plan tasks no indicator "
        "measures), which do not make the file invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            rubric = parse_rubric_file(file)
        except RubricError as error:
            raise CommandError(
                f"{file}: {len(error.problems)} problem(s):\n" + "\n".join(error.problems)
            ) from None
        except OSError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{rubric.label}: OK ({len(rubric.dimensions)} dimensions, "
            f"{len(rubric.indicators)} indicators"
            + (f", {len(rubric.tasks)} Action Plan tasks" if rubric.tasks else "")
            + ")."
        )
        warnings = rubric_warnings(rubric)
        if warnings:
            self.stdout.write(f"{len(warnings)} warning(s):")
            for warning in warnings:
                self.stdout.write(f"warning: {warning}")
