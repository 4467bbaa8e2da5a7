"""CACHE_URL, S3_* and what PRODUCTION=true refuses."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.backends import cache_from_url, default_storage_from_env

ROOT = Path(__file__).resolve().parent.parent
GOOD_SECRET = "x" * 60


def test_a_redis_url_uses_djangos_redis_cache():
    cache = cache_from_url("redis://127.0.0.1:6379/2")
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/2"


def test_locmem_is_the_per_process_demo_cache():
    assert cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")


def test_an_unknown_cache_url_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL='memcached://x'"):
        cache_from_url("memcached://x")


def test_without_an_endpoint_files_stay_on_the_local_disk(monkeypatch):
    monkeypatch.delenv("S3_ENDPOINT_URL", raising=False)
    assert default_storage_from_env()["BACKEND"].endswith("FileSystemStorage")


def test_the_s3_variables_configure_a_private_bucket(monkeypatch):
    monkeypatch.setenv("S3_ENDPOINT_URL", "http://127.0.0.1:8333")
    monkeypatch.setenv("S3_BUCKET", "assessment")
    monkeypatch.setenv("S3_ACCESS_KEY", "key")
    monkeypatch.setenv("S3_SECRET_KEY", "secret")
    monkeypatch.setenv("S3_REGION", "cn-north-1")
    storage = default_storage_from_env()
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["region_name"]) == ("assessment", "cn-north-1")
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == 300


def test_an_endpoint_without_a_bucket_is_refused(monkeypatch):
    monkeypatch.setenv("S3_ENDPOINT_URL", "http://127.0.0.1:8333")
    monkeypatch.delenv("S3_BUCKET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="S3_BUCKET"):
        default_storage_from_env()


def _check(**variables) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PRODUCTION": "true", "SECRET_KEY": GOOD_SECRET, **variables}
    for name, value in variables.items():
        if value is None:
            environment.pop(name)
    return subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.CACHES"],
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_a_per_process_cache():
    finished = _check(CACHE_URL=None, DATABASE_URL="postgres://u@127.0.0.1/db")
    assert finished.returncode != 0
    assert "CACHE_URL" in finished.stderr


def test_production_refuses_sqlite():
    finished = _check(CACHE_URL="redis://127.0.0.1:6379/0", DATABASE_URL=None)
    assert finished.returncode != 0
    assert "DATABASE_URL" in finished.stderr


def test_production_starts_with_postgresql_and_redis():
    finished = _check(
        CACHE_URL="redis://127.0.0.1:6379/0", DATABASE_URL="postgres://u@127.0.0.1/db"
    )
    assert finished.returncode == 0, finished.stderr
