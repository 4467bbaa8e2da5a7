"""Offline filing: the questionnaire as an XLSX workbook (docs/offline_filing.md)."""

from django.urls import path

from assessment.views import offline_filing

urlpatterns = [
    path(
        "operator/submissions/<int:submission_id>/offline/",
        offline_filing.questionnaire_offline,
        name="operator_questionnaire_offline",
    ),
    path(
        "operator/submissions/<int:submission_id>/offline/questionnaire.xlsx",
        offline_filing.questionnaire_download,
        name="operator_questionnaire_xlsx",
    ),
]
