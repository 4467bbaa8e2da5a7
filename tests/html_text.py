"""What a reader sees on an HTML page: its text, each piece with the elements around it.

Codes legitimately sit in URLs, ids, classes and data attributes; a check for raw codes looks
at visible text only (no script, style, template, hidden element or attribute).
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
_INVISIBLE = {"script", "style", "template", "noscript", "head", "option"}
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Element:
    tag: str
    id: str
    classes: tuple
    attrs: dict


@dataclass(frozen=True)
class Text:
    text: str
    ancestors: tuple  # of Element, outermost first

    def inside(self, tag=None, *, id=None, cls=None) -> bool:
        return any(
            (tag is None or element.tag == tag)
            and (id is None or element.id == id)
            and (cls is None or cls in element.classes)
            for element in self.ancestors
        )


class _Parser(HTMLParser):
    def __init__(self, *, options: bool):
        super().__init__(convert_charrefs=True)
        self.stack: list[Element] = []
        self.texts: list[Text] = []
        self.invisible = _INVISIBLE - ({"option"} if options else set())

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        element = Element(
            tag,
            attributes.get("id") or "",
            tuple((attributes.get("class") or "").split()),
            attributes,
        )
        if tag not in _VOID:
            self.stack.append(element)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        text = " ".join(data.split())
        if not text:
            return
        if any(
            element.tag in self.invisible
            or "hidden" in element.attrs
            or element.attrs.get("aria-hidden") == "true"
            for element in self.stack
        ):
            return
        self.texts.append(Text(text, tuple(self.stack)))


def visible_texts(html: str, *, options: bool = True) -> list[Text]:
    """The page's text nodes a reader sees (select options included unless `options` is off)."""
    parser = _Parser(options=options)
    parser.feed(html)
    parser.close()
    return parser.texts


def visible_text(html: str) -> str:
    return "\n".join(text.text for text in visible_texts(html))


def words(text: str) -> set[str]:
    """Whole words, as a code would stand on its own (snake_case codes stay whole)."""
    return set(re.findall(r"[A-Za-z0-9_\-]+", text))


def choice_codes() -> set[str]:
    """Every stored code of a model choice whose English label is something else ("in_review"
    is "In review"): what a page must show by its label."""
    from django.apps import apps
    from django.utils import translation

    codes = set()
    with translation.override("en"):
        for model in apps.get_models():
            for field in model._meta.get_fields():
                for value, label in getattr(field, "flatchoices", None) or ():
                    if isinstance(value, str) and value and value != str(label):
                        codes.add(value)
    return codes
