"""Expert panel screen benchmark: the panel page with every score revealed.

Inside one transaction that is rolled back at the end (the benchmark database is left as it
was), seven Guangdong experts are added and two provincial panels of five are drawn: one with a
single submission, one with ten (real answered submissions of the demo data, moved to expert
review). Every expert submits decisions that disagree on a few indicators (ties included), so
the screen shows everything: the side-by-side table, each expert's engine result, the majority
and the panel result line by line. Then, for the Guangdong reviewer:

1. the page's query count, asserted equal for one and for ten submissions;
2. the page's time at the server (Django test client: middleware, selector, engine, template)
   next to the raw SQL the page needs (the queries it issues, run directly).

Run: .venv/bin/python -m benchmarks bench_panels
"""

import os
import time

PANEL_SIZE = 5
BIG_PANEL = 10


class _Rollback(Exception):
    pass


def _experts(count: int):
    from assessment.models import ExpertProfile, Region, Role, User

    province = Region.objects.get(code="440000")
    experts = []
    for number in range(count):
        user = User.objects.create(
            email=f"bench-expert{number}@bench.cn", full_name=f"基准专家{number}", role=Role.EXPERT
        )
        ExpertProfile.objects.create(user=user, home_province=province, dimensions=["D1"])
        experts.append(user)
    return experts


def _panel(official, submissions, seed):
    from assessment.services import panels
    from questionnaires.selectors import rubric_of

    panel = panels.panel_form(actor=official, submissions=submissions, size=PANEL_SIZE, seed=seed)
    for entry in panel.entries.select_related("submission__rubric_version"):
        rubric = rubric_of(entry.submission.rubric_version)
        codes = [
            i.code
            for i in panels.judged_indicators(rubric, entry.submission.platform_kind, entry.tier)
        ]
        for number, member in enumerate(panel.members.select_related("expert")):
            decisions = {code: {"decision": "agree"} for code in codes}
            # disagreement on three indicators: a 3-2 majority, a tie of three kinds, a reject
            if number % 2:
                decisions[codes[0]] = {"decision": "rejected"}
            if number in (1, 2):
                decisions[codes[1]] = {"decision": "rejected" if number == 1 else "agree"}
            if number == 3 and rubric.indicator(codes[2]).type == "numeric":
                decisions[codes[2]] = {"decision": "corrected", "value": 1}
            panels.expert_score_save(
                actor=member.expert,
                entry=entry,
                decisions=decisions,
                recommended_tier="growth",
                submit=True,
            )
    return panel


def _captured(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return queries.captured_queries


def _raw(sql_list):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            for sql in sql_list:
                cursor.execute(sql)
                cursor.fetchall()

    return run


def _measure(common, official, panels_by_label):
    from django.test import Client

    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    client = Client()
    client.force_login(official)
    counts = {}
    for label, panel in panels_by_label.items():
        url = f"/panels/{panel.pk}/"
        for _ in range(3):
            client.get(url)  # warm caches
        queries = _captured(client, url)
        counts[label] = len(queries)
        # The queries outside the session and user look-ups are the page's own.
        baseline = common.measure(_raw([q["sql"] for q in queries]), repeat=30)
        measured = common.measure(lambda url=url: client.get(url), repeat=30)
        print(f"\n{label}: {len(queries)} queries")
        common.report("  baseline: raw SQL of the page", baseline)
        common.report("  panel page at the server (test client)", measured, baseline)
        print(
            f"  fastest run: raw SQL {baseline['min']:.2f} ms, page {measured['min']:.2f} ms "
            f"(ratio {measured['min'] / baseline['min']:.1f}x)"
        )
    print("\nqueries per page:", counts)
    assert len(set(counts.values())) == 1, counts


def run():
    from django.db import transaction

    from assessment.models import Submission, User
    from benchmarks import common

    official = User.objects.get(email="reviewer.gd@demo.cn")
    try:
        with transaction.atomic():
            started = time.perf_counter()
            _experts(7)
            pool = list(
                Submission.objects.filter(
                    platform__region__parent_id="440000",
                    state__in=["in_review", "certified", "submitted"],
                    score_summary__isnull=False,
                )
                .exclude(assigned_reviewer=official)
                .order_by("id")[: 1 + BIG_PANEL]
            )
            Submission.objects.filter(pk__in=[s.pk for s in pool]).update(
                state="expert_review", tier_applied="growth"
            )
            for submission in pool:
                submission.state, submission.tier_applied = "expert_review", "growth"
            small = _panel(official, pool[:1], seed=1)
            big = _panel(official, pool[1:], seed=2)
            print(f"panels drawn and scored in {time.perf_counter() - started:.1f} s")
            _measure(common, official, {"1 submission": small, f"{BIG_PANEL} submissions": big})
            raise _Rollback
    except _Rollback:
        print("(the added rows were rolled back)")
