"""The dashboards' cache: one entry per (view, region, filter set, language), all made stale at
once by bumping a version number whenever a score changes.

`dashboard_cache_invalidate()` is called by the scoring service after every rescore (and should
be called by any write that changes what dashboards show: certification, revocation, a target or
a region's industrial-enterprise count). Entries also expire after DASHBOARD_CACHE_SECONDS.
With several web processes, configure a shared cache (CACHE_URL) so that a bump reaches all.

The dashboards also count the annual-monitoring records, so the monitoring services call it too:
opening a window, filing a return, every decision (keep and warning included) and a daily run
that flagged or expired anything. A certification's expiry needs no write: the cache key holds
the day.
"""

import hashlib
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "dashboards:version"


def dashboard_cache_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh start (or an evicted version) must not meet entries of an earlier life.
        version = time.time_ns()
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return version


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def dashboard_cache_invalidate() -> None:
    """Make every cached dashboard stale once the current transaction commits (at once outside
    one), so no reader caches figures of a transaction that is still open."""
    transaction.on_commit(_bump)


def dashboard_cache_key(parts: Iterable[object]) -> str:
    joined = "|".join("" if part is None else str(part) for part in parts)
    digest = hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]
    return f"dashboards:{dashboard_cache_version()}:{digest}"


def dashboard_cached[T](parts: Iterable[object], build: Callable[[], T]) -> T:
    """The cached value for `parts`, built (and stored) on a miss."""
    key = dashboard_cache_key(parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=settings.DASHBOARD_CACHE_SECONDS)
    return value
