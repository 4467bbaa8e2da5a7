from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from questionnaires.choices import PlatformKind, Result, Tier


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    REVISION_REQUESTED = "revision_requested", _("Revision requested")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    # The programme's stages after provincial review (docs/programme.md): which of them a
    # submission passes through depends on the route of the tier applied for.
    RECOMMENDED = "recommended", _("Recommended by the province")
    EXPERT_REVIEW = "expert_review", _("Expert panel")
    SITE_CHECK = "site_check", _("On-site check")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    NOT_CERTIFIED = "not_certified", _("Not certified")
    CERTIFIED = "certified", _("Certified")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Submission(models.Model):
    """One platform's questionnaire in one cycle, scored under the cycle's rubric version."""

    platform = models.ForeignKey(
        "assessment.Platform",
        verbose_name=_("platform"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    cycle = models.ForeignKey(
        "assessment.AssessmentCycle",
        verbose_name=_("cycle"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    rubric_version = models.ForeignKey(
        "questionnaires.RubricVersion",
        verbose_name=_("rubric version"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    # The kind the platform is assessed as, frozen when the draft starts.
    platform_kind = models.CharField(
        _("platform kind"), max_length=14, choices=PlatformKind.choices
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=SubmissionState.choices,
        default=SubmissionState.DRAFT,
        db_index=True,
    )
    assigned_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_submissions",
    )
    # The tier the operator applies for (申报等级); blank until chosen. It picks the route.
    tier_applied = models.CharField(
        _("tier applied for"), max_length=10, choices=Tier.choices, blank=True
    )
    # The tier the latest finished stage proposes (provincial review, expert panel, on-site
    # check); the public notice lists it and publication certifies it.
    proposed_tier = models.CharField(
        _("proposed tier"), max_length=10, choices=Result.choices, blank=True
    )
    # The tier the answers reached when the operator submitted (what the operator claims).
    claimed_result = models.CharField(
        _("claimed result"), max_length=10, choices=Result.choices, blank=True
    )
    review_round = models.PositiveSmallIntegerField(_("review round"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "cycle"], name="one_submission_per_platform_and_cycle"
            )
        ]
        indexes = [models.Index(fields=["cycle", "state"])]

    def __str__(self):
        return f"{self.platform} · {self.cycle}"


class Answer(models.Model):
    """The answer to one question (an indicator code like D1.2, or a precondition code like P1)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question_code = models.CharField(_("question code"), max_length=20)
    value = models.JSONField(_("value"), null=True)
    # Optimistic concurrency: a save must name the version it was based on.
    version = models.PositiveIntegerField(_("version"), default=1)
    # Set when a reviewer's revision request reopens this question.
    reopened = models.BooleanField(_("reopened for revision"), default=False)
    # Copied from the previous cycle and not yet confirmed by the operator.
    needs_reconfirmation = models.BooleanField(_("needs re-confirmation"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "question_code"], name="one_answer_per_question"
            )
        ]

    def __str__(self):
        return f"{self.question_code} = {self.value!r}"


def evidence_upload_path(evidence, filename):
    # The stored name is random; the original name is kept in the row for downloads.
    return f"evidence/{evidence.submission_id}/{evidence.sha256[:2]}/{evidence.sha256}"


class Evidence(models.Model):
    """A file or link attached to an indicator. Replaced items stay, for the audit trail."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="evidence")
    question_code = models.CharField(_("question code"), max_length=20)
    file = models.FileField(_("file"), upload_to=evidence_upload_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    is_current = models.BooleanField(_("current"), default=True)
    needs_reconfirmation = models.BooleanField(_("needs re-confirmation"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["question_code", "uploaded_at"]
        indexes = [models.Index(fields=["submission", "question_code", "is_current"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(url=""), name="evidence_is_file_or_link"
            )
        ]

    def __str__(self):
        return self.original_name or self.url

    @property
    def is_link(self) -> bool:
        return bool(self.url) and not self.file


class ReviewDecisionKind(models.TextChoices):
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    CORRECTED = "corrected", _("Corrected value")


class ReviewDecision(models.Model):
    """A reviewer's decision on one indicator's answer and evidence, in one review round."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="review_decisions"
    )
    question_code = models.CharField(_("question code"), max_length=20)
    decision = models.CharField(_("decision"), max_length=10, choices=ReviewDecisionKind.choices)
    reason = models.TextField(_("reason"), blank=True)
    corrected_value = models.JSONField(_("corrected value"), null=True, blank=True)
    review_round = models.PositiveSmallIntegerField(_("review round"))
    # False once superseded by a later decision or by the operator changing the answer/evidence.
    is_current = models.BooleanField(_("current"), default=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["submission", "is_current"])]

    def __str__(self):
        return f"{self.question_code}: {self.decision}"


class EventKind(models.TextChoices):
    STATE_CHANGED = "state_changed", _("State changed")
    ANSWER_CHANGED = "answer_changed", _("Answer changed")
    EVIDENCE_ADDED = "evidence_added", _("Evidence added")
    EVIDENCE_REPLACED = "evidence_replaced", _("Evidence replaced")
    EVIDENCE_REMOVED = "evidence_removed", _("Evidence removed")
    EVIDENCE_ACCESSED = "evidence_accessed", _("Evidence opened by a reviewer")
    ASSIGNED = "assigned", _("Reviewer assigned")
    DECISION = "decision", _("Review decision")
    REVISION_REQUESTED = "revision_requested", _("Revision requested")
    CERTIFICATION_PROPOSED = "certification_proposed", _("Certification proposed")
    SIGNED_OFF = "signed_off", _("Signed off")
    CERTIFIED = "certified", _("Certified")
    REVOKED = "revoked", _("Certification revoked")
    COPIED = "copied", _("Copied from the previous cycle")
    # Expert panels and on-site checks (branch i14b)
    PANEL = "panel", _("Expert panel")
    SITE_CHECK = "site_check", _("On-site check")
    # The programme's steps (docs/programme.md).
    TIER_APPLIED = "tier_applied", _("Tier applied for")
    SPOT_CHECK = "spot_check", _("Spot-check draw")
    RECOMMENDED = "recommended", _("Recommended by the province")
    FORMAL_CHECK = "formal_check", _("Ministry formal check")
    NOTICE_LISTED = "notice_listed", _("Listed in a public notice")
    OBJECTION_FILED = "objection_filed", _("Objection filed")
    OBJECTION_ANSWERED = "objection_answered", _("Objection answered")
    PUBLISHED = "published", _("Published")


class AppendOnlyQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Chains the events (see SubmissionEvent.hash) before inserting them together."""
        from assessment.models.security import chain_hash

        objs = list(objs)
        ids = {event.submission_id for event in objs}
        last = {}
        for row in (
            SubmissionEvent.objects.filter(submission_id__in=ids)
            .order_by("submission_id", "sequence")
            .values("submission_id", "sequence", "hash")
        ):
            last[row["submission_id"]] = (row["sequence"] or 0, row["hash"])
        for event in objs:
            sequence, previous = last.get(event.submission_id, (0, ""))
            event.sequence, event.previous_hash = sequence + 1, previous
            event.hash = chain_hash(previous, event.chain_payload())
            last[event.submission_id] = (event.sequence, event.hash)
        return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs):
        raise PermissionError("Events are append-only; they cannot be updated.")

    def delete(self):
        raise PermissionError("Events are append-only; they cannot be deleted.")


class SubmissionEvent(models.Model):
    """An append-only audit record: who did what to a submission, when, from what to what."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20, blank=True)
    question_code = models.CharField(_("question code"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Before/after values and other detail, for the audit trail.
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # The hash chain (`manage.py verify_audit`): per submission, numbered from 1, each event
    # carrying the hash of the one before, so a removed or edited event is detected.
    sequence = models.PositiveIntegerField(null=True, editable=False)
    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission event")
        verbose_name_plural = _("submission events")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "sequence"], name="one_event_per_submission_sequence"
            )
        ]

    def __str__(self):
        return f"{timezone.localtime(self.created_at):%Y-%m-%d %H:%M} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Events are append-only; they cannot be updated.")
        from assessment.models.security import chain_hash

        with transaction.atomic():
            # Lock the submission so that two writers never take the same place in its chain.
            Submission.objects.select_for_update().filter(pk=self.submission_id).exists()
            last = (
                SubmissionEvent.objects.filter(submission_id=self.submission_id, sequence__gt=0)
                .order_by("-sequence")
                .values("sequence", "hash")
                .first()
            )
            self.sequence = (last["sequence"] or 0) + 1 if last else 1
            self.previous_hash = last["hash"] if last else ""
            self.hash = chain_hash(self.previous_hash, self.chain_payload())
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Events are append-only; they cannot be deleted.")

    def chain_payload(self) -> dict:
        return {
            "submission": self.submission_id,
            "sequence": self.sequence,
            "created_at": self.created_at.isoformat(),
            "kind": self.kind,
            "actor": self.actor_id,
            "from": self.from_state,
            "to": self.to_state,
            "question": self.question_code,
            "note": self.note,
            "detail": self.detail,
        }


class ScoreSummary(models.Model):
    """A submission's current score, stored whenever it changes so dashboards aggregate in SQL."""

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="score_summary"
    )
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    progress_index = models.DecimalField(_("progress index"), max_digits=3, decimal_places=2)
    score_basic = models.DecimalField(max_digits=5, decimal_places=4)
    score_growth = models.DecimalField(max_digits=5, decimal_places=4)
    score_leading = models.DecimalField(max_digits=5, decimal_places=4)
    score_ecosystem = models.DecimalField(max_digits=5, decimal_places=4)
    # The lowest tier not yet achieved (the one the next-tier plan aims at); blank at the top.
    tier_in_reach = models.CharField(max_length=10, choices=Tier.choices, blank=True)
    # Metric inputs taken from verified answers (see assessment.metrics).
    connected_devices = models.BigIntegerField(null=True, blank=True)
    enterprises_served = models.BigIntegerField(null=True, blank=True)
    # The engine's full output (ScoreResult.to_dict()), for explanations without rescoring.
    breakdown = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score summary")
        verbose_name_plural = _("score summaries")
        indexes = [models.Index(fields=["result"])]

    def __str__(self):
        return f"{self.result} ({self.progress_index})"


class DimensionScore(models.Model):
    """A dimension's mean at the submission's tier in reach (for heatmaps and peer benchmarks)."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="dimension_scores"
    )
    dimension_code = models.CharField(max_length=10)
    mean = models.DecimalField(max_digits=5, decimal_places=4)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "dimension_code"], name="one_score_per_dimension"
            )
        ]

    def __str__(self):
        return f"{self.dimension_code} = {self.mean}"
