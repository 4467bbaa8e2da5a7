"""Writes of rubric versions: storing a checked YAML file, immutably."""

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError
from questionnaires.models import RubricVersion
from questionnaires.rubric import Rubric, parse_rubric_file


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
