"""API benchmarks on the PostgreSQL benchmark database (10 000 platforms).

1. Bulk upsert of a whole questionnaire (every question of an industry platform, ~50) in one
   POST /api/v1/submissions/{id}/answers/, through the whole Django stack in process (token
   authentication, version checks, one event per answer, rescoring): first save of an empty
   draft (inserts) and a save changing every answer (updates). Bar: 100 ms at the server.
   Baseline: the same rows written by two bulk INSERTs (answers and events), nothing else.
   Each run is rolled back, so the database is left as it was (the final COMMIT, about a
   millisecond, is not in the figure).
2. Listing the 10 000 platforms as a national administrator, 50 a page (first, middle and last
   page) and 500 a page. Bar: 50 ms a page. Baseline: the page's raw SQL (count, the page with
   its organisation and region, its industries).

Run: .venv/bin/python -m benchmarks bench_api
"""

import statistics
import time

UPSERT_BAR_MS = 100
PAGE_BAR_MS = 50


class _Rollback(Exception):
    pass


def _timed_in_rollback(setup, timed, repeat: int, warmup: int = 2) -> dict:
    """Times `timed(state)` after an untimed `setup()`, each run in a rolled-back transaction."""
    from django.db import transaction

    times = []
    for run in range(warmup + repeat):
        try:
            with transaction.atomic():
                state = setup()
                started = time.perf_counter()
                timed(state)
                elapsed = (time.perf_counter() - started) * 1000
                raise _Rollback
        except _Rollback:
            pass
        if run >= warmup:
            times.append(elapsed)
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "min": times[0],
    }


def _questionnaire(rubric, kind: str, tier: str) -> list[dict]:
    from assessment.services.submissions import question_codes
    from tests.factories import answer_meeting

    return [
        {
            "question_code": code,
            "value": answer_meeting(rubric.indicator(code), kind, tier)
            if rubric.has_indicator(code)
            else True,
            "version": 0,
        }
        for code in question_codes(rubric, kind)
    ]


def _bench_upsert(common) -> None:
    from django.utils import timezone
    from rest_framework.test import APIClient

    from assessment.models import (
        Answer,
        AssessmentCycle,
        Platform,
        Submission,
        SubmissionEvent,
        User,
    )
    from assessment.services.submissions import submission_start
    from assessment.services.tokens import api_token_create
    from questionnaires.selectors import rubric_of

    cycle = next(c for c in AssessmentCycle.objects.order_by("-opens_on") if c.is_open())
    platform = (
        Platform.objects.filter(kind="industry")
        .exclude(submissions__cycle=cycle)
        .select_related("organisation")
        .order_by("id")
        .first()
    )
    actor = User.objects.filter(role="operator", organisation=platform.organisation_id).first()
    rubric = rubric_of(cycle.rubric_version)
    first_answers = _questionnaire(rubric, "industry", "basic")
    print(f"questionnaire: {len(first_answers)} questions (industry platform)")

    def client_for() -> APIClient:
        client = APIClient()
        key = api_token_create(user=actor, name=f"bench {time.time_ns()}").key
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        client.get("/api/v1/me/")  # the token's first use is written once; not measured
        return client

    def new_draft():
        submission = submission_start(actor=actor, platform=platform, cycle=cycle)
        return client_for(), submission

    def save_all(state, answers):
        client, submission = state
        response = client.post(
            f"/api/v1/submissions/{submission.pk}/answers/", {"answers": answers}, format="json"
        )
        assert response.status_code == 200, response.content[:300]
        assert len(response.json()["changed"]) == len(answers)

    def raw_rows(state):
        _client, submission = state
        now = timezone.now()
        Answer.objects.bulk_create(
            Answer(
                submission=submission,
                question_code=answer["question_code"],
                value=answer["value"],
                updated_by=actor,
            )
            for answer in first_answers
        )
        SubmissionEvent.objects.bulk_create(
            SubmissionEvent(
                submission=submission,
                actor=actor,
                kind="answer_changed",
                question_code=answer["question_code"],
                detail={"from": None, "to": answer["value"], "version": 1, "at": str(now)},
            )
            for answer in first_answers
        )

    baseline = _timed_in_rollback(new_draft, raw_rows, repeat=20)
    common.report("baseline: 2 bulk INSERTs (answers + events)", baseline)
    first = _timed_in_rollback(new_draft, lambda s: save_all(s, first_answers), repeat=20)
    common.report("bulk upsert, first save (all inserts)", first, baseline, UPSERT_BAR_MS)

    first_values = {answer["question_code"]: answer["value"] for answer in first_answers}
    changed_answers = [
        answer
        for answer in _questionnaire(rubric, "industry", "growth")
        if answer["value"] != first_values[answer["question_code"]]
    ]

    def answered_draft():
        state = new_draft()
        save_all(state, first_answers)
        versions = dict(
            Answer.objects.filter(submission=state[1]).values_list("question_code", "version")
        )
        changed = [
            {**answer, "version": versions[answer["question_code"]]} for answer in changed_answers
        ]
        return state, changed

    def save_changes(prepared):
        state, changed = prepared
        save_all(state, changed)

    update = _timed_in_rollback(answered_draft, save_changes, repeat=20)
    common.report(
        f"bulk upsert, {len(changed_answers)} answers changed (updates)",
        update,
        baseline,
        UPSERT_BAR_MS,
    )
    assert not Submission.objects.filter(platform=platform, cycle=cycle).exists()


def _bench_platform_pages(common) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from assessment.models import ApiToken, Platform, User
    from assessment.services.tokens import api_token_create, hash_key

    admin = User.objects.filter(role="admin").order_by("id").first()
    total = Platform.objects.count()
    client = APIClient()
    key = api_token_create(user=admin, name=f"bench pages {time.time_ns()}").key
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.get("/api/v1/me/")
    last_page = (total + 49) // 50
    print(f"platforms: {total}, {last_page} pages of 50")

    def raw_page(offset: int, size: int, order: str):
        def run():
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM assessment_platform")
                cursor.fetchall()
                cursor.execute(
                    "SELECT p.id, p.name, p.kind, p.website, p.launched_year, p.created_at, "
                    "p.organisation_id, o.name, p.region_id, r.name_zh_hans, r.name_en "
                    "FROM assessment_platform p "
                    "JOIN assessment_organisation o ON o.id = p.organisation_id "
                    "JOIN assessment_region r ON r.code = p.region_id "
                    f"ORDER BY p.{order}, p.id LIMIT %s OFFSET %s",
                    [size, offset],
                )
                ids = [row[0] for row in cursor.fetchall()]
                cursor.execute(
                    "SELECT platform_id, industry_id FROM assessment_platform_industries "
                    "WHERE platform_id = ANY(%s)",
                    [ids],
                )
                cursor.fetchall()

        return run

    cases = [
        ("first page", 1, 50, "id"),
        ("middle page", last_page // 2, 50, "id"),
        ("last page", last_page, 50, "id"),
        ("last page by name", last_page, 50, "name"),
        ("500 a page, page 10", 10, 500, "id"),
    ]
    for label, page, size, order in cases:
        url = f"/api/v1/platforms/?page={page}&page_size={size}&ordering={order}"
        reset_queries()  # each request clears the log; start the count from an empty one
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        query_count = len(queries.captured_queries)  # read now: the next request clears the log
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(size, total - (page - 1) * size)
        baseline = common.measure(raw_page((page - 1) * size, size, order), repeat=30)
        common.report(f"baseline: raw SQL, {label}", baseline)
        measured = common.measure(lambda url=url: client.get(url), repeat=30)
        bar = PAGE_BAR_MS if size == 50 else None
        common.report(
            f"GET /api/v1/platforms/ {label} ({query_count} queries)",
            measured,
            baseline,
            bar,
        )
    ApiToken.objects.filter(key_hash=hash_key(key)).delete()


def run():
    import logging

    from benchmarks import common

    # One line per token use would drown the figures.
    logging.getLogger("assessment.api.tokens").setLevel(logging.WARNING)

    _bench_upsert(common)
    _bench_platform_pages(common)
