"""What a rubric measures, and where it could veto without saying so (pure Python).

- :func:`task_coverage`: the Action Plan task × tier matrix (which indicators measure each task
  at each tier), shown on the rubric page.
- :func:`single_criterion_cells`: dimension-and-tier cells holding one criterion for a kind.
  With the 0.5 dimension floor, such a cell turns one non-gate answer into a veto of the
  tier; the rubric design rules want two criteria per cell (a veto is declared as a gate or a
  precondition).
- :func:`rubric_warnings`: both, as ``path: message`` lines for ``check_rubric`` and the
  upload page (warnings, not refusals).
"""

from __future__ import annotations

from dataclasses import dataclass

from questionnaires.rubric import KINDS, TIERS, Rubric

#: A task counts as measured when an indicator has a criterion at one of these tiers.
MEASURED_BY = ("basic", "growth")


@dataclass(frozen=True, slots=True)
class Cell:
    kind: str
    dimension: str
    tier: str
    indicators: tuple[str, ...]  # the indicators with a criterion in the cell


def cells(rubric: Rubric) -> list[Cell]:
    """Every non-empty dimension-and-tier cell, per kind."""
    found = []
    for kind in KINDS:
        for dimension in rubric.dimensions:
            for tier in TIERS:
                codes = tuple(
                    indicator.code
                    for indicator in dimension.indicators
                    if indicator.applies_to(kind) and indicator.criterion(tier) is not None
                )
                if codes:
                    found.append(
                        Cell(kind=kind, dimension=dimension.code, tier=tier, indicators=codes)
                    )
    return found


def single_criterion_cells(rubric: Rubric) -> list[Cell]:
    """Cells with one criterion, not a gate (a gate is a declared veto)."""
    return [
        cell
        for cell in cells(rubric)
        if len(cell.indicators) == 1
        and not rubric.indicator(cell.indicators[0]).criterion(cell.tier).gate
    ]


def task_coverage(rubric: Rubric) -> dict[str, dict[str, tuple[str, ...]]]:
    """task code → tier → the indicators measuring the task with a criterion at that tier."""
    coverage: dict[str, dict[str, list[str]]] = {
        task.code: {tier: [] for tier in TIERS} for task in rubric.tasks
    }
    for indicator in rubric.indicators:
        for task in indicator.tasks:
            for criterion in indicator.criteria:
                coverage[task][criterion.tier].append(indicator.code)
    return {
        task: {tier: tuple(codes) for tier, codes in tiers.items()}
        for task, tiers in coverage.items()
    }


def unmeasured_tasks(rubric: Rubric, tiers: tuple[str, ...] = TIERS) -> list[str]:
    """Tasks that no indicator measures at any of ``tiers``."""
    return [
        task
        for task, by_tier in task_coverage(rubric).items()
        if not any(by_tier[tier] for tier in tiers)
    ]


def rubric_warnings(rubric: Rubric) -> list[str]:
    """Design-rule warnings (the file is still valid), each as ``path: message``."""
    warnings = []
    positions = {dimension.code: index for index, dimension in enumerate(rubric.dimensions)}
    for cell in single_criterion_cells(rubric):
        warnings.append(
            f"dimensions[{positions[cell.dimension]}] ({cell.dimension}), tier {cell.tier}, "
            f"kind {cell.kind}: a single criterion ({cell.indicators[0]}); with the 0.5 floor "
            "one answer vetoes the tier: add a criterion or declare it a gate"
        )
    if rubric.actions:
        for task in unmeasured_tasks(rubric):
            warnings.append(f"actions (task {task}): no indicator measures this task")
        for task in unmeasured_tasks(rubric, MEASURED_BY):
            if task not in unmeasured_tasks(rubric):
                warnings.append(
                    f"actions (task {task}): measured only above growth; measure it at "
                    "growth or below"
                )
    else:
        warnings.append(
            "actions: missing; the rubric does not trace its indicators to the Action Plan's tasks"
        )
    return warnings
