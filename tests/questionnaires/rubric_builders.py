"""Small rubrics built in code as plain dicts of the YAML shape (questionnaires/rubrics/FORMAT.md).

Each builder returns a fresh dict, so a test may change its copy freely.
"""

from __future__ import annotations

from typing import Any

from questionnaires.rubric import KINDS, Rubric, rubric_from_dict


def text(en: str) -> dict[str, str]:
    return {"zh-hans": f"{en}（中文）", "en": en}


def weights(specialized: int, industry: int, collaborative: int) -> dict[str, int]:
    return {"specialized": specialized, "industry": industry, "collaborative": collaborative}


def same_target(value: int | float, kinds: tuple[str, ...] = KINDS) -> dict[str, int | float]:
    return dict.fromkeys(kinds, value)


def criterion(
    tier: str, target: dict[str, Any] | None = None, gate: bool = False
) -> dict[str, Any]:
    criterion_dict: dict[str, Any] = {"tier": tier}
    if target is not None:
        criterion_dict["target"] = target
    if gate:
        criterion_dict["gate"] = True
    return criterion_dict


def _indicator(
    code: str,
    question_type: str,
    criteria: list[dict[str, Any]],
    evidence: str,
    kinds: list[str] | None,
) -> dict[str, Any]:
    indicator_dict: dict[str, Any] = {
        "code": code,
        "title": text(f"Indicator {code}"),
        "help": text(f"What {code} asks"),
        "type": question_type,
        "evidence": evidence,
        "criteria": criteria,
    }
    if kinds is not None:
        indicator_dict["kinds"] = kinds
    return indicator_dict


def numeric(
    code: str,
    criteria: list[dict[str, Any]],
    evidence: str = "required",
    kinds: list[str] | None = None,
) -> dict[str, Any]:
    indicator_dict = _indicator(code, "numeric", criteria, evidence, kinds)
    indicator_dict["unit"] = {"zh-hans": "台", "en": "devices"}
    return indicator_dict


def percentage(
    code: str,
    criteria: list[dict[str, Any]],
    evidence: str = "required",
    kinds: list[str] | None = None,
) -> dict[str, Any]:
    return _indicator(code, "percentage", criteria, evidence, kinds)


def boolean(
    code: str,
    criteria: list[dict[str, Any]],
    evidence: str = "required",
    kinds: list[str] | None = None,
) -> dict[str, Any]:
    return _indicator(code, "boolean", criteria, evidence, kinds)


def ordinal(
    code: str,
    criteria: list[dict[str, Any]],
    evidence: str = "required",
    kinds: list[str] | None = None,
) -> dict[str, Any]:
    indicator_dict = _indicator(code, "ordinal", criteria, evidence, kinds)
    indicator_dict["anchors"] = [text(label) for label in ("none", "partly", "mostly", "fully")]
    return indicator_dict


def option(code: str, **satisfaction: float) -> dict[str, Any]:
    return {"code": code, "label": text(f"Option {code}"), "satisfaction": satisfaction}


def choice(
    code: str,
    options: list[dict[str, Any]],
    criteria: list[dict[str, Any]],
    multiple: bool = False,
    evidence: str = "required",
    kinds: list[str] | None = None,
) -> dict[str, Any]:
    indicator_dict = _indicator(code, "choice", criteria, evidence, kinds)
    indicator_dict["multiple"] = multiple
    indicator_dict["options"] = options
    return indicator_dict


def dimension(
    code: str,
    indicators: list[dict[str, Any]],
    dimension_weights: dict[str, int] | None = None,
    action_area: str = "cultivation",
) -> dict[str, Any]:
    return {
        "code": code,
        "title": text(f"Dimension {code}"),
        "action_area": action_area,
        "weights": dimension_weights or weights(100, 100, 100),
        "indicators": indicators,
    }


def precondition(code: str) -> dict[str, Any]:
    return {"code": code, "text": text(f"Precondition {code}")}


def rubric_dict(
    dimensions: list[dict[str, Any]],
    preconditions: list[dict[str, Any]] | None = None,
    code: str = "test",
    version: str = "1.0",
) -> dict[str, Any]:
    return {
        "code": code,
        "version": version,
        "title": text("Test rubric"),
        "preconditions": preconditions if preconditions is not None else [],
        "dimensions": dimensions,
    }


def build(data: dict[str, Any]) -> Rubric:
    return rubric_from_dict(data)


def one_dimension(*indicators: dict[str, Any], preconditions: list | None = None) -> Rubric:
    """A rubric with a single dimension D1 (weight 100 for every kind)."""
    return build(rubric_dict([dimension("D1", list(indicators))], preconditions))


def valid_rubric_dict() -> dict[str, Any]:
    """A small valid rubric using every question type, evidence mode and optional key.

    Paths used by the validation tests:
    dimensions[0].indicators[0] D1.1 numeric, basic + growth targets for every kind
    dimensions[0].indicators[1] D1.2 percentage, kinds specialized and industry
    dimensions[0].indicators[2] D1.3 boolean, evidence none, a basic gate
    dimensions[1].indicators[0] D2.1 ordinal, evidence optional
    dimensions[1].indicators[1] D2.2 single choice, basic + growth
    dimensions[1].indicators[2] D2.3 multiple choice, leading
    """
    data = rubric_dict(
        preconditions=[precondition("P1"), precondition("P2")],
        dimensions=[
            dimension(
                "D1",
                dimension_weights=weights(40, 50, 30),
                indicators=[
                    numeric(
                        "D1.1",
                        [
                            criterion(
                                "basic",
                                {"specialized": 2000, "industry": 10000, "collaborative": 5000},
                            ),
                            criterion(
                                "growth",
                                {"specialized": 20000, "industry": 100000, "collaborative": 5e4},
                            ),
                        ],
                    ),
                    percentage(
                        "D1.2",
                        [criterion("basic", {"specialized": 50, "industry": 60})],
                        kinds=["specialized", "industry"],
                    ),
                    boolean("D1.3", [criterion("basic", gate=True)], evidence="none"),
                ],
            ),
            dimension(
                "D2",
                dimension_weights=weights(60, 50, 70),
                action_area="data_intelligence",
                indicators=[
                    ordinal("D2.1", [criterion("growth")], evidence="optional"),
                    choice(
                        "D2.2",
                        options=[
                            option("opt-a", basic=1, growth=0.5),
                            option("opt-b", basic=1, growth=1),
                        ],
                        criteria=[criterion("basic"), criterion("growth")],
                    ),
                    choice(
                        "D2.3",
                        options=[
                            option("x", leading=0.6),
                            option("y", leading=0.5),
                            option("z", leading=0.2),
                        ],
                        criteria=[criterion("leading")],
                        multiple=True,
                    ),
                ],
            ),
        ],
    )
    data["description"] = text("A rubric for tests")
    data["preconditions"][0]["help"] = text("Show the business licence")
    data["dimensions"][0]["indicators"][0]["criteria"][0]["text"] = text("at least 10 000 devices")
    return data


# --- The worked example of RUBRIC.md -------------------------------------------------------------

# Industry weights of the default rubric, and the effective scores behind each dimension mean of
# the worked example (e.g. D3 leading: 1.0, 0.8 and 0.8, mean 0.867).
WORKED_EXAMPLE_WEIGHTS = {
    "D1": weights(10, 12, 10),
    "D2": weights(14, 14, 12),
    "D3": weights(20, 14, 10),
    "D4": weights(16, 12, 10),
    "D5": weights(12, 16, 16),
    "D6": weights(6, 10, 20),
    "D7": weights(10, 10, 10),
    "D8": weights(12, 12, 12),
}
WORKED_EXAMPLE_EFFECTIVE_SCORES = {
    "basic": {
        "D1": ["1.0"], "D2": ["1.0", "0.8"], "D3": ["1.0"], "D4": ["1.0", "0.8"],
        "D5": ["1.0"], "D6": ["1.0", "0.8"], "D7": ["0.8"], "D8": ["1.0"],
    },
    "growth": {
        "D1": ["1.0", "0.8"], "D2": ["0.8"], "D3": ["1.0", "0.8"], "D4": ["0.8"],
        "D5": ["1.0", "0.8"], "D6": ["0.8"], "D7": ["0.8", "0.5"], "D8": ["1.0", "0.8"],
    },
    "leading": {
        "D1": ["1.0", "0.8"], "D2": ["0.8"], "D3": ["1.0", "0.8", "0.8"], "D4": ["0.8"],
        "D5": ["0.8"], "D6": ["0.8", "0.4"], "D7": ["0.5"], "D8": ["1.0", "0.8"],
    },
}  # fmt: skip


def _worked_indicator(code: str, tier: str, effective: str) -> tuple[dict, tuple[Any, str]]:
    """An indicator with one criterion at ``tier`` and an answer (value, evidence) giving
    e = ``effective``."""
    if effective == "1.0":  # numeric over target, verified: s 1 × v 1; D8's are gates
        gate = code.startswith("D8.")
        return numeric(code, [criterion(tier, same_target(1000), gate)]), (1200, "verified")
    if effective == "0.8":  # ordinal "mostly", verified: s 0.8 × v 1
        return ordinal(code, [criterion(tier)]), (2, "verified")
    if effective == "0.5":  # boolean met, self-declared: s 1 × v 0.5
        return boolean(code, [criterion(tier)]), (True, "none")
    if effective == "0.4":  # percentage at half its target, uploaded: s 0.5 × v 0.8
        return percentage(code, [criterion(tier, same_target(60))]), (30, "uploaded")
    raise ValueError(effective)


def worked_example() -> tuple[dict[str, Any], dict[str, tuple[Any, str]]]:
    """RUBRIC.md's worked example: the rubric (as data) and the industry platform's answers as
    (value, evidence) by indicator code; both preconditions P1 and P2 are met."""
    indicators: dict[str, list[dict]] = {code: [] for code in WORKED_EXAMPLE_WEIGHTS}
    answers = {}
    for tier, by_dimension in WORKED_EXAMPLE_EFFECTIVE_SCORES.items():
        for dimension_code, effective_scores in by_dimension.items():
            for effective in effective_scores:
                code = f"{dimension_code}.{len(indicators[dimension_code]) + 1}"
                indicator, answer = _worked_indicator(code, tier, effective)
                indicators[dimension_code].append(indicator)
                answers[code] = answer
    data = rubric_dict(
        [
            dimension(code, indicators[code], dimension_weights)
            for code, dimension_weights in WORKED_EXAMPLE_WEIGHTS.items()
        ],
        preconditions=[precondition("P1"), precondition("P2")],
        code="worked-example",
    )
    return data, answers
