"""Who am I, rubric versions, regions and cycles."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, permissions, viewsets

from assessment.api.filters import LIST_FILTERS, RegionFilter, StableOrderingFilter
from assessment.api.serializers import (
    CycleSerializer,
    MeSerializer,
    RegionSerializer,
    RubricVersionDetailSerializer,
    RubricVersionSerializer,
)
from assessment.models import AssessmentCycle, Region
from assessment.permissions import get_visible_or_404
from questionnaires.models import RubricVersion


@extend_schema(tags=["me"], summary=_("The signed-in user: role and scope"))
class MeView(generics.RetrieveAPIView):
    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user


@extend_schema_view(
    list=extend_schema(summary=_("Rubric versions")),
    retrieve=extend_schema(
        summary=_("One rubric version with its whole tree"),
        parameters=[
            OpenApiParameter(
                "label",
                str,
                OpenApiParameter.PATH,
                description=_("code@version, e.g. iip-2026@1.0"),
            )
        ],
    ),
)
class RubricVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """The published rubric is public, as on the web."""

    permission_classes = [permissions.AllowAny]
    lookup_field = "label"
    lookup_value_regex = r"[^/]+"
    filter_backends = [StableOrderingFilter]
    ordering_fields = ["code", "version", "loaded_at"]

    def get_queryset(self):
        versions = RubricVersion.objects.all()
        return versions if self.action == "retrieve" else versions.defer("definition")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return RubricVersionDetailSerializer
        return RubricVersionSerializer

    def get_object(self):
        code, _sep, version = self.kwargs["label"].partition("@")
        return get_visible_or_404(self.get_queryset(), code=code, version=version)


@extend_schema_view(
    list=extend_schema(summary=_("Regions (GB/T 2260 provinces and cities)")),
    retrieve=extend_schema(summary=_("One region")),
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RegionSerializer
    queryset = Region.objects.all()
    lookup_value_regex = "[0-9]{6}"
    filter_backends = LIST_FILTERS
    filterset_class = RegionFilter
    ordering_fields = ["code", "name_zh_hans", "name_en"]


@extend_schema_view(
    list=extend_schema(summary=_("Assessment cycles")),
    retrieve=extend_schema(summary=_("One assessment cycle")),
)
class CycleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CycleSerializer
    queryset = AssessmentCycle.objects.select_related("rubric_version").defer(
        "rubric_version__definition"
    )
    lookup_field = "code"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filter_backends = [StableOrderingFilter]
    ordering_fields = ["code", "opens_on", "closes_on"]
