"""seed_demo's programme (assessment.demo_programme): every stage of every route, a notice
with an upheld and a dismissed objection, published lists with decision numbers, proposer
never the signer, events in true time order."""

import pytest
from django.core.management import call_command

from assessment.models import (
    CallForApplications,
    Certification,
    Objection,
    Publication,
    Submission,
    SubmissionEvent,
    User,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", platforms=20, seed=1)


def test_demo_has_every_stage_of_every_route(seeded):
    states = set(Submission.objects.exclude(tier_applied="").values_list("tier_applied", "state"))
    assert {
        ("basic", "submitted"),  # drawn for the spot check
        ("basic", "certified"),
        ("growth", "expert_review"),
        ("growth", "certified"),
        ("leading", "in_review"),
        ("leading", "recommended"),
        ("leading", "expert_review"),
        ("leading", "certified"),
        ("ecosystem", "public_notice"),
    } <= states
    assert CallForApplications.objects.count() == 3
    assert Submission.objects.filter(platform__organisation__is_central=True).exists()


def test_demo_notice_has_an_upheld_and_a_dismissed_objection(seeded):
    assert set(Objection.objects.values_list("status", flat=True)) == {"upheld", "dismissed"}
    numbers = set(Publication.objects.values_list("decision_number", flat=True))
    assert any(number.startswith("工信部信发〔") for number in numbers)
    assert any(number.startswith("粤工信数字〔") for number in numbers)


def test_demo_proposer_is_never_the_signer(seeded):
    for certification in Certification.objects.exclude(signed_off_by=None):
        assert certification.proposed_by_id != certification.signed_off_by_id


def test_demo_events_are_in_true_time_order(seeded):
    for submission in Submission.objects.exclude(tier_applied="").filter(state="certified"):
        events = list(SubmissionEvent.objects.filter(submission=submission).order_by("id"))
        times = [event.created_at for event in events]
        assert times == sorted(times)
        certified = [event for event in events if event.kind == "certified"]
        assert len(certified) == 1
        assert all(event.created_at <= certified[0].created_at for event in events)
        assert events[-1].kind == "certified"


def test_demo_ministry_login(seeded):
    official = User.objects.get(email="ministry@demo.cn")
    assert official.is_national and official.check_password("demo-pass-2026")
