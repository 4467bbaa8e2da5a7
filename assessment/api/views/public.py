"""Public endpoints (no sign-in): the register of certified platforms and report verification."""

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions
from rest_framework.response import Response

from assessment.api.serializers import RegisterPageSerializer, VerificationSerializer
from assessment.errors import ApplicationError
from assessment.selectors import reviews as review_selectors
from assessment.services import reports as report_services

_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")


class PublicView(generics.GenericAPIView):
    """No authentication at all: a public endpoint ignores credentials."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]


@extend_schema(
    tags=["public"],
    summary=_("Certified platforms whose certification is in force (the public register)"),
    parameters=[
        OpenApiParameter("q", str, description=_("Part of the platform's or company's name.")),
        OpenApiParameter("tier", str, enum=["basic", "growth", "leading", "ecosystem"]),
        OpenApiParameter("kind", str, enum=["specialized", "industry", "collaborative"]),
        OpenApiParameter("province", str, pattern=r"^[0-9]{6}$"),
        OpenApiParameter("page", int, description=_("Page number, 50 per page.")),
    ],
    auth=[],
)
class RegisterView(PublicView):
    serializer_class = RegisterPageSerializer

    def get(self, request):
        filters = review_selectors.RegisterFilters.from_query(request.query_params)
        page = review_selectors.register_certifications(filters=filters)
        body = {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": list(page.object_list),
        }
        return Response(self.get_serializer(body).data)


@extend_schema(
    tags=["public"],
    summary=_("Verify a report by its number (and optionally a SHA-256)"),
    parameters=[
        OpenApiParameter(
            "sha256",
            str,
            pattern=r"^[0-9a-fA-F]{64}$",
            description=_("The data hash printed on the report, or the SHA-256 of the PDF."),
        )
    ],
    auth=[],
)
class VerifyView(PublicView):
    serializer_class = VerificationSerializer

    def get(self, request, number):
        given = request.query_params.get("sha256", "").strip()
        if given and not _HEX64.match(given):
            raise ApplicationError(
                "invalid", _("A SHA-256 is 64 hexadecimal characters."), field="sha256"
            )
        verification = report_services.report_verify(number=number, sha256=given)
        return Response(self.get_serializer(verification).data)
