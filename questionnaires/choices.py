"""The rubric's fixed vocabularies as Django choices; codes match questionnaires.rubric."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Tier(models.TextChoices):
    BASIC = "basic", _("Basic")
    GROWTH = "growth", _("Growth")
    LEADING = "leading", _("Leading")
    ECOSYSTEM = "ecosystem", _("Ecosystem")


class Result(models.TextChoices):
    """A score's outcome: a tier, or not rated."""

    NOT_RATED = "not_rated", _("Not rated")
    BASIC = "basic", _("Basic")
    GROWTH = "growth", _("Growth")
    LEADING = "leading", _("Leading")
    ECOSYSTEM = "ecosystem", _("Ecosystem")


class PlatformKind(models.TextChoices):
    # "Industry" also names the GB/T 4754 classification; the context keeps them apart.
    SPECIALIZED = "specialized", pgettext_lazy("platform kind", "Specialized")
    INDUSTRY = "industry", pgettext_lazy("platform kind", "Industry")
    COLLABORATIVE = "collaborative", pgettext_lazy("platform kind", "Collaborative")


class EvidenceStatus(models.TextChoices):
    VERIFIED = "verified", _("Verified")
    UPLOADED = "uploaded", _("Uploaded, not yet reviewed")
    NONE = "none", _("Self-declared")
    REJECTED = "rejected", _("Rejected")
    CORRECTED = "corrected", _("Corrected by reviewer")


TIER_ORDER = [choice.value for choice in Tier]

# Colour-blind-safe tier colours (viridis steps, ordered light to dark), used by every chart,
# badge and PDF. static/css/app.css repeats them as --tier-* variables; a test keeps them equal.
TIER_COLOURS = {
    "not_rated": "#9e9e9e",
    "basic": "#7ad151",
    "growth": "#22a884",
    "leading": "#2a788e",
    "ecosystem": "#414487",
}
