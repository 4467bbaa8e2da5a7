"""On-site check pages through the test client: the queue, opening a checklist, findings, a file
through the evidence checks, the verdict; only national reviewers get in."""

import pytest
from django.urls import reverse

from assessment.models import SiteCheck, SiteCheckFile
from tests.factories import expert, panel_submission, pdf_bytes, reviewer, uploaded_file

pytestmark = pytest.mark.django_db


def test_inspector_runs_a_failing_check_through_the_pages(client):
    submission = panel_submission(tier="leading", state="site_check")
    inspector = reviewer(is_national=True)
    client.force_login(inspector)
    page = client.get(reverse("site_check_list")).content.decode()
    assert submission.platform.name in page
    response = client.post(reverse("site_check_open", args=[submission.pk]))
    check = SiteCheck.objects.get()
    assert response.url == reverse("site_check_detail", args=[check.pk])
    page = client.get(response.url).content.decode()
    assert "D1.2" in page
    findings = {f"status-{item.pk}": "confirmed" for item in check.items.all()}
    first = check.items.first()
    findings[f"status-{first.pk}"] = "not_confirmed"
    findings[f"finding-{first.pk}"] = "现场数量不符"
    client.post(reverse("site_check_findings", args=[check.pk]), findings)
    client.post(
        reverse("site_check_upload", args=[check.pk]),
        {"file": uploaded_file(pdf_bytes(), "现场记录.pdf"), "item": first.pk},
    )
    attachment = SiteCheckFile.objects.get()
    download = client.get(reverse("site_check_file", args=[attachment.pk]))
    assert download.status_code == 200
    refused = client.post(reverse("site_check_verdict", args=[check.pk]), {"verdict": "passed"})
    assert refused.status_code == 400
    client.post(
        reverse("site_check_verdict", args=[check.pk]),
        {"verdict": "failed", "summary": "设备接入数不实"},
    )
    submission.refresh_from_db()
    assert submission.state == "expert_review"


@pytest.mark.parametrize("who", ["provincial", "expert"])
def test_others_cannot_open_site_check_pages(client, who):
    submission = panel_submission(tier="leading", state="site_check")
    user = reviewer("440000") if who == "provincial" else expert("110000")
    client.force_login(user)
    assert client.get(reverse("site_check_list")).status_code == 404
    assert client.post(reverse("site_check_open", args=[submission.pk])).status_code == 404
    assert not SiteCheck.objects.exists()
