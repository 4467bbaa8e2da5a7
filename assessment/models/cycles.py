from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class AssessmentCycle(models.Model):
    """An assessment round (usually annual) bound to one rubric version."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    title_zh_hans = models.CharField(_("title (Chinese)"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=120)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    rubric_version = models.ForeignKey(
        "questionnaires.RubricVersion",
        verbose_name=_("rubric version"),
        on_delete=models.PROTECT,
        related_name="cycles",
    )

    class Meta:
        verbose_name = _("assessment cycle")
        verbose_name_plural = _("assessment cycles")
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="cycle_closes_after_it_opens",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if get_language() == "en" else self.title_zh_hans

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on
