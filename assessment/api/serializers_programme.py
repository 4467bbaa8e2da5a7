"""Serializers of the programme's endpoints (docs/programme.md): what they read and accept."""

from rest_framework import serializers

from assessment.models import (
    CallForApplications,
    FormalCheck,
    NoticeEntry,
    Objection,
    Publication,
    PublicNotice,
    Recommendation,
    RecommendationEntry,
    SpotCheckDraw,
)
from questionnaires.choices import Tier


class CallSerializer(serializers.ModelSerializer):
    cycle = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True, allow_null=True)
    attachments = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = CallForApplications
        fields = [
            "id",
            "cycle",
            "region",
            "title",
            "opens_at",
            "closes_at",
            "tiers",
            "routes",
            "attachments",
            "quota_leading",
            "quota_ecosystem",
            "spot_check_percent",
            "notice_working_days",
            "decision_number_pattern",
        ]
        read_only_fields = fields


class QuotaSerializer(serializers.Serializer):
    province = serializers.CharField()
    tier = serializers.CharField()
    quota = serializers.IntegerField()
    recommended = serializers.IntegerField()
    left = serializers.IntegerField()


class StageSerializer(serializers.Serializer):
    state = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    median_days = serializers.FloatField(allow_null=True)
    longest_days = serializers.FloatField(allow_null=True)


class ProvinceSerializer(serializers.Serializer):
    province = serializers.RegexField(
        r"^[0-9]{6}$", required=False, allow_blank=True, allow_null=True
    )


class SpotCheckDrawSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True, allow_null=True)

    class Meta:
        model = SpotCheckDraw
        fields = ["id", "region", "seed", "percent", "population", "sample", "drawn_at"]
        read_only_fields = fields


class RecommendationEntryWriteSerializer(serializers.Serializer):
    submission = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    opinion = serializers.CharField(max_length=10000, allow_blank=True)


class RecommendationWriteSerializer(serializers.Serializer):
    province = serializers.RegexField(r"^[0-9]{6}$")
    tier = serializers.ChoiceField(choices=Tier.choices)
    entries = RecommendationEntryWriteSerializer(many=True, help_text="In rank order.")


class RecommendationEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = RecommendationEntry
        fields = ["submission", "rank", "opinion", "returned_at"]
        read_only_fields = fields


class RecommendationSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    signed_by = serializers.CharField(source="signed_by.email", read_only=True)
    entries = RecommendationEntrySerializer(many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = ["id", "call", "region", "tier", "signed_by", "signed_at", "entries"]
        read_only_fields = fields


class FormalCheckWriteSerializer(serializers.Serializer):
    complete = serializers.BooleanField()
    eligible = serializers.BooleanField()
    reason = serializers.CharField(max_length=10000, allow_blank=True, required=False)


class FormalCheckSerializer(serializers.ModelSerializer):
    checked_by = serializers.CharField(source="checked_by.email", read_only=True)

    class Meta:
        model = FormalCheck
        fields = [
            "id",
            "submission",
            "complete",
            "eligible",
            "passed",
            "reason",
            "checked_by",
            "checked_at",
        ]
        read_only_fields = fields


class TierAppliedSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=Tier.choices)


class PublicObjectionSerializer(serializers.ModelSerializer):
    """An objection as the public sees it: no contact details."""

    class Meta:
        model = Objection
        fields = ["id", "text", "filed_at", "status", "answer", "answered_at"]
        read_only_fields = fields


class NoticeEntrySerializer(serializers.ModelSerializer):
    platform = serializers.CharField(source="submission.platform.name", read_only=True)
    organisation = serializers.CharField(
        source="submission.platform.organisation.name", read_only=True
    )
    objections = PublicObjectionSerializer(many=True, read_only=True)

    class Meta:
        model = NoticeEntry
        fields = [
            "id",
            "submission",
            "platform",
            "organisation",
            "proposed_tier",
            "withdrawn_at",
            "objections",
        ]
        read_only_fields = fields


class NoticeSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True, allow_null=True)
    entries = NoticeEntrySerializer(many=True, read_only=True)

    class Meta:
        model = PublicNotice
        fields = ["id", "call", "region", "starts_on", "ends_on", "published_at", "entries"]
        read_only_fields = fields


class ObjectionWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, allow_blank=True)
    phone = serializers.CharField(max_length=40, allow_blank=True)
    text = serializers.CharField(max_length=10000, allow_blank=True)
    organisation = serializers.CharField(max_length=200, allow_blank=True, required=False)
    email = serializers.CharField(max_length=254, allow_blank=True, required=False)
    file = serializers.ListField(child=serializers.FileField(), required=False)


class ObjectionAnswerSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    answer = serializers.CharField(max_length=10000, allow_blank=True)


class ObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = ["id", "entry", "status", "answer", "filed_at", "answered_at"]
        read_only_fields = fields


class PublicationSerializer(serializers.ModelSerializer):
    certified = serializers.SerializerMethodField()

    class Meta:
        model = Publication
        fields = ["id", "notice", "decision_number", "published_at", "certified"]
        read_only_fields = fields

    def get_certified(self, publication) -> list[dict]:
        # Prefetched by the views (assessment.api.views.programme.publications), one query
        # for a whole list rather than one per publication.
        return [
            {
                "submission": entry.submission_id,
                "platform": entry.submission.platform.name,
                "tier": entry.submission.certification.tier,
                "valid_until": entry.submission.certification.valid_until,
            }
            for entry in publication.notice.certified_entries
        ]
