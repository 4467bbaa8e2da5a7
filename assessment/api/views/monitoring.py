"""Renewal over the API: the same service as the operator's confirmation page
(docs/monitoring.md, "Renewal"); a second request is refused while the first renewal is under way,
so a retry never opens two."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status

from assessment.api.serializers import SubmissionSerializer
from assessment.api.views.reviews import _submission_response, certification_in_scope
from assessment.services.monitoring import renewal_start


@extend_schema(
    tags=["certifications"],
    summary=_("Apply for the renewal of a certification (the platform's operators)"),
    description=_(
        "Creates a draft in the latest open cycle, copied from the certified submission and "
        "marked as its renewal. Allowed from six months before the certification expires until "
        "its last valid day, once while a renewal is under way."
    ),
    request=None,
    responses={201: SubmissionSerializer},
)
class RenewView(generics.GenericAPIView):
    serializer_class = SubmissionSerializer

    def post(self, request, certification_id):
        certification = certification_in_scope(request, certification_id)
        submission = renewal_start(actor=request.user, certification=certification)
        return _submission_response(self, submission.pk, code=status.HTTP_201_CREATED)
