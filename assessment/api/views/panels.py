"""Expert panels and on-site checks over the API: the same services as the web pages, the
same rules (roles, scope, blind scoring, avoidance, separation of duties)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from assessment.errors import ApplicationError, NotFound
from assessment.models import (
    ExpertScore,
    PanelSubmission,
    Role,
    SiteCheck,
    SiteCheckItem,
    Submission,
    User,
)
from assessment.permissions import visible_submissions
from assessment.selectors import panels as selectors
from assessment.services import panels as services
from assessment.services import site_checks as site_services


def _not_found() -> NotFound:
    return NotFound("not_found", _("That page does not exist or you may not see it."))


def _panel(request, panel_id: int):
    panel = selectors.panel_for_screen(request.user, panel_id)
    if panel is None:
        raise _not_found()
    return panel


def _person(user: User) -> dict:
    return {"id": user.pk, "name": str(user)}


def _panel_summary(row: selectors.PanelRow) -> dict:
    panel = row.panel
    return {
        "id": panel.pk,
        "level": panel.level,
        "province": panel.province_id or None,
        "size": panel.size,
        "state": panel.state,
        "formed_at": panel.formed_at.isoformat(),
        "submissions": row.entries,
        "scores_submitted": row.submitted,
        "scores_expected": row.expected,
    }


def _panel_body(screen: selectors.PanelScreen) -> dict:
    panel = screen.panel
    entries = []
    for view in screen.entries:
        entry = {
            "id": view.entry.pk,
            "submission": view.submission.pk,
            "platform": view.submission.platform.name,
            "tier": view.entry.tier,
            "state": view.submission.state,
            "scores_submitted": view.submitted,
            "scores_expected": view.expected,
            "revealed": view.revealed,
            "defences": [
                {
                    "held_on": d.held_on.isoformat(),
                    "attendees": d.attendees,
                    "notes": d.notes,
                }
                for d in view.defences
            ],
        }
        if view.my_score is not None:
            entry["my_score"] = _score_body(view.my_score)
        if view.revealed:
            entry["result"] = view.result
            entry["progress_index"] = view.progress_index
            entry["experts"] = [
                {
                    "name": column.name,
                    "result": column.result,
                    "progress_index": column.progress_index,
                    "recommended_tier": column.recommended,
                    "comment": column.comment,
                }
                for column in view.experts
            ]
            entry["indicators"] = [
                {
                    "code": line.code,
                    "decisions": [cell.decision for cell in line.cells],
                    "disagreement": line.disagreement,
                    "majority": line.majority.decision if line.majority else None,
                    "tie": line.tie,
                }
                for line in view.lines
            ]
            entry["criteria"] = [
                {"indicator": c.code, "tier": c.tier, "s": c.s, "v": c.v, "e": c.e,
                 "reason": c.reason}
                for c in view.criteria
            ]  # fmt: skip
        entries.append(entry)
    body = {
        "id": panel.pk,
        "level": panel.level,
        "province": panel.province_id or None,
        "size": panel.size,
        "seed": str(panel.seed),
        "state": panel.state,
        "formed_by": _person(panel.formed_by),
        "formed_at": panel.formed_at.isoformat(),
        "lead": _person(panel.lead),
        "members": [_person(member.expert) for member in screen.members],
        "opinion": panel.opinion,
        "concluded_at": panel.concluded_at.isoformat() if panel.concluded_at else None,
        "entries": entries,
    }
    if not screen.is_member:
        body["draw"] = panel.draw
    return body


def _score_body(expert_score: ExpertScore) -> dict:
    return {
        "decisions": expert_score.decisions,
        "recommended_tier": expert_score.recommended_tier,
        "comment": expert_score.comment,
        "submitted_at": expert_score.submitted_at.isoformat()
        if expert_score.submitted_at
        else None,
    }


# The largest id a row can have (SQLite and PostgreSQL bigint): larger ones are a 400, not an
# overflow (500).
ID_MAX = 2**63 - 1


class PanelFormSerializer(serializers.Serializer):
    submissions = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX), allow_empty=False
    )
    size = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    seed = serializers.IntegerField(min_value=0, max_value=ID_MAX, required=False, allow_null=True)
    named_experts = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX), required=False, default=list
    )


class ExpertScoreSerializer(serializers.Serializer):
    decisions = serializers.DictField(child=serializers.JSONField())
    recommended_tier = serializers.CharField(required=False, allow_blank=True, default="")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    submit = serializers.BooleanField(required=False, default=False)


class OpinionSerializer(serializers.Serializer):
    opinion = serializers.CharField(allow_blank=True)


class DefenceSerializer(serializers.Serializer):
    submission = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    held_on = serializers.DateField()
    attendees = serializers.CharField(allow_blank=True)
    notes = serializers.CharField(allow_blank=True)


class SiteCheckOpenSerializer(serializers.Serializer):
    submission = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    checked_on = serializers.DateField(required=False, allow_null=True)
    inspectors = serializers.CharField(required=False, allow_blank=True, default="")


class FindingSerializer(serializers.Serializer):
    status = serializers.CharField()
    finding = serializers.CharField(required=False, allow_blank=True, default="")


class VerdictSerializer(serializers.Serializer):
    verdict = serializers.CharField()
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class SiteCheckFileSerializer(serializers.Serializer):
    file = serializers.FileField()
    item = serializers.IntegerField(min_value=0, max_value=ID_MAX, required=False, allow_null=True)


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema(tags=["panels"])
class PanelsView(APIView):
    @extend_schema(
        operation_id="panels_list",
        summary=_("The panels you sit on or run"),
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        return Response(
            {"results": [_panel_summary(r) for r in selectors.panel_rows(request.user)]}
        )

    @extend_schema(
        summary=_("Form a panel: an odd number of experts drawn at random with avoidance"),
        request=PanelFormSerializer,
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        data = _valid(PanelFormSerializer, request)
        ids = set(data["submissions"])
        submissions = list(visible_submissions(request.user).filter(pk__in=ids))
        if len(submissions) != len(ids):
            raise _not_found()
        named = list(User.objects.filter(pk__in=data["named_experts"]))
        if len(named) != len(set(data["named_experts"])):
            raise ApplicationError(
                "unknown_expert", _("There is no expert with this id."), field="named_experts"
            )
        by_id = {user.pk: user for user in named}
        panel = services.panel_form(
            actor=request.user,
            submissions=submissions,
            size=data["size"],
            seed=data.get("seed"),
            named_experts=[by_id[pk] for pk in data["named_experts"]],
        )
        screen = selectors.panel_screen(user=request.user, panel=_panel(request, panel.pk))
        return Response(_panel_body(screen), status=status.HTTP_201_CREATED)


@extend_schema(tags=["panels"])
class PanelView(APIView):
    @extend_schema(
        summary=_("A panel: members, progress, and once all have scored the side-by-side view"),
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, panel_id):
        screen = selectors.panel_screen(user=request.user, panel=_panel(request, panel_id))
        return Response(_panel_body(screen))


@extend_schema(tags=["panels"])
class ExpertScoreView(APIView):
    @extend_schema(
        summary=_("Your own scores for one submission on your panel"),
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, panel_id, entry_id):
        entry = selectors.entry_for_expert(request.user, panel_id, entry_id)
        if entry is None:
            raise _not_found()
        mine = ExpertScore.objects.filter(entry=entry, expert=request.user).first()
        return Response(_score_body(mine) if mine else {"decisions": {}, "submitted_at": None})

    @extend_schema(
        summary=_("Save or submit your decisions per indicator, recommended tier and comment"),
        request=ExpertScoreSerializer,
        responses={200: OpenApiTypes.OBJECT},
    )
    def post(self, request, panel_id, entry_id):
        entry = selectors.entry_for_expert(request.user, panel_id, entry_id)
        if entry is None or request.user.role != Role.EXPERT:
            raise _not_found()
        data = _valid(ExpertScoreSerializer, request)
        saved = services.expert_score_save(
            actor=request.user,
            entry=entry,
            decisions=data["decisions"],
            recommended_tier=data["recommended_tier"],
            comment=data["comment"],
            submit=data["submit"],
        )
        return Response(_score_body(saved))


@extend_schema(tags=["panels"])
class PanelOpinionView(APIView):
    @extend_schema(
        summary=_("The panel lead writes the panel opinion"),
        request=OpinionSerializer,
        responses={200: OpenApiTypes.OBJECT},
    )
    def post(self, request, panel_id):
        panel = _panel(request, panel_id)
        data = _valid(OpinionSerializer, request)
        services.panel_write_opinion(actor=request.user, panel=panel, opinion=data["opinion"])
        return Response(
            _panel_body(selectors.panel_screen(user=request.user, panel=_panel(request, panel_id)))
        )


@extend_schema(tags=["panels"])
class PanelDefenceView(APIView):
    @extend_schema(
        summary=_("Record a defence session"),
        request=DefenceSerializer,
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request, panel_id):
        panel = _panel(request, panel_id)
        data = _valid(DefenceSerializer, request)
        entry = (
            PanelSubmission.objects.filter(panel=panel, submission_id=data["submission"])
            .select_related("submission")
            .first()
        )
        if entry is None:
            raise _not_found()
        defence = services.defence_record(
            actor=request.user,
            panel=panel,
            submission=entry.submission,
            held_on=data["held_on"],
            attendees=data["attendees"],
            notes=data["notes"],
        )
        return Response(
            {"id": defence.pk, "held_on": defence.held_on.isoformat()},
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["panels"])
class PanelConcludeView(APIView):
    @extend_schema(
        summary=_("Conclude the panel: each submission gets the panel's result and moves on"),
        request=None,
        responses={200: OpenApiTypes.OBJECT},
    )
    def post(self, request, panel_id):
        panel = _panel(request, panel_id)
        services.panel_conclude(actor=request.user, panel=panel)
        return Response(
            _panel_body(selectors.panel_screen(user=request.user, panel=_panel(request, panel_id)))
        )


# --- On-site checks ------------------------------------------------------------------------------


def _site_check(request, site_check_id: int) -> SiteCheck:
    site_check = selectors.site_check_for_screen(request.user, site_check_id)
    if site_check is None:
        raise _not_found()
    return site_check


def _site_check_body(site_check: SiteCheck) -> dict:
    return {
        "id": site_check.pk,
        "submission": site_check.submission_id,
        "tier": site_check.tier,
        "checked_on": site_check.checked_on.isoformat() if site_check.checked_on else None,
        "inspectors": site_check.inspectors,
        "verdict": site_check.verdict,
        "summary": site_check.summary,
        "items": [
            {
                "id": item.pk,
                "code": item.question_code,
                "kind": item.kind,
                "declared": item.declared,
                "target": item.target,
                "status": item.status,
                "finding": item.finding,
            }
            for item in site_check.items.all()
        ],
        "files": [
            {
                "id": attachment.pk,
                "item": attachment.item_id,
                "name": attachment.original_name,
                "content_type": attachment.content_type,
                "sha256": attachment.sha256,
            }
            for attachment in site_check.files.all()
        ],
    }


@extend_schema(tags=["site-checks"])
class SiteChecksView(APIView):
    @extend_schema(
        operation_id="site_checks_list",
        summary=_("Submissions waiting for an on-site check, and the checks so far"),
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        waiting, checks = selectors.site_check_queue(request.user)
        return Response(
            {
                "waiting": [{"submission": s.pk, "platform": s.platform.name} for s in waiting],
                "checks": [
                    {"id": c.pk, "submission": c.submission_id, "verdict": c.verdict}
                    for c in checks
                ],
            }
        )

    @extend_schema(
        summary=_("Open an on-site check; its checklist comes from the tier's gates and numbers"),
        request=SiteCheckOpenSerializer,
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        data = _valid(SiteCheckOpenSerializer, request)
        submission = visible_submissions(request.user).filter(pk=data["submission"]).first()
        if submission is None or request.user.role not in (Role.REVIEWER,):
            raise _not_found()
        site_check = site_services.site_check_open(
            actor=request.user,
            submission=Submission.objects.get(pk=submission.pk),
            checked_on=data.get("checked_on"),
            inspectors=data["inspectors"],
        )
        return Response(
            _site_check_body(_site_check(request, site_check.pk)), status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["site-checks"])
class SiteCheckView(APIView):
    @extend_schema(
        summary=_("An on-site check with its checklist"), responses={200: OpenApiTypes.OBJECT}
    )
    def get(self, request, site_check_id):
        return Response(_site_check_body(_site_check(request, site_check_id)))


@extend_schema(tags=["site-checks"])
class SiteCheckItemView(APIView):
    @extend_schema(
        summary=_("Record the finding on one checklist item"),
        request=FindingSerializer,
        responses={200: OpenApiTypes.OBJECT},
    )
    def post(self, request, site_check_id, item_id):
        site_check = _site_check(request, site_check_id)
        item = SiteCheckItem.objects.filter(site_check=site_check, pk=item_id).first()
        if item is None:
            raise _not_found()
        data = _valid(FindingSerializer, request)
        site_services.site_check_record_finding(
            actor=request.user, item=item, status=data["status"], finding=data["finding"]
        )
        return Response(_site_check_body(_site_check(request, site_check_id)))


@extend_schema(tags=["site-checks"])
class SiteCheckFilesView(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        summary=_("Attach a photo or document (checked like evidence)"),
        request={"multipart/form-data": SiteCheckFileSerializer},
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request, site_check_id):
        site_check = _site_check(request, site_check_id)
        data = _valid(SiteCheckFileSerializer, request)
        item = None
        if data.get("item"):
            item = SiteCheckItem.objects.filter(site_check=site_check, pk=data["item"]).first()
            if item is None:
                raise _not_found()
        attachment = site_services.site_check_attach(
            actor=request.user, site_check=site_check, uploaded_file=data["file"], item=item
        )
        return Response(
            {"id": attachment.pk, "sha256": attachment.sha256, "name": attachment.original_name},
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["site-checks"])
class SiteCheckVerdictView(APIView):
    @extend_schema(
        summary=_("The verdict: passed goes to public notice, failed back to the panel"),
        request=VerdictSerializer,
        responses={200: OpenApiTypes.OBJECT},
    )
    def post(self, request, site_check_id):
        site_check = _site_check(request, site_check_id)
        data = _valid(VerdictSerializer, request)
        site_services.site_check_decide(
            actor=request.user,
            site_check=site_check,
            verdict=data["verdict"],
            summary=data["summary"],
        )
        return Response(_site_check_body(_site_check(request, site_check_id)))
