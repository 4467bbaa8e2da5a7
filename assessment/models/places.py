from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")


class Region(models.Model):
    """An administrative division by its GB/T 2260 code (shipped in assessment/data/regions.csv)."""

    code = models.CharField(_("GB/T 2260 code"), max_length=6, primary_key=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent region"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="children",
    )  # fmt: skip
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=80)
    # Place on the tile-grid map of provinces.
    tile_row = models.PositiveSmallIntegerField(_("tile map row"), null=True, blank=True)
    tile_col = models.PositiveSmallIntegerField(_("tile map column"), null=True, blank=True)
    # Denominator of the platform-penetration target, entered by administrators.
    industrial_enterprises = models.PositiveIntegerField(
        _("industrial enterprises"),
        null=True,
        blank=True,
        help_text=_("Number of industrial enterprises in the region (penetration denominator)."),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_zh_hans

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"


class Industry(models.Model):
    """A section of the national industry classification GB/T 4754-2017 (A…T)."""

    code = models.CharField(_("GB/T 4754 section"), max_length=1, primary_key=True)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_zh_hans
