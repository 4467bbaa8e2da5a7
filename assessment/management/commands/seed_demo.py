import os
import time

from django.core.management.base import BaseCommand, CommandError

from assessment.demo import (
    seed_cycles,
    seed_operator_evidence,
    seed_people_and_platforms,
    seed_review_desk,
    seed_submissions,
)
from assessment.models import Platform
from questionnaires.services import default_rubric_version


class Command(BaseCommand):
    help = "Create a realistic, reproducible demo data set in an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--platforms", type=int, default=300)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--workers",
            type=int,
            default=len(os.sched_getaffinity(0)),
            metavar="N",
            help="generate and score submissions in N processes; default: one per core",
        )

    def handle(self, *args, platforms, seed, workers, **options):
        if platforms < 1:
            raise CommandError("--platforms must be at least 1.")
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        if Platform.objects.exists():
            raise CommandError(
                "The database already has platforms; seed_demo fills an empty database only "
                "(bin/demo --reset starts afresh)."
            )
        started = time.perf_counter()
        counts = seed_people_and_platforms(platforms=platforms, seed=seed)
        cycles = seed_cycles(default_rubric_version())
        counts |= seed_submissions(cycles=cycles, seed=seed, workers=workers)
        counts["evidence files"] = seed_operator_evidence()
        counts |= seed_review_desk()
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(f"Demo data created in {elapsed:.1f} s: {summary}.")
