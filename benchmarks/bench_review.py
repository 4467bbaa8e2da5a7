"""Review desk benchmark: the queue of a province with 10 000 submissions, filtered and paged.

Inside one transaction that is rolled back at the end (the shared benchmark database is left
as it was), 10 000 extra platforms with a submission in review-desk states are added to
Guangdong's cities, with stored score summaries. Then, for the Guangdong reviewer:

1. the queue page's query count, asserted equal on page 1 and on page 150, and with and
   without filters;
2. the page's time at the server (Django test client: middleware, selector, template) for a few
   filter and sort combinations, next to the raw SQL the page needs (the count and the page
   query the selector issues, run directly). The bar is 100 ms.

Run: .venv/bin/python -m benchmarks bench_review
"""

import os
import random
import time

EXTRA_SUBMISSIONS = 10_000
BAR_MS = 100
STATES = ["submitted", "in_review", "revision_requested", "resubmitted", "certified"]
RESULTS = ["not_rated", "basic", "growth", "leading"]


class _Rollback(Exception):
    pass


def _add_province_load(rng: random.Random) -> int:
    """10 000 Guangdong platforms, each with a 2027 submission in a desk state."""
    from datetime import timedelta

    from django.utils import timezone

    from assessment.models import (
        AssessmentCycle,
        Organisation,
        Platform,
        Region,
        Role,
        ScoreSummary,
        Submission,
        User,
    )
    from assessment.validators import credit_code_check_character

    cycle = AssessmentCycle.objects.get(code="2027")
    cities = list(Region.objects.filter(parent_id="440000").values_list("code", flat=True))
    reviewers = list(
        User.objects.filter(role=Role.REVIEWER, regions__code__startswith="44").distinct()
    )
    creator = User.objects.filter(role=Role.OPERATOR).order_by("id").first()
    organisations = []
    for number in range(EXTRA_SUBMISSIONS):
        first_17 = f"91{rng.choice(cities)}B{number:08d}"
        organisations.append(
            Organisation(
                credit_code=first_17 + credit_code_check_character(first_17),
                name=f"基准测试企业{number:05d}有限公司",
                region_id=first_17[2:8],
            )
        )
    organisations = Organisation.objects.bulk_create(organisations, batch_size=2000)
    kinds = ["industry", "specialized", "collaborative"]
    platforms = Platform.objects.bulk_create(
        [
            Platform(
                organisation=organisation,
                name=f"基准平台{number:05d}",
                kind=rng.choices(kinds, weights=[5, 3, 2])[0],
                region_id=organisation.region_id,
                launched_year=2020,
            )
            for number, organisation in enumerate(organisations)
        ],
        batch_size=2000,
    )
    now = timezone.now()
    submissions = Submission.objects.bulk_create(
        [
            Submission(
                platform=platform,
                cycle=cycle,
                rubric_version_id=cycle.rubric_version_id,
                platform_kind=platform.kind,
                state=rng.choices(STATES, weights=[25, 30, 10, 10, 25])[0],
                assigned_reviewer=rng.choice([None, *reviewers]),
                claimed_result=rng.choice(RESULTS),
                review_round=1,
                created_by=creator,
                submitted_at=now - timedelta(hours=rng.randint(1, 24 * 120)),
            )
            for platform in platforms
        ],
        batch_size=2000,
    )
    ScoreSummary.objects.bulk_create(
        [
            ScoreSummary(
                submission=submission,
                result=rng.choice(RESULTS),
                progress_index=f"{rng.uniform(0, 3.9):.2f}",
                score_basic="0.9000",
                score_growth="0.7000",
                score_leading="0.3000",
                score_ecosystem="0.1000",
                breakdown={},
            )
            for submission in submissions
        ],
        batch_size=2000,
    )
    return len(submissions)


def _analyze():
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in _TOUCHED_TABLES:
                cursor.execute(f"ANALYZE {table}")  # noqa: S608 (fixed names)


def _captured(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response, queries.captured_queries


def _raw(sql_list):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            for sql in sql_list:
                cursor.execute(sql)
                cursor.fetchall()

    return run


def _measure(common):
    from django.db.models import Count
    from django.http import QueryDict
    from django.test import Client

    from assessment.models import Submission, User
    from assessment.selectors.reviews import QueueFilters, review_queue

    desk = User.objects.get(email="reviewer.gd@demo.cn")
    in_province = Submission.objects.filter(platform__region__parent_id="440000").aggregate(
        n=Count("id")
    )["n"]
    print(f"Guangdong submissions now: {in_province}")
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    client = Client()
    client.force_login(desk)
    cases = [
        ("open, by waiting time, page 1", "/review/"),
        ("open, by waiting time, page 150", "/review/?page=150"),
        (
            "industry, in review, Guangzhou, page 2",
            "/review/?kind=industry&state=in_review&region=440100&page=2",
        ),
        ("all states, by provisional score", "/review/?state=all&sort=provisional&page=40"),
        ("claimed growth, waiting > 30 days", "/review/?claimed=growth&waiting=30"),
        ("search by name", "/review/?state=all&q=%E5%9F%BA%E5%87%86%E5%B9%B3%E5%8F%B012"),
        ("unassigned, by platform name", "/review/?assigned=unassigned&sort=platform&page=20"),
    ]
    for _label, url in cases * 3:  # warm Django's and PostgreSQL's caches first
        client.get(url)
    query_counts = {}
    for label, url in cases:
        _response, queries = _captured(client, url)
        query_counts[label] = len(queries)
        query = QueryDict(url.partition("?")[2])
        page = review_queue(user=desk, filters=QueueFilters.from_query(query)).page
        # The two queries that depend on the data: the count and the page of rows.
        data_sql = [q["sql"] for q in queries if "assessment_submission" in q["sql"]]
        baseline = common.measure(_raw(data_sql), repeat=50)
        measured = common.measure(lambda url=url: client.get(url), repeat=50)
        print(
            f"\n{label}: {page.paginator.count} matching, page {page.number} of "
            f"{page.paginator.num_pages}, {len(queries)} queries"
        )
        common.report("  baseline: raw SQL (count, page ids, rows)", baseline)
        common.report("  queue page at the server (test client)", measured, baseline, BAR_MS)
        # On a shared, busy machine the fastest run is the best estimate of the cost itself.
        print(
            f"  fastest run: raw SQL {baseline['min']:.2f} ms, page {measured['min']:.2f} ms "
            f"(ratio {measured['min'] / baseline['min']:.1f}x)"
        )
    print("\nqueries per page:", query_counts)
    # Fixed whatever the page and filters; an empty result skips the page queries.
    assert max(query_counts.values()) == min(
        count for label, count in query_counts.items() if label != "search by name"
    ), query_counts


def run():
    from django.db import transaction

    from benchmarks import common

    rng = random.Random(2027)
    try:
        with transaction.atomic():
            started = time.perf_counter()
            added = _add_province_load(rng)
            _analyze()
            print(f"added {added} Guangdong submissions in {time.perf_counter() - started:.1f} s")
            _measure(common)
            raise _Rollback
    except _Rollback:
        print("(the added rows were rolled back)")
    _vacuum()


_TOUCHED_TABLES = (
    "assessment_organisation",
    "assessment_platform",
    "assessment_submission",
    "assessment_scoresummary",
)


def _vacuum():
    """Reclaim the rolled-back rows, so that neither the next run nor other benchmarks scan
    them (the benchmark server runs without autovacuum)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {', '.join(_TOUCHED_TABLES)}")  # noqa: S608
