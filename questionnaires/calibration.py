"""The intended share of platforms at each tier, and the demo data generated to it.

The calibration (sources and arithmetic in docs/rubric.md): the smart-factory programme's tiers
stand at about 100 : 4 : 0.8 from the lowest to the third tier, so each tier above the lowest
holds about a fifth of the one below it once the first step is taken; the rubric intends the
same pyramid for platforms, continued one step to the ecosystem tier (0.8 : 0.16), among the
platforms that are rated. Below basic (a failed precondition, or a platform not yet at the
basic bar) a further share is not rated.

:func:`calibration_shares` generates a population with the demo data generator
(``assessment.demo``): a platform's maturity is drawn to the intended shares, each answer is
the demo's answer at that maturity (numbers at 1 to 1.6 times the tier's target, the levels
and options of the tier, a per-answer spread of ±0.45 tiers), with its evidence verified and
the preconditions met, and the population is scored under the rubric. If the thresholds hang
together (no hidden veto, no tier out of step with the others), the shares come back.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from questionnaires.rubric import KINDS, TIERS, Rubric

NOT_RATED = "not_rated"

#: Intended shares among rated platforms: 100 : 4 : 0.8 : 0.16, normalised.
_PYRAMID = {"basic": 100, "growth": 4, "leading": 0.8, "ecosystem": 0.16}
RATED_SHARES = {tier: weight / sum(_PYRAMID.values()) for tier, weight in _PYRAMID.items()}
#: Intended share of applicants not rated (below the basic bar or a failed precondition).
NOT_RATED_SHARE = 0.10
INTENDED_SHARES = {
    NOT_RATED: NOT_RATED_SHARE,
    **{tier: (1 - NOT_RATED_SHARE) * share for tier, share in RATED_SHARES.items()},
}
#: Platform kinds in the population, as in the demo data (industry : specialized : collaborative).
KIND_WEIGHTS = {"industry": 5, "specialized": 3, "collaborative": 2}
#: A platform meant for tier k has maturity k + 0.5 (the middle of the tier's band); one meant
#: to be below basic has maturity 0.3.
_MATURITY = {NOT_RATED: 0.3, **{tier: index + 1.5 for index, tier in enumerate(TIERS)}}


@dataclass(frozen=True)
class CalibrationRun:
    rubric: str
    platforms: int
    intended: dict[str, int]  # platforms drawn for each result
    scored: dict[str, int]  # results the rubric gives them
    by_kind: dict[str, dict[str, int]]  # kind → result → platforms

    def share(self, result: str, counts: dict[str, int] | None = None) -> float:
        counts = self.scored if counts is None else counts
        return counts.get(result, 0) / self.platforms if self.platforms else 0.0

    @property
    def agreement(self) -> float:
        """Share of platforms whose scored result is the one they were drawn for."""
        return self._agreement

    def lines(self) -> list[str]:
        order = [NOT_RATED, *TIERS]
        lines = [
            f"{self.rubric}: {self.platforms} demo platforms generated to the calibration",
            f"{'result':<11} {'intended':>9} {'drawn':>7} {'scored':>7} {'share':>7}",
        ]
        for result in order:
            lines.append(
                f"{result:<11} {100 * INTENDED_SHARES[result]:>8.2f}% "
                f"{self.intended.get(result, 0):>7} {self.scored.get(result, 0):>7} "
                f"{100 * self.share(result):>6.2f}%"
            )
        lines.append("by kind (scored): " + "; ".join(
            f"{kind} " + " ".join(f"{r}={self.by_kind[kind].get(r, 0)}" for r in order)
            for kind in KINDS
        ))  # fmt: skip
        lines.append(f"scored as drawn: {100 * self.agreement:.1f} %")
        return lines


def calibration_shares(rubric: Rubric, *, platforms: int = 3000, seed: int = 1) -> CalibrationRun:
    """Generate ``platforms`` demo submissions to the intended shares and score them."""
    from assessment.demo import _demo_answer, _maturity_level
    from questionnaires.scoring import AnswerInput, score

    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    order = list(INTENDED_SHARES)
    intended: Counter[str] = Counter()
    scored: Counter[str] = Counter()
    by_kind: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}
    agree = 0
    preconditions = {precondition.code: True for precondition in rubric.preconditions}
    for number in range(platforms):
        # The population does not depend on the rubric: the same platforms for every version.
        drawn = rng.choices(order, weights=[INTENDED_SHARES[r] for r in order])[0]
        kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
        maturity = _MATURITY[drawn]
        answer_rng = random.Random(f"calibration/{seed}/{number}")  # noqa: S311
        answers = {
            indicator.code: AnswerInput(
                _demo_answer(answer_rng, indicator, kind, _maturity_level(answer_rng, maturity)),
                "verified",
            )
            for indicator in rubric.indicators
            if indicator.applies_to(kind)
        }
        result = score(rubric, kind, preconditions, answers).result
        intended[drawn] += 1
        scored[result] += 1
        by_kind[kind][result] += 1
        agree += result == drawn
    run = CalibrationRun(
        rubric=rubric.label,
        platforms=platforms,
        intended=dict(intended),
        scored=dict(scored),
        by_kind={kind: dict(counts) for kind, counts in by_kind.items()},
    )
    object.__setattr__(run, "_agreement", agree / platforms if platforms else 0.0)
    return run
