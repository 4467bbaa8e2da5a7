"""Checks of free input that the panel, site-check and filing services share."""

from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError
from assessment.services.evidence_files import CheckedFile

TEXT_MAX_LENGTH = 4000


def clean_text(
    value: str, *, field: str, required_message=None, max_length: int = TEXT_MAX_LENGTH
) -> str:
    """`value` stripped; refused when longer than `max_length`, or empty and required."""
    text = (value or "").strip()
    if required_message is not None and not text:
        raise ApplicationError("required", required_message, field=field)
    if len(text) > max_length:
        raise ApplicationError(
            "too_long",
            _("Keep it under %(count)d characters.") % {"count": max_length},
            field=field,
        )
    return text


def checked_file_fields(checked: CheckedFile) -> dict:
    """What a stored upload (site-check file, commitment letter) records of a checked file."""
    return {
        "original_name": checked.original_name,
        "content_type": checked.content_type,
        "size": checked.size,
        "sha256": checked.sha256,
    }
