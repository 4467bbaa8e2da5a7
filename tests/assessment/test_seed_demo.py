import pytest
from django.core.management import CommandError, call_command

from assessment import demo_programme
from assessment.models import (
    Answer,
    AssessmentCycle,
    Certification,
    Organisation,
    Platform,
    Region,
    Role,
    Submission,
    User,
)
from assessment.services.scoring import submission_score

pytestmark = pytest.mark.django_db(transaction=False)


def snapshot():
    return {
        "platforms": list(Platform.objects.order_by("id").values_list("name", "kind", "region_id")),
        "organisations": list(
            Organisation.objects.order_by("id").values_list("credit_code", "name")
        ),
        "submissions": list(
            Submission.objects.order_by("id").values_list(
                "platform__name", "cycle__code", "state", "claimed_result", "score_summary__result"
            )
        ),
        "answers": list(
            Answer.objects.order_by("submission_id", "question_code").values_list(
                "submission__platform__name", "submission__cycle__code", "question_code", "value"
            )
        ),
        "certifications": list(
            Certification.objects.order_by("submission_id").values_list(
                "submission__platform__name", "tier", "certified_at", "signed_off_by__email"
            )
        ),
    }


def test_seed_demo_creates_the_requested_number_of_platforms():
    call_command("seed_demo", platforms=40, seed=3)
    # The programme's demo (assessment.demo_programme) adds its own platforms, one each.
    extra = len(demo_programme.PLATFORMS) + len(demo_programme.ZHEJIANG_BASIC)
    assert Platform.objects.count() == 40 + extra
    assert Organisation.objects.count() == 32 + extra
    assert AssessmentCycle.objects.count() == 2
    # Every platform's organisation has an operator who can sign in.
    assert not Organisation.objects.exclude(members__role=Role.OPERATOR).exists()


def test_seed_demo_covers_all_provinces_and_kinds_at_full_size():
    call_command("seed_demo", platforms=300, seed=1)
    provinces = Platform.objects.values_list("region__parent_id", flat=True).distinct()
    assert len(set(provinces)) >= 25
    assert set(Platform.objects.values_list("kind", flat=True)) == {
        "specialized",
        "industry",
        "collaborative",
    }
    states = set(Submission.objects.values_list("state", flat=True))
    assert {"draft", "submitted", "in_review", "revision_requested", "certified"} <= states
    assert set(Certification.objects.values_list("tier", flat=True)) >= {
        "basic",
        "growth",
        "leading",
    }


def test_seed_demo_creates_the_documented_demo_accounts():
    call_command("seed_demo", platforms=20, seed=1)
    emails = set(User.objects.values_list("email", flat=True))
    documented = {
        "operator@demo.cn",
        "reviewer.gd@demo.cn",
        "reviewer.national@demo.cn",
        "regulator.gd@demo.cn",
        "regulator.national@demo.cn",
        "admin@demo.cn",
    }
    assert documented <= emails
    assert User.objects.get(email="operator@demo.cn").check_password("demo-pass-2026")
    assert set(
        User.objects.get(email="reviewer.gd@demo.cn").regions.values_list("code", flat=True)
    ) == {"440000"}


@pytest.mark.django_db(transaction=True)
def test_the_same_seed_gives_the_same_data_whatever_the_number_of_workers():
    # One test for three seedings (each costs seconds): in one process, again in two workers,
    # then with another seed.
    call_command("seed_demo", platforms=30, seed=7, workers=1)
    in_one_process = snapshot()
    _empty_database()
    call_command("seed_demo", platforms=30, seed=7, workers=2)
    in_two_workers = snapshot()
    # Certification times are drawn relative to now, which moved on between the two runs.
    assert [row[:2] + row[3:] for row in in_one_process.pop("certifications")] == [
        row[:2] + row[3:] for row in in_two_workers.pop("certifications")
    ]
    assert in_one_process == in_two_workers
    _empty_database()
    call_command("seed_demo", platforms=30, seed=8)
    assert snapshot()["organisations"] != in_one_process["organisations"]


def test_seed_demo_stores_the_scores_the_engine_gives():
    call_command("seed_demo", platforms=60, seed=2)
    submissions = list(Submission.objects.select_related("score_summary", "rubric_version"))
    assert len(submissions) > 40
    for submission in submissions:
        stored = submission.score_summary
        assert stored.breakdown == submission_score(submission).to_dict(), submission
        assert set(submission.dimension_scores.values_list("dimension_code", flat=True))
    # Programme certifications (a tier applied for) follow their route: checked below in
    # tests/assessment/test_programme_demo.py.
    for certification in Certification.objects.filter(submission__tier_applied="").select_related(
        "submission__score_summary"
    ):
        summary = certification.submission.score_summary
        assert certification.tier == summary.result == certification.submission.claimed_result
        assert certification.snapshot == summary.breakdown
        assert (certification.signed_off_by_id is not None) == (
            certification.tier in ("leading", "ecosystem")
        )


def test_seed_demo_refuses_fewer_than_one_worker():
    with pytest.raises(CommandError, match="--workers"):
        call_command("seed_demo", platforms=5, seed=1, workers=0)
    assert not Platform.objects.exists()


def test_seed_demo_refuses_a_database_that_already_has_platforms():
    call_command("seed_demo", platforms=5, seed=1)
    with pytest.raises(CommandError, match="already has platforms"):
        call_command("seed_demo", platforms=5, seed=1)
    extra = len(demo_programme.PLATFORMS) + len(demo_programme.ZHEJIANG_BASIC)
    assert Platform.objects.count() == 5 + extra


def test_reference_data_has_all_provinces_with_their_tile_positions():
    provinces = Region.objects.filter(level="province")
    assert provinces.count() == 31
    assert not provinces.filter(tile_row__isnull=True).exists()
    positions = set(provinces.values_list("tile_row", "tile_col"))
    assert len(positions) == 31


def _empty_database():
    from assessment.models import Industry, Target
    from assessment.reference_data import load_reference_data
    from tests.factories import flush_database

    flush_database()
    load_reference_data(Region, Industry, Target)


def test_seed_demo_dates_events_in_order_before_the_certification_and_drafts_have_waited():
    # Events were dated at the time of seeding, after the certification they led to, and every
    # draft or revision had waited "0 days".
    from datetime import timedelta

    from django.db.models import Max
    from django.utils import timezone

    from assessment.models import SubmissionEvent

    started = timezone.now()
    call_command("seed_demo", platforms=60, seed=5)
    now = timezone.now()
    # The generated history and the programme's story, dated in the past (a proposal held in
    # the programme has no certification date yet; docs/programme.md, demo data).
    for certification in Certification.objects.filter(certified_at__lt=started).select_related(
        "submission"
    ):
        last = SubmissionEvent.objects.filter(
            submission=certification.submission, kind="state_changed"
        ).aggregate(last=Max("created_at"))["last"]
        assert last <= certification.certified_at + timedelta(seconds=1)
        assert certification.submission.created_at <= certification.certified_at
    events = list(
        SubmissionEvent.objects.filter(kind="state_changed")
        .order_by("submission_id", "id")
        .values_list("submission_id", "created_at")
    )
    for (first_id, first_at), (second_id, second_at) in zip(events, events[1:], strict=False):
        if first_id == second_id:
            assert first_at <= second_at
    waiting = [
        (now - created).days
        for created in Submission.objects.filter(state="draft").values_list("created_at", flat=True)
    ]
    assert waiting and sum(1 for days in waiting if days > 0) > len(waiting) / 2
    revisions = SubmissionEvent.objects.filter(kind="revision_requested")
    assert all((now - event.created_at).days >= 0 for event in revisions)
    assert not revisions.exists() or any((now - e.created_at).days > 0 for e in revisions)
