"""How many stored submissions would change tier if rescored under another rubric version.

    manage.py rubric_impact OLD NEW [--json] [--batch-size N] [--workers N] [--changes N]

OLD and NEW are stored version labels (``iip-2026@1.0``); NEW may also be an unpublished
draft, ``draft:ID`` (see ``questionnaires.models.RubricDraft``). Every submission that uses OLD
is scored under OLD and under NEW in memory, batch by batch; nothing is written. The report
counts submissions per (result under OLD → result under NEW) transition, overall and per
province and platform kind, and lists the platforms that change tier. Progress goes to stderr
as it runs. Answers that NEW cannot take (its indicator was removed, or the value no longer
fits, e.g. a removed option) are scored as unanswered and counted. With ``--workers N`` the
scoring runs in N forked processes while this one loads the next batches (the workers never
touch the database).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessment.models import Region, Submission
from assessment.services.scoring import build_score_inputs, load_score_inputs
from questionnaires.choices import Result
from questionnaires.models import RubricDraft, RubricVersion
from questionnaires.parallel import forked_map
from questionnaires.rubric import AnswerError, Rubric
from questionnaires.scoring import AnswerInput, score
from questionnaires.selectors import rubric_of

RESULT_ORDER = [result.value for result in Result]  # not_rated, basic … ecosystem


@dataclass
class ImpactReport:
    old_label: str
    new_label: str
    submissions: int = 0
    transitions: Counter[tuple[str, str]] = field(default_factory=Counter)
    invalid_answers: int = 0  # answers NEW cannot take, scored as unanswered
    # (province code, kind, old result, new result) → submissions
    groups: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    # the submissions that change tier: submission, platform, province, kind, old, new
    changes: list[dict[str, Any]] = field(default_factory=list)
    province_names: dict[str, str] = field(default_factory=dict)  # code → name (Chinese)
    seconds: float = 0.0

    @property
    def changed(self) -> int:
        return sum(count for (old, new), count in self.transitions.items() if old != new)

    def rows(self) -> list[tuple[str, str, int]]:
        """(old result, new result, submissions), in tier order."""
        return sorted(
            ((old, new, count) for (old, new), count in self.transitions.items()),
            key=lambda row: (RESULT_ORDER.index(row[0]), RESULT_ORDER.index(row[1])),
        )

    def group_rows(self) -> list[dict[str, Any]]:
        """Per province and kind: (old result, new result, submissions), in order."""
        return [
            {
                "province": province,
                "province_name": self.province_names.get(province, province),
                "kind": kind,
                "old_result": old,
                "new_result": new,
                "submissions": count,
            }
            for (province, kind, old, new), count in sorted(
                self.groups.items(),
                key=lambda item: (
                    item[0][0],
                    item[0][1],
                    RESULT_ORDER.index(item[0][2]),
                    RESULT_ORDER.index(item[0][3]),
                ),
            )
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old_label,
            "new": self.new_label,
            "submissions": self.submissions,
            "changed": self.changed,
            "invalid_answers": self.invalid_answers,
            "seconds": round(self.seconds, 1),
            "transitions": [
                {"old_result": old, "new_result": new, "submissions": count}
                for old, new, count in self.rows()
            ],
            "groups": self.group_rows(),
            "changes": self.changes,
        }


def score_inputs_under(
    rubric: Rubric,
    answers: Iterable[tuple[str, object]],
    evidenced_codes: set[str],
    decisions: dict[str, tuple[str, object]],
) -> tuple[dict[str, bool], dict[str, AnswerInput], int]:
    """Engine input under ``rubric`` from a submission's stored rows, possibly written for
    another version: answers to questions ``rubric`` lacks are left out. Returns
    (preconditions, answers, number of answers left out)."""
    precondition_codes = rubric.cached(
        ("rubric_impact", "preconditions"), lambda: {p.code for p in rubric.preconditions}
    )
    known = []
    left_out = 0
    for code, value in answers:
        if rubric.has_indicator(code) or code in precondition_codes:
            known.append((code, value))
        elif value is not None:
            left_out += 1
    preconditions, inputs = build_score_inputs(rubric, known, evidenced_codes, decisions)
    return preconditions, inputs, left_out


def score_tolerantly(
    rubric: Rubric, kind: str, preconditions: dict[str, bool], inputs: dict[str, AnswerInput]
) -> tuple[str, int]:
    """The result under ``rubric``, an answer it refuses (e.g. a removed option) scored as
    unanswered; returns (result, number of answers refused). The engine checks every value it
    scores, so valid input costs nothing extra."""
    refused = 0
    while True:
        try:
            return score(rubric, kind, preconditions, inputs).result, refused
        except AnswerError as error:
            inputs = {code: answer for code, answer in inputs.items() if code != error.indicator}
            refused += 1


#: A batch as the scoring step takes it: (platform kind, (answers, evidenced codes, decisions)).
Batch = list[tuple[str, tuple[list, set, dict]]]


def score_batch(rubrics: tuple[Rubric, ...], batch: Batch) -> tuple[list[tuple[str, ...]], int]:
    """The results of each submission of ``batch`` under each of ``rubrics``, and how many
    answers the last rubric cannot take. Pure: no database."""
    results = []
    invalid = 0
    for kind, rows in batch:
        submission_results = []
        for rubric in rubrics:
            preconditions, inputs, left_out = score_inputs_under(rubric, *rows)
            result, refused = score_tolerantly(rubric, kind, preconditions, inputs)
            submission_results.append(result)
        invalid += left_out + refused
        results.append(tuple(submission_results))
    return results, invalid


def load_batches(submissions: list[tuple[int, str]], batch_size: int) -> Iterator[Batch]:
    """The stored score inputs of (id, kind) pairs, ``batch_size`` at a time (three queries
    per batch)."""
    for start in range(0, len(submissions), batch_size):
        batch = submissions[start : start + batch_size]
        loaded = load_score_inputs([pk for pk, _kind in batch])
        yield [(kind, loaded[pk]) for pk, kind in batch]


def rubric_impact(
    *,
    old_version: RubricVersion,
    new_rubric: Rubric,
    batch_size: int = 1000,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> ImpactReport:
    """Rescore every submission using ``old_version`` under it and under ``new_rubric``, in
    memory, ``batch_size`` submissions at a time, in ``workers`` processes; ``progress(done,
    total)`` is called after each batch."""
    started = time.monotonic()
    old_rubric = rubric_of(old_version)
    report = ImpactReport(old_label=old_rubric.label, new_label=new_rubric.label)
    rows = list(
        Submission.objects.filter(rubric_version=old_version)
        .order_by("pk")
        .values_list("pk", "platform_kind", "platform__region_id", "platform_id", "platform__name")
    )
    submissions = [(pk, kind) for pk, kind, *_rest in rows]
    provinces = sorted({region[:2] + "0000" for _pk, _kind, region, *_rest in rows})
    report.province_names = dict(
        Region.objects.filter(code__in=provinces).values_list("code", "name_zh_hans")
    )
    batches = load_batches(submissions, batch_size)
    # The workers score while this process loads the next batches.
    scored = forked_map(partial(score_batch, (old_rubric, new_rubric)), batches, workers=workers)
    for results, invalid in scored:
        for (pk, kind, region, platform_id, name), (old, new) in zip(
            rows[report.submissions : report.submissions + len(results)], results, strict=True
        ):
            province = region[:2] + "0000"
            report.groups[(province, kind, old, new)] += 1
            if old != new:
                report.changes.append(
                    {
                        "submission": pk,
                        "platform": platform_id,
                        "platform_name": name,
                        "province": province,
                        "kind": kind,
                        "old_result": old,
                        "new_result": new,
                    }
                )
        report.transitions.update(results)
        report.invalid_answers += invalid
        report.submissions += len(results)
        if progress is not None:
            progress(report.submissions, len(rows))
    report.seconds = time.monotonic() - started
    return report


class Command(BaseCommand):
    help = (
        "Report how many stored submissions of rubric version OLD would change tier if "
        "rescored under NEW (in memory; nothing is written)."
    )

    def add_arguments(self, parser):
        parser.add_argument("old", metavar="OLD", help="stored version label, e.g. iip-2026@1.0")
        parser.add_argument("new", metavar="NEW", help="stored version label, e.g. iip-2026@1.1")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print the report as JSON"
        )
        parser.add_argument("--batch-size", type=int, default=1000, metavar="N")
        parser.add_argument(
            "--store",
            action="store_true",
            help="with NEW a draft (draft:ID): store the report on the draft for its web page "
            "(for large databases, where computing it during an upload would take too long)",
        )
        parser.add_argument(
            "--changes",
            type=int,
            default=20,
            metavar="N",
            help="list at most N of the platforms that change tier (default 20)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            metavar="N",
            help="score in N processes (e.g. the number of cores); default 1",
        )

    def handle(
        self,
        *args,
        old: str,
        new: str,
        as_json: bool,
        batch_size: int,
        workers: int,
        changes: int,
        store: bool = False,
        **options,
    ):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        versions = {version.label: version for version in RubricVersion.objects.all()}
        new_rubric = _draft_rubric(new) if new.startswith("draft:") else None
        unknown = [
            label
            for label in (old, new)
            if label not in versions and not label.startswith("draft:")
        ]
        if unknown:
            stored = ", ".join(sorted(versions)) or "none"
            raise CommandError(
                f"No stored rubric version {', '.join(unknown)} (stored: {stored}). "
                "Load a file first with manage.py load_rubric."
            )
        if new_rubric is None:
            new_rubric = rubric_of(versions[new])
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            share = 100 * done / total if total else 100
            elapsed = time.monotonic() - started
            self.stderr.write(f"rescored {done} of {total} ({share:.0f} %), {elapsed:.1f} s")
            self.stderr.flush()

        report = rubric_impact(
            old_version=versions[old],
            new_rubric=new_rubric,
            batch_size=batch_size,
            workers=workers,
            progress=progress,
        )
        if store and new.startswith("draft:"):
            draft = RubricDraft.objects.get(pk=int(new.removeprefix("draft:")))
            draft.compare_with = versions[old]
            draft.impact = report.to_dict()
            draft.impact_computed_at = timezone.now()
            draft.save(update_fields=["compare_with", "impact", "impact_computed_at"])
            self.stderr.write(f"Stored on {new}.")
        if as_json:
            self.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{old} → {new}: {report.submissions} submission(s) of {old} rescored in memory "
            "(nothing written)."
        )
        if report.submissions:
            self.stdout.write(f"\n{'old result':<12} {'new result':<12} {'submissions':>11}")
            for old_result, new_result, count in report.rows():
                mark = "  changed" if old_result != new_result else ""
                self.stdout.write(f"{old_result:<12} {new_result:<12} {count:>11}{mark}")
            share = 100 * report.changed / report.submissions
            self.stdout.write(
                f"\nWould change tier: {report.changed} of {report.submissions} ({share:.1f} %)."
            )
        self.stdout.write(
            f"Answers {new} cannot take (scored as unanswered): {report.invalid_answers}."
        )
        if report.changes and changes:
            self.stdout.write(
                f"\nPlatforms that change tier (first {min(changes, report.changed)}):"
            )
            for change in report.changes[:changes]:
                self.stdout.write(
                    f"  {change['platform_name']} ({change['province']}, {change['kind']}): "
                    f"{change['old_result']} → {change['new_result']}"
                )
        self.stdout.write(f"Time: {report.seconds:.1f} s ({workers} process(es)).")


def _draft_rubric(label: str) -> Rubric:
    from questionnaires.rubric import rubric_from_dict

    draft_id = label.removeprefix("draft:")
    draft = RubricDraft.objects.filter(pk=int(draft_id)).first() if draft_id.isdigit() else None
    if draft is None:
        raise CommandError(f"No rubric draft {label}.")
    return rubric_from_dict(draft.definition)
