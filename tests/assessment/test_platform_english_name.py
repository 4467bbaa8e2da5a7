"""A platform's optional English name: entered by its operator, printed on English documents
(evaluation report, certificate, the regional report's list); Chinese documents print the name."""

import io
import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from assessment.errors import ApplicationError
from assessment.models import IssuedReport, Platform
from assessment.services import certificates, organisations, reports
from tests import factories
from tests.assessment.api_support import token_client

pytestmark = [pytest.mark.django_db, pytest.mark.once]

NAME = "天枢工业互联网平台"
NAME_EN = "Tianshu Industrial Internet Platform"


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def text_of(pdf: bytes) -> str:
    return flat("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


@pytest.fixture(scope="module")
def documents(django_db_setup, django_db_blocker):
    """Each document once, as text: a platform with an English name (report and certificate in
    both languages, the province's English regional report) and one without (English
    certificate); rolled back, so the next tests of this worker meet an empty database."""
    found = {}
    with django_db_blocker.unblock(), transaction.atomic():
        named = factories.reviewed_submission(result="growth", certified=True)
        Platform.objects.filter(pk=named.platform_id).update(name=NAME, name_en=NAME_EN)
        named.platform.refresh_from_db()
        plain = factories.reviewed_submission(result="basic", certified=True, cycle=named.cycle)
        found["plain_name"] = plain.platform.name
        for language in ("zh-hans", "en"):
            report, pdf = reports.submission_report_pdf(
                submission=named, language=language, user=None, with_charts=False
            )
            found[f"report-{language}"] = text_of(pdf)
            found[f"facts-{language}"] = IssuedReport.objects.get(pk=report.pk).canonical_data
            _certificate, pdf = certificates.certificate_pdf(
                submission=named, language=language, user=None
            )
            found[f"certificate-{language}"] = text_of(pdf)
        _certificate, pdf = certificates.certificate_pdf(submission=plain, language="en", user=None)
        found["plain-certificate-en"] = text_of(pdf)
        pdf = reports.regional_report_pdf(
            cycle=named.cycle,
            region=factories.region(named.platform.region.province_code),
            language="en",
        )
        found["regional-en"] = text_of(pdf)
        transaction.set_rollback(True)
    return found


def test_english_report_and_certificate_print_the_english_name(documents):
    for document in ("report-en", "certificate-en"):
        assert flat(NAME_EN) in documents[document], document
        assert NAME not in documents[document], document


def test_chinese_report_and_certificate_print_the_registered_name(documents):
    for document in ("report-zh-hans", "certificate-zh-hans"):
        assert NAME in documents[document], document
        assert flat(NAME_EN) not in documents[document], document


def test_without_an_english_name_the_english_certificate_prints_the_name(documents):
    assert flat(documents["plain_name"]) in documents["plain-certificate-en"]


def test_the_english_regional_report_lists_english_names_where_there_are_some(documents):
    assert flat(NAME_EN) in documents["regional-en"]
    assert NAME not in documents["regional-en"]
    assert flat(documents["plain_name"]) in documents["regional-en"]


def test_the_issued_facts_state_the_name_each_language_printed(documents):
    # The verification hash covers what the document says, so the printed name is a fact.
    assert documents["facts-en"]["platform"] == NAME_EN
    assert documents["facts-zh-hans"]["platform"] == NAME


def test_display_name_falls_back_to_the_name():
    platform = Platform(name=NAME, name_en="")
    assert platform.display_name("en") == NAME
    platform.name_en = NAME_EN
    assert (platform.display_name("en"), platform.display_name("zh-hans")) == (NAME_EN, NAME)


# --- Entering it ---------------------------------------------------------------------------------


def platform_data(**overrides):
    return {
        "name": NAME,
        "name_en": NAME_EN,
        "kind": "industry",
        "industries": ["C"],
        "region": "440300",
        "website": "https://p.example.cn",
        "launched_year": "2019",
        **overrides,
    }


def test_an_operator_enters_the_english_name_on_the_platform_form(client):
    operator = factories.operator()
    platform = factories.PlatformFactory(organisation=operator.organisation)
    client.force_login(operator)
    form = client.get(reverse("platform_edit", args=[platform.pk])).content.decode()
    assert 'name="name_en"' in form
    response = client.post(reverse("platform_edit", args=[platform.pk]), platform_data())
    assert response.status_code == 302
    platform.refresh_from_db()
    assert (platform.name, platform.name_en) == (NAME, NAME_EN)
    # Clearing it is allowed: documents go back to the name.
    client.post(reverse("platform_edit", args=[platform.pk]), platform_data(name_en=""))
    platform.refresh_from_db()
    assert platform.name_en == ""


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("zh-hans", "确保该变量包含不超过 200 字符"),
        ("en", "Ensure this value has at most 200 characters"),
    ],
)
def test_a_too_long_english_name_is_refused_in_the_users_language(client, language, message):
    operator = factories.operator()
    platform = factories.PlatformFactory(organisation=operator.organisation, name_en="Old")
    client.force_login(operator)
    client.cookies["django_language"] = language
    response = client.post(
        reverse("platform_edit", args=[platform.pk]), platform_data(name_en="x" * 201)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    platform.refresh_from_db()
    assert platform.name_en == "Old"


def test_the_service_refuses_a_too_long_english_name_and_changes_nothing():
    operator = factories.operator()
    platform = factories.PlatformFactory(organisation=operator.organisation, name_en="Old")
    fields = {
        "name": "改了的名字",
        "kind": platform.kind,
        "region": platform.region,
        "launched_year": platform.launched_year,
        "industries": [],
    }
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as refused:
        organisations.platform_update(
            actor=operator, platform=platform, name_en="x" * 201, **fields
        )
    assert (refused.value.code, refused.value.field) == ("name_en_too_long", "name_en")
    assert "200" in str(refused.value.message) and "英文名称" in str(refused.value.message)
    platform.refresh_from_db()
    assert platform.name_en == "Old" and platform.name != "改了的名字"
    created = organisations.platform_create(actor=operator, name_en=f"  {NAME_EN} ", **fields)
    assert created.name_en == NAME_EN


def test_the_api_gives_the_english_name():
    operator = factories.operator()
    platform = factories.PlatformFactory(organisation=operator.organisation, name_en=NAME_EN)
    body = token_client(operator).get(f"/api/v1/platforms/{platform.pk}/").json()
    assert (body["name"], body["name_en"]) == (platform.name, NAME_EN)


def test_the_admin_shows_and_edits_the_english_name(client):
    platform = factories.PlatformFactory(name_en=NAME_EN)
    client.force_login(factories.admin())
    page = client.get(reverse("admin:assessment_platform_change", args=[platform.pk]))
    assert page.status_code == 200
    assert 'name="name_en"' in page.content.decode()
    listing = client.get(reverse("admin:assessment_platform_changelist"), {"q": "Tianshu"})
    assert NAME_EN in listing.content.decode()


def test_entering_an_english_name_changes_the_english_facts_only():
    submission = factories.reviewed_submission(result="basic", certified=True)
    english = reports.report_issue(submission=submission, language="en", user=None)
    chinese = reports.report_issue(submission=submission, language="zh-hans", user=None)
    Platform.objects.filter(pk=submission.platform_id).update(name_en=NAME_EN)
    submission.platform.refresh_from_db()
    assert reports.report_verify(number=english.number)["outcome"] == "changed"
    assert reports.report_verify(number=chinese.number)["outcome"] == "genuine"
    renewed = reports.report_issue(submission=submission, language="en", user=None)
    assert renewed.number != english.number
    assert renewed.canonical_data["platform"] == NAME_EN
    assert reports.report_issue(submission=submission, language="zh-hans", user=None) == chinese
