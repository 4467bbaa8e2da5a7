"""Schemathesis against our own OpenAPI schema, in-process through the WSGI app, with a token of
each role (API_FUZZ_ROLES, default all four): no 5xx, and every response matches the schema
(status, content type, body)."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.assessment.api_support import World, token_client

# Fuzzed once in CI, on PostgreSQL (README, Tests and CI).
pytestmark = pytest.mark.once

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def _keep_the_test_connection():
    """Schemathesis calls the WSGI application itself, whose request_finished signal would close
    the database connection (and with it the test's transaction); Django's test client
    disconnects that signal the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


ROLES = os.environ.get("API_FUZZ_ROLES", "operator,reviewer,regulator,admin").split(",")


@pytest.fixture(params=ROLES)
def operator_token(request, db, settings, _keep_the_test_connection):
    """A token of the role under test (named for the operator, the first and default role)."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": None, "user": None, "anon": None},
    }
    settings.EVIDENCE_UPLOADS_PER_MINUTE = 10_000
    world = World()
    client = token_client(world.users[request.param])
    return client._credentials["HTTP_AUTHORIZATION"]


# Loaded at import: serving the schema needs no database. (schemathesis.pytest.from_fixture
# would load it per test, but it does not work with pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("API_FUZZ_EXAMPLES", "15")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(case, operator_token):
    case.call_and_validate(headers={"Authorization": operator_token}, checks=CHECKS)
