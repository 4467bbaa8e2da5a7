"""Turning the scoring engine's codes into text in the reader's language.

The engine (questionnaires.scoring) explains every criterion with a ``reason_code`` and
``reason_params``, every failed tier rule with a code like ``gate_not_met:D8.1`` and every
next-tier step with structured fields. These functions render them with gettext (English
source strings) and the rubric's own bilingual texts, in the active language.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import get_language, gettext, ngettext

from questionnaires.choices import EvidenceStatus, Result, Tier
from questionnaires.rubric import Indicator, QuestionType, Rubric


def language() -> str:
    return get_language() or "zh-hans"


def join_list(items) -> str:
    """Items as one list in the reader's language: "甲、乙" in Chinese, "a, b" in English."""
    return (", " if language().startswith("en") else "、").join(str(item) for item in items)


def number_text(value: Any) -> str:
    """A number with thousands separators and no trailing zeros (10 000 → "10,000")."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.normalize():,f}"


def score_text(value: Any, places: int = 2) -> str:
    """A score in 0…1 (or S in 0…4) rounded for display, e.g. "0.78"."""
    try:
        return f"{Decimal(str(value)):.{places}f}"
    except (InvalidOperation, ValueError):
        return str(value)


def tier_label(code: str) -> str:
    return str(Result(code).label) if code in Result.values else code


def evidence_label(status: str) -> str:
    return str(EvidenceStatus(status).label) if status in EvidenceStatus.values else status


def _unit(indicator: Indicator) -> str:
    if indicator.type == QuestionType.PERCENTAGE:
        return "%"
    return indicator.unit.get(language()) if indicator.unit else ""


# The rubric's English for 万元: an amount in it reads in yuan in English ("CNY 10,000,000",
# not "1,000 CNY 10 000").
TEN_THOUSAND_YUAN = "CNY 10 000"


def _with_unit(indicator: Indicator, value: Any) -> str:
    unit = _unit(indicator)
    if unit == "%":
        return f"{number_text(value)}%"  # no space before the percent sign
    if unit == TEN_THOUSAND_YUAN:
        try:
            return f"CNY {number_text(Decimal(str(value)) * 10000)}"
        except (InvalidOperation, ValueError):
            pass
    separator = "" if language().startswith("zh") else " "  # 1,000家 but 1,000 enterprises
    return f"{number_text(value)}{separator}{unit}".strip()


def option_labels(indicator: Indicator, codes: Any) -> str:
    chosen = codes if isinstance(codes, list) else [codes]
    labels = []
    for code in chosen:
        option = indicator.option(code)
        labels.append(option.label.get(language()) if option else str(code))
    return gettext("; ").join(labels)


def answer_text(indicator: Indicator, value: Any) -> str:
    """An answer as a reader sees it: yes/no, the anchor's words, a number with its unit."""
    if value is None or value == "" or value == []:
        return gettext("Not answered")
    if indicator.type == QuestionType.BOOLEAN:
        return gettext("Yes") if value is True else gettext("No")
    if indicator.type == QuestionType.ORDINAL:
        try:
            anchor = indicator.anchors[int(value)]
        except (IndexError, TypeError, ValueError):
            return str(value)
        return gettext("Level %(index)s: %(label)s") % {
            "index": anchor.index,
            "label": anchor.label.get(language()),
        }
    if indicator.type in (QuestionType.NUMERIC, QuestionType.PERCENTAGE):
        return _with_unit(indicator, value)
    return option_labels(indicator, value)


def _basis_sentence(code: str, params: dict, indicator: Indicator | None) -> str:
    satisfaction = params.get("satisfaction", "")
    if code == "unanswered":
        return gettext("Not answered: satisfaction 0.")
    if code == "boolean_true":
        return gettext("Met: satisfaction 1.")
    if code == "boolean_false":
        return gettext("Not met: satisfaction 0.")
    if code == "anchor":
        label = ""
        if indicator is not None and indicator.anchors:
            try:
                label = indicator.anchors[int(params["index"])].label.get(language())
            except (IndexError, KeyError, TypeError, ValueError):
                label = ""
        return gettext("Answered level %(index)s of 0–3 (%(label)s): satisfaction %(s)s.") % {
            "index": params.get("index"),
            "label": label,
            "s": satisfaction,
        }
    if code == "met_target":
        value, target = params.get("value"), params.get("target")
        if indicator is not None:
            value, target = _with_unit(indicator, value), _with_unit(indicator, target)
        return gettext("The answer %(value)s meets the target %(target)s: satisfaction 1.") % {
            "value": value,
            "target": target,
        }
    if code == "below_target":
        value, target = params.get("value"), params.get("target")
        if indicator is not None:
            value, target = _with_unit(indicator, value), _with_unit(indicator, target)
        try:
            percent = (Decimal(params["ratio"]) * 100).quantize(Decimal("0.1"))
        except (InvalidOperation, KeyError, TypeError):
            percent = "?"
        return gettext(
            "The answer %(value)s is %(percent)s%% of the target %(target)s: satisfaction %(s)s."
        ) % {"value": value, "percent": percent, "target": target, "s": satisfaction}
    if code == "option_sum":
        options = params.get("options") or []
        if not options:
            return gettext("No option chosen: satisfaction 0.")
        labels = option_labels(indicator, options) if indicator else ", ".join(options)
        sentence = gettext("Chosen: %(options)s; they count %(sum)s at this tier: %(s)s.") % {
            "options": labels,
            "sum": params.get("sum"),
            "s": satisfaction,
        }
        try:
            if Decimal(params.get("sum", "0")) > 1:
                sentence = sentence_separator().join([sentence, gettext("(Capped at 1.)")])
        except InvalidOperation:
            pass
        return sentence
    return code


def _evidence_sentence(params: dict) -> str:
    mode = params.get("evidence_mode")
    status = params.get("evidence")
    if mode == "none":
        return gettext("No evidence needed: factor 1.0.")
    if mode == "optional":
        return gettext("Evidence optional: factor 1.0.")
    return {
        "verified": gettext("Evidence verified: factor 1.0."),
        "uploaded": gettext("Evidence uploaded, not yet reviewed: factor 0.8."),
        "none": gettext("Self-declared without evidence: factor 0.5."),
    }.get(status, "")


def reason_text(
    code: str, params: dict, indicator: Indicator | None = None, *, brief: bool = False
) -> str:
    """A criterion's reason (engine ``reason_code`` + ``reason_params``) in the active language.

    ``brief`` leaves out the sentence on the evidence factor (for layouts that show v and the
    evidence status beside the reason).
    """
    params = params or {}
    if code == "evidence_rejected":
        basis = _basis_sentence(params.get("basis", ""), params, indicator)
        return sentence_separator().join(
            [basis, gettext("The evidence was rejected by a reviewer: factor 0.")]
        )
    if code == "self_declared_gate":
        basis = _basis_sentence(params.get("basis", ""), params, indicator)
        return sentence_separator().join(
            [basis, gettext("This is a gate: without evidence a self-declared answer counts 0.")]
        )
    if code == "corrected_by_reviewer":
        basis = _basis_sentence(params.get("basis", ""), params, indicator)
        return sentence_separator().join(
            [
                gettext("A reviewer recorded a corrected answer."),
                basis,
                gettext("Scored with factor 1.0."),
            ]
        )
    sentence = _basis_sentence(code, params, indicator)
    if code == "unanswered" or brief:
        return sentence
    return f"{sentence} {_evidence_sentence(params)}".strip()


def _dimension_title(rubric: Rubric, code: str) -> str:
    try:
        return rubric.dimension(code).title.get(language())
    except KeyError:
        return code


def _indicator_title(rubric: Rubric, code: str) -> str:
    if rubric.has_indicator(code):
        return rubric.indicator(code).title.get(language())
    return code


def precondition_text(rubric: Rubric, code: str) -> str:
    for precondition in rubric.preconditions:
        if precondition.code == code:
            return precondition.text.get(language())
    return code


def failed_rule_text(rule: str, rubric: Rubric) -> str:
    """One failed tier rule (``score_below_0.8``, ``gate_not_met:D8.1`` …) in words."""
    if rule == "score_below_0.8":
        return gettext("the tier score is below 0.8")
    if rule == "lower_tier_not_achieved":
        return gettext("the tier below is not achieved")
    kind, _sep, code = rule.partition(":")
    if kind == "gate_not_met":
        return gettext("gate %(code)s (%(title)s) is not fully met") % {
            "code": code,
            "title": _indicator_title(rubric, code),
        }
    if kind == "dimension_below_0.5":
        return gettext("dimension %(code)s (%(title)s) is below the 0.5 floor") % {
            "code": code,
            "title": _dimension_title(rubric, code),
        }
    if kind == "precondition_failed":
        return gettext("precondition %(code)s is not met") % {"code": code}
    return rule


def plan_step_text(step: dict, rubric: Rubric, current_value: Any = None) -> str:
    """A next-tier step (engine ``next_tier_plan`` entry) as an instruction."""
    if "precondition" in step:
        return gettext("Meet precondition %(code)s (%(text)s) and record it as met.") % {
            "code": step["precondition"],
            "text": precondition_text(rubric, step["precondition"]),
        }
    code = step["indicator"]
    if not rubric.has_indicator(code):
        return step.get("change", code)
    indicator = rubric.indicator(code)
    name = f"{code} {indicator.title.get(language())}"
    suggested = step.get("suggested_value")
    if suggested == current_value and current_value is not None:
        return gettext("Have the evidence for %(name)s verified.") % {"name": name}
    if indicator.type in (QuestionType.NUMERIC, QuestionType.PERCENTAGE):
        if current_value is None:
            sentence = gettext("Answer %(name)s with at least %(target)s") % {
                "name": name,
                "target": _with_unit(indicator, suggested),
            }
        else:
            sentence = gettext("Raise %(name)s from %(current)s to at least %(target)s") % {
                "name": name,
                "current": _with_unit(indicator, current_value),
                "target": _with_unit(indicator, suggested),
            }
    elif indicator.type == QuestionType.BOOLEAN:
        sentence = gettext("Meet %(name)s") % {"name": name}
    elif indicator.type == QuestionType.ORDINAL:
        sentence = gettext("Reach %(name)s at “%(anchor)s”") % {
            "name": name,
            "anchor": answer_text(indicator, suggested),
        }
    else:
        chosen = suggested if isinstance(suggested, list) else [suggested]
        sentence = ngettext(
            "Offer %(options)s for %(name)s", "Offer %(options)s for %(name)s", len(chosen)
        ) % {"options": option_labels(indicator, chosen), "name": name}
    if indicator.evidence == "required":
        return gettext("%(step)s and have its evidence verified.") % {"step": sentence}
    return gettext("%(step)s.") % {"step": sentence}


def tier_decision_text(result: str, next_tier: str | None, tiers: dict, rubric: Rubric) -> str:
    """The tier decision in plain words."""
    parts = []
    if result == "not_rated":
        parts.append(gettext("The platform is not rated: no tier is achieved."))
    else:
        parts.append(
            gettext("The platform achieves the %(tier)s tier.") % {"tier": tier_label(result)}
        )
    if next_tier:
        rules = tiers.get(next_tier, {}).get("failed_rules", [])
        own_rules = [rule for rule in rules if rule != "lower_tier_not_achieved"] or rules
        reasons = gettext("; ").join(failed_rule_text(rule, rubric) for rule in own_rules)
        parts.append(
            gettext("%(tier)s is not achieved (T = %(score)s against the 0.8 bar): %(reasons)s.")
            % {
                "tier": tier_label(next_tier),
                "score": score_text(tiers.get(next_tier, {}).get("score", "0")),
                "reasons": reasons,
            }
        )
    else:
        parts.append(gettext("Every tier is achieved."))
    return sentence_separator().join(parts)


def sentence_separator() -> str:
    """Chinese sentences follow each other without a space; English ones with one."""
    return "" if language().startswith("zh") else " "


TIER_CODES = [choice.value for choice in Tier]


def revocation_text(certification) -> str:
    """“Revoked 2027-05-06: reason” for a revoked certification (else '')."""
    if certification is None or certification.status != "revoked":
        return ""
    from django.utils import timezone

    when = (
        timezone.localtime(certification.revoked_at).date().isoformat()
        if (certification.revoked_at)
        else ""
    )
    text = gettext("Revoked %(date)s") % {"date": when} if when else gettext("Revoked")
    if certification.revoke_reason:
        text = gettext("%(revoked)s: %(reason)s") % {
            "revoked": text,
            "reason": certification.revoke_reason,
        }
    return text


def submission_state_label(submission) -> str:
    """The state a person should read: a certified submission whose certification was revoked
    reads “Revoked” (已撤销) with the date and reason, never “Certified”."""
    if submission.state == "certified":
        try:
            certification = submission.certification
        except ObjectDoesNotExist:
            certification = None
        revoked = revocation_text(certification)
        if revoked:
            return revoked
    return str(submission.get_state_display())


def submission_is_revoked(submission) -> bool:
    if submission.state != "certified":
        return False
    try:
        return submission.certification.status == "revoked"
    except ObjectDoesNotExist:
        return False
