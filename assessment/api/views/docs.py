"""The OpenAPI schema and its interactive documentation, served from the sidecar (no CDN)."""

from django.conf import settings
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularRedocView


class RedocView(SpectacularRedocView):
    """ReDoc without the web fonts drf-spectacular's own template loads from Google."""

    template_name = "assessment/api/redoc.html"


def redoc_view(**kwargs):
    """ReDoc parses the schema in a web worker it starts from a blob: URL; allow exactly that
    (the site-wide policy stays as it is everywhere else)."""
    policy = {**settings.SECURE_CSP, "worker-src": [CSP.SELF, "blob:"]}
    return csp_override(policy)(RedocView.as_view(**kwargs))
