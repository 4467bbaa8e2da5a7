"""Writes of rubric versions: storing a checked YAML file, immutably; drafts previewed first."""

from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, Conflict, PermissionDenied
from questionnaires.coverage import rubric_warnings
from questionnaires.models import RubricDraft, RubricVersion
from questionnaires.rubric import (
    Rubric,
    RubricError,
    parse_rubric,
    parse_rubric_file,
    rubric_from_dict,
)


@transaction.atomic
def rubric_version_load(*, path: str | Path) -> tuple[RubricVersion, bool]:
    """Store the rubric file at `path`; returns (version, created).

    Loading the same content again is a no-op; loading different content under an existing
    code and version is refused: a changed rubric is a new version.
    """
    rubric: Rubric = parse_rubric_file(path)  # raises RubricError listing every problem
    fingerprint = rubric.fingerprint()
    existing = (
        RubricVersion.objects.select_for_update()
        .filter(code=rubric.code, version=rubric.version)
        .first()
    )
    if existing is not None:
        if existing.fingerprint != fingerprint:
            raise ApplicationError(
                "rubric_version_changed",
                _(
                    "Rubric %(label)s is already stored with different content. A stored version "
                    "never changes: give the edited file a new version number."
                )
                % {"label": rubric.label},
            )
        return existing, False
    version = RubricVersion.objects.create(
        code=rubric.code,
        version=rubric.version,
        title_zh_hans=rubric.title.zh_hans,
        title_en=rubric.title.en,
        definition=rubric.to_dict(),
        fingerprint=fingerprint,
    )
    return version, True


DEFAULT_RUBRIC_PATH = Path(__file__).resolve().parent / "rubrics" / "iip-2026@1.0.yaml"


def default_rubric_version() -> RubricVersion:
    """The default rubric, stored on first use (set-up, demo data and tests)."""
    version, _created = rubric_version_load(path=DEFAULT_RUBRIC_PATH)
    return version


# --- Drafts: a candidate version previewed before it applies -------------------------------------


class RubricInvalid(ApplicationError):
    """An uploaded rubric has problems; ``problems`` lists each as ``path: message``."""

    def __init__(self, problems: list[str]):
        super().__init__(
            "rubric_invalid",
            _("The rubric has %(count)s problem(s); nothing was stored.")
            % {"count": len(problems)},
            field="yaml",
        )
        self.problems = problems


MAX_RUBRIC_BYTES = 2_000_000


@transaction.atomic
def rubric_draft_upload(*, user, text: str, compare_with: RubricVersion | None) -> RubricDraft:
    """Check an uploaded rubric completely and store it as a draft that no cycle uses.

    Refused, with every problem and its path, when the file is invalid; refused when its code
    and version are already stored (a stored version never changes). An earlier unpublished
    draft of the same code and version is replaced. The impact on the submissions of
    ``compare_with`` is computed at once (see :func:`rubric_draft_compute_impact`).
    """
    if not user.is_admin:
        raise PermissionDenied("not_admin", _("Only administrators may upload rubric drafts."))
    if len(text.encode("utf-8")) > MAX_RUBRIC_BYTES:
        raise ApplicationError(
            "rubric_too_large", _("The file is larger than 2 MB; is it a rubric?"), field="yaml"
        )
    try:
        rubric = parse_rubric(text)
    except RubricError as error:
        raise RubricInvalid(error.problems) from None
    if RubricVersion.objects.filter(code=rubric.code, version=rubric.version).exists():
        raise ApplicationError(
            "rubric_version_exists",
            _(
                "Rubric %(label)s is already stored. A stored version never changes: give the "
                "candidate a new version number."
            )
            % {"label": rubric.label},
            field="yaml",
        )
    RubricDraft.objects.select_for_update().filter(
        code=rubric.code, version=rubric.version, published_version__isnull=True
    ).delete()
    draft = RubricDraft.objects.create(
        code=rubric.code,
        version=rubric.version,
        title_zh_hans=rubric.title.zh_hans,
        title_en=rubric.title.en,
        source=text,
        definition=rubric.to_dict(),
        fingerprint=rubric.fingerprint(),
        warnings=rubric_warnings(rubric),
        compare_with=compare_with,
        uploaded_by=user,
    )
    if compare_with is not None:
        rubric_draft_compute_impact(draft=draft)
    return draft


def rubric_draft_compute_impact(*, draft: RubricDraft, workers: int = 1) -> RubricDraft:
    """What the draft would do to the stored submissions of ``draft.compare_with``: each scored
    under both in memory (nothing else is written), stored on the draft."""
    from questionnaires.management.commands.rubric_impact import rubric_impact

    if draft.compare_with is None:
        return draft
    report = rubric_impact(
        old_version=draft.compare_with,
        new_rubric=rubric_from_dict(draft.definition),
        workers=workers,
    )
    draft.impact = report.to_dict()
    draft.impact_computed_at = timezone.now()
    draft.save(update_fields=["impact", "impact_computed_at"])
    return draft


@transaction.atomic
def rubric_draft_publish(*, draft: RubricDraft, user, cycle=None) -> RubricVersion:
    """Store the draft as a rubric version and, if ``cycle`` is given, make it that cycle's
    rubric. A cycle that already has submissions keeps its version (they were written for
    it)."""
    from assessment.models import AssessmentCycle

    if not user.is_admin:
        raise PermissionDenied("not_admin", _("Only administrators may publish rubric drafts."))
    draft = RubricDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.is_published:
        raise Conflict(
            "rubric_draft_published",
            _("This draft was already published as %(label)s.") % {"label": draft.label},
        )
    if RubricVersion.objects.filter(code=draft.code, version=draft.version).exists():
        raise ApplicationError(
            "rubric_version_exists",
            _("Rubric %(label)s is already stored.") % {"label": draft.label},
        )
    if cycle is not None:
        cycle = AssessmentCycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.submissions.exists():
            raise ApplicationError(
                "cycle_has_submissions",
                _(
                    "Cycle %(cycle)s already has submissions, written for %(label)s; publish the "
                    "draft for a cycle without submissions."
                )
                % {"cycle": cycle.code, "label": cycle.rubric_version.label},
                field="cycle",
            )
    rubric = rubric_from_dict(draft.definition)
    version = RubricVersion.objects.create(
        code=rubric.code,
        version=rubric.version,
        title_zh_hans=rubric.title.zh_hans,
        title_en=rubric.title.en,
        definition=rubric.to_dict(),
        fingerprint=rubric.fingerprint(),
    )
    draft.published_version = version
    draft.published_at = timezone.now()
    draft.published_by = user
    draft.published_cycle_code = cycle.code if cycle is not None else ""
    draft.save(
        update_fields=[
            "published_version",
            "published_at",
            "published_by",
            "published_cycle_code",
        ]
    )
    if cycle is not None:
        cycle.rubric_version = version
        cycle.save(update_fields=["rubric_version"])
    return version
