"""Annual monitoring (docs/monitoring.md): officials' pages and the operator's returns."""

from django.urls import path

from assessment.views import monitoring

urlpatterns = [
    path("monitoring/", monitoring.monitoring_home, name="monitoring"),
    path("monitoring/<int:year>/", monitoring.monitoring_window, name="monitoring_window"),
    path(
        "monitoring/returns/<int:return_id>/decide/",
        monitoring.monitoring_decide,
        name="monitoring_decide",
    ),
    path("operator/monitoring/", monitoring.operator_monitoring, name="operator_monitoring"),
    path(
        "operator/monitoring/<int:return_id>/",
        monitoring.operator_monitoring_return,
        name="operator_monitoring_return",
    ),
    path(
        "operator/monitoring/<int:return_id>/evidence/",
        monitoring.operator_monitoring_evidence,
        name="operator_monitoring_evidence",
    ),
    path(
        "monitoring/evidence/<int:evidence_id>/",
        monitoring.monitoring_evidence_download,
        name="monitoring_evidence_download",
    ),
]
