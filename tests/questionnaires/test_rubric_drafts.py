"""Previewing a rubric change: upload a draft (web and API), its impact per province and kind,
publishing it for a cycle; rubric_impact's groups, changes and progress."""

from __future__ import annotations

import json
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from questionnaires.models import RubricDraft, RubricVersion
from questionnaires.services import (
    RubricInvalid,
    rubric_draft_publish,
    rubric_draft_upload,
)
from tests.factories import CycleFactory, PlatformFactory, admin, region, regulator
from tests.questionnaires.rubric_builders import (
    choice,
    criterion,
    dimension,
    numeric,
    option,
    rubric_dict,
    same_target,
)
from tests.questionnaires.test_rubric_impact import store, submission_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The services' messages are matched in English; a request of an earlier test may have left
    # another language active on this thread.
    with translation.override("en"):
        yield


def candidate_text(version: str = "1.1", target: int = 200) -> str:
    """impact-test@1.1 as test_rubric_impact stores it: target 200, options a and c."""
    data = rubric_dict(
        [
            dimension(
                "D1",
                [
                    numeric("D1.1", [criterion("basic", same_target(target))], evidence="none"),
                    choice(
                        "D1.2",
                        [option(code, basic=1) for code in ("a", "c")],
                        [criterion("basic")],
                        evidence="none",
                    ),
                ],
            )
        ],
        code="impact-test",
        version=version,
    )
    return yaml.safe_dump(data, allow_unicode=True)


@pytest.fixture
def old_version(tmp_path):
    return store(tmp_path, "1.0", 100, ("a", "b"))


@pytest.fixture
def submissions(old_version):
    """Two provinces: Beijing (two basic → not rated, one stays) and Guangdong (one stays)."""
    beijing, guangdong = region("110000"), region("440000")

    def at(place, kind, **answers):
        submission = submission_with(old_version, **answers)
        submission.platform = PlatformFactory(region=place, kind=kind)
        submission.platform_kind = kind
        submission.save(update_fields=["platform", "platform_kind"])
        return submission

    return [
        at(beijing, "industry", D1_1=150, D1_2="a"),  # basic → not rated
        at(beijing, "industry", D1_1=250, D1_2="b"),  # basic → not rated (b is gone)
        at(beijing, "specialized", D1_1=250, D1_2="a"),  # basic → basic
        at(guangdong, "industry", D1_1=250, D1_2="a"),  # basic → basic
    ]


# --- rubric_impact: groups, changes, progress ----------------------------------------------------


def test_impact_is_broken_down_by_province_and_kind_with_the_platforms_that_change(
    tmp_path, submissions
):
    new = store(tmp_path, "1.1", 200, ("a", "c"))
    out, err = StringIO(), StringIO()
    call_command("rubric_impact", "impact-test@1.0", new.label, "--json", stdout=out, stderr=err)
    report = json.loads(out.getvalue())

    assert [
        (g["province"], g["kind"], g["old_result"], g["new_result"], g["submissions"])
        for g in report["groups"]
    ] == [
        ("110000", "industry", "basic", "not_rated", 2),
        ("110000", "specialized", "basic", "basic", 1),
        ("440000", "industry", "basic", "basic", 1),
    ]
    assert sorted(change["submission"] for change in report["changes"]) == sorted(
        s.pk for s in submissions[:2]
    )
    assert "rescored 4 of 4 (100 %)" in err.getvalue()


def test_impact_of_a_draft_by_its_id(submissions, old_version):
    draft = rubric_draft_upload(user=admin(), text=candidate_text(), compare_with=None)
    out = StringIO()
    call_command("rubric_impact", "impact-test@1.0", f"draft:{draft.pk}", stdout=out)
    assert "Would change tier: 2 of 4 (50.0 %)." in out.getvalue()
    assert "Time:" in out.getvalue()

    call_command(
        "rubric_impact", "impact-test@1.0", f"draft:{draft.pk}", "--store", stdout=StringIO(),
        stderr=StringIO(),
    )  # fmt: skip
    draft.refresh_from_db()
    assert (draft.compare_with, draft.impact["changed"]) == (old_version, 2)


# --- Services -------------------------------------------------------------------------------------


def test_an_invalid_candidate_is_refused_with_every_problem_and_its_path(old_version):
    text = candidate_text().replace("type: numeric", "type: numerical")
    with pytest.raises(RubricInvalid) as raised:
        rubric_draft_upload(user=admin(), text=text, compare_with=old_version)
    assert any(p.startswith("dimensions[0].indicators[0].type:") for p in raised.value.problems)
    assert not RubricDraft.objects.exists()


def test_a_candidate_under_a_stored_version_is_refused(old_version):
    with pytest.raises(Exception, match="already stored"):
        rubric_draft_upload(user=admin(), text=candidate_text("1.0"), compare_with=None)


def test_a_draft_is_stored_without_becoming_a_version(submissions, old_version):
    draft = rubric_draft_upload(user=admin(), text=candidate_text(), compare_with=old_version)

    assert draft.label == "impact-test@1.1"
    assert not RubricVersion.objects.filter(version="1.1").exists()
    assert (draft.impact["submissions"], draft.impact["changed"]) == (4, 2)


def test_publishing_stores_the_version_and_makes_it_the_cycle_s_rubric(old_version):
    draft = rubric_draft_upload(user=admin(), text=candidate_text(), compare_with=old_version)
    cycle = CycleFactory(code="2028", rubric_version=old_version)

    version = rubric_draft_publish(draft=draft, user=admin(), cycle=cycle)

    cycle.refresh_from_db()
    draft.refresh_from_db()
    assert cycle.rubric_version == version
    assert (draft.published_version, draft.published_cycle_code) == (version, "2028")
    assert version.fingerprint == draft.fingerprint


def test_a_cycle_with_submissions_keeps_its_version(submissions, old_version):
    draft = rubric_draft_upload(user=admin(), text=candidate_text(), compare_with=old_version)
    cycle = submissions[0].cycle
    with pytest.raises(Exception, match="already has submissions"):
        rubric_draft_publish(draft=draft, user=admin(), cycle=cycle)
    assert not RubricVersion.objects.filter(version="1.1").exists()


def test_a_draft_is_published_once(old_version):
    draft = rubric_draft_upload(user=admin(), text=candidate_text(), compare_with=None)
    rubric_draft_publish(draft=draft, user=admin())
    with pytest.raises(Exception, match="already"):
        rubric_draft_publish(draft=draft, user=admin())


def test_only_administrators_upload(old_version):
    with pytest.raises(Exception, match="administrators"):
        rubric_draft_upload(user=regulator(), text=candidate_text(), compare_with=None)


# --- Web ------------------------------------------------------------------------------------------


def english(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_the_upload_page_is_for_administrators_only(client, old_version):
    assert client.get(reverse("rubric_drafts")).status_code == 302  # sign in first
    client.force_login(regulator())
    assert client.get(reverse("rubric_drafts")).status_code == 404


def test_an_invalid_upload_shows_every_problem_with_its_path(client, old_version):
    client = english(client, admin())
    text = candidate_text().replace("type: numeric", "type: numerical")

    response = client.post(reverse("rubric_drafts"), {"text": text})

    assert response.status_code == 400
    assert "dimensions[0].indicators[0].type: unknown question type" in response.text
    assert not RubricDraft.objects.exists()


def test_an_uploaded_draft_shows_its_impact_matrix_groups_and_changes(
    client, submissions, old_version
):
    client = english(client, admin())
    upload = StringIO(candidate_text())
    upload.name = "impact-test@1.1.yaml"

    response = client.post(
        reverse("rubric_drafts"), {"file": upload, "compare_with": old_version.pk}
    )
    draft = RubricDraft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rubric_draft_detail", args=[draft.pk])

    page = client.get(response["Location"]).text
    assert "Would change tier: 2." in page
    assert 'id="impact-chart"' in page and '"type": "heatmap"' in page
    assert page.count('class="change-row"') == 2
    assert page.count('class="group-row"') == 3

    beijing_specialized = client.get(
        response["Location"], {"province": "110000", "kind": "specialized"}
    ).text
    assert "Would change tier: 0." in beijing_specialized


def test_publishing_on_the_web_for_a_cycle(client, old_version):
    client = english(client, admin())
    draft = rubric_draft_upload(user=admin(), text=candidate_text(), compare_with=None)
    CycleFactory(code="2028", rubric_version=old_version)

    response = client.post(reverse("rubric_draft_publish", args=[draft.pk]), {"cycle": "2028"})

    assert response.status_code == 302
    assert response["Location"] == reverse("rubric_detail", args=["impact-test@1.1"])
    assert RubricVersion.objects.get(version="1.1").cycles.get().code == "2028"


# --- API ------------------------------------------------------------------------------------------


def test_api_upload_check_and_publish(client, submissions, old_version):
    client.force_login(admin())
    response = client.post(
        "/api/v1/rubric-drafts/",
        {"yaml": candidate_text(), "compare_with": "impact-test@1.0"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["label"], body["impact"]["changed"]) == ("impact-test@1.1", 2)
    assert {g["province"] for g in body["impact"]["groups"]} == {"110000", "440000"}

    detail = client.get(f"/api/v1/rubric-drafts/{body['id']}/")
    assert detail.json()["compare_with"] == "impact-test@1.0"

    CycleFactory(code="2028", rubric_version=old_version)
    published = client.post(
        f"/api/v1/rubric-drafts/{body['id']}/publish/",
        {"cycle": "2028"},
        content_type="application/json",
    )
    assert published.status_code == 201
    assert published.json()["published_as"] == "impact-test@1.1"


def test_api_lists_every_problem_with_its_path(client, old_version):
    client.force_login(admin())
    text = candidate_text().replace("type: numeric", "type: numerical")

    response = client.post(
        "/api/v1/rubric-drafts/", {"yaml": text}, content_type="application/json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "rubric_invalid"
    assert {"dimensions[0].indicators[0].type"} <= {error["field"] for error in body["errors"]}


def test_api_drafts_look_missing_to_others(client, old_version):
    client.force_login(regulator())
    assert client.get("/api/v1/rubric-drafts/").status_code == 404
