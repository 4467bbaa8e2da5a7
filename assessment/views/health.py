"""Health checks for load balancers: no sign-in, no details in the answer.

``/healthz``: the process answers. ``/readyz``: the database, the shared cache, the file
storage and a task worker's heartbeat (within WORKER_DEAD_SECONDS) are all reachable; 503
otherwise. Which part failed is logged on the host, never shown.
"""

import logging
import os
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from assessment.services.report_batches import worker_last_heartbeat

logger = logging.getLogger(__name__)


def _plain(text: str, status: int = 200) -> HttpResponse:
    return HttpResponse(text + "\n", content_type="text/plain; charset=utf-8", status=status)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return _plain("ok")


def _database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def _cache() -> bool:
    key, value = "readyz-probe", uuid.uuid4().hex
    cache.set(key, value, 30)
    return cache.get(key) == value


def _storage() -> bool:
    bucket = getattr(default_storage, "bucket", None)
    if bucket is not None:  # S3: the bucket exists and the keys may read it
        bucket.meta.client.head_bucket(Bucket=bucket.name)
        return True
    location = getattr(default_storage, "location", "")
    os.makedirs(location, exist_ok=True)  # the local disk: MEDIA_ROOT is there and writable
    return os.access(location, os.W_OK)


def _worker() -> bool:
    latest = worker_last_heartbeat()
    return latest is not None and latest > timezone.now() - timedelta(
        seconds=settings.WORKER_DEAD_SECONDS
    )


CHECKS = {"database": _database, "cache": _cache, "storage": _storage, "worker": _worker}


def readiness() -> dict[str, bool]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = bool(check())
        except Exception:
            logger.exception("readiness check %s failed", name)
            results[name] = False
    return results


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    results = readiness()
    if all(results.values()):
        return _plain("ready")
    logger.warning("not ready: %s", ", ".join(name for name, ok in results.items() if not ok))
    return _plain("not ready", status=503)
