"""Generate demo platforms to the rubric's calibration and print the tier shares they get.

    manage.py rubric_calibration FILE_OR_LABEL [--platforms N] [--seed N]

FILE_OR_LABEL is a rubric file (``questionnaires/rubrics/iip-2026@1.1.yaml``) or a stored
version label. Nothing is written. See ``questionnaires.calibration`` and docs/rubric.md.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from questionnaires.calibration import calibration_shares
from questionnaires.models import RubricVersion
from questionnaires.rubric import RubricError, parse_rubric_file
from questionnaires.selectors import rubric_of


class Command(BaseCommand):
    help = "Print the tier shares that demo platforms generated to the calibration get."

    def add_arguments(self, parser):
        parser.add_argument("rubric", metavar="FILE_OR_LABEL")
        parser.add_argument("--platforms", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, rubric: str, platforms: int, seed: int, **options):
        if platforms < 1:
            raise CommandError("--platforms must be at least 1.")
        if rubric.endswith((".yaml", ".yml")):
            try:
                parsed = parse_rubric_file(rubric)
            except (RubricError, OSError) as error:
                raise CommandError(str(error)) from None
        else:
            version = next((v for v in RubricVersion.objects.all() if v.label == rubric), None)
            if version is None:
                raise CommandError(f"No stored rubric version {rubric}.")
            parsed = rubric_of(version)
        started = time.monotonic()
        run = calibration_shares(parsed, platforms=platforms, seed=seed)
        for line in run.lines():
            self.stdout.write(line)
        self.stdout.write(f"({time.monotonic() - started:.1f} s)")
