"""Registering organisations in bulk from a CSV file (credit_code, name, region_code)."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from assessment.models import Organisation, Region
from assessment.validators import validate_credit_code

COLUMNS = ("credit_code", "name", "region_code")


@dataclass(frozen=True)
class ImportProblem:
    line: int
    column: str
    message: str

    def __str__(self):
        return f"line {self.line}, {self.column}: {self.message}"


class OrganisationImportError(Exception):
    def __init__(self, problems: list[ImportProblem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@transaction.atomic
def organisations_import(*, path: str | Path) -> int:
    """Create every organisation in the file, or none: all problems are reported together."""
    with Path(path).open(encoding="utf-8-sig", newline="") as csv_file:
        reader = csv.DictReader(csv_file)
        missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise OrganisationImportError(
                [ImportProblem(1, column, "column missing from the header") for column in missing]
            )
        rows = list(reader)
    regions = set(Region.objects.values_list("code", flat=True))
    problems: list[ImportProblem] = []
    seen: dict[str, int] = {}
    organisations = []
    for line, row in enumerate(rows, start=2):
        code = (row["credit_code"] or "").strip().upper()
        try:
            validate_credit_code(code)
        except ValidationError as error:
            problems.append(ImportProblem(line, "credit_code", str(error.messages[0])))
        if code in seen:
            problems.append(
                ImportProblem(line, "credit_code", f"repeats the code on line {seen[code]}")
            )
        seen.setdefault(code, line)
        name = (row["name"] or "").strip()
        if not name:
            problems.append(ImportProblem(line, "name", "empty"))
        region_code = (row["region_code"] or "").strip()
        if region_code not in regions:
            problems.append(
                ImportProblem(line, "region_code", f"{region_code!r} is not a GB/T 2260 code")
            )
        organisations.append(Organisation(credit_code=code, name=name, region_id=region_code))
    registered = dict(
        Organisation.objects.filter(credit_code__in=seen).values_list("credit_code", "name")
    )
    for code, line in seen.items():
        if code in registered:
            problems.append(
                ImportProblem(line, "credit_code", f"already registered as {registered[code]}")
            )
    if problems:
        raise OrganisationImportError(sorted(problems, key=lambda problem: problem.line))
    Organisation.objects.bulk_create(organisations)
    return len(organisations)
