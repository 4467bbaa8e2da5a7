"""`Idempotency-Key` for writes a client may need to retry (a lost response, a timeout).

The first successful response to a key is kept for IDEMPOTENCY_SECONDS; the same request with
the same key gets that response again without doing anything twice. The same key with a
different body is refused. Keys are per user and per path. They live in the database
(IdempotencyKey): a key is claimed by inserting its row before the request runs, so a second
request with it, in any server process, waits for nothing and is never applied twice: it gets
409 while the first is in flight and the stored response once it is done.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from assessment.errors import ApplicationError, Conflict
from assessment.models import IdempotencyKey

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


def _claim(request, hashed_key: str, fingerprint: str):
    """Insert the key as "in flight"; None if we hold it now, else the row that holds it."""
    lookup = {"user": request.user, "path": request.path[:300], "key_hash": hashed_key}
    expired = timezone.now() - timedelta(seconds=IDEMPOTENCY_SECONDS)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                IdempotencyKey.objects.create(fingerprint=fingerprint, **lookup)
            return None
        except IntegrityError:
            held = IdempotencyKey.objects.filter(**lookup).first()
            if held is None:
                continue  # removed meanwhile (a failed first attempt): claim it again
            if held.created_at < expired:
                IdempotencyKey.objects.filter(pk=held.pk).delete()
                continue
            return held
    raise Conflict(
        "idempotency_key_in_flight",
        _("A request with this Idempotency-Key is being processed; retry in a moment."),
        field=HEADER,
    )


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
    fingerprint = _fingerprint(request.data if hasattr(request.data, "keys") else None)
    held = _claim(request, hashed_key, fingerprint)
    if held is not None:
        if held.fingerprint != fingerprint:
            raise ApplicationError(
                "idempotency_key_reused",
                _("This Idempotency-Key was already used for a different request."),
                field=HEADER,
            )
        if not held.completed:
            raise Conflict(
                "idempotency_key_in_flight",
                _("A request with this Idempotency-Key is being processed; retry in a moment."),
                field=HEADER,
            )
        response = Response(held.response_body, status=held.response_status)
        response["Idempotent-Replayed"] = "true"
        return response
    lookup = {"user": request.user, "path": request.path[:300], "key_hash": hashed_key}
    try:
        response = perform()
    except BaseException:
        IdempotencyKey.objects.filter(**lookup).delete()
        raise
    if 200 <= response.status_code < 300:
        body = json.loads(JSONRenderer().render(response.data) or b"null")
        IdempotencyKey.objects.filter(**lookup).update(
            completed=True, response_status=response.status_code, response_body=body
        )
    else:
        # Only a success is kept: a refused request may be corrected and sent again.
        IdempotencyKey.objects.filter(**lookup).delete()
    return response
