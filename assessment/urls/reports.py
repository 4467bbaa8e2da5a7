from django.urls import path

from assessment.views import reports

urlpatterns = [
    path(
        "submissions/<int:submission_id>/report.pdf",
        reports.submission_report,
        name="submission_report",
    ),
    path(
        "submissions/<int:submission_id>/certificate.pdf",
        reports.submission_certificate,
        name="submission_certificate",
    ),
    path("verify/", reports.verify_report, name="verify_report"),
    path("v/<str:number>/", reports.verify_report_detail, name="verify_report_detail"),
    path("reports/regional.pdf", reports.regional_report, name="regional_report"),
    path("reports/batches/", reports.report_batches, name="report_batches"),
    path(
        "reports/batches/<int:batch_id>/status.json",
        reports.report_batch_status,
        name="report_batch_status",
    ),
    path(
        "reports/batches/<int:batch_id>/download/",
        reports.report_batch_download,
        name="report_batch_download",
    ),
]
