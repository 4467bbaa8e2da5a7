"""seed_demo's programme (assessment.demo_programme): every stage of every route, real panels
whose experts disagree, an on-site check that failed once, a notice with an upheld and a
dismissed objection, published lists with decision numbers, proposer never the signer, and
every submission's events in true time order.

The demo is seeded once for the module, in a transaction rolled back at its end."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from assessment.models import (
    CallForApplications,
    Certification,
    ExpertScore,
    Objection,
    Panel,
    Publication,
    SiteCheck,
    Submission,
    SubmissionEvent,
    User,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        started = timezone.now()
        call_command("seed_demo", platforms=20, seed=1)
        yield {"started": started, "ended": timezone.now()}
        transaction.set_rollback(True)


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


def test_every_platform_past_the_panel_went_through_a_concluded_panel(seeded):
    # The panel was stood in for by a bare state change: no panel, no expert score.
    past_panel = Submission.objects.exclude(tier_applied__in=["", "basic"]).filter(
        events__kind="state_changed", events__from_state="expert_review"
    )
    assert past_panel.distinct().count() == 6
    for submission in past_panel.distinct():
        entries = submission.panel_entries.filter(panel__state="concluded")
        assert entries.exists(), submission.platform.name
        assert (
            entries.order_by("panel__concluded_at").last().result == submission.proposed_tier
            or submission.state == "in_review"
        )
    # Before the leading and growth panels still scoring, expert2 and expert1 are awaited.
    for platform, expert in (("粤芯协同制造平台", "expert2"), ("中山灯饰产业平台", "expert1")):
        panel = Panel.objects.get(state="scoring", entries__submission__platform__name=platform)
        scored = set(
            ExpertScore.objects.filter(entry__panel=panel, submitted_at__isnull=False).values_list(
                "expert__email", flat=True
            )
        )
        assert f"{expert}@demo.cn" not in scored and len(scored) == panel.size - 1


def test_demo_experts_disagree_and_the_majority_keeps_the_tier(seeded):
    panel = Panel.objects.filter(state="concluded", size=3, level="national").first()
    entry = panel.entries.first()
    results = set(entry.scores.values_list("result", flat=True))
    recommended = set(entry.scores.values_list("recommended_tier", flat=True))
    assert len(results) > 1 and len(recommended) > 1
    assert any(vote["votes"] != {"agree": 3} for vote in entry.majority.values())
    assert entry.result == entry.tier


def test_demo_on_site_check_failed_once_then_passed(seeded):
    submission = Submission.objects.get(platform__name="粤智造工业互联网平台")
    checks = list(SiteCheck.objects.filter(submission=submission).order_by("decided_at"))
    assert [check.verdict for check in checks] == ["failed", "passed"]
    assert submission.panel_entries.filter(panel__state="concluded").count() == 2
    assert submission.state == "certified"


def test_demo_proposer_is_never_the_signer(seeded):
    for certification in Certification.objects.exclude(signed_off_by=None):
        assert certification.proposed_by_id != certification.signed_off_by_id
    published = Certification.objects.exclude(submission__tier_applied__in=["", "basic"]).filter(
        status="certified"
    )
    assert published.count() == 4
    assert not published.filter(signed_off_by=None).exists()


def test_demo_events_are_in_true_time_order(seeded):
    # Objections, answers, panels and publications carried the time of seeding, after the
    # steps dated in the past that followed them.
    certified_at = dict(
        Certification.objects.exclude(certified_at=None).values_list(
            "submission_id", "certified_at"
        )
    )
    events = SubmissionEvent.objects.order_by("submission_id", "id").values_list(
        "submission_id", "kind", "to_state", "created_at"
    )
    by_submission: dict[int, list] = {}
    for submission_id, kind, to_state, created_at in events:
        certifying = kind == "certified" or to_state == "certified"
        by_submission.setdefault(submission_id, []).append((kind, created_at, certifying))
    for submission_id, history in by_submission.items():
        times = [created_at for _kind, created_at, _certifying in history]
        assert times == sorted(times), submission_id  # in the order they were recorded
        assert times[-1] <= seeded["ended"], submission_id
        certifying = [index for index, step in enumerate(history) if step[2]]
        if certifying:  # what led to the certification (annual monitoring may follow it)
            assert times[certifying[-1]] <= certified_at[submission_id], submission_id
    programme = Submission.objects.exclude(tier_applied="").filter(cycle__code="2027")
    for submission in programme:
        history = by_submission[submission.pk]
        # Nothing of the programme is dated at the time of seeding but the running notice.
        assert history[0][1] < seeded["started"]
        assert history[0][1] >= submission.cycle.calls.order_by("opens_at").first().opens_at
        if submission.state == "certified":
            assert history[-1][0] == "certified"


def test_demo_ministry_login(seeded):
    official = User.objects.get(email="ministry@demo.cn")
    assert official.is_national and official.check_password("demo-pass-2026")
