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


def test_a_provinces_own_targets_show_on_its_dashboard_only(client):
    from tests.factories import TargetFactory

    CycleFactory(code="2027")
    TargetFactory(
        metric="influential_platforms",
        comparison="gt",
        target_value=40,
        region_id="440000",
        name_en="Guangdong: influential platforms",
    )
    client.force_login(regulator(is_national=True))
    client.cookies["django_language"] = "en"

    def shown(path):
        return [t["name"] for t in client.get(path).context["data"]["targets"]]

    assert "Guangdong: influential platforms" in shown(reverse("dashboard_region", args=["440000"]))
    assert "Guangdong: influential platforms" not in shown(reverse("dashboard_national"))
    # A province's count target is not a city's.
    assert "Guangdong: influential platforms" not in shown(
        reverse("dashboard_region", args=["440300"])
    )


def test_targets_export_whole_numbers_as_such(client):
    import csv
    import io

    CycleFactory(code="2027")
    if not Target.objects.filter(metric="influential_platforms").exists():
        from tests.factories import TargetFactory

        TargetFactory(metric="influential_platforms", comparison="gt", target_value=450)
    client.force_login(regulator(is_national=True))
    response = client.get(reverse("dashboard_export", args=["targets", "csv"]))
    text = response.content.decode("utf-8-sig")
    assert "450.0" not in text
    assert "450" in [cell for row in csv.reader(io.StringIO(text)) for cell in row]
