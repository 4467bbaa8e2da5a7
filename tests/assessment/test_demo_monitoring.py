"""seed_demo includes a monitoring year with returns, flags and decisions, and XLSX-filed drafts."""

import io

import pytest
from django.core.management import call_command

from assessment.models import MonitoringDecision, MonitoringReturn, SubmissionEvent

pytestmark = pytest.mark.django_db


def test_seed_demo_has_monitoring_years_flags_decisions_and_xlsx_filed_drafts(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("seed_demo", platforms=60, seed=2, workers=1, stdout=out)
    assert "monitoring returns" in out.getvalue()
    assert MonitoringReturn.objects.filter(state="filed").exists()
    assert MonitoringReturn.objects.filter(state="missing").exists()
    assert MonitoringReturn.objects.exclude(flags=[]).exists()
    assert MonitoringDecision.objects.exists()
    assert "XLSX-filed drafts" in out.getvalue()
    assert SubmissionEvent.objects.filter(
        kind="answer_changed", submission__state="draft", submission__cycle__code="2027"
    ).exists()
