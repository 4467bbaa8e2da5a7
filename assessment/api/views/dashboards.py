"""Dashboard figures over the API: the same selector, scope and filters as the web pages."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response

from assessment.api.serializers import DashboardPlatformSerializer, DashboardSerializer
from assessment.errors import ApplicationError
from assessment.selectors import dashboards as selectors

_REGION = OpenApiParameter(
    "region",
    str,
    description=_("A province or city code (GB/T 2260); leave out for the nation."),
    pattern=r"^[0-9]{6}$",
)
_FILTERS = [
    OpenApiParameter("cycle", str, description=_("A cycle code; default: the latest.")),
    OpenApiParameter(
        "kind",
        str,
        enum=["specialized", "industry", "collaborative"],
        description=_("Platform kind."),
    ),
    OpenApiParameter("industry", str, description=_("A GB/T 4754 section, A…T.")),
    OpenApiParameter(
        "tier",
        str,
        enum=["basic", "growth", "leading", "ecosystem"],
        description=_("Certified tier."),
    ),
]


def _region_and_filters(request):
    """The region code and filter set from the query, as the web reads them; a value the web
    would drop is a 400 here, with its field."""
    region_code = request.query_params.get("region") or None
    if region_code is not None and not (len(region_code) == 6 and region_code.isdigit()):
        raise ApplicationError("invalid", _("Enter a six-digit region code."), field="region")
    filters, errors = selectors.parse_filters(request.query_params)
    if errors:
        field, message = next(iter(errors.items()))
        raise ApplicationError("invalid_filter", message, field=field)
    return region_code, filters


@extend_schema(
    tags=["dashboards"],
    summary=_("Dashboard figures and the Action Plan's metrics, with the web's filters"),
    parameters=[_REGION, *_FILTERS],
    responses=DashboardSerializer,
)
class DashboardView(generics.GenericAPIView):
    serializer_class = DashboardSerializer

    def get(self, request):
        region_code, filters = _region_and_filters(request)
        data = selectors.dashboard_data(user=request.user, region_code=region_code, filters=filters)
        body = {"summary": selectors.metrics_summary(data), "data": data}
        return Response(self.get_serializer(body).data)


@extend_schema(
    tags=["dashboards"],
    summary=_("The dashboard's platform list (the selected cycle's submissions), paged"),
    parameters=[_REGION, *_FILTERS],
)
class DashboardPlatformsView(generics.ListAPIView):
    serializer_class = DashboardPlatformSerializer
    filter_backends = []

    def get_queryset(self):
        region_code, filters = _region_and_filters(self.request)
        return selectors.dashboard_platforms(
            user=self.request.user, region_code=region_code, filters=filters
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        # Codes, as everywhere in the API (GB/T 4754 sections).
        industries = selectors.platform_industries(
            [row["platform_id"] for row in page], labelled=False
        )
        rows = [{**row, "industries": industries.get(row["platform_id"], [])} for row in page]
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)
