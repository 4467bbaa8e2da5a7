"""The programme over the API (docs/programme.md): calls, quotas, the pipeline, spot checks,
recommendations, formal checks, notices, objections and publications. Each endpoint calls the
service the web calls, with the same rules and permissions; public reads need no sign-in."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from assessment.api import serializers_programme as s
from assessment.api.views.actions import ActionView, SubmissionActionView
from assessment.errors import ApplicationError, NotFound
from assessment.models import (
    CallForApplications,
    NoticeEntry,
    Objection,
    Publication,
    PublicNotice,
    Recommendation,
)
from assessment.permissions import (
    get_visible_or_404,
    is_programme_official,
    visible_recommendations,
    visible_submissions,
)
from assessment.selectors import programme as selectors
from assessment.services import programme as services


def _not_found() -> NotFound:
    return NotFound("not_found", _("That page does not exist or you may not see it."))


def _found(instance):
    """`instance`, or the API's 404 when the lookup found nothing."""
    if instance is None:
        raise _not_found()
    return instance


def _require_official(request) -> None:
    if not is_programme_official(request.user):
        raise _not_found()


def _call(request, call_id: int):
    _require_official(request)
    return get_visible_or_404(selectors.calls_for(request.user), pk=call_id)


class PublicView(generics.GenericAPIView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]


class CallActionView(ActionView):
    """An action on the call in the URL, for officials who see it."""

    queryset = CallForApplications.objects.none()

    def target(self, request, call_id, **kwargs):
        return _call(request, call_id)


class LevelActionView(CallActionView):
    """A call's action at one level, the ministry's (no province) or a province's: `service`
    takes the actor, the call and the province code."""

    serializer_class = s.ProvinceSerializer
    service = None

    def perform(self, call, data):
        return self.service(
            actor=self.request.user, call=call, province_code=data.get("province") or None
        )


@extend_schema(tags=["programme"], summary=_("Calls for applications in your scope"))
class CallListView(generics.ListAPIView):
    serializer_class = s.CallSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CallForApplications.objects.none()
        _require_official(self.request)
        return selectors.calls_for(self.request.user)


@extend_schema(
    tags=["programme"],
    summary=_("Recommendation quotas per province: quota, recommended, left"),
    responses={200: s.QuotaSerializer(many=True)},
)
class QuotaView(generics.GenericAPIView):
    queryset = CallForApplications.objects.none()
    serializer_class = s.QuotaSerializer

    def get(self, request, call_id):
        call = _call(request, call_id)
        rows = [
            {
                "province": row.province.code,
                "tier": tier,
                "quota": quota,
                "recommended": used,
                "left": left,
            }
            for row in selectors.quota_view(call, request.user)
            for tier, quota, used, left in row.cells
        ]
        return Response(self.get_serializer(rows, many=True).data)


@extend_schema(
    tags=["programme"],
    summary=_("The call's pipeline by stage with waiting times (days)"),
    responses={200: s.StageSerializer(many=True)},
)
class PipelineView(generics.GenericAPIView):
    queryset = CallForApplications.objects.none()
    serializer_class = s.StageSerializer

    def get(self, request, call_id):
        call = _call(request, call_id)
        stages = selectors.pipeline(request.user, cycle_id=call.cycle_id)
        return Response(self.get_serializer(stages, many=True).data)


@extend_schema(
    tags=["programme"],
    summary=_("Draw the basic tier's spot check once the call has closed"),
    request=s.ProvinceSerializer,
    responses={201: s.SpotCheckDrawSerializer},
)
class SpotCheckView(LevelActionView):
    response_serializer_class = s.SpotCheckDrawSerializer
    service = staticmethod(services.spot_check_draw)


@extend_schema(tags=["programme"], summary=_("The call's signed recommendations"))
class RecommendationsView(generics.ListCreateAPIView):
    serializer_class = s.RecommendationSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Recommendation.objects.none()
        call = _call(self.request, self.kwargs["call_id"])
        return visible_recommendations(
            self.request.user,
            call.recommendations.select_related("signed_by").prefetch_related("entries"),
        )

    @extend_schema(
        summary=_("Sign a province's ranked recommendation within its quota"),
        request=s.RecommendationWriteSerializer,
        responses={201: s.RecommendationSerializer},
    )
    def post(self, request, call_id):
        call = _call(request, call_id)
        serializer = s.RecommendationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        scoped = {
            submission.pk: submission
            for submission in visible_submissions(request.user).filter(
                pk__in=[entry["submission"] for entry in data["entries"]]
            )
        }
        entries = []
        for index, entry in enumerate(data["entries"]):
            submission = scoped.get(entry["submission"])
            if submission is None:
                raise ApplicationError(
                    "not_candidate",
                    _("There is no submission %(id)s in your scope.") % {"id": entry["submission"]},
                    field=f"entries.{index}.submission",
                )
            entries.append((submission, entry["opinion"]))
        recommendation = services.recommendation_sign(
            actor=request.user,
            call=call,
            province_code=data["province"],
            tier=data["tier"],
            entries=entries,
        )
        return Response(
            s.RecommendationSerializer(recommendation).data, status=status.HTTP_201_CREATED
        )


@extend_schema(
    tags=["programme"],
    summary=_("The ministry's formal check: pass to the expert panel or return to the province"),
    request=s.FormalCheckWriteSerializer,
    responses={201: s.FormalCheckSerializer},
)
class FormalCheckView(SubmissionActionView):
    serializer_class = s.FormalCheckWriteSerializer
    response_serializer_class = s.FormalCheckSerializer

    def perform(self, submission, data):
        return services.formal_check_decide(
            actor=self.request.user,
            submission=submission,
            complete=data["complete"],
            eligible=data["eligible"],
            reason=data.get("reason", ""),
        )


@extend_schema(
    tags=["programme"],
    summary=_("State the tier applied for (operators, drafts under a call)"),
    request=s.TierAppliedSerializer,
    responses={200: s.TierAppliedSerializer},
)
class TierAppliedView(SubmissionActionView):
    serializer_class = s.TierAppliedSerializer
    response_status = status.HTTP_200_OK

    def perform(self, submission, data):
        services.tier_apply(actor=self.request.user, submission=submission, tier=data["tier"])
        return {"tier": data["tier"]}


@extend_schema(
    tags=["programme"],
    summary=_("Publish the public notice of the proposed list at your level"),
    request=s.ProvinceSerializer,
    responses={201: s.NoticeSerializer},
)
class NoticePublishView(LevelActionView):
    response_serializer_class = s.NoticeSerializer
    service = staticmethod(services.notice_publish)


def _notices():
    return PublicNotice.objects.prefetch_related(
        "entries__submission__platform__organisation", "entries__objections"
    ).order_by("-published_at")


def publications():
    """Publications, newest first, each notice with its certified entries
    (`certified_entries`, what PublicationSerializer lists)."""
    certified = NoticeEntry.objects.filter(
        withdrawn_at__isnull=True, submission__state="certified"
    ).select_related("submission__platform", "submission__certification")
    return (
        Publication.objects.select_related("notice")
        .prefetch_related(
            Prefetch("notice__entries", queryset=certified, to_attr="certified_entries")
        )
        .order_by("-published_at")
    )


@extend_schema(tags=["public"], summary=_("Public notices with their lists and answers"), auth=[])
class NoticeListView(PublicView, generics.ListAPIView):
    serializer_class = s.NoticeSerializer
    pagination_class = None

    def get_queryset(self):
        return _notices()


@extend_schema(tags=["public"], summary=_("One public notice"), auth=[])
class NoticeDetailView(PublicView, generics.RetrieveAPIView):
    serializer_class = s.NoticeSerializer
    lookup_url_kwarg = "notice_id"

    def get_queryset(self):
        return _notices()


@extend_schema(
    tags=["public"],
    summary=_("File an objection to a listed platform during the notice period"),
    request={
        "multipart/form-data": s.ObjectionWriteSerializer,
        "application/json": s.ObjectionWriteSerializer,
    },
    responses={201: s.ObjectionSerializer},
    auth=[],
)
class ObjectionFileView(PublicView, ActionView):
    serializer_class = s.ObjectionWriteSerializer
    response_serializer_class = s.ObjectionSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def target(self, request, entry_id):
        return _found(NoticeEntry.objects.filter(pk=entry_id).first())

    def perform(self, entry, data):
        return services.objection_file(
            entry=entry,
            name=data["name"],
            phone=data["phone"],
            text=data["text"],
            organisation=data.get("organisation", ""),
            email=data.get("email", ""),
            files=self.request.FILES.getlist("file"),
        )


@extend_schema(
    tags=["programme"],
    summary=_("Answer an objection: upheld (back to review) or dismissed with a reason"),
    request=s.ObjectionAnswerSerializer,
    responses={200: s.ObjectionSerializer},
)
class ObjectionAnswerView(ActionView):
    serializer_class = s.ObjectionAnswerSerializer
    response_serializer_class = s.ObjectionSerializer
    response_status = status.HTTP_200_OK

    def target(self, request, objection_id):
        _require_official(request)
        return get_visible_or_404(
            Objection.objects.filter(
                entry__submission__in=visible_submissions(request.user).values("pk")
            ),
            pk=objection_id,
        )

    def perform(self, objection, data):
        return services.objection_answer(
            actor=self.request.user,
            objection=objection,
            upheld=data["upheld"],
            answer=data["answer"],
        )


@extend_schema(
    tags=["programme"],
    summary=_("Publish the final list of an ended notice under a decision number"),
    request=None,
    responses={201: s.PublicationSerializer},
)
class PublicationIssueView(ActionView):
    serializer_class = s.PublicationSerializer
    reads_body = False

    def target(self, request, notice_id):
        _require_official(request)
        return _found(PublicNotice.objects.filter(pk=notice_id).first())

    def perform(self, notice, data):
        publication = services.publication_issue(actor=self.request.user, notice=notice)
        return publications().get(pk=publication.pk)


@extend_schema(tags=["public"], summary=_("Published lists with their decision numbers"), auth=[])
class PublicationListView(PublicView, generics.ListAPIView):
    serializer_class = s.PublicationSerializer
    pagination_class = None

    def get_queryset(self):
        return publications()
