from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assessment.metrics import Comparison, MetricCode


class Target(models.Model):
    """A target of the Action Plan (e.g. more than 450 influential platforms by 2028), editable
    by administrators. Its metric is defined in assessment.metrics; scope blank = national."""

    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=160)
    metric = models.CharField(_("metric"), max_length=30, choices=MetricCode.choices)
    comparison = models.CharField(
        _("comparison"), max_length=3, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    target_value = models.DecimalField(
        _("target value"),
        max_digits=14,
        decimal_places=2,
        help_text=_("For percentages, the number of per cent (55 means 55 %)."),
    )
    deadline = models.DateField(_("deadline"))
    region = models.ForeignKey(
        "assessment.Region",
        verbose_name=_("scope"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        help_text=_("Leave blank for a national target."),
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["region_id", "metric", "deadline"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_zh_hans
