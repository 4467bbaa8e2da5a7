"""The review desk's rule holds on every web view: a reviewer who declared a conflict of
interest with an organisation, or who belongs to it, sees none of its submissions, evidence or
reports; and no reviewer sees a draft. Every URL pattern that names a submission or a piece of
evidence is walked, so a view added later is covered without editing this file."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from assessment.models import ConflictDeclaration, Submission
from tests.factories import OrganisationFactory, PlatformFactory, answered_submission, reviewer
from tests.factories import region as region_of

pytestmark = pytest.mark.django_db

OBJECT_KWARGS = ("submission_id", "evidence_id")


def _patterns(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name


def _web_routes():
    return [
        (route, name)
        for route, name in _patterns()
        if not route.startswith(("api/", "admin/")) and any(k in route for k in OBJECT_KWARGS)
    ]


def _fill(route: str, submission: Submission) -> str:
    evidence = submission.evidence.order_by("id").first()
    return "/" + (
        route.replace("<int:submission_id>", str(submission.pk))
        .replace("<int:evidence_id>", str(evidence.pk))
        .replace("<str:code>", evidence.question_code)
        .replace("<str:section>", "D1")
    )


def test_the_walk_covers_the_submission_views():
    names = {name for _, name in _web_routes()}
    assert {
        "review_detail",
        "evidence_download",
        "submission_report",
        "operator_submission_view",
    } <= names
    assert {"submission_events_csv", "review_decide", "conflict_declare"} <= names


@pytest.fixture
def shenzhen():
    platform = PlatformFactory(organisation=OrganisationFactory(region=region_of("440300")))
    return answered_submission(platform=platform, state="submitted")


def _refused_everywhere(client, submission):
    for route, name in _web_routes():
        path = _fill(route, submission)
        statuses = {method: getattr(client, method)(path).status_code for method in ("get", "post")}
        # Each view answers 404 to the method it serves (405 for the one it does not).
        assert set(statuses.values()) <= {404, 405}, f"{path} ({name}): {statuses}"
        assert 404 in statuses.values(), f"{path} ({name}): {statuses}"


def test_a_conflicted_reviewer_opens_nothing_of_that_organisation(client, shenzhen):
    official = reviewer("440000")
    ConflictDeclaration.objects.create(
        reviewer=official, organisation=shenzhen.platform.organisation, reason="前雇主"
    )
    client.force_login(official)
    _refused_everywhere(client, shenzhen)


def test_a_member_reviewer_opens_nothing_of_its_own_organisation(client, shenzhen):
    client.force_login(reviewer("440000", organisation=shenzhen.platform.organisation))
    _refused_everywhere(client, shenzhen)


def test_no_reviewer_opens_a_draft(client, shenzhen):
    Submission.objects.filter(pk=shenzhen.pk).update(state="draft")
    client.force_login(reviewer("440000"))
    _refused_everywhere(client, shenzhen)


def test_the_same_reviewer_without_a_conflict_opens_the_review_screen(client, shenzhen):
    """The walk above can fail: without the conflict the review screen opens."""
    client.force_login(reviewer("440000"))
    assert client.get(f"/review/{shenzhen.pk}/").status_code == 200
    evidence = shenzhen.evidence.order_by("id").first()
    assert client.get(f"/evidence/{evidence.pk}/").status_code in (200, 302)
