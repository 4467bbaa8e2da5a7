"""A certification's monitoring history as later reports print it (issue #15: every decision
is printed on later reports): each year's return that was filed or went missing, with its
flags, and each decision on it. A return still open is not history yet and is left out.

Plain data in the active language, two queries whatever the number of years.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from assessment.models import (
    MonitoringDecision,
    MonitoringDecisionKind,
    MonitoringFlag,
    MonitoringReturn,
    MonitoringReturnState,
)
from questionnaires.choices import Tier

HISTORY_STATES = (MonitoringReturnState.FILED, MonitoringReturnState.MISSING)


def _tier_label(tier: str) -> str:
    return str(Tier(tier).label) if tier in Tier.values else ""


def certification_monitoring_history(certification_id: int | None) -> list[dict[str, Any]]:
    """Per monitoring year, oldest first: ``year``, ``state`` (filed | missing) and its label,
    ``filed_at``, ``flags`` (code and label, no duplicates), ``decisions`` (``kind`` and its
    label, ``decided_at``, ``reason``, ``deadline``, ``tier_before``/``tier_after`` codes and
    labels; ``tier_after`` is empty for a revocation)."""
    if certification_id is None:
        return []
    returns = (
        MonitoringReturn.objects.filter(certification_id=certification_id, state__in=HISTORY_STATES)
        .select_related("window")
        .prefetch_related(
            Prefetch("decisions", queryset=MonitoringDecision.objects.order_by("decided_at", "id"))
        )
        .order_by("window__year", "id")
    )
    flag_labels = dict(MonitoringFlag.choices)
    kind_labels = dict(MonitoringDecisionKind.choices)
    state_labels = dict(MonitoringReturnState.choices)
    history = []
    for monitoring_return in returns:
        history.append(
            {
                "year": monitoring_return.window.year,
                "state": monitoring_return.state,
                "state_label": str(state_labels[monitoring_return.state]),
                "filed_at": monitoring_return.filed_at,
                "flags": [
                    {"code": code, "label": str(flag_labels.get(code, code))}
                    for code in monitoring_return.flag_codes
                ],
                "decisions": [
                    {
                        "kind": decision.kind,
                        "kind_label": str(kind_labels.get(decision.kind, decision.kind)),
                        "decided_at": decision.decided_at,
                        "reason": decision.reason,
                        "deadline": decision.deadline,
                        "tier_before": decision.tier_before,
                        "tier_before_label": _tier_label(decision.tier_before),
                        "tier_after": decision.tier_after,
                        "tier_after_label": _tier_label(decision.tier_after),
                    }
                    for decision in monitoring_return.decisions.all()
                ],
            }
        )
    return history


def monitoring_facts(history: list[dict[str, Any]]) -> list[list[Any]]:
    """The history as the canonical facts of a report state it (codes and dates only, no
    labels, so both languages state the same facts): [year, state, flags, decisions]."""
    return [
        [
            entry["year"],
            entry["state"],
            [flag["code"] for flag in entry["flags"]],
            [
                [
                    decision["kind"],
                    timezone.localtime(decision["decided_at"]).date().isoformat(),
                    decision["tier_after"],
                ]
                for decision in entry["decisions"]
            ],
        ]
        for entry in history
    ]
