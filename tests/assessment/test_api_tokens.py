"""Personal API tokens: the web page (create, name, see once, revoke), hashing, use logging."""

import hashlib
import logging
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assessment.models import ApiToken
from assessment.services.tokens import MAX_ACTIVE_TOKENS, api_token_create
from tests.factories import operator, reviewer

pytestmark = pytest.mark.django_db

KEY_PATTERN = re.compile(r"pma_[A-Za-z0-9_-]{43}")


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def member(client):
    user = operator()
    client.force_login(user)
    return user


def test_creating_a_token_shows_its_key_once(client, member):
    response = client.post(reverse("api_tokens"), {"name": "ERP export"})
    assert response.status_code == 200
    keys = KEY_PATTERN.findall(response.content.decode())
    assert len(keys) == 1
    later = client.get(reverse("api_tokens"))
    assert keys[0] not in later.content.decode()
    assert "ERP export" in later.content.decode()


def test_only_the_keys_hash_is_stored(client, member):
    response = client.post(reverse("api_tokens"), {"name": "ERP export"})
    key = KEY_PATTERN.findall(response.content.decode())[0]
    token = ApiToken.objects.get(user=member)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values_list().get(pk=token.pk)]
    assert not any(key in value for value in stored)
    assert key.startswith(token.prefix)


def test_the_token_page_is_never_cached(client, member):
    response = client.post(reverse("api_tokens"), {"name": "ERP export"})
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_a_created_key_authenticates_api_requests_as_its_user(member):
    created = api_token_create(user=member, name="ERP")
    response = bearer(created.key).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["email"] == member.email


def test_a_revoked_token_no_longer_works(client, member):
    created = api_token_create(user=member, name="ERP")
    response = client.post(reverse("api_token_revoke", args=[created.token.pk]))
    assert response.status_code == 302
    refused = bearer(created.key).get("/api/v1/me/")
    assert refused.status_code == 401
    assert refused.json()["code"] == "invalid_token"


def test_a_token_of_a_deactivated_user_no_longer_works(member):
    created = api_token_create(user=member, name="ERP")
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert bearer(created.key).get("/api/v1/me/").status_code == 401


def test_an_unknown_key_is_refused_with_401_and_a_bearer_challenge():
    response = bearer("pma_" + "x" * 43).get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_user_cannot_revoke_someone_elses_token(client, member):
    other = api_token_create(user=reviewer("440000"), name="theirs")
    response = client.post(reverse("api_token_revoke", args=[other.token.pk]))
    assert response.status_code == 404
    other.token.refresh_from_db()
    assert other.token.revoked_at is None


def test_revoking_needs_a_post(client, member):
    created = api_token_create(user=member, name="ERP")
    assert client.get(reverse("api_token_revoke", args=[created.token.pk])).status_code == 405


def test_a_token_needs_a_name_shown_beside_the_field(client, member):
    response = client.post(reverse("api_tokens"), {"name": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_name_error"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert not ApiToken.objects.exists()


def test_two_active_tokens_cannot_share_a_name(client, member):
    api_token_create(user=member, name="ERP")
    response = client.post(reverse("api_tokens"), {"name": "ERP"})
    assert response.status_code == 400
    assert ApiToken.objects.filter(user=member).count() == 1


def test_the_number_of_active_tokens_is_limited(client, member):
    for number in range(MAX_ACTIVE_TOKENS):
        api_token_create(user=member, name=f"token {number}")
    response = client.post(reverse("api_tokens"), {"name": "one more"})
    assert response.status_code == 400
    assert ApiToken.objects.filter(user=member).count() == MAX_ACTIVE_TOKENS


def test_the_token_page_needs_a_sign_in(client):
    response = client.get(reverse("api_tokens"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_token_page_lists_only_the_users_own_tokens(client, member):
    api_token_create(user=reviewer("440000"), name="someone else's")
    api_token_create(user=member, name="mine")
    html = client.get(reverse("api_tokens")).content.decode()
    assert "mine" in html
    assert "someone else" not in html


def test_the_token_page_has_a_fixed_number_of_queries(
    client, member, django_assert_max_num_queries
):
    for number in range(5):
        api_token_create(user=member, name=f"token {number}")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("api_tokens"))
    assert response.status_code == 200


def test_the_token_page_is_in_chinese_whatever_the_browser_asks(client, member):
    response = client.get(reverse("api_tokens"), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "zh-hans"


def test_the_token_page_follows_the_chosen_language(client, member):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("api_tokens"))
    assert response["Content-Language"] == "en"


def test_signed_in_users_see_the_api_tokens_link(client, member):
    html = client.get(reverse("api_tokens")).content.decode()
    assert f'href="{reverse("api_tokens")}"' in html


def test_token_use_is_recorded_on_the_token(member):
    created = api_token_create(user=member, name="ERP")
    bearer(created.key).get("/api/v1/me/", REMOTE_ADDR="10.1.2.3")
    created.token.refresh_from_db()
    assert created.token.last_used_at is not None
    assert created.token.last_used_ip == "10.1.2.3"


def test_token_use_is_written_at_most_once_a_minute(member, django_assert_num_queries):
    created = api_token_create(user=member, name="ERP")
    client = bearer(created.key)
    client.get("/api/v1/me/")
    recent = timezone.now() - timedelta(seconds=10)
    ApiToken.objects.filter(pk=created.token.pk).update(last_used_at=recent)
    # the token with its user, then the user's regions; no write of the last use
    with django_assert_num_queries(2):
        client.get("/api/v1/me/")
    created.token.refresh_from_db()
    assert created.token.last_used_at == recent


def test_every_token_use_is_logged(member, caplog):
    created = api_token_create(user=member, name="ERP")
    with caplog.at_level(logging.INFO, logger="assessment.api.tokens"):
        bearer(created.key).get("/api/v1/me/")
    lines = [record.getMessage() for record in caplog.records]
    assert any(
        created.token.prefix in line and "GET /api/v1/me/" in line and f"user={member.pk}" in line
        for line in lines
    )


def test_a_token_cannot_create_more_tokens(member):
    # Tokens are managed on the web page only; the API has no token endpoint.
    created = api_token_create(user=member, name="ERP")
    response = bearer(created.key).post("/api/v1/tokens/", {"name": "x"})
    assert response.status_code == 302  # to the sign-in page: the web page needs a session
    assert ApiToken.objects.filter(user=member).count() == 1
