"""The OpenAPI schema and its interactive documentation, served from the sidecar (no CDN)."""

from drf_spectacular.views import SpectacularRedocView


class RedocView(SpectacularRedocView):
    """ReDoc without the web fonts drf-spectacular's own template loads from Google."""

    template_name = "assessment/api/redoc.html"
