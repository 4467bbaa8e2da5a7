"""Targets are data: an administrator edits one and every dashboard shows the new figure."""

import pytest
from django.urls import reverse

from assessment.models import Target
from tests.factories import CycleFactory, admin, regulator

pytestmark = pytest.mark.django_db


def test_the_three_action_plan_targets_exist_after_migrating():
    seeded = {(t.metric, t.comparison, int(t.target_value)) for t in Target.objects.all()}
    assert seeded == {
        ("influential_platforms", "gt", 450),
        ("connected_devices", "gt", 120_000_000),
        ("platform_penetration", "gte", 55),
    }


def test_admin_edit_of_a_target_shows_on_the_dashboard_at_once(
    client, django_capture_on_commit_callbacks
):
    CycleFactory(code="2027")
    official = regulator(is_national=True)
    client.force_login(official)
    client.get(reverse("dashboard_national"))  # cached with the seeded 450
    target = Target.objects.get(metric="influential_platforms")
    client.force_login(admin())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:assessment_target_change", args=[target.pk]),
            {
                "name_zh_hans": target.name_zh_hans,
                "name_en": target.name_en,
                "metric": target.metric,
                "comparison": "gt",
                "target_value": "500",
                "deadline": "2028-12-31",
                "region": "",
            },
        )
    assert response.status_code == 302
    client.force_login(official)
    shown = client.get(reverse("dashboard_national")).context["data"]["targets"]
    assert [t["target"] for t in shown if t["metric"] == "influential_platforms"] == [500.0]
