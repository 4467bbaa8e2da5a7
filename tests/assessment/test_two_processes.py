"""Two server processes (two gunicorn on loopback ports) sharing the database: the sign-in
lock-out happens after exactly the limit across both, and an Idempotency-Key sent to both is
applied once and replayed by the other."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from assessment.models import Answer, EventKind, SubmissionEvent
from assessment.services.tokens import api_token_create
from tests.assessment.api_support import open_cycle
from tests.factories import PASSWORD, PlatformFactory, SubmissionFactory, operator

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.once]
ROOT = Path(__file__).resolve().parents[2]
LIMIT = 4


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    database = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    user = database.get("USER") or "postgres"
    host = database.get("HOST") or "127.0.0.1"
    return f"postgres://{user}@{host}:{database.get('PORT') or 5432}/{database['NAME']}"


@pytest.fixture
def two_servers():
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "LOGIN_FAILURE_LIMIT": str(LIMIT),
        "API_RATE_TOKEN": "10000/min",
    }
    ports, processes = [_free_port(), _free_port()], []
    for port in ports:
        processes.append(
            subprocess.Popen(  # noqa: S603
                [
                    str(Path(sys.executable).parent / "gunicorn"),
                    "config.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    deadline = time.monotonic() + 120
    for url in urls:
        while True:
            try:
                requests.get(f"{url}/accounts/login/", timeout=15)
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
    yield urls
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=20)


def _sign_in(url: str, email: str, password: str) -> int:
    session = requests.Session()
    page = session.get(f"{url}/accounts/login/", timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = session.post(
        f"{url}/accounts/login/",
        {"csrfmiddlewaretoken": token, "username": email, "password": password},
        headers={"Referer": f"{url}/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )
    return response.status_code


def test_lockout_after_exactly_the_limit_across_two_processes(two_servers):
    user = operator()
    first, second = two_servers
    statuses = [
        _sign_in((first, second)[attempt % 2], user.email, "Wrong-pass-123")
        for attempt in range(LIMIT)
    ]
    # Failures alternate between the processes; the LIMIT-th one locks the account.
    assert statuses == [200] * (LIMIT - 1) + [429]
    assert _sign_in(first, user.email, PASSWORD) == 429
    assert _sign_in(second, user.email, PASSWORD) == 429


def test_an_idempotency_key_is_replayed_by_the_other_process(two_servers):
    draft = SubmissionFactory(cycle=open_cycle(), platform=PlatformFactory(kind="industry"))
    key = api_token_create(user=operator(organisation=draft.platform.organisation), name="t").key
    headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": "retry-1"}
    body = {"answers": [{"question_code": "D1.1", "value": 5, "version": 0}]}
    path = f"/api/v1/submissions/{draft.pk}/answers/"
    first = requests.post(two_servers[0] + path, json=body, headers=headers, timeout=20)
    retry = requests.post(two_servers[1] + path, json=body, headers=headers, timeout=20)
    assert first.status_code == retry.status_code == 200
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert retry.json() == first.json()
    other = {"answers": [{"question_code": "D1.1", "value": 6, "version": 1}]}
    refused = requests.post(two_servers[1] + path, json=other, headers=headers, timeout=20)
    assert refused.status_code == 400
    assert Answer.objects.get(submission=draft, question_code="D1.1").version == 1
    changes = SubmissionEvent.objects.filter(submission=draft, kind=EventKind.ANSWER_CHANGED)
    assert changes.count() == 1
