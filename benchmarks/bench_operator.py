"""Operator benchmarks: the questionnaire page and autosave, in process and under load.

1. The D1 page's query count on a draft with few and with many answers and files (asserted
   equal) and its time next to the raw SQL it needs.
2. An autosave round trip (one answer, rescoring included) through the Django test client,
   next to a bare UPDATE of the same row; the bar is 50 ms at the server.
3. 20 concurrent users (locust, headless) against gunicorn on the PostgreSQL benchmark database:
   each signs in as the operator of its own draft and autosaves answers with a think time of
   0.2–0.6 s; p50/p95 of the autosave and page requests are printed.

Autosaves change the benchmark drafts' D1.1 answers (restored at the end; versions and the
append-only events stay). Run: .venv/bin/python -m benchmarks bench_operator
"""

import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOAD_USERS = int(os.environ.get("BENCH_OPERATOR_USERS", "20"))
LOAD_SECONDS = int(os.environ.get("BENCH_OPERATOR_SECONDS", "30"))
GUNICORN_PORT = int(os.environ.get("BENCH_OPERATOR_PORT", "8191"))
GUNICORN_WORKERS = int(os.environ.get("BENCH_OPERATOR_WORKERS", "4"))
QUESTION = "D1.1"  # numeric, applies to every platform kind

# The load test's user class, defined only when locust imports this module as its locustfile
# (importing locust monkey-patches the process with gevent, which Django's own run must avoid).
if os.environ.get("BENCH_OPERATOR_LOCUSTFILE") == "1":
    import gevent
    from locust import HttpUser, between, task

    class OperatorUser(HttpUser):
        wait_time = between(0.2, 0.6)
        numbers = itertools.count()  # each simulated user gets its own draft
        signed_in = 0

        def on_start(self):
            accounts = json.loads(Path(os.environ["BENCH_OPERATOR_ACCOUNTS"]).read_text())
            account = accounts[next(OperatorUser.numbers) % len(accounts)]
            self.account = account
            self.version = None
            login = self.client.get("/accounts/login/", name="login page")
            token = login.cookies.get("csrftoken") or self.client.cookies.get("csrftoken")
            self.client.post(
                "/accounts/login/",
                {
                    "username": account["email"],
                    "password": account["password"],
                    "csrfmiddlewaretoken": token,
                },
                headers={"Referer": self.host + "/accounts/login/"},
                name="sign in",
            )
            # Measure the steady state: wait until every user has signed in (password hashing
            # is deliberately slow and would otherwise queue the first autosaves behind it).
            OperatorUser.signed_in += 1
            deadline = time.monotonic() + 120
            while OperatorUser.signed_in < LOAD_USERS and time.monotonic() < deadline:
                gevent.sleep(0.1)
            self.load_page()

        def load_page(self):
            page = self.client.get(
                f"/operator/submissions/{self.account['submission']}/questionnaire/D1/",
                name="questionnaire page D1",
            )
            marker = f'name="v-{QUESTION}" value="'
            start = page.text.find(marker)
            self.version = int(page.text[start + len(marker) :].split('"', 1)[0])

        @task(10)
        def autosave(self):
            value = random.randint(3, 60)  # noqa: S311
            with self.client.post(
                f"/operator/submissions/{self.account['submission']}/autosave/",
                {
                    "question": QUESTION,
                    f"q-{QUESTION}": str(value),
                    f"v-{QUESTION}": str(self.version),
                    "csrfmiddlewaretoken": self.client.cookies.get("csrftoken"),
                },
                headers={"X-CSRFToken": self.client.cookies.get("csrftoken", "")},
                name="autosave",
                catch_response=True,
            ) as response:
                if response.status_code == 200:
                    self.version = response.json()["version"]
                    response.success()
                else:
                    response.failure(f"status {response.status_code}")
                    self.load_page()

        @task(1)
        def page(self):
            self.load_page()


# --- In-process measurements ---------------------------------------------------------------------


def _drafts(count: int):
    from assessment.models import Role, Submission, User

    drafts = list(
        Submission.objects.filter(state="draft", cycle__code="2027")
        .select_related("platform")
        .order_by("id")[: count * 3]
    )
    operators = {}
    for user in User.objects.filter(
        role=Role.OPERATOR,
        is_active=True,
        organisation_id__in=[d.platform.organisation_id for d in drafts],
    ).order_by("id"):
        operators.setdefault(user.organisation_id, user)
    chosen, seen = [], set()
    for draft in drafts:
        organisation = draft.platform.organisation_id
        if organisation in operators and organisation not in seen:
            seen.add(organisation)
            chosen.append((draft, operators[organisation]))
        if len(chosen) == count:
            break
    return chosen


def _page_queries(client, submission) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/operator/submissions/{submission.pk}/questionnaire/D1/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)


def _measure_pages(common):
    from django.db import connection
    from django.test import Client

    from assessment.models import Answer, Evidence

    drafts = _drafts(40)
    counts = {
        draft.pk: (
            Answer.objects.filter(submission=draft).count(),
            Evidence.objects.filter(submission=draft).count(),
        )
        for draft, _user in drafts
    }
    fewest = min(drafts, key=lambda pair: sum(counts[pair[0].pk]))
    most = max(drafts, key=lambda pair: sum(counts[pair[0].pk]))
    client = Client()
    query_counts = {}
    for label, (draft, user) in (("fewest", fewest), ("most", most)):
        client.force_login(user)
        query_counts[label] = (_page_queries(client, draft), counts[draft.pk])
    print(
        "D1 page queries: "
        + ", ".join(
            f"{label} answers/evidence {rows[0]}/{rows[1]}: {number} queries"
            for label, (number, rows) in query_counts.items()
        )
    )
    assert query_counts["fewest"][0] == query_counts["most"][0], query_counts

    draft, user = most
    client.force_login(user)
    url = f"/operator/submissions/{draft.pk}/questionnaire/D1/"

    def raw_sql():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT question_code, value, version FROM assessment_answer "
                "WHERE submission_id = %s",
                [draft.pk],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT id, question_code, original_name FROM assessment_evidence "
                "WHERE submission_id = %s AND is_current AND removed_at IS NULL",
                [draft.pk],
            )
            cursor.fetchall()

    baseline = common.measure(raw_sql, repeat=50)
    common.report("baseline: raw SQL of the page (answers, evidence)", baseline)
    page = common.measure(lambda: client.get(url), repeat=30)
    common.report("questionnaire page D1 (test client)", page, baseline)


def _measure_autosave(common):
    from django.db import connection, transaction
    from django.test import Client

    from assessment.models import Answer

    draft, user = _drafts(1)[0]
    client = Client()
    client.force_login(user)
    url = f"/operator/submissions/{draft.pk}/autosave/"
    answer = Answer.objects.filter(submission=draft, question_code=QUESTION).first()
    original = answer.value if answer else None
    state = {"version": answer.version if answer else 0, "value": 5}

    def autosave():
        state["value"] = 11 - state["value"]  # 5, 6, 5, 6 …: every save changes the answer
        response = client.post(
            url,
            {
                "question": QUESTION,
                f"q-{QUESTION}": str(state["value"]),
                f"v-{QUESTION}": str(state["version"]),
            },
        )
        assert response.status_code == 200, response.content[:300]
        state["version"] = response.json()["version"]

    def raw_update():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE assessment_answer SET version = version WHERE submission_id = %s "
                "AND question_code = %s",
                [draft.pk, QUESTION],
            )

    baseline = common.measure(raw_update, repeat=50)
    common.report("baseline: one UPDATE of the answer row", baseline)
    measured = common.measure(autosave, repeat=50)
    common.report("autosave round trip (test client, rescore)", measured, baseline, bar_ms=50)
    Answer.objects.filter(submission=draft, question_code=QUESTION).update(value=original)


# --- Load test -----------------------------------------------------------------------------------


def _wait_for(url: str, seconds: float = 30) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback only)
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def _load_test(common):
    import importlib.util

    from django.conf import settings

    from assessment.demo import DEMO_PASSWORD
    from assessment.models import Answer

    if LOAD_SECONDS <= 0:
        print("load test skipped (BENCH_OPERATOR_SECONDS=0)")
        return
    if importlib.util.find_spec("locust") is None:
        print("load test skipped: locust is not installed (pip install locust)")
        return
    drafts = _drafts(LOAD_USERS)
    originals = {
        draft.pk: Answer.objects.filter(submission=draft, question_code=QUESTION)
        .values_list("value", flat=True)
        .first()
        for draft, _user in drafts
    }
    accounts = [
        {"email": user.email, "password": DEMO_PASSWORD, "submission": draft.pk}
        for draft, user in drafts
    ]
    work = Path(tempfile.mkdtemp(prefix="bench-operator-"))
    (work / "accounts.json").write_text(json.dumps(accounts))
    database_url = os.environ["DATABASE_URL"]
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "BENCH_OPERATOR_ACCOUNTS": str(work / "accounts.json"),
        "BENCH_OPERATOR_LOCUSTFILE": "1",
    }
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(  # noqa: S603
        [
            str(bin_dir / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{GUNICORN_PORT}",
            "--workers",
            str(GUNICORN_WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        _wait_for(f"http://127.0.0.1:{GUNICORN_PORT}/accounts/login/")
        started = time.perf_counter()
        subprocess.run(  # noqa: S603
            [
                str(bin_dir / "locust"),
                "-f",
                str(Path(__file__)),
                "--headless",
                "--users",
                str(LOAD_USERS),
                "--spawn-rate",
                str(LOAD_USERS),
                "--run-time",
                f"{LOAD_SECONDS}s",
                "--host",
                f"http://127.0.0.1:{GUNICORN_PORT}",
                "--csv",
                str(work / "stats"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            check=False,
            timeout=LOAD_SECONDS + 120,
            stdout=subprocess.DEVNULL,
        )
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        for submission_id, value in originals.items():
            Answer.objects.filter(submission_id=submission_id, question_code=QUESTION).update(
                value=value
            )
    import csv

    with open(work / "stats_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    print(
        f"load: {LOAD_USERS} users, {LOAD_SECONDS} s, gunicorn {GUNICORN_WORKERS} sync workers, "
        f"PostgreSQL ({elapsed:.0f} s wall)"
    )
    for row in rows:
        if row["Name"] in ("autosave", "questionnaire page D1", "Aggregated"):
            print(
                f"  {row['Name']:<24} requests {int(row['Request Count']):6d}  "
                f"failures {int(row['Failure Count']):4d}  "
                f"p50 {float(row['50%']):7.1f} ms  p95 {float(row['95%']):7.1f} ms  "
                f"{float(row['Requests/s']):6.1f} req/s"
            )


def run() -> None:
    from benchmarks import common

    _measure_pages(common)
    _measure_autosave(common)
    _load_test(common)
