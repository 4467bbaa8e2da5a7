"""The review desk over the API: assign, start, decide per indicator, request a revision,
certify, sign off or decline, revoke, declare a conflict. Each calls the service the web's
review desk calls; the services check the role, the assignment, the state and the input."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from assessment.api.serializers import (
    AssignSerializer,
    CertificationSerializer,
    ConflictSerializer,
    DecisionSerializer,
    DecisionWriteSerializer,
    ReasonSerializer,
    RevisionSerializer,
    SubmissionSerializer,
)
from assessment.api.views.actions import ActionView, SubmissionActionView
from assessment.api.views.submissions import submission_in_scope, submissions_for_list
from assessment.errors import ApplicationError
from assessment.models import Certification, ReviewDecision, Role, User
from assessment.permissions import get_visible_or_404, visible_submissions
from assessment.services import reviews as services


def _submission_response(view, submission_id: int, code=status.HTTP_200_OK) -> Response:
    submission = submissions_for_list(view.request.user).get(pk=submission_id)
    return Response(
        SubmissionSerializer(submission, context=view.get_serializer_context()).data, status=code
    )


def certification_in_scope(request, certification_id: int) -> Certification:
    """A certification whose submission the caller may see; 404 otherwise."""
    return get_visible_or_404(
        Certification.objects.filter(
            submission__in=visible_submissions(request.user).values("pk")
        ).select_related("submission__platform"),
        pk=certification_id,
    )


@extend_schema(
    tags=["review"],
    summary=_("Assign a reviewer (yourself, or as a lead reviewer anyone eligible)"),
    request=AssignSerializer,
    responses={200: SubmissionSerializer},
)
class AssignView(SubmissionActionView):
    serializer_class = AssignSerializer

    def perform(self, submission, data):
        request = self.request
        reviewer_id = data.get("reviewer")
        if reviewer_id is None or reviewer_id == request.user.pk:
            reviewer = request.user
        else:
            reviewer = User.objects.filter(
                pk=reviewer_id, role=Role.REVIEWER, is_active=True
            ).first()
            if reviewer is None:
                raise ApplicationError(
                    "unknown_reviewer",
                    _("There is no active reviewer with this id."),
                    field="reviewer",
                )
        services.review_assign(actor=request.user, submission=submission, reviewer=reviewer)
        return _submission_response(self, submission.pk)


@extend_schema(
    tags=["review"],
    summary=_("Start the review of a (re)submitted questionnaire assigned to you"),
    request=None,
    responses={200: SubmissionSerializer},
)
class StartReviewView(SubmissionActionView):
    serializer_class = SubmissionSerializer
    reads_body = False

    def perform(self, submission, data):
        services.review_start(actor=self.request.user, submission=submission)
        return _submission_response(self, submission.pk)


@extend_schema(tags=["review"])
class DecisionsView(generics.ListAPIView):
    """GET: the current decisions; POST: decide on one indicator."""

    serializer_class = DecisionSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReviewDecision.objects.none()
        submission = submission_in_scope(self.request, self.kwargs["pk"])
        return submission.review_decisions.filter(is_current=True).order_by("question_code")

    @extend_schema(summary=_("The current review decisions, per indicator"))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary=_("Decide on one indicator: verified, rejected (with a reason) or corrected"),
        request=DecisionWriteSerializer,
        responses={201: DecisionSerializer},
    )
    def post(self, request, pk):
        submission = submission_in_scope(request, pk)
        serializer = DecisionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = services.review_decide(
            actor=request.user,
            submission=submission,
            question_code=serializer.validated_data["question_code"],
            decision=serializer.validated_data["decision"],
            reason=serializer.validated_data.get("reason", ""),
            corrected_value=serializer.validated_data.get("corrected_value"),
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["review"],
    summary=_("Send the submission back with the questions to revise and a message"),
    request=RevisionSerializer,
    responses={200: SubmissionSerializer},
)
class RequestRevisionView(SubmissionActionView):
    serializer_class = RevisionSerializer

    def perform(self, submission, data):
        services.review_request_revision(
            actor=self.request.user,
            submission=submission,
            question_codes=data["question_codes"],
            message=data["message"],
        )
        return _submission_response(self, submission.pk)


@extend_schema(
    tags=["review"],
    summary=_("Certify the tier the score gives (leading and ecosystem await a sign-off)"),
    request=None,
    responses={201: CertificationSerializer},
)
class CertifyView(SubmissionActionView):
    serializer_class = CertificationSerializer
    reads_body = False

    def perform(self, submission, data):
        return services.certification_propose(actor=self.request.user, submission=submission)


@extend_schema(
    tags=["review"],
    summary=_("Declare a conflict of interest with the submission's organisation"),
    request=ConflictSerializer,
    responses={201: ConflictSerializer},
)
class ConflictView(SubmissionActionView):
    serializer_class = ConflictSerializer

    def perform(self, submission, data):
        declaration = services.conflict_declare(
            reviewer=self.request.user,
            organisation=submission.platform.organisation,
            reason=data["reason"],
        )
        return {"organisation": declaration.organisation_id, "declared_at": declaration.declared_at}


class CertificationActionView(ActionView):
    """An action on the certification in the URL, whose submission the caller may see."""

    def target(self, request, certification_id):
        return certification_in_scope(request, certification_id)


@extend_schema(tags=["certifications"], summary=_("One certification (or proposal)"))
class CertificationView(generics.RetrieveAPIView):
    serializer_class = CertificationSerializer

    def get_object(self):
        return certification_in_scope(self.request, self.kwargs["certification_id"])


@extend_schema(
    tags=["certifications"],
    summary=_("Sign off a leading or ecosystem proposal (national reviewer)"),
    request=None,
    responses={200: CertificationSerializer},
)
class SignOffView(CertificationActionView):
    serializer_class = CertificationSerializer
    reads_body = False
    response_status = status.HTTP_200_OK

    def perform(self, certification, data):
        return services.certification_sign_off(actor=self.request.user, certification=certification)


@extend_schema(
    tags=["certifications"],
    summary=_("Decline to sign off a proposal, with a reason"),
    request=ReasonSerializer,
    responses={204: None},
)
class DeclineView(CertificationActionView):
    serializer_class = ReasonSerializer

    def perform(self, certification, data):
        services.certification_decline(
            actor=self.request.user, certification=certification, reason=data["reason"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    tags=["certifications"],
    summary=_("Revoke a certification, with a reason"),
    request=ReasonSerializer,
    responses={200: CertificationSerializer},
)
class RevokeView(CertificationActionView):
    serializer_class = ReasonSerializer
    response_serializer_class = CertificationSerializer
    response_status = status.HTTP_200_OK

    def perform(self, certification, data):
        return services.certification_revoke(
            actor=self.request.user, certification=certification, reason=data["reason"]
        )
