"""Three documented security behaviours (docs/security.md, README): API tokens expire after
API_TOKEN_DAYS; password-reset mails are limited per address and per client address
(PASSWORD_RESET_PER_HOUR, PASSWORD_RESET_PER_HOUR_PER_ADDRESS) without telling whether an
account exists; creating and using a token is in the security audit trail, without its key."""

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db.models import F
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assessment.models import ApiToken, AuditEvent, AuditKind
from assessment.services.tokens import LAST_USED_RESOLUTION, api_token_create
from tests.factories import operator

pytestmark = pytest.mark.django_db

KEY_PATTERN = re.compile(r"pma_[A-Za-z0-9_-]{43}")
ME = "/api/v1/me/"


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def age_token(token: ApiToken, by: timedelta) -> None:
    """As if the token had been created `by` earlier: its creation and expiry move back."""
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=F("created_at") - by, expires_at=F("expires_at") - by
    )


# --- 1. API tokens expire after API_TOKEN_DAYS --------------------------------------------------


def test_a_new_token_expires_api_token_days_after_its_creation(settings):
    settings.API_TOKEN_DAYS = 7
    token = api_token_create(user=operator(), name="ERP").token
    token.refresh_from_db()
    lifetime = token.expires_at - token.created_at
    assert abs(lifetime - timedelta(days=7)) < timedelta(seconds=5)


def test_a_fresh_token_works():
    user = operator()
    created = api_token_create(user=user, name="ERP")
    response = bearer(created.key).get(ME)
    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_a_token_just_short_of_api_token_days_old_still_works(settings):
    created = api_token_create(user=operator(), name="ERP")
    age_token(created.token, timedelta(days=settings.API_TOKEN_DAYS) - timedelta(minutes=5))
    assert bearer(created.key).get(ME).status_code == 200


def test_a_token_older_than_api_token_days_is_refused_in_the_api_error_format(settings):
    created = api_token_create(user=operator(), name="ERP")
    age_token(created.token, timedelta(days=settings.API_TOKEN_DAYS, minutes=1))
    response = bearer(created.key).get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    body = response.json()
    assert set(body) == {"code", "message", "field"}
    assert body["code"] == "invalid_token"
    assert body["field"] == ""
    assert body["message"]


def test_the_lifetime_follows_the_setting(settings):
    settings.API_TOKEN_DAYS = 2
    created = api_token_create(user=operator(), name="ERP")
    age_token(created.token, timedelta(days=2, minutes=1))
    assert bearer(created.key).get(ME).status_code == 401


def test_an_expired_token_records_no_use():
    created = api_token_create(user=operator(), name="ERP")
    age_token(created.token, timedelta(days=400))
    bearer(created.key).get(ME, REMOTE_ADDR="10.9.8.7")
    created.token.refresh_from_db()
    assert created.token.last_used_at is None
    assert not AuditEvent.objects.filter(kind=AuditKind.TOKEN_USED).exists()


# --- 2. Password-reset limits, no account enumeration -------------------------------------------

RESET = "/accounts/password_reset/"
CSRF_VALUE = re.compile(r'(?<=name="csrfmiddlewaretoken" value=")[^"]+')


@pytest.fixture
def limits(settings):
    # The documented defaults (docs/security.md: 3 per address, 10 per client address, an hour).
    settings.PASSWORD_RESET_PER_HOUR = 3
    settings.PASSWORD_RESET_PER_HOUR_PER_ADDRESS = 10
    return settings


def reset(client, email: str, ip: str = "203.0.113.5"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)


def without_csrf(response) -> str:
    # The masked CSRF token differs on every page rendered; nothing else may.
    return CSRF_VALUE.sub("", response.content.decode())


def same_answer(first, second) -> None:
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("password_reset_done")


def test_three_mails_an_hour_per_address_then_none(client, limits):
    user = operator()
    answers = [reset(client, user.email, ip=f"203.0.113.{n}") for n in range(1, 5)]
    assert len(mail.outbox) == 3  # the fourth, from yet another client, is not mailed
    assert all(message.to == [user.email] for message in mail.outbox)
    for answer in answers[1:]:
        same_answer(answers[0], answer)  # the refused one answers like the others


def test_the_address_limit_ignores_the_case_of_the_address(client, limits):
    user = operator()
    for variant in (user.email, user.email.upper(), user.email.title()):
        reset(client, variant)
    reset(client, user.email.upper(), ip="198.51.100.1")
    assert len(mail.outbox) == 3


def test_ten_requests_an_hour_per_client_address_then_none(client, limits):
    users = [operator() for _ in range(11)]
    answers = [reset(client, user.email, ip="198.51.100.7") for user in users]
    assert len(mail.outbox) == 10
    assert users[-1].email not in {address for message in mail.outbox for address in message.to}
    same_answer(answers[0], answers[-1])
    # Another client may still ask for that account.
    reset(client, users[-1].email, ip="198.51.100.8")
    assert len(mail.outbox) == 11
    assert mail.outbox[-1].to == [users[-1].email]


def test_requests_for_unknown_addresses_count_towards_the_client_limit(client, limits):
    for n in range(10):
        reset(client, f"nobody{n}@example.com", ip="198.51.100.9")
    assert mail.outbox == []
    reset(client, operator().email, ip="198.51.100.9")
    assert mail.outbox == []


def test_requests_older_than_an_hour_no_longer_count(client, limits):
    user = operator()
    earlier = timezone.now() - timedelta(hours=1, minutes=1)
    for _ in range(3):
        old = AuditEvent(
            kind=AuditKind.PASSWORD_RESET_REQUESTED,
            subject=user.email,
            ip_address="203.0.113.5",
            created_at=earlier,
        )
        old.hash = "0" * 64
        old.save()
    reset(client, user.email)
    assert len(mail.outbox) == 1


def test_known_and_unknown_addresses_get_the_same_answer(client, limits):
    known = reset(client, operator().email, ip="192.0.2.1")
    unknown = reset(client, "nobody@example.com", ip="192.0.2.2")
    same_answer(known, unknown)
    assert len(mail.outbox) == 1
    known_page = client.get(known["Location"])
    unknown_page = client.get(unknown["Location"])
    assert known_page.status_code == unknown_page.status_code == 200
    assert without_csrf(known_page) == without_csrf(unknown_page)


def test_each_request_is_recorded_with_whether_it_was_mailed(client, limits):
    user = operator()
    for n in range(4):
        reset(client, user.email, ip=f"203.0.113.{n + 1}")
    events = AuditEvent.objects.filter(kind=AuditKind.PASSWORD_RESET_REQUESTED).order_by("id")
    assert [event.detail for event in events] == [{"sent": True}] * 3 + [{"sent": False}]
    assert {event.subject for event in events} == {user.email}
    assert [event.ip_address for event in events] == [f"203.0.113.{n + 1}" for n in range(4)]


# --- 3. Token creation and use in the security audit trail -------------------------------------


def serialised(event: AuditEvent) -> str:
    return json.dumps(model_to_dict(event), default=str, ensure_ascii=False)


def assert_no_secret(event: AuditEvent, key: str, prefix: str) -> None:
    text = serialised(event)
    assert key not in text
    assert key[len(prefix) :] not in text  # not even the part after the visible prefix


def test_creating_a_token_on_the_web_page_is_an_audit_event(client):
    user = operator()
    client.force_login(user)
    before = AuditEvent.objects.count()
    response = client.post(reverse("api_tokens"), {"name": "ERP export"}, REMOTE_ADDR="10.4.5.6")
    assert response.status_code == 200
    key = KEY_PATTERN.findall(response.content.decode())[0]
    token = ApiToken.objects.get(user=user)
    event = AuditEvent.objects.get(kind=AuditKind.TOKEN_CREATED)
    assert AuditEvent.objects.count() == before + 1
    assert event.actor == user
    assert event.subject == user.email
    assert event.ip_address == "10.4.5.6"
    assert event.detail["token"] == token.prefix
    assert event.detail["name"] == "ERP export"
    assert_no_secret(event, key, token.prefix)


def test_creating_a_token_through_the_service_is_an_audit_event():
    user = operator()
    created = api_token_create(user=user, name="monitoring")
    event = AuditEvent.objects.get(kind=AuditKind.TOKEN_CREATED)
    assert event.actor == user
    assert event.detail["token"] == created.token.prefix
    assert_no_secret(event, created.key, created.token.prefix)


def test_using_a_token_is_an_audit_event_of_its_owner():
    user = operator()
    created = api_token_create(user=user, name="ERP")
    assert bearer(created.key).get(ME, REMOTE_ADDR="10.1.2.3").status_code == 200
    event = AuditEvent.objects.get(kind=AuditKind.TOKEN_USED)
    assert event.actor == user
    assert event.subject == user.email
    assert event.detail == {"token": created.token.prefix, "ip": "10.1.2.3"}
    assert_no_secret(event, created.key, created.token.prefix)


def test_token_use_is_in_the_trail_at_most_once_a_minute_per_token():
    created = api_token_create(user=operator(), name="ERP")
    client = bearer(created.key)
    for _ in range(3):
        assert client.get(ME).status_code == 200
    assert AuditEvent.objects.filter(kind=AuditKind.TOKEN_USED).count() == 1
    earlier = timezone.now() - LAST_USED_RESOLUTION - timedelta(seconds=1)
    ApiToken.objects.filter(pk=created.token.pk).update(last_used_at=earlier)
    assert client.get(ME).status_code == 200
    assert AuditEvent.objects.filter(kind=AuditKind.TOKEN_USED).count() == 2


def test_a_refused_key_is_not_recorded_as_a_use():
    created = api_token_create(user=operator(), name="ERP")
    wrong = created.key[:-1] + ("x" if created.key[-1] != "x" else "y")
    assert bearer(wrong).get(ME).status_code == 401
    assert not AuditEvent.objects.filter(kind=AuditKind.TOKEN_USED).exists()


@pytest.mark.django_db(transaction=True)
def test_tokens_made_before_expiry_existed_expire_api_token_days_after_their_creation(settings):
    # Migration 0010 added expires_at empty for existing tokens, and an empty one never expired.
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("assessment", "0011_i12labels_verbose_names")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("assessment", "User").objects.create(email="old-token@example.cn")
    created = timezone.now() - timedelta(days=settings.API_TOKEN_DAYS + 1)
    token = old.get_model("assessment", "ApiToken").objects.create(
        user_id=user.pk, name="legacy", prefix="pma_old1", key_hash="0" * 64
    )
    old.get_model("assessment", "ApiToken").objects.filter(pk=token.pk).update(created_at=created)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("assessment"))

    migrated = ApiToken.objects.get(pk=token.pk)
    assert migrated.expires_at == created + timedelta(days=settings.API_TOKEN_DAYS)
    assert not migrated.is_active
