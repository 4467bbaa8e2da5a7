"""The regulator's dashboards (by GB/T 2260 region code), their exports, the peer benchmark."""

from django.urls import path, re_path

from assessment.views import dashboards

_CODE = r"(?P<code>\d{6})"
_EXPORT = r"export/(?P<chart>[a-z]+)\.(?P<fmt>csv|xlsx)"

urlpatterns = [
    path("dashboards/", dashboards.dashboard_national, name="dashboard_national"),
    re_path(rf"^dashboards/{_EXPORT}$", dashboards.dashboard_export, name="dashboard_export"),
    re_path(rf"^dashboards/{_CODE}/$", dashboards.dashboard_region, name="dashboard_region"),
    re_path(
        rf"^dashboards/{_CODE}/{_EXPORT}$",
        dashboards.dashboard_export,
        name="dashboard_region_export",
    ),
    path("benchmark/", dashboards.benchmark, name="benchmark"),
]
