"""Expert pool and panels (专家库, 专家评审): who sits on a panel, how they were drawn, what each
expert decided, what the panel concluded (docs/programme_panels.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from questionnaires.choices import Result


class ExpertProfile(models.Model):
    """An expert's entry in the pool: fields of expertise and home province.

    The expert's employer is `User.organisation` (optional): a panel never draws an expert
    from the applicant's organisation. Declared conflicts are `ConflictDeclaration` rows.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.CASCADE,
        related_name="expert_profile",
    )
    home_province = models.ForeignKey(
        "assessment.Region",
        verbose_name=_("home province"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("professional title"), max_length=100, blank=True)
    # Dimension codes (D1…D8) and platform kinds the expert is qualified to judge.
    dimensions = models.JSONField(_("dimensions of expertise"), default=list, blank=True)
    platform_kinds = models.JSONField(_("platform kinds of expertise"), default=list, blank=True)
    industries = models.ManyToManyField(
        "assessment.Industry",
        verbose_name=_("industries of expertise"),
        blank=True,
        related_name="+",
    )
    in_pool = models.BooleanField(_("in the pool"), default=True)

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")

    def __str__(self):
        return str(self.user)


class PanelLevel(models.TextChoices):
    PROVINCIAL = "provincial", _("Provincial panel")
    NATIONAL = "national", _("Ministry panel")


class PanelState(models.TextChoices):
    SCORING = "scoring", _("Scoring")
    CONCLUDED = "concluded", _("Concluded")


class Panel(models.Model):
    """A panel of an odd number of experts, drawn for a set of submissions in expert review."""

    level = models.CharField(_("level"), max_length=10, choices=PanelLevel.choices)
    # The province of a provincial panel; blank for a ministry panel.
    province = models.ForeignKey(
        "assessment.Region",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    size = models.PositiveSmallIntegerField(_("number of experts"))
    # The draw: random.Random(seed).sample(eligible experts ordered by id, size) — see
    # assessment.services.panels.draw_experts. `draw` records the pool, exclusions and order.
    seed = models.BigIntegerField(_("draw seed"))
    draw = models.JSONField(_("draw record"), default=dict)
    state = models.CharField(
        _("state"), max_length=10, choices=PanelState.choices, default=PanelState.SCORING
    )
    formed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("formed by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    formed_at = models.DateTimeField(_("formed at"))
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("panel lead"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    opinion = models.TextField(_("panel opinion"), blank=True)
    opinion_at = models.DateTimeField(_("opinion written at"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("concluded by"), on_delete=models.PROTECT,
        null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("expert panel")
        verbose_name_plural = _("expert panels")
        ordering = ["-formed_at", "-id"]

    def __str__(self):
        return f"{self.get_level_display()} #{self.pk}"


class PanelMember(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_seats"
    )
    draw_order = models.PositiveSmallIntegerField(_("drawn as"))

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        ordering = ["draw_order"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "expert"], name="one_seat_per_expert"),
        ]

    def __str__(self):
        return f"{self.panel} · {self.expert}"


class PanelSubmission(models.Model):
    """A submission judged by a panel, with the panel's result once concluded."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="entries")
    submission = models.ForeignKey(
        "assessment.Submission", on_delete=models.PROTECT, related_name="panel_entries"
    )
    # The tier whose indicators the experts decide (tier applied for, else the claimed tier).
    tier = models.CharField(_("tier judged"), max_length=10)
    result = models.CharField(_("panel result"), max_length=10, choices=Result.choices, blank=True)
    # The per-indicator majority and the engine's output on it (ScoreResult.to_dict()).
    majority = models.JSONField(_("majority decisions"), null=True, blank=True)
    breakdown = models.JSONField(_("panel score"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission on a panel")
        verbose_name_plural = _("submissions on panels")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "submission"], name="one_entry_per_panel"),
        ]

    def __str__(self):
        return f"{self.panel} · {self.submission}"


class ExpertDecision(models.TextChoices):
    AGREE = "agree", _("Agree with the reviewer")
    REJECTED = "rejected", _("Reject")
    CORRECTED = "corrected", _("Corrected value")


class ExpertScore(models.Model):
    """One expert's scoring of one submission: a decision per indicator of the judged tier,
    a recommended tier and a comment. Hidden from everyone else until all have submitted."""

    entry = models.ForeignKey(PanelSubmission, on_delete=models.CASCADE, related_name="scores")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # {indicator code: {"decision": agree|rejected|corrected, "value": …, "reason": "…"}}
    decisions = models.JSONField(_("decisions"), default=dict)
    recommended_tier = models.CharField(
        _("recommended tier"), max_length=10, choices=Result.choices, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    # The engine on this expert's decisions, stored when submitted (the submission's inputs
    # cannot change while it is before the panel).
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    progress_index = models.CharField(_("progress index"), max_length=6, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("expert score")
        verbose_name_plural = _("expert scores")
        constraints = [
            models.UniqueConstraint(fields=["entry", "expert"], name="one_score_per_expert"),
        ]

    def __str__(self):
        return f"{self.entry} · {self.expert}"


class DefenceSession(models.Model):
    """A defence (答辩) held before the panel: when, who attended, what was said."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="defences")
    submission = models.ForeignKey(
        "assessment.Submission", on_delete=models.PROTECT, related_name="defences"
    )
    held_on = models.DateField(_("held on"))
    attendees = models.TextField(_("attendees"))
    notes = models.TextField(_("notes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("defence session")
        verbose_name_plural = _("defence sessions")
        ordering = ["held_on", "id"]

    def __str__(self):
        return f"{self.panel} · {self.held_on}"
