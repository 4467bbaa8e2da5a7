"""Sign-in lock-out (django-axes, in the database) on the site and the Django admin, the
warning before it, and the client address behind trusted proxies."""

import pytest
from django.test import RequestFactory, override_settings

from assessment.client_ip import client_ip
from assessment.models import AuditEvent, AuditKind
from tests.factories import PASSWORD, admin, operator

pytestmark = pytest.mark.django_db


def _sign_in(client, email, password, path="/accounts/login/"):
    field = {"username": email, "password": password}
    return client.post(path, field, REMOTE_ADDR="203.0.113.7")


@override_settings(AXES_FAILURE_LIMIT=5)
def test_site_sign_in_locks_after_the_limit_even_with_the_right_password(client):
    user = operator()
    for _ in range(4):
        assert _sign_in(client, user.email, "wrong-password-1").status_code == 200
    # The fifth failure is the limit: from then on even the right password is refused.
    assert _sign_in(client, user.email, "wrong-password-1").status_code == 429
    response = _sign_in(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-in attempts" in response.content.decode() or "次数过多" in (
        response.content.decode()
    )


@override_settings(AXES_FAILURE_LIMIT=5)
def test_admin_sign_in_locks_after_the_limit(client):
    """Hole 1: 25 wrong passwords, then the right one, went straight into the admin."""
    superuser = admin()
    for _ in range(25):
        _sign_in(client, superuser.email, "wrong-password-1", path="/admin/login/")
    response = _sign_in(client, superuser.email, PASSWORD, path="/admin/login/")
    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302  # still signed out


@override_settings(AXES_FAILURE_LIMIT=5)
def test_the_sign_in_page_warns_how_many_attempts_are_left(client):
    user = operator()
    client.cookies["django_language"] = "en"
    _sign_in(client, user.email, "nope-nope-1")
    response = _sign_in(client, user.email, "nope-nope-1")
    text = response.content.decode()
    assert "3 attempts left" in text
    response = _sign_in(client, user.email, "nope-nope-1")
    assert "2 attempts left" in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_successful_sign_in_resets_the_count(client):
    user = operator()
    _sign_in(client, user.email, "wrong-1-Aa")
    _sign_in(client, user.email, "wrong-1-Aa")
    assert _sign_in(client, user.email, PASSWORD).status_code == 302
    client.logout()
    _sign_in(client, user.email, "wrong-1-Aa")
    _sign_in(client, user.email, "wrong-1-Aa")
    assert _sign_in(client, user.email, PASSWORD).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=2)
def test_failures_and_the_lockout_are_in_the_audit_trail(client):
    user = operator()
    _sign_in(client, user.email, "wrong-1-Aa")
    _sign_in(client, user.email, "wrong-1-Aa")
    kinds = list(AuditEvent.objects.values_list("kind", flat=True))
    assert kinds.count(AuditKind.SIGN_IN_FAILED) == 2
    assert AuditKind.LOCKOUT in kinds
    event = AuditEvent.objects.filter(kind=AuditKind.LOCKOUT).get()
    assert event.subject == user.email
    assert event.ip_address == "203.0.113.7"


def test_sign_in_and_out_are_recorded_with_the_address(client):
    user = operator()
    assert _sign_in(client, user.email, PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    kinds = list(AuditEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [AuditKind.SIGN_IN, AuditKind.SIGN_OUT]
    user.refresh_from_db()
    assert user.last_login_ip == "203.0.113.7"


# --- The client address --------------------------------------------------------------------------


def _request(remote="10.0.0.2", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_trusted_proxies_a_forwarded_header_is_ignored():
    assert client_ip(_request(forwarded="198.51.100.9")) == "10.0.0.2"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_client_is_the_address_it_saw():
    assert client_ip(_request(forwarded="198.51.100.9")) == "198.51.100.9"
    # A client-written entry further left is not believed.
    assert client_ip(_request(forwarded="1.2.3.4, 198.51.100.9")) == "198.51.100.9"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies():
    assert client_ip(_request(forwarded="6.6.6.6, 198.51.100.9, 10.0.0.1")) == "198.51.100.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_garbage_in_the_header_falls_back_to_the_remote_address():
    assert client_ip(_request(forwarded="not-an-address")) == "10.0.0.2"


def test_the_anonymous_api_throttle_ignores_a_client_sent_forwarded_header(client, settings):
    """Hole 3: a new X-Forwarded-For per request used to buy a fresh anonymous budget."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": None, "user": None, "anon": "2/min"},
    }
    statuses = [
        client.get("/api/v1/public/register/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]
