"""The programme over the API (docs/programme.md): calls, quotas, the pipeline, spot checks,
recommendations, formal checks, notices, objections and publications. Each endpoint calls the
service the web calls, with the same rules and permissions; public reads need no sign-in."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from assessment.api import serializers_programme as s
from assessment.api.views.submissions import submission_in_scope
from assessment.errors import ApplicationError, NotFound
from assessment.models import (
    CallForApplications,
    NoticeEntry,
    Objection,
    Publication,
    PublicNotice,
    Recommendation,
)
from assessment.permissions import get_visible_or_404, visible_submissions
from assessment.selectors import programme as selectors
from assessment.services import programme as services
from assessment.views.programme import _is_official


def _require_official(request) -> None:
    if not _is_official(request.user):
        raise NotFound("not_found", _("That page does not exist or you may not see it."))


def _call(request, call_id: int):
    _require_official(request)
    return get_visible_or_404(selectors.calls_for(request.user), pk=call_id)


class PublicView(generics.GenericAPIView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]


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
class SpotCheckView(generics.GenericAPIView):
    queryset = CallForApplications.objects.none()
    serializer_class = s.ProvinceSerializer

    def post(self, request, call_id):
        call = _call(request, call_id)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draw = services.spot_check_draw(
            actor=request.user,
            call=call,
            province_code=serializer.validated_data.get("province") or None,
        )
        return Response(s.SpotCheckDrawSerializer(draw).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["programme"], summary=_("The call's signed recommendations"))
class RecommendationsView(generics.ListCreateAPIView):
    serializer_class = s.RecommendationSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Recommendation.objects.none()
        call = _call(self.request, self.kwargs["call_id"])
        recommendations = call.recommendations.select_related("signed_by").prefetch_related(
            "entries"
        )
        provinces = selectors.provinces_of(self.request.user)
        if not self.request.user.is_national and not self.request.user.is_admin:
            recommendations = recommendations.filter(region_id__in=provinces)
        return recommendations

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
class FormalCheckView(generics.GenericAPIView):
    serializer_class = s.FormalCheckWriteSerializer

    def post(self, request, pk):
        submission = submission_in_scope(request, pk)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        check = services.formal_check_decide(
            actor=request.user,
            submission=submission,
            complete=serializer.validated_data["complete"],
            eligible=serializer.validated_data["eligible"],
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(s.FormalCheckSerializer(check).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["programme"],
    summary=_("State the tier applied for (operators, drafts under a call)"),
    request=s.TierAppliedSerializer,
    responses={200: s.TierAppliedSerializer},
)
class TierAppliedView(generics.GenericAPIView):
    serializer_class = s.TierAppliedSerializer

    def post(self, request, pk):
        submission = submission_in_scope(request, pk)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.tier_apply(
            actor=request.user, submission=submission, tier=serializer.validated_data["tier"]
        )
        return Response({"tier": serializer.validated_data["tier"]})


@extend_schema(
    tags=["programme"],
    summary=_("Publish the public notice of the proposed list at your level"),
    request=s.ProvinceSerializer,
    responses={201: s.NoticeSerializer},
)
class NoticePublishView(generics.GenericAPIView):
    queryset = CallForApplications.objects.none()
    serializer_class = s.ProvinceSerializer

    def post(self, request, call_id):
        call = _call(request, call_id)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notice = services.notice_publish(
            actor=request.user,
            call=call,
            province_code=serializer.validated_data.get("province") or None,
        )
        return Response(s.NoticeSerializer(notice).data, status=status.HTTP_201_CREATED)


def _notices():
    return PublicNotice.objects.prefetch_related(
        "entries__submission__platform__organisation", "entries__objections"
    ).order_by("-published_at")


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
class ObjectionFileView(PublicView):
    serializer_class = s.ObjectionWriteSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def post(self, request, entry_id):
        entry = NoticeEntry.objects.filter(pk=entry_id).first()
        if entry is None:
            raise NotFound("not_found", _("That page does not exist or you may not see it."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        objection = services.objection_file(
            entry=entry,
            name=data["name"],
            phone=data["phone"],
            text=data["text"],
            organisation=data.get("organisation", ""),
            email=data.get("email", ""),
            files=request.FILES.getlist("file"),
        )
        return Response(s.ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["programme"],
    summary=_("Answer an objection: upheld (back to review) or dismissed with a reason"),
    request=s.ObjectionAnswerSerializer,
    responses={200: s.ObjectionSerializer},
)
class ObjectionAnswerView(generics.GenericAPIView):
    serializer_class = s.ObjectionAnswerSerializer

    def post(self, request, objection_id):
        _require_official(request)
        objection = get_visible_or_404(
            Objection.objects.filter(
                entry__submission__in=visible_submissions(request.user).values("pk")
            ),
            pk=objection_id,
        )
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answered = services.objection_answer(
            actor=request.user,
            objection=objection,
            upheld=serializer.validated_data["upheld"],
            answer=serializer.validated_data["answer"],
        )
        return Response(s.ObjectionSerializer(answered).data)


@extend_schema(
    tags=["programme"],
    summary=_("Publish the final list of an ended notice under a decision number"),
    request=None,
    responses={201: s.PublicationSerializer},
)
class PublicationIssueView(generics.GenericAPIView):
    serializer_class = s.PublicationSerializer

    def post(self, request, notice_id):
        _require_official(request)
        notice = PublicNotice.objects.filter(pk=notice_id).first()
        if notice is None:
            raise NotFound("not_found", _("That page does not exist or you may not see it."))
        publication = services.publication_issue(actor=request.user, notice=notice)
        return Response(s.PublicationSerializer(publication).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["public"], summary=_("Published lists with their decision numbers"), auth=[])
class PublicationListView(PublicView, generics.ListAPIView):
    serializer_class = s.PublicationSerializer
    pagination_class = None

    def get_queryset(self):
        return Publication.objects.select_related("notice").order_by("-published_at")
