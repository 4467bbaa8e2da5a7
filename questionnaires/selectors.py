"""Reads of stored rubric versions."""

from functools import lru_cache

from questionnaires.models import RubricVersion
from questionnaires.rubric import Rubric, rubric_from_dict


@lru_cache(maxsize=16)
def _rubric_by_fingerprint(fingerprint: str, version_id: int) -> Rubric:
    # Keyed by fingerprint: a stored version never changes, so the parsed rubric never goes stale.
    return rubric_from_dict(
        RubricVersion.objects.values_list("definition", flat=True).get(pk=version_id)
    )


def rubric_of(rubric_version: RubricVersion) -> Rubric:
    """The parsed rubric of a stored version (parsed once per process)."""
    return _rubric_by_fingerprint(rubric_version.fingerprint, rubric_version.pk)


def rubric_version_in_use(rubric_version: RubricVersion) -> bool:
    return rubric_version.submissions.exists()
