"""Reports over the API: the evaluation report PDF, regional reports and report batches,
through the same services and scope as the web's report pages."""

from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response

from assessment.api.serializers import ReportBatchRequestSerializer, ReportBatchSerializer
from assessment.errors import ApplicationError, NotFound, PermissionDenied
from assessment.models import AssessmentCycle
from assessment.permissions import get_visible_or_404, visible_submissions
from assessment.selectors import reports as report_selectors
from assessment.services import reports as report_services
from assessment.services.report_batches import batch_is_downloadable

_LANG = OpenApiParameter(
    "lang",
    str,
    enum=["zh-hans", "en"],
    description=_("The report's language; default: the caller's language."),
)
_PDF = {(200, "application/pdf"): OpenApiTypes.BINARY}


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _require_regulator(user) -> None:
    if not report_selectors.can_request_regional_reports(user):
        raise PermissionDenied(
            "not_regulator", _("Only regulators may request regional reports and batches.")
        )


@extend_schema(
    tags=["reports"],
    summary=_("The submission's evaluation report (PDF with a report number to verify)"),
    parameters=[_LANG],
    responses=_PDF,
)
class SubmissionReportView(generics.GenericAPIView):
    def get(self, request, pk):
        scoped = report_selectors.report_submission_queryset().filter(
            pk__in=visible_submissions(request.user).values("pk")
        )
        submission = get_visible_or_404(scoped, pk=pk)
        report, pdf = report_services.submission_report_pdf(
            submission=submission,
            language=request.query_params.get("lang") or request.LANGUAGE_CODE,
            user=request.user,
        )
        return _pdf_response(pdf, report_services.report_filename(report, submission))


@extend_schema(
    tags=["reports"],
    summary=_("A regional (or national) report for a cycle, as PDF (regulators)"),
    parameters=[
        OpenApiParameter("cycle", str, required=True, description=_("A cycle code.")),
        OpenApiParameter(
            "region",
            str,
            pattern=r"^[0-9]{6}$",
            description=_("A region in your scope; leave out for the nation (national scope)."),
        ),
        _LANG,
    ],
    responses=_PDF,
)
class RegionalReportView(generics.GenericAPIView):
    def get(self, request):
        _require_regulator(request.user)
        cycle = AssessmentCycle.objects.filter(code=request.query_params.get("cycle", "")).first()
        if cycle is None:
            raise ApplicationError("invalid", _("Choose a cycle by its code."), field="cycle")
        region = report_services.regional_report_region(
            user=request.user, region_code=request.query_params.get("region", "")
        )
        pdf = report_services.regional_report_pdf(
            cycle=cycle,
            region=region,
            language=request.query_params.get("lang") or request.LANGUAGE_CODE,
        )
        name = f"regional-report-{cycle.code}-{region.code if region else 'national'}.pdf"
        return _pdf_response(pdf, name)


@extend_schema_view(
    get=extend_schema(tags=["reports"], summary=_("Your report batches (regulators)")),
    post=extend_schema(
        tags=["reports"],
        summary=_("Queue a ZIP of every report of a region and cycle"),
        request=ReportBatchRequestSerializer,
        responses={202: ReportBatchSerializer},
    ),
)
class ReportBatchesView(generics.ListAPIView):
    serializer_class = ReportBatchSerializer
    filter_backends = []

    def get_queryset(self):
        _require_regulator(self.request.user)
        return report_selectors.visible_batches(self.request.user).select_related("cycle")

    def post(self, request):
        _require_regulator(request.user)
        serializer = ReportBatchRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        region = (
            report_selectors.batch_regions(request.user)
            .filter(code=serializer.validated_data["region"])
            .first()
        )
        if region is None:
            raise ApplicationError(
                "region_out_of_scope",
                _("This region is outside your responsibility."),
                field="region",
            )
        batch = report_services.report_batch_request(
            user=request.user,
            region=region,
            cycle=serializer.validated_data["cycle"],
            language=serializer.validated_data["lang"],
        )
        return Response(
            ReportBatchSerializer(batch, context=self.get_serializer_context()).data,
            status=status.HTTP_202_ACCEPTED,
        )


def _batch_in_scope(request, batch_id: int):
    _require_regulator(request.user)
    return get_visible_or_404(
        report_selectors.visible_batches(request.user).select_related("cycle"), pk=batch_id
    )


@extend_schema(tags=["reports"], summary=_("One report batch: status and progress"))
class ReportBatchView(generics.RetrieveAPIView):
    serializer_class = ReportBatchSerializer

    def get_object(self):
        return _batch_in_scope(self.request, self.kwargs["batch_id"])


@extend_schema(
    tags=["reports"],
    summary=_("Download a finished batch (ZIP)"),
    responses={(200, "application/zip"): OpenApiTypes.BINARY},
)
class ReportBatchDownloadView(generics.GenericAPIView):
    def get(self, request, batch_id):
        batch = _batch_in_scope(request, batch_id)
        if not batch_is_downloadable(batch):  # housekeeping deletes expired ZIPs
            raise NotFound("batch_not_ready", _("This batch has no ZIP to download (yet)."))
        return FileResponse(
            batch.zip_file.open("rb"),
            as_attachment=True,
            filename=report_services.batch_download_name(batch),
            content_type="application/zip",
        )
