"""Submissions: read, answers, evidence, score with its explanation, events."""

import copy

from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from assessment import presentation
from assessment.api.filters import LIST_FILTERS, EventFilter, SubmissionFilter
from assessment.api.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from assessment.api.serializers import (
    AnswerBulkResultSerializer,
    AnswerBulkSerializer,
    AnswerSerializer,
    CompletenessSerializer,
    EventSerializer,
    EvidenceFileSerializer,
    EvidenceLinkSerializer,
    EvidenceReplaceSerializer,
    EvidenceSerializer,
    NoteSerializer,
    ScoreSerializer,
    SubmissionCreateSerializer,
    SubmissionSerializer,
)
from assessment.errors import ApplicationError, Conflict, NotFound
from assessment.models import (
    Answer,
    Certification,
    Evidence,
    Role,
    ScoreSummary,
    Submission,
    SubmissionEvent,
    SubmissionState,
)
from assessment.models.reviews import CertificationStatus
from assessment.permissions import get_visible_or_404, visible_submissions
from assessment.selectors.submissions import evidence_for_user, submission_completeness
from assessment.services.scoring import submission_score
from assessment.services.submissions import (
    AnswerChange,
    answers_save,
    evidence_add_file,
    evidence_add_link,
    evidence_confirm,
    evidence_opened,
    evidence_remove,
    evidence_replace,
    submission_copy_from_previous,
    submission_resubmit,
    submission_start,
    submission_submit,
    submission_withdraw,
)
from questionnaires.rubric import TIERS, Rubric
from questionnaires.selectors import rubric_of

SUBMISSION_ID = "pk"


def submission_in_scope(request, pk: int) -> Submission:
    """The submission if the caller may see it; 404 otherwise (out of scope looks missing)."""
    return get_visible_or_404(
        visible_submissions(request.user).select_related(
            "platform", "cycle", "rubric_version", "assigned_reviewer"
        ),
        pk=pk,
    )


def submissions_with_history(user):
    """The submissions whose audit trail the user sees on the web: operators their own (the
    submission's history), reviewers those they may review (the review desk's events page,
    drafts excluded), administrators all. Regulators have no audit-trail page."""
    submissions = visible_submissions(user)
    if not user.is_authenticated:
        return submissions.none()
    if user.is_admin or user.role == Role.OPERATOR:
        return submissions
    if user.role == Role.REVIEWER:
        return (
            submissions.exclude(state=SubmissionState.DRAFT)
            .exclude(platform__organisation__conflicts__reviewer=user)
            .exclude(platform__organisation_id=user.organisation_id or 0)
        )
    return submissions.none()


def submissions_for_list(user):
    return (
        visible_submissions(user)
        .select_related("platform", "cycle", "rubric_version", "assigned_reviewer", "score_summary")
        .defer("rubric_version__definition", "score_summary__breakdown")
    )


@extend_schema_view(
    list=extend_schema(summary=_("Submissions in your scope")),
    retrieve=extend_schema(summary=_("One submission")),
    create=extend_schema(
        summary=_("Start a draft (optionally copied from the previous cycle)"),
        request=SubmissionCreateSerializer,
        responses={201: SubmissionSerializer},
    ),
)
class SubmissionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    filter_backends = LIST_FILTERS
    filterset_class = SubmissionFilter
    ordering_fields = ["created_at", "updated_at", "submitted_at", "state", "id"]
    ordering = ["-id"]  # newest first, by the primary key

    def get_queryset(self):
        return submissions_for_list(self.request.user)

    def get_serializer_class(self):
        return SubmissionCreateSerializer if self.action == "create" else SubmissionSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        start = (
            submission_copy_from_previous
            if serializer.validated_data["copy_from_previous"]
            else submission_start
        )
        submission = start(
            actor=request.user,
            platform=serializer.validated_data["platform"],
            cycle=serializer.validated_data["cycle"],
        )
        created = self.get_queryset().get(pk=submission.pk)
        return Response(
            SubmissionSerializer(created, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["submissions"], summary=_("The submission's evidence (files and links)"))
class EvidenceListView(generics.ListAPIView):
    serializer_class = EvidenceSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Evidence.objects.none()
        submission = submission_in_scope(self.request, self.kwargs[SUBMISSION_ID])
        return submission.evidence.order_by("question_code", "uploaded_at", "id")


def explained(breakdown: dict, rubric: Rubric, answers: dict) -> dict:
    """The engine's breakdown with its codes put into words in the caller's language: each
    criterion's reason, each tier's failed rules, each next-tier step, and the decision."""
    explanation = copy.deepcopy(breakdown)
    for criterion in explanation.get("criteria", []):
        code = criterion.get("indicator", "")
        indicator = rubric.indicator(code) if rubric.has_indicator(code) else None
        criterion["reason"] = presentation.reason_text(
            criterion.get("reason_code", ""), criterion.get("reason_params") or {}, indicator
        )
    tiers = explanation.get("tiers", {})
    for tier in tiers.values():
        tier["failed_rules_text"] = [
            presentation.failed_rule_text(rule, rubric) for rule in tier.get("failed_rules", [])
        ]
    for step in explanation.get("next_tier_plan", []):
        step["change"] = presentation.plan_step_text(
            step, rubric, answers.get(step.get("indicator") or step.get("precondition"))
        )
    next_tier = next((code for code in TIERS if not tiers.get(code, {}).get("achieved")), None)
    explanation["decision"] = presentation.tier_decision_text(
        explanation.get("result", "not_rated"), next_tier, tiers, rubric
    )
    return explanation


@extend_schema(
    tags=["submissions"],
    summary=_("Provisional and certified score, with the full explanation"),
    responses=ScoreSerializer,
)
class ScoreView(generics.GenericAPIView):
    serializer_class = ScoreSerializer

    def get(self, request, pk):
        submission = submission_in_scope(request, pk)
        rubric = rubric_of(submission.rubric_version)
        answers = dict(submission.answers.values_list("question_code", "value"))
        summary = ScoreSummary.objects.filter(submission=submission).first()
        if summary is not None:
            breakdown, computed_at = summary.breakdown, summary.computed_at
        else:
            breakdown, computed_at = submission_score(submission).to_dict(), None
        certification = (
            Certification.objects.filter(submission=submission)
            .exclude(
                status__in=[CertificationStatus.AWAITING_SIGN_OFF, CertificationStatus.IN_PROGRAMME]
            )
            .first()
        )
        if certification is not None:
            certification.snapshot = explained(certification.snapshot, rubric, answers)
        body = {
            "submission": submission.pk,
            "provisional": {
                "result": breakdown["result"],
                "progress_index": breakdown["progress_index"],
                "computed_at": computed_at,
                "breakdown": explained(breakdown, rubric, answers),
            },
            "certification": certification,
        }
        return Response(self.get_serializer(body).data)


@extend_schema_view(
    list=extend_schema(summary=_("Events (the audit trail) of submissions in your scope")),
    retrieve=extend_schema(summary=_("One event")),
)
class EventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EventSerializer
    filter_backends = LIST_FILTERS
    filterset_class = EventFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["id"]  # oldest first: poll with after_id

    def get_queryset(self):
        return SubmissionEvent.objects.filter(
            submission__in=submissions_with_history(self.request.user).values("pk")
        ).select_related("actor")


# --- Writes (operator side): each calls the one service the web calls -----------------------------


def _with_field_path(error: ApplicationError, path: str) -> ApplicationError:
    error.field = path
    return error


def _answer_field(error: ApplicationError, position: dict[str, int]) -> str:
    """The input path of a refused answer: answers[i].version for a conflict, .question_code
    for a question that may not be answered, else .value."""
    index = position.get(error.field)
    if index is None:
        return error.field
    if isinstance(error, Conflict):
        part = "version"
    elif error.code in ("unknown_question", "question_not_reopened"):
        part = "question_code"
    else:
        part = "value"
    return f"answers[{index}].{part}"


@extend_schema_view(
    get=extend_schema(
        tags=["submissions"], summary=_("The submission's answers, with their versions")
    ),
    post=extend_schema(
        tags=["submissions"],
        summary=_("Save many answers at once (all or nothing, with version checks)"),
        description=_(
            "Each answer names the version it is based on (0 for a question not answered yet). "
            "If any answer has moved on since, nothing is saved and the 409 response lists "
            "every conflict in detail.conflicts (current value, version, who, when). An answer "
            "whose value is unchanged is left as it is. Send an Idempotency-Key to retry safely."
        ),
        request=AnswerBulkSerializer,
        responses={200: AnswerBulkResultSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    ),
)
class AnswersView(generics.ListAPIView):
    serializer_class = AnswerSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Answer.objects.none()
        submission = submission_in_scope(self.request, self.kwargs[SUBMISSION_ID])
        return submission.answers.order_by("question_code")

    def post(self, request, pk):
        submission = submission_in_scope(request, pk)
        serializer = AnswerBulkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = [
            AnswerChange(
                question_code=answer["question_code"],
                value=answer["value"],
                version=answer["version"],
            )
            for answer in serializer.validated_data["answers"]
        ]
        return idempotent(request, lambda: self._save(request, submission, changes))

    def _save(self, request, submission, changes):
        position = {change.question_code: index for index, change in enumerate(changes)}
        try:
            saved = answers_save(actor=request.user, submission=submission, changes=changes)
        except ApplicationError as error:
            if isinstance(error, Conflict) and "conflicts" in error.params:
                error.errors = [
                    {
                        "code": error.code,
                        "message": str(error.message),
                        "field": f"answers[{position[code]}].version",
                    }
                    for code in error.params["conflicts"]
                    if code in position
                ]
            raise _with_field_path(error, _answer_field(error, position)) from None
        changed = [
            answer.question_code
            for answer, change in zip(saved, changes, strict=True)
            if answer.version != change.version
        ]
        return Response({"answers": AnswerSerializer(saved, many=True).data, "changed": changed})


@extend_schema_view(
    get=extend_schema(tags=["submissions"], summary=_("What still blocks submitting"))
)
class CompletenessView(generics.GenericAPIView):
    serializer_class = CompletenessSerializer

    def get(self, request, pk):
        submission = submission_in_scope(request, pk)
        problems = submission_completeness(submission)
        body = {
            "complete": not problems,
            "problems": [
                {
                    "question_code": problem.question_code,
                    "section": problem.section,
                    "kind": problem.kind,
                    "title": problem.title,
                    "message": problem.message,
                }
                for problem in problems
            ],
        }
        return Response(self.get_serializer(body).data)


def _evidence_in(request, pk: int, evidence_id: int) -> Evidence:
    evidence = evidence_for_user(request.user, evidence_id)
    if evidence is None or evidence.submission_id != pk:
        raise NotFound("not_found", _("That resource does not exist or you may not see it."))
    return evidence


def _evidence_response(view, evidence: Evidence, code=status.HTTP_201_CREATED) -> Response:
    return Response(
        EvidenceSerializer(evidence, context=view.get_serializer_context()).data, status=code
    )


@extend_schema(
    tags=["evidence"],
    summary=_("Upload a file as evidence for a question (multipart)"),
    request={"multipart/form-data": EvidenceFileSerializer},
    responses={201: EvidenceSerializer},
)
class EvidenceFileView(generics.GenericAPIView):
    serializer_class = EvidenceFileSerializer
    parser_classes = [MultiPartParser]

    def post(self, request, pk):
        submission = submission_in_scope(request, pk)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evidence = evidence_add_file(
            actor=request.user,
            submission=submission,
            question_code=serializer.validated_data["question_code"],
            uploaded_file=serializer.validated_data["file"],
            description=serializer.validated_data.get("description", ""),
        )
        return _evidence_response(self, evidence)


@extend_schema(
    tags=["evidence"],
    summary=_("Attach a link as evidence for a question"),
    request=EvidenceLinkSerializer,
    responses={201: EvidenceSerializer},
)
class EvidenceLinkView(generics.GenericAPIView):
    serializer_class = EvidenceLinkSerializer

    def post(self, request, pk):
        submission = submission_in_scope(request, pk)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evidence = evidence_add_link(
            actor=request.user,
            submission=submission,
            question_code=serializer.validated_data["question_code"],
            url=serializer.validated_data["url"],
            description=serializer.validated_data.get("description", ""),
        )
        return _evidence_response(self, evidence)


@extend_schema_view(
    get=extend_schema(tags=["evidence"], summary=_("One evidence item")),
    delete=extend_schema(
        tags=["evidence"],
        summary=_("Take an evidence item off its question (kept for the audit trail)"),
        responses={204: None},
    ),
)
class EvidenceItemView(generics.GenericAPIView):
    serializer_class = EvidenceSerializer

    def get(self, request, pk, evidence_id):
        return _evidence_response(self, _evidence_in(request, pk, evidence_id), status.HTTP_200_OK)

    def delete(self, request, pk, evidence_id):
        evidence_remove(actor=request.user, evidence=_evidence_in(request, pk, evidence_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    tags=["evidence"],
    summary=_("Replace an evidence item with a new file or link (the old one is kept)"),
    request={
        "multipart/form-data": EvidenceReplaceSerializer,
        "application/json": EvidenceReplaceSerializer,
    },
    responses={201: EvidenceSerializer},
)
class EvidenceReplaceView(generics.GenericAPIView):
    serializer_class = EvidenceReplaceSerializer
    parser_classes = [MultiPartParser, JSONParser]

    def post(self, request, pk, evidence_id):
        evidence = _evidence_in(request, pk, evidence_id)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        replacement = evidence_replace(
            actor=request.user,
            evidence=evidence,
            uploaded_file=serializer.validated_data.get("file"),
            url=serializer.validated_data.get("url", ""),
            description=serializer.validated_data.get("description", ""),
        )
        return _evidence_response(self, replacement)


@extend_schema(
    tags=["evidence"],
    summary=_("Confirm evidence copied from the previous cycle as still valid"),
    request=None,
    responses={200: EvidenceSerializer},
)
class EvidenceConfirmView(generics.GenericAPIView):
    serializer_class = EvidenceSerializer

    def post(self, request, pk, evidence_id):
        evidence = evidence_confirm(
            actor=request.user, evidence=_evidence_in(request, pk, evidence_id)
        )
        return _evidence_response(self, evidence, status.HTTP_200_OK)


@extend_schema(
    tags=["evidence"],
    summary=_("Download an evidence file"),
    responses={
        (200, "application/octet-stream"): OpenApiTypes.BINARY,
    },
)
class EvidenceDownloadView(generics.GenericAPIView):
    def get(self, request, pk, evidence_id):
        evidence = _evidence_in(request, pk, evidence_id)
        if evidence.is_link or not evidence.file:
            raise NotFound("not_a_file", _("This evidence is a link, not a file."))
        evidence_opened(actor=request.user, evidence=evidence)
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError as error:
            raise NotFound("file_missing", _("The file is missing from storage.")) from error
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=evidence.original_name or "evidence",
            content_type=evidence.content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class _TransitionView(generics.GenericAPIView):
    """POST with an optional note → the service → the submission as it is now."""

    serializer_class = NoteSerializer
    service = None

    def post(self, request, pk):
        submission = submission_in_scope(request, pk)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        type(self).service(
            actor=request.user, submission=submission, note=serializer.validated_data["note"]
        )
        updated = submissions_for_list(request.user).get(pk=submission.pk)
        return Response(SubmissionSerializer(updated, context=self.get_serializer_context()).data)


_TRANSITION_SCHEMA = {"tags": ["submissions"], "responses": {200: SubmissionSerializer}}


@extend_schema(summary=_("Submit a complete draft"), **_TRANSITION_SCHEMA)
class SubmitView(_TransitionView):
    service = staticmethod(submission_submit)


@extend_schema(summary=_("Withdraw a submission"), **_TRANSITION_SCHEMA)
class WithdrawView(_TransitionView):
    service = staticmethod(submission_withdraw)


@extend_schema(summary=_("Resubmit after a revision request"), **_TRANSITION_SCHEMA)
class ResubmitView(_TransitionView):
    service = staticmethod(submission_resubmit)
