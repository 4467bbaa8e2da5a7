"""The programme around an assessment (docs/programme.md): the call for applications with its
routes and quotas, the basic tier's spot-check draw, the provincial recommendation, the
ministry's formal check, the public notice with its objections, and the publication."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from questionnaires.choices import Result, Tier


class Route(models.TextChoices):
    SPOT_CHECK = "spot_check", _("Self-assessment, provincial spot check")
    PROVINCIAL = "provincial", _("Provincial review, panel and notice")
    MINISTRY = "ministry", _("Provincial recommendation, ministry check, panel, site check, notice")


DEFAULT_ROUTES = {
    Tier.BASIC: Route.SPOT_CHECK,
    Tier.GROWTH: Route.PROVINCIAL,
    Tier.LEADING: Route.MINISTRY,
    Tier.ECOSYSTEM: Route.MINISTRY,
}
#: Tiers a province recommends to the ministry within a quota.
QUOTA_TIERS = (Tier.LEADING, Tier.ECOSYSTEM)


def default_routes() -> dict:
    return {str(tier): str(route) for tier, route in DEFAULT_ROUTES.items()}


def default_tiers() -> list:
    return list(Tier.values)


class CallForApplications(models.Model):
    """申报通知: one cycle's call, by the ministry (region empty) or by a province (basic and
    growth only). Its routes say which steps each tier goes through."""

    cycle = models.ForeignKey(
        "assessment.AssessmentCycle",
        verbose_name=_("cycle"),
        on_delete=models.PROTECT,
        related_name="calls",
    )
    region = models.ForeignKey(
        "assessment.Region",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the ministry's call."),
    )
    title_zh_hans = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    tiers = models.JSONField(_("tiers open"), default=default_tiers)
    routes = models.JSONField(_("route per tier"), default=default_routes)
    attachments_zh_hans = models.TextField(
        _("required attachments (Chinese)"), blank=True, help_text=_("One per line.")
    )
    attachments_en = models.TextField(
        _("required attachments (English)"), blank=True, help_text=_("One per line.")
    )
    quota_leading = models.PositiveSmallIntegerField(_("leading per province"), default=3)
    quota_ecosystem = models.PositiveSmallIntegerField(_("ecosystem per province"), default=1)
    spot_check_percent = models.PositiveSmallIntegerField(_("spot-check share (%)"), default=20)
    notice_working_days = models.PositiveSmallIntegerField(
        _("notice period (working days)"), default=5
    )
    decision_number_pattern = models.CharField(
        _("decision number pattern"),
        max_length=60,
        default="工信部信发〔{year}〕{number}号",
        help_text=_("{year} and {number} are replaced."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        ordering = ["-opens_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle"], condition=models.Q(region__isnull=True), name="one_ministry_call"
            ),
            models.UniqueConstraint(fields=["cycle", "region"], name="one_call_per_province"),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="call_closes_after_it_opens",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if get_language() == "en" else self.title_zh_hans

    @property
    def attachments(self) -> list[str]:
        text = self.attachments_en if get_language() == "en" else self.attachments_zh_hans
        return [line.strip() for line in text.splitlines() if line.strip()]

    def route_for(self, tier: str) -> str:
        return self.routes.get(tier) or DEFAULT_ROUTES.get(tier, "")


class ProvinceQuota(models.Model):
    """A province's own recommendation quota for one tier, overriding the call's default."""

    call = models.ForeignKey(CallForApplications, on_delete=models.CASCADE, related_name="quotas")
    region = models.ForeignKey(
        "assessment.Region", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    quota = models.PositiveSmallIntegerField(_("quota"))

    class Meta:
        verbose_name = _("province quota")
        verbose_name_plural = _("province quotas")
        constraints = [
            models.UniqueConstraint(fields=["call", "region", "tier"], name="one_quota_per_tier")
        ]

    def __str__(self):
        return f"{self.region_id} {self.tier} ≤ {self.quota}"


class SpotCheckDraw(models.Model):
    """The basic tier's reproducible random sample for one province and call."""

    call = models.ForeignKey(CallForApplications, on_delete=models.PROTECT, related_name="draws")
    # Empty for the ministry's draw among central enterprises.
    region = models.ForeignKey(
        "assessment.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    seed = models.CharField(_("seed"), max_length=80)
    percent = models.PositiveSmallIntegerField(_("share (%)"))
    population = models.JSONField(_("population"))  # submission ids, ascending
    sample = models.JSONField(_("sample"))  # submission ids drawn, ascending
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)

    class Meta:
        verbose_name = _("spot-check draw")
        verbose_name_plural = _("spot-check draws")
        constraints = [
            models.UniqueConstraint(fields=["call", "region"], name="one_draw_per_province")
        ]

    def __str__(self):
        return f"{self.region_id}: {len(self.sample)}/{len(self.population)}"


class Recommendation(models.Model):
    """推荐: a province's ranked list for one tier of a call, signed by a provincial lead."""

    call = models.ForeignKey(
        CallForApplications, on_delete=models.PROTECT, related_name="recommendations"
    )
    region = models.ForeignKey(
        "assessment.Region", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-signed_at"]

    def __str__(self):
        return f"{self.region_id} {self.tier} {self.signed_at:%Y-%m-%d}"


class RecommendationEntry(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="entries"
    )
    submission = models.ForeignKey(
        "assessment.Submission", on_delete=models.PROTECT, related_name="recommendation_entries"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    opinion = models.TextField(_("recommendation opinion"))
    # Set when the ministry's formal check returns the submission to the province.
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recommended platform")
        verbose_name_plural = _("recommended platforms")
        ordering = ["recommendation", "rank"]

    def __str__(self):
        return f"{self.rank}. {self.submission_id}"


class FormalCheck(models.Model):
    """形式审查: the ministry's completeness and eligibility check of a recommended submission."""

    submission = models.ForeignKey(
        "assessment.Submission", on_delete=models.PROTECT, related_name="formal_checks"
    )
    complete = models.BooleanField(_("application complete"))
    eligible = models.BooleanField(_("applicant eligible"))
    passed = models.BooleanField(_("passed"))
    reason = models.TextField(_("reason"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("formal check")
        verbose_name_plural = _("formal checks")
        ordering = ["checked_at"]

    def __str__(self):
        return f"{self.submission_id}: {'pass' if self.passed else 'returned'}"


class PublicNotice(models.Model):
    """公示: the proposed list, public for a period of working days; the ministry's (region
    empty) or a province's."""

    call = models.ForeignKey(CallForApplications, on_delete=models.PROTECT, related_name="notices")
    region = models.ForeignKey(
        "assessment.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-published_at"]

    def __str__(self):
        return f"{self.call} {self.starts_on}–{self.ends_on}"


class NoticeEntry(models.Model):
    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="entries")
    submission = models.ForeignKey(
        "assessment.Submission", on_delete=models.PROTECT, related_name="notice_entries"
    )
    proposed_tier = models.CharField(_("proposed tier"), max_length=10, choices=Result.choices)
    # Set when an upheld objection takes the platform off the list (back to review).
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("listed platform")
        verbose_name_plural = _("listed platforms")
        ordering = ["notice", "id"]

    def __str__(self):
        return f"{self.submission_id} → {self.proposed_tier}"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(models.Model):
    """异议: anyone's objection to a listed platform, with contact details; answered officially."""

    entry = models.ForeignKey(NoticeEntry, on_delete=models.PROTECT, related_name="objections")
    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40)
    email = models.EmailField(_("email address"), blank=True)
    text = models.TextField(_("objection"))
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["filed_at"]

    def __str__(self):
        return f"{self.entry_id}: {self.status}"


def objection_upload_path(attachment, filename):
    return f"objections/{attachment.objection_id}/{attachment.sha256[:2]}/{attachment.sha256}"


class ObjectionAttachment(models.Model):
    objection = models.ForeignKey(Objection, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=objection_upload_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("objection attachment")
        verbose_name_plural = _("objection attachments")

    def __str__(self):
        return self.original_name


class Publication(models.Model):
    """公布: the final list of a notice, under a decision number (文号)."""

    notice = models.OneToOneField(
        PublicNotice, on_delete=models.PROTECT, related_name="publication"
    )
    decision_number = models.CharField(_("decision number"), max_length=80, unique=True)
    sequence = models.PositiveIntegerField(_("sequence"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at"]

    def __str__(self):
        return self.decision_number
