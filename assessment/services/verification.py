"""Public verification helpers: SM3 beside SHA-256, and the throttle on verification pages.

SM3 (GB/T 32905-2016) is what government buyers ask for beside SHA-256; it comes from
OpenSSL through :mod:`hashlib` (OpenSSL 1.1.1 and later build it in; Debian's does).
The throttle counts requests per client address and minute in Django's cache (configure a
shared cache, e.g. Redis, when several server processes run).
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured


def sm3_hex(data: bytes) -> str:
    if "sm3" not in hashlib.algorithms_available:
        raise ImproperlyConfigured("This Python's OpenSSL has no SM3 (GB/T 32905); upgrade it.")
    return hashlib.new("sm3", data).hexdigest()


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
