"""URLs by area; each area's module lists its own paths."""

from django.urls import include, path

urlpatterns = [
    path("", include("assessment.urls.operator")),
    path("", include("assessment.urls.review")),
    path("", include("assessment.urls.dashboards")),
    path("", include("assessment.urls.reports")),
    path("", include("assessment.urls.panels")),
    path("", include("assessment.urls.offline_filing")),
    path("", include("assessment.urls.monitoring")),
    path("", include("assessment.urls.filing")),
    path("", include("assessment.urls.programme")),
    path("", include("assessment.urls.security")),
    path("api/v1/", include("assessment.urls.api")),
]
