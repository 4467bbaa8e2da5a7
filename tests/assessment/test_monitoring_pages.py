"""The monitoring pages: who sees what, the forms' refusals, fixed query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessment.models import Certification, MonitoringReturn, MonitoringWindow
from assessment.selectors.monitoring import monitoring_compliance, monitoring_screen
from assessment.services.monitoring import monitoring_window_open
from tests.factories import admin, operator, reviewed_submission, reviewer

pytestmark = pytest.mark.django_db


def _certified():
    submission = reviewed_submission(result="growth", certified=True, platform__kind="industry")
    Certification.objects.filter(submission=submission).update(
        certified_at=timezone.now() - timedelta(days=30)
    )
    return submission.certification


def _open():
    today = timezone.localdate()
    return monitoring_window_open(
        actor=admin(), year=today.year, opens_on=today, closes_on=today + timedelta(days=9)
    )


def test_a_national_official_opens_a_window_on_the_web(client):
    certification = _certified()
    client.force_login(reviewer(is_national=True))
    today = timezone.localdate()
    response = client.post(
        "/monitoring/",
        {
            "year": today.year,
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=5)).isoformat(),
            "fall_threshold": "0.25",
        },
    )
    assert response.status_code == 302
    window = MonitoringWindow.objects.get()
    assert window.fall_threshold == pytest.approx(0.25)
    assert MonitoringReturn.objects.get().certification == certification


def test_bad_window_dates_are_refused_with_a_message(client):
    client.force_login(reviewer(is_national=True))
    response = client.post("/monitoring/", {"year": "20x", "opens_on": "x", "closes_on": ""})
    assert response.status_code == 400
    assert not MonitoringWindow.objects.exists()


def test_a_provincial_reviewer_cannot_open_a_window(client):
    client.force_login(reviewer("440000"))
    today = timezone.localdate()
    response = client.post(
        "/monitoring/",
        {"year": today.year, "opens_on": today.isoformat(), "closes_on": today.isoformat()},
    )
    assert response.status_code == 400
    assert not MonitoringWindow.objects.exists()


def test_officials_out_of_scope_do_not_see_the_return(client):
    _certified()
    window = _open()
    client.force_login(reviewer("330000"))
    response = client.get(f"/monitoring/{window.year}/")
    assert response.status_code == 200
    assert b'data-testid="return"' not in response.content
    return_id = MonitoringReturn.objects.get().pk
    assert client.post(f"/monitoring/returns/{return_id}/decide/").status_code == 404


def test_operators_see_only_their_own_returns(client):
    certification = _certified()
    _open()
    return_id = MonitoringReturn.objects.get().pk
    client.force_login(operator())
    assert client.get(f"/operator/monitoring/{return_id}/").status_code == 404
    assert client.get("/monitoring/2030/").status_code == 404
    client.force_login(operator(organisation=certification.submission.platform.organisation))
    assert client.get(f"/operator/monitoring/{return_id}/").status_code == 200


def test_an_invalid_return_is_shown_again_with_the_error(client):
    certification = _certified()
    _open()
    monitoring_return = MonitoringReturn.objects.get()
    client.force_login(operator(organisation=certification.submission.platform.organisation))
    data = {f"m-{code}": value for code, value in monitoring_return.values.items()}
    data = {key: str(value).lower() for key, value in data.items()}
    data["m-D1.2"] = "-4"
    response = client.post(f"/operator/monitoring/{monitoring_return.pk}/", data)
    assert response.status_code == 400
    assert 'id="error-m-D1-2"' in response.content.decode()
    monitoring_return.refresh_from_db()
    assert monitoring_return.state == "open"


def test_the_screen_and_compliance_take_a_fixed_number_of_queries():
    window = None
    for _index in range(2):
        _certified()
    window = _open()
    national = admin()
    with CaptureQueriesContext(connection) as two:
        monitoring_compliance(national, window)
    _certified()
    _certified()
    window.returns.all().delete()
    window.delete()
    window = _open()
    with CaptureQueriesContext(connection) as four:
        rows = monitoring_compliance(national, window)
    assert sum(row.returns for row in rows) == 4
    assert len(four.captured_queries) == len(two.captured_queries)
    assert len(monitoring_screen(national, window)) == 4


def test_the_operator_attaches_checked_evidence_to_a_monitored_value(client, settings, tmp_path):
    from assessment.models import MonitoringEvidence
    from tests.factories import pdf_bytes, uploaded_file

    settings.MEDIA_ROOT = tmp_path
    certification = _certified()
    _open()
    monitoring_return = MonitoringReturn.objects.get()
    person = operator(organisation=certification.submission.platform.organisation)
    client.force_login(person)
    url = f"/operator/monitoring/{monitoring_return.pk}/evidence/"
    client.post(url, {"question_code": "D1.2", "file": uploaded_file(pdf_bytes(), "设备清单.pdf")})
    client.post(url, {"question_code": "D5.1", "url": "https://example.cn/customers.xlsx"})
    client.post(url, {"question_code": "D2.1", "url": "https://example.cn/x"})  # not monitored
    client.post(url, {"question_code": "D1.2", "url": "ftp://example.cn/x"})  # not a web link
    stored = list(MonitoringEvidence.objects.values_list("question_code", "original_name", "url"))
    assert stored == [
        ("D1.2", "设备清单.pdf", ""),
        ("D5.1", "", "https://example.cn/customers.xlsx"),
    ]
    item = MonitoringEvidence.objects.get(question_code="D1.2")
    assert len(item.sha256) == 64
    page = client.get(f"/operator/monitoring/{monitoring_return.pk}/")
    assert 'data-testid="evidence-D1.2"' in page.content.decode()
    download = client.get(f"/monitoring/evidence/{item.pk}/")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(operator())
    assert client.get(f"/monitoring/evidence/{item.pk}/").status_code == 404
