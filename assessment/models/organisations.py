from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.validators import validate_credit_code
from questionnaires.choices import PlatformKind


class Organisation(models.Model):
    """A company that operates one or more industrial internet platforms."""

    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={
            "unique": _("An organisation with this credit code is already registered.")
        },
    )
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        "assessment.Region", verbose_name=_("region"), on_delete=models.PROTECT
    )
    # 央企: under central management; applies directly to the ministry, skipping the province.
    # Set by an administrator.
    is_central = models.BooleanField(_("central enterprise"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Platform(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="platforms",
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(
        _("English name"),
        max_length=200,
        blank=True,
        help_text=_("Printed on English reports and certificates; leave blank to print the name."),
    )
    kind = models.CharField(_("platform kind"), max_length=14, choices=PlatformKind.choices)
    industries = models.ManyToManyField(
        "assessment.Industry", verbose_name=_("main industries served"), related_name="platforms"
    )
    region = models.ForeignKey(
        "assessment.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="platforms",
    )
    website = models.URLField(_("website"), blank=True)
    launched_year = models.PositiveSmallIntegerField(_("year launched"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="platform_name_unique_per_organisation"
            )
        ]

    def __str__(self):
        return self.name

    def display_name(self, language: str) -> str:
        """The name a document in the language prints: the English name on English documents
        when one is entered, the registered name otherwise (Chinese documents always)."""
        if language == "en" and self.name_en:
            return self.name_en
        return self.name
