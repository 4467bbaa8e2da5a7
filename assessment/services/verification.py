"""Public verification helpers: SM3 beside SHA-256, and the throttle on verification pages.

SM3 (GB/T 32905-2016) is what government buyers ask for beside SHA-256; it comes from
OpenSSL through :mod:`hashlib` (OpenSSL 1.1.1 and later build it in; Debian's does), else from
gmssl's pure-Python implementation (an OpenSSL 3 built without the SM algorithms lacks it).
The throttle counts requests per client address and minute in Django's cache (configure a
shared cache, e.g. Redis, when several server processes run).
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def sm3_hex(data: bytes) -> str:
    if "sm3" in hashlib.algorithms_available:
        return hashlib.new("sm3", data).hexdigest()
    return sm3_hex_pure(data)


def sm3_hex_pure(data: bytes) -> str:
    """SM3 without OpenSSL (gmssl); ~1,000 times slower, fine for a canonical data hash."""
    from gmssl import sm3

    return sm3.sm3_hash(list(data))


def verification_allowed(*, client: str) -> bool:
    """Count one verification request of a client; False once over the per-minute rate."""
    window = int(time.time() // 60)
    key = f"verify-rate:{client}:{window}"
    if cache.add(key, 1, timeout=120):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count <= settings.VERIFY_RATE_PER_MINUTE
