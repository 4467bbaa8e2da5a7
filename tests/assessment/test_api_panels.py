"""Panels and on-site checks over the API: the same rules as the pages (blind scoring, avoidance,
odd sizes, scope), with translated errors that change nothing."""

import pytest

from assessment.models import Panel, SiteCheck
from assessment.services import panels
from questionnaires.selectors import rubric_of
from tests.assessment.api_support import token_client
from tests.factories import expert, panel_submission, pdf_bytes, reviewer

pytestmark = pytest.mark.django_db


def agree(entry_tier, submission):
    rubric = rubric_of(submission.rubric_version)
    return {i.code: "agree" for i in panels.judged_indicators(rubric, "industry", entry_tier)}


def test_panel_journey_over_the_api():
    submission = panel_submission(tier="growth")
    official = reviewer("440000")
    for _ in range(3):
        expert("440000")
    api = token_client(official)
    refused = api.post(
        "/api/v1/panels/", {"submissions": [submission.pk], "size": 4}, format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )  # fmt: skip
    assert refused.status_code == 400
    assert refused.json()["code"] == "panel_size_even"
    assert "奇数" in refused.json()["message"]
    assert not Panel.objects.exists()
    created = api.post(
        "/api/v1/panels/", {"submissions": [submission.pk], "size": 3, "seed": 42}, format="json"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["seed"] == "42" and len(body["members"]) == 3
    panel = Panel.objects.get()
    entry = panel.entries.get()
    url = f"/api/v1/panels/{panel.pk}/entries/{entry.pk}/score/"
    experts = [member.expert for member in panel.members.all()]
    first = token_client(experts[0])
    decisions = agree("growth", submission) | {"D1.2": {"decision": "rejected"}}
    saved = first.post(
        url, {"decisions": decisions, "recommended_tier": "growth", "submit": True}, format="json"
    )
    assert saved.status_code == 200, saved.json()
    # blind: the second expert sees progress only
    second = token_client(experts[1])
    seen = second.get(f"/api/v1/panels/{panel.pk}/").json()
    assert seen["entries"][0]["revealed"] is False
    assert "experts" not in seen["entries"][0] and "draw" not in seen
    for user in experts[1:]:
        token_client(user).post(
            url, {"decisions": agree("growth", submission), "recommended_tier": "growth",
                  "submit": True}, format="json",
        )  # fmt: skip
    seen = second.get(f"/api/v1/panels/{panel.pk}/").json()
    d12 = next(line for line in seen["entries"][0]["indicators"] if line["code"] == "D1.2")
    assert d12["disagreement"] is True and d12["majority"] == "agree"
    lead = token_client(panel.lead)
    assert lead.post(f"/api/v1/panels/{panel.pk}/opinion/", {"opinion": "同意"}).status_code == 200
    concluded = api.post(f"/api/v1/panels/{panel.pk}/conclude/")
    assert concluded.status_code == 200
    submission.refresh_from_db()
    assert submission.state == "public_notice"


def test_outsiders_get_404():
    submission = panel_submission(tier="growth")
    official = reviewer("440000")
    pool = [expert("440000") for _ in range(4)]
    panel = panels.panel_form(actor=official, submissions=[submission], size=3)
    seated = set(panel.members.values_list("expert_id", flat=True))
    outsider = next(user for user in pool if user.pk not in seated)
    entry = panel.entries.get()
    client = token_client(outsider)
    assert client.get(f"/api/v1/panels/{panel.pk}/").status_code == 404
    response = client.post(
        f"/api/v1/panels/{panel.pk}/entries/{entry.pk}/score/", {"decisions": {}}, format="json"
    )
    assert response.status_code == 404
    other_province = token_client(reviewer("330000"))
    assert other_province.get(f"/api/v1/panels/{panel.pk}/").status_code == 404


def test_site_check_over_the_api():
    submission = panel_submission(tier="leading", state="site_check")
    api = token_client(reviewer(is_national=True))
    opened = api.post("/api/v1/site-checks/", {"submission": submission.pk}, format="json")
    assert opened.status_code == 201, opened.json()
    check = opened.json()
    upload = api.post(
        f"/api/v1/site-checks/{check['id']}/files/",
        {"file": _file(pdf_bytes(), "现场照片.pdf")},
        format="multipart",
    )
    assert upload.status_code == 201, upload.json()
    for item in check["items"]:
        api.post(
            f"/api/v1/site-checks/{check['id']}/items/{item['id']}/",
            {"status": "confirmed"},
            format="json",
        )
    verdict = api.post(
        f"/api/v1/site-checks/{check['id']}/verdict/", {"verdict": "passed"}, format="json"
    )
    assert verdict.status_code == 200, verdict.json()
    submission.refresh_from_db()
    assert submission.state == "public_notice"
    assert SiteCheck.objects.get().verdict == "passed"


def _file(content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")
