"""Rubric drafts over the API (administrators): upload a candidate version, read its check and
impact, publish it for a cycle; the same services as the web pages (questionnaires.views_drafts).

    POST /api/v1/rubric-drafts/                 {"yaml": "...", "compare_with": "iip-2026@1.0"}
    GET  /api/v1/rubric-drafts/                 the drafts, newest first
    GET  /api/v1/rubric-drafts/{id}/            one draft: warnings and impact
    POST /api/v1/rubric-drafts/{id}/impact/     compute the impact again
    POST /api/v1/rubric-drafts/{id}/publish/    {"cycle": "2028"} (optional)

An invalid file answers 400 ``{"code": "rubric_invalid", "message", "field": "yaml", "errors":
[{"code": "rubric_problem", "message": "<path>: <problem>", "field": "<path>"}, …]}``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from assessment.api.exceptions import error_body
from assessment.errors import NotFound
from assessment.models import AssessmentCycle
from questionnaires.models import RubricDraft, RubricVersion
from questionnaires.services import (
    RubricInvalid,
    rubric_draft_compute_impact,
    rubric_draft_publish,
    rubric_draft_upload,
)


def _require_admin(user) -> None:
    if not user.is_admin:
        raise NotFound("not_found", _("Not found."))  # out of scope looks like missing


class RubricDraftSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    compare_with = serializers.SerializerMethodField()
    published_as = serializers.SerializerMethodField()
    uploaded_by = serializers.CharField(source="uploaded_by.email", read_only=True)

    class Meta:
        model = RubricDraft
        fields = [
            "id",
            "label",
            "code",
            "version",
            "title_zh_hans",
            "title_en",
            "fingerprint",
            "warnings",
            "compare_with",
            "uploaded_by",
            "uploaded_at",
            "impact",
            "impact_computed_at",
            "published_as",
            "published_at",
            "published_cycle_code",
        ]

    def get_compare_with(self, draft) -> str | None:
        return draft.compare_with.label if draft.compare_with else None

    def get_published_as(self, draft) -> str | None:
        return draft.published_version.label if draft.published_version else None


class RubricDraftUploadSerializer(serializers.Serializer):
    yaml = serializers.CharField(help_text=_("The rubric file's text (YAML, UTF-8)."))
    compare_with = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("A stored version label whose submissions the draft is rescored against."),
    )


class RubricDraftPublishSerializer(serializers.Serializer):
    cycle = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("A cycle code without submissions; the draft becomes its rubric."),
    )


def _queryset():
    return RubricDraft.objects.select_related("compare_with", "uploaded_by", "published_version")


def _draft_or_404(user, draft_id: int) -> RubricDraft:
    _require_admin(user)
    draft = _queryset().filter(pk=draft_id).first()
    if draft is None:
        raise NotFound("not_found", _("Not found."))
    return draft


def _as_stored(draft: RubricDraft) -> dict:
    """The draft as stored after a service changed it, read again with what it refers to."""
    return RubricDraftSerializer(_queryset().get(pk=draft.pk)).data


@extend_schema(tags=["rubrics"])
class RubricDraftsView(generics.GenericAPIView):
    serializer_class = RubricDraftSerializer
    queryset = RubricDraft.objects.none()  # for the schema; the views read through _queryset()
    # A plain list of the latest 100, so no paging or ordering parameters in the schema.
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        summary=_("Rubric drafts (administrators)"),
        operation_id="rubric_drafts_list",
        responses=RubricDraftSerializer(many=True),
    )
    def get(self, request):
        _require_admin(request.user)
        drafts = _queryset().defer("source", "definition")[:100]
        return Response(RubricDraftSerializer(drafts, many=True).data)

    @extend_schema(
        summary=_("Upload a candidate rubric version: checked, stored as a draft, impact computed"),
        request=RubricDraftUploadSerializer,
        responses={201: RubricDraftSerializer},
    )
    def post(self, request):
        _require_admin(request.user)
        payload = RubricDraftUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        label = payload.validated_data.get("compare_with") or ""
        compare_with = None
        if label:
            compare_with = next(
                (version for version in RubricVersion.objects.all() if version.label == label),
                None,
            )
            if compare_with is None:
                body = error_body(
                    "unknown_rubric_version",
                    _("No stored rubric version %(label)s.") % {"label": label},
                    "compare_with",
                )
                return Response(body, status=status.HTTP_400_BAD_REQUEST)
        try:
            draft = rubric_draft_upload(
                user=request.user, text=payload.validated_data["yaml"], compare_with=compare_with
            )
        except RubricInvalid as error:
            body = error_body(error.code, error.message, error.field)
            body["errors"] = [
                error_body("rubric_problem", problem, problem.split(": ", 1)[0])
                for problem in error.problems
            ]
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            _as_stored(draft),
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["rubrics"], summary=_("One rubric draft: warnings and impact"))
class RubricDraftView(generics.GenericAPIView):
    serializer_class = RubricDraftSerializer
    queryset = RubricDraft.objects.none()

    def get(self, request, draft_id):
        draft = _draft_or_404(request.user, draft_id)
        return Response(RubricDraftSerializer(draft).data)


@extend_schema(
    tags=["rubrics"],
    summary=_("Compute a draft's impact again on the stored submissions"),
    request=None,
)
class RubricDraftImpactView(generics.GenericAPIView):
    serializer_class = RubricDraftSerializer
    queryset = RubricDraft.objects.none()

    def post(self, request, draft_id):
        draft = _draft_or_404(request.user, draft_id)
        rubric_draft_compute_impact(draft=draft)
        return Response(_as_stored(draft))


@extend_schema(
    tags=["rubrics"],
    summary=_("Publish a draft as a rubric version, optionally for a cycle"),
    request=RubricDraftPublishSerializer,
    responses={201: RubricDraftSerializer},
)
class RubricDraftPublishView(generics.GenericAPIView):
    serializer_class = RubricDraftSerializer
    queryset = RubricDraft.objects.none()

    def post(self, request, draft_id):
        draft = _draft_or_404(request.user, draft_id)
        payload = RubricDraftPublishSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        cycle = None
        code = payload.validated_data.get("cycle") or ""
        if code:
            cycle = AssessmentCycle.objects.filter(code=code).first()
            if cycle is None:
                body = error_body(
                    "unknown_cycle", _("No cycle %(code)s.") % {"code": code}, "cycle"
                )
                return Response(body, status=status.HTTP_400_BAD_REQUEST)
        rubric_draft_publish(draft=draft, user=request.user, cycle=cycle)
        return Response(
            _as_stored(draft),
            status=status.HTTP_201_CREATED,
        )
