"""What changed between two rubric versions. Pure Python: two rubrics in, plain data out.

:func:`diff_rubrics` compares preconditions, dimensions (titles, action areas, weights per
kind), indicators (everything but their criteria) and criteria (keyed by indicator and tier:
gate, target per kind, text). Each changed item lists its changed fields with the old and new
value; texts are compared language by language. The criteria of an added or removed indicator
count as added or removed criteria.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from questionnaires.rubric import (
    KINDS,
    LANGUAGES,
    TIERS,
    Criterion,
    Dimension,
    Indicator,
    Precondition,
    Rubric,
    Text,
)

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"
STATUSES = (ADDED, REMOVED, CHANGED)


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One changed field: ``field`` names it; the qualifiers say which language, kind, …

    Values are plain: ``str``, ``bool``, ``Decimal``, ``int``, a tuple of codes, a
    :class:`Text` (an option's label when the option is added or removed), or ``None`` when
    the field is absent on that side.
    """

    field: str
    old: Any
    new: Any
    language: str = ""
    kind: str = ""
    tier: str = ""
    option: str = ""
    index: int | None = None

    @property
    def path(self) -> str:
        """A dotted path like the rubric file's: ``target.industry``, ``anchors[2].en``."""
        if self.field == "weight":
            return f"weights.{self.kind}"
        if self.field == "target":
            return f"target.{self.kind}"
        if self.field == "anchor":
            return f"anchors[{self.index}].{self.language}"
        if self.field == "option":
            return f"options.{self.option}"
        if self.field == "option_label":
            return f"options.{self.option}.label.{self.language}"
        if self.field == "option_satisfaction":
            return f"options.{self.option}.satisfaction.{self.tier}"
        return f"{self.field}.{self.language}" if self.language else self.field


@dataclass(frozen=True, slots=True)
class Change:
    """An added, removed or changed precondition, dimension, indicator or criterion."""

    status: str  # added | removed | changed
    code: str  # P1, D1, D1.2; for a criterion its indicator's code
    old: Any  # the item in the old rubric (None when added)
    new: Any  # the item in the new rubric (None when removed)
    fields: tuple[FieldChange, ...] = ()  # what changed (status "changed" only)
    tier: str = ""  # criteria only

    @property
    def current(self) -> Any:
        """The item as it stands: the new one, or the old one when removed."""
        return self.new if self.new is not None else self.old


@dataclass(frozen=True, slots=True)
class RubricDiff:
    old: Rubric
    new: Rubric
    rubric: tuple[FieldChange, ...]  # title and description
    preconditions: tuple[Change, ...]
    dimensions: tuple[Change, ...]
    indicators: tuple[Change, ...]
    criteria: tuple[Change, ...]

    @property
    def is_empty(self) -> bool:
        return not (
            self.rubric or self.preconditions or self.dimensions or self.indicators or self.criteria
        )

    def counts(self, section: str) -> dict[str, int]:
        """How many items of ``section`` (``criteria``, ``indicators`` …) were added, removed,
        changed."""
        changes: tuple[Change, ...] = getattr(self, section)
        return {status: sum(1 for c in changes if c.status == status) for status in STATUSES}


# --- Comparing fields ----------------------------------------------------------------------------


def _text_changes(field: str, old: Text | None, new: Text | None) -> Iterator[FieldChange]:
    for language in LANGUAGES:
        old_text = old.get(language) if old is not None else None
        new_text = new.get(language) if new is not None else None
        if old_text != new_text:
            yield FieldChange(field, old_text, new_text, language=language)


def _value_change(field: str, old: Any, new: Any) -> Iterator[FieldChange]:
    if old != new:
        yield FieldChange(field, old, new)


def _precondition_fields(old: Precondition, new: Precondition) -> Iterator[FieldChange]:
    yield from _text_changes("text", old.text, new.text)
    yield from _text_changes("help", old.help, new.help)


def _dimension_fields(old: Dimension, new: Dimension) -> Iterator[FieldChange]:
    yield from _text_changes("title", old.title, new.title)
    yield from _value_change("action_area", str(old.action_area or ""), str(new.action_area or ""))
    for kind in KINDS:
        if old.weight(kind) != new.weight(kind):
            yield FieldChange("weight", old.weight(kind), new.weight(kind), kind=kind)


def _indicator_fields(old: Indicator, new: Indicator) -> Iterator[FieldChange]:
    yield from _text_changes("title", old.title, new.title)
    yield from _text_changes("help", old.help, new.help)
    yield from _value_change("type", str(old.type), str(new.type))
    yield from _value_change("evidence", str(old.evidence), str(new.evidence))
    yield from _value_change("kinds", old.kinds, new.kinds)
    yield from _text_changes("unit", old.unit, new.unit)
    for index in range(max(len(old.anchors), len(new.anchors))):
        old_label = old.anchors[index].label if index < len(old.anchors) else None
        new_label = new.anchors[index].label if index < len(new.anchors) else None
        for change in _text_changes("anchor", old_label, new_label):
            yield FieldChange(
                "anchor", change.old, change.new, language=change.language, index=index
            )
    if old.options or new.options:
        yield from _value_change("multiple", old.multiple, new.multiple)
    yield from _value_change("tasks", old.tasks, new.tasks)
    yield from _value_change("actionable", old.actionable, new.actionable)
    yield from _option_fields(old, new)


def _option_fields(old: Indicator, new: Indicator) -> Iterator[FieldChange]:
    old_codes = [option.code for option in old.options]
    new_codes = [option.code for option in new.options]
    for code in _merged_order(old_codes, new_codes):
        old_option, new_option = old.option(code), new.option(code)
        if old_option is None or new_option is None:
            yield FieldChange(
                "option",
                old_option.label if old_option else None,
                new_option.label if new_option else None,
                option=code,
            )
            continue
        for change in _text_changes("option_label", old_option.label, new_option.label):
            yield FieldChange(
                "option_label", change.old, change.new, language=change.language, option=code
            )
        if old_option.exclusive != new_option.exclusive:
            yield FieldChange(
                "option_exclusive", old_option.exclusive, new_option.exclusive, option=code
            )
        for tier in TIERS:
            old_value = old_option.satisfaction.get(tier)
            new_value = new_option.satisfaction.get(tier)
            if old_value != new_value:
                yield FieldChange(
                    "option_satisfaction", old_value, new_value, option=code, tier=tier
                )


def _criterion_fields(old: Criterion, new: Criterion) -> Iterator[FieldChange]:
    yield from _value_change("gate", old.gate, new.gate)
    for kind in KINDS:
        old_target, new_target = old.target_for(kind), new.target_for(kind)
        if old_target != new_target:
            yield FieldChange("target", old_target, new_target, kind=kind)
    yield from _text_changes("text", old.text, new.text)


# --- Matching items by code ----------------------------------------------------------------------


def _merged_order(old_codes: list[str], new_codes: list[str]) -> list[str]:
    """The new codes in order, each removed code placed after the code it followed."""
    merged = list(new_codes)
    for position, code in enumerate(old_codes):
        if code in merged:
            continue
        previous = old_codes[position - 1] if position else None
        merged.insert(merged.index(previous) + 1 if previous in merged else 0, code)
    return merged


def _natural_key(code: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


def _compare[T](
    old_items: Iterable[T],
    new_items: Iterable[T],
    fields: Callable[[T, T], Iterator[FieldChange]],
) -> tuple[Change, ...]:
    old_by_code = {item.code: item for item in old_items}
    new_by_code = {item.code: item for item in new_items}
    changes = []
    for code in sorted(old_by_code.keys() | new_by_code.keys(), key=_natural_key):
        old_item, new_item = old_by_code.get(code), new_by_code.get(code)
        if old_item is None:
            changes.append(Change(ADDED, code, None, new_item))
        elif new_item is None:
            changes.append(Change(REMOVED, code, old_item, None))
        else:
            changed_fields = tuple(fields(old_item, new_item))
            if changed_fields:
                changes.append(Change(CHANGED, code, old_item, new_item, changed_fields))
    return tuple(changes)


def _compare_criteria(old: Rubric, new: Rubric) -> tuple[Change, ...]:
    def by_key(rubric: Rubric) -> dict[tuple[str, str], Criterion]:
        return {
            (indicator.code, criterion.tier): criterion
            for indicator in rubric.indicators
            for criterion in indicator.criteria
        }

    old_criteria, new_criteria = by_key(old), by_key(new)
    keys = sorted(
        old_criteria.keys() | new_criteria.keys(),
        key=lambda key: (_natural_key(key[0]), TIERS.index(key[1])),
    )
    changes = []
    for code, tier in keys:
        old_criterion = old_criteria.get((code, tier))
        new_criterion = new_criteria.get((code, tier))
        if old_criterion is None:
            changes.append(Change(ADDED, code, None, new_criterion, tier=tier))
        elif new_criterion is None:
            changes.append(Change(REMOVED, code, old_criterion, None, tier=tier))
        else:
            changed_fields = tuple(_criterion_fields(old_criterion, new_criterion))
            if changed_fields:
                changes.append(
                    Change(CHANGED, code, old_criterion, new_criterion, changed_fields, tier=tier)
                )
    return tuple(changes)


def diff_rubrics(old: Rubric, new: Rubric) -> RubricDiff:
    """Everything that differs from ``old`` to ``new``, section by section, in code order."""
    return RubricDiff(
        old=old,
        new=new,
        rubric=(
            *_text_changes("title", old.title, new.title),
            *_text_changes("description", old.description, new.description),
        ),
        preconditions=_compare(old.preconditions, new.preconditions, _precondition_fields),
        dimensions=_compare(old.dimensions, new.dimensions, _dimension_fields),
        indicators=_compare(old.indicators, new.indicators, _indicator_fields),
        criteria=_compare_criteria(old, new),
    )
