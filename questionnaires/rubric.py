"""The rubric: an immutable, versioned set of dimensions, indicators and criteria.

Pure Python (no Django, no database). A rubric is written as one YAML file per version
(see ``questionnaires/rubrics/FORMAT.md``); :func:`parse_rubric` reads and checks it completely,
reporting every problem with its path in the file, and returns frozen dataclasses.
:meth:`Rubric.to_dict` gives a canonical JSON-able dict (to freeze a version into the database)
that :func:`rubric_from_dict` reads back, and :meth:`Rubric.fingerprint` hashes it.

:func:`validate_answer` normalises and checks one answer value against its indicator. It raises
:class:`AnswerError` with a machine code and parameters; turning them into translated text is the
web layer's job.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

# --- Vocabulary: the one place these codes are defined ------------------------------------------

TIERS = ("basic", "growth", "leading", "ecosystem")
KINDS = ("specialized", "industry", "collaborative")
LANGUAGES = ("zh-hans", "en")


class QuestionType(StrEnum):
    BOOLEAN = "boolean"
    ORDINAL = "ordinal"
    NUMERIC = "numeric"
    PERCENTAGE = "percentage"
    CHOICE = "choice"


class EvidenceMode(StrEnum):
    """What an indicator asks for as evidence (the rubric's ``evidence`` key)."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    NONE = "none"


class EvidenceStatus(StrEnum):
    """Where an answer's evidence stands (a property of the answer, not of the rubric)."""

    VERIFIED = "verified"
    UPLOADED = "uploaded"
    NONE = "none"
    REJECTED = "rejected"
    CORRECTED = "corrected"  # a reviewer recorded a corrected value


class ActionArea(StrEnum):
    CULTIVATION = "cultivation"
    DATA_INTELLIGENCE = "data_intelligence"
    SCALED_APPLICATION = "scaled_application"
    ECOSYSTEM_SECURITY = "ecosystem_security"


QUESTION_TYPES = tuple(str(member) for member in QuestionType)
EVIDENCE_MODES = tuple(str(member) for member in EvidenceMode)
EVIDENCE_STATUSES = tuple(str(member) for member in EvidenceStatus)
ACTION_AREAS = tuple(str(member) for member in ActionArea)

#: Satisfaction of the four ordinal anchors (none / partly / mostly / fully).
ANCHOR_SATISFACTION = (Decimal("0"), Decimal("0.5"), Decimal("0.8"), Decimal("1"))
ANCHOR_COUNT = len(ANCHOR_SATISFACTION)
WEIGHT_TOTAL = 100

RUBRIC_CODE_PATTERN = r"[a-z0-9-]+"
VERSION_PATTERN = r"[0-9A-Za-z._-]+"
PRECONDITION_CODE_PATTERN = r"P[1-9][0-9]*"
DIMENSION_CODE_PATTERN = r"D[1-9][0-9]*"
INDICATOR_CODE_PATTERN = r"D[1-9][0-9]*\.[1-9][0-9]*"
OPTION_CODE_PATTERN = r"[a-z0-9-]+"
ACTION_CODE_PATTERN = r"[1-9][0-9]*"
TASK_CODE_PATTERN = r"[1-9][0-9]*\.[1-9][0-9]*"
#: The Action Plan's actions, in order, as the action areas of rubrics without ``actions``.
ACTION_AREA_BY_ACTION = {
    "1": "cultivation",
    "2": "data_intelligence",
    "3": "scaled_application",
    "4": "ecosystem_security",
}


# --- Errors --------------------------------------------------------------------------------------


class RubricError(ValueError):
    """A rubric file or dict has problems; ``problems`` lists every one as ``path: message``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s) in rubric:\n" + "\n".join(self.problems))


class AnswerError(ValueError):
    """An answer value is not acceptable for its indicator.

    ``code`` is machine-readable (``not_a_number``, ``over_100`` …) and ``message_params`` holds
    the values a translated message needs. ``indicator`` is set when the scoring engine re-raises.
    """

    def __init__(
        self, code: str, message_params: Mapping[str, Any] | None = None, indicator: str = ""
    ) -> None:
        self.code = code
        self.message_params = dict(message_params or {})
        self.indicator = indicator
        where = f"{indicator}: " if indicator else ""
        super().__init__(f"{where}{code} {self.message_params}")


# --- The model -----------------------------------------------------------------------------------


class FrozenMap(dict):
    """A read-only dict for the mappings inside the rubric: hashable, picklable, JSON-able."""

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("the rubric is immutable")

    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __reduce__(self) -> tuple:
        return (type(self), (dict(self),))

    def __repr__(self) -> str:
        return f"FrozenMap({dict.__repr__(self)})"


@dataclass(frozen=True, slots=True)
class Text:
    """A text in both languages; zh-hans and en are always complete."""

    zh_hans: str
    en: str

    def get(self, language_code: str) -> str:
        """The text in ``language_code`` (``en``, ``en-gb``, ``zh-hans`` …), else zh-hans."""
        language = language_code.lower().replace("_", "-")
        if (language == "en" or language.startswith("en-")) and self.en:
            return self.en
        return self.zh_hans

    def to_dict(self) -> dict[str, str]:
        return {"zh-hans": self.zh_hans, "en": self.en}


@dataclass(frozen=True, slots=True)
class Precondition:
    code: str
    text: Text
    help: Text | None = None


@dataclass(frozen=True, slots=True)
class PlanTask:
    """One task of the Action Plan (``2.1``), which indicators name in ``tasks``."""

    code: str
    title: Text

    @property
    def action_code(self) -> str:
        return self.code.split(".", 1)[0]


@dataclass(frozen=True, slots=True)
class PlanAction:
    """One of the Action Plan's actions (``1``…``4``) and its tasks."""

    code: str
    title: Text
    tasks: tuple[PlanTask, ...]


@dataclass(frozen=True, slots=True)
class Anchor:
    index: int
    label: Text
    satisfaction: Decimal


@dataclass(frozen=True, slots=True)
class Option:
    code: str
    label: Text
    satisfaction: Mapping[str, Decimal]  # per tier, as written; a tier left out is 0
    exclusive: bool = False  # as written: "none of these", never combined with another option

    def satisfaction_at(self, tier: str) -> Decimal:
        return self.satisfaction.get(tier, Decimal(0))


@dataclass(frozen=True, slots=True)
class Criterion:
    tier: str
    gate: bool = False
    target: Mapping[str, Decimal] = field(default_factory=lambda: FrozenMap())
    text: Text | None = None

    def target_for(self, kind: str) -> Decimal | None:
        return self.target.get(kind)


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    title: Text
    help: Text
    type: QuestionType
    evidence: EvidenceMode
    criteria: tuple[Criterion, ...]
    kinds: tuple[str, ...] = KINDS
    unit: Text | None = None
    anchors: tuple[Anchor, ...] = ()
    multiple: bool = False
    options: tuple[Option, ...] = ()
    tasks: tuple[str, ...] = ()  # the Action Plan tasks it measures (codes such as "2.1")
    actionable: bool = True  # False: a past record the platform cannot improve now
    # Re-filed every year in the annual monitoring return (年度监测), see docs/monitoring.md.
    monitored: bool = False

    @property
    def dimension_code(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def declared_exclusive_options(self) -> frozenset[str]:
        """Codes of the options written with ``exclusive: true`` (multiple choice only)."""
        return frozenset(option.code for option in self.options if option.exclusive)

    @property
    def exclusive_options(self) -> frozenset[str]:
        """Codes of the options that exclude every other one (a multiple choice's "none").

        Declared with ``exclusive: true``; in a multiple choice an option coded ``none``
        that counts 0 at every tier is exclusive as well (rubrics written before the key): the
        next-tier plan never keeps or suggests these. Answers are refused only for declared
        ones (:attr:`declared_exclusive_options`), so that earlier versions accept what they
        always accepted.
        """
        if not self.multiple:
            return frozenset()
        return frozenset(
            option.code
            for option in self.options
            if option.exclusive or (option.code == "none" and not any(option.satisfaction.values()))
        )

    def applies_to(self, kind: str) -> bool:
        return kind in self.kinds

    def criterion(self, tier: str) -> Criterion | None:
        for criterion in self.criteria:
            if criterion.tier == tier:
                return criterion
        return None

    def option(self, code: str) -> Option | None:
        for option in self.options:
            if option.code == code:
                return option
        return None


@dataclass(frozen=True, slots=True)
class Dimension:
    code: str
    title: Text
    action_area: ActionArea | None  # None when the rubric traces its indicators to tasks
    weights: Mapping[str, int]
    indicators: tuple[Indicator, ...]

    @property
    def action_codes(self) -> tuple[str, ...]:
        """The Action Plan actions its indicators' tasks belong to, in order."""
        codes = {task.split(".", 1)[0] for i in self.indicators for task in i.tasks}
        return tuple(sorted(codes, key=int))

    def weight(self, kind: str) -> int:
        return self.weights[kind]


@dataclass(frozen=True, slots=True)
class Rubric:
    code: str
    version: str
    title: Text
    preconditions: tuple[Precondition, ...]
    dimensions: tuple[Dimension, ...]
    description: Text | None = None
    actions: tuple[PlanAction, ...] = ()  # the Action Plan's actions and tasks, if traced
    # Derived once (the rubric is immutable); not part of equality.
    _indicators: tuple[Indicator, ...] = field(init=False, repr=False, compare=False)
    _indicator_by_code: dict[str, Indicator] = field(init=False, repr=False, compare=False)
    _cache: dict[Any, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        indicators = tuple(
            indicator for dimension in self.dimensions for indicator in dimension.indicators
        )
        object.__setattr__(self, "_indicators", indicators)
        object.__setattr__(
            self, "_indicator_by_code", {indicator.code: indicator for indicator in indicators}
        )
        object.__setattr__(self, "_cache", {})

    @property
    def label(self) -> str:
        return f"{self.code}@{self.version}"

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator, in rubric order (dimension by dimension)."""
        return self._indicators

    def indicator(self, code: str) -> Indicator:
        """The indicator with this code; ``KeyError`` if there is none."""
        return self._indicator_by_code[code]

    def has_indicator(self, code: str) -> bool:
        return code in self._indicator_by_code

    def dimension(self, code: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.code == code:
                return dimension
        raise KeyError(code)

    @property
    def tasks(self) -> tuple[PlanTask, ...]:
        return tuple(task for action in self.actions for task in action.tasks)

    def cached[T](self, key: Any, build: Callable[[], T]) -> T:
        """A structure derived from this rubric, built on first use and kept with it."""
        try:
            return self._cache[key]
        except KeyError:
            value = self._cache[key] = build()
            return value

    def to_dict(self) -> dict[str, Any]:
        """The canonical JSON-able form; :func:`rubric_from_dict` reads it back unchanged."""
        rubric_dict: dict[str, Any] = {
            "code": self.code,
            "version": self.version,
            "title": self.title.to_dict(),
        }
        if self.description is not None:
            rubric_dict["description"] = self.description.to_dict()
        if self.actions:
            rubric_dict["actions"] = [_action_dict(action) for action in self.actions]
        rubric_dict["preconditions"] = [_precondition_dict(p) for p in self.preconditions]
        rubric_dict["dimensions"] = [_dimension_dict(d) for d in self.dimensions]
        return rubric_dict

    def canonical_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def fingerprint(self) -> str:
        """SHA-256 (hex) of the canonical JSON: changes whenever the content does."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()


def _json_number(value: Decimal) -> int | float:
    # Values come from YAML numbers, so a float holds them exactly (repr round-trips).
    return int(value) if value == value.to_integral_value() else float(value)


def _precondition_dict(precondition: Precondition) -> dict[str, Any]:
    precondition_dict: dict[str, Any] = {
        "code": precondition.code,
        "text": precondition.text.to_dict(),
    }
    if precondition.help is not None:
        precondition_dict["help"] = precondition.help.to_dict()
    return precondition_dict


def _action_dict(action: PlanAction) -> dict[str, Any]:
    return {
        "code": action.code,
        "title": action.title.to_dict(),
        "tasks": [{"code": task.code, "title": task.title.to_dict()} for task in action.tasks],
    }


def _dimension_dict(dimension: Dimension) -> dict[str, Any]:
    dimension_dict: dict[str, Any] = {"code": dimension.code, "title": dimension.title.to_dict()}
    if dimension.action_area is not None:
        dimension_dict["action_area"] = str(dimension.action_area)
    dimension_dict["weights"] = {kind: dimension.weights[kind] for kind in KINDS}
    dimension_dict["indicators"] = [_indicator_dict(i) for i in dimension.indicators]
    return dimension_dict


def _indicator_dict(indicator: Indicator) -> dict[str, Any]:
    indicator_dict: dict[str, Any] = {
        "code": indicator.code,
        "title": indicator.title.to_dict(),
        "help": indicator.help.to_dict(),
        "type": str(indicator.type),
        "evidence": str(indicator.evidence),
        "kinds": list(indicator.kinds),
    }
    # Keys added with iip-2026@1.1 are written only when used, so that earlier versions keep
    # their canonical form (and fingerprint).
    if indicator.tasks:
        indicator_dict["tasks"] = list(indicator.tasks)
    if not indicator.actionable:
        indicator_dict["actionable"] = False
    if indicator.unit is not None:
        indicator_dict["unit"] = indicator.unit.to_dict()
    if indicator.monitored:  # only when set: older stored versions keep their fingerprint
        indicator_dict["monitored"] = True
    if indicator.type == QuestionType.ORDINAL:
        indicator_dict["anchors"] = [anchor.label.to_dict() for anchor in indicator.anchors]
    if indicator.type == QuestionType.CHOICE:
        indicator_dict["multiple"] = indicator.multiple
        indicator_dict["options"] = [_option_dict(option) for option in indicator.options]
    indicator_dict["criteria"] = [_criterion_dict(c) for c in indicator.criteria]
    return indicator_dict


def _option_dict(option: Option) -> dict[str, Any]:
    option_dict: dict[str, Any] = {
        "code": option.code,
        "label": option.label.to_dict(),
        "satisfaction": {
            tier: _json_number(option.satisfaction[tier])
            for tier in TIERS
            if tier in option.satisfaction
        },
    }
    if option.exclusive:
        option_dict["exclusive"] = True
    return option_dict


def _criterion_dict(criterion: Criterion) -> dict[str, Any]:
    criterion_dict: dict[str, Any] = {"tier": criterion.tier, "gate": criterion.gate}
    if criterion.target:
        criterion_dict["target"] = {
            kind: _json_number(criterion.target[kind]) for kind in KINDS if kind in criterion.target
        }
    if criterion.text is not None:
        criterion_dict["text"] = criterion.text.to_dict()
    return criterion_dict


# --- Loading and validation ----------------------------------------------------------------------


def parse_rubric(text: str) -> Rubric:
    """Parse and completely check a rubric written in YAML; raise :class:`RubricError`."""
    return rubric_from_dict(_load_yaml(text))


def parse_rubric_file(path: str | Path) -> Rubric:
    """Like :func:`parse_rubric`, and the file must be named ``<code>@<version>.yaml``."""
    path = Path(path)
    return _parse_named_text(path.name, path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=16)
def _parse_named_text(name: str, text: str) -> Rubric:
    # Keyed on the whole text, so an edited file is parsed again; the result is frozen, so one
    # parse serves every caller (set-up, demo seeding and each test load the default rubric).
    data = _load_yaml(text)
    reader = _Reader()
    rubric = reader.rubric(data)
    if isinstance(data, dict):
        code, version = data.get("code"), data.get("version")
        if isinstance(code, str) and isinstance(version, str):
            expected = f"{code}@{version}.yaml"
            if name != expected:
                reader.problem(
                    "(file)", f"file name {name!r} does not match code@version {expected!r}"
                )
    if reader.problems or rubric is None:
        raise RubricError(reader.problems)
    return rubric


def rubric_from_dict(data: Any) -> Rubric:
    """Check a rubric given as plain data (parsed YAML or :meth:`Rubric.to_dict`) and build it."""
    reader = _Reader()
    rubric = reader.rubric(data)
    if reader.problems or rubric is None:
        raise RubricError(reader.problems)
    return rubric


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader that refuses a key written twice in one mapping (PyYAML keeps the last).

    libyaml's parser when PyYAML has it: the pure-Python one takes ~0.3 s for the default rubric.
    """


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
            seen.add(key)
        except TypeError:  # unhashable key; construct_mapping reports it
            continue
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
    return loader.construct_mapping(node, deep=True)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def _load_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "yaml"
        raise RubricError([f"{where}: {exc.problem or exc}"]) from exc
    except yaml.YAMLError as exc:
        raise RubricError([f"yaml: {exc}"]) from exc


def _key(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def _item(path: str, index: int) -> str:
    return f"{path}[{index}]"


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


def _one_of(values: Iterable[str]) -> str:
    values = list(values)
    return ", ".join(values[:-1]) + " or " + values[-1]


def _number_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


class _Reader:
    """Reads plain data into the model, collecting every problem instead of stopping."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        # The task codes the rubric declares (its ``actions``); None when it declares none.
        self.task_codes: frozenset[str] | None = None

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path or '(root)'}: {message}")

    # Generic checks. A null value counts as missing. Each returns None after reporting.

    def mapping(
        self,
        node: Any,
        path: str,
        required: Iterable[str],
        optional: Iterable[str] = (),
        unknown: str = "unknown key",
    ) -> dict | None:
        if not isinstance(node, dict):
            self.problem(path, f"must be a mapping, got {_type_name(node)}")
            return None
        required = tuple(required)
        allowed = set(required) | set(optional)
        for key in node:
            if not isinstance(key, str):
                self.problem(path, f"key {key!r} must be a string")
            elif key not in allowed:
                self.problem(_key(path, key), unknown)
        for key in required:
            if node.get(key) is None:
                self.problem(_key(path, key), "missing")
        return node

    def sequence(self, node: Any, path: str, minimum: int, what: str) -> list | None:
        if not isinstance(node, list):
            self.problem(path, f"must be a list, got {_type_name(node)}")
            return None
        if len(node) < minimum:
            self.problem(path, f"must have at least {minimum} {what}, got {len(node)}")
        return node

    def string(self, node: Any, path: str, pattern: str = "", expected: str = "") -> str | None:
        if not isinstance(node, str):
            self.problem(path, f"must be a string, got {_type_name(node)}")
            return None
        if pattern and not re.fullmatch(pattern, node):
            self.problem(path, f"bad format {node!r}, expected {expected}")
            return None
        return node

    def choice(self, node: Any, path: str, allowed: tuple[str, ...], what: str) -> str | None:
        if not isinstance(node, str):
            self.problem(path, f"must be a string, got {_type_name(node)}")
            return None
        if node not in allowed:
            self.problem(path, f"unknown {what} {node!r}, expected {_one_of(allowed)}")
            return None
        return node

    def text(self, node: Any, path: str) -> Text | None:
        text_mapping = self.mapping(node, path, required=LANGUAGES)
        if text_mapping is None:
            return None
        translations: dict[str, str] = {}
        for language in LANGUAGES:
            translation = text_mapping.get(language)
            if translation is None:
                continue  # reported as missing
            if not isinstance(translation, str):
                self.problem(
                    _key(path, language), f"must be a string, got {_type_name(translation)}"
                )
            elif not translation.strip():
                self.problem(_key(path, language), "empty")
            else:
                translations[language] = translation.strip()
        if len(translations) != len(LANGUAGES):
            return None
        return Text(zh_hans=translations["zh-hans"], en=translations["en"])

    def optional_text(self, node: dict, key: str, path: str) -> Text | None:
        if node.get(key) is None:
            return None
        return self.text(node[key], _key(path, key))

    def number(self, node: Any, path: str) -> Decimal | None:
        if isinstance(node, bool) or not isinstance(node, int | float):
            self.problem(path, f"must be a number, got {_type_name(node)}")
            return None
        if isinstance(node, float):
            if not math.isfinite(node):
                self.problem(path, "must be a finite number")
                return None
            return Decimal(repr(node))
        return Decimal(node)

    def integer(self, node: Any, path: str) -> int | None:
        if isinstance(node, bool) or not isinstance(node, int):
            self.problem(path, f"must be an integer, got {_type_name(node)}")
            return None
        return node

    def boolean(self, node: Any, path: str) -> bool | None:
        if not isinstance(node, bool):
            self.problem(path, f"must be true or false, got {_type_name(node)}")
            return None
        return node

    def unique(self, seen: dict[str, str], code: str | None, path: str) -> None:
        if code is None:
            return
        if code in seen:
            self.problem(path, f"duplicate code {code!r} (also {seen[code]})")
        else:
            seen[code] = path.removesuffix(".code")

    # The levels of the file.

    def rubric(self, data: Any) -> Rubric | None:
        node = self.mapping(
            data,
            "",
            required=("code", "version", "title", "preconditions", "dimensions"),
            optional=("description", "actions"),
        )
        if node is None:
            return None
        code = version = title = None
        if node.get("code") is not None:
            code = self.string(
                node["code"], "code", RUBRIC_CODE_PATTERN, "lowercase letters, digits and hyphens"
            )
        if node.get("version") is not None:
            version = self.string(
                node["version"], "version", VERSION_PATTERN, "letters, digits, '.', '_' or '-'"
            )
        if node.get("title") is not None:
            title = self.text(node["title"], "title")
        description = self.optional_text(node, "description", "")
        actions: tuple[PlanAction, ...] | None = ()
        if "actions" in node:
            actions = self.actions(node["actions"], "actions")

        preconditions: list[Precondition | None] = []
        if node.get("preconditions") is not None:
            nodes = self.sequence(node["preconditions"], "preconditions", 0, "preconditions")
            seen: dict[str, str] = {}
            for index, precondition_node in enumerate(nodes or []):
                path = _item("preconditions", index)
                preconditions.append(self.precondition(precondition_node, path, seen))

        dimensions: list[Dimension | None] = []
        if node.get("dimensions") is not None:
            nodes = self.sequence(node["dimensions"], "dimensions", 1, "dimension")
            dimension_codes: dict[str, str] = {}
            indicator_codes: dict[str, str] = {}
            weights: list[Mapping[str, int | None]] = []
            for index, dimension_node in enumerate(nodes or []):
                path = _item("dimensions", index)
                dimension, dimension_weights = self.dimension(
                    dimension_node, path, dimension_codes, indicator_codes
                )
                dimensions.append(dimension)
                weights.append(dimension_weights)
            if nodes:
                self.weight_sums(weights)

        if self.problems or None in (code, version, title, actions) or None in preconditions:
            return None
        if None in dimensions:
            return None
        return Rubric(
            code=code,
            version=version,
            title=title,
            description=description,
            preconditions=tuple(preconditions),
            dimensions=tuple(dimensions),
            actions=actions,
        )

    def actions(self, node: Any, path: str) -> tuple[PlanAction, ...] | None:
        """The Action Plan's actions and their tasks; sets :attr:`task_codes`."""
        nodes = self.sequence(node, path, 1, "action")
        if nodes is None:
            self.task_codes = frozenset()
            return None
        action_codes: dict[str, str] = {}
        task_codes: dict[str, str] = {}
        actions: list[PlanAction | None] = []
        for index, action_node in enumerate(nodes):
            action_path = _item(path, index)
            action_node = self.mapping(
                action_node, action_path, required=("code", "title", "tasks")
            )
            if action_node is None:
                actions.append(None)
                continue
            code = title = None
            if action_node.get("code") is not None:
                code = self.string(
                    action_node["code"], _key(action_path, "code"), ACTION_CODE_PATTERN, "a number"
                )
                self.unique(action_codes, code, _key(action_path, "code"))
            if action_node.get("title") is not None:
                title = self.text(action_node["title"], _key(action_path, "title"))
            tasks: list[PlanTask | None] = []
            tasks_path = _key(action_path, "tasks")
            task_nodes = []
            if action_node.get("tasks") is not None:
                task_nodes = self.sequence(action_node["tasks"], tasks_path, 1, "task") or []
            for task_index, task_node in enumerate(task_nodes):
                tasks.append(self.task(task_node, _item(tasks_path, task_index), code, task_codes))
            if code is None or title is None or not tasks or None in tasks:
                actions.append(None)
                continue
            actions.append(PlanAction(code=code, title=title, tasks=tuple(tasks)))
        self.task_codes = frozenset(task_codes)
        if None in actions or not actions:
            return None
        return tuple(actions)

    def task(
        self, node: Any, path: str, action_code: str | None, seen: dict[str, str]
    ) -> PlanTask | None:
        node = self.mapping(node, path, required=("code", "title"))
        if node is None:
            return None
        code = title = None
        code_path = _key(path, "code")
        if node.get("code") is not None:
            code = self.string(node["code"], code_path, TASK_CODE_PATTERN, "<action>.<number>")
            if code is not None and action_code and not code.startswith(action_code + "."):
                self.problem(code_path, f"{code!r} must start with its action code {action_code}.")
                code = None
            self.unique(seen, code, code_path)
        if node.get("title") is not None:
            title = self.text(node["title"], _key(path, "title"))
        if code is None or title is None:
            return None
        return PlanTask(code=code, title=title)

    def precondition(self, node: Any, path: str, seen: dict[str, str]) -> Precondition | None:
        node = self.mapping(node, path, required=("code", "text"), optional=("help",))
        if node is None:
            return None
        code = text = None
        if node.get("code") is not None:
            code = self.string(
                node["code"], _key(path, "code"), PRECONDITION_CODE_PATTERN, "P<number>"
            )
            self.unique(seen, code, _key(path, "code"))
        if node.get("text") is not None:
            text = self.text(node["text"], _key(path, "text"))
        help_text = self.optional_text(node, "help", path)
        if code is None or text is None:
            return None
        return Precondition(code=code, text=text, help=help_text)

    def weight_sums(self, weights: list[Mapping[str, int | None]]) -> None:
        for kind in KINDS:
            kind_weights = [dimension_weights.get(kind) for dimension_weights in weights]
            if None in kind_weights:
                continue  # a dimension's weight is already reported
            total = sum(kind_weights)
            if total != WEIGHT_TOTAL:
                self.problem(
                    "dimensions", f"weights for kind {kind} sum to {total}, not {WEIGHT_TOTAL}"
                )

    def dimension(
        self,
        node: Any,
        path: str,
        dimension_codes: dict[str, str],
        indicator_codes: dict[str, str],
    ) -> tuple[Dimension | None, Mapping[str, int | None]]:
        # A rubric that traces its indicators to the plan's tasks needs no action areas.
        traced = self.task_codes is not None
        node = self.mapping(
            node,
            path,
            required=("code", "title", "weights", "indicators")
            + (() if traced else ("action_area",)),
            optional=("action_area",),
        )
        if node is None:
            return None, {}
        code = title = action_area = None
        if node.get("code") is not None:
            code = self.string(
                node["code"], _key(path, "code"), DIMENSION_CODE_PATTERN, "D<number>"
            )
            self.unique(dimension_codes, code, _key(path, "code"))
        if node.get("title") is not None:
            title = self.text(node["title"], _key(path, "title"))
        if node.get("action_area") is not None:
            action_area = self.choice(
                node["action_area"], _key(path, "action_area"), ACTION_AREAS, "action area"
            )
        weights: dict[str, int | None] = {}
        if node.get("weights") is not None:
            weights_path = _key(path, "weights")
            weights_node = self.mapping(
                node["weights"], weights_path, required=KINDS, unknown="unknown kind"
            )
            for kind in KINDS:
                if weights_node is None or weights_node.get(kind) is None:
                    weights[kind] = None
                    continue
                weight = self.integer(weights_node[kind], _key(weights_path, kind))
                if weight is not None and weight < 0:
                    self.problem(_key(weights_path, kind), "must not be negative")
                    weight = None
                weights[kind] = weight
        else:
            weights = dict.fromkeys(KINDS)
        indicators: list[Indicator | None] = []
        if node.get("indicators") is not None:
            indicators_path = _key(path, "indicators")
            nodes = self.sequence(node["indicators"], indicators_path, 1, "indicator")
            for index, indicator_node in enumerate(nodes or []):
                indicators.append(
                    self.indicator(
                        indicator_node, _item(indicators_path, index), code, indicator_codes
                    )
                )
        if node.get("action_area") is not None and action_area is None:
            return None, weights
        if None in (code, title) or (action_area is None and not traced):
            return None, weights
        if None in weights.values() or None in indicators:
            return None, weights
        if not indicators:
            return None, weights
        dimension = Dimension(
            code=code,
            title=title,
            action_area=ActionArea(action_area) if action_area is not None else None,
            weights=FrozenMap(weights),
            indicators=tuple(indicators),
        )
        return dimension, weights

    def indicator(
        self, node: Any, path: str, dimension_code: str | None, indicator_codes: dict[str, str]
    ) -> Indicator | None:
        node = self.mapping(
            node,
            path,
            required=("code", "title", "help", "type", "evidence", "criteria"),
            optional=(
                "unit",
                "kinds",
                "anchors",
                "multiple",
                "options",
                "tasks",
                "actionable",
                "monitored",
            ),
        )
        if node is None:
            return None
        complete = True
        tasks = self.indicator_tasks(node.get("tasks"), _key(path, "tasks"))
        complete = complete and tasks is not None
        actionable: bool | None = True
        if node.get("actionable") is not None:
            actionable = self.boolean(node["actionable"], _key(path, "actionable"))
            complete = complete and actionable is not None
        monitored = False
        if node.get("monitored") is not None:
            monitored_or_none = self.boolean(node["monitored"], _key(path, "monitored"))
            complete = complete and monitored_or_none is not None
            monitored = bool(monitored_or_none)
        code = None
        code_path = _key(path, "code")
        if node.get("code") is not None:
            code = self.string(
                node["code"], code_path, INDICATOR_CODE_PATTERN, "D<number>.<number>"
            )
            if code is not None and dimension_code and not code.startswith(dimension_code + "."):
                self.problem(
                    code_path, f"{code!r} must start with its dimension code {dimension_code}."
                )
            self.unique(indicator_codes, code, code_path)
        title = self.optional_text(node, "title", path)
        help_text = self.optional_text(node, "help", path)
        question_type = evidence = None
        if node.get("type") is not None:
            question_type = self.choice(
                node["type"], _key(path, "type"), QUESTION_TYPES, "question type"
            )
        if node.get("evidence") is not None:
            evidence = self.choice(
                node["evidence"], _key(path, "evidence"), EVIDENCE_MODES, "evidence mode"
            )

        kinds: tuple[str, ...] | None = KINDS
        if node.get("kinds") is not None:
            kinds = self.kinds(node["kinds"], _key(path, "kinds"))
            complete = complete and kinds is not None

        unit = None
        anchors: tuple[Anchor, ...] = ()
        multiple = False
        options: tuple[Option, ...] = ()
        option_paths: list[str] = []
        if question_type is not None:
            for key, only_for in (
                ("unit", QuestionType.NUMERIC),
                ("anchors", QuestionType.ORDINAL),
                ("multiple", QuestionType.CHOICE),
                ("options", QuestionType.CHOICE),
            ):
                if question_type != only_for and node.get(key) is not None:
                    self.problem(_key(path, key), f"not allowed for type {question_type}")
            if question_type == QuestionType.NUMERIC:
                if node.get("unit") is None:
                    self.problem(_key(path, "unit"), "missing")
                else:
                    unit = self.text(node["unit"], _key(path, "unit"))
                complete = complete and unit is not None
            elif question_type == QuestionType.ORDINAL:
                anchors_or_none = self.anchors(node.get("anchors"), _key(path, "anchors"))
                complete = complete and anchors_or_none is not None
                anchors = anchors_or_none or ()
            elif question_type == QuestionType.CHOICE:
                if node.get("multiple") is not None:
                    multiple_or_none = self.boolean(node["multiple"], _key(path, "multiple"))
                    complete = complete and multiple_or_none is not None
                    multiple = bool(multiple_or_none)
                options_or_none, option_paths = self.options(
                    node.get("options"), _key(path, "options")
                )
                complete = complete and options_or_none is not None
                options = options_or_none or ()

        criteria: list[Criterion | None] = []
        criterion_paths: list[str] = []
        if node.get("criteria") is not None:
            criteria_path = _key(path, "criteria")
            nodes = self.sequence(node["criteria"], criteria_path, 1, "criterion")
            tiers_seen: dict[str, str] = {}
            for index, criterion_node in enumerate(nodes or []):
                criterion_path = _item(criteria_path, index)
                criterion = self.criterion(criterion_node, criterion_path, question_type, kinds)
                if criterion is not None:
                    if criterion.tier in tiers_seen:
                        self.problem(
                            _key(criterion_path, "tier"),
                            f"tier {criterion.tier} already has a criterion "
                            f"({tiers_seen[criterion.tier]})",
                        )
                    tiers_seen.setdefault(criterion.tier, criterion_path)
                criteria.append(criterion)
                criterion_paths.append(criterion_path)

        if question_type == QuestionType.CHOICE and complete and None not in criteria:
            self.choice_satisfaction(options, option_paths, multiple, criteria, criterion_paths)
            for option, option_path in zip(options, option_paths, strict=True):
                if option.exclusive and not multiple:
                    self.problem(
                        _key(option_path, "exclusive"),
                        "only a multiple choice has exclusive options",
                    )
                elif option.exclusive and any(option.satisfaction.values()):
                    self.problem(
                        _key(option_path, "exclusive"),
                        "an exclusive option means none of the others and must count 0 at "
                        "every tier",
                    )

        if (
            not complete
            or None in (code, title, help_text, question_type, evidence)
            or not criteria
            or None in criteria
        ):
            return None
        return Indicator(
            code=code,
            title=title,
            help=help_text,
            type=QuestionType(question_type),
            evidence=EvidenceMode(evidence),
            kinds=kinds,
            unit=unit,
            anchors=anchors,
            multiple=multiple,
            options=options,
            criteria=tuple(criteria),
            tasks=tasks,
            actionable=bool(actionable),
            monitored=monitored,
        )

    def indicator_tasks(self, node: Any, path: str) -> tuple[str, ...] | None:
        """An indicator's ``tasks``: required when the rubric declares actions, else refused."""
        if self.task_codes is None:
            if node is not None:
                self.problem(path, "not allowed: the rubric declares no actions and tasks")
                return None
            return ()
        if node is None:
            self.problem(path, "missing: name the Action Plan tasks the indicator measures")
            return None
        nodes = self.sequence(node, path, 1, "task")
        if nodes is None:
            return None
        codes: list[str] = []
        valid = bool(nodes)
        for index, task_node in enumerate(nodes):
            item_path = _item(path, index)
            if isinstance(task_node, float | int) and not isinstance(task_node, bool):
                task_node = str(task_node)  # YAML reads 2.1 as a number
            code = self.string(task_node, item_path, TASK_CODE_PATTERN, "<action>.<number>")
            if code is None:
                valid = False
            elif code not in self.task_codes:
                self.problem(item_path, f"unknown task {code!r}")
                valid = False
            elif code in codes:
                self.problem(item_path, f"duplicate task {code!r}")
                valid = False
            else:
                codes.append(code)
        if not valid:
            return None
        return tuple(sorted(codes, key=lambda code: tuple(int(p) for p in code.split("."))))

    def kinds(self, node: Any, path: str) -> tuple[str, ...] | None:
        nodes = self.sequence(node, path, 1, "kind")
        if nodes is None:
            return None
        given: list[str] = []
        valid = True
        for index, kind_node in enumerate(nodes):
            kind = self.choice(kind_node, _item(path, index), KINDS, "kind")
            if kind is None:
                valid = False
            elif kind in given:
                self.problem(_item(path, index), f"duplicate kind {kind!r}")
                valid = False
            else:
                given.append(kind)
        if not valid or not given:
            return None
        return tuple(kind for kind in KINDS if kind in given)

    def anchors(self, node: Any, path: str) -> tuple[Anchor, ...] | None:
        if node is None:
            self.problem(path, "missing")
            return None
        nodes = self.sequence(node, path, 0, "anchors")
        if nodes is None:
            return None
        if len(nodes) != ANCHOR_COUNT:
            self.problem(path, f"must have exactly {ANCHOR_COUNT} anchors, got {len(nodes)}")
        labels = [
            self.text(anchor_node, _item(path, index)) for index, anchor_node in enumerate(nodes)
        ]
        if len(nodes) != ANCHOR_COUNT or None in labels:
            return None
        return tuple(
            Anchor(index=index, label=label, satisfaction=ANCHOR_SATISFACTION[index])
            for index, label in enumerate(labels)
        )

    def options(self, node: Any, path: str) -> tuple[tuple[Option, ...] | None, list[str]]:
        if node is None:
            self.problem(path, "missing")
            return None, []
        nodes = self.sequence(node, path, 2, "options")
        if nodes is None:
            return None, []
        seen: dict[str, str] = {}
        options: list[Option | None] = []
        paths: list[str] = []
        for index, option_node in enumerate(nodes):
            option_path = _item(path, index)
            options.append(self.option(option_node, option_path, seen))
            paths.append(option_path)
        if len(nodes) < 2 or None in options:
            return None, paths
        return tuple(options), paths

    def option(self, node: Any, path: str, seen: dict[str, str]) -> Option | None:
        node = self.mapping(
            node, path, required=("code", "label", "satisfaction"), optional=("exclusive",)
        )
        if node is None:
            return None
        exclusive: bool | None = False
        if node.get("exclusive") is not None:
            exclusive = self.boolean(node["exclusive"], _key(path, "exclusive"))
        code = None
        if node.get("code") is not None:
            code = self.string(
                node["code"],
                _key(path, "code"),
                OPTION_CODE_PATTERN,
                "lowercase letters, digits and hyphens",
            )
            self.unique(seen, code, _key(path, "code"))
        label = self.optional_text(node, "label", path)
        satisfaction: dict[str, Decimal] = {}
        valid = True
        if node.get("satisfaction") is not None:
            satisfaction_path = _key(path, "satisfaction")
            satisfaction_node = self.mapping(
                node["satisfaction"],
                satisfaction_path,
                required=(),
                optional=TIERS,
                unknown="unknown tier",
            )
            if satisfaction_node is None:
                valid = False
            else:
                for tier in TIERS:
                    if tier not in satisfaction_node:
                        continue
                    tier_path = _key(satisfaction_path, tier)
                    value = self.number(satisfaction_node[tier], tier_path)
                    if value is not None and not 0 <= value <= 1:
                        self.problem(tier_path, f"must be between 0 and 1, got {value}")
                        value = None
                    if value is None:
                        valid = False
                    else:
                        satisfaction[tier] = value
                if any(not isinstance(key, str) or key not in TIERS for key in satisfaction_node):
                    valid = False
        if code is None or label is None or not valid or node.get("satisfaction") is None:
            return None
        if exclusive is None:
            return None
        return Option(
            code=code, label=label, satisfaction=FrozenMap(satisfaction), exclusive=exclusive
        )

    def criterion(
        self,
        node: Any,
        path: str,
        question_type: str | None,
        kinds: tuple[str, ...] | None,
    ) -> Criterion | None:
        node = self.mapping(node, path, required=("tier",), optional=("target", "gate", "text"))
        if node is None:
            return None
        tier = None
        if node.get("tier") is not None:
            tier = self.choice(node["tier"], _key(path, "tier"), TIERS, "tier")
        gate: bool | None = False
        if node.get("gate") is not None:
            gate = self.boolean(node["gate"], _key(path, "gate"))
        text = self.optional_text(node, "text", path)
        target: dict[str, Decimal] | None = {}
        target_path = _key(path, "target")
        if question_type in (QuestionType.NUMERIC, QuestionType.PERCENTAGE):
            if node.get("target") is None:
                self.problem(target_path, "missing")
                target = None
            else:
                target = self.target(node["target"], target_path, question_type, kinds)
        elif question_type is not None and node.get("target") is not None:
            self.problem(target_path, f"not allowed for type {question_type}")
        if tier is None or gate is None or target is None:
            return None
        if node.get("text") is not None and text is None:
            return None
        return Criterion(tier=tier, gate=gate, target=FrozenMap(target), text=text)

    def target(
        self, node: Any, path: str, question_type: str, kinds: tuple[str, ...] | None
    ) -> dict[str, Decimal] | None:
        node = self.mapping(node, path, required=(), optional=KINDS, unknown="unknown kind")
        if node is None:
            return None
        target: dict[str, Decimal] = {}
        valid = not any(not isinstance(key, str) or key not in KINDS for key in node)
        for kind in KINDS:
            kind_path = _key(path, kind)
            applies = kinds is None or kind in kinds
            if node.get(kind) is None:
                if applies and kinds is not None:
                    self.problem(kind_path, "missing")
                    valid = False
                continue
            if not applies:
                self.problem(kind_path, f"not allowed: the indicator does not apply to {kind}")
                valid = False
                continue
            value = self.number(node[kind], kind_path)
            if value is None:
                valid = False
            elif value <= 0:
                self.problem(kind_path, f"must be greater than 0, got {_number_text(value)}")
                valid = False
            elif question_type == QuestionType.PERCENTAGE and value > 100:
                self.problem(kind_path, f"a percentage must not be over 100, got {value}")
                valid = False
            else:
                target[kind] = value
        return target if valid and kinds is not None else None

    def choice_satisfaction(
        self,
        options: tuple[Option, ...],
        option_paths: list[str],
        multiple: bool,
        criteria: list[Criterion | None],
        criterion_paths: list[str],
    ) -> None:
        criterion_tiers = [c.tier for c in criteria if c is not None]
        ordered_tiers = [tier for tier in TIERS if tier in criterion_tiers]
        for option, option_path in zip(options, option_paths, strict=True):
            for tier in option.satisfaction:
                if tier not in criterion_tiers:
                    self.problem(
                        _key(_key(option_path, "satisfaction"), tier),
                        f"the indicator has no criterion at tier {tier}",
                    )
            if multiple:
                continue
            # With one option chosen, an option that fully meets a higher tier must meet the
            # lower ones as well; otherwise a better answer would lower a lower tier.
            for lower, higher in zip(ordered_tiers, ordered_tiers[1:], strict=False):
                lower_value = option.satisfaction_at(lower)
                higher_value = option.satisfaction_at(higher)
                if higher_value > lower_value:
                    self.problem(
                        _key(option_path, "satisfaction"),
                        f"{higher} ({_number_text(higher_value)}) is higher than {lower} "
                        f"({_number_text(lower_value)}); with a single choice a higher tier "
                        "must not be easier to satisfy",
                    )
        for criterion, criterion_path in zip(criteria, criterion_paths, strict=True):
            if criterion is None:
                continue
            values = [option.satisfaction_at(criterion.tier) for option in options]
            best = min(Decimal(1), sum(values)) if multiple else max(values)
            if best < 1:
                self.problem(
                    criterion_path,
                    f"no answer reaches satisfaction 1 at tier {criterion.tier} "
                    f"(best {_number_text(best)})",
                )


# --- Answers -------------------------------------------------------------------------------------


# Thousands separators as numbers are copied from reports: "1,509,254", "1 509 254" (also a no-break
# or narrow no-break space, a full-width comma or an apostrophe). Only whole groups of three, so a
# decimal comma such as "1,5" stays refused rather than read as fifteen.
_GROUPED_NUMBER = re.compile(r"\d{1,3}(?:([,\u00a0\u202f\u2009 '，])\d{3})(?:\1\d{3})*(?:\.\d+)?")
_SEPARATORS = str.maketrans("", "", ",\u00a0\u202f\u2009 '，")


def _ungrouped(text: str) -> str:
    return text.translate(_SEPARATORS) if _GROUPED_NUMBER.fullmatch(text) else text


def _decimal_answer(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, str):
        try:
            number = Decimal(_ungrouped(value.strip()))
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def validate_answer(indicator: Indicator, value: Any) -> bool | int | Decimal | str | list[str]:
    """Normalise an answer value for ``indicator`` or raise :class:`AnswerError`.

    boolean → ``bool`` (also "true"/"false"); ordinal → ``int`` anchor index 0..3; numeric →
    ``Decimal`` ≥ 0; percentage → ``Decimal`` in 0..100; choice → an option code, or (multiple)
    a list of distinct option codes in rubric order.
    """
    if value is None:
        raise AnswerError("missing", {})
    question_type = indicator.type
    if question_type == QuestionType.BOOLEAN:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise AnswerError("not_boolean", {"value": str(value)})
    if question_type == QuestionType.ORDINAL:
        index = value
        if isinstance(value, str) and value.strip().isdigit():
            index = int(value.strip())
        if isinstance(index, bool) or not isinstance(index, int):
            raise AnswerError("not_an_anchor", {"value": str(value)})
        if not 0 <= index < ANCHOR_COUNT:
            raise AnswerError("anchor_out_of_range", {"value": index, "max": ANCHOR_COUNT - 1})
        return index
    if question_type in (QuestionType.NUMERIC, QuestionType.PERCENTAGE):
        number = _decimal_answer(value)
        if number is None:
            raise AnswerError("not_a_number", {"value": str(value)})
        if number < 0:
            raise AnswerError("negative", {"value": str(value)})
        if question_type == QuestionType.PERCENTAGE and number > 100:
            raise AnswerError("over_100", {"value": str(value)})
        return Decimal(0) if number.is_zero() else number
    # choice
    if isinstance(value, list | tuple):
        if not indicator.multiple:
            raise AnswerError("single_choice_only", {"count": len(value)})
        chosen = list(value)
    elif indicator.multiple:
        chosen = [value]
    else:
        if not isinstance(value, str) or indicator.option(value) is None:
            raise AnswerError("unknown_option", {"value": str(value)})
        return value
    seen: set[str] = set()
    for code in chosen:
        if not isinstance(code, str) or indicator.option(code) is None:
            raise AnswerError("unknown_option", {"value": str(code)})
        if code in seen:
            raise AnswerError("duplicate_option", {"value": code})
        seen.add(code)
    exclusive = indicator.declared_exclusive_options & seen
    if exclusive and len(seen) > 1:
        raise AnswerError("exclusive_option", {"value": min(exclusive)})
    return [option.code for option in indicator.options if option.code in seen]
