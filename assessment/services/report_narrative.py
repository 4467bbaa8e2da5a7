"""The evaluation report's formal prose (评估报告): basis, method, conclusion, improvement,
review — written from this report's own numbers, in the active language.

Review stages that other parts of the programme record (expert panel, on-site check, public
notice, publication with a decision number) are rendered when the report's context carries
them (``panel``, ``site_check``, ``public_notice``, ``publication``); see docs/reports.md.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, ngettext

from assessment import presentation
from assessment.services import report_formal
from questionnaires.choices import TIER_ORDER

ACTION_PLAN_TITLE_ZH = "《推动工业互联网平台高质量发展行动方案（2026—2028年）》"
ACTION_PLAN_TITLE_EN = (
    "Action Plan for Promoting the High-Quality Development of Industrial Internet Platforms "
    "(2026–2028)"
)


def action_plan_title() -> str:
    return ACTION_PLAN_TITLE_ZH if report_formal.is_chinese() else f"“{ACTION_PLAN_TITLE_EN}”"


def _list_separator() -> str:
    return "、" if report_formal.is_chinese() else ", "


def basis_text(data: dict[str, Any]) -> list[str]:
    return [
        gettext(
            "This assessment follows the Ministry of Industry and Information Technology's "
            "%(plan)s and its four-tier cultivation system (basic, growth, leading, ecosystem)."
        )
        % {"plan": action_plan_title()},
        gettext(
            "The rubric applied is %(label)s, “%(title)s”, as frozen for this submission: "
            "a later edit of the rubric never changes this result."
        )
        % {"label": data["rubric_label"], "title": data["rubric_title"]},
    ]


def method_text(data: dict[str, Any]) -> list[str]:
    weights = _list_separator().join(
        f"{dimension.code} {dimension.weight}" for dimension in data["dimensions"]
    )
    next_tier = data["next_tier"]
    achieved = sum(1 for tier in data["tiers"] if tier["achieved"])
    paragraphs = [
        gettext(
            "Each indicator's answer gives a satisfaction s between 0 and 1; the evidence gives "
            "a verification factor v (1.0 verified by a reviewer, 0.8 uploaded and not yet "
            "reviewed, 0.5 self-declared, 0 rejected); the effective score is e = s × v."
        ),
        gettext(
            "For each tier k, the mean of e over the tier's criteria in each dimension is "
            "weighted by the weights of this platform's kind (%(kind)s: %(weights)s) into the "
            "tier score T(k)."
        )
        % {"kind": data["kind_label"], "weights": weights},
        gettext(
            "A tier is achieved when T(k) reaches 0.8, every lower tier is achieved, every gate "
            "of the tier is fully met (e = 1) and no dimension's mean is below 0.5; a failed "
            "precondition means the platform is not rated."
        ),
    ]
    if next_tier:
        next_score = next(tier["score"] for tier in data["tiers"] if tier["code"] == next_tier)
        paragraphs.append(
            gettext(
                "The progress index S is the number of tiers achieved plus the score of the "
                "next tier: here S = %(achieved)s + %(score)s = %(s)s."
            )
            % {
                "achieved": achieved,
                "score": report_formal.score(next_score),
                "s": report_formal.score(data["progress_index"]),
            }
        )
    else:
        paragraphs.append(
            gettext(
                "The progress index S is the number of tiers achieved plus the score of the "
                "next tier: every tier is achieved here, so S = %(s)s."
            )
            % {"s": report_formal.score(data["progress_index"])}
        )
    return paragraphs


def conclusion_text(data: dict[str, Any], evidence_counts: dict[str, int]) -> list[str]:
    result = data["result"]
    tiers = {tier["code"]: tier for tier in data["tiers"]}
    paragraphs = []
    if result == "not_rated":
        failed = [p["code"] for p in data["preconditions"] if not p["met"]]
        if failed:
            paragraphs.append(
                gettext("The platform is not rated: precondition %(codes)s is not met.")
                % {"codes": _list_separator().join(failed)}
            )
        else:
            paragraphs.append(gettext("The platform is not rated: no tier is achieved."))
    else:
        tier = tiers[result]
        certified = data["certified"]
        paragraphs.append(
            (
                gettext(
                    "The platform is certified at the %(tier)s tier: T = %(score)s against "
                    "the 0.8 bar, every gate of the tier is met, no dimension is below 0.5, "
                    "and every lower tier is achieved."
                )
                if certified
                else gettext(
                    "On the answers and evidence as they stand, the platform reaches the "
                    "%(tier)s tier: T = %(score)s against the 0.8 bar, every gate of the tier is "
                    "met, no dimension is below 0.5, and every lower tier is achieved. This is "
                    "not a certification."
                )
            )
            % {"tier": tier["label"], "score": report_formal.score(tier["score"])}
        )
    paragraphs.append(data["decision_text"])
    total = sum(evidence_counts.values())
    if total:
        paragraphs.append(
            gettext(
                "Of %(total)s indicators, %(verified)s were verified by a reviewer, "
                "%(uploaded)s have evidence not yet reviewed, %(none)s are self-declared and "
                "%(rejected)s had evidence rejected."
            )
            % {"total": total, **evidence_counts}
        )
    return paragraphs


def improvement_text(data: dict[str, Any]) -> list[str]:
    paragraphs = []
    gaps = data["gaps"]["dimensions"]
    if gaps:
        names = _list_separator().join(
            f"{gap['code']} {gap['title']}（{report_formal.score(gap['mean'])}）"
            if report_formal.is_chinese()
            else f"{gap['code']} {gap['title']} ({report_formal.score(gap['mean'])})"
            for gap in gaps
        )
        paragraphs.append(
            gettext("At the %(tier)s tier the weakest dimensions are %(names)s.")
            % {"tier": data["profile_tier_label"], "names": names}
        )
    if data["next_tier"] and data["plan"]:
        total_gain = sum((Decimal(str(step["gain"] or 0)) for step in data["plan"]), Decimal(0))
        paragraphs.append(
            ngettext(
                "To reach the %(tier)s tier, the step below would raise T by %(gain)s.",
                "To reach the %(tier)s tier, the %(count)s steps below together would raise T "
                "by %(gain)s; they are ordered by their gain.",
                len(data["plan"]),
            )
            % {
                "tier": data["next_tier_label"],
                "count": len(data["plan"]),
                "gain": report_formal.score(total_gain),
            }
        )
    elif not data["next_tier"]:
        paragraphs.append(
            gettext("Every tier is achieved: the recommendation is to keep the evidence current.")
        )
    return paragraphs


def evidence_counts(data: dict[str, Any]) -> dict[str, int]:
    counts = {"verified": 0, "uploaded": 0, "none": 0, "rejected": 0}
    for dimension in data["dimensions"]:
        for finding in dimension.indicators:
            status = finding.evidence_status
            key = "verified" if status in ("verified", "corrected") else status
            if key in counts:
                counts[key] += 1
    return counts


def dimension_summary(dimension, tier: str) -> str:
    """One sentence per dimension for 四、分项评估."""
    mean = next((m for m in dimension.means if m["tier"] == tier), None)
    met = sum(
        1
        for finding in dimension.indicators
        for criterion in finding.criteria
        if criterion["tier"] == tier and criterion["met"]
    )
    total = sum(
        1
        for finding in dimension.indicators
        for criterion in finding.criteria
        if criterion["tier"] == tier
    )
    if mean is None:
        return gettext("This dimension has no criteria at the %(tier)s tier.") % {
            "tier": presentation.tier_label(tier)
        }
    return gettext(
        "At the %(tier)s tier the mean is %(mean)s (weight %(weight)s); %(met)s of %(total)s "
        "criteria are fully met."
    ) % {
        "tier": presentation.tier_label(tier),
        "mean": report_formal.score(mean["mean"]),
        "weight": dimension.weight,
        "met": met,
        "total": total,
    }


def narrative(data: dict[str, Any]) -> dict[str, Any]:
    counts = evidence_counts(data)
    tier = data["profile_tier"]
    return {
        "basis": basis_text(data),
        "method": method_text(data),
        "conclusion": conclusion_text(data, counts),
        "improvement": improvement_text(data),
        "dimension_summaries": {
            dimension.code: dimension_summary(dimension, tier) for dimension in data["dimensions"]
        },
        "evidence_counts": counts,
        "tier_order": TIER_ORDER,
    }


# --- Regional report ---------------------------------------------------------------------------


def regional_narrative(data: dict[str, Any], scope: str) -> dict[str, list[str]]:
    """Situation, problems and recommendations of a regional report, from its own figures."""
    tiers = {tier["code"]: tier["count"] for tier in data["tiers"]}
    situation = [
        gettext(
            "In %(cycle)s, %(participating)s of the %(registered)s platforms registered in "
            "%(scope)s took part (%(submissions)s submissions); %(certified)s are certified: "
            "%(basic)s basic, %(growth)s growth, %(leading)s leading and %(ecosystem)s ecosystem."
        )
        % {
            "cycle": data["cycle"].title,
            "scope": scope,
            "participating": report_formal.large_number(data["participating_platforms"]),
            "registered": report_formal.large_number(data["platforms"]),
            "submissions": report_formal.large_number(data["submissions"]),
            "certified": report_formal.large_number(data["certified"]),
            **{tier: report_formal.large_number(tiers.get(tier, 0)) for tier in TIER_ORDER},
        },
        gettext(
            "Certified platforms connect %(devices)s industrial devices and serve %(served)s "
            "enterprises (verified figures)."
        )
        % {
            "devices": report_formal.large_number(data["connected_devices"]),
            "served": report_formal.large_number(data["enterprises_served"]),
        },
    ]
    problems = []
    unmet = [target for target in data["targets"] if target["met"] is False]
    if unmet:
        problems.append(
            gettext("Targets of the Action Plan not yet met: %(targets)s.")
            % {"targets": _list_separator().join(target["label"] for target in unmet)}
        )
    if data["platforms"] and data["participating_platforms"] < data["platforms"]:
        share = Decimal(data["participating_platforms"]) / Decimal(data["platforms"])
        problems.append(
            gettext("Only %(share)s of the registered platforms took part in this cycle.")
            % {"share": report_formal.percent(share)}
        )
    high = tiers.get("leading", 0) + tiers.get("ecosystem", 0)
    if data["certified"] and high * 5 < data["certified"]:
        problems.append(
            gettext(
                "Few platforms reach the leading or ecosystem tier (%(high)s of %(certified)s "
                "certified)."
            )
            % {"high": high, "certified": data["certified"]}
        )
    if not problems:
        problems.append(gettext("No target of the Action Plan is behind in this scope."))
    recommendations = []
    if data["platforms"] and data["participating_platforms"] < data["platforms"]:
        recommendations.append(
            gettext("Invite the registered platforms that did not take part to the next cycle.")
        )
    if unmet:
        recommendations.append(
            gettext(
                "Support the growth-tier platforms closest to the leading tier: their "
                "evaluation reports list the steps with the largest gain."
            )
        )
    recommendations.append(
        gettext("Keep the evidence of certified platforms current through annual monitoring.")
    )
    return {"situation": situation, "problems": problems, "recommendations": recommendations}
