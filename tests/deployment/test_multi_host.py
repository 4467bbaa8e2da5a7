"""Two web hosts and a task worker on one database, one Redis and one S3 bucket (SeaweedFS),
behind nginx with deploy/nginx/assessment.conf: what one host does, the others see."""

import io
import shutil
import time
import zipfile

import pytest
import requests
from django.db import connection

from assessment.models import BatchItemStatus, ReportBatch, ReportBatchItem, ReportBatchStatus
from assessment.services.tokens import api_token_create
from tests import factories
from tests.deployment.cluster import Cluster, cluster_environment, database_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.once]
PASSWORD = "multi-host-pass-2026"  # noqa: S105 -- a test account's
LOCKOUT_LIMIT = 3
DEAD_SECONDS = 4


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker, s3_server, s3_bucket, redis_server):
    if not (shutil.which("nginx") or shutil.which("/usr/sbin/nginx")):
        pytest.skip("nginx is not installed (Debian package nginx; .ci/run installs it)")
    import redis

    database_number = 13
    redis.Redis(host=redis_server.host, port=redis_server.port, db=database_number).flushdb()
    environment = cluster_environment(
        database=database_url(connection.settings_dict),
        cache_url=redis_server.url(database_number),
        s3=s3_server.environment(s3_bucket),
        LOGIN_FAILURE_LIMIT=str(LOCKOUT_LIMIT),
        WORKER_HEARTBEAT_SECONDS="1",
        WORKER_DEAD_SECONDS=str(DEAD_SECONDS),
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    deployment = Cluster(environment=environment)
    try:
        deployment.start_web(hosts=2, workers=1, threads=4)
        deployment.start_nginx()
        yield deployment
    except BaseException:
        print(deployment.logs())  # noqa: T201 -- shown when the test fails
        raise
    finally:
        deployment.stop()
        # The hosts and the worker write on their own (heartbeats, the rubric they load) until
        # they stop, after the last test's flush: empty the database again, so that nothing
        # of theirs reaches the tests this worker runs next.
        with django_db_blocker.unblock():
            factories.flush_database()


def api(user) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {api_token_create(user=user, name='test').key}"
    return session


def wait_for(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"{what}: not within {timeout} s")


def test_evidence_uploaded_through_a_downloads_through_b_and_nginx(cluster):
    draft = factories.SubmissionFactory()
    operator = api(draft.created_by)
    content = factories.pdf_bytes("多主机证明")
    uploaded = operator.post(
        f"{cluster.url('a')}/api/v1/submissions/{draft.pk}/evidence/files/",
        data={"question_code": "D1.2"},
        files={"file": ("证明.pdf", content, "application/pdf")},
        timeout=30,
    )
    assert uploaded.status_code == 201, uploaded.text
    evidence_id = uploaded.json()["id"]
    for host in ("b", "nginx"):
        response = operator.get(
            f"{cluster.url(host)}/api/v1/submissions/{draft.pk}/evidence/{evidence_id}/download/",
            timeout=30,
        )
        assert response.status_code == 200, (host, response.text[:300])
        assert response.content == content
    stranger = api(factories.operator())
    refused = stranger.get(
        f"{cluster.url('b')}/api/v1/submissions/{draft.pk}/evidence/{evidence_id}/download/",
        timeout=30,
    )
    assert refused.status_code == 404


def test_a_batch_requested_on_a_is_built_by_the_worker_and_downloads_through_b(cluster):
    certified = factories.reviewed_submission(result="basic", certified=True)
    regulator = api(factories.regulator("440000"))
    cluster.start_worker()
    requested = regulator.post(
        f"{cluster.url('a')}/api/v1/report-batches/",
        json={"cycle": certified.cycle.code, "region": "440000", "lang": "en"},
        timeout=30,
    )
    assert requested.status_code == 202, requested.text
    batch_id = requested.json()["id"]
    status = f"{cluster.url('b')}/api/v1/report-batches/{batch_id}/"
    wait_for(
        lambda: regulator.get(status, timeout=10).json()["status"] == "done",
        timeout=120,
        what="the batch is built",
    )
    zipped = regulator.get(f"{status}download/", timeout=30)
    assert zipped.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
    assert "index.csv" in names and len(names) == 2


def login(session: requests.Session, base: str, email: str, password: str) -> requests.Response:
    page = session.get(f"{base}/accounts/login/", timeout=30)
    assert page.status_code == 200
    return session.post(
        f"{base}/accounts/login/",
        data={
            "username": email,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )


def test_failed_sign_ins_count_across_both_hosts(cluster):
    user = factories.operator()
    user.set_password(PASSWORD)
    user.save()
    for attempt in range(LOCKOUT_LIMIT):
        host = "ab"[attempt % 2]
        failed = login(requests.Session(), cluster.url(host), user.email, "wrong-password")
        assert failed.status_code != 302  # refused (the form again, or a lock-out page)
    # The right password now fails on either host: the lock-out is shared.
    for host in ("a", "b"):
        locked = login(requests.Session(), cluster.url(host), user.email, PASSWORD)
        assert locked.status_code != 302, host  # not signed in and sent on
        assert "sessionid" not in locked.cookies
    other = factories.operator()
    other.set_password(PASSWORD)
    other.save()
    assert login(requests.Session(), cluster.url("b"), other.email, PASSWORD).status_code == 302


def test_the_same_idempotency_key_on_a_then_b_is_replayed(cluster):
    draft = factories.SubmissionFactory()
    operator = api(draft.created_by)
    body = {"answers": [{"question_code": "P1", "value": True, "version": 0}]}
    headers = {"Idempotency-Key": "deadline-retry-1"}
    first = operator.post(
        f"{cluster.url('a')}/api/v1/submissions/{draft.pk}/answers/",
        json=body,
        headers=headers,
        timeout=30,
    )
    assert first.status_code == 200, first.text
    again = operator.post(
        f"{cluster.url('b')}/api/v1/submissions/{draft.pk}/answers/",
        json=body,
        headers=headers,
        timeout=30,
    )
    assert again.status_code == 200, again.text
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == first.json()
    assert draft.answers.get(question_code="P1").version == 1


def test_killing_the_worker_mid_batch_resumes_the_batch_on_another_worker(cluster):
    first = factories.reviewed_submission(result="basic", certified=True)
    for _ in range(3):
        factories.reviewed_submission(result="basic", cycle=first.cycle)
    regulator = api(factories.regulator("440000"))
    cluster.stop_workers()
    doomed = cluster.start_worker()
    requested = regulator.post(
        f"{cluster.url('a')}/api/v1/report-batches/",
        json={"cycle": first.cycle.code, "region": "440000", "lang": "zh-hans"},
        timeout=30,
    )
    assert requested.status_code == 202, requested.text
    batch_id = requested.json()["id"]
    wait_for(
        lambda: ReportBatchItem.objects.filter(
            batch_id=batch_id, status=BatchItemStatus.RUNNING
        ).exists(),
        timeout=90,
        what="a report is being rendered",
    )
    cluster.kill_worker(doomed)
    killed_at = time.monotonic()
    interrupted = list(
        ReportBatchItem.objects.filter(batch_id=batch_id, status=BatchItemStatus.RUNNING)
    )
    cluster.start_worker()
    batch = wait_for(
        lambda: ReportBatch.objects.filter(
            pk=batch_id, status__in=[ReportBatchStatus.DONE, ReportBatchStatus.FAILED]
        ).first(),
        timeout=DEAD_SECONDS + 120,
        what="the batch is resumed or failed",
    )
    assert batch.status == ReportBatchStatus.DONE, batch.error
    assert batch.done == batch.total == 4
    for item in interrupted:  # the report the dead worker was rendering ran again
        item.refresh_from_db()
        assert (item.status, item.attempts) == (BatchItemStatus.DONE, 2)
    assert time.monotonic() - killed_at < DEAD_SECONDS + 120
