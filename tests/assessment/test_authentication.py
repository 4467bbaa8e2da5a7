import pytest
from django.core import mail
from django.test import override_settings

from tests.factories import PASSWORD, operator

pytestmark = pytest.mark.django_db


def sign_in(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"username": email, "password": password})


def test_signing_in_with_email_and_password_redirects_home(client):
    user = operator()
    response = sign_in(client, user.email)
    assert response.status_code == 302
    assert response.url == "/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_shows_a_translated_error(client):
    user = operator()
    response = sign_in(client, user.email, "wrong-password")
    assert response.status_code == 200
    assert "邮箱或密码不正确" in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_even_for_the_right_password(client):
    user = operator()
    for _ in range(3):
        sign_in(client, user.email, "wrong-password")
    response = sign_in(client, user.email)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "登录失败次数过多" in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_failures_on_one_account_do_not_lock_another(client):
    victim, other = operator(), operator()
    for _ in range(3):
        sign_in(client, victim.email, "wrong-password")
    assert sign_in(client, other.email).status_code == 302


def test_signing_out_ends_the_session(client):
    user = operator()
    sign_in(client, user.email)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_pages_require_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_password_reset_sends_a_link_by_email(client):
    user = operator()
    response = client.post("/accounts/password_reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_password_change_requires_the_old_password(client):
    user = operator()
    client.force_login(user)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "nope",
            "new_password1": "Zz9-long-pass",
            "new_password2": "Zz9-long-pass",
        },
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_interface_is_chinese_by_default_even_for_english_browsers(client):
    response = client.get("/accounts/login/", headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="zh-hans">' in response.content.decode()
    assert "登录" in response.content.decode()


def test_language_switch_to_english_is_remembered(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in page
    assert "Sign in" in page


def test_security_headers_include_a_strict_content_security_policy(client):
    response = client.get("/accounts/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
