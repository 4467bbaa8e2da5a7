"""/healthz and /readyz for load balancers: no sign-in, nothing leaked."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessment.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_healthz_answers_without_signing_in(client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ready_with_a_live_worker(client):
    WorkerHeartbeat.objects.create(worker="host-a:1", beat_at=timezone.now())
    response = client.get("/readyz")
    assert (response.status_code, response.content) == (200, b"ready\n")


def test_readyz_is_not_ready_without_a_worker_heartbeat_and_says_no_more(client):
    WorkerHeartbeat.objects.create(worker="host-a:1", beat_at=timezone.now() - timedelta(hours=1))
    response = client.get("/readyz")
    assert (response.status_code, response.content) == (503, b"not ready\n")


def test_readyz_is_not_ready_when_the_cache_is_unreachable(client, settings):
    WorkerHeartbeat.objects.create(worker="host-a:1", beat_at=timezone.now())
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing answers
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert b"redis" not in response.content.lower()


def test_readyz_checks_the_s3_bucket(client, s3_storage):
    WorkerHeartbeat.objects.create(worker="host-a:1", beat_at=timezone.now())
    assert client.get("/readyz").status_code == 200


def test_readyz_is_not_ready_when_the_bucket_is_missing(client, settings, s3_server):
    WorkerHeartbeat.objects.create(worker="host-a:1", beat_at=timezone.now())
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_server.storage_settings("pma-no-such-bucket"),
    }
    assert client.get("/readyz").status_code == 503


def test_readyz_works_with_the_shared_redis_cache(client, redis_cache):
    WorkerHeartbeat.objects.create(worker="host-a:1", beat_at=timezone.now())
    assert client.get("/readyz").status_code == 200
