"""What filing a submission produces or needs besides the answers: the application form PDF
(申报书) and the signed and sealed commitment letter (承诺书), and a cycle's requirement of it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CycleRequirement(models.Model):
    """Extra requirements of a cycle's filing (a row only where a cycle has some)."""

    cycle = models.OneToOneField(
        "assessment.AssessmentCycle", on_delete=models.CASCADE, related_name="requirement"
    )
    commitment_letter_required = models.BooleanField(
        _("commitment letter required"),
        default=False,
        help_text=_("Submissions must carry a signed and sealed commitment letter (承诺书)."),
    )

    class Meta:
        verbose_name = _("cycle requirement")
        verbose_name_plural = _("cycle requirements")

    def __str__(self):
        return str(self.cycle)


def filing_upload_path(instance, filename):
    return f"filing/{instance.submission_id}/{instance.sha256[:2]}/{instance.sha256}"


class ApplicationForm(models.Model):
    """The application form (申报书) generated when a submission is handed in (the latest)."""

    submission = models.ForeignKey(
        "assessment.Submission", on_delete=models.CASCADE, related_name="application_forms"
    )
    file = models.FileField(_("file"), upload_to=filing_upload_path)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    review_round = models.PositiveSmallIntegerField(_("review round"), default=0)
    generated_at = models.DateTimeField(_("generated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application form")
        verbose_name_plural = _("application forms")
        ordering = ["-generated_at", "-id"]

    def __str__(self):
        return f"{self.submission} · {self.generated_at:%Y-%m-%d}"


class CommitmentLetter(models.Model):
    """The scanned, signed and sealed commitment letter; a new upload replaces the current."""

    submission = models.ForeignKey(
        "assessment.Submission", on_delete=models.CASCADE, related_name="commitment_letters"
    )
    file = models.FileField(_("file"), upload_to=filing_upload_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    is_current = models.BooleanField(_("current"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("commitment letter")
        verbose_name_plural = _("commitment letters")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return self.original_name
