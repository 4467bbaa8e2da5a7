"""Display details found walking the pages: what a label, a code or a list looks like."""

import pytest
from django.urls import reverse
from django.utils import translation

from assessment.selectors.submissions import answer_text
from questionnaires.selectors import rubric_of
from tests import factories

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_the_icon():
    from django.test import Client

    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")


@pytest.mark.parametrize(
    ("language", "header"), [("zh-hans", "平台成熟度评估"), ("en", "Platform")]
)
def test_the_admin_names_the_product_not_django(client, language, header):
    client.force_login(factories.admin())
    client.cookies["django_language"] = language
    content = client.get("/admin/").content.decode()
    assert header in content
    assert "Django" not in content.split("<title>")[1].split("</title>")[0]


def test_the_preconditions_section_shows_its_code(client):
    submission = factories.SubmissionFactory()
    client.force_login(submission.created_by)
    content = client.get(
        reverse("operator_questionnaire", args=[submission.pk, "D1"])
    ).content.decode()
    assert '<span class="section-code">P</span>' in content
    assert '<span class="section-code">前</span>' not in content


def test_choices_are_joined_in_the_readers_language():
    submission = factories.SubmissionFactory()
    rubric = rubric_of(submission.rubric_version)
    value = ["provincial", "sme-pilot"]
    with translation.override("en"):
        assert "、" not in answer_text(rubric, "D4.6", value)
        assert ", " in answer_text(rubric, "D4.6", value)
    with translation.override("zh-hans"):
        assert "、" in answer_text(rubric, "D4.6", value)


def test_the_organisation_page_names_the_industries(client):
    operator = factories.operator()
    factories.PlatformFactory(organisation=operator.organisation, industries=["C"])
    client.force_login(operator)
    client.cookies["django_language"] = "en"
    content = client.get(reverse("organisation_detail")).content.decode()
    assert "C Manufacturing" in content


def test_amounts_in_ten_thousand_yuan_read_in_yuan_in_english():
    submission = factories.SubmissionFactory()
    rubric = rubric_of(submission.rubric_version)
    with translation.override("en"):
        assert answer_text(rubric, "D7.1", 1000) == "CNY 10,000,000"
    with translation.override("zh-hans"):
        assert answer_text(rubric, "D7.1", 1000) == "1,000万元"
