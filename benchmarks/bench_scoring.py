"""Scoring speed: one submission of the default rubric, and rescoring 30 000 stored submissions.

Bars: scoring one submission well under 5 ms; rescoring 30 000 stored submissions under 60 s
on 2 cores. The benchmark database holds about 13 500 submissions, so the 30 000 are rescored
in several passes over all of them (nothing is seeded, nothing is written). Each pass loads the
submissions' answers, evidence and decisions from the database in batches of 1 000 (three
queries each) and scores them: the end-to-end figure. The baseline is the time to merely load
those inputs (the same batches, no scoring). Scoring runs in this process, then in 2 forked
worker processes while this one loads the next batches (rubric_impact --workers 2 does the
same). Wall-clock and CPU seconds are both printed: the machine may be shared.
"""

import itertools
import os
import time
from functools import partial

RESCORE_COUNT = 30_000
BATCH = 1000


def _line(name: str, seconds: float, baseline: float | None = None, bar: float | None = None):
    line = f"{name:<62} {seconds:8.2f} s"
    if baseline:
        line += f"  ratio to baseline {seconds / baseline:5.2f}x"
    if bar is not None:
        line += f"  bar {bar:g} s: {'OK' if seconds <= bar else 'OVER'}"
    print(line)


def run() -> None:
    from assessment.models import Submission
    from assessment.services.scoring import build_score_inputs, load_score_inputs
    from benchmarks.common import measure, report
    from questionnaires.management.commands.rubric_impact import (
        load_batches,
        rubric_impact,
        score_batch,
    )
    from questionnaires.models import RubricVersion
    from questionnaires.parallel import forked_map
    from questionnaires.scoring import score
    from questionnaires.selectors import rubric_of

    version = RubricVersion.objects.get(code="iip-2026", version="1.0")
    rubric = rubric_of(version)
    submissions = list(
        Submission.objects.filter(rubric_version=version)
        .order_by("pk")
        .values_list("pk", "platform_kind")
    )
    count = len(submissions)
    # The first RESCORE_COUNT of endless passes over every stored submission.
    passes = list(itertools.islice(itertools.cycle(submissions), RESCORE_COUNT))
    print(
        f"{count} stored submissions of {rubric.label} ({len(rubric.indicators)} indicators); "
        f"{RESCORE_COUNT} = {RESCORE_COUNT / count:.2f} passes; load average "
        + " ".join(f"{load:.1f}" for load in os.getloadavg())
    )

    # --- One submission ----------------------------------------------------------------------
    sample = [pk for pk, _kind in submissions[:500]]
    loaded = load_score_inputs(sample)
    kinds = dict(submissions[:500])
    inputs = [(kinds[pk], *build_score_inputs(rubric, *loaded[pk])) for pk in sample]
    one_cycle, load_cycle = itertools.cycle(inputs), itertools.cycle(sample)

    def score_next():
        kind, preconditions, answers = next(one_cycle)
        score(rubric, kind, preconditions, answers)

    load_one = measure(lambda: load_score_inputs([next(load_cycle)]), repeat=300, warmup=10)
    one = measure(score_next, repeat=3000, warmup=100)
    report("load one submission's inputs (3 queries)", load_one)
    report("score one submission (full derivation and plan)", one, load_one, bar_ms=5)

    # --- 30 000 ------------------------------------------------------------------------------
    def timed(function) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        return time.perf_counter() - wall, time.process_time() - cpu

    def load_only():
        for _batch in load_batches(passes, BATCH):
            pass

    def rescore(workers: int):
        batches = load_batches(passes, BATCH)
        scoring = forked_map(partial(score_batch, (rubric,)), batches, workers=workers)
        scored = sum(len(results) for results, _ in scoring)
        assert scored == RESCORE_COUNT

    load_wall, load_cpu = timed(load_only)
    _line(f"load the inputs of {RESCORE_COUNT} (batches of {BATCH})", load_wall)
    for workers in (1, 2):
        wall, cpu = timed(lambda workers=workers: rescore(workers))
        _line(
            f"load + score {RESCORE_COUNT}, scoring in {workers} process(es)",
            wall,
            baseline=load_wall,
            bar=60,
        )
        if workers == 1:
            print(
                f"  per submission: load {load_wall / RESCORE_COUNT * 1000:.3f} ms, "
                f"score {(wall - load_wall) / RESCORE_COUNT * 1000:.3f} ms; "
                f"CPU {cpu:.1f} s (load alone {load_cpu:.1f} s)"
            )

    # --- rubric_impact over everything (two scorings per submission, nothing written) ------------
    for workers in (1, 2):
        wall, _cpu = timed(
            lambda workers=workers: rubric_impact(
                old_version=version, new_rubric=rubric, workers=workers
            )
        )
        _line(
            f"rubric_impact {rubric.label} → itself, {count} submissions, {workers} process(es)",
            wall,
            baseline=load_wall * count / RESCORE_COUNT,
        )
