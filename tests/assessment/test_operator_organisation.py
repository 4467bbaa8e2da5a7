"""The organisation page: platforms, inviting and removing colleagues."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from assessment.models import Platform, Role, User
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return factories.operator()


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


def invite(client, email, django_capture_on_commit_callbacks, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("organisation_detail"), {"email": email, **extra})


def test_the_organisation_page_lists_platforms_and_colleagues(operator_client, operator):
    platform = factories.PlatformFactory(organisation=operator.organisation)
    colleague = factories.operator(organisation=operator.organisation)
    page = operator_client.get(reverse("organisation_detail")).content.decode()
    assert platform.name in page and colleague.email in page


def test_inviting_creates_an_inactive_colleague_and_emails_a_link(
    operator_client, operator, django_capture_on_commit_callbacks
):
    response = invite(
        operator_client, "new.colleague@example.cn", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    invited = User.objects.get(email="new.colleague@example.cn")
    assert (invited.role, invited.organisation, invited.is_active) == (
        Role.OPERATOR,
        operator.organisation,
        False,
    )
    assert not invited.has_usable_password()
    assert mail.outbox[0].to == ["new.colleague@example.cn"]
    assert "/invitation/" in mail.outbox[0].body


def test_the_invitation_link_sets_a_password_and_activates_the_account(
    client, operator, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    invite(client, "new.colleague@example.cn", django_capture_on_commit_callbacks)
    client.logout()
    link = re.search(r"https?://[^/]+(/invitation/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    # The page names the organisation being joined (it did not).
    assert operator.organisation.name in form_page.content.decode()
    assert "new.colleague@example.cn" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Zhong-Guo-2027-pass", "new_password2": "Zhong-Guo-2027-pass"},
    )
    assert response.status_code == 302
    invited = User.objects.get(email="new.colleague@example.cn")
    assert invited.is_active and invited.check_password("Zhong-Guo-2027-pass")
    assert client.login(username="new.colleague@example.cn", password="Zhong-Guo-2027-pass")


def test_the_invitation_link_works_only_once(client, operator, django_capture_on_commit_callbacks):
    client.force_login(operator)
    invite(client, "once@example.cn", django_capture_on_commit_callbacks)
    client.logout()
    link = re.search(r"https?://[^/]+(/invitation/\S+)", mail.outbox[0].body).group(1)
    first = client.get(link, follow=True)
    client.post(
        first.redirect_chain[-1][0],
        {"new_password1": "Zhong-Guo-2027-pass", "new_password2": "Zhong-Guo-2027-pass"},
    )
    again = client.get(link, follow=True)
    assert b'name="new_password1"' not in again.content


def test_inviting_an_address_of_another_organisation_reveals_nothing(
    operator_client, django_capture_on_commit_callbacks
):
    """Hole 9: the answer was "already belongs to another account" (account enumeration).
    Now it reads as for a new address; the owner is told by mail and nothing changes."""
    other = factories.operator()
    operator_client.cookies["django_language"] = "en"
    response = invite(operator_client, other.email, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    fresh = invite(operator_client, "nobody.yet@example.cn", django_capture_on_commit_callbacks)
    assert fresh.status_code == 302
    other.refresh_from_db()
    assert other.is_active and other.organisation_id != operator_client.session.get("org")
    assert mail.outbox[0].to == [other.email]
    assert "invitation" not in mail.outbox[0].body.lower() or "nothing was changed" in (
        mail.outbox[0].body
    )


def test_inviting_an_invalid_address_is_refused(
    operator_client, django_capture_on_commit_callbacks
):
    response = invite(operator_client, "not-an-email", django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert not User.objects.filter(email="not-an-email").exists()


def test_removing_a_colleague_deactivates_the_account(operator_client, operator):
    colleague = factories.operator(organisation=operator.organisation)
    response = operator_client.post(reverse("colleague_remove", args=[colleague.pk]))
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert not colleague.is_active


def test_an_operator_cannot_remove_themselves(operator_client, operator):
    operator_client.post(reverse("colleague_remove", args=[operator.pk]))
    operator.refresh_from_db()
    assert operator.is_active


def test_an_operator_cannot_remove_someone_of_another_organisation(operator_client):
    stranger = factories.operator()
    response = operator_client.post(reverse("colleague_remove", args=[stranger.pk]))
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active


def test_a_removed_colleague_can_be_invited_again(
    operator_client, operator, django_capture_on_commit_callbacks
):
    colleague = factories.operator(organisation=operator.organisation)
    operator_client.post(reverse("colleague_remove", args=[colleague.pk]))
    response = invite(operator_client, colleague.email, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def platform_data(**overrides):
    return {
        "name": "智联工业互联网平台",
        "kind": "industry",
        "industries": ["C"],
        "region": "440300",
        "website": "https://p.example.cn",
        "launched_year": "2019",
        **overrides,
    }


def test_an_operator_adds_a_platform_to_the_organisation(operator_client, operator):
    response = operator_client.post(reverse("platform_create"), platform_data())
    assert response.status_code == 302
    platform = Platform.objects.get(name="智联工业互联网平台")
    assert platform.organisation == operator.organisation
    assert list(platform.industries.values_list("code", flat=True)) == ["C"]


@pytest.mark.parametrize(
    "overrides", [{"launched_year": "1800"}, {"launched_year": "二〇一九"}, {"kind": "huge"}]
)
def test_a_bad_platform_form_is_refused_and_keeps_the_input(operator_client, overrides):
    response = operator_client.post(reverse("platform_create"), platform_data(**overrides))
    assert response.status_code == 400
    assert "智联工业互联网平台" in response.content.decode()
    assert not Platform.objects.exists()


def test_a_duplicate_platform_name_is_refused(operator_client, operator):
    factories.PlatformFactory(organisation=operator.organisation, name="智联工业互联网平台")
    response = operator_client.post(reverse("platform_create"), platform_data())
    assert response.status_code == 400
    assert Platform.objects.count() == 1


def test_an_operator_edits_a_platform(operator_client, operator):
    platform = factories.PlatformFactory(organisation=operator.organisation)
    response = operator_client.post(
        reverse("platform_edit", args=[platform.pk]), platform_data(kind="collaborative")
    )
    assert response.status_code == 302
    platform.refresh_from_db()
    assert (platform.name, platform.kind) == ("智联工业互联网平台", "collaborative")


def test_another_organisations_platform_cannot_be_edited(operator_client):
    platform = factories.PlatformFactory()
    response = operator_client.post(reverse("platform_edit", args=[platform.pk]), platform_data())
    assert response.status_code == 404


def test_the_organisation_page_is_not_there_for_a_reviewer(client):
    client.force_login(factories.reviewer("440000"))
    assert client.get(reverse("organisation_detail")).status_code == 404
