"""Check the audit trails' hash chains: exits 1 and lists every break (edit, gap, reorder)."""

from django.core.management.base import BaseCommand, CommandError

from assessment.security.audit import verify_chains


class Command(BaseCommand):
    help = "Verify the hash chains of the submission events and the security audit events."

    def handle(self, *args, **options):
        problems = verify_chains()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} break(s) in the audit chain.")
        self.stdout.write("The audit chains are intact.")
