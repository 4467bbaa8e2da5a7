"""The programme's pages through the test client: the officials' overview (pipeline, quotas)
with a fixed query count, the call desk's actions, the operator's application with the
window, the public notice with an objection from anyone, the publication and the register."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import Objection, PublicNotice, Submission
from assessment.services import programme
from tests.assessment.programme_fixtures import PROVINCE, on_notice, proposed
from tests.factories import (
    CertificationFactory,
    PlatformFactory,
    SubmissionFactory,
    answered_submission,
    backdate_event,
    call_for_applications,
    ministry_official,
    operator,
    pdf_bytes,
    provincial_lead,
    reviewer,
    uploaded_file,
)

pytestmark = pytest.mark.django_db
ENGLISH = {"django_language": "en"}


def test_overview_shows_pipeline_and_quotas_with_a_fixed_query_count(
    client, django_assert_max_num_queries
):
    call = call_for_applications()
    proposed(call, 2)
    official = ministry_official()
    client.force_login(official)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("programme_overview"))
    assert response.status_code == 200
    stages = {stage.state: stage for stage in response.context["stages"]}
    assert stages["in_review"].count == 2
    assert stages["in_review"].median_days is not None
    quotas = {row.province.code: row.cells for row in response.context["quotas"]}
    assert quotas[PROVINCE][0] == ("leading", 3, 0, 3)
    proposed(call, 3)
    with django_assert_max_num_queries(12):
        client.get(reverse("programme_overview"))


def test_operators_do_not_see_the_programme_desk(client):
    client.force_login(operator())
    assert client.get(reverse("programme_overview")).status_code == 404


def _recommend_form(ranked: dict) -> dict:
    """The call desk's recommendation form: submission → (rank, opinion)."""
    form = {"province": PROVINCE, "tier": "leading", "submission": [s.pk for s in ranked]}
    for submission, (rank, opinion) in ranked.items():
        form[f"rank_{submission.pk}"] = rank
        form[f"opinion_{submission.pk}"] = opinion
    return form


def test_lead_signs_a_ranked_recommendation_on_the_call_desk(client):
    call = call_for_applications()
    first, second = proposed(call, 2)
    client.force_login(provincial_lead(PROVINCE))
    page = client.get(reverse("programme_call", args=[call.pk]))
    assert first.platform.name in page.content.decode()
    response = client.post(
        reverse("programme_recommend", args=[call.pk]),
        _recommend_form({first: ("2", "意见一"), second: ("1", "意见二")}),
    )
    assert response.status_code == 302
    assert set(Submission.objects.values_list("state", flat=True)) == {"recommended"}


def test_recommendation_over_quota_shows_the_error_and_changes_nothing(client):
    call = call_for_applications(quota_leading=1)
    first, second = proposed(call, 2)
    client.force_login(provincial_lead(PROVINCE))
    response = client.post(
        reverse("programme_recommend", args=[call.pk]),
        _recommend_form({first: ("1", "意见"), second: ("2", "意见")}),
        follow=True,
    )
    assert "配额" in response.content.decode()
    assert set(Submission.objects.values_list("state", flat=True)) == {"in_review"}


def test_ministry_formal_check_on_the_desk(client):
    call = call_for_applications()
    (submission,) = proposed(call)
    programme.recommendation_sign(
        actor=provincial_lead(PROVINCE),
        call=call,
        province_code=PROVINCE,
        tier="leading",
        entries=[(submission, "推荐")],
    )
    client.force_login(ministry_official())
    response = client.post(
        reverse("programme_formal_check", args=[submission.pk]),
        {"outcome": "return", "complete": "on", "reason": "资格不符"},
    )
    assert response.status_code == 302
    assert Submission.objects.get(pk=submission.pk).state == "in_review"


def test_operator_sees_the_window_and_applies_for_a_tier(client):
    call = call_for_applications(attachments_zh_hans="营业执照\n审计报告")
    submission = SubmissionFactory(cycle=call.cycle)
    client.force_login(submission.created_by)
    page = client.get(reverse("programme_apply", args=[submission.pk]))
    content = page.content.decode()
    assert "审计报告" in content and "data-closes-at" in content
    client.post(reverse("programme_apply", args=[submission.pk]), {"tier": "growth"})
    assert Submission.objects.get(pk=submission.pk).tier_applied == "growth"


def test_another_organisations_operator_gets_404(client):
    call = call_for_applications()
    submission = SubmissionFactory(cycle=call.cycle)
    client.force_login(operator())
    assert client.get(reverse("programme_apply", args=[submission.pk])).status_code == 404


def _notice(call):
    notice, (submission,) = on_notice(call)
    return notice, submission


def test_anyone_files_an_objection_on_the_public_page(client):
    call = call_for_applications()
    notice, submission = _notice(call)
    entry = notice.entries.get()
    page = client.get(reverse("public_notice", args=[notice.pk]))
    assert submission.platform.name in page.content.decode()
    client.post(
        reverse("objection_file", args=[entry.pk]),
        {
            "name": "李四",
            "phone": "13900000000",
            "text": "数据不实",
            "file": uploaded_file(pdf_bytes(), "证据.pdf"),
        },
    )
    objection = Objection.objects.get()
    assert objection.attachments.count() == 1
    page = client.get(reverse("public_notice", args=[notice.pk]))
    assert "13900000000" not in page.content.decode()  # contact details stay private


def test_objection_without_contact_details_is_refused_with_a_message(client):
    call = call_for_applications()
    notice, _submission = _notice(call)
    response = client.post(
        reverse("objection_file", args=[notice.entries.get().pk]),
        {"name": "李四", "phone": "", "text": "数据不实"},
        follow=True,
    )
    assert "电话" in response.content.decode()
    assert not Objection.objects.exists()


def test_publication_page_shows_the_decision_number(client):
    call = call_for_applications()
    notice, submission = _notice(call)
    today = timezone.localdate()
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=today - timedelta(days=9), ends_on=today - timedelta(days=2)
    )
    client.force_login(ministry_official())
    response = client.post(reverse("programme_publication_issue", args=[notice.pk]), follow=True)
    content = response.content.decode()
    assert "工信部信发〔" in content
    assert submission.platform.name in content


def test_register_shows_one_current_tier_per_platform(client):
    platform = PlatformFactory()
    older = CertificationFactory(
        submission__platform=platform,
        tier="basic",
        certified_at=timezone.now() - timedelta(days=400),
        valid_until=timezone.localdate() + timedelta(days=700),
    )
    newer = CertificationFactory(
        submission__platform=platform,
        tier="growth",
        certified_at=timezone.now(),
        valid_until=timezone.localdate() + timedelta(days=1000),
    )
    response = client.get(reverse("public_register"))
    shown = {certification.pk for certification in response.context["page"].object_list}
    assert newer.pk in shown and older.pk not in shown


def test_spot_check_from_the_desk(client):
    now = timezone.now()
    call = call_for_applications(opens_at=now - timedelta(days=9), closes_at=now)
    for _index in range(5):
        submission = answered_submission(tier="basic", cycle=call.cycle, tier_applied="basic")
        Submission.objects.filter(pk=submission.pk).update(claimed_result="basic")
    client.force_login(reviewer(PROVINCE))
    response = client.post(
        reverse("programme_spot_check", args=[call.pk]), {"province": PROVINCE}, follow=True
    )
    assert "抽查" in response.content.decode()
    assert Submission.objects.filter(state="certified").count() == 4


@pytest.mark.parametrize("name", ["public_notices", "programme_overview", "programme_call_new"])
def test_pages_in_english(client, name):
    client.cookies.load(ENGLISH)
    client.force_login(ministry_official())
    response = client.get(reverse(name))
    assert response.status_code == 200


def test_administrator_sets_the_central_enterprise_flag(client):
    from assessment.models import Organisation
    from tests.factories import OrganisationFactory, admin

    organisation = OrganisationFactory()
    client.force_login(admin())
    url = reverse("admin:assessment_organisation_change", args=[organisation.pk])
    page = client.get(url)
    assert 'name="is_central"' in page.content.decode()
    client.post(
        url,
        {
            "credit_code": organisation.credit_code,
            "name": organisation.name,
            "region": organisation.region_id,
            "is_central": "on",
        },
    )
    assert Organisation.objects.get(pk=organisation.pk).is_central


def test_public_notice_page_query_count_does_not_grow_with_the_list(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = call_for_applications(quota_leading=10)
    counts = []
    for size in (1, 3):
        notice, _submissions = on_notice(call, size)
        for entry in notice.entries.all():
            programme.objection_file(entry=entry, name="甲", phone="1", text="异议")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("public_notice", args=[notice.pk]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_pipeline_waits_count_from_entering_the_stage():

    from assessment.models import SubmissionEvent
    from assessment.selectors.dashboards import DashboardFilters, dashboard_data
    from assessment.selectors.programme import pipeline

    call = call_for_applications()
    (submission,) = proposed(call)
    programme.recommendation_sign(
        actor=provincial_lead(PROVINCE),
        call=call,
        province_code=PROVINCE,
        tier="leading",
        entries=[(submission, "推荐")],
    )
    event = SubmissionEvent.objects.filter(submission=submission, to_state="recommended").get()
    backdate_event(event.pk, timezone.now() - timedelta(days=4))
    stages = {stage.state: stage for stage in pipeline(ministry_official(), cycle_id=call.cycle_id)}
    assert stages["recommended"].count == 1
    assert 3.9 < stages["recommended"].median_days < 4.1
    # The dashboards' pipeline has the programme's stages too.
    data = dashboard_data(user=None, filters=DashboardFilters(cycle=call.cycle.code))
    rows = {row["state"]: row for row in data["pipeline"]}
    assert rows["recommended"]["submissions"] == 1
    assert {"expert_review", "site_check", "public_notice"} <= set(rows)
