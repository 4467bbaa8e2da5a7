"""Level-3 account controls: password rules, forced and periodic change, sessions, two-factor
sign-in, the last sign-in shown, the three administrators, headers, the audit export."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessment.models import AuditEvent, AuditKind, Role, User
from assessment.models.people import AdminDuty
from tests.factories import PASSWORD, UserFactory, operator, regulator, reviewer

pytestmark = pytest.mark.django_db


# --- Passwords -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["short-A1", "alllowercaseletters", "ALLUPPER-AND-DASHES", "1234567890123"]
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password, operator())


def test_a_password_like_the_email_is_refused():
    user = operator(email="zhang.wei@example.cn")
    with pytest.raises(ValidationError):
        validate_password("Zhang.Wei@example", user)


def test_a_strong_password_passes():
    validate_password("Qingdao-Harbour-2026", operator())


def test_the_last_five_passwords_cannot_be_used_again():
    user = operator()
    for number in range(5):
        user.set_password(f"Harbour-Light-{number}x")
        user.save()
    with pytest.raises(ValidationError):
        validate_password("Harbour-Light-0x", user)
    validate_password("Harbour-Light-9x", user)


def _sign_in(client, user, password=PASSWORD):
    return client.post("/accounts/login/", {"username": user.email, "password": password})


def test_an_account_given_a_password_must_change_it_first(client):
    user = operator(must_change_password=True)
    _sign_in(client, user)
    assert client.get("/operator/").url == "/accounts/password_change/"
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "Fresh-Start-2026",
            "new_password2": "Fresh-Start-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get("/operator/").status_code == 200
    assert AuditEvent.objects.filter(kind=AuditKind.PASSWORD_CHANGED, actor=user).exists()


def test_officials_change_their_password_every_90_days(client):
    official = regulator("440000", password_changed_at=timezone.now() - timedelta(days=91))
    _sign_in(client, official)
    assert client.get("/dashboards/").url == "/accounts/password_change/"


def test_operators_have_no_expiry(client):
    user = operator(password_changed_at=timezone.now() - timedelta(days=400))
    _sign_in(client, user)
    assert client.get("/operator/").status_code == 200


# --- Sessions ------------------------------------------------------------------------------------


def test_a_session_ends_after_30_idle_minutes(client):
    user = operator()
    _sign_in(client, user)
    session = client.session
    session["security_last_seen"] = time.time() - 31 * 60
    session.save()
    response = client.get("/operator/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_a_session_ends_12_hours_after_sign_in_however_busy(client):
    user = operator()
    _sign_in(client, user)
    session = client.session
    session["security_session_started"] = time.time() - 12 * 3600 - 5
    session["security_last_seen"] = time.time()
    session.save()
    assert client.get("/operator/").status_code == 302


def test_the_last_sign_in_time_and_address_are_shown(client):
    user = operator()
    client.post(
        "/accounts/login/",
        {"username": user.email, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.23",
    )
    client.post("/accounts/logout/")
    client.cookies["django_language"] = "en"
    response = _sign_in(client, user)
    page = client.get(response.url, follow=True).content.decode()
    assert "198.51.100.23" in page


# --- Two-factor sign-in --------------------------------------------------------------------------


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


@override_settings(TWO_FACTOR_REQUIRED=True)
@pytest.mark.parametrize("make", [lambda: reviewer("440000"), lambda: regulator("440000")])
def test_officials_must_enrol_when_required(client, make):
    official = make()
    _sign_in(client, official)
    assert client.get("/dashboards/").url == "/accounts/two-factor/"
    assert client.get("/accounts/two-factor/").status_code == 200
    device = TOTPDevice.objects.get(user=official)
    response = client.post("/accounts/two-factor/", {"code": _code(device)})
    assert response.status_code == 200
    assert "recovery" in response.content.decode().lower() or "恢复" in response.content.decode()
    assert AuditEvent.objects.filter(kind=AuditKind.TWO_FACTOR_ENABLED, actor=official).exists()
    response = client.get("/review/" if official.role == Role.REVIEWER else "/dashboards/")
    assert response.status_code == 200 or "two-factor" not in response.url


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_operators_are_not_forced_to_enrol(client):
    user = operator()
    _sign_in(client, user)
    assert client.get("/operator/").status_code == 200


def _enrolled(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_an_enrolled_account_gives_a_code_after_its_password(client):
    user = operator()
    device = _enrolled(user)
    _sign_in(client, user)
    response = client.get("/operator/")
    assert response.url.startswith("/accounts/two-factor/verify/")
    assert client.post("/accounts/two-factor/verify/", {"code": "000000"}).status_code == 200
    assert AuditEvent.objects.filter(kind=AuditKind.TWO_FACTOR_FAILED).exists()
    time.sleep(1.1)  # django-otp slows down guessing: a second try waits after a failure
    response = client.post(
        "/accounts/two-factor/verify/", {"code": _code(device), "next": "/operator/"}
    )
    assert response.url == "/operator/"
    assert client.get("/operator/").status_code == 200


def test_a_recovery_code_signs_in_once(client):
    from django_otp.plugins.otp_static.models import StaticDevice

    user = operator()
    _enrolled(user)
    static = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    static.token_set.create(token="recov3ry")
    _sign_in(client, user)
    response = client.post(
        "/accounts/two-factor/verify/", {"code": "recov3ry", "next": "/operator/"}
    )
    assert response.url == "/operator/"
    client.post("/accounts/logout/")
    _sign_in(client, user)
    assert client.post("/accounts/two-factor/verify/", {"code": "recov3ry"}).status_code == 200


def test_the_demo_signs_in_without_a_second_factor_outside_production(client, settings):
    assert settings.TWO_FACTOR_REQUIRED is False
    official = reviewer("440000")
    _sign_in(client, official)
    assert client.get("/review/").status_code == 200


# --- The three administrators --------------------------------------------------------------------


def _admin(duty):
    return UserFactory(role=Role.ADMIN, admin_duty=duty, is_staff=True)


def test_the_audit_administrator_reads_the_audit_trail_and_nothing_else(client):
    auditor = _admin(AdminDuty.AUDIT)
    client.force_login(auditor)
    assert client.get("/admin/assessment/auditevent/").status_code == 200
    assert client.get("/admin/assessment/submissionevent/").status_code == 200
    assert client.get("/admin/assessment/user/").status_code == 403
    assert client.get("/admin/assessment/region/").status_code == 403
    assert client.get("/admin/assessment/apitoken/").status_code == 403
    assert client.get("/audit/").status_code == 200
    assert client.get("/review/").status_code in (403, 404)


def test_the_security_administrator_manages_lockouts_and_tokens_not_cycles(client):
    security = _admin(AdminDuty.SECURITY)
    client.force_login(security)
    assert client.get("/admin/axes/accessattempt/").status_code == 200
    assert client.get("/admin/assessment/apitoken/").status_code == 200
    assert client.get("/admin/assessment/assessmentcycle/").status_code == 403
    assert client.get("/admin/assessment/auditevent/").status_code == 403
    assert client.get("/audit/").status_code == 404


def test_the_system_administrator_manages_cycles_not_the_audit_trail(client):
    system = _admin(AdminDuty.SYSTEM)
    client.force_login(system)
    assert client.get("/admin/assessment/assessmentcycle/").status_code == 200
    assert client.get("/admin/assessment/auditevent/").status_code == 403
    assert client.get("/admin/axes/accessattempt/").status_code == 403
    assert client.get("/audit/").status_code == 404


def test_only_the_security_administrator_changes_roles(client):
    target = operator()
    system = _admin(AdminDuty.SYSTEM)
    client.force_login(system)
    page = client.get(f"/admin/assessment/user/{target.pk}/change/").content.decode()
    assert 'name="role"' not in page
    client.force_login(_admin(AdminDuty.SECURITY))
    page = client.get(f"/admin/assessment/user/{target.pk}/change/").content.decode()
    assert 'name="role"' in page
    assert 'name="email"' not in page


@override_settings(PRODUCTION=True)
def test_check_deploy_warns_while_a_superuser_exists():
    UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)
    ids = [message.id for message in run_checks(include_deployment_checks=True)]
    assert "assessment.W001" in ids


@override_settings(PRODUCTION=True)
def test_no_warning_without_a_superuser():
    _admin(AdminDuty.SYSTEM)
    ids = [message.id for message in run_checks(include_deployment_checks=True)]
    assert "assessment.W001" not in ids


# --- Headers -------------------------------------------------------------------------------------


def test_responses_carry_a_permissions_policy_and_no_server_version(client):
    response = client.get("/accounts/login/")
    assert "camera=()" in response["Permissions-Policy"]
    assert "Server" not in response.headers


# --- The audit export ----------------------------------------------------------------------------


def test_the_audit_export_filters_by_kind_actor_region_and_date(client):
    user = operator()
    _sign_in(client, user)
    client.post("/accounts/logout/")
    _sign_in(client, reviewer("440000"), "wrong-Pass-1")
    auditor = _admin(AdminDuty.AUDIT)
    client.force_login(auditor)
    today = timezone.localdate().isoformat()
    response = client.get(
        "/audit/",
        {"format": "csv", "kind": "sign_in", "actor": user.email, "start": today, "end": today},
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("when,source,kind")
    assert len(lines) == 2 and user.email in lines[1] and ",sign_in," in lines[1]
    region = user.organisation.region_id
    response = client.get("/audit/", {"format": "csv", "region": region})
    assert user.email in b"".join(response.streaming_content).decode("utf-8-sig")
    response = client.get("/audit/", {"format": "csv", "region": "110000"})
    assert user.email not in b"".join(response.streaming_content).decode("utf-8-sig")
    assert AuditEvent.objects.filter(kind=AuditKind.EXPORT, actor=auditor).count() == 3


def test_the_audit_export_is_for_the_audit_administrator_only(client):
    for user in (
        operator(),
        reviewer("440000"),
        regulator(is_national=True),
        _admin(AdminDuty.SYSTEM),
    ):
        client.force_login(user)
        assert client.get("/audit/?format=csv").status_code == 404


def test_the_security_and_audit_administrators_see_no_assessment_data():
    from assessment.permissions import visible_submissions
    from tests.factories import SubmissionFactory

    SubmissionFactory(state="submitted")
    assert not visible_submissions(_admin(AdminDuty.AUDIT)).exists()
    assert not visible_submissions(_admin(AdminDuty.SECURITY)).exists()
    assert visible_submissions(_admin(AdminDuty.SYSTEM)).exists()
    assert User.objects.filter(role=Role.ADMIN).count() == 3
