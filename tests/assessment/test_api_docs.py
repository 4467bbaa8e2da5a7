"""The OpenAPI 3 schema and the interactive documentation, served without any CDN."""

import re

import pytest
import yaml
from django.test import Client

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"""(?:src|href)=["'](?:https?:)?//""")


def test_the_schema_is_openapi_3_and_lists_every_area():
    response = Client().get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in (
        "/api/v1/submissions/{id}/answers/",
        "/api/v1/submissions/{id}/evidence/files/",
        "/api/v1/submissions/{id}/score/",
        "/api/v1/submissions/{id}/decisions/",
        "/api/v1/certifications/{certification_id}/sign-off/",
        "/api/v1/dashboards/",
        "/api/v1/report-batches/",
        "/api/v1/public/register/",
        "/api/v1/public/verify/{number}/",
    ):
        assert path in paths


def test_every_operation_documents_the_error_body():
    schema = yaml.safe_load(Client().get("/api/v1/schema/").content)
    for path_item in schema["paths"].values():
        for operation in path_item.values():
            for status in ("400", "401", "403", "404", "429"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Error"}


def test_the_schema_declares_the_token_scheme():
    schema = yaml.safe_load(Client().get("/api/v1/schema/").content)
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["tokenAuth"]["description"],
    }


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_schema_is_served_in_both_languages(language):
    response = Client().get(f"/api/v1/schema/?lang={language}")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_docs_load_nothing_from_other_sites(path):
    response = Client().get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert not EXTERNAL.search(html), html
    assert "fonts.googleapis" not in html
    assert "/static/drf_spectacular_sidecar/" in html


def test_swagger_ui_starts_from_a_script_file_not_inline():
    html = Client().get("/api/v1/docs/").content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts
    assert all("src=" in attributes and not body.strip() for attributes, body in scripts)
