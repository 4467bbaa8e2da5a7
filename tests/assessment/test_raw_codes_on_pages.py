"""No page shows the stored code of a choice where its label belongs ("active", "in_review",
"not_rated"): the main pages of every role, read in English, visible text only (codes stay in
URLs, classes and data attributes, where they belong). Issue 12, defect 10."""

import re

import pytest

from assessment.models import Role
from assessment.models.people import AdminDuty
from assessment.services.tokens import api_token_create, api_token_revoke
from tests import factories
from tests.html_text import choice_codes, visible_texts

pytestmark = pytest.mark.django_db

# A lone lower-case word: how a code looks ("active"), whether or not it is a choice's code.
_LOWER_WORD = re.compile(r"[a-z][a-z_]+")
_UNDERSCORED = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def _leaks(html: str, codes: set[str]) -> list[str]:
    """Texts that are a code on their own, or carry a snake_case code inside a sentence. Labels
    begin with a capital in English, so a lower-case word equal to a code reads as a code."""
    found = []
    for text in visible_texts(html):
        words = text.text.strip(" :·()")
        if words in codes or _LOWER_WORD.fullmatch(words):
            found.append(text.text)
        found += [word for word in _UNDERSCORED.findall(text.text) if word in codes]
    return found


@pytest.fixture
def programme():
    """A little of everything the role pages list: submissions in several states, a certified
    tier, a revoked and an active API token, an expert panel's candidate, a call."""
    certified = factories.reviewed_submission(result="basic", certified=True)
    in_review = factories.reviewed_submission(result="growth")
    draft = factories.SubmissionFactory(
        platform=factories.PlatformFactory(organisation=certified.platform.organisation)
    )
    operator = certified.created_by
    api_token_create(user=operator, name="Nightly sync")
    revoked = api_token_create(user=operator, name="Old laptop")
    api_token_revoke(user=operator, token_id=revoked.token.pk)
    call = factories.call_for_applications(cycle=in_review.cycle)
    return {
        "operator": operator,
        "certified": certified,
        "in_review": in_review,
        "draft": draft,
        "call": call,
        "reviewer": in_review.assigned_reviewer,
    }


def _admin(duty):
    return factories.UserFactory(role=Role.ADMIN, admin_duty=duty, is_staff=True)


def _role_pages(data):
    certified, in_review = data["certified"], data["in_review"]
    yield (
        data["operator"],
        [
            "/operator/",
            "/organisation/",
            "/api/v1/tokens/",
            "/notifications/",
            "/operator/monitoring/",
            f"/operator/submissions/{certified.pk}/view/",
            "/benchmark/",
        ],
    )
    yield (
        data["reviewer"],
        [
            "/review/",
            f"/review/{in_review.pk}/",
            f"/review/{in_review.pk}/events/",
            "/monitoring/",
            "/programme/",
            "/rubrics/",
        ],
    )
    yield (
        factories.ministry_official(),
        [
            "/review/",
            "/programme/",
            f"/programme/calls/{data['call'].pk}/",
            "/panels/",
            "/site-checks/",
            "/monitoring/",
        ],
    )
    yield factories.regulator(is_national=True), ["/dashboards/"]
    yield (
        factories.regulator("440000"),
        [
            "/dashboards/440000/",
            "/reports/batches/",
            "/register/",
            "/notices/",
        ],
    )
    yield factories.expert(), ["/panels/"]
    yield (
        _admin(AdminDuty.SYSTEM),
        [
            "/admin/",
            "/admin/assessment/user/",
            "/admin/assessment/submission/",
            "/admin/assessment/certification/",
        ],
    )
    yield (
        _admin(AdminDuty.SECURITY),
        [
            "/admin/",
            "/admin/assessment/apitoken/",
            "/admin/axes/accessattempt/",
        ],
    )
    yield (
        _admin(AdminDuty.AUDIT),
        [
            "/audit/",
            "/admin/assessment/auditevent/",
            "/admin/assessment/submissionevent/",
        ],
    )


def test_no_page_of_any_role_shows_a_raw_code_in_english(client, programme):
    codes = choice_codes()
    client.cookies["django_language"] = "en"
    leaks, pages = [], 0
    for user, urls in _role_pages(programme):
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (user.role, url, response.status_code)
            pages += 1
            leaks += [(url, text) for text in _leaks(response.content.decode(), codes)]
    assert pages >= 35
    assert not leaks, f"{len(leaks)} raw codes, e.g. {sorted(set(leaks))}"


def test_the_check_finds_a_code_standing_alone_or_inside_a_sentence():
    codes = {"active", "in_review"}
    assert _leaks("<td>active</td>", codes) == ["active"]
    assert _leaks("<p>Now in_review since May</p>", codes) == ["in_review"]
    assert _leaks('<td class="state-active" data-state="in_review">Active</td>', codes) == []
    # A lower-case word equal to a code reads as one, translated or not ("active").
    assert _leaks("<span class='badge'>open</span>", {"open"}) == ["open"]


def test_the_audit_trail_page_names_kinds_and_submissions_in_chinese(client):
    from assessment.models import SubmissionEvent

    submission = factories.SubmissionFactory()
    SubmissionEvent.objects.create(
        submission=submission, kind="state_changed", actor=submission.created_by
    )
    client.force_login(_admin(AdminDuty.AUDIT))
    html = client.get("/audit/").content.decode()
    cells = [text.text for text in visible_texts(html) if text.inside("tbody")]
    assert submission.platform.name in cells
    assert "状态变更" in cells
    assert not [cell for cell in cells if "submission" in cell or "state_changed" in cell]
    # The filter offers the kinds by name.
    assert "状态变更" in [text.text for text in visible_texts(html) if text.inside("select")]
