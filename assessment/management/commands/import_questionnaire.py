"""manage.py import_questionnaire --submission ID --actor EMAIL FILE.xlsx

Prints every changed answer (cell, code, old → new). On any problem it stores nothing, lists
every problem on stderr (``D1!E7: …``) and exits with status 1.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from assessment.errors import ApplicationError
from assessment.models import Submission, User
from assessment.services.offline_filing import ImportRefused, questionnaire_import


def _shown(value) -> str:
    if value is None:
        return "—"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else str(value)


class Command(BaseCommand):
    help = "Store the answers of a filled questionnaire workbook (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the filled XLSX file")
        parser.add_argument("--submission", type=int, required=True, help="submission id")
        parser.add_argument("--actor", required=True, help="email of the operator filing it")
        parser.add_argument(
            "--lang", choices=("zh-hans", "en"), default="zh-hans", help="language of messages"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and show the changes only"
        )

    def handle(self, *args, file, submission, actor, lang, dry_run, **options):
        with translation.override(lang):
            return self._handle(file, submission, actor, dry_run)

    def _handle(self, file, submission_id, email, dry_run):
        submission = (
            Submission.objects.select_related("platform", "cycle", "rubric_version")
            .filter(pk=submission_id)
            .first()
        )
        if submission is None:
            raise CommandError(f"No submission with id {submission_id}.")
        actor = User.objects.filter(email__iexact=email, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user with the email address {email}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            result = questionnaire_import(
                actor=actor, submission=submission, content=path.read_bytes(), dry_run=dry_run
            )
        except ImportRefused as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(str(error.message)) from error
        except ApplicationError as error:
            raise CommandError(str(error.message)) from error
        for change in result.changes:
            self.stdout.write(
                f"{change.cell} {change.question_code}: "
                f"{_shown(change.old_value)} → {_shown(change.new_value)}"
            )
        verb = "would change" if dry_run else "changed"
        self.stdout.write(f"{len(result.changes)} answer(s) {verb}.")
