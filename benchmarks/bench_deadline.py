"""The filing deadline: many operators at once on two web hosts behind nginx.

The deployment of the multi-host test (tests/deployment/cluster.py): two gunicorn hosts and a
task worker on the PostgreSQL benchmark database, one Redis (CACHE_URL), one SeaweedFS bucket
(S3_*), nginx in front with deploy/nginx/assessment.conf. Locust (headless, bounded in time)
simulates operators, each with a draft of its own: sign in once, then open questionnaire
pages, autosave answers and upload a small evidence PDF, with a think time of 2–6 s.

Two runs of BENCH_DEADLINE_SECONDS (180) each: BENCH_DEADLINE_BASE_USERS (20) as the baseline,
then BENCH_DEADLINE_USERS (200). Printed per request type: requests, failures (must be 0), p50
and p95, and the ratio of the p95 to the baseline's. Afterwards every answer the server
acknowledged (HTTP 200 to an autosave) is checked in the database by its version: the stored
answer of each draft is the last acknowledged one, or a later version holding a value the client
sent afterwards without getting an answer (a request cut off when the run stopped); the history
holds the acknowledged version with that value. Anything else is a lost answer. The autosaved
answers are restored at the end and the uploaded evidence removed.

Run: .venv/bin/python -m benchmarks bench_deadline
"""

import csv
import io
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
USERS = int(os.environ.get("BENCH_DEADLINE_USERS", "200"))
BASE_USERS = int(os.environ.get("BENCH_DEADLINE_BASE_USERS", "20"))
SECONDS = int(os.environ.get("BENCH_DEADLINE_SECONDS", "180"))
WEB_WORKERS = int(os.environ.get("BENCH_DEADLINE_WEB_WORKERS", "3"))
QUESTION = "D1.1"  # numeric, every platform kind
EVIDENCE_QUESTION = "D1.1"  # every platform kind, like the autosaved answer
TYPES = ("sign in", "questionnaire page", "autosave", "evidence upload")

if os.environ.get("BENCH_DEADLINE_LOCUSTFILE") == "1":
    from locust import HttpUser, between, events, task

    # Per draft: the last answer the server acknowledged, and the values sent after it whose
    # fate the client does not know (no answer, or one from nginx rather than the application).
    ACKNOWLEDGED: dict[str, dict] = {}
    UNANSWERED: dict[str, list[str]] = {}

    def _small_pdf() -> bytes:
        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(width=200, height=200)
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    PDF = _small_pdf()

    @events.test_stop.add_listener
    def _write_acknowledged(environment, **kwargs):
        Path(os.environ["BENCH_DEADLINE_ACKNOWLEDGED"]).write_text(
            json.dumps({"acknowledged": ACKNOWLEDGED, "unanswered": UNANSWERED})
        )

    class Operator(HttpUser):
        wait_time = between(2, 6)
        numbers = itertools.count()

        def on_start(self):
            accounts = json.loads(Path(os.environ["BENCH_DEADLINE_ACCOUNTS"]).read_text())
            self.account = accounts[next(Operator.numbers) % len(accounts)]
            self.submission = self.account["submission"]
            self.client.get("/accounts/login/", name="login page")
            self.client.post(
                "/accounts/login/",
                {
                    "username": self.account["email"],
                    "password": self.account["password"],
                    "csrfmiddlewaretoken": self.client.cookies.get("csrftoken"),
                },
                headers={"Referer": self.host + "/accounts/login/"},
                name="sign in",
            )
            self.page()

        @task(3)
        def page(self):
            with self.client.get(
                f"/operator/submissions/{self.submission}/questionnaire/D1/",
                name="questionnaire page",
                catch_response=True,
            ) as response:
                marker = f'name="v-{QUESTION}" value="'
                start = response.text.find(marker)
                if response.status_code != 200 or start < 0:
                    response.failure(f"status {response.status_code}, no answer version")
                    return
                self.version = int(response.text[start + len(marker) :].split('"', 1)[0])

        @task(10)
        def autosave(self):
            value = str(random.randint(3, 600))  # noqa: S311
            token = self.client.cookies.get("csrftoken", "")
            draft = str(self.submission)
            UNANSWERED.setdefault(draft, []).append(value)
            with self.client.post(
                f"/operator/submissions/{self.submission}/autosave/",
                {
                    "question": QUESTION,
                    f"q-{QUESTION}": value,
                    f"v-{QUESTION}": str(self.version),
                    "csrfmiddlewaretoken": token,
                },
                headers={"X-CSRFToken": token},
                name="autosave",
                catch_response=True,
            ) as response:
                if response.status_code == 200:
                    saved = response.json()
                    self.version = saved["version"]
                    ACKNOWLEDGED[draft] = {"value": saved["value"], "version": saved["version"]}
                    UNANSWERED[draft] = []
                    response.success()
                else:
                    if response.status_code == 409:  # refused by the version check: not applied
                        UNANSWERED[draft].remove(value)
                    response.failure(f"status {response.status_code}")
                    self.page()

        @task(1)
        def upload(self):
            token = self.client.cookies.get("csrftoken", "")
            with self.client.post(
                f"/api/v1/submissions/{self.submission}/evidence/files/",
                data={"question_code": EVIDENCE_QUESTION},
                files={"file": ("清单.pdf", PDF, "application/pdf")},
                headers={"X-CSRFToken": token, "Referer": self.host + "/"},
                name="evidence upload",
                catch_response=True,
            ) as response:
                if response.status_code == 201:
                    response.success()
                else:
                    response.failure(f"status {response.status_code}: {response.text[:200]}")


def _run_locust(cluster, work: Path, users: int, label: str) -> dict:
    environment = {
        **cluster.environment,
        "BENCH_DEADLINE_LOCUSTFILE": "1",
        "BENCH_DEADLINE_ACCOUNTS": str(work / "accounts.json"),
        "BENCH_DEADLINE_ACKNOWLEDGED": str(work / f"acknowledged-{label}.json"),
    }
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 -- our own locust, fixed arguments
        [
            str(Path(sys.executable).parent / "locust"),
            "-f",
            str(Path(__file__)),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users // 30)),  # everybody signed in within the first 30 s
            "--run-time",
            f"{SECONDS}s",
            "--stop-timeout",
            "30",
            "--host",
            cluster.url("nginx"),
            "--csv",
            str(work / label),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=environment,
        check=False,
        timeout=SECONDS + 180,
        stdout=subprocess.DEVNULL,
        stderr=(work / f"{label}-locust.log").open("wb"),
    )
    elapsed = time.perf_counter() - started
    with open(work / f"{label}_stats.csv", encoding="utf-8") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    answers = json.loads((work / f"acknowledged-{label}.json").read_text())
    failures_file = work / f"{label}_failures.csv"
    failures = failures_file.read_text() if failures_file.exists() else ""
    return {**answers, "rows": rows, "elapsed": elapsed, "failures": failures}


def _lost_answers(result: dict) -> tuple[list[str], int]:
    """Drafts whose acknowledged answer is gone, and how many hold a later unanswered write."""
    from assessment.forms_questionnaire import display_value
    from assessment.models import Answer, EventKind, SubmissionEvent

    acknowledged, unanswered = result["acknowledged"], result["unanswered"]
    ids = [int(pk) for pk in acknowledged]
    stored = {
        submission: (version, str(display_value(value)))
        for submission, version, value in Answer.objects.filter(
            submission_id__in=ids, question_code=QUESTION
        ).values_list("submission_id", "version", "value")
    }
    history = {
        (submission, detail.get("version")): str(display_value(detail.get("to")))
        for submission, detail in SubmissionEvent.objects.filter(
            submission_id__in=ids, kind=EventKind.ANSWER_CHANGED, question_code=QUESTION
        ).values_list("submission_id", "detail")
    }
    lost, later = [], 0
    for submission, ack in acknowledged.items():
        version, value = stored.get(int(submission), (0, ""))
        # The seeded version has no event; any version written in the run has one.
        key = (int(submission), ack["version"])
        in_history = history.get(key, str(ack["value"])) == str(ack["value"])
        if version == ack["version"] and value == str(ack["value"]) and in_history:
            continue
        if version > ack["version"] and value in unanswered.get(submission, []) and in_history:
            later += 1
            continue
        lost.append(submission)
    return lost, later


def _print(label: str, users: int, result: dict, baseline: dict | None) -> None:
    print(f"{label}: {users} operators, {SECONDS} s through nginx ({result['elapsed']:.0f} s wall)")
    for name in (*TYPES, "Aggregated"):
        row = result["rows"].get(name)
        if row is None:
            continue
        p95 = float(row["95%"])
        line = (
            f"  {name:<20} requests {int(row['Request Count']):6d}  "
            f"failures {int(row['Failure Count']):3d}  p50 {float(row['50%']):7.0f} ms  "
            f"p95 {p95:7.0f} ms  {float(row['Requests/s']):5.1f} req/s"
        )
        base = (baseline or {}).get("rows", {}).get(name)
        if base and float(base["95%"]):
            line += f"  p95 ratio to {BASE_USERS} users {p95 / float(base['95%']):5.1f}x"
        print(line)
    lost, later = _lost_answers(result)
    print(
        f"  acknowledged answers checked: {len(result['acknowledged'])} drafts, "
        f"{len(lost)} lost{' (' + ', '.join(lost[:10]) + ')' if lost else ''}, "
        f"{later} with a later write the client got no answer to"
    )
    total_failures = int(result["rows"]["Aggregated"]["Failure Count"])
    if total_failures:
        print("  FAILURES (bar: 0):\n" + result["failures"][:2000])


def run() -> None:
    import redis
    from django.db import connection

    from assessment.demo import DEMO_PASSWORD
    from assessment.models import Answer, Evidence
    from benchmarks.bench_operator import _drafts
    from tests.deployment.cluster import Cluster, cluster_environment, database_url
    from tests.services import find_or_start_redis, start_seaweedfs, unique_bucket

    drafts = _drafts(USERS)
    if len(drafts) < USERS:
        print(f"only {len(drafts)} drafts with an operator in the benchmark database")
    originals = dict(
        Answer.objects.filter(
            submission_id__in=[draft.pk for draft, _user in drafts], question_code=QUESTION
        ).values_list("submission_id", "value")
    )
    last_evidence = Evidence.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    work = Path(tempfile.mkdtemp(prefix="bench-deadline-"))
    (work / "accounts.json").write_text(
        json.dumps(
            [
                {"email": user.email, "password": DEMO_PASSWORD, "submission": draft.pk}
                for draft, user in drafts
            ]
        )
    )
    s3 = start_seaweedfs()
    redis_server = find_or_start_redis()
    cluster = None
    try:
        bucket = s3.create_bucket(unique_bucket("pma-bench"))
        redis.Redis(host=redis_server.host, port=redis_server.port, db=12).flushdb()
        cluster = Cluster(
            environment=cluster_environment(
                database=database_url(connection.settings_dict),
                cache_url=redis_server.url(12),
                s3=s3.environment(bucket),
                DATABASE_CONN_MAX_AGE="60",
                LOG_LEVEL="WARNING",
                EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            )
        )
        cluster.start_web(hosts=2, workers=WEB_WORKERS, threads=4)
        cluster.start_worker()
        cluster.start_nginx()
        print(
            f"two web hosts x gunicorn {WEB_WORKERS} workers x 4 threads, one task worker, "
            f"nginx, PostgreSQL, Redis, SeaweedFS; {os.cpu_count()} cores shared"
        )
        baseline = _run_locust(cluster, work, BASE_USERS, "baseline")
        _print("baseline", BASE_USERS, baseline, None)
        deadline = _run_locust(cluster, work, USERS, "deadline")
        _print("deadline", USERS, deadline, baseline)
    except BaseException:
        if cluster is not None:
            print(cluster.logs())
        raise
    finally:
        if cluster is not None:
            cluster.stop()
        s3.stop()
        redis_server.stop()
        for submission_id, value in originals.items():
            Answer.objects.filter(submission_id=submission_id, question_code=QUESTION).update(
                value=value
            )
        try:
            Evidence.objects.filter(pk__gt=last_evidence).delete()
        except Exception as error:  # an append-only guard: leave them
            print(f"uploaded evidence kept: {error}")
