"""Previewing a rubric change (administrators): upload a candidate version, see what it would
do to the stored submissions, publish it for a cycle.

A draft is a ``RubricDraft``: checked completely on upload (every problem with its path), stored
where no cycle can use it, with the impact of rescoring the submissions of the version it is
compared with (old tier × new tier, per province and kind, and the platforms that change tier).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessment.errors import ApplicationError
from assessment.models import AssessmentCycle, Region
from questionnaires.choices import TIER_COLOURS, PlatformKind, Result
from questionnaires.models import RubricDraft, RubricVersion
from questionnaires.services import (
    RubricInvalid,
    rubric_draft_compute_impact,
    rubric_draft_publish,
    rubric_draft_upload,
)

RESULTS = [result.value for result in Result]  # not_rated, basic … ecosystem
CHANGES_SHOWN = 200


def _require_admin(request: HttpRequest) -> None:
    if not request.user.is_admin:
        raise Http404  # out of scope looks like missing


class DraftUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Rubric file (YAML)"),
        required=False,
        help_text=gettext_lazy("A file in the format of questionnaires/rubrics/FORMAT.md."),
    )
    text = forms.CharField(
        label=gettext_lazy("… or paste the YAML"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )
    compare_with = forms.ModelChoiceField(
        label=gettext_lazy("Compare with the submissions of"),
        queryset=RubricVersion.objects.none(),
        required=False,
        empty_label=gettext_lazy("(no comparison)"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compare_with"].queryset = RubricVersion.objects.all()
        latest = AssessmentCycle.objects.order_by("-opens_on").first()
        if latest is not None and not self.is_bound:
            self.initial["compare_with"] = latest.rubric_version_id

    def yaml_text(self) -> str:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            try:
                return upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise ApplicationError(
                    "not_utf8", _("The file is not UTF-8 text."), field="file"
                ) from None
        return self.cleaned_data.get("text") or ""

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not (cleaned.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a rubric file or paste its YAML."))
        return cleaned


class PublishForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label=gettext_lazy("Make it the rubric of cycle"),
        queryset=AssessmentCycle.objects.none(),
        required=False,
        empty_label=gettext_lazy("(store it only; no cycle yet)"),
        to_field_name="code",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = AssessmentCycle.objects.filter(
            submissions__isnull=True
        ).order_by("-opens_on")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def rubric_drafts(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    problems: list[str] = []
    if request.method == "POST":
        form = DraftUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                draft = rubric_draft_upload(
                    user=request.user,
                    text=form.yaml_text(),
                    compare_with=form.cleaned_data["compare_with"],
                )
            except RubricInvalid as error:
                problems = error.problems
                form.add_error(None, error.message)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Draft %(label)s stored; no cycle uses it yet.") % {"label": draft.label},
                )
                return redirect("rubric_draft_detail", draft_id=draft.pk)
    else:
        form = DraftUploadForm()
    drafts = RubricDraft.objects.select_related("compare_with", "uploaded_by", "published_version")
    return render(
        request,
        "questionnaires/rubric_drafts.html",
        {"form": form, "problems": problems, "drafts": drafts[:50]},
        status=400 if problems else 200,
    )


def _matrix(counts: Counter[tuple[str, str]]) -> list[dict[str, Any]]:
    return [
        {
            "result": old,
            "label": Result(old).label,
            "cells": [
                {"result": new, "count": counts.get((old, new), 0), "changed": old != new}
                for new in RESULTS
            ],
            "total": sum(counts.get((old, new), 0) for new in RESULTS),
        }
        for old in RESULTS
    ]


def _chart(counts: Counter[tuple[str, str]]) -> dict[str, Any]:
    """A Plotly heatmap spec: old result (rows) × new result (columns), drawn by dashboards.js."""
    labels = [str(Result(result).label) for result in RESULTS]
    z = [[counts.get((old, new), 0) for new in RESULTS] for old in RESULTS]
    return {
        "data": [
            {
                "type": "heatmap",
                "z": z,
                "x": labels,
                "y": labels,
                "text": [[str(value) for value in row] for row in z],
                "texttemplate": "%{text}",
                "colorscale": [[0, "#f4f6fa"], [1, TIER_COLOURS["leading"]]],
                "showscale": False,
                "hovertemplate": _("old %{y} → new %{x}: %{z}") + "<extra></extra>",
            }
        ],
        "layout": {
            "margin": {"l": 90, "r": 10, "t": 10, "b": 60},
            "height": 320,
            "xaxis": {"title": {"text": _("New result")}, "side": "bottom"},
            "yaxis": {"title": {"text": _("Old result")}, "autorange": "reversed"},
        },
        "config": {"displayModeBar": False, "responsive": True},
    }


def _impact_view(impact: dict, province: str, kind: str, language: str) -> dict[str, Any]:
    groups = impact.get("groups", [])
    codes = sorted({group["province"] for group in groups})
    names = {
        region.code: region.name_en if language == "en" else region.name_zh_hans
        for region in Region.objects.filter(code__in=codes)
    }
    selected = [
        group
        for group in groups
        if (not province or group["province"] == province) and (not kind or group["kind"] == kind)
    ]
    counts: Counter[tuple[str, str]] = Counter()
    for group in selected:
        counts[(group["old_result"], group["new_result"])] += group["submissions"]
    summary: dict[tuple[str, str], dict[str, int]] = {}
    for group in groups:
        row = summary.setdefault(
            (group["province"], group["kind"]), {"submissions": 0, "up": 0, "down": 0}
        )
        row["submissions"] += group["submissions"]
        step = RESULTS.index(group["new_result"]) - RESULTS.index(group["old_result"])
        if step > 0:
            row["up"] += group["submissions"]
        elif step < 0:
            row["down"] += group["submissions"]
    changes = [
        change
        for change in impact.get("changes", [])
        if (not province or change["province"] == province) and (not kind or change["kind"] == kind)
    ]
    return {
        "submissions": sum(counts.values()),
        "changed": sum(count for (old, new), count in counts.items() if old != new),
        "matrix": _matrix(counts),
        "chart": _chart(counts),
        "result_labels": [Result(result).label for result in RESULTS],
        "provinces": [{"code": code, "name": names.get(code, code)} for code in codes],
        "kinds": [
            {"code": code, "label": PlatformKind(code).label} for code in PlatformKind.values
        ],
        "summary": [
            {
                "province": names.get(code, code),
                "kind": PlatformKind(kind_code).label,
                **row,
                "changed": row["up"] + row["down"],
            }
            for (code, kind_code), row in sorted(summary.items())
        ],
        "changes": [
            {
                **change,
                "province_name": names.get(change["province"], change["province"]),
                "kind_label": PlatformKind(change["kind"]).label,
                "old_label": Result(change["old_result"]).label,
                "new_label": Result(change["new_result"]).label,
                "up": RESULTS.index(change["new_result"]) > RESULTS.index(change["old_result"]),
            }
            for change in changes[:CHANGES_SHOWN]
        ],
        "changes_total": len(changes),
        "invalid_answers": impact.get("invalid_answers", 0),
        "seconds": impact.get("seconds"),
    }


@login_required
def rubric_draft_detail(request: HttpRequest, draft_id: int) -> HttpResponse:
    _require_admin(request)
    draft = get_object_or_404(
        RubricDraft.objects.select_related("compare_with", "uploaded_by", "published_version"),
        pk=draft_id,
    )
    province = request.GET.get("province", "")
    kind = request.GET.get("kind", "")
    impact = _impact_view(draft.impact, province, kind, get_language()) if draft.impact else None
    return render(
        request,
        "questionnaires/rubric_draft_detail.html",
        {
            "draft": draft,
            "impact": impact,
            "province": province,
            "kind": kind,
            "publish_form": PublishForm(),
        },
    )


@login_required
@require_POST
def rubric_draft_impact(request: HttpRequest, draft_id: int) -> HttpResponse:
    _require_admin(request)
    draft = get_object_or_404(RubricDraft, pk=draft_id)
    rubric_draft_compute_impact(draft=draft)
    messages.success(request, _("The impact was computed again on the stored submissions."))
    return redirect("rubric_draft_detail", draft_id=draft.pk)


@login_required
@require_POST
def rubric_draft_publish_view(request: HttpRequest, draft_id: int) -> HttpResponse:
    _require_admin(request)
    draft = get_object_or_404(RubricDraft, pk=draft_id)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a cycle without submissions, or none."))
        return redirect("rubric_draft_detail", draft_id=draft.pk)
    cycle = form.cleaned_data["cycle"]
    try:
        version = rubric_draft_publish(draft=draft, user=request.user, cycle=cycle)
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return redirect("rubric_draft_detail", draft_id=draft.pk)
    if cycle is not None:
        messages.success(
            request,
            _("Published %(label)s as the rubric of cycle %(cycle)s.")
            % {"label": version.label, "cycle": cycle.code},
        )
    else:
        messages.success(request, _("Published %(label)s.") % {"label": version.label})
    return redirect("rubric_detail", label=version.label)
