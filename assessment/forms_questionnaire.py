"""Forms of the operator's pages: a questionnaire section built from the rubric, evidence,
platforms and colleagues.

A section form has one input per question (``q-<code>``) and the version it was based on
(``v-<code>``). Values are checked with the rubric (questionnaires.rubric.validate_answer);
its error codes become the translated messages below, shown beside the field.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.models import Industry, Platform, Region
from assessment.selectors.submissions import QuestionView
from assessment.services.evidence_files import ACCEPT_ATTRIBUTE
from assessment.services.submissions import normalise_answer
from questionnaires.choices import PlatformKind
from questionnaires.rubric import AnswerError, Rubric

ANSWER_ERROR_MESSAGES = {
    "missing": _("Please answer this question."),
    "not_boolean": _("Choose yes or no."),
    "not_an_anchor": _("Choose one of the four levels."),
    "anchor_out_of_range": _("Choose one of the four levels."),
    "not_a_number": _("Enter a number, for example 1200 or 12.5."),
    "negative": _("The number cannot be negative."),
    "over_100": _("A percentage cannot be more than 100."),
    "too_large": _("This number is too large; check for extra digits."),
    "single_choice_only": _("Choose only one option."),
    "unknown_option": _("Choose one of the options listed."),
    "duplicate_option": _("Each option can be chosen only once."),
    "exclusive_option": _("“None” cannot be combined with other options."),
    "not_reopened": _("The reviewer did not reopen this question; it cannot be changed."),
}


def answer_error_message(code: str) -> str:
    return str(ANSWER_ERROR_MESSAGES.get(code, _("This answer is not valid.")))


def field_name(code: str) -> str:
    return f"q-{code}"


def version_name(code: str) -> str:
    return f"v-{code}"


def display_value(value: Any) -> Any:
    """A stored value as the inputs hold it: strings, or a list of strings for a multiple."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [str(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class QuestionRow:
    """One question as the template renders it: the rubric's view, input value, errors."""

    def __init__(self, question: QuestionView, value: Any, version: int, errors: list[str]):
        self.question = question
        self.name = field_name(question.code)
        self.version_name = version_name(question.code)
        self.value = value
        self.version = version
        self.errors = errors
        self.conflict: dict | None = None

    @property
    def id(self) -> str:
        return "q-" + self.question.code.replace(".", "-")

    @property
    def values(self) -> list[str]:
        return self.value if isinstance(self.value, list) else [self.value]


class SectionForm:
    """The answers of one questionnaire section; only editable questions are read from a POST."""

    def __init__(
        self,
        *,
        rubric: Rubric,
        questions: list[QuestionView],
        data=None,
        only: set[str] | None = None,
    ):
        self.rubric = rubric
        self.questions = [q for q in questions if only is None or q.code in only]
        self.data = data
        self.errors: dict[str, list[str]] = {}
        self.cleaned: dict[str, tuple[Any, int]] = {}

    @property
    def is_bound(self) -> bool:
        return self.data is not None

    def _raw(self, question: QuestionView) -> Any:
        name = field_name(question.code)
        if question.type == "choice" and question.multiple:
            return [value for value in self.data.getlist(name) if value != ""]
        return self.data.get(name, "").strip()

    def is_valid(self) -> bool:
        if not self.is_bound:
            return False
        self.errors, self.cleaned = {}, {}
        for question in self.questions:
            if not question.editable:
                continue
            if field_name(question.code) not in self.data and not (
                question.type == "choice" and question.multiple
            ):
                continue  # not on the page that was posted (or a radio left untouched)
            raw = self._raw(question)
            try:
                version = int(self.data.get(version_name(question.code), "0"))
            except ValueError:
                version = -1  # a tampered version: it will conflict, never overwrite
            try:
                normalise_answer(self.rubric, question.code, raw)
            except AnswerError as error:
                self.errors[question.code] = [answer_error_message(error.code)]
                continue
            self.cleaned[question.code] = (raw, version)
        return not self.errors

    def rows(self, conflicts: dict | None = None) -> list[QuestionRow]:
        rows = []
        for question in self.questions:
            if self.is_bound and question.editable and question.code in self._posted_codes():
                value = self._raw(question)
                try:
                    version = int(self.data.get(version_name(question.code), question.version))
                except ValueError:
                    version = question.version
            else:
                value, version = display_value(question.value), question.version
            row = QuestionRow(question, value, version, self.errors.get(question.code, []))
            if conflicts and question.code in conflicts:
                row.conflict = conflicts[question.code]
                # The next save is based on the version now stored, so "keep mine" works.
                row.version = conflicts[question.code]["version"]
            rows.append(row)
        return rows

    def _posted_codes(self) -> set[str]:
        codes = set()
        for question in self.questions:
            name = field_name(question.code)
            if name in self.data or (question.type == "choice" and question.multiple):
                codes.add(question.code)
        return codes


# --- Evidence ------------------------------------------------------------------------------------


class EvidenceFileForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, images, Office documents or CSV."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        error_messages={"required": _("Choose a file to upload.")},
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class EvidenceLinkForm(forms.Form):
    url = forms.URLField(
        label=_("Link"),
        max_length=500,
        assume_scheme="https",
        error_messages={
            "required": _("Enter a web address."),
            "invalid": _("Enter a web address starting with https://."),
        },
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class EvidenceReplaceForm(forms.Form):
    file = forms.FileField(
        label=_("New file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    url = forms.URLField(
        label=_("or new link"), max_length=500, required=False, assume_scheme="https"
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("url"):
            raise forms.ValidationError(_("Choose a new file or enter a new link."))
        return cleaned


# --- Organisation --------------------------------------------------------------------------------


class PlatformForm(forms.ModelForm):
    class Meta:
        model = Platform
        fields = ["name", "name_en", "kind", "industries", "region", "website", "launched_year"]
        widgets = {"industries": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PlatformKind.choices
        self.fields["industries"].queryset = Industry.objects.order_by("code")
        self.fields["region"].queryset = Region.objects.order_by("code")
        self.fields["region"].label_from_instance = lambda region: f"{region.code} {region.name}"
        self.fields["launched_year"].min_value = 1990
        self.fields["launched_year"].widget.attrs.update({"min": 1990, "max": 2100})
        self.fields["kind"].help_text = _(
            "A submission keeps the kind it was started with; a change applies to new ones."
        )

    def clean_launched_year(self):
        year = self.cleaned_data["launched_year"]
        if not 1990 <= year <= 2100:
            raise forms.ValidationError(_("Enter a year between 1990 and 2100."))
        return year


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    full_name = forms.CharField(label=_("Full name"), max_length=100, required=False)
