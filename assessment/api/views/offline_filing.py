"""The questionnaire as an XLSX workbook over the API: download, and upload of the filled file,
with the rules of assessment.services.offline_filing (the same as the commands and the web)."""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from assessment.api.views.submissions import submission_in_scope
from assessment.services.offline_filing import (
    XLSX_CONTENT_TYPE,
    questionnaire_import,
    questionnaire_xlsx,
    xlsx_filename,
)


class QuestionnaireUploadSerializer(serializers.Serializer):
    file = serializers.FileField(use_url=False, help_text=_("The filled XLSX workbook."))
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text=_("Check the file and list the changes only.")
    )


_CHANGES = inline_serializer(
    "QuestionnaireImportResult",
    {
        "dry_run": serializers.BooleanField(),
        "changes": inline_serializer(
            "QuestionnaireImportChange",
            {
                "cell": serializers.CharField(),
                "question_code": serializers.CharField(),
                "old_value": serializers.JSONField(),
                "new_value": serializers.JSONField(),
            },
            many=True,
        ),
    },
)


class QuestionnaireXlsxView(generics.GenericAPIView):
    parser_classes = [MultiPartParser]
    serializer_class = QuestionnaireUploadSerializer

    @extend_schema(
        tags=["submissions"],
        summary=_("The questionnaire as an XLSX workbook to fill offline (Excel, WPS)"),
        parameters=[
            OpenApiParameter(
                "lang",
                str,
                enum=["zh-hans", "en"],
                description=_("The workbook's language; default: the caller's language."),
            )
        ],
        responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
    )
    def get(self, request, pk):
        submission = submission_in_scope(request, pk)
        language = request.query_params.get("lang") or request.LANGUAGE_CODE
        response = HttpResponse(
            questionnaire_xlsx(submission=submission, language=language),
            content_type=XLSX_CONTENT_TYPE,
        )
        response["Content-Disposition"] = f'attachment; filename="{xlsx_filename(submission)}"'
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(
        tags=["submissions"],
        summary=_("Upload a filled questionnaire workbook: all answers or none"),
        description=_(
            "Every problem is listed in errors, with the cell (D1!E7) as field; nothing is "
            "stored unless the whole file is valid. Answers changed since the download are "
            "conflicts (409)."
        ),
        request={"multipart/form-data": QuestionnaireUploadSerializer},
        responses={200: _CHANGES},
    )
    def post(self, request, pk):
        submission = submission_in_scope(request, pk)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dry_run = serializer.validated_data["dry_run"]
        result = questionnaire_import(
            actor=request.user,
            submission=submission,
            content=serializer.validated_data["file"].read(),
            dry_run=dry_run,
        )
        return Response(
            {
                "dry_run": dry_run,
                "changes": [
                    {
                        "cell": change.cell,
                        "question_code": change.question_code,
                        "old_value": change.old_value,
                        "new_value": change.new_value,
                    }
                    for change in result.changes
                ],
            }
        )
