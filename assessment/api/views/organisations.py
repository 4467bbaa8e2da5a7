"""Organisations and platforms, scoped to what the caller may see."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from assessment.api.filters import LIST_FILTERS, OrganisationFilter, PlatformFilter
from assessment.api.serializers import OrganisationSerializer, PlatformSerializer
from assessment.permissions import visible_organisations, visible_platforms


@extend_schema_view(
    list=extend_schema(summary=_("Organisations in your scope")),
    retrieve=extend_schema(summary=_("One organisation")),
)
class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    filter_backends = LIST_FILTERS
    filterset_class = OrganisationFilter
    ordering_fields = ["name", "credit_code", "created_at", "id"]
    ordering = ["id"]  # the primary key: deep pages stay fast and stable for syncing

    def get_queryset(self):
        return visible_organisations(self.request.user).select_related("region")


@extend_schema_view(
    list=extend_schema(summary=_("Platforms in your scope")),
    retrieve=extend_schema(summary=_("One platform")),
)
class PlatformViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PlatformSerializer
    filter_backends = LIST_FILTERS
    filterset_class = PlatformFilter
    ordering_fields = ["name", "kind", "launched_year", "created_at", "id"]
    ordering = ["id"]  # the primary key: deep pages stay fast and stable for syncing

    def get_queryset(self):
        return (
            visible_platforms(self.request.user)
            .select_related("organisation", "region")
            .prefetch_related("industries")
        )
