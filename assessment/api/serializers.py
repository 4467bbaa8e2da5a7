"""Serializers: shapes of the API's bodies. No rules here; the services own them."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessment.models import (
    Answer,
    AssessmentCycle,
    Certification,
    Evidence,
    Organisation,
    Platform,
    Region,
    ReportBatch,
    ReportBatchStatus,
    ReviewDecision,
    Role,
    Submission,
    SubmissionEvent,
    User,
)
from assessment.models.submissions import ReviewDecisionKind
from assessment.permissions import visible_platforms
from questionnaires.models import RubricVersion

# --- Who am I -------------------------------------------------------------------------------------


class MeSerializer(serializers.ModelSerializer):
    regions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "role",
            "organisation",
            "regions",
            "is_national",
            "is_lead_reviewer",
        ]
        read_only_fields = fields


# --- Reference data -------------------------------------------------------------------------------


class RubricVersionSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text=_("code@version, e.g. iip-2026@1.0"))
    title = serializers.CharField(read_only=True, help_text=_("In the caller's language."))

    class Meta:
        model = RubricVersion
        fields = [
            "label",
            "code",
            "version",
            "title",
            "title_zh_hans",
            "title_en",
            "fingerprint",
            "loaded_at",
        ]
        read_only_fields = fields


@extend_schema_field(
    {
        "type": "object",
        "description": "The whole rubric tree (questionnaires/rubrics/FORMAT.md): preconditions, "
        "dimensions with weights, indicators with criteria, anchors and options, both languages.",
        "additionalProperties": True,
    }
)
class RubricDefinitionField(serializers.JSONField):
    pass


class RubricVersionDetailSerializer(RubricVersionSerializer):
    definition = RubricDefinitionField(read_only=True)

    class Meta(RubricVersionSerializer.Meta):
        fields = [*RubricVersionSerializer.Meta.fields, "definition"]
        read_only_fields = fields


class RegionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    parent = serializers.CharField(source="parent_id", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["code", "name", "name_zh_hans", "name_en", "level", "parent"]
        read_only_fields = fields


class CycleSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    rubric_version = serializers.CharField(source="rubric_version.label", read_only=True)
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentCycle
        fields = [
            "code",
            "title",
            "title_zh_hans",
            "title_en",
            "opens_on",
            "closes_on",
            "rubric_version",
            "is_open",
        ]
        read_only_fields = fields

    def get_is_open(self, cycle) -> bool:
        return cycle.is_open()


# --- Organisations and platforms ------------------------------------------------------------------


class OrganisationSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "credit_code", "name", "region", "region_name", "created_at"]
        read_only_fields = fields


class PlatformSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    industries = serializers.SerializerMethodField(
        help_text=_("GB/T 4754 sections of the main industries served.")
    )

    class Meta:
        model = Platform
        fields = [
            "id",
            "name",
            "name_en",
            "kind",
            "organisation",
            "organisation_name",
            "region",
            "region_name",
            "industries",
            "website",
            "launched_year",
            "created_at",
        ]
        read_only_fields = fields

    def get_industries(self, platform) -> list[str]:
        # Read from the prefetch cache (the list view prefetches them): no query per row.
        return [industry.pk for industry in platform.industries.all()]


# --- Submissions ----------------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


class SubmissionSerializer(serializers.ModelSerializer):
    platform_name = serializers.CharField(source="platform.name", read_only=True)
    organisation = serializers.IntegerField(source="platform.organisation_id", read_only=True)
    region = serializers.CharField(source="platform.region_id", read_only=True)
    cycle = serializers.CharField(source="cycle.code", read_only=True)
    rubric_version = serializers.CharField(source="rubric_version.label", read_only=True)
    assigned_reviewer = serializers.SerializerMethodField()
    claimed_result = serializers.CharField(
        read_only=True,
        help_text=_(
            "The result the answers reached when submitted (not_rated or a tier); empty before."
        ),
    )
    result = serializers.SerializerMethodField(
        help_text=_("The provisional result (the tier the answers reach now), or null if unscored.")
    )
    progress_index = serializers.SerializerMethodField(
        help_text=_(
            "Tiers achieved plus T(next tier), 0…4, rounded down to two decimals; T is "
            "compared with the bar of 0.80."
        )
    )

    class Meta:
        model = Submission
        fields = [
            "id",
            "platform",
            "platform_name",
            "organisation",
            "region",
            "cycle",
            "rubric_version",
            "platform_kind",
            "state",
            "assigned_reviewer",
            "claimed_result",
            "review_round",
            "result",
            "progress_index",
            "created_at",
            "updated_at",
            "submitted_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_assigned_reviewer(self, submission):
        # Operators are not told who reviews them (as on the web).
        request = self.context.get("request")
        if submission.assigned_reviewer is None or (
            request is not None and request.user.role == Role.OPERATOR
        ):
            return None
        return PersonSerializer(submission.assigned_reviewer).data

    def _summary(self, submission):
        return getattr(submission, "score_summary", None)

    @extend_schema_field(
        serializers.ChoiceField(
            choices=["not_rated", "basic", "growth", "leading", "ecosystem"], allow_null=True
        )
    )
    def get_result(self, submission):
        summary = self._summary(submission)
        return summary.result if summary else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_progress_index(self, submission) -> str | None:
        summary = self._summary(submission)
        return str(summary.progress_index) if summary else None


class SubmissionCreateSerializer(serializers.Serializer):
    """The platform must be in the caller's scope; the cycle is named by its code."""

    platform = serializers.PrimaryKeyRelatedField(queryset=Platform.objects.none())
    cycle = serializers.SlugRelatedField(
        slug_field="code", queryset=AssessmentCycle.objects.select_related("rubric_version")
    )
    copy_from_previous = serializers.BooleanField(
        default=False,
        help_text=_(
            "Pre-fill the draft with the previous cycle's answers and evidence, each to be "
            "re-confirmed."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["platform"].queryset = visible_platforms(request.user)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", trim_whitespace=True
    )


class AnswerSerializer(serializers.ModelSerializer):
    value = serializers.JSONField(allow_null=True)

    class Meta:
        model = Answer
        fields = [
            "question_code",
            "value",
            "version",
            "reopened",
            "needs_reconfirmation",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_field(
    {
        "description": "boolean true/false; ordinal anchor index 0…3; numeric a number ≥ 0; "
        "percentage 0…100; choice an option code or a list of codes; null clears the answer.",
        "nullable": True,
        "oneOf": [
            {"type": "boolean"},
            {"type": "number"},
            {"type": "string", "maxLength": 100},
            {"type": "array", "items": {"type": "string", "maxLength": 100}, "maxItems": 50},
        ],
    }
)
class AnswerValueField(serializers.JSONField):
    pass


class AnswerWriteSerializer(serializers.Serializer):
    question_code = serializers.CharField(max_length=20)
    value = AnswerValueField(allow_null=True)
    version = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        help_text=_(
            "The version the change is based on (from the last read); 0 for a question not "
            "answered yet. A stale version is refused with 409 version_conflict."
        ),
    )


class AnswerBulkSerializer(serializers.Serializer):
    answers = AnswerWriteSerializer(many=True, max_length=500, min_length=1)

    def validate_answers(self, answers):
        codes = [answer["question_code"] for answer in answers]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            raise serializers.ValidationError(
                _("Each question may appear once; repeated: %(codes)s.")
                % {"codes": ", ".join(duplicates)},
                code="duplicate_question",
            )
        return answers


class AnswerBulkResultSerializer(serializers.Serializer):
    answers = AnswerSerializer(many=True)
    changed = serializers.ListField(
        child=serializers.CharField(), help_text=_("Question codes whose value changed.")
    )


class EvidenceSerializer(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField()
    url = serializers.CharField(read_only=True, help_text=_("The link, for a link; else empty."))
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "question_code",
            "kind",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "url",
            "description",
            "replaces",
            "is_current",
            "needs_reconfirmation",
            "uploaded_at",
            "removed_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_kind(self, evidence) -> str:
        return "link" if evidence.is_link else "file"

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, evidence) -> str | None:
        if evidence.is_link:
            return None
        from django.urls import reverse

        path = reverse(
            "api-evidence-download",
            kwargs={"pk": evidence.submission_id, "evidence_id": evidence.pk},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class EventSerializer(serializers.ModelSerializer):
    actor = PersonSerializer(allow_null=True, read_only=True)

    class Meta:
        model = SubmissionEvent
        fields = [
            "id",
            "submission",
            "kind",
            "actor",
            "from_state",
            "to_state",
            "question_code",
            "note",
            "detail",
            "created_at",
        ]
        read_only_fields = fields


# --- Scores ---------------------------------------------------------------------------------------


@extend_schema_field(
    {
        "type": "object",
        "description": "The engine's full derivation: result, progress_index, per tier its score "
        "T(k), achieved and failed rules, per dimension its means, per criterion s, v, e and "
        "the reason, and the next-tier plan with each step's exact gain.",
        "additionalProperties": True,
    }
)
class BreakdownField(serializers.JSONField):
    pass


class ProvisionalScoreSerializer(serializers.Serializer):
    result = serializers.CharField()
    progress_index = serializers.CharField()
    computed_at = serializers.DateTimeField(allow_null=True)
    breakdown = BreakdownField()


class CertifiedScoreSerializer(serializers.ModelSerializer):
    snapshot = BreakdownField()

    class Meta:
        model = Certification
        fields = [
            "tier",
            "status",
            "rubric_label",
            "proposed_at",
            "signed_off_at",
            "certified_at",
            "valid_until",
            "revoked_at",
            "revoke_reason",
            "snapshot",
        ]
        read_only_fields = fields


class ScoreSerializer(serializers.Serializer):
    submission = serializers.IntegerField()
    provisional = ProvisionalScoreSerializer()
    certification = CertifiedScoreSerializer(allow_null=True)


class CompletenessProblemSerializer(serializers.Serializer):
    question_code = serializers.CharField()
    section = serializers.CharField()
    kind = serializers.ChoiceField(
        choices=["unanswered", "evidence_missing", "answer_unconfirmed", "evidence_unconfirmed"]
    )
    title = serializers.CharField()
    message = serializers.CharField()


class CompletenessSerializer(serializers.Serializer):
    complete = serializers.BooleanField()
    problems = CompletenessProblemSerializer(many=True)


class EvidenceFileSerializer(serializers.Serializer):
    question_code = serializers.CharField(max_length=20)
    file = serializers.FileField(
        allow_empty_file=True,
        use_url=False,
        help_text=_("PDF, images, Office documents or CSV; the type is read from the content."),
    )
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)


class EvidenceLinkSerializer(serializers.Serializer):
    question_code = serializers.CharField(max_length=20)
    url = serializers.CharField(max_length=500, help_text=_("An http(s) address."))
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)


class EvidenceReplaceSerializer(serializers.Serializer):
    """A file (multipart) or a link: exactly one of the two."""

    file = serializers.FileField(allow_empty_file=True, use_url=False, required=False)
    url = serializers.CharField(max_length=500, required=False, allow_blank=True)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)

    def validate(self, attrs):
        if bool(attrs.get("file")) == bool(attrs.get("url")):
            raise serializers.ValidationError(
                _("Send either a file or a link."), code="file_or_link"
            )
        return attrs


# --- Review desk ----------------------------------------------------------------------------------


class AssignSerializer(serializers.Serializer):
    reviewer = serializers.IntegerField(
        min_value=1,
        max_value=2**62,
        required=False,
        allow_null=True,
        help_text=_("The reviewer's user id; leave out (or null) to assign yourself."),
    )


class DecisionSerializer(serializers.ModelSerializer):
    corrected_value = serializers.JSONField(allow_null=True, read_only=True)

    class Meta:
        model = ReviewDecision
        fields = [
            "id",
            "question_code",
            "decision",
            "reason",
            "corrected_value",
            "review_round",
            "is_current",
            "reviewer",
            "created_at",
        ]
        read_only_fields = fields


class DecisionWriteSerializer(serializers.Serializer):
    question_code = serializers.CharField(max_length=20)
    decision = serializers.ChoiceField(choices=ReviewDecisionKind.choices)
    reason = serializers.CharField(
        max_length=10000,
        required=False,
        allow_blank=True,
        help_text=_("Required when rejecting."),
    )
    corrected_value = AnswerValueField(
        required=False,
        allow_null=True,
        help_text=_("With decision “corrected”: the value the evidence supports."),
    )


class RevisionSerializer(serializers.Serializer):
    question_codes = serializers.ListField(
        child=serializers.CharField(max_length=20), max_length=500, allow_empty=True
    )
    message = serializers.CharField(max_length=10000, allow_blank=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=10000, allow_blank=True)


class ConflictSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=10000, allow_blank=True, write_only=True)
    organisation = serializers.IntegerField(read_only=True)
    declared_at = serializers.DateTimeField(read_only=True)


class CertificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certification
        fields = [
            "id",
            "submission",
            "tier",
            "status",
            "rubric_label",
            "proposed_by",
            "proposed_at",
            "signed_off_by",
            "signed_off_at",
            "certified_at",
            "valid_until",
            "revoked_at",
            "revoke_reason",
        ]
        read_only_fields = fields


# --- Dashboards -----------------------------------------------------------------------------------


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": True,
        "description": "Everything the dashboard page shows, as on the web (docs/dashboards.md): "
        "region, filters, totals and metrics, targets with gaps, children, tiers, kinds, "
        "heatmap, pipeline, trend.",
    }
)
class DashboardDataField(serializers.JSONField):
    pass


class DashboardSerializer(serializers.Serializer):
    summary = DashboardDataField(help_text=_("The Action Plan's metrics and targets."))
    data = DashboardDataField()


class DashboardPlatformSerializer(serializers.Serializer):
    submission = serializers.IntegerField(source="id")
    state = serializers.CharField()
    platform_kind = serializers.CharField()
    platform = serializers.IntegerField(source="platform_id")
    platform_name = serializers.CharField()
    organisation_name = serializers.CharField()
    region_code = serializers.CharField()
    region_name = serializers.CharField()
    industries = serializers.ListField(child=serializers.CharField())
    certified_tier = serializers.CharField()
    result = serializers.CharField(allow_null=True)
    progress_index = serializers.DecimalField(
        max_digits=3, decimal_places=2, allow_null=True, coerce_to_string=True
    )
    connected_devices = serializers.IntegerField(allow_null=True)
    enterprises_served = serializers.IntegerField(allow_null=True)


# --- Reports --------------------------------------------------------------------------------------


class ReportBatchSerializer(serializers.ModelSerializer):
    cycle = serializers.CharField(source="cycle.code", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportBatch
        fields = [
            "id",
            "cycle",
            "region",
            "language",
            "status",
            "total",
            "done",
            "percent",
            "zip_size",
            "error",
            "requested_at",
            "started_at",
            "finished_at",
            "expires_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, batch):
        if batch.status != ReportBatchStatus.DONE:
            return None
        from django.urls import reverse

        path = reverse("api-report-batch-download", kwargs={"batch_id": batch.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ReportBatchRequestSerializer(serializers.Serializer):
    cycle = serializers.SlugRelatedField(slug_field="code", queryset=AssessmentCycle.objects.all())
    region = serializers.RegexField(r"^[0-9]{6}$", max_length=6)
    lang = serializers.ChoiceField(choices=["zh-hans", "en"])


# --- Public register and verification -------------------------------------------------------------


class RegisterEntrySerializer(serializers.Serializer):
    certification = serializers.IntegerField(source="id")
    platform = serializers.CharField(source="submission.platform.name")
    organisation = serializers.CharField(source="submission.platform.organisation.name")
    platform_kind = serializers.CharField(source="submission.platform_kind")
    region = serializers.CharField(source="submission.platform.region.code")
    region_name = serializers.CharField(source="submission.platform.region.name")
    province = serializers.SerializerMethodField()
    tier = serializers.CharField()
    cycle = serializers.CharField(source="submission.cycle.code")
    certified_at = serializers.DateTimeField()
    valid_until = serializers.DateField()

    def get_province(self, certification) -> str:
        region = certification.submission.platform.region
        return region.parent.code if region.parent_id else region.code


class RegisterPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = RegisterEntrySerializer(many=True)


class VerificationSerializer(serializers.Serializer):
    number = serializers.CharField(source="report.number")
    issued_at = serializers.DateTimeField(source="report.issued_at")
    language = serializers.CharField(source="report.language")
    platform = serializers.CharField()
    organisation = serializers.CharField()
    cycle = serializers.CharField(source="cycle.code")
    certified_at_issue = serializers.BooleanField()
    status = serializers.CharField(allow_null=True)
    revoked = serializers.BooleanField()
    tier = serializers.CharField(allow_null=True)
    tier_label = serializers.CharField()
    valid_until = serializers.DateField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    issued_sha256 = serializers.CharField()
    current_sha256 = serializers.CharField()
    facts_match = serializers.BooleanField(
        help_text=_("The facts recomputed from the records now equal the issued ones.")
    )
    given_sha256 = serializers.CharField()
    hash_match = serializers.BooleanField(allow_null=True)
    matched = serializers.CharField(help_text=_("“data”, “pdf” or empty."))
