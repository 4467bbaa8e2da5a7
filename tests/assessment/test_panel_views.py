"""Panel pages through the test client: forming, blind scoring, the side-by-side view, the
opinion and conclusion, scope (experts see only their panels), and the screen's query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import ExpertScore, Panel
from assessment.permissions import visible_submissions
from assessment.selectors import panels as selectors
from assessment.services import panels
from tests.factories import expert, panel_submission, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    submission = panel_submission(tier="growth")
    official = reviewer("440000")
    pool = [expert("440000", full_name=f"专家{n}") for n in range(4)]
    return submission, official, pool


def formed(setup, seed=7):
    submission, official, _pool = setup
    return panels.panel_form(actor=official, submissions=[submission], size=3, seed=seed)


def score_form_data(entry, decision="agree", **overrides):
    from questionnaires.selectors import rubric_of

    rubric = rubric_of(entry.submission.rubric_version)
    data = {"recommended_tier": "growth", "comment": "同意", "action": "submit"}
    for indicator in panels.judged_indicators(rubric, "industry", entry.tier):
        data[f"decision-{indicator.code}"] = decision
    data.update(overrides)
    return data


def test_official_forms_a_panel_through_the_page(client, setup):
    submission, official, _pool = setup
    client.force_login(official)
    page = client.get(reverse("panel_list"))
    assert submission.platform.name in page.content.decode()
    response = client.post(
        reverse("panel_form"), {"submission": [submission.pk], "size": "3", "seed": "11"}
    )
    panel = Panel.objects.get()
    assert response.status_code == 302
    assert panel.seed == 11


def test_even_size_on_the_page_is_refused_with_a_message(client, setup):
    submission, official, _pool = setup
    client.force_login(official)
    response = client.post(
        reverse("panel_form"), {"submission": [submission.pk], "size": "4"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )  # fmt: skip
    assert response.status_code == 400
    assert "奇数" in response.content.decode()
    assert not Panel.objects.exists()


def test_expert_scores_blind_and_sees_the_others_only_when_all_submitted(client, setup):
    panel = formed(setup)
    entry = panel.entries.get()
    first, second, third = [member.expert for member in panel.members.all()]
    client.force_login(first)
    assert client.get(reverse("expert_score", args=[panel.pk, entry.pk])).status_code == 200
    data = score_form_data(entry, **{"decision-D1.2": "corrected", "value-D1.2": "123456"})
    response = client.post(reverse("expert_score", args=[panel.pk, entry.pk]), data)
    assert response.status_code == 302
    stored = ExpertScore.objects.get(expert=first)
    assert stored.decisions["D1.2"] == {"decision": "corrected", "value": 123456, "reason": ""}
    client.force_login(second)
    page = client.get(reverse("panel_detail", args=[panel.pk])).content.decode()
    assert "1 of 3" in page or "1 / 3" in page or "3 位专家中已有 1 位" in page
    assert "123456" not in page and "123,456" not in page
    assert "side-by-side" not in page
    form = client.get(reverse("expert_score", args=[panel.pk, entry.pk])).content.decode()
    assert "123456" not in form
    for other in (second, third):
        client.force_login(other)
        client.post(reverse("expert_score", args=[panel.pk, entry.pk]), score_form_data(entry))
    page = client.get(reverse("panel_detail", args=[panel.pk])).content.decode()
    assert "side-by-side" in page
    assert 'class="disagree" data-code="D1.2"' in page


def test_lead_writes_opinion_and_official_concludes(client, setup):
    submission, official, _pool = setup
    panel = formed(setup)
    entry = panel.entries.get()
    for member in panel.members.all():
        client.force_login(member.expert)
        client.post(reverse("expert_score", args=[panel.pk, entry.pk]), score_form_data(entry))
    client.force_login(panel.lead)
    client.post(reverse("panel_opinion", args=[panel.pk]), {"opinion": "同意认定为成长级。"})
    client.force_login(official)
    response = client.post(reverse("panel_conclude", args=[panel.pk]))
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.state, submission.proposed_tier) == ("public_notice", "growth")


def test_experts_see_only_their_panels(client, setup):
    submission, _official, pool = setup
    panel = formed(setup)
    seated = set(panel.members.values_list("expert_id", flat=True))
    outsider = next(user for user in pool if user.pk not in seated)
    insider = next(user for user in pool if user.pk in seated)
    assert list(visible_submissions(insider)) == [submission]
    assert not visible_submissions(outsider).exists()
    client.force_login(outsider)
    entry = panel.entries.get()
    assert client.get(reverse("panel_detail", args=[panel.pk])).status_code == 404
    assert client.get(reverse("expert_score", args=[panel.pk, entry.pk])).status_code == 404
    assert client.get(reverse("review_detail", args=[submission.pk])).status_code == 404


def test_panel_screen_query_count_is_fixed(setup, django_assert_max_num_queries):
    submission, official, _pool = setup
    panel = formed(setup)
    entry = panel.entries.get()
    for member in panel.members.all():
        panels.expert_score_save(
            actor=member.expert, entry=entry, decisions=panels_agree(entry),
            recommended_tier="growth", submit=True,
        )  # fmt: skip
    with CaptureQueriesContext(connection) as one_entry:
        selectors.panel_screen(user=official, panel=Panel.objects.get(pk=panel.pk))
    assert len(one_entry) == 9


def panels_agree(entry):
    from questionnaires.selectors import rubric_of

    rubric = rubric_of(entry.submission.rubric_version)
    return {i.code: "agree" for i in panels.judged_indicators(rubric, "industry", entry.tier)}


def test_expert_declares_a_conflict_and_is_not_drawn(client):
    from assessment.models import ConflictDeclaration

    submission = panel_submission(tier="growth")
    official = reviewer("440000")
    pool = [expert("440000") for _ in range(4)]
    client.force_login(pool[0])
    client.post(
        reverse("expert_conflict"),
        {"credit_code": submission.platform.organisation.credit_code, "reason": "曾任顾问"},
    )
    assert ConflictDeclaration.objects.filter(reviewer=pool[0]).exists()
    panel = panels.panel_form(actor=official, submissions=[submission], size=3)
    assert pool[0].pk not in set(panel.members.values_list("expert_id", flat=True))
    assert panel.draw["excluded"][str(pool[0].pk)] == ["declared_conflict"]
    refused = client.post(reverse("expert_conflict"), {"credit_code": "X", "reason": "r"})
    assert refused.status_code == 302
    assert ConflictDeclaration.objects.count() == 1


def test_findings_of_a_failed_site_check_reach_the_next_panel(client):
    from assessment.services import site_checks

    submission = panel_submission(tier="leading", state="site_check")
    inspector = reviewer(is_national=True)
    check = site_checks.site_check_open(actor=inspector, submission=submission)
    for item in check.items.all():
        site_checks.site_check_record_finding(
            actor=inspector,
            item=item,
            status="not_confirmed" if item.question_code == "D1.2" else "confirmed",
            finding="现场仅见四十万台",
        )
    site_checks.site_check_decide(
        actor=inspector, site_check=check, verdict="failed", summary="不实"
    )
    for province in ("110000", "310000", "510000"):
        expert(province)
    panel = panels.panel_form(actor=inspector, submissions=[submission], size=3)
    client.force_login(inspector)
    page = client.get(reverse("panel_detail", args=[panel.pk])).content.decode()
    assert "D1.2: 现场仅见四十万台" in page
    client.force_login(panel.lead)
    entry = panel.entries.get()
    form = client.get(reverse("expert_score", args=[panel.pk, entry.pk])).content.decode()
    assert "现场仅见四十万台" in form


def test_drawn_expert_reads_the_notice_and_lands_on_their_panels(client, setup):
    panel = formed(setup)
    client.force_login(panel.lead)
    page = client.get(reverse("notifications"))
    assert page.status_code == 200
    assert f"专家组 {panel.pk}" in page.content.decode() or "expert panel" in page.content.decode()
    assert client.get(reverse("home")).url == reverse("panel_list")


def test_a_panel_before_the_site_check_does_not_show_its_findings(client):
    from assessment.services import site_checks

    submission = panel_submission(tier="leading")
    inspector = reviewer(is_national=True)
    for province in ("110000", "310000", "510000"):
        expert(province)
    first = panels.panel_form(actor=inspector, submissions=[submission], size=3)
    entry = first.entries.get()
    for member in first.members.all():
        panels.expert_score_save(
            actor=member.expert, entry=entry, decisions=panels_agree(entry),
            recommended_tier="leading", submit=True,
        )  # fmt: skip
    panels.panel_write_opinion(actor=first.lead, panel=first, opinion="同意")
    panels.panel_conclude(actor=inspector, panel=first)
    check = site_checks.site_check_open(actor=inspector, submission=submission)
    for item in check.items.all():
        site_checks.site_check_record_finding(
            actor=inspector, item=item, status="not_confirmed", finding="不符"
        )
    site_checks.site_check_decide(actor=inspector, site_check=check, verdict="failed", summary="x")
    client.force_login(inspector)
    page = client.get(reverse("panel_detail", args=[first.pk])).content.decode()
    assert "site-findings" not in page
