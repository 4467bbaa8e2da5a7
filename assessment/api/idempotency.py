"""`Idempotency-Key` for writes a client may need to retry (a lost response, a timeout).

The first successful response to a key is kept for IDEMPOTENCY_SECONDS; the same request with
the same key gets that response again without doing anything twice. The same key with a
different body is refused. Keys are per user and per path. The store is Django's default cache:
with several server processes configure a shared one (CACHE_URL), as for the login throttle.
"""

import hashlib
import json
from collections.abc import Callable

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from assessment.errors import ApplicationError

HEADER = "Idempotency-Key"
IDEMPOTENCY_SECONDS = 24 * 60 * 60
MAX_KEY_LENGTH = 100

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=_(
        "Optional. A unique string per intended change (e.g. a UUID). Repeating the request "
        "with the same key returns the first response instead of applying it again."
    ),
)


def _fingerprint(data) -> str:
    canonical = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def idempotent(request, perform: Callable[[], Response]) -> Response:
    """Run `perform` once per Idempotency-Key (if the request carries one)."""
    key = request.headers.get(HEADER, "")
    if not key:
        return perform()
    if len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise ApplicationError(
            "invalid_idempotency_key",
            _("The Idempotency-Key must be at most 100 printable ASCII characters."),
            field=HEADER,
        )
    hashed_key = hashlib.sha256(key.encode("ascii")).hexdigest()
    cache_key = f"api-idempotency:{request.user.pk}:{request.path}:{hashed_key}"
    fingerprint = _fingerprint(request.data if hasattr(request.data, "keys") else None)
    stored = cache.get(cache_key)
    if stored is not None:
        if stored["fingerprint"] != fingerprint:
            raise ApplicationError(
                "idempotency_key_reused",
                _("This Idempotency-Key was already used for a different request."),
                field=HEADER,
            )
        response = Response(stored["data"], status=stored["status"])
        response["Idempotent-Replayed"] = "true"
        return response
    response = perform()
    if 200 <= response.status_code < 300:
        cache.set(
            cache_key,
            {"fingerprint": fingerprint, "status": response.status_code, "data": response.data},
            IDEMPOTENCY_SECONDS,
        )
    return response
