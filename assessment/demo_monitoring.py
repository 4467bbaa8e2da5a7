"""Demo data for annual monitoring and offline filing (called once from assessment.demo).

- Last year's monitoring window, closed: most certified platforms filed their return as the year
  before, the rest are flagged missing; a few decisions (keep, warning).
- This year's window, open: returns filed with some platforms losing a tier, a sharp fall and a
  reported security incident; decisions downgrade, revoke, warn and keep.
- Some draft submissions filled offline: their questionnaire exported as XLSX, filled with
  openpyxl and imported through the same service as the web upload.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from assessment.models import Certification, MonitoringReturn, Submission, User
from assessment.models.reviews import CertificationStatus
from assessment.services.monitoring import (
    monitored_codes,
    monitoring_daily,
    monitoring_decide,
    monitoring_return_file,
    monitoring_window_open,
)
from assessment.services.offline_filing import (
    cell_value,
    questionnaire_import,
    questionnaire_xlsx,
)
from questionnaires.choices import TIER_ORDER
from questionnaires.rubric import QuestionType
from questionnaires.selectors import rubric_of

NATIONAL = "regulator.national@demo.cn"
MAX_RETURNS = 80
XLSX_DRAFTS = 3


def _operator_of(certification: Certification) -> User | None:
    return (
        User.objects.filter(
            role="operator",
            organisation_id=certification.submission.platform.organisation_id,
            is_active=True,
        )
        .order_by("id")
        .first()
    )


def _weaker(values: dict, rubric, share: float) -> dict:
    """The values with every number cut to `share` of itself."""
    weaker = dict(values)
    for code, value in values.items():
        indicator = rubric.indicator(code)
        if indicator.type in (QuestionType.NUMERIC, QuestionType.PERCENTAGE) and value:
            weaker[code] = round(float(value) * share, 1)
    return weaker


def _file_window(rng, window, official, *, current: bool) -> dict[str, int]:
    counts = {"returns filed": 0, "decisions": 0}
    returns = list(
        window.returns.select_related(
            "certification__submission__platform", "certification__submission__rubric_version"
        ).order_by("id")[:MAX_RETURNS]
    )
    decided = []
    for index, monitoring_return in enumerate(returns):
        operator = _operator_of(monitoring_return.certification)
        roll = rng.random()
        if operator is None or roll < 0.12:
            continue  # not filed: flagged missing once the window closes
        submission = monitoring_return.certification.submission
        rubric = rubric_of(submission.rubric_version)
        values = dict(monitoring_return.values)
        incident = False
        if current and index % 7 == 1:
            values = _weaker(values, rubric, 0.3)  # loses its tier
        elif current and index % 7 == 3:
            code = next(
                (c for c in monitored_codes(rubric, submission.platform_kind) if values.get(c)),
                None,
            )
            if code and rubric.indicator(code).type == QuestionType.NUMERIC:
                values[code] = round(float(values[code]) * 0.55, 1)  # a fall of 45 %
        elif current and index % 11 == 5:
            incident = True
        try:
            filed = monitoring_return_file(
                actor=operator,
                monitoring_return=monitoring_return,
                values=values,
                incident_reported=incident,
                incident_description="2026年8月发生一起勒索病毒事件，已隔离处置并报告属地网信部门。"
                if incident
                else "",
            )
        except Exception:  # noqa: S112 -- a demo value the rubric refuses: leave it unfiled
            continue
        counts["returns filed"] += 1
        if filed.flags:
            decided.append(filed)
    kinds = ["downgrade", "warning", "revoke", "keep"] if current else ["keep", "warning"]
    for position, filed in enumerate(decided):
        kind = kinds[position % len(kinds)]
        if kind == "downgrade" and filed.recheck_result not in TIER_ORDER:
            kind = "revoke"
        elif kind == "downgrade" and TIER_ORDER.index(filed.recheck_result) >= TIER_ORDER.index(
            filed.tier_at_opening
        ):
            kind = "warning"
        reason = {
            "keep": "数据波动在合理范围内，保持认定等级。",
            "warning": "监测指标明显下降，请于期限内整改并报送整改报告。",
            "downgrade": "监测报表复核达不到认定等级，按复核结果降级。",
            "revoke": "复核达不到任何等级，撤销认定。",
        }[kind]
        try:
            monitoring_decide(
                actor=official,
                monitoring_return=filed,
                kind=kind,
                reason=reason,
                deadline=timezone.localdate() + timedelta(days=90) if kind == "warning" else None,
                email=False,
            )
        except Exception:  # noqa: S112 -- e.g. already revoked by an earlier decision
            continue
        counts["decisions"] += 1
    return counts


def _xlsx_filed_drafts(rng) -> int:
    drafts = (
        Submission.objects.filter(state="draft", cycle__code="2027")
        .select_related("platform__organisation", "cycle", "rubric_version")
        .order_by("id")[:XLSX_DRAFTS]
    )
    filed = 0
    for submission in drafts:
        operator = submission.created_by
        rubric = rubric_of(submission.rubric_version)
        workbook = load_workbook(io.BytesIO(questionnaire_xlsx(submission=submission)))
        for sheet in workbook.worksheets[1:]:
            if sheet.title == "_lists":
                continue
            for row in range(2, sheet.max_row + 1):
                code = sheet[f"A{row}"].value
                if not code or not rubric.has_indicator(code):
                    continue
                indicator = rubric.indicator(code)
                if indicator.type == QuestionType.NUMERIC and rng.random() < 0.5:
                    current = sheet[f"E{row}"].value or 0
                    sheet[f"E{row}"] = int(float(current) * 1.1) + rng.randint(1, 20)
                elif indicator.type == QuestionType.ORDINAL and sheet[f"E{row}"].value is None:
                    sheet[f"E{row}"] = cell_value(rubric, code, rng.randint(0, 3), "zh-hans")
        buffer = io.BytesIO()
        workbook.save(buffer)
        try:
            questionnaire_import(actor=operator, submission=submission, content=buffer.getvalue())
        except Exception:  # noqa: S112 -- a refused demo file stays unfiled
            continue
        filed += 1
    return filed


@transaction.atomic
def seed_monitoring(seed: int = 2026) -> dict[str, int]:
    """Two monitoring years with returns, flags and decisions, and XLSX-filed drafts."""
    rng = random.Random(seed)  # noqa: S311 -- demo data, not security
    official = User.objects.filter(email=NATIONAL).first()
    if official is None:
        return {}
    today = timezone.localdate()
    counts: dict[str, int] = {}
    in_force = Certification.objects.filter(
        status=CertificationStatus.CERTIFIED, valid_until__gte=today
    ).exists()
    if in_force:
        # Last year: filed while open, then closed (missing returns flagged by the daily run).
        last = monitoring_window_open(
            actor=official,
            year=today.year - 1,
            opens_on=today,
            closes_on=today,
            email=False,
        )
        last_counts = _file_window(rng, last, official, current=False)
        type(last).objects.filter(pk=last.pk).update(
            opens_on=today - timedelta(days=380), closes_on=today - timedelta(days=330)
        )
        current = monitoring_window_open(
            actor=official,
            year=today.year,
            opens_on=today - timedelta(days=20),
            closes_on=today + timedelta(days=10),
            email=False,
        )
        current_counts = _file_window(rng, current, official, current=True)
        monitoring_daily(today=today, email=False)
        counts = {
            "monitoring returns": MonitoringReturn.objects.count(),
            "monitoring returns filed": last_counts["returns filed"]
            + current_counts["returns filed"],
            "monitoring decisions": last_counts["decisions"] + current_counts["decisions"],
        }
    counts["XLSX-filed drafts"] = _xlsx_filed_drafts(rng)
    return counts
