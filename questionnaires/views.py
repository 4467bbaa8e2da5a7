"""The rubric browser: stored rubric versions, read-only and public, and the diff of two.

Rubric versions are published documents: every page here is open to anyone, signed in or not,
so there is no scoping through assessment.permissions. Rubric text comes from the rubric's own
per-language fields, in the reader's language.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessment.models import AssessmentCycle, Submission
from questionnaires.choices import PlatformKind, Tier
from questionnaires.coverage import MEASURED_BY, rubric_warnings, task_coverage
from questionnaires.diff import REMOVED, Change, FieldChange, RubricDiff, diff_rubrics
from questionnaires.models import RubricVersion
from questionnaires.rubric import KINDS, TIERS, Indicator, QuestionType, Rubric, Text
from questionnaires.selectors import rubric_of

QUESTION_TYPE_LABELS = {
    "boolean": gettext_lazy("Yes or no"),
    "ordinal": gettext_lazy("Four levels"),
    "numeric": gettext_lazy("Number"),
    "percentage": gettext_lazy("Percentage"),
    "choice": gettext_lazy("Choice"),
}
EVIDENCE_MODE_LABELS = {
    "required": gettext_lazy("Evidence required"),
    "optional": gettext_lazy("Evidence optional"),
    "none": gettext_lazy("No evidence needed"),
}
ACTION_AREA_LABELS = {
    "cultivation": gettext_lazy("Tiered cultivation"),
    "data_intelligence": gettext_lazy("Data and intelligence"),
    "scaled_application": gettext_lazy("Scaled application"),
    "ecosystem_security": gettext_lazy("Ecosystem and security"),
}
STATUS_LABELS = {
    "added": gettext_lazy("Added"),
    "removed": gettext_lazy("Removed"),
    "changed": gettext_lazy("Changed"),
}
_LANGUAGE_LABELS = {"zh-hans": gettext_lazy("Chinese"), "en": gettext_lazy("English")}
_FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "description": gettext_lazy("Description"),
    "text": gettext_lazy("Text"),
    "help": gettext_lazy("Guidance"),
    "unit": gettext_lazy("Unit"),
    "type": gettext_lazy("Question type"),
    "evidence": gettext_lazy("Evidence"),
    "kinds": gettext_lazy("Platform kinds"),
    "multiple": gettext_lazy("Several options may be chosen"),
    "action_area": gettext_lazy("Action area"),
    "gate": gettext_lazy("Gate"),
    "tasks": gettext_lazy("Action Plan tasks"),
    "actionable": gettext_lazy("Can be improved now"),
}


# --- Reads ---------------------------------------------------------------------------------------


def _versions_with_use() -> QuerySet[RubricVersion]:
    """Stored versions with how many cycles use each and whether any submission does."""
    cycle_count = (
        AssessmentCycle.objects.filter(rubric_version=OuterRef("pk"))
        .order_by()
        .values("rubric_version")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return RubricVersion.objects.defer("definition").annotate(
        cycle_count=Coalesce(Subquery(cycle_count, output_field=IntegerField()), 0),
        in_use=Exists(Submission.objects.filter(rubric_version=OuterRef("pk"))),
    )


def _version_or_404(label: str, queryset: QuerySet[RubricVersion] | None = None) -> RubricVersion:
    code, _at, version = label.partition("@")
    if queryset is None:
        queryset = RubricVersion.objects.defer("definition")
    found = queryset.filter(code=code, version=version)
    rubric_version = found.first()
    if rubric_version is None:
        raise Http404("no such rubric version")
    return rubric_version


# --- Presentation --------------------------------------------------------------------------------


def _number(value: Decimal | int) -> str:
    text = format(Decimal(value).normalize(), "f")
    return f"{int(text):,}".replace(",", " ") if "." not in text else text


def _join(items: list[Any], language: str) -> str:
    separator = ", " if language.startswith("en") else "、"
    return separator.join(str(item) for item in items)


def _targets(criterion, indicator: Indicator) -> list[dict[str, str]]:
    suffix = " %" if indicator.type == QuestionType.PERCENTAGE else ""
    return [
        {"kind": kind, "label": PlatformKind(kind).label, "value": _number(target) + suffix}
        for kind in KINDS
        if (target := criterion.target_for(kind)) is not None
    ]


def _indicator_view(indicator: Indicator, language: str) -> dict[str, Any]:
    by_tier = {criterion.tier: criterion for criterion in indicator.criteria}
    cells = []
    for tier in TIERS:
        criterion = by_tier.get(tier)
        cells.append(
            None
            if criterion is None
            else {
                "tier": tier,
                "gate": criterion.gate,
                "text": criterion.text.get(language) if criterion.text else "",
                "targets": _targets(criterion, indicator),
            }
        )
    return {
        "code": indicator.code,
        "title": indicator.title.get(language),
        "help": indicator.help.get(language),
        "type": QUESTION_TYPE_LABELS[indicator.type],
        "evidence": EVIDENCE_MODE_LABELS[indicator.evidence],
        "kinds": _join([PlatformKind(kind).label for kind in indicator.kinds], language),
        "all_kinds": len(indicator.kinds) == len(KINDS),
        "unit": indicator.unit.get(language) if indicator.unit else "",
        "multiple": indicator.multiple,
        "anchors": [
            {"index": anchor.index, "label": anchor.label.get(language), "s": anchor.satisfaction}
            for anchor in indicator.anchors
        ],
        "options": [
            {
                "code": option.code,
                "label": option.label.get(language),
                "satisfaction": [
                    {"tier": tier, "label": Tier(tier).label, "value": _number(value)}
                    for tier in TIERS
                    if (value := option.satisfaction.get(tier)) is not None
                ],
            }
            for option in indicator.options
        ],
        "criteria": cells,
        "tasks": _join(list(indicator.tasks), language),
        "actionable": indicator.actionable,
        "exclusive": sorted(indicator.exclusive_options),
    }


def _dimension_area(dimension, rubric: Rubric, language: str) -> str:
    """The dimension's action area, or the Action Plan actions its indicators' tasks belong to."""
    if dimension.action_area is not None:
        return str(ACTION_AREA_LABELS[dimension.action_area])
    titles = {action.code: action.title.get(language) for action in rubric.actions}
    return _join([f"{code} {titles[code]}" for code in dimension.action_codes], language)


def _coverage_view(rubric: Rubric, language: str) -> list[dict[str, Any]]:
    """The task × tier matrix: which indicators measure each Action Plan task at each tier."""
    coverage = task_coverage(rubric)
    rows = []
    for action in rubric.actions:
        for task in action.tasks:
            by_tier = coverage[task.code]
            rows.append(
                {
                    "code": task.code,
                    "title": task.title.get(language),
                    "action": f"{action.code} {action.title.get(language)}",
                    "cells": [list(by_tier[tier]) for tier in TIERS],
                    "measured_low": any(by_tier[tier] for tier in MEASURED_BY),
                }
            )
    return rows


def _rubric_view(rubric: Rubric, language: str) -> dict[str, Any]:
    dimensions = [
        {
            "code": dimension.code,
            "title": dimension.title.get(language),
            "action_area": _dimension_area(dimension, rubric, language),
            "weights": [
                {"kind": PlatformKind(kind).label, "value": dimension.weight(kind)}
                for kind in KINDS
            ],
            "indicators": [_indicator_view(i, language) for i in dimension.indicators],
        }
        for dimension in rubric.dimensions
    ]
    criteria = [criterion for indicator in rubric.indicators for criterion in indicator.criteria]
    return {
        "label": rubric.label,
        "title": rubric.title.get(language),
        "description": rubric.description.get(language) if rubric.description else "",
        "preconditions": [
            {
                "code": precondition.code,
                "text": precondition.text.get(language),
                "help": precondition.help.get(language) if precondition.help else "",
            }
            for precondition in rubric.preconditions
        ],
        "dimensions": dimensions,
        "coverage": _coverage_view(rubric, language),
        "warnings": rubric_warnings(rubric) if rubric.actions else [],
        "weight_totals": [
            sum(dimension.weight(kind) for dimension in rubric.dimensions) for kind in KINDS
        ],
        "indicator_count": len(rubric.indicators),
        "criterion_count": len(criteria),
        "gate_count": sum(1 for criterion in criteria if criterion.gate),
        "criteria_by_tier": [
            {
                "tier": tier,
                "label": Tier(tier).label,
                "count": sum(1 for criterion in criteria if criterion.tier == tier),
            }
            for tier in TIERS
        ],
    }


def _value_text(field_change: FieldChange, value: Any, language: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, Text):
        return value.get(language)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal | int):
        return _number(value)
    field = field_change.field
    if field == "kinds":
        return _join([PlatformKind(kind).label for kind in value], language)
    if field == "type":
        return str(QUESTION_TYPE_LABELS[value])
    if field == "evidence":
        return str(EVIDENCE_MODE_LABELS[value])
    if field == "action_area":
        return str(ACTION_AREA_LABELS[value]) if value else "—"
    if field == "tasks":
        return _join(list(value), language) or "—"
    return str(value)


def _field_label(field_change: FieldChange) -> str:
    field = field_change.field
    if field == "weight":
        label = _("Weight (%(kind)s)") % {"kind": PlatformKind(field_change.kind).label}
    elif field == "target":
        label = _("Target (%(kind)s)") % {"kind": PlatformKind(field_change.kind).label}
    elif field == "anchor":
        label = _("Level %(index)s") % {"index": field_change.index}
    elif field == "option":
        label = _("Option %(code)s") % {"code": field_change.option}
    elif field == "option_exclusive":
        label = _("Option %(code)s: excludes the others") % {"code": field_change.option}
    elif field == "option_label":
        label = _("Option %(code)s: label") % {"code": field_change.option}
    elif field == "option_satisfaction":
        label = _("Option %(code)s: satisfaction at %(tier)s") % {
            "code": field_change.option,
            "tier": Tier(field_change.tier).label,
        }
    else:
        label = str(_FIELD_LABELS[field])
    if field_change.language:
        label += f" ({_LANGUAGE_LABELS[field_change.language]})"
    return label


def _fields_view(fields: tuple[FieldChange, ...], language: str) -> list[dict[str, str]]:
    return [
        {
            "path": field_change.path,
            "label": _field_label(field_change),
            "old": _value_text(field_change, field_change.old, language),
            "new": _value_text(field_change, field_change.new, language),
        }
        for field_change in fields
    ]


def _title_of(item: Any, language: str) -> str:
    for attribute in ("title", "text"):
        value = getattr(item, attribute, None)
        if isinstance(value, Text):
            return value.get(language)
    return ""


def _criterion_change_view(change: Change, diff: RubricDiff, language: str) -> dict[str, Any]:
    rubric = diff.old if change.status == REMOVED else diff.new
    indicator = rubric.indicator(change.code)
    criterion = change.current
    return {
        "status": change.status,
        "status_label": STATUS_LABELS[change.status],
        "code": change.code,
        "indicator_title": indicator.title.get(language),
        "tier": change.tier,
        "tier_label": Tier(change.tier).label,
        "gate": criterion.gate,
        "text": criterion.text.get(language) if criterion.text else "",
        "targets": _targets(criterion, indicator),
        "fields": _fields_view(change.fields, language),
    }


def _change_view(change: Change, language: str) -> dict[str, Any]:
    return {
        "status": change.status,
        "status_label": STATUS_LABELS[change.status],
        "code": change.code,
        "title": _title_of(change.current, language),
        "fields": _fields_view(change.fields, language),
    }


def _diff_view(diff: RubricDiff, language: str) -> dict[str, Any]:
    sections = [
        ("preconditions", _("Preconditions")),
        ("dimensions", _("Dimensions and weights")),
        ("indicators", _("Indicators")),
    ]
    return {
        "is_empty": diff.is_empty,
        "rubric_fields": _fields_view(diff.rubric, language),
        "criteria": [_criterion_change_view(c, diff, language) for c in diff.criteria],
        "criteria_counts": diff.counts("criteria"),
        "sections": [
            {
                "name": name,
                "heading": heading,
                "counts": diff.counts(name),
                "changes": [_change_view(change, language) for change in getattr(diff, name)],
            }
            for name, heading in sections
        ],
    }


# --- Views ---------------------------------------------------------------------------------------


@require_safe
def rubric_list(request: HttpRequest) -> HttpResponse:
    versions = list(_versions_with_use())
    return render(
        request,
        "questionnaires/rubric_list.html",
        {"versions": versions, "labels": [version.label for version in versions]},
    )


@require_safe
def rubric_detail(request: HttpRequest, label: str) -> HttpResponse:
    rubric_version = _version_or_404(label, _versions_with_use())
    language = get_language()
    others = [
        version.label
        for version in RubricVersion.objects.filter(code=rubric_version.code)
        .exclude(pk=rubric_version.pk)
        .only("code", "version")
    ]
    return render(
        request,
        "questionnaires/rubric_detail.html",
        {
            "rubric_version": rubric_version,
            "rubric": _rubric_view(rubric_of(rubric_version), language),
            "kinds": [PlatformKind(kind).label for kind in KINDS],
            "tiers": [{"code": tier, "label": Tier(tier).label} for tier in TIERS],
            "other_labels": others,
        },
    )


@require_safe
def rubric_compare(request: HttpRequest) -> HttpResponse:
    """The list page's compare form (a GET form): on to the diff of the two chosen versions."""
    old_label = request.GET.get("old", "")
    new_label = request.GET.get("new", "")
    labels = {version.label for version in RubricVersion.objects.only("code", "version")}
    if old_label not in labels or new_label not in labels:
        messages.error(request, _("Choose two stored rubric versions to compare."))
        return redirect("rubric_list")
    return redirect("rubric_diff", old_label=old_label, new_label=new_label)


@require_safe
def rubric_diff(request: HttpRequest, old_label: str, new_label: str) -> HttpResponse:
    old_version = _version_or_404(old_label)
    new_version = _version_or_404(new_label)
    language = get_language()
    diff = diff_rubrics(rubric_of(old_version), rubric_of(new_version))
    return render(
        request,
        "questionnaires/rubric_diff.html",
        {
            "old_version": old_version,
            "new_version": new_version,
            "diff": _diff_view(diff, language),
            "swap_url": reverse(
                "rubric_diff", kwargs={"old_label": new_label, "new_label": old_label}
            ),
        },
    )
