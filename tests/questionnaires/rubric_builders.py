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
